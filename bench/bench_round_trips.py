"""Where a scan's and a claim's time goes on PostgreSQL: round trips and statements per action,
read from the wire (libpq's protocol trace of every connection), and the client's CPU per action.

    python bench/bench_round_trips.py --pg postgresql+psycopg://user:pw@127.0.0.1/packdesk_bench \
        [--orders 24] [--json FILE]

The database is emptied first (its name must end in ``_test`` or ``_bench``). One station runs a
short shift in this process (``packdesk simulate --pick``: Get work, pick scans, pack scans,
weighing, printing, handover); every ``services.run`` call is counted by the service it calls:
calls, round trips to the server per call (each one a request and the wait for its answer:
``BEGIN``, the pool's pre-ping, each statement, ``COMMIT``/``ROLLBACK``), statements per call,
the client's CPU time per call (``time.process_time``: Python, SQLAlchemy, psycopg) and the wall
time per call. Wall minus client CPU is the server's time, the network and waiting for a CPU;
on a loopback with an idle machine each round trip costs some 0.05-0.1 ms, on a busy one each is
a chance to lose the CPU.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import event
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.bootstrap import Services, bootstrap  # noqa: E402
from app.config import Paths, Settings  # noqa: E402
from app.simulate.plan import SimConfig  # noqa: E402
from app.simulate.shift import run_shift  # noqa: E402
from bench.bench_stations import empty  # noqa: E402

#: the services a station calls per scan or press, shown first
KEY_ACTIONS = ("get_work", "pick_scan", "classify", "scan", "open_for_packing", "weigh")


class Wire:
    """libpq's trace of each connection, read as it grows."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.files: list[tuple[Path, TextIO]] = []
        self.read_at: dict[Path, int] = {}

    def attach(self, dbapi_conn: Any, _record: Any) -> None:
        from psycopg import pq

        path = self.folder / f"conn-{len(self.files)}.trace"
        out = path.open("w", encoding="utf-8")
        dbapi_conn.pgconn.trace(out.fileno())
        dbapi_conn.pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS)
        self.files.append((path, out))

    def new_lines(self) -> list[str]:
        lines: list[str] = []
        for path, out in self.files:
            out.flush()
            with path.open(encoding="utf-8", errors="replace") as f:
                f.seek(self.read_at.get(path, 0))
                lines.extend(f.read().splitlines())
                self.read_at[path] = f.tell()
        return lines


def round_trips(lines: list[str]) -> Counter[str]:
    """Round trips by kind, counted on the client's side: each simple Query, and each Sync of
    the extended protocol (Parse/Bind/Execute/Sync: one statement), waits for its answer.
    Kinds: ``BEGIN``, ``COMMIT``, ``ROLLBACK``, ``DEALLOCATE`` (psycopg forgetting its prepared
    statements), ``ping`` (the pool's pre-ping, an empty query) and ``statement``."""
    kinds: Counter[str] = Counter()
    for line in lines:
        parts = line.split("\t")
        if len(parts) < 3 or parts[0] != "F":
            continue
        if parts[2] == "Sync":
            kinds["statement"] += 1
        elif parts[2] == "Query":
            text = parts[3].strip().strip('"').upper() if len(parts) > 3 else ""
            word = text.split()[0] if text.split() else ""
            if word in ("BEGIN", "COMMIT", "ROLLBACK", "DEALLOCATE"):
                kinds[word] += 1
            elif text == ";":
                kinds["ping"] += 1
            else:
                kinds["statement"] += 1
    return kinds


class Counting:
    """``services.run`` counted per service function."""

    def __init__(self, services: Services, wire: Wire) -> None:
        self.services, self.wire = services, wire
        self.run: Callable[..., Any] = services.run
        self.calls: Counter[str] = Counter()
        self.trips: defaultdict[str, Counter[str]] = defaultdict(Counter)
        self.cpu: Counter[str] = Counter()
        self.wall: Counter[str] = Counter()

    def __call__(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        self.wire.new_lines()  # what ran outside a counted call is not counted
        name = getattr(fn, "__name__", str(fn))
        cpu, wall = time.process_time(), time.perf_counter()
        try:
            return self.run(fn, *args, **kwargs)
        finally:
            self.wall[name] += time.perf_counter() - wall
            self.cpu[name] += time.process_time() - cpu
            self.calls[name] += 1
            self.trips[name].update(round_trips(self.wire.new_lines()))


def table(c: Counting) -> list[dict[str, Any]]:
    names = [n for n in KEY_ACTIONS if n in c.calls]
    names += sorted(n for n in c.calls if n not in KEY_ACTIONS)
    rows = []
    for n in names:
        k = c.calls[n]
        trips = c.trips[n]
        rows.append(
            {
                "action": n,
                "calls": k,
                "round_trips": round(sum(trips.values()) / k, 2),
                "statements": round(trips["statement"] / k, 2),
                "by_kind": {kind: round(v / k, 2) for kind, v in sorted(trips.items())},
                "client_cpu_ms": round(c.cpu[n] / k * 1000, 2),
                "wall_ms": round(c.wall[n] / k * 1000, 2),
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pg", required=True)
    ap.add_argument("--orders", type=int, default=24)
    ap.add_argument("--json", metavar="FILE")
    args = ap.parse_args(argv)
    if not (make_url(args.pg).database or "").endswith(("_test", "_bench")):
        ap.error("the database name must end in _test or _bench: it is emptied")
    home = Path(tempfile.mkdtemp(prefix="packdesk-round-trips-"))
    empty(args.pg, home / "reset")
    services = bootstrap(
        Settings(db_url=args.pg, station="sim-pack-01"), Paths(home / "c", home / "d", home / "l")
    )
    services.engine.dispose()
    wire = Wire(home)
    event.listen(services.engine, "connect", wire.attach)
    counting = Counting(services, wire)
    services.run = counting  # type: ignore[method-assign]
    cfg = SimConfig(orders=args.orders, pick=True, db_url=args.pg, progress=False)
    (home / "shift").mkdir()
    run_shift(services, cfg, home / "shift")
    rows = table(counting)
    head = f"{'action':<28} {'calls':>6} {'trips':>6} {'stmts':>6} {'cpu ms':>7} {'wall ms':>8}"
    print(head + "  kinds")
    for r in rows:
        kinds = " ".join(f"{k}={v:g}" for k, v in r["by_kind"].items())
        print(
            f"{r['action']:<28} {r['calls']:>6} {r['round_trips']:>6} {r['statements']:>6} "
            f"{r['client_cpu_ms']:>7} {r['wall_ms']:>8}  {kinds}"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2), encoding="utf-8")
    services.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
