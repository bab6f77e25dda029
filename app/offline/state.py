"""What the status bar and ``packdesk offline status`` show about the offline journal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class OfflineState:
    """The station's connection to the shared database, as the offline journal sees it.

    ``offline``: actions run against the station's own copy and wait in its journal;
    ``since``: when the station went offline (UTC, aware; None while online);
    ``waiting``: journal entries not yet applied on the shared database;
    ``conflicts``: entries that became conflicts during this session (shown to the supervisor);
    ``last_error``: why the shared database was last unreachable, or why a replay stopped."""

    offline: bool
    since: datetime | None
    waiting: int
    conflicts: int
    last_error: str = ""


#: a station working on the shared database with nothing waiting (and every SQLite-only install)
ONLINE = OfflineState(offline=False, since=None, waiting=0, conflicts=0)
