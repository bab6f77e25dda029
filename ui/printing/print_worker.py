"""The print queue drained off the UI thread.

``PrintWorker`` lives on its own QThread: on start it lowers that thread's CPU priority (drawing
a label or a slip gives way to the scans when the PC's cores are busy: ``app/priority.py``),
recovers jobs a crash left half-sent, then polls the queue (and, when idle, the printer's
status). ``PrintQueue`` is its main-thread owner:
it relays what happened to the bus (``Bus.changed("print_job", ids)``,
``Bus.device_status("printer", text, ok)``), so screens never touch the worker's thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from app.devices.base import DeviceStatus, LabelPrinter
from app.devices.printers import PrinterConfig, open_printer
from app.domain.errors import PackdeskError
from app.priority import lower_this_thread
from app.services import printing
from ui.bus import Bus
from ui.i18n import printer_status_text
from ui.printing import install_system_printers

log = logging.getLogger(__name__)

#: ``Services.uow``: a fresh unit of work per call (the UI never opens sessions itself)
UowFactory = Callable[[], Any]


class PrintWorker(QObject):
    """Owns the printer on the worker thread; every answer goes out as a signal."""

    processed = Signal(object)  # printing.ProcessResult
    status = Signal(object)  # DeviceStatus

    def __init__(
        self,
        uow_factory: UowFactory,
        config: PrinterConfig,
        station_id: int | None,
        *,
        poll_ms: int = 1000,
        status_every: int = 5,
        printer_factory: Callable[[PrinterConfig], LabelPrinter] = open_printer,
        printer_role: str = "label",
    ) -> None:
        super().__init__()
        #: which of the station's printers this worker drains: "label" or "document"
        self.printer_role = printer_role
        self.uow_factory = uow_factory
        self.config = config
        self.station_id = station_id
        self.poll_ms = poll_ms
        self.status_every = status_every
        self._printer_factory = printer_factory
        self._printer: LabelPrinter | None = None
        self._timer: QTimer | None = None
        self._idle_polls = 0
        self._last_status: DeviceStatus | None = None
        #: the worker thread's id as the operating system knows it, and whether its priority
        #: was lowered (set when the thread starts)
        self.native_id: int | None = None
        self.lowered = False

    @Slot()
    def begin(self) -> None:
        self.native_id = threading.get_native_id()
        self.lowered = lower_this_thread()
        try:
            recovered = printing.recover_interrupted(
                self.uow_factory, self.station_id, self.printer_role
            )
            if recovered:
                self.processed.emit(printing.ProcessResult(failed=tuple(recovered)))
            self._printer = self._printer_factory(self.config)
        except PackdeskError as exc:
            self._report(DeviceStatus(False, exc.message))
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.step)
        self._timer.start(self.poll_ms)
        self.step()

    @Slot()
    def step(self) -> None:
        """One pass: send what is due; when there is nothing, look at the printer now and then."""
        printer = self._printer
        if printer is None:
            return
        try:
            result = printing.process_pending(
                self.uow_factory,
                printer,
                station_id=self.station_id,
                printer_role=self.printer_role,
            )
        except PackdeskError as exc:  # the database is unreachable: say so, try again later
            self._report(DeviceStatus(False, exc.message))
            return
        if result.changed:
            self.processed.emit(result)
        if result.printer_status is not None:
            self._idle_polls = 0
            self._report(result.printer_status)
            return
        self._idle_polls += 1
        if self._last_status is None or self._idle_polls >= self.status_every:
            self._idle_polls = 0
            try:
                self._report(printer.status())
            except PackdeskError as exc:
                self._report(DeviceStatus(False, exc.message))

    def _report(self, status: DeviceStatus) -> None:
        if status != self._last_status:
            self._last_status = status
            self.status.emit(status)

    @Slot()
    def finish(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        close = getattr(self._printer, "close", None)
        if callable(close):
            close()


class PrintQueue(QObject):
    """Starts the worker thread and relays its news to the bus, on the main thread."""

    wake = Signal()
    _finish = Signal()

    def __init__(
        self,
        bus: Bus,
        uow_factory: UowFactory,
        config: PrinterConfig,
        station_id: int | None,
        *,
        poll_ms: int = 1000,
        parent: QObject | None = None,
        printer_role: str = "label",
        printer_factory: Callable[[PrinterConfig], LabelPrinter] = open_printer,
        status_role: str = "printer",
    ) -> None:
        super().__init__(parent)
        install_system_printers()
        self.bus = bus
        #: the name the status bar shows this printer's state under
        self.status_role = status_role
        self.last_status: DeviceStatus | None = None
        self._thread = QThread()
        self._thread.setObjectName(f"print worker ({printer_role})")
        self.worker = PrintWorker(
            uow_factory,
            config,
            station_id,
            poll_ms=poll_ms,
            printer_factory=printer_factory,
            printer_role=printer_role,
        )
        self.worker.moveToThread(self._thread)
        self._thread.started.connect(self.worker.begin)
        self.wake.connect(self.worker.step)
        self._finish.connect(self.worker.finish)
        self.worker.processed.connect(self._on_processed)
        self.worker.status.connect(self._on_status)
        bus.changed.connect(self._on_bus_changed)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        if self._thread.isRunning():
            self._finish.emit()
            self._thread.quit()
            self._thread.wait(5000)
        self.worker.deleteLater()

    @Slot(str, list)
    def _on_bus_changed(self, kind: str, ids: list[int]) -> None:
        # a new job was queued (or resent) by a screen: send it now rather than at the next poll
        if kind == "print_job":
            self.wake.emit()

    @Slot(object)
    def _on_processed(self, result: printing.ProcessResult) -> None:
        self.bus.changed.disconnect(self._on_bus_changed)
        try:
            self.bus.notify("print_job", result.changed)
        finally:
            self.bus.changed.connect(self._on_bus_changed)

    @Slot(object)
    def _on_status(self, status: DeviceStatus) -> None:
        self.last_status = status
        text = printer_status_text(status.text)
        self.bus.device_status.emit(self.status_role, text, status.ok)
