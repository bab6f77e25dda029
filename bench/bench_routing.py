"""Pick routes against the optimum (goals: route / optimal mean <= 1.01, worst <= 1.05; route
time p99 <= 10 ms for 30 stops).

    python bench/bench_routing.py [--seed 1] [--lists 200] [--starts 60] [--json]

Layouts: ``demo_like_layout()`` (12 aisles 3 m apart, 30 m long, cross aisles at 0, 15 and 30 m,
depot at the front left) and ``single_block_layout()`` (the same without the middle cross
aisle). On each, ``--lists`` seeded pick lists of 5 to 30 lines, each line a random access point
(aisle, y on half-metre steps between 0.5 and 29.5 m), so some lines share a place.

The reference ("optimal") is Held-Karp over the aisle graph's shortest-path distances when a
list has up to 15 distinct places, else the best of a long local search (2-opt and Or-opt from
the S-shape, largest-gap and nearest-neighbour orders and from ``--starts`` random orders).
Beside the router's ratio: the S-shape and largest-gap routes of the same lists.

Time: ``--lists`` extra lists of exactly 30 lines are routed once each, after a warm-up of 20
routes (the first route of a process also fills the router's table of state transitions; that
cold time is in the JSON too). Wall-clock time (``ms``) and the process's CPU time (``cpu_ms``,
which other programs on a busy machine do not inflate) are both given, with the load average.
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

from app.domain.layout import (  # noqa: E402
    Layout,
    Point,
    demo_like_layout,
    distance_matrix,
    single_block_layout,
)
from app.domain.routing import (  # noqa: E402
    Stop,
    largest_gap_route,
    plan_route,
    s_shape_route,
)
from app.domain.routing.heuristics import largest_gap_order, s_shape_order  # noqa: E402
from app.domain.routing.tour_search import (  # noqa: E402
    best_of_starts,
    held_karp,
    nearest_neighbour,
    tour_length,
)

HELD_KARP_UP_TO = 15


def pick_list(layout: Layout, rng: random.Random, lines: int) -> list[Stop]:
    out = []
    for k in range(lines):
        a = rng.choice(layout.aisles)
        y = rng.randint(1, 59) / 2
        out.append(Stop(f"{a.code}-{y:04.1f}-{k}", Point(a.x, y, a.code)))
    return out


def reference(layout: Layout, stops: list[Stop], starts: int) -> tuple[float, str]:
    depot = layout.depot_point()
    places = list({(s.point.x, s.point.y): s.point for s in stops}.values())
    d = distance_matrix(layout, [depot, *places])
    if len(places) <= HELD_KARP_UP_TO:
        return tour_length(d, held_karp(d)), "held-karp"
    seeds = [
        [i + 1 for i in largest_gap_order(layout, depot, places)],
        [i + 1 for i in s_shape_order(layout, depot, places)],
        nearest_neighbour(d),
    ]
    return tour_length(d, best_of_starts(d, seeds, random_starts=starts, rng_seed=1)), "search"


def p99(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(0.99 * (len(xs) - 1)))]


def bench_layout(layout: Layout, seed: int, lists: int, starts: int) -> dict[str, object]:
    rng = random.Random(seed)
    cold = time.perf_counter()
    plan_route(layout, pick_list(layout, rng, 30))
    cold_ms = (time.perf_counter() - cold) * 1000
    for _ in range(20):
        plan_route(layout, pick_list(layout, rng, 30))
    ratios, s_ratios, g_ratios, kinds = [], [], [], {"held-karp": 0, "search": 0}
    for _ in range(lists):
        stops = pick_list(layout, rng, rng.randint(5, 30))
        best, kind = reference(layout, stops, starts)
        kinds[kind] += 1
        ratios.append(plan_route(layout, stops).length_m / best)
        s_ratios.append(s_shape_route(layout, stops).length_m / best)
        g_ratios.append(largest_gap_route(layout, stops).length_m / best)
    times, cpu = [], []
    for _ in range(lists):
        stops = pick_list(layout, rng, 30)
        t0, c0 = time.perf_counter(), time.process_time()
        plan_route(layout, stops)
        cpu.append((time.process_time() - c0) * 1000)
        times.append((time.perf_counter() - t0) * 1000)
    return {
        "layout": layout.warehouse,
        "cross_aisles": list(layout.cross_aisles),
        "lists": lists,
        "reference_held_karp": kinds["held-karp"],
        "reference_search": kinds["search"],
        "route_mean": round(statistics.mean(ratios), 4),
        "route_worst": round(max(ratios), 4),
        "route_best": round(min(ratios), 4),
        "s_shape_mean": round(statistics.mean(s_ratios), 4),
        "s_shape_worst": round(max(s_ratios), 4),
        "largest_gap_mean": round(statistics.mean(g_ratios), 4),
        "largest_gap_worst": round(max(g_ratios), 4),
        "ms_30_mean": round(statistics.mean(times), 2),
        "ms_30_p99": round(p99(times), 2),
        "ms_30_max": round(max(times), 2),
        "cpu_ms_30_mean": round(statistics.mean(cpu), 2),
        "cpu_ms_30_p99": round(p99(cpu), 2),
        "ms_cold_first_route": round(cold_ms, 2),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--lists", type=int, default=200)
    ap.add_argument("--starts", type=int, default=60, help="random starts of the reference search")
    args = ap.parse_args()
    rows = [
        bench_layout(layout, args.seed, args.lists, args.starts)
        for layout in (demo_like_layout(), single_block_layout())
    ]
    head = (
        f"{'layout':8}{'route mean':>11}{'worst':>8}{'S mean':>8}{'worst':>8}{'LG mean':>9}"
        f"{'worst':>8}{'HK/search':>11}{'ms mean':>9}{'ms p99':>8}"
    )
    print(head)
    for r in rows:
        print(
            f"{r['layout']!s:8}{r['route_mean']:>11}{r['route_worst']:>8}{r['s_shape_mean']:>8}"
            f"{r['s_shape_worst']:>8}{r['largest_gap_mean']:>9}{r['largest_gap_worst']:>8}"
            f"{str(r['reference_held_karp']) + '/' + str(r['reference_search']):>11}"
            f"{r['ms_30_mean']:>9}{r['ms_30_p99']:>8}"
        )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    print(
        "CPU ms for 30 stops (mean / p99): "
        + ", ".join(f"{r['layout']} {r['cpu_ms_30_mean']} / {r['cpu_ms_30_p99']}" for r in rows)
        + f"; load average {load}"
    )
    print(json.dumps({"seed": args.seed, "load_average": load, "layouts": rows}))


if __name__ == "__main__":
    main()
