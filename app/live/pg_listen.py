"""Listen to PostgreSQL's announcements on a connection of our own (not from the pool)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
from sqlalchemy.engine import make_url

from app.live.changes import CHANNEL, Change, parse_payload, refresh_everything

log = logging.getLogger(__name__)

#: pauses before the 1st, 2nd... reconnection attempt (the last one repeats)
BACKOFF_S = (0.1, 0.25, 0.5, 1.0, 2.0, 5.0)
#: how often the listening thread looks at its stop flag while no announcement arrives
WAKE_S = 0.2
CONNECT_TIMEOUT_S = 3


def connect_args(url: str) -> dict[str, Any]:
    """psycopg keyword arguments for a SQLAlchemy PostgreSQL URL."""
    u = make_url(url)
    args: dict[str, Any] = {
        k: v
        for k, v in u.translate_connect_args(username="user", database="dbname").items()
        if v is not None
    }
    args.update({k: v for k, v in u.query.items() if isinstance(v, str)})
    return args


class PgListener:
    """``LISTEN packdesk_changes`` on a dedicated autocommit connection; ``run`` hands every
    announcement to ``emit`` as a ``Change`` until ``stop`` is set.

    When the server goes away the listener reconnects with a growing pause (``BACKOFF_S``), and
    after reconnecting emits "refresh everything" (kind ``"*"``): announcements sent while it was
    away are lost for good, so every screen must read again."""

    def __init__(self, url: str, *, application_name: str = "packdesk-live") -> None:
        self.url = url
        self.application_name = application_name[:63]
        #: the server process of the current listening connection (None while not connected)
        self.backend_pid: int | None = None
        #: times the connection was lost and made again
        self.reconnects = 0
        self.connected = threading.Event()

    def _connect(self) -> psycopg.Connection[Any]:
        conn = psycopg.connect(
            **connect_args(self.url),
            autocommit=True,
            application_name=self.application_name,
            connect_timeout=CONNECT_TIMEOUT_S,
        )
        try:
            conn.execute(f"LISTEN {CHANNEL}")
        except BaseException:
            conn.close()
            raise
        return conn

    def run(self, emit: Callable[[Change], None], stop: threading.Event) -> None:
        attempt, lost = 0, False
        while not stop.is_set():
            try:
                conn = self._connect()
            except psycopg.Error as exc:
                delay = BACKOFF_S[min(attempt, len(BACKOFF_S) - 1)]
                log.info("live updates: cannot listen (%s), again in %.1f s", _first(exc), delay)
                attempt += 1
                lost = True
                stop.wait(delay)
                continue
            attempt = 0
            self.backend_pid = conn.info.backend_pid
            self.connected.set()
            if lost:
                self.reconnects += 1
                log.info("live updates: listening again; every screen refreshes")
                emit(refresh_everything())
            try:
                for change in self._changes(conn, stop):
                    emit(change)
            except psycopg.Error as exc:
                log.info("live updates: connection lost (%s)", _first(exc))
                lost = True
            finally:
                self.connected.clear()
                self.backend_pid = None
                conn.close()
            if lost:
                stop.wait(BACKOFF_S[0])

    def _changes(self, conn: psycopg.Connection[Any], stop: threading.Event) -> Iterator[Change]:
        while not stop.is_set():
            for note in conn.notifies(timeout=WAKE_S):
                if note.channel != CHANNEL:
                    continue
                change = parse_payload(note.payload)
                if change is not None:
                    yield change
                if stop.is_set():
                    return


def _first(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
