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
from functools import lru_cache
from typing import Any

from sqlalchemy import Integer, Select, and_, bindparam, false, func, or_, select, update
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


_FINISHED = (TaskStatus.DONE.value, TaskStatus.SHORT.value)


@lru_cache(maxsize=4)
def _ready(for_user: bool, skip_locked: bool = True) -> Select[Any]:
    """The batch this picker gets, locked, with what the pick screen shows of it: their own
    batch in progress first, then one assigned to them, then the first free one in claiming
    order. A batch another station has locked is skipped (PostgreSQL; SQLite ignores the clause:
    it has the write lock already). One statement, so a claim is one read and one write; built
    once (the picker is the bound parameter ``user``)."""
    user = bindparam("user", type_=Integer)
    free = PickBatch.assigned_to.is_(None)
    mine = or_(free, PickBatch.assigned_to == user) if for_user else free
    ready = and_(PickBatch.status == BatchStatus.READY.value, mine)
    own = (
        and_(PickBatch.status == BatchStatus.PICKING.value, PickBatch.claimed_by == user)
        if for_user
        else false()
    )
    tasks = select(func.count(PickTask.id)).where(PickTask.batch_id == PickBatch.id)
    return (
        select(
            PickBatch.id,
            PickBatch.wave_id,
            PickBatch.number,
            PickBatch.status,
            PickBatch.assigned_to,
            PickBatch.bulk_tote,
            PickBatch.planned_m,
            PickBatch.walked_m,
            PickBatch.claimed_at,
            PickBatch.started_at,
            Wave.number.label("wave_number"),
            Wave.pick_method,
            Wave.status.label("wave_status"),
            select(Cart.code).where(Cart.id == PickBatch.cart_id).scalar_subquery().label("cart"),
            tasks.where(PickTask.status != TaskStatus.CANCELLED.value)
            .scalar_subquery()
            .label("tasks"),
            tasks.where(PickTask.status.in_(_FINISHED)).scalar_subquery().label("done"),
        )
        .join(Wave, Wave.id == PickBatch.wave_id)
        .where(or_(own, ready))
        .order_by(
            PickBatch.status != BatchStatus.PICKING.value,  # their own batch first
            PickBatch.claimed_at,
            free,  # then one assigned to them
            Wave.priority.desc(),
            Wave.cutoff == "",
            Wave.cutoff,
            Wave.created_at,
            Wave.id,
            PickBatch.number,
        )
        .limit(1)
        .with_for_update(skip_locked=skip_locked, of=PickBatch)
    )


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


@writes(Permission.PICK)
def get_work(uow: UnitOfWork, actor: Actor) -> ClaimedBatch | None:
    """The batch this picker should work now, claimed for them; None when there is no work."""
    with uow:
        uow.require(actor, Permission.PICK)
        s = uow.session
        for_user = actor.user_id is not None
        row = s.execute(_ready(for_user), {"user": actor.user_id} if for_user else {}).first()
        if row is None:
            return None
        if row.status == BatchStatus.PICKING:
            how = RESUMED
        else:
            how = NEXT if row.assigned_to is None else ASSIGNED
        claimed_at, started_at = _claim(s, actor, row, how == RESUMED)
        result = ClaimedBatch(
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
            how,
        )
        if how != RESUMED:
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
