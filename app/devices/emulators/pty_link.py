"""The device end of an emulated serial cable.

``PtyLink`` is a real pseudo-terminal (POSIX only): the app opens ``link.port`` with pyserial
exactly as it opens ``/dev/ttyUSB0``. ``port`` is a stable symlink to the pty's slave, like the
links under ``/dev/serial/by-id/``, so unplugging and plugging back in keeps the name while the
pty underneath changes, as with real USB devices.

``TcpLink`` is the same over loopback TCP for pyserial's ``socket://`` URLs: it works on
Windows too, where there are no ptys.
"""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import socket
import tempfile
import threading
from typing import Protocol

from app.domain.errors import DeviceError

try:  # POSIX only; importing this module on Windows must not fail
    import pty
    import tty
except ImportError:  # pragma: no cover - exercised on Windows only
    pty = None  # type: ignore[assignment]
    tty = None  # type: ignore[assignment]

HAS_PTY = pty is not None


class Unplugged(OSError):
    """The emulated device is unplugged; nothing can be written."""


class EmulatorLink(Protocol):
    """What an emulator talks through."""

    @property
    def port(self) -> str: ...

    @property
    def plugged(self) -> bool: ...

    def write(self, data: bytes) -> None: ...

    def read(self, timeout: float) -> bytes: ...

    def unplug(self) -> None: ...

    def replug(self) -> None: ...

    def close(self) -> None: ...


class PtyLink:
    """A pseudo-terminal whose slave the app opens; the emulator reads and writes the master."""

    def __init__(self, name: str = "emu", directory: str | None = None) -> None:
        if pty is None or tty is None:
            raise DeviceError(
                "Device emulators on a serial port need a POSIX pseudo-terminal, which this "
                "system does not have. Use the socket:// emulator (TcpLink) instead."
            )
        self._own_dir = directory is None
        self._dir = directory or tempfile.mkdtemp(prefix="packdesk-emu-")
        self._port = os.path.join(self._dir, f"tty{name}")
        self._lock = threading.Lock()
        self._master: int | None = None
        self._slave: int | None = None
        self.slave_name = ""
        self.replug()

    @property
    def port(self) -> str:
        return self._port

    @property
    def plugged(self) -> bool:
        return self._master is not None

    def replug(self) -> None:
        """Plug the device (back) in: a new pty behind the same port name."""
        assert pty is not None and tty is not None
        with self._lock:
            if self._master is not None:
                return
            master, slave = pty.openpty()
            tty.setraw(slave)
            tty.setraw(master)
            # never block on the master: after an unplug its number may belong to a new fd
            os.set_blocking(master, False)
            self.slave_name = os.ttyname(slave)
            tmp = self._port + ".new"
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            os.symlink(self.slave_name, tmp)
            os.replace(tmp, self._port)
            self._master, self._slave = master, slave

    def unplug(self) -> None:
        """Pull the cable: the app's reads fail and the port name disappears."""
        with self._lock:
            master, slave = self._master, self._slave
            self._master = self._slave = None
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._port)
            for fd in (master, slave):
                if fd is not None:
                    with contextlib.suppress(OSError):
                        os.close(fd)

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            with self._lock:  # the fd cannot be closed (and reused) while we write to it
                fd = self._master
                if fd is None:
                    raise Unplugged("the emulated device is unplugged")
                try:
                    n = os.write(fd, view)
                except BlockingIOError:
                    n = 0
                except OSError as exc:
                    raise Unplugged(str(exc)) from exc
            view = view[n:]
            if view and not n:
                select.select([], [fd], [], 0.05)  # the app is not reading: wait a little

    def read(self, timeout: float) -> bytes:
        """What the app wrote, waiting up to ``timeout`` seconds (b"" if nothing)."""
        fd = self._master
        if fd is None:
            return b""
        try:
            select.select([fd], [], [], timeout)
        except (OSError, ValueError):
            return b""  # unplugged while waiting
        with self._lock:
            if fd != self._master:
                return b""  # unplugged (and maybe plugged in again) meanwhile
            try:
                return os.read(fd, 4096)
            except OSError:  # nothing there after all (EAGAIN), or the line went dead
                return b""

    def close(self) -> None:
        self.unplug()
        if self._own_dir:
            shutil.rmtree(self._dir, ignore_errors=True)


class TcpLink:
    """An emulated serial device on loopback TCP: the app opens ``socket://127.0.0.1:<port>``."""

    def __init__(self, name: str = "emu", host: str = "127.0.0.1", port: int = 0) -> None:
        self.name = name
        self._host = host
        self._tcp_port = port
        self._server: socket.socket | None = None
        self._client: socket.socket | None = None
        self._lock = threading.Lock()
        self._accepted = threading.Condition(self._lock)
        self.replug()

    @property
    def port(self) -> str:
        return f"socket://{self._host}:{self._tcp_port}"

    @property
    def plugged(self) -> bool:
        return self._server is not None

    def replug(self) -> None:
        with self._lock:
            if self._server is not None:
                return
            srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            srv.bind((self._host, self._tcp_port))
            self._tcp_port = srv.getsockname()[1]
            srv.listen(1)
            self._server = srv
        threading.Thread(target=self._accept, args=(srv,), daemon=True, name="tcp-emu").start()

    def _accept(self, srv: socket.socket) -> None:
        while True:
            try:
                conn, _ = srv.accept()
            except OSError:
                return  # closed (unplugged)
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                if self._client is not None:
                    with contextlib.suppress(OSError):
                        self._client.close()
                self._client = conn
                self._accepted.notify_all()

    def wait_connected(self, timeout: float) -> bool:
        with self._lock:
            return self._accepted.wait_for(lambda: self._client is not None, timeout)

    def unplug(self) -> None:
        with self._lock:
            srv, client = self._server, self._client
            self._server = self._client = None
        for s in (client, srv):
            if s is not None:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                with contextlib.suppress(OSError):
                    s.close()

    def write(self, data: bytes) -> None:
        client = self._client
        if client is None:
            raise Unplugged("no application is connected to the emulated device")
        try:
            client.sendall(data)
        except OSError as exc:
            raise Unplugged(str(exc)) from exc

    def read(self, timeout: float) -> bytes:
        client = self._client
        if client is None:
            if timeout > 0:
                threading.Event().wait(min(timeout, 0.05))
            return b""
        try:
            ready, _, _ = select.select([client], [], [], timeout)
            if not ready:
                return b""
            data = client.recv(4096)
        except (OSError, ValueError):
            return b""
        if not data:  # the app closed its end
            with self._lock:
                if self._client is client:
                    self._client = None
            client.close()
        return data

    def close(self) -> None:
        self.unplug()


def default_link(name: str) -> PtyLink | TcpLink:
    """A pty where the system has them (POSIX), else loopback TCP for ``socket://``."""
    return PtyLink(name) if HAS_PTY else TcpLink(name)
