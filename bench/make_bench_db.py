#!/usr/bin/env python3
"""Build, once, a SQLite database of N demo orders for the benchmarks.

    .venv/bin/python bench/make_bench_db.py [--orders 1000000] [--seed 1] [--force] [--out DIR]
        [--shipping] [--pg postgresql+psycopg://packdesk:packdesk@127.0.0.1/packdesk_bench]

The database is ``bench/out/orders_<N>.sqlite``: the demo warehouse of ``packdesk demo-data``
(2,000 SKUs, stock, users, channels) with N orders, built by ``demo_data.generate`` into a
temporary file that is renamed only when it is complete, so an interrupted build never passes for
a finished one. A file that is already there and complete is reused (``--force`` rebuilds it).

``--shipping`` adds parcels, tracking events and delivery exceptions to it (``bench/big_data.py``;
once). ``--pg URL`` then copies the whole database into that PostgreSQL database (its name must
end in ``_bench``; every table in it is emptied first), migrated by the app and analysed.

Other benchmarks import ``bench_database(n)`` from here.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from big_data import add_shipping, copy_to_postgres  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from app.bootstrap import bootstrap  # noqa: E402
from app.config import Paths, Settings  # noqa: E402
from app.services import demo_data  # noqa: E402

OUT = ROOT / "bench" / "out"


def _files(path: Path) -> list[Path]:
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


def is_complete(path: Path, orders: int, seed: int) -> bool:
    """True when ``path`` holds a finished demo database of ``orders`` orders for ``seed``."""
    if not path.exists():
        return False
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = conn.execute(
                "SELECT value FROM settings WHERE key = ?", (demo_data.SETTING_KEY,)
            ).fetchone()
            last = conn.execute("SELECT max(id) FROM orders").fetchone()[0] or 0
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    if row is None:
        return False
    marker = json.loads(row[0])
    return bool(
        marker.get("orders") == orders
        and marker.get("seed") == seed
        and marker.get("version") == demo_data.DATA_VERSION
        and last == orders
    )


def bench_database(
    orders: int, seed: int = 1, *, force: bool = False, out: Path = OUT, quiet: bool = False
) -> Path:
    """The path of a complete demo database of ``orders`` orders, built if needed."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"orders_{orders}.sqlite"
    if not force and is_complete(path, orders, seed):
        return path
    building = out / f"orders_{orders}.building.sqlite"
    for f in _files(building):
        f.unlink(missing_ok=True)
    home = out / "home"
    services = bootstrap(
        Settings(db_url=f"sqlite:///{building}", station="bench"),
        Paths(home / "config", home / "data", home / "logs"),
    )
    started = time.perf_counter()

    def progress(done: int, total: int) -> None:
        if not quiet:
            rate = done / max(time.perf_counter() - started, 1e-9)
            print(f"\r  {done:,} of {total:,} orders ({rate:,.0f}/s)", end="", flush=True)

    if not quiet:
        print(f"building {path.name} ...", flush=True)
    try:
        services.run(demo_data.generate, orders=orders, seed=seed, progress=progress)
    finally:
        services.close()
    conn = sqlite3.connect(building)  # fold the WAL into the file before it is renamed
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    for f in _files(path):
        f.unlink(missing_ok=True)
    building.rename(path)
    for f in _files(building)[1:]:
        f.unlink(missing_ok=True)
    if not quiet:
        took = time.perf_counter() - started
        size = path.stat().st_size / 2**20
        print(f"\n  built in {took:.1f} s ({orders / took:,.0f} orders/s), {size:,.0f} MiB")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--force", action="store_true", help="rebuild even if it exists")
    parser.add_argument("--out", type=Path, default=OUT, help="folder (default bench/out)")
    parser.add_argument("--shipping", action="store_true", help="add parcels and tracking")
    parser.add_argument("--pg", default="", help="copy into this PostgreSQL database (*_bench)")
    args = parser.parse_args()
    path = bench_database(args.orders, args.seed, force=args.force, out=args.out)
    if args.shipping or args.pg:
        started = time.perf_counter()
        parcels = add_shipping(path)
        print(f"  {parcels:,} parcels ({time.perf_counter() - started:.1f} s)")
    if args.pg:
        name = make_url(args.pg).database or ""
        if not name.endswith("_bench"):
            parser.error(f"--pg: the database name must end in _bench (it is emptied): {name}")
        took = copy_to_postgres(path, args.pg, args.out / "home")
        print(f"  copied into {name} in {took:.1f} s")
    print(path)


if __name__ == "__main__":
    main()
