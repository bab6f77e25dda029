"""Device I/O off the UI thread: a QThread reading the serial scanner, and a worker object on
its own QThread that owns the scale. Their signals are received by main-thread objects
(``StationDevices``), which relay them to the screens."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from app.devices.base import RawScan
from app.devices.scales import ContinuousFormat, SerialScale, make_scale
from app.devices.scanners import SerialScanner
from app.devices.serial_link import SerialLink
from app.devices.station_config import ScaleSettings
from app.domain.errors import DeviceError, PackdeskError

log = logging.getLogger(__name__)


class SerialScannerThread(QThread):
    """Runs ``SerialScanner.run`` (read, reconnect) until ``stop()``; scans go to ``submit``."""

    status = Signal(object)  # DeviceStatus (LinkStatus)

    def __init__(
        self,
        scanner: SerialScanner,
        submit: Callable[[RawScan], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.scanner = scanner
        self._submit = submit
        self.setObjectName(f"scanner {scanner.port}")

    def run(self) -> None:
        self.scanner.run(self._submit, self.status.emit)

    def stop(self) -> None:
        self.scanner.request_stop()
        self.wait(3000)


class ScaleWorker(QObject):
    """Owns the scale on the worker thread. Requests arrive as queued slot calls; every answer
    comes back as a signal. Polls the scale for the live reading and its state."""

    weighed = Signal(object)  # Weight
    failed = Signal(object)  # PackdeskError
    live = Signal(object)  # ScaleReading, or the PackdeskError that stopped one
    done = Signal(str)  # "zero" | "tare"

    def __init__(self, settings: ScaleSettings, poll_ms: int = 1000) -> None:
        super().__init__()
        self.settings = settings
        self.poll_ms = poll_ms
        self.scale: SerialScale | None = None
        self._timer: QTimer | None = None

    @Slot()
    def begin(self) -> None:
        s = self.settings
        link = SerialLink(
            s.port,
            s.baud,
            device="scale",
            bytesize=s.bytesize,
            parity=s.parity,
            stopbits=s.stopbits,
        )
        fmt = ContinuousFormat(pattern=s.frame_pattern) if s.frame_pattern else None
        try:
            self.scale = make_scale(
                s.protocol,
                link,
                readings=s.readings,
                tolerance_g=s.tolerance,
                fmt=fmt,
                command_timeout=min(2.0, s.timeout_s),
            )
        except DeviceError as exc:
            self.live.emit(exc)
            return
        self._timer = QTimer(self)
        self._timer.setInterval(self.poll_ms)
        self._timer.timeout.connect(self.poll)
        self._timer.start()
        self.poll()

    @Slot()
    def poll(self) -> None:
        if self.scale is None:
            return
        try:
            self.live.emit(self.scale.read_once())
        except PackdeskError as exc:
            self.live.emit(exc)

    @Slot()
    def read_weight(self) -> None:
        if self.scale is None:
            return
        try:
            weight = self.scale.read_stable(self.settings.timeout_s)
        except PackdeskError as exc:
            self.failed.emit(exc)
            self.poll()
            return
        self.weighed.emit(weight)

    @Slot(str)
    def command(self, what: str) -> None:
        if self.scale is None:
            return
        try:
            if what == "zero":
                self.scale.zero()
            else:
                self.scale.tare()
        except PackdeskError as exc:
            self.failed.emit(exc)
            return
        self.done.emit(what)

    @Slot()
    def end(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        if self.scale is not None:
            self.scale.close()
            self.scale = None


class ScaleThread(QObject):
    """Starts a ScaleWorker on its own QThread and passes requests to it (main thread side)."""

    _read = Signal()
    _command = Signal(str)
    _end = Signal()

    def __init__(self, settings: ScaleSettings, poll_ms: int = 1000, parent: QObject | None = None):
        super().__init__(parent)
        self.qthread = QThread()
        self.qthread.setObjectName("scale")
        self.worker = ScaleWorker(settings, poll_ms)
        self.worker.moveToThread(self.qthread)
        self.qthread.started.connect(self.worker.begin)
        self._read.connect(self.worker.read_weight)
        self._command.connect(self.worker.command)
        self._end.connect(self.worker.end)
        self.qthread.finished.connect(self.worker.deleteLater)

    def start(self) -> None:
        self.qthread.start()

    def read_weight(self) -> None:
        self._read.emit()

    def zero(self) -> None:
        self._command.emit("zero")

    def tare(self) -> None:
        self._command.emit("tare")

    def stop(self) -> None:
        if self.qthread.isRunning():
            self._end.emit()
            self.qthread.quit()
            if not self.qthread.wait(8000):
                log.warning("the scale thread did not stop in time")
