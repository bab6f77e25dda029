"""This station's devices while someone is logged in: the scanner (keyboard wedge or serial),
the scale and the label printer, with their live state.

The main window creates one ``StationDevices`` after log-in and calls ``start()``; scans come
out as classified ScanEvents on ``ctx.bus.scanned`` (and ``scanned``), device states on
``ctx.bus.device_status``. All device I/O runs on worker threads.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QApplication

from app.devices.base import DeviceStatus, RawScan
from app.devices.scanners import SerialScanner
from app.devices.station_config import StationDevicesConfig
from app.domain.errors import PackdeskError
from app.domain.scans import ScanEvent
from app.services import stations
from ui.context import UiContext
from ui.devices.pipeline import ScanPipeline
from ui.devices.texts import printer_status, scale_status, scanner_status, tr
from ui.devices.workers import ScaleThread, SerialScannerThread
from ui.printing.documents import document_queue, document_status
from ui.printing.print_worker import PrintQueue
from ui.scan_filter import ScanFilter

log = logging.getLogger(__name__)


class StationDevices(QObject):
    """Starts, stops and reports this station's devices."""

    scanned = Signal(object)  # ScanEvent, on the main thread
    status_changed = Signal(str)  # "scanner" | "scale" | "printer"
    weighed = Signal(object)  # Weight
    scale_failed = Signal(object)  # PackdeskError
    scale_done = Signal(str)  # "zero" | "tare"
    #: every live reading of the scale (ScaleReading), or the PackdeskError that stopped one
    scale_live = Signal(object)

    def __init__(
        self,
        ctx: UiContext,
        config: StationDevicesConfig | None = None,
        *,
        clock: Callable[[], float] | None = None,
        scale_poll_ms: int = 400,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._override = config
        self.config = config or StationDevicesConfig()
        #: the scan filter's clock (tests inject one: QTest key events have no timestamps)
        self.clock = clock
        self._scale_poll_ms = scale_poll_ms
        #: role -> (ok, short text, full sentence)
        self.states: dict[str, tuple[bool, str, str]] = {}
        self.pipeline: ScanPipeline | None = None
        self.scan_filter: ScanFilter | None = None
        self.scanner_thread: SerialScannerThread | None = None
        self.scale: ScaleThread | None = None
        self.print_queue: PrintQueue | None = None
        #: the document printer's queue (slips), apart from the label printer's
        self.documents_queue: PrintQueue | None = None
        self.settings_problem: PackdeskError | None = None
        self.running = False
        ctx.devices["station"] = self

    # --- life cycle ------------------------------------------------------------------------

    def start(self) -> None:
        if self.running:
            return
        svc = self.ctx.services
        # why the stored settings could not be used (the station then runs a keyboard scanner)
        self.settings_problem = None
        if self._override is None:
            try:
                self.config = svc.run(stations.station_devices, svc.station_id)
            except PackdeskError as exc:  # e.g. the database is unreachable right now
                log.warning("station device settings unavailable: %s", exc.message)
                self.settings_problem = exc
                self.config = StationDevicesConfig()
        self.pipeline = ScanPipeline(svc, self.ctx.bus, self)
        self.pipeline.classified.connect(self.scanned)
        self._start_scanner()
        self._start_scale()
        self._start_printer()
        self._start_documents()
        self.running = True

    def stop(self) -> None:
        if self.print_queue is not None:
            self.print_queue.stop()
            self.print_queue = None
        if self.documents_queue is not None:
            self.documents_queue.stop()
            self.documents_queue = None
        if self.scan_filter is not None:
            self.scan_filter.uninstall()
            self.scan_filter.deleteLater()
            self.scan_filter = None
        if self.scanner_thread is not None:
            self.scanner_thread.stop()
            if self.scanner_thread.isFinished():  # never delete a thread that still runs
                self.scanner_thread.deleteLater()
            self.scanner_thread = None
        if self.scale is not None:
            self.scale.stop()
            if self.scale.qthread.isFinished():
                self.scale.deleteLater()
            self.scale = None
        if self.pipeline is not None:
            self.pipeline.stop()
            self.pipeline.deleteLater()
            self.pipeline = None
        self.running = False

    def restart(self, config: StationDevicesConfig | None = None) -> None:
        """Apply new settings (the device screen calls this after saving); None reads the
        stored settings again."""
        self.stop()
        self._override = config
        if config is not None:
            self.config = config
        self.start()

    # --- scanner ---------------------------------------------------------------------------

    def _start_scanner(self) -> None:
        sc = self.config.scanner
        if sc.mode == "wedge":
            self.scan_filter = ScanFilter(
                prefix=sc.prefix,
                suffix=sc.suffix,
                max_gap_ms=sc.max_gap_ms,
                min_length=sc.min_length,
                clock=self.clock,
                parent=self,
            )
            self.scan_filter.scanned.connect(self.submit)
            self.scan_filter.install(QApplication.instance())
            how = tr("prefix") if sc.prefix else tr("timing")
            self._set(
                "scanner",
                True,
                tr("Scanner: keyboard"),
                tr("Keyboard-wedge scanner, recognised by {how}.").format(how=how),
            )
        elif sc.mode == "serial":
            scanner = SerialScanner(sc.port, sc.baud)
            self.scanner_thread = SerialScannerThread(scanner, self.submit, self)
            self.scanner_thread.status.connect(self._scanner_status)
            self._set(
                "scanner",
                False,
                tr("Scanner: connecting"),
                tr("Opening {port}…").format(port=sc.port),
            )
            self.scanner_thread.start()
        else:
            self._set("scanner", True, tr("Scanner: off"), tr("No scanner is set up."))

    def submit(self, raw: RawScan) -> None:
        """A scan from any device (thread-safe)."""
        if self.pipeline is not None:
            self.pipeline.submit(raw)

    @Slot(object)
    def _scanner_status(self, status: DeviceStatus) -> None:
        short, detail = scanner_status(status)
        self._set("scanner", status.ok, short, detail)

    @property
    def recent_scans(self) -> list[ScanEvent]:
        return list(self.pipeline.recent) if self.pipeline is not None else []

    # --- scale -----------------------------------------------------------------------------

    def _start_scale(self) -> None:
        settings = self.config.scale
        if settings.protocol == "off":
            self._set("scale", True, tr("Scale: none"), tr("No scale is set up."))
            return
        self.scale = ScaleThread(settings, self._scale_poll_ms, self)
        self.scale.worker.live.connect(self._scale_live)
        self.scale.worker.weighed.connect(self.weighed)
        self.scale.worker.failed.connect(self.scale_failed)
        self.scale.worker.done.connect(self.scale_done)
        self._set(
            "scale",
            False,
            tr("Scale: connecting"),
            tr("Opening {port}…").format(port=settings.port),
        )
        self.scale.start()

    @Slot(object)
    def _scale_live(self, live: object) -> None:
        ok, short, detail = scale_status(live)  # type: ignore[arg-type]
        self._set("scale", ok, short, detail)
        self.scale_live.emit(live)

    def read_weight(self) -> bool:
        """Ask the scale for a stable weight (answer on ``weighed`` or ``scale_failed``)."""
        if self.scale is None:
            return False
        self.scale.read_weight()
        return True

    def zero(self) -> None:
        if self.scale is not None:
            self.scale.zero()

    def tare(self) -> None:
        if self.scale is not None:
            self.scale.tare()

    # --- printer ---------------------------------------------------------------------------

    def _start_printer(self) -> None:
        """The print queue worker (H3's PrintQueue) sends this station's jobs and watches the
        printer; its state is shown here too."""
        try:
            config = self.config.printer.printer_config()
        except PackdeskError as exc:
            self._printer_checked(exc)
            return
        if config is None:
            self._printer_checked(None)
            return
        svc = self.ctx.services
        self.print_queue = PrintQueue(self.ctx.bus, svc.uow, config, svc.station_id, parent=self)
        self.print_queue.worker.status.connect(self._printer_checked)
        self._set("printer", False, tr("Printer: connecting"), config.description)
        self.print_queue.start()

    def check_printer(self) -> None:
        """Ask the print worker to look at the queue and the printer now."""
        if self.print_queue is not None:
            self.print_queue.wake.emit()

    def _start_documents(self) -> None:
        """The document printer (slips) has a queue and worker of its own."""
        svc = self.ctx.services
        settings = self.config.documents
        try:
            queue = document_queue(self.ctx.bus, svc.uow, settings, svc.station_id, parent=self)
        except PackdeskError as exc:
            self._documents_checked(exc)
            return
        if queue is None:
            self._documents_checked(None)
            return
        self.documents_queue = queue
        queue.worker.status.connect(self._documents_checked)
        self._set("documents", False, tr("Slips: connecting"), "")
        queue.start()

    @Slot(object)
    def _documents_checked(self, result: object) -> None:
        ok, short, detail = document_status(result)  # type: ignore[arg-type]
        self._set("documents", ok, short, detail)

    @Slot(object)
    def _printer_checked(self, result: object) -> None:
        ok, short, detail = printer_status(result)  # type: ignore[arg-type]
        self._set("printer", ok, short, detail)

    # --- state -----------------------------------------------------------------------------

    def _set(self, role: str, ok: bool, short: str, detail: str) -> None:
        state = (ok, short, detail)
        if self.states.get(role) == state:
            return
        self.states[role] = state
        self.ctx.bus.device_status.emit(role, short, ok)
        self.status_changed.emit(role)
