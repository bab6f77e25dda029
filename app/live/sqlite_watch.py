"""Several windows or processes on one SQLite file: ``PRAGMA data_version`` tells when another
connection committed."""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

from app.live.changes import Change, refresh_everything

log = logging.getLogger(__name__)

#: how often the file is asked whether it changed
INTERVAL_S = 0.5


class SqliteWatcher:
    """Polls ``PRAGMA data_version`` on a connection of its own every ``interval_s``; when the
    number moves, some other connection committed (another window, the command line, or this
    program's own pool): ``run`` emits "refresh everything" (kind ``"*"``), since SQLite does not
    say what changed. One poll reads a counter in the shared WAL index: a few microseconds."""

    def __init__(self, path: Path, *, interval_s: float = INTERVAL_S) -> None:
        self.path = path
        self.interval_s = interval_s
        #: polls made so far (tests wait for one to prove the watcher ran)
        self.polls = 0

    def run(self, emit: Callable[[Change], None], stop: threading.Event) -> None:
        conn: sqlite3.Connection | None = None
        seen: int | None = None
        try:
            while not stop.is_set():
                try:
                    if conn is None:
                        conn = sqlite3.connect(self.path, isolation_level=None, timeout=1.0)
                    version = int(conn.execute("PRAGMA data_version").fetchone()[0])
                except sqlite3.Error as exc:
                    log.info("live updates: cannot read %s (%s)", self.path, exc)
                    if conn is not None:
                        conn.close()
                    conn, seen = None, None
                else:
                    if seen is not None and version != seen:
                        emit(refresh_everything())
                    seen = version
                self.polls += 1
                stop.wait(self.interval_s)
        finally:
            if conn is not None:
                conn.close()
