"""How long the shared database remembers which station actions it applied.

Every pack action of a station with an offline journal leaves its idempotency key in
``applied_actions`` (in the action's own transaction), so that a replay after an outage applies
each action once, whatever the retries. The keys are only needed while a journal entry could
still be replayed; without pruning the table would grow by every scan of every station.

``prune_applied_keys`` deletes the keys older than ``KEEP_DAYS`` (a station runs it with the
system actor each time it starts on the shared database; an administrator can run it too). A
journal entry older than that is never replayed blindly: the replayer makes it a conflict for
the supervisor (``app/offline/replay.py``), since the database can no longer say whether it was
applied.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import delete
from sqlalchemy.engine import CursorResult

from app.db.models import AppliedAction, utcnow
from app.db.uow import UnitOfWork
from app.domain.errors import ValidationError
from app.domain.users import Actor, Permission
from app.services.access import writes

#: days the keys of applied actions are kept
KEEP_DAYS = 30


@dataclass(frozen=True)
class PruneResult:
    days: int
    cutoff: datetime
    deleted: int


@writes(Permission.MANAGE_SETTINGS)
def prune_applied_keys(
    uow: UnitOfWork, actor: Actor, *, days: int = KEEP_DAYS, now: datetime | None = None
) -> PruneResult:
    """Delete the keys of actions applied more than ``days`` days ago; audited when any went."""
    if days < 1:
        raise ValidationError(
            "Keep the keys of applied actions for at least 1 day (asked: {days}).", days=days
        )
    with uow:
        uow.require(actor, Permission.MANAGE_SETTINGS)
        cutoff = (now or utcnow()) - timedelta(days=days)
        result = cast(
            CursorResult[Any],
            uow.session.execute(delete(AppliedAction).where(AppliedAction.applied_at < cutoff)),
        )
        deleted = int(result.rowcount or 0)
        if deleted:
            uow.audit(
                actor,
                "offline.prune_keys",
                "applied_actions",
                "",
                after={"days": days, "cutoff": cutoff.isoformat(), "deleted": deleted},
            )
        uow.commit()
        return PruneResult(days, cutoff, deleted)
