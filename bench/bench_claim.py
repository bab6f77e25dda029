"""Many pickers pressing "Get work" at once on PostgreSQL: no batch is ever claimed twice, and
the claim stays fast (goal: p99 <= 20 ms with 64 claimers, each pressing Get work every few
seconds; docs/picking.md, "Claiming work", has the figures).

    python bench/bench_claim.py --pg postgresql+psycopg://user:pw@host/db_test \
        [--claimers 16 64] [--batches 1500] [--waves 4] [--think-ms 0 2000] [--warm-up 5]

The database is emptied first (never point it at real data; the name must end in ``_test`` or
``_bench``). Released waves are written in bulk: ``--batches`` ready batches of five pick tasks
across ``--waves`` waves of different priorities. Then, for each number of claimers, each one a
process with its own connection and its own picker (as stations are), the claimers call the real
``app.services.pick_claim.get_work`` until no batch is left; after each claim the picker's
batch is marked picked (outside the timed call) so that the next call claims a new one. Before
the clock starts each station claims ``--warm-up`` batches assigned to it (a station is a
long-running program: its connection is made, the claim compiled and prepared on the server).

Run twice per number of claimers on the same data (reset in between): as shipped
(``FOR UPDATE ... SKIP LOCKED``) and with plain ``FOR UPDATE`` in the same statement (the
claimers queue on the first free batch; when it is taken, each waiting one re-checks it, passes
it over and waits for the next). Printed per run: claims, duplicate claims, claims per second,
claim latency p50/p95/p99/max (the wall time of the ``get_work`` call, as the station sees it),
empty answers while batches were left, and the claimer's own CPU time per claim (the rest of
the latency is the server, the network and waiting for a CPU: with many claimers on a small
machine, the burst runs (``--think-ms 0``) measure mostly how busy the CPUs are).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, insert, select, text, update
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.bootstrap import bootstrap  # noqa: E402
from app.config import Paths, Settings  # noqa: E402
from app.db.engine import make_engine, make_session_factory  # noqa: E402
from app.db.models import (  # noqa: E402
    Base,
    Cart,
    Location,
    PickBatch,
    PickTask,
    Product,
    User,
    Warehouse,
    Wave,
)
from app.db.uow import UnitOfWork  # noqa: E402
from app.domain.users import Actor, Role  # noqa: E402
from app.services import pick_claim  # noqa: E402

TASKS_PER_BATCH = 5
#: claims each station makes before the clock starts: psycopg's ``prepare_threshold`` (a
#: station that has claimed a few batches runs the claim as a prepared statement)
WARM_UP = 5


def _empty(engine: Engine) -> None:
    names = ", ".join(t.name for t in Base.metadata.sorted_tables if t.name != "roles")
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


def generate(
    engine: Engine, n_batches: int, n_waves: int, n_pickers: int, warm_up: int = WARM_UP
) -> list[int]:
    """Waves, batches and tasks; returns the pickers' user ids."""
    _empty(engine)
    with engine.begin() as conn:
        conn.execute(insert(Warehouse), [{"id": 1, "code": "WH1", "name": "Bench"}])
        conn.execute(
            insert(Location),
            [
                {"id": i, "warehouse_id": 1, "code": f"A-{i:03d}", "barcode": f"L{i}", "zone": "A"}
                for i in range(1, 6)
            ],
        )
        conn.execute(insert(Product), [{"id": 1, "sku": "SKU-1", "name": "Bench item"}])
        conn.execute(insert(Cart), [{"id": 1, "code": "C12", "tote_slots": 12}])
        conn.execute(
            insert(User),
            [
                {"id": i, "username": f"picker{i}", "role": Role.PICKER.value, "password_hash": "x"}
                for i in range(1, n_pickers + 1)
            ],
        )
        conn.execute(
            insert(Wave),
            [
                {
                    "id": w,
                    "number": f"W{w:06d}",
                    "warehouse_id": 1,
                    "status": "released",
                    "priority": w % 3,
                    "cutoff": f"{14 + w % 4}:00",
                    "cart_id": 1,
                }
                for w in range(1, n_waves + 1)
            ],
        )
        conn.execute(
            insert(PickBatch),
            [
                {
                    "id": b,
                    "wave_id": 1 + (b - 1) % n_waves,
                    "number": b,
                    "status": "ready",
                    "cart_id": 1,
                    "planned_m": 100.0,
                    "assigned_to": None,
                }
                for b in range(1, n_batches + 1)
            ]
            + [  # warm-up batches, assigned to each picker (claimed before the clock)
                {
                    "id": n_batches + i,
                    "wave_id": 1,
                    "number": n_batches + i,
                    "status": "ready",
                    "cart_id": 1,
                    "planned_m": 100.0,
                    "assigned_to": 1 + (i - 1) % n_pickers,
                }
                for i in range(1, n_pickers * warm_up + 1)
            ],
        )
        tasks = [
            {
                "batch_id": b,
                "seq": 10 * (t + 1),
                "location_id": 1 + t,
                "product_id": 1,
                "qty": 1,
            }
            for b in range(1, n_batches + n_pickers * warm_up + 1)
            for t in range(TASKS_PER_BATCH)
        ]
        for i in range(0, len(tasks), 5000):
            conn.execute(insert(PickTask), tasks[i : i + 5000])
    return list(range(1, n_pickers + 1))


def reset(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(PickBatch).values(
                status="ready",
                claimed_by=None,
                claimed_station_id=None,
                claimed_at=None,
                started_at=None,
            )
        )
        conn.execute(update(Wave).values(status="released"))


@contextmanager
def plain_for_update() -> Iterator[None]:
    """The claim with ``FOR UPDATE`` instead of ``FOR UPDATE SKIP LOCKED`` (the same statement
    otherwise)."""
    pick_claim.SKIP_LOCKED = False
    try:
        yield
    finally:
        pick_claim.SKIP_LOCKED = True


def _claimer(
    url: str, user_id: int, start: Any, results: Any, think_ms: float, warm_up: int
) -> None:
    """One station (a process of its own, with its own connection) claiming until no batch is
    left; with ``think_ms`` it pauses a random time (exponential, that mean) before each claim,
    as a picker does between batches."""
    import random

    pause = random.Random(user_id)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    actor = Actor(user_id, f"picker{user_id}", Role.PICKER)
    claims: list[int] = []
    latencies: list[float] = []
    cpu: list[float] = []
    empty = 0

    def remaining() -> int:
        with engine.connect() as conn:
            free = (PickBatch.status == "ready") & PickBatch.assigned_to.is_(None)
            return conn.scalar(select(func.count()).where(free)) or 0

    def walk(batch_id: int) -> None:
        with engine.begin() as conn:  # the picker walks it (not timed)
            conn.execute(update(PickBatch).where(PickBatch.id == batch_id).values(status="picked"))

    try:
        # a station is a long-running program: before the clock starts, claim the picker's own
        # warm-up batches (connection made, statements compiled, and prepared on the server:
        # psycopg prepares a statement the WARM_UP-th time a connection runs it)
        for _ in range(warm_up):
            warm = pick_claim.get_work(UnitOfWork(factory), actor)
            assert warm is not None and warm.how == pick_claim.ASSIGNED, (warm, user_id)
            walk(warm.batch_id)
        start.wait()
        while True:
            if think_ms:
                time.sleep(pause.expovariate(1000.0 / think_ms))
            t0, c0 = time.perf_counter(), time.process_time()
            got = pick_claim.get_work(UnitOfWork(factory), actor)
            elapsed, used = time.perf_counter() - t0, time.process_time() - c0
            if got is None:
                if remaining() == 0:
                    break
                empty += 1
                continue
            latencies.append(elapsed)
            cpu.append(used)
            claims.append(got.batch_id)
            walk(got.batch_id)
    finally:
        engine.dispose()
        results.put((claims, latencies, empty, cpu))


def run(
    url: str, pickers: list[int], think_ms: float = 0.0, warm_up: int = WARM_UP
) -> dict[str, Any]:
    ctx = mp.get_context("fork")
    barrier = ctx.Barrier(len(pickers) + 1)
    results = ctx.Queue()
    procs = [
        ctx.Process(target=_claimer, args=(url, u, barrier, results, think_ms, warm_up))
        for u in pickers
    ]
    for p in procs:
        p.start()
    barrier.wait()
    t0 = time.perf_counter()
    got = [results.get() for _ in procs]
    wall = time.perf_counter() - t0
    for p in procs:
        p.join()
    claims = [c for g in got for c in g[0]]
    lat = sorted(x for g in got for x in g[1])
    q = statistics.quantiles(lat, n=100) if len(lat) >= 2 else [0.0] * 99
    dupes = sum(n - 1 for n in Counter(claims).values() if n > 1)
    return {
        "claims": len(claims),
        "duplicates": dupes,
        "rate": len(claims) / wall,
        "p50": q[49] * 1000,
        "p95": q[94] * 1000,
        "p99": q[98] * 1000,
        "max": lat[-1] * 1000 if lat else 0.0,
        "empty": sum(g[2] for g in got),
        "cpu": statistics.fmean(c for g in got for c in g[3]) * 1000 if lat else 0.0,
        "wall": wall,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pg", required=True, metavar="URL", help="a PostgreSQL test database")
    ap.add_argument("--claimers", type=int, nargs="+", default=[16, 64])
    ap.add_argument("--batches", type=int, default=1500)
    ap.add_argument("--waves", type=int, default=4)
    ap.add_argument(
        "--think-ms",
        type=float,
        nargs="+",
        default=[0.0, 2000.0],
        help="mean pause before each claim (0: claim again at once, a burst that only measures "
        "how busy the CPUs are); one run per value",
    )
    ap.add_argument(
        "--warm-up",
        type=int,
        default=WARM_UP,
        help="claims per station before the clock starts (1: the claim statement is not yet "
        "prepared on the server for the first timed claims)",
    )
    args = ap.parse_args()
    name = make_url(args.pg).database or ""
    if not name.endswith(("_test", "_bench")):
        ap.error("the database name must end in _test or _bench: its tables are emptied")
    home = Path(__import__("tempfile").mkdtemp())
    services = bootstrap(
        Settings(db_url=args.pg, station="bench"), Paths(home / "c", home / "d", home / "l")
    )
    engine = services.engine
    pickers = generate(engine, args.batches, args.waves, max(args.claimers), args.warm_up)
    print(
        f"{args.batches} ready batches in {args.waves} waves, PostgreSQL {name}, "
        f"{args.warm_up} warm-up claims per station"
    )
    print(
        f"{'claimers':>8} {'think':>6} {'query':<18} {'claims':>6} {'dupes':>5} {'claims/s':>9} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7} {'empty':>6} {'cpu ms':>6}"
    )
    runs = [
        (n, think, label, ctx)
        for think in args.think_ms
        for n in args.claimers
        for label, ctx in (("SKIP LOCKED", None), ("plain FOR UPDATE", plain_for_update))
    ]
    for n, think, label, ctx in runs:
        reset(engine)
        engine.dispose()  # no pooled connection is inherited by the claimers
        if ctx is None:
            r = run(args.pg, pickers[:n], think, args.warm_up)
        else:
            with ctx():
                r = run(args.pg, pickers[:n], think, args.warm_up)
        print(
            f"{n:>8} {think:>6.0f} {label:<18} {r['claims']:>6} {r['duplicates']:>5} "
            f"{r['rate']:>9.0f} "
            f"{r['p50']:>7.1f} {r['p95']:>7.1f} {r['p99']:>7.1f} {r['max']:>7.1f} "
            f"{r['empty']:>6} {r['cpu']:>6.2f}"
        )
        if r["duplicates"] or r["claims"] != args.batches:
            print("  FAILED: every batch must be claimed exactly once")
    services.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
