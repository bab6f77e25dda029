"""Many stations on one PostgreSQL: N station processes pick, pack and ship at 10 times human
speed for a bounded time; no batch claimed twice, no tracking number used twice, and how many
connections the database really had to hold.

    python bench/bench_stations.py --pg postgresql+psycopg://user:pw@127.0.0.1/packdesk_bench \
        [--stations 50] [--minutes 5] [--pace-ms 200] [--pace-jitter 0.5] [--orders N]
        [--seed 1] [--json FILE] [--wave-orders N]

The database is emptied first (never point it at real data: its name must end in ``_test`` or
``_bench``). Then ``packdesk simulate --pick --stations N --minutes M --pace-ms P`` runs the
shift (``app/simulate/``, docs/simulate.md): the demo warehouse, the orders imported from a
Shopify file, allocated, waved and released; each station process logs a picker and a packer
in, sets its emulated scale and label printer up and waits at the start line; then all start at
once and, until the deadline, press Get work, pick the batch by scans, pack its orders by scans
and the scale, and print labels and slips; each station then finishes the batch in hand. The
shipper hands the packed parcels over and closes the manifests.

Human speed: a scan every ``HUMAN_SCAN_S`` (2 s: pick the item up, scan, put it down, at a pick
cart or a pack bench); at 10 times that each station pauses 200 ms before each scan and each
press on average. The pause is never inside a measured time. People do not scan in step: by
default each pause is drawn from 100 to 300 ms (``--pace-jitter 0.5``, seeded per station);
``--pace-jitter 0`` makes every pause 200 ms, and the stations, started together, then wake
together, K scans at once every 200 ms.

While the stations run, a sampler counts this database's sessions in ``pg_stat_activity`` four
times a second (its own session, and those open before the run, such as a test's own, left
out): ``connections_used`` is the peak, and
``connections_per_station_max`` the most one station held at once (stations are told apart by
their ``application_name``, ``packdesk:<station>:<pid>``). After the run the server is asked for
tracking numbers on two live parcels and batches claimed twice (two ``batch.claim`` audit rows).

The reference: a process of its own waits the stations' pace and then runs a fixed piece of
pure-Python work (``reference_job``, some 5 ms on an idle core), again and again while the
stations run. What the machine gives that job under the stations' load (and how late its
wake-ups come) is what the scans' figures are read against: a scan is Python work too, plus
its round trips to the server, each a wake-up. ``scan_p99_over_reference_p99`` compares
machines and runs better than the scans' p99 alone.

Printed, and written as JSON (``--json``; the keys are a contract: added, never renamed):
``stations``, ``seconds``, ``scans``, ``scan_to_commit_ms_p50`` / ``_p95`` / ``_p99`` / ``_max``,
``claims``, ``claims_per_second``, ``duplicate_claims``, ``tracking_numbers_used_twice``,
``connections_used``, ``orders_packed``, ``orders_shipped``, ``errors``,
``reference_ms_alone`` / ``_p50`` / ``_p99``, ``wakeup_late_ms_p99``,
``scan_p99_over_reference_p99``, and more (below).

What the machine had to give: the sampler also reads the whole machine's CPU time (Linux
``/proc/stat``; elsewhere these are 0). ``cpu_cores`` is the machine's cores;
``cpu_busy_cores`` the cores busy on average while the stations packed (the stations, the
database server, the reference job, everything; time a virtual machine's host gave to others
counts as busy, as it was not ours); ``cpu_ms_per_scan`` that busy time divided by the scans
(so it carries each scan's share of the weighing, printing and Get work around it);
``server_cpu_ms_per_scan`` the part of it the PostgreSQL server's processes used (when the
server runs on this machine, as on a loopback); ``scans_per_station_second`` the pace the
stations kept. A run whose ``cpu_busy_cores`` is near ``cpu_cores`` was limited by the
machine; for a run that was not, ``stations`` x ``scans_per_station_second`` x
``cpu_ms_per_scan`` says how many cores more stations at the same pace need.
Exit status 1 when any of the "must be 0" figures is not, or the shift failed.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.bootstrap import bootstrap  # noqa: E402
from app.config import ENV_DB, ENV_HOME, Paths, Settings  # noqa: E402
from app.db.engine import APP_NAME_PREFIX  # noqa: E402
from app.db.models import Base  # noqa: E402
from app.simulate.pace import Pace  # noqa: E402
from app.simulate.plan import HUMAN_SCAN_S  # noqa: E402

SAMPLE_S = 0.25
#: the reference job's size (``reference_job``)
REFERENCE_LOOPS = 60_000
#: orders per station and minute that a station can reach at 10x speed (a rough figure for
#: ``--orders`` when not given: a few more than the stations can pack, so none runs dry)
ORDERS_PER_STATION_MINUTE = 30


def empty(url: str, home: Path) -> None:
    """Migrate (an empty database gets the schema) and empty every table but the roles."""
    services = bootstrap(
        Settings(db_url=url, station="bench-reset"), Paths(home / "c", home / "d", home / "l")
    )
    names = ", ".join(t.name for t in Base.metadata.sorted_tables if t.name != "roles")
    with services.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    services.close()


class Sampler(threading.Thread):
    """The peak of this database's sessions (all, and per station) while the run lasts. The
    sessions already open when it is made (another program's, a test's own) are not the run's
    and are left out."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.engine = create_engine(url, poolclass=NullPool)
        self.stop = threading.Event()
        self.peak = 0
        self.per_app: Counter[str] = Counter()
        self.samples = 0
        #: (time, busy, total) of the machine's CPU (``/proc/stat``, in clock ticks)
        self.cpu: list[tuple[float, int, int]] = []
        #: (time, {pid: CPU ticks}) of the database server's processes on this machine
        self.server: list[tuple[float, dict[int, int]]] = []
        with self.engine.connect() as conn:
            self.before: list[int] = list(
                conn.scalars(
                    text(
                        "SELECT pid FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
                )
            )

    def run(self) -> None:
        query = text(
            "SELECT application_name, count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND pid <> ALL(CAST(:before AS integer[])) "
            "GROUP BY application_name"
        )
        with self.engine.connect() as conn:
            while not self.stop.is_set():
                rows = conn.execute(query, {"before": self.before}).tuples().all()
                conn.rollback()
                self.samples += 1
                if (ticks := machine_cpu()) is not None:
                    self.cpu.append((time.time(), *ticks))
                    self.server.append((time.time(), server_cpu()))
                self.peak = max(self.peak, sum(n for _, n in rows))
                for app, n in rows:
                    self.per_app[app] = max(self.per_app[app], n)
                self.stop.wait(SAMPLE_S)
        self.engine.dispose()


def machine_cpu() -> tuple[int, int] | None:
    """The machine's CPU time so far, busy and in all, in clock ticks over all cores (the first
    line of Linux's ``/proc/stat``: idle and waiting for I/O are not busy); None elsewhere."""
    try:
        with open("/proc/stat", encoding="ascii") as f:
            ticks = [int(v) for v in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)
    total = sum(ticks[:8])  # guest time is counted in user time already
    return total - idle, total


def server_cpu() -> dict[int, int]:
    """The CPU time so far (user and system, in clock ticks) of each PostgreSQL process on this
    machine (Linux ``/proc/<pid>/stat``; empty elsewhere, or when the server is on another
    machine)."""
    found: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text(encoding="ascii", errors="replace")
        except OSError:
            continue  # the process ended meanwhile
        name, _, rest = text.partition(" (")[2].rpartition(") ")
        if name == "postgres":
            fields = rest.split()
            found[int(stat.parent.name)] = int(fields[11]) + int(fields[12])
    return found


def server_ticks(samples: list[tuple[float, dict[int, int]]], begin: float, end: float) -> int:
    """The server's CPU ticks between ``begin`` and ``end``: for each process, its last reading
    inside the window less its reading at the window's first sample (0 for a process that
    started later)."""
    inside = [by_pid for at, by_pid in samples if begin <= at <= end]
    if len(inside) < 2:
        return 0
    last: dict[int, int] = {}
    for by_pid in inside:
        last.update(by_pid)
    return sum(ticks - inside[0].get(pid, 0) for pid, ticks in last.items())


def machine_figures(
    sampler: Sampler, begin: float, end: float, data: dict[str, Any]
) -> dict[str, Any]:
    """The machine's busy cores between ``begin`` and ``end`` (while the stations packed), its
    busy milliseconds per scan, the database server's share of them and the scans each station
    made per second."""
    inside = [s for s in sampler.cpu if begin <= s[0] <= end]
    cores = os.cpu_count() or 1
    busy_cores = 0.0
    if len(inside) >= 2:
        (_, b0, n0), (_, b1, n1) = inside[0], inside[-1]
        busy_cores = (b1 - b0) / (n1 - n0) * cores if n1 > n0 else 0.0
    scans, seconds, stations = data["scans"], data["seconds"], data["stations"]
    busy_ms = busy_cores * seconds * 1000
    tick_hz = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    server_ms = server_ticks(sampler.server, begin, end) * 1000 / tick_hz
    return {
        "cpu_cores": cores,
        "cpu_busy_cores": round(busy_cores, 2),
        "cpu_ms_per_scan": round(busy_ms / scans, 2) if scans else 0.0,
        "server_cpu_ms_per_scan": round(server_ms / scans, 2) if scans else 0.0,
        "scans_per_station_second": round(scans / seconds / stations, 2) if seconds else 0.0,
    }


def reference_job() -> int:
    """A fixed piece of pure-Python work (some 5 ms on an idle core of this machine): what
    the machine gives a job of that size while the stations run is the reference the scans'
    figures are read against (a scan is Python work and waits for the server)."""
    x = 0
    for i in range(REFERENCE_LOOPS):
        x += i * i % 7
    return x


def reference_probe(pace_s: float, jitter: float, stop: Any, out: Any) -> None:
    """In its own process, until ``stop`` is set: wait a pause as a station does (``Pace``),
    note how late the wake-up was, time the reference job; (wall clock, job ms, late ms) rows
    to ``out``."""
    rows = []
    pace = Pace(pace_s, jitter=jitter, rng=random.Random("reference"))
    while not stop.is_set():
        pause = pace.pause()
        t0 = time.perf_counter()
        time.sleep(pause)
        late = (time.perf_counter() - t0 - pause) * 1000
        t1 = time.perf_counter()
        reference_job()
        rows.append((time.time(), (time.perf_counter() - t1) * 1000, late))
    out.put(rows)


def reference_alone(n: int = 21) -> float:
    """The reference job's median time on this machine before the shift starts."""
    times = []
    for _ in range(n):
        t = time.perf_counter()
        reference_job()
        times.append((time.perf_counter() - t) * 1000)
    return round(statistics.median(times), 2)


def server_checks(url: str) -> dict[str, int]:
    """Asked of the server after the run: what must never happen."""
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as conn:
        twice_on_parcels = conn.scalar(
            text(
                "SELECT count(*) FROM (SELECT 1 FROM parcels WHERE voided_at IS NULL "
                "AND tracking_number IS NOT NULL GROUP BY carrier_id, tracking_number "
                "HAVING count(*) > 1) d"
            )
        )
        twice_in_pools = conn.scalar(
            text(
                "SELECT count(*) FROM (SELECT 1 FROM tracking_numbers GROUP BY carrier_id, "
                "number HAVING count(*) > 1) d"
            )
        )
        claimed_twice = conn.scalar(
            text(
                "SELECT count(*) FROM (SELECT 1 FROM audit_log WHERE action = 'batch.claim' "
                "GROUP BY entity_id HAVING count(*) > 1) d"
            )
        )
    engine.dispose()
    return {
        "tracking_numbers_used_twice": int(twice_on_parcels or 0) + int(twice_in_pools or 0),
        "batches_claimed_twice_on_server": int(claimed_twice or 0),
    }


def run_shift(args: argparse.Namespace, orders: int, out: Path) -> tuple[int, str, str]:
    env = dict(os.environ, **{ENV_HOME: str(out / "home")})
    env.pop(ENV_DB, None)
    cmd = [
        sys.executable, "-m", "ui.launcher", "--db", args.pg, "simulate", "--json", "--quiet",
        "--pick", "--stations", str(args.stations), "--minutes", str(args.minutes),
        "--pace-ms", str(args.pace_ms), "--pace-jitter", str(args.pace_jitter),
        "--orders", str(orders), "--seed", str(args.seed),
        "--wave-orders", str(args.wave_orders), "--out", str(out / "shift"),
    ]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    return proc.returncode, proc.stdout, proc.stderr


def figures(
    args: argparse.Namespace, shift: dict[str, Any], sampler: Sampler, server: dict[str, int]
) -> dict[str, Any]:
    scan = shift.get("scan_to_commit_ms", {})
    claim = shift.get("claim_ms", {})
    stations = {a: n for a, n in sampler.per_app.items() if a.startswith(APP_NAME_PREFIX)}
    return {
        "stations": args.stations,
        "seconds": shift.get("pack_wall_s", 0.0),
        "scans": shift.get("scans", 0),
        "scan_to_commit_ms_p50": scan.get("p50", 0.0),
        "scan_to_commit_ms_p95": scan.get("p95", 0.0),
        "scan_to_commit_ms_p99": scan.get("p99", 0.0),
        "scan_to_commit_ms_max": scan.get("max", 0.0),
        "scan_to_commit_ms_by_kind": shift.get("scan_to_commit_ms_by_kind", {}),
        "scan_to_commit_ms_by_step": shift.get("scan_to_commit_ms_by_step", {}),
        "scan_cpu_ms_by_step": shift.get("scan_cpu_ms_by_step", {}),
        "claims": shift.get("claims", 0),
        "claims_per_second": shift.get("claims_per_second", 0.0),
        "claim_ms_p50": claim.get("p50", 0.0),
        "claim_ms_p99": claim.get("p99", 0.0),
        "duplicate_claims": shift.get("duplicate_claims", 0)
        + server["batches_claimed_twice_on_server"],
        "tracking_numbers_used_twice": server["tracking_numbers_used_twice"],
        "connections_used": sampler.peak,
        "connections_per_station_max": max(stations.values(), default=0),
        "station_sessions_seen": len(stations),
        "orders": shift.get("orders", 0),
        "orders_packed": shift.get("orders_packed", 0),
        "orders_shipped": shift.get("orders_shipped", 0),
        "scans_refused": shift.get("scans_refused", 0),
        "scans_refused_planned": shift.get("scans_refused_planned", 0),
        "refused_without_reason": shift.get("refused_without_reason", 0),
        "pace_ms": args.pace_ms,
        "pace_jitter": args.pace_jitter,
        "human_scan_s": HUMAN_SCAN_S,
        "minutes": args.minutes,
        "samples": sampler.samples,
        "shift_wall_s": shift.get("wall_s", 0.0),
        "shift_setup_s": shift.get("setup_s", 0.0),
        "app_seconds_by_step": shift.get("app_seconds_by_step", {}),
        "errors": 0,
        "error_messages": [],
    }


def pack_began(started: float, shift: dict[str, Any]) -> float:
    """When the stations started packing (the shift's start line), in ``time.time()``."""
    at = shift.get("pack_started_at")
    return float(at) if at else started + float(shift.get("setup_s", 0.0))


def reference_figures(
    alone: float,
    rows: list[tuple[float, float, float]],
    started: float,
    shift: dict[str, Any],
    data: dict[str, Any],
) -> dict[str, Any]:
    """The reference job's figures while the stations worked (the shift's set-up and the
    handover after it left out), and the scans' p99 as a multiple of the reference's."""
    begin = pack_began(started, shift)
    end = begin + float(shift.get("pack_wall_s", 0.0))
    inside = [(job, late) for at, job, late in rows if begin <= at <= end] or [
        (job, late) for _, job, late in rows
    ]
    jobs = sorted(job for job, _ in inside)
    lates = sorted(late for _, late in inside)

    def pct(values: list[float], p: float) -> float:
        return round(values[min(len(values) - 1, int(len(values) * p / 100))], 2) if values else 0.0

    ref_p99 = pct(jobs, 99)
    scan_p99 = float(data.get("scan_to_commit_ms_p99", 0.0))
    return {
        "reference_ms_alone": alone,
        "reference_ms_p50": pct(jobs, 50),
        "reference_ms_p99": ref_p99,
        "reference_samples": len(jobs),
        "wakeup_late_ms_p99": pct(lates, 99),
        "scan_p99_over_reference_p99": round(scan_p99 / ref_p99, 2) if ref_p99 else 0.0,
    }


def _cpu(data: dict[str, Any], step: str) -> str:
    """The station's own CPU for a step's scans (the rest of their time was waiting)."""
    cpu = data.get("scan_cpu_ms_by_step", {}).get(step)
    return f"; own CPU p50 {cpu['p50']} ms, p99 {cpu['p99']}" if cpu else ""


def show(data: dict[str, Any]) -> str:
    return "\n".join(
        [
            f"{data['stations']} stations, {data['seconds']:.0f} s, pace {data['pace_ms']} ms "
            f"(a scan every {data['human_scan_s']:g} s at 10x), jitter {data['pace_jitter']}",
            f"  scans {data['scans']}: scan to commit p50 {data['scan_to_commit_ms_p50']} ms, "
            f"p95 {data['scan_to_commit_ms_p95']}, p99 {data['scan_to_commit_ms_p99']}, "
            f"max {data['scan_to_commit_ms_max']}",
            *(
                f"    at the {kind} bench: {d['n']} scans, p50 {d['p50']} ms, p99 {d['p99']}"
                for kind, d in data["scan_to_commit_ms_by_kind"].items()
            ),
            *(
                f"      {step}: {d['n']} scans, p50 {d['p50']} ms, p99 {d['p99']}, max {d['max']}"
                f"{_cpu(data, step)}"
                for step, d in data["scan_to_commit_ms_by_step"].items()
            ),
            f"  claims {data['claims']} ({data['claims_per_second']}/s), claim p50 "
            f"{data['claim_ms_p50']} ms p99 {data['claim_ms_p99']}; duplicate claims "
            f"{data['duplicate_claims']}; tracking numbers used twice "
            f"{data['tracking_numbers_used_twice']}",
            f"  connections used (peak) {data['connections_used']}, at most "
            f"{data['connections_per_station_max']} per station",
            f"  orders {data['orders']}: packed {data['orders_packed']}, shipped "
            f"{data['orders_shipped']}; refused scans {data['scans_refused']} (planned "
            f"{data['scans_refused_planned']}, without a reason {data['refused_without_reason']})",
            f"  reference job (pure Python, {data.get('reference_ms_alone', 0)} ms alone) while "
            f"the stations ran: p50 {data.get('reference_ms_p50', 0)} ms, p99 "
            f"{data.get('reference_ms_p99', 0)}; a wake-up {data.get('wakeup_late_ms_p99', 0)} ms "
            f"late at p99; scan p99 / reference p99 {data.get('scan_p99_over_reference_p99', 0)}",
            f"  the machine: {data.get('cpu_busy_cores', 0)} of {data.get('cpu_cores', 0)} cores "
            f"busy while the stations packed, {data.get('cpu_ms_per_scan', 0)} ms of CPU per "
            f"scan ({data.get('server_cpu_ms_per_scan', 0)} of them the database server's), "
            f"{data.get('scans_per_station_second', 0)} scans per station and second",
            f"  errors {data['errors']}: {'; '.join(data['error_messages']) or 'none'}",
        ]
    )


def failed(data: dict[str, Any]) -> bool:
    must_be_0 = ("duplicate_claims", "tracking_numbers_used_twice", "errors")
    return any(data[k] for k in (*must_be_0, "refused_without_reason"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pg", required=True, help="PostgreSQL URL (database name *_test/*_bench)")
    ap.add_argument("--stations", type=int, default=50)
    ap.add_argument("--minutes", type=float, default=5.0)
    ap.add_argument("--pace-ms", type=int, default=int(HUMAN_SCAN_S * 1000 / 10))
    ap.add_argument(
        "--pace-jitter",
        type=float,
        default=0.5,
        help="each pause varies by up to this share either way (default 0.5; 0: every station "
        "waits the same pause and they wake together)",
    )
    ap.add_argument("--orders", type=int, default=0, help="orders imported (default: enough)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--wave-orders", type=int, default=0, help="most orders per wave (0: a full cart, 12)"
    )
    ap.add_argument("--json", metavar="FILE", help="write the figures there too")
    args = ap.parse_args(argv)
    if not (make_url(args.pg).database or "").endswith(("_test", "_bench")):
        ap.error("the database name must end in _test or _bench: it is emptied")
    orders = args.orders or max(20, int(args.stations * args.minutes * ORDERS_PER_STATION_MINUTE))
    out = Path(tempfile.mkdtemp(prefix="packdesk-bench-stations-"))
    empty(args.pg, out / "reset")
    alone = reference_alone()
    sampler = Sampler(args.pg)
    sampler.start()
    ctx = multiprocessing.get_context("spawn")
    stop, rows_out = ctx.Event(), ctx.Queue()
    probe = ctx.Process(
        target=reference_probe, args=(args.pace_ms / 1000, args.pace_jitter, stop, rows_out)
    )
    probe.start()
    started = time.time()
    try:
        rc, stdout, stderr = run_shift(args, orders, out)
    finally:
        sampler.stop.set()
        sampler.join()
        stop.set()
        probe_rows = rows_out.get(timeout=30)
        probe.join()
    shift: dict[str, Any] = json.loads(stdout) if rc == 0 and stdout.strip() else {}
    data = figures(args, shift, sampler, server_checks(args.pg))
    data.update(reference_figures(alone, probe_rows, started, shift, data))
    begin = pack_began(started, shift)
    data.update(machine_figures(sampler, begin, begin + data["seconds"], data))
    if rc != 0:
        data["errors"] = 1
        data["error_messages"] = (stderr.strip().splitlines() or [f"exit status {rc}"])[-1:]
    print(show(data))
    if args.json:
        Path(args.json).write_text(json.dumps(data, indent=2), encoding="utf-8")
    return 1 if failed(data) else 0


if __name__ == "__main__":
    raise SystemExit(main())
