"""Claiming work: "Get work" on the pick screen hands a picker one batch to walk.

The order: the picker's own batch in progress first (on any station: work resumes where it
stopped), then a batch a supervisor assigned to them, then the next free one: wave priority
high first, then the earliest carrier cut-off, then the oldest wave, then the batch number.

Two stations never claim the same batch. On PostgreSQL the free batch is read with
``SELECT ... FOR UPDATE OF pick_batches SKIP LOCKED``: a batch another station is claiming at
this moment is passed over, not waited for, so many pickers pressing "Get work" at once each get
a different batch at once. On SQLite a writing unit of work begins IMMEDIATE (it holds the
database's write lock from its first statement), so claims simply run one after the other.

A supervisor assigns a ready batch to a picker (``assign_batch``) or frees a claimed one
(``unclaim``): the picker's progress stays on the tasks, and whoever claims it next resumes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, func, select, update
from sqlalchemy.orm import Session

from app.db.models import Cart, PickBatch, PickTask, User, Wave, utcnow
from app.db.uow import UnitOfWork
from app.domain.errors import ValidationError
from app.domain.users import Actor, Permission
from app.domain.waves import BatchStatus, TaskStatus, WaveStatus
from app.services.access import writes

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


def claimed_batch(s: Session, batch: PickBatch, how: str) -> ClaimedBatch:
    wave = s.get(Wave, batch.wave_id)
    assert wave is not None
    cart = s.scalar(select(Cart.code).where(Cart.id == batch.cart_id)) if batch.cart_id else ""
    total, done = s.execute(
        select(
            func.count(PickTask.id),
            func.count(PickTask.id).filter(
                PickTask.status.in_([TaskStatus.DONE.value, TaskStatus.SHORT.value])
            ),
        ).where(PickTask.batch_id == batch.id, PickTask.status != TaskStatus.CANCELLED.value)
    ).one()
    return ClaimedBatch(
        batch.id,
        wave.id,
        wave.number,
        batch.number,
        wave.pick_method,
        cart or "",
        batch.bulk_tote,
        batch.status,
        int(total),
        int(done),
        batch.planned_m,
        batch.walked_m,
        batch.claimed_at,
        batch.started_at,
        how,
    )


def _ready(where: ColumnElement[bool]) -> Select[tuple[PickBatch]]:
    """The first ready batch matching ``where`` in claiming order, locked; a batch another
    station has locked is skipped (PostgreSQL; SQLite ignores the clause: it has the write
    lock already)."""
    return (
        select(PickBatch)
        .join(Wave, Wave.id == PickBatch.wave_id)
        .where(PickBatch.status == BatchStatus.READY.value, where)
        .order_by(
            Wave.priority.desc(),
            Wave.cutoff == "",
            Wave.cutoff,
            Wave.created_at,
            Wave.id,
            PickBatch.number,
        )
        .limit(1)
        .with_for_update(skip_locked=True, of=PickBatch)
    )


def _claim(s: Session, actor: Actor, batch: PickBatch) -> None:
    now = utcnow()
    batch.status = BatchStatus.PICKING.value
    batch.claimed_by = actor.user_id
    batch.claimed_station_id = actor.station_id
    batch.claimed_at = now
    batch.started_at = batch.started_at or now
    wave_status = s.scalar(select(Wave.status).where(Wave.id == batch.wave_id))
    if wave_status == WaveStatus.RELEASED:
        s.execute(
            update(Wave)
            .where(Wave.id == batch.wave_id, Wave.status == WaveStatus.RELEASED.value)
            .values(status=WaveStatus.PICKING.value, version=Wave.version + 1)
            .execution_options(synchronize_session=False)
        )


@writes(Permission.PICK)
def get_work(uow: UnitOfWork, actor: Actor) -> ClaimedBatch | None:
    """The batch this picker should work now, claimed for them; None when there is no work."""
    with uow:
        uow.require(actor, Permission.PICK)
        s = uow.session
        if actor.user_id is not None:
            own = s.scalar(
                select(PickBatch)
                .where(
                    PickBatch.status == BatchStatus.PICKING.value,
                    PickBatch.claimed_by == actor.user_id,
                )
                .order_by(PickBatch.claimed_at, PickBatch.id)
                .limit(1)
                .with_for_update()
            )
            if own is not None:
                own.claimed_station_id = actor.station_id
                s.flush()
                result = claimed_batch(s, own, RESUMED)
                uow.commit()
                return result
            found = s.scalar(_ready(PickBatch.assigned_to == actor.user_id))
            how = ASSIGNED
        else:
            found = None
        if found is None:
            found = s.scalar(_ready(PickBatch.assigned_to.is_(None)))
            how = NEXT
        if found is None:
            return None
        _claim(s, actor, found)
        s.flush()
        result = claimed_batch(s, found, how)
        uow.audit(actor, "batch.claim", "pick_batch", result.label, note=how)
        uow.commit()
        return result


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
