"""Offline stations' actions the server refused when their journal was replayed (同步冲突).

A station that packed through a database outage replays its journal when the database is back.
An action the server can no longer apply (the order was cancelled at the office meanwhile, its
line changed, another station finished it) is never overwritten silently: it becomes one row
here, for a supervisor to look at and resolve with a note.

``key`` is the journal entry's idempotency key: the same entry replayed twice is one conflict.
``station_id`` is the station that did the action; it is not a foreign key, so a conflict of a
station removed since is kept. ``message`` is an English template filled from ``values`` (as
``PackdeskError``), so each screen shows it in its user's language; ``payload`` is what the
station sent, as it sent it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base, JSONType, utcnow

#: the longest idempotency key kept
SYNC_KEY_MAX = 120


class SyncConflict(Base):
    """One journal entry of an offline station that the server refused."""

    __tablename__ = "sync_conflicts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    station_id: Mapped[int] = mapped_column(Integer, index=True)
    #: the journal entry's idempotency key
    key: Mapped[str] = mapped_column(String(SYNC_KEY_MAX), unique=True)
    #: what the station did: "pack.scan", "pack.weigh", "pack.finish"...
    action: Mapped[str] = mapped_column(String(64))
    order_number: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    #: why the server refused, an English template with {placeholders} filled from ``values``
    message: Mapped[str] = mapped_column(Text)
    values: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    #: what the station sent, as it sent it
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    #: when the station did it (its clock, UTC)
    happened_at: Mapped[datetime] = mapped_column()
    #: when the server refused it
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(nullable=True)
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    resolution_note: Mapped[str] = mapped_column(Text, default="")


#: the open conflicts, oldest first: what the screen and the status bar read
Index("ix_sync_conflicts_open", SyncConflict.resolved_at, SyncConflict.happened_at)
