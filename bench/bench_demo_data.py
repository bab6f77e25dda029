#!/usr/bin/env python3
"""``packdesk demo-data --orders 100000`` on SQLite, against plain ``sqlite3.executemany``.

    .venv/bin/python bench/bench_demo_data.py [--orders 100000] [--seed 1] [--keep]

Timed in the same run, on fresh migrated SQLite files in a temporary folder:

- the command: ``packdesk --db sqlite:///... demo-data --orders N`` through ``app.cli.main``
  (start-up and migrations included), and inside it the ``demo_data.generate`` service;
- the reference: the very rows the command wrote, read back and written with plain ``sqlite3``
  ``executemany`` into a second migrated file in one transaction, with the app's pragmas (WAL,
  foreign keys on, synchronous NORMAL) and the same page cache the generator uses. That is the
  floor for storing these rows; generating them (names, addresses, barcodes, stock) is the rest.

Printed: both times, the ratio, and rows per table.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.cli import main as cli_main  # noqa: E402
from app.db.engine import make_engine  # noqa: E402
from app.db.migrate import upgrade  # noqa: E402
from app.db.models import Base  # noqa: E402
from app.services import demo_data  # noqa: E402

SKIP = {"alembic_version", "roles"}  # written by the migrations, in both files alike


def migrated(path: Path) -> None:
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()


def reference(src: Path, dst: Path) -> tuple[float, dict[str, int]]:
    """Read every row the command wrote; time writing them again with plain sqlite3."""
    migrated(dst)
    read = sqlite3.connect(src)
    tables = [t.name for t in Base.metadata.sorted_tables if t.name not in SKIP]
    data = {t: read.execute(f"SELECT * FROM {t}").fetchall() for t in tables}
    read.close()
    conn = sqlite3.connect(dst, isolation_level=None)
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL",
                   "cache_size=-262144"):  # fmt: skip
        conn.execute(f"PRAGMA {pragma}")
    started = time.perf_counter()
    conn.execute("BEGIN")
    for table, rows in data.items():
        if rows:
            marks = ", ".join("?" * len(rows[0]))
            conn.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
    conn.execute("COMMIT")
    took = time.perf_counter() - started
    conn.close()
    return took, {t: len(r) for t, r in data.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="packdesk-bench-demo-"))
    os.environ["PACKDESK_HOME"] = str(tmp / "home")
    db = tmp / "demo.sqlite"
    migrated(db)  # as a fresh install would have it, so the command times the data only

    service_time: list[float] = []
    generate = demo_data.generate

    def timed_generate(*a: object, **kw: object) -> demo_data.DemoSummary:
        t = time.perf_counter()
        try:
            return generate(*a, **kw)  # type: ignore[arg-type]
        finally:
            service_time.append(time.perf_counter() - t)

    demo_data.generate = timed_generate  # type: ignore[assignment]
    out = io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(out):
        code = cli_main(["--db", f"sqlite:///{db}", "demo-data", "--orders", str(args.orders),
                         "--seed", str(args.seed)])  # fmt: skip
    command = time.perf_counter() - started
    demo_data.generate = generate  # type: ignore[assignment]
    if code != 0:
        sys.exit(f"demo-data failed with exit code {code}")
    ref, rows = reference(db, tmp / "reference.sqlite")
    total = sum(rows.values())
    print(f"demo-data --orders {args.orders:,} on SQLite ({total:,} rows)")
    print(f"  command (start-up included)  {command:7.2f} s")
    print(f"  demo_data.generate           {service_time[0]:7.2f} s")
    print(f"  reference sqlite3.executemany {ref:6.2f} s  (same rows, one transaction)")
    print(f"  ratio command / reference    {command / ref:7.2f} x")
    print(f"  ratio generate / reference   {service_time[0] / ref:7.2f} x")
    for table, n in sorted(rows.items(), key=lambda kv: -kv[1]):
        if n:
            print(f"    {table:<22} {n:>10,}")
    size = db.stat().st_size / 2**20
    print(f"  database {size:,.0f} MiB")
    if args.keep:
        print(f"  kept in {tmp}")
    else:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
