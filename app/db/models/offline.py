"""What the shared database keeps for stations that work through an outage (docs/offline.md).

**Applied actions** (``applied_actions``): the idempotency key of every pack action a station
ran while it could not reach the database (and of every pack action it ran online, so a commit
whose answer was lost is recognised), inserted in the same transaction as the action itself: a
replay that finds its key skips the action, so an action is applied once whatever the retries.
``result`` keeps what the action answered (the pack session it opened, its outcome) for the
replay that finds the key.

Tracking numbers reserved for a station (``tracking_numbers.reserved_station_id``) are in
``app.db.models.shipping``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base, JSONType, utcnow


class AppliedAction(Base):
    __tablename__ = "applied_actions"

    #: the journal entry's idempotency key (a UUID)
    key: Mapped[str] = mapped_column(String(36), primary_key=True)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"), nullable=True)
    #: the journal's action name (pack.scan, pack.open...)
    action: Mapped[str] = mapped_column(String(40))
    applied_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSONType, nullable=True)
