"""A whole shift as a benchmark: ``packdesk simulate`` through the command line, on SQLite with
one station and on PostgreSQL with several station processes.

    python bench/bench_simulate.py [--orders 1000] [--pg postgresql+psycopg://.../db_bench]
                                   [--stations 8] [--pg-orders 1000] [--pick]

Each run starts from an empty database (a fresh SQLite file; the PostgreSQL database is
emptied first, so its name must end in ``_test`` or ``_bench``), so the demo warehouse is made
first, then the shift runs: intake of a Shopify file, allocation, packing with item scans and
the emulated scale, labels to the ZPL printer emulator on loopback TCP and slips to a folder
through the print queue, handover, manifests, tracking export.

Printed per run, from the command's ``--json``: orders per minute of the packing phase,
application seconds per order (the app's service calls only: the emulated people do not
pause, and the scale's settling and the printer's receipt are counted apart), the scans'
time from the call to the committed answer (p50/p99; goal on PostgreSQL with 8 stations:
p99 <= 50 ms), and the machine's load average before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, make_url, text

ROOT = Path(__file__).resolve().parents[1]
P99_GOAL_MS = 50.0


def empty_pg(url: str) -> None:
    name = make_url(url).database or ""
    if not name.endswith(("_test", "_bench")):
        raise SystemExit(f"refusing to empty {name!r}: its name must end in _test or _bench")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()


def simulate(url: str, home: Path, *args: str) -> dict[str, Any]:
    env = dict(os.environ, PACKDESK_HOME=str(home))
    env.pop("PACKDESK_DB", None)
    cmd = [sys.executable, "-m", "ui.launcher", "--db", url, "simulate", "--json", *args]
    out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"simulate failed ({out.returncode}): {out.stderr[-2000:]}")
    data: dict[str, Any] = json.loads(out.stdout)
    return data


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f}/{five:.1f} on {os.cpu_count()} cores"


def report(label: str, data: dict[str, Any], before: str) -> None:
    scan = data["scan_to_commit_ms"]
    goal = "" if data["stations"] == 1 else (
        f" (goal <= {P99_GOAL_MS:g} ms: {'met' if scan['p99'] <= P99_GOAL_MS else 'NOT met'})"
    )  # fmt: skip
    print(
        f"{label}: {data['orders_packed']} orders packed, {data['orders_shipped']} shipped, "
        f"{data['stations']} station(s)\n"
        f"  {data['orders_per_minute']:.1f} orders/min packing ({data['pack_wall_s']:.0f} s); "
        f"wall {data['wall_s']:.0f} s\n"
        f"  app seconds per order {data['app_seconds_per_order']:.3f}; by step "
        f"{data['app_seconds_by_step']}\n"
        f"  scan to commit: n {scan['n']}, p50 {scan['p50']} ms, p99 {scan['p99']} ms, "
        f"max {scan['max']} ms{goal}\n"
        f"  refused {data['scans_refused']} (planned {data['scans_refused_planned']}), "
        f"exceptions {data['exceptions']}, non-scan inputs {data['non_scan_inputs']}\n"
        f"  {before} before, {load()} after"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--orders", type=int, default=1000, help="orders of the SQLite run")
    ap.add_argument("--pg", help="a PostgreSQL database URL (emptied first)")
    ap.add_argument("--stations", type=int, default=8, help="stations of the PostgreSQL run")
    ap.add_argument("--pg-orders", type=int, default=1000, help="orders of the PostgreSQL run")
    ap.add_argument("--pick", action="store_true", help="wave and pick before packing")
    ap.add_argument("--skip-sqlite", action="store_true")
    args = ap.parse_args()
    extra = ["--pick"] if args.pick else []
    if not args.skip_sqlite:
        tmp = Path(tempfile.mkdtemp(prefix="packdesk-bench-sim-"))
        before = load()
        data = simulate(
            f"sqlite:///{tmp / 'shift.sqlite'}", tmp, "--quiet", "--orders", str(args.orders),
            "--out", str(tmp / "out"), *extra,
        )  # fmt: skip
        report("SQLite", data, before)
    if args.pg:
        empty_pg(args.pg)
        tmp = Path(tempfile.mkdtemp(prefix="packdesk-bench-sim-pg-"))
        before = load()
        data = simulate(
            args.pg, tmp, "--quiet", "--orders", str(args.pg_orders), "--stations",
            str(args.stations), "--out", str(tmp / "out"), *extra,
        )  # fmt: skip
        report(f"PostgreSQL, {args.stations} stations", data, before)


if __name__ == "__main__":
    main()
