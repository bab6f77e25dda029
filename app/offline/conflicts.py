"""Conflicts of the replay, for the supervisor: recorded through ``sync_conflicts`` (the
conflicts table and screen) in the replay's transaction. The message also stays with the
journal entry (``offline_journal.error``) and the applied key (``applied_actions.result``)."""

from __future__ import annotations

import importlib
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from app.db.uow import UnitOfWork


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
) -> int | None:
    """Record one conflict in the transaction of ``s``; None where this Packdesk has no
    conflicts table (the journal and the applied key still keep the message)."""
    try:
        conflicts = importlib.import_module("app.services.sync_conflicts")
    except ModuleNotFoundError:
        return None
    uow = UnitOfWork(lambda: s)
    uow.session = s
    found: int = conflicts.record_conflict(
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
    return found
