"""The claiming order of "Get work" (``app.services.pick_claim``) as one query, and the parts
the PostgreSQL claim (``app.services.pick_claim_pg``) shares with it.

``ready_query``: the batch a picker gets, locked, in claiming order. SQLite reads it (and the
claim is then written with one UPDATE); the PostgreSQL claim gives the same batch in the same
situations (tests/integration/test_pick_claim_one_statement.py holds the two to it).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Integer,
    Select,
    and_,
    bindparam,
    false,
    func,
    or_,
    select,
)

from app.db.models import Cart, PickBatch, PickTask, Wave
from app.domain.users import ROLE_PERMISSIONS, Permission
from app.domain.waves import BatchStatus, TaskStatus

_FINISHED = (TaskStatus.DONE.value, TaskStatus.SHORT.value)
#: the roles that may claim work (the permission ``get_work`` is marked with)
PICK_ROLES = tuple(sorted(r.value for r, can in ROLE_PERMISSIONS.items() if Permission.PICK in can))


def batch_columns(wave: Any) -> list[Any]:
    """What the pick screen shows of a batch (``wave``: the waves table or a subquery of it)."""
    tasks = select(func.count(PickTask.id)).where(PickTask.batch_id == PickBatch.id)
    return [
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
        wave.number.label("wave_number"),
        wave.pick_method,
        wave.status.label("wave_status"),
        select(Cart.code).where(Cart.id == PickBatch.cart_id).scalar_subquery().label("cart"),
        tasks.where(PickTask.status != TaskStatus.CANCELLED.value).scalar_subquery().label("tasks"),
        tasks.where(PickTask.status.in_(_FINISHED)).scalar_subquery().label("done"),
    ]


def wave_order(wave: Any) -> list[Any]:
    """Claiming order among waves: priority high first, then the earliest carrier cut-off (none
    last), then the oldest wave (``wave``: the waves table or a subquery of it)."""
    return [wave.priority.desc(), wave.cutoff == "", wave.cutoff, wave.created_at, wave.id]


@lru_cache(maxsize=4)
def ready_query(for_user: bool, skip_locked: bool = True) -> Select[Any]:
    """The batch this picker gets, locked, with what the pick screen shows of it: their own
    batch in progress first, then one assigned to them, then the first free one in claiming
    order. A batch another station has locked is skipped (PostgreSQL; SQLite ignores the clause:
    it has the write lock already). Built once (the picker is the bound parameter ``user``)."""
    user = bindparam("user", type_=Integer)
    free = PickBatch.assigned_to.is_(None)
    mine = or_(free, PickBatch.assigned_to == user) if for_user else free
    ready = and_(PickBatch.status == BatchStatus.READY.value, mine)
    own = (
        and_(PickBatch.status == BatchStatus.PICKING.value, PickBatch.claimed_by == user)
        if for_user
        else false()
    )
    return (
        select(*batch_columns(Wave))
        .join(Wave, Wave.id == PickBatch.wave_id)
        .where(or_(own, ready))
        .order_by(
            PickBatch.status != BatchStatus.PICKING.value,  # their own batch first
            PickBatch.claimed_at,
            free,  # then one assigned to them
            *wave_order(Wave),
            PickBatch.number,
        )
        .limit(1)
        .with_for_update(skip_locked=skip_locked, of=PickBatch)
    )
