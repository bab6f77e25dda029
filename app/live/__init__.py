"""Live updates between stations: what changed elsewhere, as a stream of ``Change``s.

On PostgreSQL the database announces changes with ``NOTIFY`` (triggers of migration
``0029_notify``) and ``PgListener`` listens on a connection of its own; on SQLite
``SqliteWatcher`` polls ``PRAGMA data_version``. Both run in a thread the caller gives them
(``ui/live.py``) and hand each change to a callback. No Qt here. See docs/live-updates.md.
"""

from app.live.changes import ALL, CHANNEL, Change, parse_payload
from app.live.source import ChangeSource, change_source

__all__ = ["ALL", "CHANNEL", "Change", "ChangeSource", "change_source", "parse_payload"]
