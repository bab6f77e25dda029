"""Batching 200 seeded orders into carts of 12 totes (goals: total walk <= 0.35x picking each
order alone, <= 0.72x first-come-first-served batches of the same size, planning <= 100 ms).

    python bench/bench_batching.py [--seed 1] [--orders 200] [--totes 12] [--runs 5] [--json]

The layout is ``demo_like_layout()`` (12 aisles 3 m apart, 30 m long, cross aisles at 0, 15 and
30 m, depot at the front). Each order has 1 to 4 lines (40 %, 30 %, 20 %, 10 %), each line a pick
location drawn at random among the 12 x 29 access points (y = 0.5, 1.5 ... 28.5 m, both sides
of an aisle share one), with a popularity skew when ``--skew`` is given (see ``order_set``).
Every batch, FCFS batch and single order is routed with ``plan_route`` (the exact router), so
the three totals are walked lengths, compared like for like. Planning time is the best and the
median of ``--runs`` runs of ``plan_batches``, wall clock and CPU time (a busy machine
inflates the first, not the second).
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

from app.domain.batching import (  # noqa: E402
    CartLimits,
    OrderToBatch,
    fcfs_batches,
    plan_batches,
)
from app.domain.layout import Layout, Point, demo_like_layout  # noqa: E402
from app.domain.routing import Stop, plan_route  # noqa: E402


def order_set(layout: Layout, n: int, seed: int, skew: float = 0.0) -> list[OrderToBatch]:
    """``n`` seeded orders of 1 to 4 lines. With ``skew`` > 0 the pick locations are drawn with
    weights ``1 / rank ** skew`` (rank 1 = nearest the depot: popular goods stored near it);
    0 = uniform."""
    rng = random.Random(seed)
    places = [(a, y + 0.5) for a in layout.aisles for y in range(int(a.y_from), int(a.y_to) - 1)]
    depot = layout.depot_point()
    places.sort(key=lambda p: abs(p[0].x - depot.x) + abs(p[1] - depot.y))
    weights = [1 / (r + 1) ** skew for r in range(len(places))]
    orders = []
    for key in range(1, n + 1):
        lines = rng.choices((1, 2, 3, 4), weights=(40, 30, 20, 10))[0]
        picks = rng.choices(places, weights=weights, k=lines)
        stops = tuple(Stop(f"{a.code}-{y:04.1f}", Point(a.x, y, a.code)) for a, y in picks)
        orders.append(OrderToBatch(key, stops, lines=lines, units=lines))
    return orders


def total_walk(layout: Layout, orders: list[OrderToBatch], batches: list[list[int]]) -> float:
    by_key = {o.key: o for o in orders}
    return sum(
        plan_route(layout, [s for k in b for s in by_key[k].stops]).length_m for b in batches
    )


def run(seed: int, n: int, totes: int, runs: int, skew: float) -> dict[str, object]:
    layout = demo_like_layout()
    orders = order_set(layout, n, seed, skew)
    limits = CartLimits(tote_slots=totes)
    times, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        planned = plan_batches(layout, orders, limits)
        cpu.append(time.process_time() - c0)
        times.append(time.perf_counter() - t0)
    fcfs = fcfs_batches(orders, limits)
    alone = total_walk(layout, orders, [[o.key] for o in orders])
    fcfs_m = total_walk(layout, orders, fcfs)
    planned_m = total_walk(layout, orders, planned)
    return {
        "seed": seed,
        "orders": n,
        "totes": totes,
        "skew": skew,
        "batches": len(planned),
        "fcfs_batches": len(fcfs),
        "alone_m": round(alone, 1),
        "fcfs_m": round(fcfs_m, 1),
        "planned_m": round(planned_m, 1),
        "planned_vs_alone": round(planned_m / alone, 4),
        "planned_vs_fcfs": round(planned_m / fcfs_m, 4),
        "plan_ms_best": round(min(times) * 1000, 2),
        "plan_ms_median": round(statistics.median(times) * 1000, 2),
        "plan_cpu_ms_median": round(statistics.median(cpu) * 1000, 2),
        "load_average": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--orders", type=int, default=200)
    ap.add_argument("--totes", type=int, default=12)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--skew", type=float, default=0.0)
    args = ap.parse_args()
    r = run(args.seed, args.orders, args.totes, args.runs, args.skew)
    print(f"{'':24}{'walk m':>10}{'ratio':>8}")
    print(f"{'each order alone':24}{r['alone_m']:>10}{1:>8}")
    print(f"{'FCFS batches':24}{r['fcfs_m']:>10}{r['fcfs_m'] / r['alone_m']:>8.3f}")  # type: ignore[operator]
    print(f"{'planned batches':24}{r['planned_m']:>10}{r['planned_vs_alone']:>8}")
    print(
        f"planned / FCFS: {r['planned_vs_fcfs']}   planning: {r['plan_ms_best']} ms best, "
        f"{r['plan_ms_median']} ms median of {args.runs}"
    )
    print(json.dumps(r))


if __name__ == "__main__":
    main()
