"""Claiming work: "Get work" on the pick screen hands a picker one batch to walk.

The order: the picker's own batch in progress first (on any station: work resumes where it
stopped), then a batch a supervisor assigned to them, then the next free one: wave priority
high first, then the earliest carrier cut-off, then the oldest wave, then the batch number.

Two stations never claim the same batch. On PostgreSQL the batch is locked with
``FOR UPDATE OF pick_batches SKIP LOCKED``: a batch another station is claiming at this moment
is passed over, not waited for, so many pickers pressing "Get work" at once each get a different
batch at once. There the whole claim (the picker's check, the batch, the wave, the audit row) is
one statement, its own transaction (``app.services.pick_claim_pg``). On SQLite a writing unit of
work begins IMMEDIATE (it holds the database's write lock from its first statement), so claims
simply run one after the other: read the batch (``pick_claim_sql.ready_query``), then write it.

A supervisor assigns a ready batch to a picker (``assign_batch``) or frees a claimed one
(``unclaim``): the picker's progress stays on the tasks, and whoever claims it next resumes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.db.models import PickBatch, User, Wave, utcnow
from app.db.uow import UnitOfWork
from app.domain.errors import ValidationError
from app.domain.users import Actor, Permission
from app.domain.waves import BatchStatus, WaveStatus
from app.services.access import writes
from app.services.pick_claim_pg import claim_statement
from app.services.pick_claim_sql import ready_query

#: how a batch came to the picker
RESUMED, ASSIGNED, NEXT = "resumed", "assigned", "next"


@dataclass(frozen=True)
class ClaimedBatch:
    """The batch a picker works now."""

    batch_id: int
    wave_id: int
    wave_number: str
    #: 1, 2, 3... within the wave
    number: int
    pick_method: str
    cart: str
    bulk_tote: str
    status: str
    tasks: int
    tasks_done: int
    planned_m: float
    walked_m: float
    claimed_at: datetime | None
    started_at: datetime | None
    #: resumed (their own batch in progress) | assigned | next
    how: str

    @property
    def label(self) -> str:
        """``W000123-2``: the wave and the batch, as printed and shown."""
        return f"{self.wave_number}-{self.number}"


def _claim(s: Session, actor: Actor, row: Any, resumed: bool) -> tuple[datetime, datetime]:
    """Write the claim (one statement; the wave moves to picking with its first batch). A
    picker resuming their own batch keeps its claim time; the station is the one they use now."""
    now = utcnow()
    claimed = row.claimed_at if resumed and row.claimed_at else now
    started = row.started_at or now
    s.execute(
        update(PickBatch)
        .where(PickBatch.id == row.id)
        .values(
            status=BatchStatus.PICKING.value,
            claimed_by=actor.user_id,
            claimed_station_id=actor.station_id,
            claimed_at=claimed,
            started_at=started,
            version=PickBatch.version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    if row.wave_status == WaveStatus.RELEASED:
        s.execute(
            update(Wave)
            .where(Wave.id == row.wave_id, Wave.status == WaveStatus.RELEASED.value)
            .values(status=WaveStatus.PICKING.value, version=Wave.version + 1)
            .execution_options(synchronize_session=False)
        )
    return claimed, started


#: ``FOR UPDATE ... SKIP LOCKED`` on PostgreSQL (bench/bench_claim.py turns it off to compare)
SKIP_LOCKED = True


@writes(Permission.PICK)
def get_work(uow: UnitOfWork, actor: Actor) -> ClaimedBatch | None:
    """The batch this picker should work now, claimed for them; None when there is no work."""
    with uow:
        if uow.session.get_bind().dialect.name == "postgresql":
            result = _claim_in_one(uow, actor)
        else:
            result = _claim_in_two(uow, actor)
        uow.commit()
        return result


def _how(row: Any) -> str:
    if row.status == BatchStatus.PICKING:
        return RESUMED
    return NEXT if row.assigned_to is None else ASSIGNED


def _claimed(row: Any, claimed_at: datetime, started_at: datetime) -> ClaimedBatch:
    return ClaimedBatch(
        row.id,
        row.wave_id,
        row.wave_number,
        row.number,
        row.pick_method,
        row.cart or "",
        row.bulk_tote,
        BatchStatus.PICKING.value,
        int(row.tasks or 0),
        int(row.done or 0),
        row.planned_m,
        row.walked_m,
        claimed_at,
        started_at,
        _how(row),
    )


def _claim_in_two(uow: UnitOfWork, actor: Actor) -> ClaimedBatch | None:
    """SQLite (the unit of work holds the write lock): read the batch, then write the claim."""
    uow.require(actor, Permission.PICK)
    for_user = actor.user_id is not None
    s = uow.session
    row = s.execute(ready_query(for_user), {"user": actor.user_id} if for_user else {}).first()
    if row is None:
        return None
    result = _claimed(row, *_claim(s, actor, row, _how(row) == RESUMED))
    if result.how != RESUMED:
        uow.audit(actor, "batch.claim", "pick_batch", result.label, note=result.how)
    return result


def _claim_in_one(uow: UnitOfWork, actor: Actor) -> ClaimedBatch | None:
    """PostgreSQL: the whole claim, the audit row and the picker's permission check in one
    statement (app/services/pick_claim_pg.py), run as its own transaction (autocommit: atomic
    as any single statement is, without the round trips of BEGIN and COMMIT). A picker the
    check refuses claimed nothing."""
    for_user = actor.user_id is not None
    if not for_user:
        uow.require(actor, Permission.PICK)  # a system actor: no row to read
    s = uow.session
    s.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
    params = {
        "user": actor.user_id,
        "username": actor.username,
        "station": actor.station_id,
        "now": utcnow(),
    }
    row = s.execute(claim_statement(for_user, SKIP_LOCKED), params).one()
    if for_user:
        uow.require_read(actor, Permission.PICK, row.active, row.role)
    if row.id is None:
        return None
    return _claimed(row, row.claimed_at, row.started_at)


def _batch(s: Session, batch_id: int) -> PickBatch:
    batch = s.scalar(select(PickBatch).where(PickBatch.id == batch_id).with_for_update())
    if batch is None:
        raise ValidationError("There is no pick batch {batch}. Refresh the list.", batch=batch_id)
    return batch


def _label(s: Session, batch: PickBatch) -> str:
    return f"{s.scalar(select(Wave.number).where(Wave.id == batch.wave_id))}-{batch.number}"


@writes(Permission.PLAN_WAVES)
def assign_batch(uow: UnitOfWork, actor: Actor, batch_id: int, username: str) -> None:
    """Give a batch that nobody works yet to one picker (empty ``username``: to anyone)."""
    with uow:
        uow.require(actor, Permission.PLAN_WAVES)
        s = uow.session
        batch = _batch(s, batch_id)
        label = _label(s, batch)
        if batch.status not in (BatchStatus.PLANNED, BatchStatus.READY):
            raise ValidationError(
                "Batch {batch} is {status}; only a batch nobody works yet can be assigned. "
                "Free it first.",
                batch=label,
                status=batch.status,
            )
        user_id = None
        if username:
            user_id = s.scalar(
                select(User.id).where(User.username == username, User.active.is_(True))
            )
            if user_id is None:
                raise ValidationError(
                    "There is no active user {user}. Choose a picker from the list.",
                    user=username,
                )
        before = batch.assigned_to
        batch.assigned_to = user_id
        uow.audit(
            actor,
            "batch.assign",
            "pick_batch",
            label,
            before={"assigned_to": before},
            after={"assigned_to": user_id, "username": username},
        )
        uow.commit()


@writes(Permission.PLAN_WAVES)
def unclaim(uow: UnitOfWork, actor: Actor, batch_id: int) -> None:
    """Free a claimed batch so that another picker can take it; the picked tasks stay picked and
    the task in hand keeps its scan step."""
    with uow:
        uow.require(actor, Permission.PLAN_WAVES)
        s = uow.session
        batch = _batch(s, batch_id)
        label = _label(s, batch)
        if batch.status != BatchStatus.PICKING:
            raise ValidationError(
                "Batch {batch} is {status}; only a batch being picked can be freed.",
                batch=label,
                status=batch.status,
            )
        before = {"claimed_by": batch.claimed_by, "station": batch.claimed_station_id}
        batch.status = BatchStatus.READY.value
        batch.claimed_by = None
        batch.claimed_station_id = None
        batch.claimed_at = None
        uow.audit(actor, "batch.unclaim", "pick_batch", label, before=before)
        uow.commit()
