#!/usr/bin/env python3
"""The Orders list's service calls on a 1,000-order and a 1,000,000-order SQLite database.

    .venv/bin/python bench/bench_orders_query.py [--small 1000] [--big 1000000] [--runs 9]

Times ``orders.list_orders`` (first page, next page, status filter for a rare and a common
status, search by order number, by an order-number prefix, by the channel's external id, by phone
digits) and ``orders.count_orders`` for the same queries, through the real services on databases
built by ``bench/make_bench_db.py`` (reused when already built). Each call runs ``--runs`` times
after one warm-up; the median and the worst are printed. Goal (issue 2): every call <= 50 ms on
the 1,000,000-order database. The small database is the reference: the ratio says how much the
million orders cost.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from make_bench_db import OUT, bench_database  # noqa: E402
from sqlalchemy import select  # noqa: E402

from app.bootstrap import Services, bootstrap  # noqa: E402
from app.config import Paths, Settings  # noqa: E402
from app.db.models import Address, Order  # noqa: E402
from app.domain.users import Actor, Role  # noqa: E402
from app.services import orders  # noqa: E402
from app.services.orders import OrderQuery  # noqa: E402

GOAL_MS = 50.0
ACTOR = Actor(user_id=None, username="bench", role=Role.ADMIN)


def open_db(n: int) -> Services:
    path = bench_database(n)
    home = OUT / "home"
    return bootstrap(
        Settings(db_url=f"sqlite:///{path}", station="bench"),
        Paths(home / "config", home / "data", home / "logs"),
    )


def probes(services: Services) -> dict[str, Callable[[], Any]]:
    """The calls the Orders screen makes, with search texts taken from an order in the middle."""
    with services.uow() as uow:
        last = uow.session.scalar(select(Order.id).order_by(Order.id.desc()).limit(1)) or 1
        mid = uow.session.execute(
            select(Order.id, Order.number, Order.external_id, Address.phone_digits)
            .join(Address, Address.id == Order.ship_address_id)
            .where(Order.id >= last // 2)
            .order_by(Order.id)
            .limit(1)
        ).one()
    page = services.run(orders.list_orders, ACTOR, OrderQuery())
    after = page[-1].id if page else None
    queries = {
        "first page": OrderQuery(),
        "status on_hold": OrderQuery(status="on_hold"),
        "status delivered": OrderQuery(status="delivered"),
        "search number": OrderQuery(search=mid.number),
        "search number prefix": OrderQuery(search=mid.number[:-2]),
        "search external id": OrderQuery(search=mid.external_id),
        "search phone": OrderQuery(search=mid.phone_digits),
    }
    calls: dict[str, Callable[[], Any]] = {}
    for label, q in queries.items():
        calls[f"list  {label}"] = lambda q=q: services.run(orders.list_orders, ACTOR, q)
    calls["list  next page"] = lambda: services.run(
        orders.list_orders, ACTOR, OrderQuery(), after_id=after
    )
    for label, q in queries.items():
        calls[f"count {label}"] = lambda q=q: services.run(orders.count_orders, ACTOR, q)
    found = services.run(orders.list_orders, ACTOR, queries["search phone"])
    assert mid.id in [r.id for r in found], "the phone search must find the order"
    return calls


def measure(calls: dict[str, Callable[[], Any]], runs: int) -> dict[str, tuple[float, float]]:
    out = {}
    for label, call in calls.items():
        gc.collect()  # garbage of earlier calls (or of building a database) is not this call's
        call()  # warm-up: statement cache, page cache
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            call()
            times.append((time.perf_counter() - t) * 1000)
        out[label] = (statistics.median(times), max(times))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--big", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    results = {}
    for n in (args.small, args.big):
        services = open_db(n)
        try:
            results[n] = measure(probes(services), args.runs)
        finally:
            services.close()
    small, big = results[args.small], results[args.big]
    print(f"Orders list service calls, median / worst of {args.runs} runs, in ms")
    print(f"{'call':<28}{args.small:>12,} orders{args.big:>16,} orders   ratio  goal")
    missed = []
    for label in small:
        (sm, sw), (bm, bw) = small[label], big[label]
        ok = bw <= GOAL_MS
        if not ok:
            missed.append(label)
        print(
            f"{label:<28}{sm:>8.2f} /{sw:>6.2f}{bm:>12.2f} /{bw:>6.2f}"
            f"{bm / max(sm, 1e-6):>8.1f}x  {'ok' if ok else 'MISSED'}"
        )
    print("all calls within 50 ms" if not missed else f"missed the goal: {', '.join(missed)}")


if __name__ == "__main__":
    main()
