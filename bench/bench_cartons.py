"""The carton suggestion's speed (goal: an order of 20 units against 15 cartons well under 5 ms).

    python bench/bench_cartons.py [--seed 1] [--orders 500] [--json]

Cartons: 15 boxes from 150 x 100 x 50 mm to 600 x 400 x 400 mm (a shop's usual range), and a
polybag. Orders: ``--orders`` seeded orders of exactly 20 units, as 1 to 8 products of random
sizes (10 to 250 mm a side, so some orders need a large box and some no box at all). Each order
is suggested once after a warm-up; wall-clock (``ms``) and CPU time (``cpu_ms``: other programs
on a busy machine do not inflate it) are given as mean, p50, p99 and max, with the load average.
The worst case is reported too: an order that passes the volume check of many boxes but fits
none of them by shape (20 cubes of 140 mm: 55 litres, the three largest boxes hold 60 to 96
litres but 12 to 16 such cubes), so those boxes are really packed, with every rotation policy,
before the polybag is chosen.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.domain.cartons import Carton, ItemBox, suggest  # noqa: E402

SIZES = [
    (150, 100, 50),
    (200, 150, 100),
    (220, 160, 120),
    (250, 200, 100),
    (250, 200, 150),
    (300, 200, 150),
    (300, 250, 200),
    (350, 250, 200),
    (350, 300, 250),
    (400, 300, 200),
    (400, 300, 300),
    (450, 350, 300),
    (500, 400, 300),
    (550, 400, 350),
    (600, 400, 400),
]


def cartons() -> list[Carton]:
    boxes = [
        Carton(f"B{i:02}", "box", *size, tare_g=50 + 20 * i, max_weight_g=20000)
        for i, size in enumerate(SIZES)
    ]
    return [*boxes, Carton("BAG", "polybag", 0, 0, 0, tare_g=10, max_weight_g=30000)]


def order(rng: random.Random, units: int = 20) -> list[ItemBox]:
    kinds = rng.randint(1, 8)
    cuts = sorted(rng.sample(range(1, units), kinds - 1))
    qtys = [b - a for a, b in zip([0, *cuts], [*cuts, units], strict=True)]
    return [
        ItemBox(
            rng.randint(10, 250),
            rng.randint(10, 200),
            rng.randint(10, 120),
            rng.randint(20, 800),
            qty,
        )
        for qty in qtys
    ]


def _stats(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "mean": round(statistics.fmean(ordered), 3),
        "p50": round(ordered[len(ordered) // 2], 3),
        "p99": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 3),
        "max": round(ordered[-1], 3),
    }


def time_orders(orders: list[list[ItemBox]], types: list[Carton]) -> dict[str, object]:
    wall: list[float] = []
    cpu: list[float] = []
    chosen: dict[str, int] = {}
    for items in orders:
        w0, c0 = time.perf_counter(), time.process_time()
        found = suggest(items, types)
        wall.append((time.perf_counter() - w0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        code = found.carton.code if found.carton else "none"
        chosen[code] = chosen.get(code, 0) + 1
    return {"ms": _stats(wall), "cpu_ms": _stats(cpu), "chosen": chosen}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--orders", type=int, default=500)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    types = cartons()
    orders = [order(rng) for _ in range(args.orders)]
    for items in orders[:20]:
        suggest(items, types)
    result = {
        "units": 20,
        "cartons": len(types),
        "orders": args.orders,
        "random": time_orders(orders, types),
        "worst_cubes": time_orders([[ItemBox(140, 140, 140, 100, qty=20)]] * 50, types),
        "load_average": os.getloadavg(),
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    for name in ("random", "worst_cubes"):
        part = result[name]
        assert isinstance(part, dict)
        print(f"{name}: wall ms {part['ms']}  cpu ms {part['cpu_ms']}")
        print(f"  chosen {part['chosen']}")
    print(f"load average {result['load_average']}")


if __name__ == "__main__":
    main()
