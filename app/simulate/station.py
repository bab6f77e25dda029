"""One pack station for a shift: a packer logged in, a scale on an emulated serial line (MT-SICS
over a pty, read by the real driver), the label printer (the ZPL emulator on loopback TCP, or
a real one) and the slips folder, both drained through the real print queue.

Each order: scan the order's number (opens it; an order another station took first is left to
it), scan each unit's barcode (and the planned wrong scans, which must be refused), put the
parcel on the scale and pass the stable weight (a planned wrong weight must stop the parcel;
the supervisor then scans a badge), and the label and slip print. Every answer is checked
against the plan: anything else raises ``SimulationFailed``.
"""

from __future__ import annotations

import tempfile
import time
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from app.bootstrap import Services
from app.devices.base import LabelPrinter
from app.devices.document_printers import FolderPrinter
from app.devices.emulators.printer import PrinterEmulator
from app.devices.emulators.pty_link import default_link
from app.devices.emulators.scales import ScaleEmulator
from app.devices.printers import open_printer
from app.devices.scales import SerialScale, make_scale
from app.devices.serial_link import SerialLink
from app.devices.station_config import DocumentSettings, PrinterSettings, StationDevicesConfig
from app.domain.errors import PackdeskError
from app.domain.users import Actor
from app.priority import lower_this_thread
from app.services import packing, printing, stations
from app.services.pack_open import AlreadyPacked, BatchDone, OpenElsewhere
from app.simulate.orders_file import FileOrder
from app.simulate.pace import Pace
from app.simulate.plan import (
    UNKNOWN_REFUSALS,
    WRONG_ITEM_REFUSALS,
    OrderPlan,
    SimulationFailed,
    Tally,
    plan_order,
)

T = TypeVar("T")
#: a parcel put on the scale at a wrong weight: this much heavier than expected
WRONG_WEIGHT = Decimal("1.35")
#: how long the station waits for the label to reach the printer
PRINT_TIMEOUT_S = 10.0


@dataclass
class Devices:
    scale: SerialScale
    scale_emulator: ScaleEmulator
    printer: LabelPrinter
    emulator: PrinterEmulator | None
    slips: FolderPrinter
    #: the station's print worker: a thread of its own at a lower priority, as in the app
    #: (``ui/printing/print_worker.py``), drawing and sending the labels and slips
    print_worker: ThreadPoolExecutor


@contextmanager
def station_devices(
    services: Services, admin: Actor, printer_url: str, slips_dir: Path
) -> Iterator[Devices]:
    """The station's devices, set up as its device settings say (saved by the admin)."""
    with ExitStack() as stack:
        emulator: PrinterEmulator | None = None
        if printer_url:
            address = printer_url.removeprefix("tcp://")
        else:
            emulator = stack.enter_context(PrinterEmulator("zpl"))
            address = emulator.address
        scale_emulator = ScaleEmulator("mtsics", default_link("sim-scale"), interval=0.01)
        stack.callback(scale_emulator.close)
        config = StationDevicesConfig(
            printer=PrinterSettings(transport="tcp", address=address, label_size="4x6in"),
            documents=DocumentSettings(mode="pdf", folder=str(slips_dir)),
        )
        services.run(stations.save_station_devices, admin, services.station_id, config)
        printer_config = config.printer.printer_config()
        assert printer_config is not None
        printer = open_printer(printer_config)
        scale = make_scale("mtsics", SerialLink(scale_emulator.port, device="scale"), readings=2)
        scale.interval = 0.005
        stack.callback(scale.close)
        worker = ThreadPoolExecutor(1, "print worker", initializer=lower_this_thread)
        stack.callback(worker.shutdown)
        yield Devices(scale, scale_emulator, printer, emulator, FolderPrinter(slips_dir), worker)


class Station:
    """A packer at a station, packing orders as the plan says."""

    def __init__(
        self,
        services: Services,
        packer: Actor,
        supervisor_badge: str,
        devices: Devices,
        seed: int,
        other_items: list[str],
        *,
        fail_at: str = "",
        on_packed: Callable[[], None] | None = None,
        pace: Pace | None = None,
    ) -> None:
        self.services = services
        self.packer = packer
        self.badge = supervisor_badge
        self.devices = devices
        self.seed = seed
        self.other_items = other_items
        self.fail_at = fail_at
        self.on_packed = on_packed
        self.pace = pace or Pace()
        self.tally = Tally()

    # --- timing ------------------------------------------------------------------------------

    def _app(self, step: str, fn: Callable[..., T], *args: Any) -> T:
        t = time.perf_counter()
        try:
            return self.services.run(fn, *args)
        finally:
            self.tally.app_s[step] += time.perf_counter() - t

    def _scan(self, session_id: int, text: str, step: str = "item") -> packing.ScanOutcome:
        self.pace.wait()
        t, cpu = time.perf_counter(), time.thread_time()
        out = self.services.run(packing.scan, self.packer, session_id, text)
        spent = time.thread_time() - cpu  # read first: inside the wall interval
        took = time.perf_counter() - t
        self.tally.app_s["scan"] += took
        self.tally.timed_scan("pack", took, step, spent)
        self.tally.scans += 1
        if not out.ok:
            self.tally.scans_refused += 1
            if not out.refusal:
                self.tally.refused_without_reason += 1
        return out

    # --- one order -----------------------------------------------------------------------------

    def pack(self, order: FileOrder, number: str) -> bool:
        """Open the order by scanning its number and pack it; False when another station had
        it first."""
        try:
            self.tally.scans += 1
            self.pace.wait()
            view = self._app("open", packing.open_for_packing, self.packer, number)
        except (OpenElsewhere, AlreadyPacked):
            self.tally.claims_lost += 1
            return False
        self._pack_open(order, view)
        return True

    def pack_batch(self, label: str, orders: dict[str, FileOrder]) -> int:
        """Scan the pick list's barcode for each picked order of the batch in turn (the bench
        opens the next one); the orders packed. At the shift's deadline the station stops
        between two orders (the rest of the batch stays picked)."""
        packed = 0
        while not self.pace.over():
            try:
                self.tally.scans += 1
                self.pace.wait()
                view = self._app("open", packing.open_for_packing, self.packer, label)
            except BatchDone:
                return packed
            except (OpenElsewhere, AlreadyPacked) as exc:
                raise SimulationFailed(what=f"pick list {label}: {exc.message}") from exc
            order = orders.get(view.channel_order_id)
            if order is None:
                raise SimulationFailed(
                    what=f"pick list {label} opened {view.order_number}, not one of the shift's"
                )
            self._pack_open(order, view)
            packed += 1
        return packed

    def _pack_open(self, order: FileOrder, view: packing.PackView) -> None:
        number = view.order_number
        plan = plan_order(self.seed, order.name, order.units)
        units = [code for _, code, qty in order.lines for _ in range(qty)]
        for i, code in enumerate(units):
            for at, mistake in plan.mistakes:
                if at == i:
                    self._wrong_scan(view.session_id, mistake, number, set(units))
            out = self._scan(view.session_id, code)
            if not out.ok:
                raise SimulationFailed(
                    what=f"order {number}: the scan of {code} was refused ({out.refusal})"
                )
            view = out.view
        if self.fail_at and self.fail_at == order.name:  # a deliberate unplanned scan
            out = self._scan(view.session_id, units[0])
            if not out.ok:
                raise SimulationFailed(
                    what=f"order {number}: an unplanned scan was refused ({out.refusal})"
                )
        self._weigh(view, plan, number)
        self._print(number)
        self.tally.orders_packed += 1
        self.tally.packed_orders.append(order.name)
        if self.on_packed is not None:
            self.on_packed()

    def _wrong_scan(self, session_id: int, mistake: str, number: str, mine: set[str]) -> None:
        code = f"NOSUCH{zlib.crc32(number.encode()) % 10**8:08d}"
        allowed = UNKNOWN_REFUSALS
        if mistake == "wrong_item":
            code, allowed = self._other_item(number, mine), WRONG_ITEM_REFUSALS
        out = self._scan(session_id, code, "wrong")
        if out.ok or out.refusal not in allowed:
            raise SimulationFailed(
                what=f"order {number}: the planned {mistake} scan {code} got "
                f"{out.kind}/{out.refusal or 'accepted'}"
            )
        self.tally.scans_refused_planned += 1
        self.tally.exceptions[mistake] += 1

    def _other_item(self, number: str, mine: set[str]) -> str:
        """A barcode of the shop that is not in this order (the item from the next bin)."""
        start = zlib.crc32(number.encode())
        for k in range(len(self.other_items)):
            code = self.other_items[(start + k) % len(self.other_items)]
            if code not in mine:
                return code
        raise SimulationFailed(what="the shop has no product that is not in this order")

    def _read_scale(self, grams: int) -> int:
        self.pace.wait()  # the packer puts the parcel on the scale
        t = time.perf_counter()
        self.devices.scale_emulator.put(Decimal(grams) / 1000)
        weight = self.devices.scale.read_stable(5.0)
        self.tally.device_s += time.perf_counter() - t
        self.tally.scale_readings += 1
        return int(weight.grams.to_integral_value())

    def _weigh(self, view: packing.PackView, plan: OrderPlan, number: str) -> None:
        parcel = view.current_parcel
        if parcel is None or parcel.expected_g is None:
            raise SimulationFailed(what=f"order {number}: nothing to put on the scale")
        grams = parcel.expected_g
        if plan.wrong_weight:
            grams = int(Decimal(grams) * WRONG_WEIGHT) + 50
        out = self._app(
            "weigh", packing.weigh, self.packer, view.session_id, self._read_scale(grams)
        )
        if plan.wrong_weight:
            if out.ok and out.kind != "weight_stopped":
                raise SimulationFailed(
                    what=f"order {number}: a parcel {grams} g against {parcel.expected_g} g "
                    "expected was not stopped at the scale"
                )
            self.tally.exceptions["weight"] += 1
            out = self._scan(view.session_id, self.badge, "badge")  # the supervisor's badge
        if out.kind != "packed" or out.label_job_id is None:
            raise SimulationFailed(
                what=f"order {number}: the parcel did not finish ({out.kind}/{out.refusal}: "
                f"{out.message} {out.params})"
            )
        self.tally.parcels += 1

    def _print(self, number: str) -> None:
        """The print worker's step for the label and for the slip, on its thread; the packer
        waits for the label."""
        d = self.devices
        before = len(d.emulator.printed) if d.emulator else 0
        t = time.perf_counter()
        sid = self.services.station_id

        def step() -> tuple[printing.ProcessResult, printing.ProcessResult]:
            label = printing.process_pending(self.services.uow, d.printer, station_id=sid)
            slip = printing.process_pending(
                self.services.uow, d.slips, station_id=sid, printer_role="document"
            )
            return label, slip

        label, slip = d.print_worker.submit(step).result()
        self.tally.app_s["print"] += time.perf_counter() - t
        if label.failed or not label.sent:
            raise SimulationFailed(what=f"order {number}: the label was not printed ({label})")
        if d.emulator is not None:
            t = time.perf_counter()
            if not d.emulator.wait_for_jobs(before + len(label.sent), PRINT_TIMEOUT_S):
                raise SimulationFailed(what=f"order {number}: the printer never got the label")
            self.tally.device_s += time.perf_counter() - t
        self.tally.labels_printed += len(label.sent)
        self.tally.slips_printed += len(slip.sent)


def slips_folder() -> Path:
    return Path(tempfile.mkdtemp(prefix="packdesk-sim-slips-"))


def run_station(
    station: Station,
    todo: list[tuple[FileOrder, str]],
    helping: list[tuple[FileOrder, str]] | None = None,
) -> Tally:
    """Pack ``todo`` (file order, our number) in turn, then help with ``helping`` (another
    station's orders, from the end of its pile) until meeting an order that station opened."""
    try:
        for order, number in todo:
            if station.pace.over():
                return station.tally
            station.pack(order, number)
        for order, number in helping or []:
            if station.pace.over() or not station.pack(order, number):
                break
    except PackdeskError as exc:
        if isinstance(exc, SimulationFailed):
            raise
        raise SimulationFailed(what=exc.message) from exc
    return station.tally
