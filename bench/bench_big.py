#!/usr/bin/env python3
"""The main queries on a big database: time, plan, and any full scan of a large table.

    .venv/bin/python bench/bench_big.py --db sqlite:///bench/out/orders_1000000.sqlite
    .venv/bin/python bench/bench_big.py --db postgresql+psycopg://packdesk:packdesk@127.0.0.1/packdesk_bench
        [--runs 5] [--only "orders list"] [--plans] [--save before.json] [--compare before.json]

Every probe of ``bench/big_probes.py`` (the Orders list and count for each filter and search,
the order detail, the Review queue, wave planning, pick claim, pack open by order number /
channel id / tote, the handover's missing list, the tracking export, the dashboard, delivery
exceptions, the returns lookup) runs once while the SQL it sends is recorded, then ``--runs``
times for its median and worst time. Each SELECT it sent is explained: ``EXPLAIN (ANALYZE,
BUFFERS)`` on PostgreSQL, ``EXPLAIN QUERY PLAN`` on SQLite. A sequential scan of a large table
(``Seq Scan on orders``, ``SCAN orders`` without an index) is flagged ``FULL SCAN``; ``--plans``
prints every plan, otherwise only the flagged ones. ``--save`` writes the figures as JSON,
``--compare`` prints them beside an earlier run's (before/after an index). ``--pretend-big``
(SQLite) explains with the statistics of a million-order database written into the small one:
it finds the queries on tables the demo data leaves empty (pack sessions, returns, audit log).

Build the databases first with ``bench/make_bench_db.py --orders 1000000 --shipping --pg URL``.
Opening a database through the app migrates it to the newest revision.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from big_probes import Probe, all_probes  # noqa: E402
from sqlalchemy import Engine, event  # noqa: E402

from app.bootstrap import Services, bootstrap  # noqa: E402
from app.config import Paths, Settings  # noqa: E402

#: tables that grow with the orders: a full scan of one of them is a defect at 1,000,000 orders
BIG_TABLES = frozenset((
    "orders", "order_lines", "addresses", "customers", "order_status_history", "order_holds",
    "order_external_refs", "parcels", "pack_items", "pack_sessions", "tracking_events",
    "stock_ledger", "reservations", "wave_orders", "pick_tasks", "delivery_exceptions",
    "audit_log", "returns", "return_lines", "tracking_exports", "notices", "print_jobs",
))  # fmt: skip
_PG_SEQ = re.compile(r"Seq Scan on (\w+)")
_SQLITE_SCAN = re.compile(r"\bSCAN (\w+)(?: AS \w+)?(?! USING)")
_ALIAS = re.compile(r"^(\w+?)_\d+$")
_LIST = re.compile(r"(?:(?:\?|%\(\w+\)s), ){3,}")


@dataclass
class Statement:
    sql: str
    params: Any
    plan: list[str] = field(default_factory=list)
    full_scans: list[str] = field(default_factory=list)


@dataclass
class Result:
    name: str
    median_ms: float
    worst_ms: float
    statements: list[Statement]

    @property
    def full_scans(self) -> list[str]:
        return sorted({t for s in self.statements for t in s.full_scans})


class Recorder:
    """The statements an engine sends while ``on``."""

    def __init__(self, engine: Engine) -> None:
        self.on = False
        self.seen: list[Statement] = []
        event.listen(engine, "before_cursor_execute", self._record)

    def _record(self, _conn: Any, _cur: Any, sql: str, params: Any, _ctx: Any, many: bool) -> None:
        if self.on and not many and sql.lstrip().upper().startswith(("SELECT", "WITH")):
            self.seen.append(Statement(sql, params))


def _newest_first(sql: str, table: str) -> bool:
    """SQLite says ``SCAN orders`` for a walk along the rowid, newest first, that stops at the
    LIMIT (the Orders list's keyset page): not a full read."""
    return re.search(rf"ORDER BY {table}\.id DESC\s+LIMIT", sql) is not None


def _big(table: str) -> str | None:
    m = _ALIAS.match(table)
    name = m.group(1) if m and m.group(1) in BIG_TABLES else table
    return name if name in BIG_TABLES else None


def pretend_big(cur: Any, rows: int = 1_000_000) -> None:
    """SQLite: statistics saying every big table holds ``rows`` rows (10 per value of an index's
    first column), reloaded for this connection: plans as on a big database, on a small one.
    The test ``tests/integration/test_query_plans.py`` does the same."""
    cur.execute("PRAGMA query_only = OFF")
    cur.execute("ANALYZE")
    for table in BIG_TABLES:
        cur.execute("DELETE FROM sqlite_stat1 WHERE tbl = ?", (table,))
        cur.execute("INSERT INTO sqlite_stat1 VALUES (?, NULL, ?)", (table, str(rows)))
        for _seq, name, unique, _origin, _partial in cur.execute(
            f"PRAGMA index_list({table})"
        ).fetchall():
            width = len(cur.execute(f"PRAGMA index_info({name})").fetchall())
            stat = [rows] + [1 if unique else 10] * (width - 1) + [1]
            cur.execute(
                "INSERT INTO sqlite_stat1 VALUES (?, ?, ?)",
                (table, name, " ".join(map(str, stat[: width + 1]))),
            )
    cur.execute("ANALYZE sqlite_schema")


def explain(services: Services, st: Statement, pretend: bool = False) -> None:
    """Fill ``st.plan`` and ``st.full_scans`` (rolled back: the statement changes nothing)."""
    raw = services.engine.raw_connection()
    try:
        cur = raw.cursor()
        if pretend and not services.shared:
            pretend_big(cur)
        if services.shared:
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + st.sql, st.params)
            st.plan = [r[0] for r in cur.fetchall()]
            found = (_big(m.group(1)) for line in st.plan for m in _PG_SEQ.finditer(line))
        else:
            cur.execute("EXPLAIN QUERY PLAN " + st.sql, st.params)
            st.plan = [str(r[3]) for r in cur.fetchall()]
            found = (_big(m.group(1)) for line in st.plan for m in _SQLITE_SCAN.finditer(line))
        st.full_scans = sorted({t for t in found if t and not _newest_first(st.sql, t)})
        cur.close()
    finally:
        raw.rollback()
        raw.close()


def measure(
    services: Services, name: str, probe: Probe, rec: Recorder, runs: int, pretend: bool = False
) -> Result:
    rec.on, rec.seen = True, []
    probe()  # warm-up, recorded
    rec.on = False
    seen = {s.sql: s for s in rec.seen}  # once per distinct statement
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        probe()
        times.append((time.perf_counter() - t) * 1000)
    for st in seen.values():
        explain(services, st, pretend)
    return Result(name, statistics.median(times), max(times), list(seen.values()))


def report(results: list[Result], plans: bool, before: dict[str, Any]) -> None:
    head = f"{'query':<42}{'median':>9}{'worst':>9}"
    print(head + (f"{'before':>9}" if before else "") + "  full scans of large tables")
    for r in results:
        was = before.get(r.name, {}).get("median_ms")
        cell = (f"{was:>9.1f}" if was is not None else f"{'':>9}") if before else ""
        flag = ("FULL SCAN " + ", ".join(r.full_scans)) if r.full_scans else "ok"
        print(f"{r.name:<42}{r.median_ms:>9.1f}{r.worst_ms:>9.1f}{cell}  {flag}")
    for r in results:
        shown = [s for s in r.statements if plans or s.full_scans]
        for st in shown:
            sql = _LIST.sub("...", " ".join(st.sql.split()))
            print(f"\n--- {r.name}: {sql[:700]}")
            print("\n".join("    " + line for line in st.plan))


def open_services(url: str) -> Services:
    home = ROOT / "bench" / "out" / "home"
    return bootstrap(
        Settings(db_url=url, station="bench"),
        Paths(home / "config", home / "data", home / "logs"),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="database URL (SQLite file or PostgreSQL)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", default="", help="only the probes whose name contains this")
    parser.add_argument("--skip", default="", help="leave out the probes whose name has this")
    parser.add_argument("--plans", action="store_true", help="print every plan")
    parser.add_argument(
        "--pretend-big",
        action="store_true",
        help="SQLite: explain with statistics of a million-order database (the data stays small)",
    )
    parser.add_argument("--save", type=Path, help="write the figures to this JSON file")
    parser.add_argument("--compare", type=Path, help="an earlier --save file to compare with")
    args = parser.parse_args()
    services = open_services(args.db)
    try:
        rec = Recorder(services.engine)
        sample, probes = all_probes(services)
        print(f"{services.database_label}: sample {sample}\n")
        results = []
        for name, probe in probes.items():
            if args.only in name and not (args.skip and args.skip in name):
                results.append(measure(services, name, probe, rec, args.runs, args.pretend_big))
                r = results[-1]
                print(f"  {name:<40}{r.median_ms:>9.1f} ms", file=sys.stderr, flush=True)
    finally:
        services.close()
    before = json.loads(args.compare.read_text()) if args.compare else {}
    report(results, args.plans, before)
    if args.save:
        args.save.write_text(
            json.dumps(
                {
                    r.name: {
                        "median_ms": round(r.median_ms, 2),
                        "worst_ms": round(r.worst_ms, 2),
                        "full_scans": r.full_scans,
                    }
                    for r in results
                },
                indent=1,
            )
        )


if __name__ == "__main__":
    main()
