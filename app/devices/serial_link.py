"""A serial connection with a timeout on every read and write, and errors an operator can read.

Ports are paths (``/dev/ttyACM0``, ``/dev/serial/by-id/...``, ``COM3``) or pyserial URLs
(``socket://127.0.0.1:7000``, ``loop://``). Scanners and scales use this; nothing here knows
their protocols.
"""

from __future__ import annotations

import contextlib
import errno
import os
import time
from dataclasses import dataclass, field

import serial

from app.devices.base import DeviceStatus
from app.domain.errors import DeviceError, PackdeskError

try:
    import termios

    #: what a tty call can raise when its device is gone (termios.error is not an OSError)
    _LOST: tuple[type[BaseException], ...] = (serial.SerialException, OSError, termios.error)
except ImportError:  # pragma: no cover - Windows
    _LOST = (serial.SerialException, OSError)
_OPEN_ERRORS: tuple[type[BaseException], ...] = (*_LOST, ValueError)

PARITIES = {"N": serial.PARITY_NONE, "E": serial.PARITY_EVEN, "O": serial.PARITY_ODD}
BAUD_RATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)
#: the devices named in the messages below (collected for translation: screens translate the
#: parameter)
DEVICE_WORDS = {"scanner": "scanner", "scale": "scale", "label_printer": "label printer"}


class PortNotFound(DeviceError):
    template = (
        "The {device} port {port} does not exist. Check that the {device} is plugged in and "
        "switched on, and that the port is right in the device settings."
    )


class PortNoPermission(DeviceError):
    template = (
        "Packdesk may not open {port} for the {device}. On Linux, add this user to the 'dialout' "
        "group and log in again."
    )


class PortBusy(DeviceError):
    template = (
        "The {device} port {port} is in use by another program. Close the other program "
        "(or another Packdesk window) and try again."
    )


class PortOpenFailed(DeviceError):
    template = "The {device} port {port} cannot be opened: {reason}. Check the device settings."


class DeviceDisconnected(DeviceError):
    template = (
        "The {device} on {port} stopped answering: it was unplugged or switched off. "
        "Plug it back in; Packdesk reconnects by itself."
    )


class DeviceTimeout(DeviceError):
    template = (
        "The {device} on {port} did not answer within {seconds} s. Check that it is switched on, "
        "its cable, and its protocol and baud rate in the device settings."
    )


@dataclass(frozen=True)
class LinkStatus(DeviceStatus):
    """A device's state with the facts behind the sentence, so the UI can say it in the
    operator's language: ``state`` is connected | retrying | stopped."""

    state: str = ""
    port: str = ""
    error: PackdeskError | None = field(default=None, compare=False)


def is_url(port: str) -> bool:
    return "://" in port


class SerialLink:
    """One serial port, opened on demand; all reads and writes time out."""

    def __init__(
        self,
        port: str,
        baud: int = 9600,
        *,
        device: str = "device",
        bytesize: int = 8,
        parity: str = "N",
        stopbits: int = 1,
        write_timeout: float = 1.0,
    ) -> None:
        self.port = port
        self.baud = baud
        self.device = device
        self.bytesize = bytesize
        self.parity = parity
        self.stopbits = stopbits
        self.write_timeout = write_timeout
        self._ser: serial.Serial | None = None
        self._pushback = b""

    @property
    def is_open(self) -> bool:
        return self._ser is not None and bool(self._ser.is_open)

    def open(self) -> None:
        if self.is_open:
            return
        if not self.port:
            raise DeviceError(
                "No port is set for the {device}. Choose one in the settings.", device=self.device
            )
        try:
            ser = serial.serial_for_url(self.port, do_not_open=True)
            ser.baudrate = self.baud
            ser.bytesize = self.bytesize
            ser.parity = PARITIES.get(self.parity, serial.PARITY_NONE)
            ser.stopbits = self.stopbits
            ser.timeout = 0.1
            ser.write_timeout = self.write_timeout
            if not is_url(self.port) and os.name == "posix":
                ser.exclusive = True
            ser.open()
        except _OPEN_ERRORS as exc:
            raise self._open_error(exc) from exc
        self._ser = ser

    def _open_error(self, exc: BaseException) -> DeviceError:
        code = getattr(exc, "errno", None)
        text = str(exc)
        where = {"device": self.device, "port": self.port}
        if code == errno.ENOENT or "No such file" in text or "FileNotFoundError" in text:
            return PortNotFound(**where)
        if code == errno.EACCES or "Permission denied" in text or "PermissionError" in text:
            return PortNoPermission(**where)
        if code == errno.EBUSY or "exclusively lock" in text or "Resource busy" in text:
            return PortBusy(**where)
        return PortOpenFailed(**where, reason=text.splitlines()[0] if text else type(exc).__name__)

    def close(self) -> None:
        ser, self._ser = self._ser, None
        if ser is not None:
            with contextlib.suppress(*_LOST):
                ser.close()  # closing a port whose device is gone may fail

    def _port(self) -> serial.Serial:
        if self._ser is None or not self._ser.is_open:
            self.open()
        assert self._ser is not None
        return self._ser

    def _lost(self, exc: BaseException) -> DeviceDisconnected:
        self.close()
        return DeviceDisconnected(device=self.device, port=self.port, detail=str(exc))

    def write(self, data: bytes) -> None:
        ser = self._port()
        try:
            ser.write(data)
            ser.flush()
        except serial.SerialTimeoutException as exc:
            raise DeviceTimeout(
                device=self.device, port=self.port, seconds=self.write_timeout
            ) from exc
        except _LOST as exc:
            raise self._lost(exc) from exc

    def read_available(self, timeout: float) -> bytes:
        """Whatever arrives within ``timeout`` seconds: returns as soon as bytes are there
        (b"" when none came)."""
        ser = self._port()
        try:
            ser.timeout = max(timeout, 0.0)
            data = ser.read(1)
            if data:
                waiting = ser.in_waiting
                if waiting:
                    ser.timeout = 0
                    data += ser.read(waiting)
            return bytes(data)
        except _LOST as exc:
            raise self._lost(exc) from exc

    def read_until(self, terminators: bytes, timeout: float, max_bytes: int = 4096) -> bytes:
        """Bytes up to and including the first of ``terminators`` (any one byte of it);
        DeviceTimeout when none comes within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        buf = bytearray()
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise DeviceTimeout(device=self.device, port=self.port, seconds=f"{timeout:.1f}")
            chunk = self._read_some(left)
            for i, b in enumerate(chunk):
                if b in terminators:
                    buf += chunk[: i + 1]
                    self._pushback = chunk[i + 1 :]
                    return bytes(buf)
            buf += chunk
            if len(buf) > max_bytes:
                return bytes(buf)

    def _read_some(self, timeout: float) -> bytes:
        if self._pushback:
            data, self._pushback = self._pushback, b""
            return data
        return self.read_available(min(timeout, 0.2))

    def reset_input(self) -> None:
        """Drop bytes already received (stale answers, stream backlog)."""
        self._pushback = b""
        ser = self._port()
        try:
            ser.reset_input_buffer()
        except _LOST as exc:
            raise self._lost(exc) from exc

    def cancel_read(self) -> None:
        """Wake a blocked read from another thread (POSIX ports; others time out)."""
        ser = self._ser
        if ser is not None and hasattr(ser, "cancel_read"):
            with contextlib.suppress(serial.SerialException, OSError, AttributeError):
                ser.cancel_read()


class LineFramer:
    """Splits a byte stream into lines ended by CR, LF or CR LF; empty lines are dropped.
    A line longer than ``max_line`` bytes is cut there (the scan pipeline then rejects it)."""

    def __init__(self, max_line: int = 4096) -> None:
        self.max_line = max_line
        self._buf = bytearray()

    def feed(self, data: bytes) -> list[bytes]:
        lines: list[bytes] = []
        for b in data:
            if b in (0x0D, 0x0A):
                if self._buf:
                    lines.append(bytes(self._buf))
                    self._buf.clear()
                continue
            self._buf.append(b)
            if len(self._buf) >= self.max_line:
                lines.append(bytes(self._buf))
                self._buf.clear()
        return lines

    def reset(self) -> bytes:
        """Forget a partial line (the device went away mid-line); returns what was dropped."""
        partial = bytes(self._buf)
        self._buf.clear()
        return partial

    @property
    def pending(self) -> int:
        return len(self._buf)


def decode_text(data: bytes) -> str:
    """Scanner text: UTF-8, else GB18030 (Chinese scanners' default), else UTF-8 with U+FFFD
    marking the bytes that are not text (the scan pipeline reports those as unreadable)."""
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")
