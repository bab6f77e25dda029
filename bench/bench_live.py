"""What live updates cost: the NOTIFY triggers on a bulk import into PostgreSQL, the delay from
commit to a listening station, and SQLite's ``PRAGMA data_version`` poll.

    python bench/bench_live.py --db postgresql+psycopg://user:pw@host/some_test
                               [--orders 10000] [--rounds 2] [--changes 200]

- **Triggers**: a Shopify export of ``--orders`` orders (``tests/data/make_samples``) is imported
  with ``order_intake.import_file`` (as the CLI and the screen run it) into a freshly migrated
  database, alternately with the live-update triggers of migration 0029_notify enabled and
  disabled (``ALTER TABLE ... DISABLE TRIGGER``), ``--rounds`` times each; the best time of
  each is compared, and the announcements a listener heard during the import are counted.
- **Delay**: ``--changes`` single-order status changes, each committed by one station, timed
  from just before the commit to the listener (``app.live.PgListener``, as a station runs it)
  handing on the change: median and 99th percentile.
- **SQLite poll**: 20,000 ``PRAGMA data_version`` on a migrated file, the time per poll, and
  what one poll a second costs in an hour.

The database named by ``--db`` is emptied and migrated again (its name must end in ``_test``).
"""

from __future__ import annotations

import argparse
import queue
import shutil
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from sqlalchemy import create_engine, insert, make_url, text, update

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.bootstrap import bootstrap  # noqa: E402
from app.config import Paths, Settings  # noqa: E402
from app.db.engine import make_engine  # noqa: E402
from app.db.migrate import upgrade  # noqa: E402
from app.db.models import Order, Product  # noqa: E402
from app.domain.users import SYSTEM  # noqa: E402
from app.live import Change  # noqa: E402
from app.live.pg_listen import PgListener  # noqa: E402
from app.services import order_intake  # noqa: E402
from tests.data.make_samples import write_big_shopify  # noqa: E402

TRIGGERS = ("packdesk_notify_insert", "packdesk_notify_update", "packdesk_notify_delete")
TABLES = (
    "orders",
    "waves",
    "pick_batches",
    "handovers",
    "handover_parcels",
    "print_jobs",
    "settings",
)


def fresh(url: str, skus: int, *, triggers: bool) -> None:
    if not (make_url(url).database or "").endswith("_test"):
        raise SystemExit("--db must name a throw-away database whose name ends in _test")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    engine = make_engine(url)
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(
            insert(Product), [{"sku": f"SKU-{k:05d}", "name": f"Product {k}"} for k in range(skus)]
        )
        if not triggers:
            for table in TABLES:
                for trigger in TRIGGERS:
                    conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}"))
    engine.dispose()


def listen(url: str) -> tuple[PgListener, queue.Queue[tuple[float, Change]], threading.Event]:
    listener = PgListener(url, application_name="packdesk-live:bench")
    heard: queue.Queue[tuple[float, Change]] = queue.Queue()
    stop = threading.Event()
    threading.Thread(
        target=listener.run,
        args=(lambda c: heard.put((time.perf_counter(), c)), stop),
        daemon=True,
    ).start()
    if not listener.connected.wait(5):
        raise SystemExit("the listener did not connect")
    return listener, heard, stop


def timed_import(url: str, home: Path, csv_path: Path, *, triggers: bool, skus: int) -> float:
    fresh(url, skus, triggers=triggers)
    _listener, heard, stop = listen(url)
    svc = bootstrap(
        Settings(db_url=url, station="bench"),
        Paths(home / "config", home / "data", home / "logs"),
    )
    try:
        t = time.perf_counter()
        result = svc.run(order_intake.import_file, SYSTEM, csv_path)
        took = time.perf_counter() - t
    finally:
        svc.close()
    time.sleep(0.5)  # announcements of the last commit on their way
    stop.set()
    kinds: dict[str, int] = {}
    capped = 0
    while not heard.empty():
        _, change = heard.get()
        kinds[change.kind] = kinds.get(change.kind, 0) + 1
        capped += not change.ids
    print(
        f"import, triggers {'on ' if triggers else 'off'}: {took:6.2f} s, {result.imported:,} "
        f"orders; announcements heard: {kinds or 'none'} ({capped} without ids)"
    )
    return took


def delay(url: str, home: Path, changes: int) -> list[float]:
    fresh(url, 10, triggers=True)
    svc = bootstrap(
        Settings(db_url=url, station="bench"),
        Paths(home / "config", home / "data", home / "logs"),
    )
    from tests.factories import add_orders

    try:
        (oid,) = add_orders(svc, 1)
        _listener, heard, stop = listen(url)
        took: list[float] = []
        for i in range(changes):
            with svc.uow() as uow:
                status = "on_hold" if i % 2 == 0 else "new"
                uow.session.execute(update(Order).where(Order.id == oid).values(status=status))
                t = time.perf_counter()
                uow.commit()
            while True:
                at, change = heard.get(timeout=5)
                if change.kind == "order":
                    took.append((at - t) * 1000)
                    break
        stop.set()
        return took
    finally:
        svc.close()


def sqlite_poll(tmp: Path, polls: int = 20_000) -> float:
    path = tmp / "poll.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    conn = sqlite3.connect(path, isolation_level=None)
    t = time.perf_counter()
    for _ in range(polls):
        conn.execute("PRAGMA data_version").fetchone()
    each = (time.perf_counter() - t) / polls
    conn.close()
    return each


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True, help="a PostgreSQL test database (emptied!)")
    ap.add_argument("--orders", type=int, default=10_000)
    ap.add_argument("--skus", type=int, default=500)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--changes", type=int, default=200)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="packdesk-bench-live-"))
    try:
        csv_path = tmp / "orders_export.csv"
        lines = write_big_shopify(csv_path, args.orders, skus=args.skus, mapped=0.0)
        print(f"file: {args.orders:,} orders, {lines - 1:,} lines")
        on: list[float] = []
        off: list[float] = []
        for k in range(max(args.rounds, 1)):
            for triggers, times in ((False, off), (True, on)):
                home = tmp / f"h{k}{triggers}"
                times.append(
                    timed_import(args.db, home, csv_path, triggers=triggers, skus=args.skus)
                )
        print(
            f"triggers: best import {min(on):.2f} s with, {min(off):.2f} s without: "
            f"{(min(on) / min(off) - 1) * 100:+.1f}%"
        )
        took = sorted(delay(args.db, tmp / "delay", args.changes))
        p99 = took[min(len(took) - 1, int(len(took) * 0.99))]
        print(
            f"commit -> listener: median {statistics.median(took):.2f} ms, p99 {p99:.2f} ms, "
            f"max {took[-1]:.2f} ms over {len(took)} changes"
        )
        each = sqlite_poll(tmp)
        print(
            f"SQLite PRAGMA data_version: {each * 1e6:.1f} us a poll; one a second is "
            f"{each * 3600 * 1000:.1f} ms of CPU an hour"
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
