"""The whole shift: set-up, intake, allocation, packing at K stations, shipping, the figures.

With ``--stations K`` above 1, each station is a process of its own (``packdesk simulate
--worker PLAN``) on the same database, as K PCs are: the stations all go down the same list
of orders from different starting points and open each order by scanning it, so the pack
station's own claim (one open session per order, enforced by the database) decides which
station packs which order. An order another station opened first is left to it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import app
from app.bootstrap import Services
from app.domain.users import Actor, Role
from app.services import order_actions, order_intake, stock
from app.simulate import report, start_line, world
from app.simulate.orders_file import FileOrder, make_orders, write_shopify
from app.simulate.pick import make_waves
from app.simulate.plan import SimConfig, SimulationFailed, Tally
from app.simulate.ship_steps import ShipReport, ship
from app.simulate.work import WorkerPlan, rows, work

SUPERVISOR = "supervisor"
#: how a station's failure starts (its detail follows)
STOPPED = SimulationFailed.template.split("{")[0]


@dataclass
class Intake:
    orders: list[FileOrder]
    numbers: dict[str, str]
    imported: int
    held: int
    allocated: int
    file: Path


def run_shift(services: Services, cfg: SimConfig, out_dir: Path) -> dict[str, Any]:
    """Run the shift; the JSON summary. Raises ``SimulationFailed`` at the first surprise."""
    started = time.perf_counter()
    tally = Tally()
    created, admin, packers, pickers = _setup(services, cfg, tally)
    setup_s = time.perf_counter() - started
    intake = _intake(services, admin, cfg, out_dir, tally)
    bar = report.Progress("packing", len(intake.numbers), enabled=cfg.progress)
    if cfg.pick:
        make_waves(services, admin, list(intake.numbers.values()), tally, cfg.wave_orders)
    deadline = time.time() + cfg.minutes * 60 if cfg.minutes > 0 else 0.0
    plans = _plans(cfg, intake, packers, pickers, deadline)
    pack_t = time.perf_counter()
    if cfg.stations <= 1:
        tallies = [work(services, plans[0], on_packed=bar.step)]
    else:
        tallies, pack_t = _pack_in_processes(services, cfg, plans, out_dir, intake, bar)
    for one in tallies:
        tally.merge(one)
    pack_s = time.perf_counter() - pack_t
    pack_started_at = time.time() - (time.perf_counter() - pack_t)
    bar.done()
    if not deadline and tally.orders_packed != len(intake.numbers):
        raise SimulationFailed(
            what=f"{len(intake.numbers) - tally.orders_packed} allocated orders were not packed"
        )
    shipped = _ship(services, intake, out_dir, tally)
    _check_end(services, tally.packed_orders, shipped)
    return report.summary(
        cfg=cfg,
        tally=tally,
        intake={
            "imported": intake.imported,
            "allocated": intake.allocated,
            "held": intake.held,
            "file": str(intake.file),
        },
        shipped=shipped,
        statuses=world.order_statuses(services, [o.name for o in intake.orders]),
        per_station=[t.orders_packed for t in tallies],
        wall_s=time.perf_counter() - started,
        pack_s=pack_s,
        pack_started_at=pack_started_at,
        setup_s=setup_s,
        created=created,
        database=services.database_label,
        out_dir=out_dir,
    )


def _setup(
    services: Services, cfg: SimConfig, tally: Tally
) -> tuple[bool, Actor, list[str], list[str]]:
    """The demo warehouse (when empty) and the supervisor's one-off set-up before a shift."""
    created = world.prepare(services, cfg.seed)
    admin = world.login(services, "admin")
    tally.non_scan["shift:log_in"] += 1
    world.ensure_rules(services, admin)
    packers = world.users(services, admin, Role.PACKER, cfg.stations)
    pickers = world.users(services, admin, Role.PICKER, cfg.stations) if cfg.pick else []
    if world.ensure_numbers(services, admin, cfg.orders + 20, cfg.seed):
        tally.non_scan["shift:load_tracking_numbers"] += 1
    return created, admin, packers, pickers


def _check_end(services: Services, packed: list[str], shipped: ShipReport) -> None:
    """Every packed order shipped (when this build hands over), and the ledger balances."""
    statuses = world.order_statuses(services, packed)
    left = sorted(name for name, status in statuses.items() if status != "shipped")
    if shipped.available and left:
        raise SimulationFailed(
            what=f"{len(left)} packed orders were not shipped ({', '.join(left[:5])})"
        )
    problems = services.run(stock.check_stock_invariants)
    if problems:
        raise SimulationFailed(what=f"the stock ledger does not balance: {problems[:3]}")


def _intake(
    services: Services, admin: Actor, cfg: SimConfig, out_dir: Path, tally: Tally
) -> Intake:
    """The shop's file written and imported as a user imports it, then allocated."""
    run = world.run_number(services)
    shelf = world.shelf(services, datetime.now(UTC).date())
    orders = make_orders(shelf, cfg.orders, cfg.seed, run)
    if len(orders) < cfg.orders:
        raise SimulationFailed(what=f"the shelves hold stock for {len(orders)} orders only")
    path = write_shopify(
        out_dir / f"{world.FILE_PREFIX}{run}.csv", orders, shelf, cfg.seed, datetime.now(UTC)
    )
    t = time.perf_counter()
    result = services.run(
        order_intake.import_file, admin, path, fmt="shopify", channel=world.CHANNEL
    )
    tally.app_s["import"] += time.perf_counter() - t
    tally.non_scan["shift:import_orders"] += 1
    if result.rejected or result.imported != len(orders):
        raise SimulationFailed(
            what=f"the import took {result.imported} of {len(orders)} orders "
            f"({result.problems_total} problems: {[p.reason for p in result.problems[:3]]})"
        )
    tally.exceptions["held_at_intake"] += result.held
    t = time.perf_counter()
    alloc = services.run(order_actions.allocate, admin, list(result.order_ids))
    tally.app_s["allocate"] += time.perf_counter() - t
    tally.non_scan["shift:allocate_button"] += 1
    if alloc.backordered or alloc.held:
        raise SimulationFailed(
            what=f"allocation left {len(alloc.backordered)} orders short and held "
            f"{len(alloc.held)}, though the file only took free stock: "
            f"{[r.message for r in (*alloc.backordered, *alloc.held)][:3]}"
        )
    allocated = {r.number for r in alloc.allocated}
    numbers = {
        name: number
        for name, number in world.order_numbers(services, [o.name for o in orders]).items()
        if number in allocated
    }
    return Intake(orders, numbers, result.imported, result.held, len(allocated), path)


def _share(todo: list[Any], i: int, k: int) -> list[Any]:
    """Station ``i``'s part of the pile (of ``k``)."""
    return todo[len(todo) * i // k : len(todo) * (i + 1) // k]


def _plans(
    cfg: SimConfig, intake: Intake, packers: list[str], pickers: list[str], deadline: float
) -> list[WorkerPlan]:
    """Each station's plan: its packer, its share of the pile and the next station's share to
    help with; with --pick, every order (batches are claimed, not shared out). ``deadline``:
    the ``time.time()`` at which stations stop (0: when the work is done)."""
    todo = [(o, intake.numbers[o.name]) for o in intake.orders if o.name in intake.numbers]
    other = sorted({code for o in intake.orders for _, code, _ in o.lines})
    n = len(intake.orders)
    fail_at = intake.orders[cfg.fail_at - 1].name if 0 < cfg.fail_at <= n else ""
    k = cfg.stations
    badge = world.badge_of(SUPERVISOR)
    if cfg.pick:
        return [
            WorkerPlan(packers[i], cfg.seed, cfg.printer, badge, other, rows(todo), [],
                       fail_at, picker=pickers[i], pace_ms=cfg.pace_ms,
                       deadline=deadline, pace_jitter=cfg.pace_jitter)
            for i in range(k)
        ]  # fmt: skip
    return [
        WorkerPlan(packers[i], cfg.seed, cfg.printer, badge, other, rows(_share(todo, i, k)),
                   rows(_share(todo, (i + 1) % k, k)[::-1]), fail_at, pace_ms=cfg.pace_ms,
                   deadline=deadline, pace_jitter=cfg.pace_jitter)
        for i in range(k)
    ]  # fmt: skip


def _pack_in_processes(
    services: Services,
    cfg: SimConfig,
    plans: list[WorkerPlan],
    out_dir: Path,
    intake: Intake,
    bar: report.Progress,
) -> tuple[list[Tally], float]:
    """The stations' tallies, and the ``time.perf_counter()`` at which they all started."""
    root = Path(app.__file__).resolve().parents[1]
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]),
        PYTHONIOENCODING="utf-8",  # the report is read back as UTF-8 on every OS
    )
    procs: list[tuple[str, subprocess.Popen[str]]] = []
    start = start_line.start_file(out_dir)
    readies: list[Path] = []
    for i, plan in enumerate(plans):
        station = f"sim-pack-{i + 1:02d}"
        readies.append(start_line.ready_file(out_dir / f"{station}.json"))
        plan_file = replace(plan, ready_file=str(readies[-1]), start_file=str(start)).save(
            out_dir / f"{station}.json"
        )
        cmd = [
            sys.executable, "-c", "import sys; from app.cli import main; sys.exit(main())",
            "--db", cfg.db_url, "--station", station, "simulate", "--worker", str(plan_file),
        ]  # fmt: skip
        # the report and any message go to files, not pipes: a pipe nobody reads while the
        # stations run fills up (64 KiB) and stops the station that writes to it, for good
        base = out_dir / station
        with open(f"{base}.out", "wb") as out, open(f"{base}.err", "wb") as err:
            procs.append((station, subprocess.Popen(
                cmd, cwd=root, env=env, stdout=out, stderr=err, text=True
            )))  # fmt: skip
    started = start_line.start_when_ready(readies, [p for _, p in procs], start, cfg.minutes)
    _watch(services, [p for _, p in procs], intake, bar)
    return [_collect(station, proc, out_dir) for station, proc in procs], started


def _watch(
    services: Services, procs: list[subprocess.Popen[str]], intake: Intake, bar: report.Progress
) -> None:
    """The progress bar, from the orders' statuses, until every station has finished."""
    names = list(intake.numbers)
    while any(p.poll() is None for p in procs):
        time.sleep(0.5)
        if bar.enabled:
            statuses = world.order_statuses(services, names)
            bar.set(sum(1 for s in statuses.values() if s == "packed"))


def _collect(station: str, proc: subprocess.Popen[str], out_dir: Path) -> Tally:
    proc.wait()
    out = (out_dir / f"{station}.out").read_text(encoding="utf-8")
    err = (out_dir / f"{station}.err").read_text(encoding="utf-8", errors="replace")
    if proc.returncode != 0:
        last = (err.strip().splitlines() or ["(no message)"])[-1]
        last = last.removeprefix("packdesk simulate: FAILED: ").removeprefix(STOPPED)
        raise SimulationFailed(what=f"station {station}: {last}")
    return Tally.from_json(json.loads(out))


def _ship(services: Services, intake: Intake, out_dir: Path, tally: Tally) -> ShipReport:
    shipper = world.login(services, "shipper")
    tally.non_scan["shift:log_in"] += 1
    parcels = world.shipping_table(services, list(intake.numbers))
    return ship(services, shipper, parcels, world.CHANNEL, out_dir, tally)
