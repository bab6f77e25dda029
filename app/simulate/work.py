"""A station's work for the shift, the same in the main process (one station) and in a station
process (``packdesk simulate --worker PLAN``): log in, set the devices up, then pack the orders
of its share of the pile (and help the next station with its pile from the end), or, with
``--pick``, claim batches, pick them and pack their orders.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from app import heap
from app.bootstrap import Services
from app.domain.errors import PackdeskError
from app.simulate import world
from app.simulate.orders_file import FileOrder
from app.simulate.pace import Pace
from app.simulate.pick import Picker
from app.simulate.plan import SimulationFailed, Tally
from app.simulate.start_line import wait_for_start
from app.simulate.station import Station, run_station, slips_folder, station_devices

#: an order as a plan file carries it: (name, number, [(sku, barcode, qty)])
Row = tuple[str, str, list[tuple[str, str, int]]]


@dataclass(frozen=True)
class WorkerPlan:
    """What a station is handed."""

    packer: str
    seed: int
    printer: str
    badge: str
    other_items: list[str]
    todo: list[Row]
    #: the next station's orders, from the end of its pile
    helping: list[Row]
    fail_at: str = ""
    #: with --pick: the picker who claims batches (``todo`` then lists all the shift's orders)
    picker: str = ""
    #: the pause before each scan or press (ms), and the ``time.time()`` to stop at (0: none)
    pace_ms: int = 0
    deadline: float = 0.0
    #: how much each pause varies (``Pace.jitter``)
    pace_jitter: float = 0.0
    #: with several station processes: the start line (``app.simulate.start_line``): this
    #: station's ready file and the start file that gives the deadline
    ready_file: str = ""
    start_file: str = ""

    def save(self, path: Path) -> Path:
        path.write_text(json.dumps(asdict(self), ensure_ascii=False), encoding="utf-8")
        return path

    @classmethod
    def load(cls, path: Path) -> WorkerPlan:
        return cls(**json.loads(path.read_text(encoding="utf-8")))


def rows(part: list[tuple[FileOrder, str]]) -> list[Row]:
    return [(o.name, n, list(o.lines)) for o, n in part]


def _orders(part: list[Any]) -> list[tuple[FileOrder, str]]:
    return [
        (FileOrder(name, tuple((s, c, int(q)) for s, c, q in lines)), number)
        for name, number, lines in part
    ]


def work(
    services: Services, plan: WorkerPlan, on_packed: Callable[[], None] | None = None
) -> Tally:
    """Do the station's work; its tally. Raises ``SimulationFailed`` at the first surprise."""
    try:
        admin = world.login(services, "admin")
        packer = world.login(services, plan.packer)
        with station_devices(services, admin, plan.printer, slips_folder()) as devices:
            heap.settle()  # as the app does once its window is up (app/heap.py)
            deadline = plan.deadline
            if plan.start_file:
                deadline = wait_for_start(Path(plan.ready_file), Path(plan.start_file))
            station = Station(
                services, packer, plan.badge, devices, plan.seed, plan.other_items,
                fail_at=plan.fail_at, on_packed=on_packed,
                pace=Pace(
                    plan.pace_ms / 1000,
                    deadline,
                    plan.pace_jitter,
                    random.Random(f"{plan.seed}:{plan.packer}"),
                ),
            )  # fmt: skip
            station.tally.non_scan["shift:log_in"] += 1
            station.tally.non_scan["shift:station_devices"] += 1
            if plan.picker:
                return _pick_and_pack(services, plan, station)
            return run_station(station, _orders(plan.todo), _orders(plan.helping))
    except SimulationFailed:
        raise
    except PackdeskError as exc:
        raise SimulationFailed(what=exc.message) from exc


def _pick_and_pack(services: Services, plan: WorkerPlan, station: Station) -> Tally:
    tally = station.tally
    orders = {o.name: o for o, _ in _orders(plan.todo)}
    barcodes = {sku: code for o in orders.values() for sku, code, _ in o.lines}
    picker = Picker(
        services,
        world.login(services, plan.picker),
        barcodes,
        world.location_barcodes(services),
        tally,
        station.pace,
    )
    tally.non_scan["shift:log_in"] += 1
    while not station.pace.over() and (label := picker.claim()) is not None:
        station.pack_batch(label, orders)
    return tally
