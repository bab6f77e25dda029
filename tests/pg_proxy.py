"""A loopback TCP proxy in front of the test PostgreSQL server, to take the database away.

``PgProxy(host, port)`` listens on 127.0.0.1 at a free port and forwards every connection to
the real server. ``cut()`` closes every connection and refuses new ones (each is accepted and
closed at once, as a server that went away); ``restore()`` forwards again. ``drop_at_commit()``
arms it for the next ``COMMIT`` a client sends: the statement reaches the server, the server's
answer is read and thrown away, and both sides are closed -- the server committed, the client
never hears it. ``commits_dropped`` counts the drops that happened."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator

from sqlalchemy.engine import make_url


class PgProxy:
    def __init__(self, host: str, port: int) -> None:
        self.upstream = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.listener.getsockname()[1]
        self.refusing = False
        self.commits_dropped = 0
        self._armed = False
        self._lock = threading.Lock()
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._closed = False
        threading.Thread(target=self._accept, name="pg-proxy", daemon=True).start()

    @classmethod
    def for_url(cls, url: str) -> PgProxy:
        u = make_url(url)
        return cls(u.host or "127.0.0.1", u.port or 5432)

    def url(self, real_url: str) -> str:
        """``real_url`` pointed at the proxy."""
        return make_url(real_url).set(host="127.0.0.1", port=self.port).render_as_string(False)

    # --- control ----------------------------------------------------------------------------

    def cut(self) -> None:
        """Every connection closed; new ones refused until ``restore``."""
        with self._lock:
            self.refusing = True
            pairs, self._pairs = self._pairs, []
        for a, b in pairs:
            _close(a, b)

    def restore(self) -> None:
        with self._lock:
            self.refusing = False

    def drop_at_commit(self) -> None:
        """The next COMMIT reaches the server; its answer never reaches the client."""
        with self._lock:
            self._armed = True

    def close(self) -> None:
        self._closed = True
        self.cut()
        self.listener.close()

    # --- forwarding -------------------------------------------------------------------------

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.refusing:
                client.close()
                continue
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            with self._lock:
                self._pairs.append((client, server))
            pair = _Pair(self, client, server)
            threading.Thread(target=pair.upward, daemon=True).start()
            threading.Thread(target=pair.downward, daemon=True).start()

    def _take_arm(self, data: bytes) -> bool:
        with self._lock:
            if self._armed and b"COMMIT" in data.upper():
                self._armed = False
                return True
            return False


class _Pair:
    def __init__(self, proxy: PgProxy, client: socket.socket, server: socket.socket) -> None:
        self.proxy, self.client, self.server = proxy, client, server
        self.dropping = threading.Event()

    def upward(self) -> None:
        for data in _chunks(self.client):
            if self.proxy._take_arm(data):
                self.dropping.set()
            try:
                self.server.sendall(data)
            except OSError:
                break
        _close(self.client, self.server)

    def downward(self) -> None:
        for data in _chunks(self.server):
            if self.dropping.is_set() and data:
                # the server's answer to COMMIT: read, never delivered
                self.proxy.commits_dropped += 1
                break
            try:
                self.client.sendall(data)
            except OSError:
                break
        _close(self.client, self.server)


def _chunks(sock: socket.socket) -> Iterator[bytes]:
    while True:
        try:
            data = sock.recv(65536)
        except OSError:
            return
        if not data:
            return
        yield data


def _close(*socks: socket.socket) -> None:
    for s in socks:
        with contextlib.suppress(OSError):
            s.shutdown(socket.SHUT_RDWR)
        with contextlib.suppress(OSError):
            s.close()
