"""Conflicts of the replay, for the supervisor: recorded through ``sync_conflicts`` (the
conflicts table and screen) in the replay's transaction. The message also stays with the
journal entry (``offline_journal.error``) and the applied key (``applied_actions.result``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from app.db.uow import UnitOfWork
from app.services import sync_conflicts


def record_conflict(
    s: Session,
    *,
    station_id: int,
    key: str,
    action: str,
    order_number: str | None,
    message: str,
    values: dict[str, Any],
    happened_at: datetime,
    payload: dict[str, object],
) -> int:
    """Record one conflict in the transaction of ``s`` (the same key twice: the first one)."""
    uow = UnitOfWork(lambda: s)
    uow.session = s
    return sync_conflicts.record_conflict(
        uow,
        station_id=station_id,
        key=key,
        action=action,
        order_number=order_number,
        message=message,
        values=values,
        happened_at=happened_at,
        payload=payload,
    )
