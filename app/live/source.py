"""The right change source for a database: PostgreSQL announcements or SQLite polling."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Protocol

from app.db.engine import is_sqlite, sqlite_path
from app.live.changes import Change
from app.live.pg_listen import PgListener
from app.live.sqlite_watch import SqliteWatcher


class ChangeSource(Protocol):
    def run(self, emit: Callable[[Change], None], stop: threading.Event) -> None:
        """Hand changes to ``emit`` until ``stop`` is set (blocks: run it in a thread)."""


def change_source(db_url: str, station: str = "") -> ChangeSource | None:
    """What tells this station about other stations' changes; None for an in-memory SQLite."""
    if is_sqlite(db_url):
        path = sqlite_path(db_url)
        return SqliteWatcher(path) if path is not None else None
    return PgListener(db_url, application_name=f"packdesk-live:{station}")
