"""An emulated label printer speaking ZPL or TSPL, for demo mode and tests.

It listens on loopback TCP (an ephemeral port, like a network printer's 9100), and can also sit
behind a serial pty or a named pipe standing in for ``/dev/usb/lp0``. It keeps every whole job
it received (``^XA...^XZ``, or TSPL up to ``PRINT``), prints them while it is ready and holds
them while it is not, and answers ``~HS`` / ``ESC ! ?`` from its state: paper out, head open,
paused, ribbon out. ``silent`` makes it never answer (a fault Zebra documents); ``stalled``
makes it stop reading, so senders time out.
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from app.devices.emulators.pty_link import PtyLink
from app.labels import tspl

STX, ETX = b"\x02", b"\x03"


@dataclass(frozen=True)
class ReceivedJob:
    """One whole job as the printer received it."""

    language: str
    payload: bytes
    received_at: float


class _Session:
    """The protocol state of one connection: bytes in, answers out, whole jobs found."""

    def __init__(self, printer: PrinterEmulator) -> None:
        self.printer = printer
        self.buffer = b""

    def feed(self, data: bytes) -> bytes:
        self.buffer += data
        if self.printer.language == "zpl":
            return self._zpl()
        return self._tspl()

    def _zpl(self) -> bytes:
        answers = b""
        while True:
            hs = self.buffer.find(b"~HS")
            start = self.buffer.find(b"^XA")
            if hs >= 0 and (start < 0 or hs < start):
                answers += self.printer.answer_status()
                self.buffer = self.buffer[hs + 3 :]
                continue
            if start < 0:
                # keep a possible partial "~H" / "^X" at the end
                self.buffer = self.buffer[-2:]
                return answers
            end = self.buffer.find(b"^XZ", start)
            if end < 0:
                self.buffer = self.buffer[start:]
                return answers
            self.printer.receive(self.buffer[start : end + 3])
            self.buffer = self.buffer[end + 3 :]

    def _tspl(self) -> bytes:
        answers = b""
        try:
            commands, rest = tspl.parse(self.buffer)
        except tspl.TsplSyntaxError:
            self.buffer = b""
            return answers
        consumed = len(self.buffer) - len(rest)
        job_start = 0
        skip: list[tuple[int, int]] = []
        for cmd in commands:
            if cmd.name.startswith("ESC!"):
                if cmd.name == "ESC!?":
                    answers += self.printer.answer_status()
                skip.append((cmd.start, cmd.end))
            elif cmd.name == "PRINT":
                job = b"".join(self.buffer[a:b] for a, b in _gaps(job_start, cmd.end, skip)).strip()
                self.printer.receive(job + b"\r\n")
                job_start, skip = cmd.end, []
        keep_from = job_start
        pending = b"".join(self.buffer[a:b] for a, b in _gaps(keep_from, consumed, skip))
        self.buffer = pending + rest
        return answers


def _gaps(start: int, end: int, skip: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """[start, end) without the ``skip`` ranges."""
    out, pos = [], start
    for a, b in sorted(skip):
        if b <= start or a >= end:
            continue
        if a > pos:
            out.append((pos, a))
        pos = max(pos, b)
    if pos < end:
        out.append((pos, end))
    return out


class PrinterEmulator:
    """A label printer you can talk to over loopback TCP, a serial pty or a pipe."""

    def __init__(self, language: str = "zpl", host: str = "127.0.0.1") -> None:
        if language not in ("zpl", "tspl"):
            raise ValueError(f"the printer emulator speaks zpl or tspl, not {language!r}")
        self.language = language
        self.host = host
        self.port = 0
        self.paper_out = False
        self.head_open = False
        self.paused = False
        self.ribbon_out = False
        #: never answer status queries (a fault that Zebra printers show this way)
        self.silent = False
        #: stop reading data: the sender's buffers fill and its writes time out
        self.stalled = False
        #: called with each printed job (the emulator panel shows them)
        self.on_print: Callable[[ReceivedJob], None] | None = None
        self.status_queries = 0
        self._held: list[ReceivedJob] = []
        self._printed: list[ReceivedJob] = []
        self._lock = threading.Condition()
        self._server: socket.socket | None = None
        self._conns: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []
        self._stop = threading.Event()
        self._pty: PtyLink | None = None
        self._fifo: str | None = None
        self._fifo_dir: str | None = None

    # --- state -----------------------------------------------------------------------------

    @property
    def ready(self) -> bool:
        return not (self.paper_out or self.head_open or self.paused or self.ribbon_out)

    @property
    def jobs(self) -> list[bytes]:
        """Payloads of the jobs printed so far, oldest first."""
        with self._lock:
            return [job.payload for job in self._printed]

    @property
    def printed(self) -> list[ReceivedJob]:
        with self._lock:
            return list(self._printed)

    @property
    def held(self) -> list[bytes]:
        """Jobs received while not ready, printed when the fault is cleared."""
        with self._lock:
            return [job.payload for job in self._held]

    def set_state(self, **flags: bool) -> None:
        """Change paper_out, head_open, paused, ribbon_out, silent or stalled; held jobs
        print as soon as the printer is ready again."""
        for name, value in flags.items():
            if name not in ("paper_out", "head_open", "paused", "ribbon_out", "silent", "stalled"):
                raise AttributeError(name)
            setattr(self, name, bool(value))
        self._print_held()

    def wait_for_jobs(self, count: int, timeout: float = 5.0) -> bool:
        with self._lock:
            return self._lock.wait_for(lambda: len(self._printed) >= count, timeout)

    def clear(self) -> None:
        with self._lock:
            self._printed.clear()
            self._held.clear()

    def receive(self, payload: bytes) -> None:
        job = ReceivedJob(self.language, payload, time.time())
        with self._lock:
            self._held.append(job)
        self._print_held()

    def _print_held(self) -> None:
        done: list[ReceivedJob] = []
        with self._lock:
            if self.ready and self._held:
                done, self._held = self._held, []
                self._printed.extend(done)
                self._lock.notify_all()
        if self.on_print is not None:
            for job in done:
                self.on_print(job)

    def status_answer(self) -> bytes:
        """What this printer answers to a status query in its state."""
        if self.language == "zpl":
            one = (
                f"030,{int(self.paper_out)},{int(self.paused)},1218,"
                f"{len(self._held):03d},0,0,0,000,0,0,0"
            )
            two = f"001,0,{int(self.head_open)},{int(self.ribbon_out)},0,2,4,0,00000000,1,000"
            return b"".join(STX + s.encode() + ETX + b"\r\n" for s in (one, two, "1234,0"))
        value = (
            (0x01 if self.head_open else 0)
            | (0x04 if self.paper_out else 0)
            | (0x08 if self.ribbon_out else 0)
            | (0x10 if self.paused else 0)
        )
        return bytes([value])

    def answer_status(self) -> bytes:
        self.status_queries += 1
        return b"" if self.silent else self.status_answer()

    # --- network ---------------------------------------------------------------------------

    def start(self) -> tuple[str, int]:
        """Listen on loopback TCP; returns (host, port) to put in the printer settings."""
        srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        srv.bind((self.host, self.port))
        srv.listen(8)
        srv.settimeout(0.2)
        self._server = srv
        self.port = srv.getsockname()[1]
        self._spawn(self._accept, srv)
        return self.host, self.port

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def _spawn(self, target: Callable[..., None], *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True, name="printer-emu")
        self._threads.append(thread)
        thread.start()

    def _accept(self, srv: socket.socket) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = srv.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            # a small receive buffer makes "stalled" reach the sender quickly
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
            self._conns.add(conn)
            self._spawn(self._serve, conn)

    def _serve(self, conn: socket.socket) -> None:
        session = _Session(self)
        conn.settimeout(0.2)
        try:
            while not self._stop.is_set():
                if self.stalled:
                    time.sleep(0.05)
                    continue
                try:
                    data = conn.recv(65536)
                except TimeoutError:
                    continue
                except OSError:
                    return
                if not data:
                    return
                answer = session.feed(data)
                if answer:
                    with contextlib.suppress(OSError):
                        conn.sendall(answer)
        finally:
            self._conns.discard(conn)
            with contextlib.suppress(OSError):
                conn.close()

    # --- serial and USB stand-ins ----------------------------------------------------------

    def start_serial(self) -> str:
        """Also listen on a serial pty; returns the port to open (like /dev/ttyUSB0)."""
        self._pty = PtyLink("printer")
        self._spawn(self._serve_pty, self._pty)
        return self._pty.port

    def _serve_pty(self, link: PtyLink) -> None:
        session = _Session(self)
        while not self._stop.is_set():
            if self.stalled:
                time.sleep(0.05)
                continue
            data = link.read(0.2)
            if data:
                answer = session.feed(data)
                if answer:
                    with contextlib.suppress(OSError):
                        link.write(answer)

    def start_usb(self, path: str | None = None) -> str:
        """Also read a named pipe standing in for a USB printer device file; returns its path."""
        if path is None:
            self._fifo_dir = tempfile.mkdtemp(prefix="packdesk-lp-")
            path = os.path.join(self._fifo_dir, "lp0")
        os.mkfifo(path)
        self._fifo = path
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        self._spawn(self._serve_fifo, fd)
        return path

    def _serve_fifo(self, fd: int) -> None:
        session = _Session(self)
        try:
            while not self._stop.is_set():
                if self.stalled:
                    time.sleep(0.05)
                    continue
                ready, _, _ = select.select([fd], [], [], 0.2)
                if not ready:
                    continue
                try:
                    data = os.read(fd, 65536)
                except BlockingIOError:
                    continue
                if data:
                    session.feed(data)  # one-way: answers have nowhere to go
                else:
                    time.sleep(0.02)  # no writer at the moment
        finally:
            os.close(fd)

    def stop(self) -> None:
        self._stop.set()
        if self._server is not None:
            with contextlib.suppress(OSError):
                self._server.close()
        for conn in list(self._conns):
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        for thread in self._threads:
            thread.join(timeout=2)
        self._threads.clear()
        if self._pty is not None:
            self._pty.close()
        if self._fifo is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._fifo)
            if self._fifo_dir is not None:
                with contextlib.suppress(OSError):
                    os.rmdir(self._fifo_dir)

    def __enter__(self) -> PrinterEmulator:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
