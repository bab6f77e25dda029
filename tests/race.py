"""Two stations racing, observed: each station is seen waiting for a lock that another connection
holds before that lock is let go, so a race test cannot pass without a race.

How a wait is observed:

- PostgreSQL: the station's own backend (its pid, read off the connection it executes on) is in
  ``pg_stat_activity`` waiting on a lock (``wait_event_type = 'Lock'``) and ``pg_blocking_pids``
  leads from it to the holder, directly or through the other station queued ahead of it.
- SQLite has no view of waiters. A station is waiting when (1) it has started its first write
  statement (``BEGIN IMMEDIATE``, INSERT, UPDATE, DELETE) and that statement has not returned,
  (2) at that moment a third connection cannot take the write lock (``BEGIN IMMEDIATE`` with no
  busy timeout fails with "database is locked"), so the holder really has it, and afterwards
  (3) the statement returned only after the holder let go. A station that never waited (no lock
  held, a station that wrote nothing, one that finished early) fails (1), (2) or (3).
"""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, event, text

from app.bootstrap import Services
from app.db.uow import UnitOfWork

_WRITE = re.compile(r"^\s*(BEGIN\s+IMMEDIATE|INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


@dataclass
class _Station:
    """What one station thread did, as seen from the engine's cursor events."""

    pid: int | None = None  # PostgreSQL backend of its latest statement
    write_started: float | None = None  # monotonic time its first write statement started
    write_returned: float | None = None  # ... and returned (SQLite: it had the write lock)
    result: Any = None
    done: bool = False
    thread: threading.Thread | None = field(default=None, repr=False)


class Race:
    """Stations run ``calls`` (each with its own unit of work) while ``holder`` holds a lock.

    ``holder`` is a connection of ``services.engine`` inside a transaction that holds the lock
    the stations need: on SQLite any write transaction (it has the write lock), on PostgreSQL
    row or table locks. Use: ``start``, ``assert_all_waiting``, then ``release`` (``let_go``, by
    default committing the holder), then ``results``.
    """

    def __init__(
        self,
        services: Services,
        holder: Connection,
        let_go: Callable[[], None] | None = None,
    ) -> None:
        self.engine: Engine = services.engine
        self.services = services
        self.holder = holder
        self._let_go = let_go
        self.sqlite = self.engine.dialect.name == "sqlite"
        self.holder_pid: int | None = None
        if not self.sqlite:
            self.holder_pid = holder.execute(text("SELECT pg_backend_pid()")).scalar_one()
        self.stations: list[_Station] = []  # in the order started
        self._by_thread: dict[int, _Station] = {}
        self.released_at: float | None = None
        self._lock = threading.Lock()
        event.listen(self.engine, "before_cursor_execute", self._before)
        event.listen(self.engine, "after_cursor_execute", self._after)

    # --- what the stations execute ----------------------------------------------------------

    def _mine(self) -> _Station | None:
        with self._lock:
            return self._by_thread.get(threading.get_ident())

    def _before(self, conn: Connection, _c: Any, statement: str, *_: Any) -> None:
        st = self._mine()
        if st is None:
            return
        if not self.sqlite:
            # the backend of the statement now starting: a connection found dead after an
            # outage is replaced by the pool, and the wait is on the new one's backend
            st.pid = conn.connection.dbapi_connection.info.backend_pid
        if st.write_started is None and _WRITE.match(statement):
            st.write_started = time.monotonic()

    def _after(self, _conn: Connection, _c: Any, statement: str, *_: Any) -> None:
        st = self._mine()
        if st is not None and st.write_returned is None and st.write_started is not None:
            st.write_returned = time.monotonic()

    # --- the test's side ---------------------------------------------------------------------

    def start(self, *calls: Callable[[UnitOfWork], Any]) -> None:
        for call in calls:
            st = _Station()

            def run(st: _Station = st, call: Callable[[UnitOfWork], Any] = call) -> None:
                with self._lock:
                    self._by_thread[threading.get_ident()] = st
                try:
                    st.result = call(self.services.uow())
                except Exception as exc:  # the test looks at which one failed, and how
                    st.result = exc
                st.done = True

            st.thread = threading.Thread(target=run, daemon=True)
            self.stations.append(st)
            st.thread.start()

    def _blocked_behind_holder(self) -> set[int]:
        """PostgreSQL backends waiting on a lock that leads back to the holder."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT pid, pg_blocking_pids(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            ).all()
        blockers = {pid: set(by) for pid, by in rows}
        behind = {self.holder_pid}
        grew = True
        while grew:
            more = {pid for pid, by in blockers.items() if by & behind} - behind
            behind |= more
            grew = bool(more)
        return behind - {self.holder_pid}

    def _sqlite_write_lock_is_held(self) -> bool:
        probe = sqlite3.connect(self.engine.url.database or "", timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            return "locked" in str(exc)
        else:
            probe.execute("ROLLBACK")
            return False
        finally:
            probe.close()

    def _all_waiting(self, n: int) -> bool:
        stations = self.stations
        if len(stations) < n:
            return False
        if not self.sqlite:
            pids = {st.pid for st in stations}
            return None not in pids and pids <= self._blocked_behind_holder()
        pending = all(st.write_started is not None and st.write_returned is None for st in stations)
        return (
            pending
            and self._sqlite_write_lock_is_held()
            and all(st.thread is not None and st.thread.is_alive() for st in stations)
        )

    def assert_all_waiting(self, n: int, timeout: float = 15.0) -> None:
        """Every one of the ``n`` stations is observed waiting behind the holder."""
        deadline = time.monotonic() + timeout
        while not self._all_waiting(n):
            finished = [st.result for st in self.stations if st.done]
            if finished or time.monotonic() > deadline:
                seen = repr(self.stations)
                self.release()  # let the stations finish: later tests need the database
                for st in self.stations:
                    if st.thread is not None:
                        st.thread.join(30)
                self._stop_watching()
                pytest.fail(
                    f"the stations were not all seen waiting for the lock: {seen} "
                    f"(finished early: {finished})"
                )
            time.sleep(0.02)  # polling the lock state, not waiting for it to change by itself

    def release(self) -> None:
        self.released_at = time.monotonic()
        if self._let_go is not None:
            self._let_go()
        else:
            self.holder.commit()
            self.holder.close()

    def results(self, timeout: float = 60.0) -> list[Any]:
        """Each station's result or error, in the order started; SQLite: each station got the
        write lock only after the holder released it."""
        try:
            stations = self.stations
            for st in stations:
                assert st.thread is not None
                st.thread.join(timeout)
                assert not st.thread.is_alive(), "a station did not finish"
            if self.sqlite:
                assert self.released_at is not None
                for st in stations:
                    assert st.write_returned is not None, f"no write lock for a station: {st}"
                    assert st.write_returned > self.released_at, "a station wrote while locked out"
            return [st.result for st in stations]
        finally:
            self._stop_watching()

    def _stop_watching(self) -> None:
        if event.contains(self.engine, "before_cursor_execute", self._before):
            event.remove(self.engine, "before_cursor_execute", self._before)
            event.remove(self.engine, "after_cursor_execute", self._after)


def hold_the_lock(services: Services, pg_lock: str) -> Connection:
    """A connection in a transaction holding what the stations need: the SQLite write lock (a
    write that changes nothing takes it), or on PostgreSQL the lock the statement ``pg_lock``
    takes."""
    conn = services.engine.connect()
    if services.engine.dialect.name == "sqlite":
        conn.exec_driver_sql("UPDATE stock_levels SET reserved = reserved WHERE 0")
    else:
        conn.execute(text(pg_lock))
    return conn
