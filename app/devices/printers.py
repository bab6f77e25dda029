"""Label printers: raw TCP (port 9100), serial, a USB printer device file, and the system's
printers (injected by the UI, which owns Qt print support).

Every connect, write and read has a timeout. ``status()`` asks the printer where it can tell
(ZPL ``~HS``, TSPL ``ESC ! ?``) and returns ``DeviceStatus(ok=False, ...)`` when the printer is
*not ready* (out of paper, head open, paused): a job then waits. It *raises* ``DeviceError``
when the printer cannot be reached or does not answer: that is a fault, and the message says
what to do.
"""

from __future__ import annotations

import contextlib
import errno
import os
import select
import socket
import stat
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from glob import glob
from typing import Any

from app.devices.base import DeviceStatus, LabelPrinter
from app.devices.serial_link import SerialLink
from app.domain.errors import DeviceError, ValidationError
from app.labels.model import DPIS, SIZES

TRANSPORTS = ("tcp", "serial", "usb", "system")
LANGUAGES = ("zpl", "tspl", "pdf")
DEFAULT_PORT = 9100

ZPL_STATUS_QUERY = b"~HS\r\n"
TSPL_STATUS_QUERY = b"\x1b!?"
STX, ETX = 0x02, 0x03

#: Every status sentence a printer driver reports, one place (the UI translates them one by
#: one: several problems are joined with a space).
PRINTER_STATUS_WORDS: dict[str, str] = {
    "ready": "Ready.",
    "ready_no_status": "Connected. This printer does not report paper or head status.",
    "printing": "Printing.",
    "zpl_head_open": "The print head is open. Close the print head and press Resume.",
    "zpl_paper_out": "The printer is out of paper. Load labels and press Resume.",
    "zpl_ribbon_out": "The printer is out of ribbon. Load a new ribbon and press Resume.",
    "zpl_paused": "The printer is paused. Press Resume (Pause) on the printer.",
    "zpl_memory_full": (
        "The printer's memory is full. Wait for it to print, or switch it off and on."
    ),
    "zpl_head_temperature": "The print head is too cold or too hot. Let it reach room temperature.",
    "zpl_label_waiting": "A printed label is waiting. Take it off the printer.",
    "tspl_head_open": "The print head is open. Close the print head.",
    "tspl_jam": "Labels are jammed. Open the head, clear the jam, close it and press Feed.",
    "tspl_paper_out": "The printer is out of paper. Load labels and press Feed.",
    "tspl_ribbon_out": "The printer is out of ribbon. Load a new ribbon.",
    "tspl_paused": "The printer is paused. Press Pause on the printer to resume.",
    "tspl_error": "The printer reports an error. Look at its lights, then switch it off and on.",
    # the document printer's PDF folder (app.devices.document_printers)
    "slips_ready": "Slips are written as PDF files into the slip folder.",
    "slips_unusable": (
        "Slips cannot be written into the slip folder. Choose another folder in the device "
        "settings or fix its permissions; waiting slips are written then."
    ),
    "slips_full": (
        "The slip folder's disk is full. Free some space; waiting slips are written then."
    ),
}
READY = PRINTER_STATUS_WORDS["ready"]
READY_NO_STATUS = PRINTER_STATUS_WORDS["ready_no_status"]


class PrinterUnreachable(DeviceError):
    template = (
        "Cannot connect to the printer at {address}: {reason}. Check that the printer is "
        "switched on and connected, and that its address is right in the device settings."
    )


class PrinterNoAnswer(DeviceError):
    template = (
        "The printer at {address} did not answer within {seconds} s. It may have a fault "
        "(head open, no labels, a jam): look at its lights or display and fix it. If it is "
        "switched off or unplugged, switch it on and check the cable."
    )


class PrinterWriteTimeout(DeviceError):
    template = (
        "The printer at {address} stopped taking data ({sent} of {total} bytes sent in "
        "{seconds} s). Check the printer for a fault, then resend the label."
    )


class PrinterConnectionLost(DeviceError):
    template = (
        "The connection to the printer at {address} was lost while sending: {reason}. "
        "Check the cable or network, then resend the label."
    )


@dataclass(frozen=True)
class PrinterConfig:
    """A station's label printer as chosen on the device screen (kept in ``stations.devices``)."""

    transport: str = "tcp"
    #: host:port (tcp), a serial port (serial), a device path like /dev/usb/lp0 (usb) or the
    #: system printer's name (system; empty for the default printer)
    address: str = ""
    language: str = "zpl"
    dpi: int = 203
    label_size: str = "4x6in"
    baud: int = 9600

    def __post_init__(self) -> None:
        if self.transport not in TRANSPORTS:
            raise ValidationError(
                "Unknown printer connection {transport!r}: choose network (tcp), "
                "serial, USB or a system printer.",
                transport=self.transport,
            )
        if self.language not in LANGUAGES:
            raise ValidationError(
                "Unknown printer language {language!r}: choose ZPL, TSPL or PDF.",
                language=self.language,
            )
        if self.dpi not in DPIS:
            raise ValidationError("A label printer has 203 or 300 dpi, not {dpi}.", dpi=self.dpi)
        if self.label_size not in SIZES:
            raise ValidationError(
                "Unknown label size {label_size!r}: choose one of {sizes}.",
                label_size=self.label_size,
                sizes=", ".join(SIZES),
            )
        if self.transport == "system" and self.language != "pdf":
            raise ValidationError(
                "System printers print PDF. Choose the language PDF for a system printer."
            )
        if self.transport in ("tcp", "serial", "usb") and not self.address:
            raise ValidationError("Enter the printer's address or port in the device settings.")

    @property
    def description(self) -> str:
        where = self.address or "the default printer"
        return f"{self.language.upper()} printer at {where}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PrinterConfig:
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        if "dpi" in known:
            known["dpi"] = int(known["dpi"])
        if "baud" in known:
            known["baud"] = int(known["baud"])
        return cls(**known)

    def with_address(self, address: str) -> PrinterConfig:
        return replace(self, address=address)


# --- what printers say about themselves ----------------------------------------------------


def parse_zpl_status(answer: bytes) -> DeviceStatus:
    """Read a ``~HS`` answer: three STX...ETX strings of comma-separated flags."""
    frames = []
    for chunk in answer.split(bytes([ETX])):
        start = chunk.find(bytes([STX]))
        if start >= 0:
            frames.append(chunk[start + 1 :].decode("ascii", errors="replace").split(","))
    if len(frames) < 2 or len(frames[0]) < 12 or len(frames[1]) < 9:
        raise DeviceError(
            "The printer gave an answer Packdesk cannot read. Check that the printer language "
            "is ZPL in the device settings."
        )
    one, two = frames[0], frames[1]
    problems = []
    if two[2] == "1":
        problems.append(PRINTER_STATUS_WORDS["zpl_head_open"])
    if one[1] == "1":
        problems.append(PRINTER_STATUS_WORDS["zpl_paper_out"])
    if two[3] == "1":
        problems.append(PRINTER_STATUS_WORDS["zpl_ribbon_out"])
    if one[2] == "1":
        problems.append(PRINTER_STATUS_WORDS["zpl_paused"])
    if one[5] == "1":
        problems.append(PRINTER_STATUS_WORDS["zpl_memory_full"])
    if one[10] == "1" or one[11] == "1":
        problems.append(PRINTER_STATUS_WORDS["zpl_head_temperature"])
    if two[7] == "1":
        problems.append(PRINTER_STATUS_WORDS["zpl_label_waiting"])
    if problems:
        return DeviceStatus(False, " ".join(problems))
    return DeviceStatus(True, READY)


TSPL_BITS = (
    (0x01, PRINTER_STATUS_WORDS["tspl_head_open"]),
    (0x02, PRINTER_STATUS_WORDS["tspl_jam"]),
    (0x04, PRINTER_STATUS_WORDS["tspl_paper_out"]),
    (0x08, PRINTER_STATUS_WORDS["tspl_ribbon_out"]),
    (0x10, PRINTER_STATUS_WORDS["tspl_paused"]),
    (0x80, PRINTER_STATUS_WORDS["tspl_error"]),
)


def parse_tspl_status(value: int) -> DeviceStatus:
    """Read the ``ESC ! ?`` byte; bit 5 alone (printing) is ready."""
    problems = [text for bit, text in TSPL_BITS if value & bit]
    if problems:
        return DeviceStatus(False, " ".join(problems))
    return DeviceStatus(True, PRINTER_STATUS_WORDS["printing"] if value & 0x20 else READY)


def zpl_answer_complete(data: bytes) -> bool:
    return data.count(bytes([ETX])) >= 3


# --- transports -----------------------------------------------------------------------------


def _split_host(address: str) -> tuple[str, int]:
    host, sep, port = address.strip().rpartition(":")
    if not sep:
        return address.strip(), DEFAULT_PORT
    try:
        return host.strip("[]"), int(port)
    except ValueError:
        raise ValidationError(
            "The printer address {address!r} is not host:port (like 192.168.1.50:9100).",
            address=address,
        ) from None


class TcpPrinter:
    """A network printer on raw TCP (port 9100); two-way, so status works."""

    def __init__(self, config: PrinterConfig, connect_timeout: float = 3.0) -> None:
        self.config = config
        self.host, self.port = _split_host(config.address)
        self.connect_timeout = connect_timeout

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def _connect(self, timeout: float) -> socket.socket:
        try:
            return socket.create_connection((self.host, self.port), timeout=timeout)
        except ConnectionRefusedError as exc:
            raise PrinterUnreachable(address=self.address, reason="connection refused") from exc
        except TimeoutError as exc:
            raise PrinterUnreachable(
                address=self.address, reason=f"no answer within {timeout:g} s"
            ) from exc
        except OSError as exc:
            raise PrinterUnreachable(address=self.address, reason=_reason(exc)) from exc

    def send(self, payload: bytes, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        sock = self._connect(min(timeout, self.connect_timeout))
        sent = 0
        try:
            view = memoryview(payload)
            while sent < len(payload):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise PrinterWriteTimeout(
                        address=self.address, sent=sent, total=len(payload), seconds=f"{timeout:g}"
                    )
                sock.settimeout(left)
                try:
                    sent += sock.send(view[sent : sent + 65536])
                except TimeoutError:
                    continue
                except OSError as exc:
                    raise PrinterConnectionLost(address=self.address, reason=_reason(exc)) from exc
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_WR)
        finally:
            sock.close()

    def status(self, timeout: float = 2.0) -> DeviceStatus:
        deadline = time.monotonic() + timeout
        sock = self._connect(min(timeout, self.connect_timeout))
        try:
            if self.config.language == "pdf":
                return DeviceStatus(True, READY_NO_STATUS)
            query = ZPL_STATUS_QUERY if self.config.language == "zpl" else TSPL_STATUS_QUERY
            try:
                sock.sendall(query)
            except OSError as exc:
                raise PrinterConnectionLost(address=self.address, reason=_reason(exc)) from exc
            answer = b""
            while not _complete(self.config.language, answer):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise PrinterNoAnswer(address=self.address, seconds=f"{timeout:g}")
                sock.settimeout(left)
                try:
                    chunk = sock.recv(4096)
                except TimeoutError:
                    continue
                except OSError as exc:
                    raise PrinterConnectionLost(address=self.address, reason=_reason(exc)) from exc
                if not chunk:
                    raise PrinterNoAnswer(address=self.address, seconds=f"{timeout:g}")
                answer += chunk
            return _parse(self.config.language, answer)
        finally:
            sock.close()


class SerialPrinter:
    """A printer on a serial port (RS-232 or USB-CDC); status works when the cable is two-way."""

    def __init__(self, config: PrinterConfig) -> None:
        self.config = config
        self._lock = threading.Lock()
        self._link = SerialLink(config.address, config.baud, device="label printer")

    @property
    def address(self) -> str:
        return self.config.address

    def send(self, payload: bytes, timeout: float = 10.0) -> None:
        with self._lock:
            if self._link.write_timeout != timeout:
                self._link.close()  # the write timeout is set when the port opens
                self._link.write_timeout = timeout
            self._link.write(payload)

    def status(self, timeout: float = 2.0) -> DeviceStatus:
        if self.config.language == "pdf":
            self._link.open()
            return DeviceStatus(True, READY_NO_STATUS)
        query = ZPL_STATUS_QUERY if self.config.language == "zpl" else TSPL_STATUS_QUERY
        with self._lock:
            self._link.reset_input()
            self._link.write(query)
            deadline = time.monotonic() + timeout
            answer = b""
            while not _complete(self.config.language, answer):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise PrinterNoAnswer(address=self.address, seconds=f"{timeout:g}")
                answer += self._link.read_available(min(left, 0.2))
            return _parse(self.config.language, answer)

    def close(self) -> None:
        self._link.close()


class UsbPrinter:
    """A USB printer-class device file (``/dev/usb/lp0``): written without blocking, with a
    deadline. Status is the device being there and writable: most printers say nothing more
    over this one-way file."""

    def __init__(self, config: PrinterConfig) -> None:
        self.config = config

    @property
    def address(self) -> str:
        return self.config.address

    def _open(self) -> int:
        path = self.config.address
        try:
            return os.open(path, os.O_WRONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        except FileNotFoundError as exc:
            raise PrinterUnreachable(
                address=path, reason="the device is not there (unplugged or switched off?)"
            ) from exc
        except PermissionError as exc:
            raise PrinterUnreachable(
                address=path, reason="no permission; on Linux add this user to the 'lp' group"
            ) from exc
        except OSError as exc:
            if exc.errno == errno.ENXIO:  # a device (or pipe) with nothing behind it
                raise PrinterUnreachable(address=path, reason="nothing is connected") from exc
            raise PrinterUnreachable(address=path, reason=_reason(exc)) from exc

    def send(self, payload: bytes, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        fd = self._open()
        sent = 0
        try:
            while sent < len(payload):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise PrinterWriteTimeout(
                        address=self.address, sent=sent, total=len(payload), seconds=f"{timeout:g}"
                    )
                _, ready, _ = select.select([], [fd], [], min(left, 0.5))
                if not ready:
                    continue
                try:
                    sent += os.write(fd, payload[sent : sent + 65536])
                except BlockingIOError:
                    continue
                except OSError as exc:
                    raise PrinterConnectionLost(address=self.address, reason=_reason(exc)) from exc
        finally:
            os.close(fd)

    def status(self, timeout: float = 2.0) -> DeviceStatus:
        path = self.config.address
        try:
            mode = os.stat(path).st_mode
        except FileNotFoundError as exc:
            raise PrinterUnreachable(
                address=path, reason="the device is not there (unplugged or switched off?)"
            ) from exc
        if stat.S_ISFIFO(mode):  # a pipe (the emulator): a reader must be there
            os.close(self._open())
        elif not os.access(path, os.W_OK):
            raise PrinterUnreachable(
                address=path, reason="no permission; on Linux add this user to the 'lp' group"
            )
        return DeviceStatus(True, READY_NO_STATUS)


def _complete(language: str, answer: bytes) -> bool:
    return zpl_answer_complete(answer) if language == "zpl" else len(answer) >= 1


def _parse(language: str, answer: bytes) -> DeviceStatus:
    if language == "zpl":
        return parse_zpl_status(answer)
    return parse_tspl_status(answer[-1])


def _reason(exc: OSError) -> str:
    if exc.errno is not None:
        return os.strerror(exc.errno).lower()
    return str(exc) or type(exc).__name__


# --- choosing a driver ----------------------------------------------------------------------

_system_factory: Callable[[PrinterConfig], LabelPrinter] | None = None


def register_system_printers(factory: Callable[[PrinterConfig], LabelPrinter]) -> None:
    """Let ``open_printer`` reach the system's printers (the UI registers Qt print support;
    app/ cannot import Qt)."""
    global _system_factory
    _system_factory = factory


def open_printer(config: PrinterConfig) -> LabelPrinter:
    """The driver for ``config``; nothing is opened until the first send or status."""
    if config.transport == "tcp":
        return TcpPrinter(config)
    if config.transport == "serial":
        return SerialPrinter(config)
    if config.transport == "usb":
        return UsbPrinter(config)
    if _system_factory is None:
        raise DeviceError(
            "System printers can be used only from the Packdesk window. Choose a network, "
            "serial or USB printer here, or print from the window."
        )
    return _system_factory(config)


def usb_printer_devices() -> list[str]:
    """USB printer device files present now (Linux ``/dev/usb/lp*``)."""
    return sorted(glob("/dev/usb/lp*"))
