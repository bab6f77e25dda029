"""Serial barcode scanners (USB-CDC ``/dev/ttyACM*``, RS-232 ``/dev/ttyUSB*``, ``COMn``).

A scan is one CR, LF or CR LF terminated line. The reader runs on its own thread (or inside a
QThread of the UI through ``run``), notices when the scanner is unplugged, drops the partial
scan that was cut off, reports its state, and reconnects by itself.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from app.devices.base import DeviceStatus, RawScan
from app.devices.serial_link import LineFramer, LinkStatus, SerialLink, decode_text
from app.domain.errors import DeviceError

log = logging.getLogger(__name__)

ScanCallback = Callable[[RawScan], None]
StatusCallback = Callable[[DeviceStatus], None]


class SerialScanner:
    """A scanner in serial mode; implements ``app.devices.base.Scanner``."""

    def __init__(
        self,
        port: str,
        baud: int = 9600,
        *,
        reconnect_interval: float = 1.0,
        poll: float = 0.1,
    ) -> None:
        self.port = port
        self.baud = baud
        self.reconnect_interval = reconnect_interval
        self.poll = poll
        self.link = SerialLink(port, baud, device="scanner")
        self.status: DeviceStatus = LinkStatus(
            False, f"Scanner on {port}: not started.", "stopped", port
        )
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def source(self) -> str:
        return f"serial:{self.port}"

    def start(self, on_scan: ScanCallback, on_status: StatusCallback) -> None:
        """Read on a background thread until ``stop()``."""
        if self._thread and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(
            target=self.run, args=(on_scan, on_status), name=f"scanner {self.port}", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        self.link.cancel_read()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)
        self._thread = None

    def request_stop(self) -> None:
        """Ask ``run`` to return soon (from any thread), without waiting."""
        self._stop.set()
        self.link.cancel_read()

    def run(self, on_scan: ScanCallback, on_status: StatusCallback) -> None:
        """The reading loop (blocks until ``stop()``/``request_stop()``)."""
        self._stop.clear()
        while not self._stop.is_set():
            try:
                self.link.open()
            except DeviceError as exc:
                self._report(on_status, "retrying", exc)
                self._stop.wait(self.reconnect_interval)
                continue
            self._report(on_status, "connected")
            try:
                self._read_lines(on_scan)
            except DeviceError as exc:
                self._report(on_status, "retrying", exc)
            finally:
                self.link.close()
            if not self._stop.is_set():
                self._stop.wait(self.reconnect_interval)
        self._report(on_status, "stopped")

    def _read_lines(self, on_scan: ScanCallback) -> None:
        framer = LineFramer()
        try:
            while not self._stop.is_set():
                data = self.link.read_available(self.poll)
                for line in framer.feed(data):
                    self._deliver(on_scan, line)
        finally:
            cut = framer.reset()
            if cut:
                log.warning("scanner %s: dropped a partial scan of %d bytes", self.port, len(cut))

    def _deliver(self, on_scan: ScanCallback, line: bytes) -> None:
        try:
            on_scan(RawScan(decode_text(line), self.source))
        except Exception:  # a bug in a receiver must not stop the scanner
            log.exception("scan receiver failed")

    def _report(
        self, on_status: StatusCallback, state: str, error: DeviceError | None = None
    ) -> None:
        if state == "connected":
            text = f"Scanner connected on {self.port}."
        elif state == "stopped":
            text = f"Scanner on {self.port} stopped."
        else:
            text = f"{error.message if error else 'Scanner not available.'} Retrying…"
        status = LinkStatus(state == "connected", text, state, self.port, error)
        if status == self.status:
            return
        self.status = status
        try:
            on_status(status)
        except Exception:
            log.exception("status receiver failed")
