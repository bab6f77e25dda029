"""The statements behind "Get work" (``app.services.pick_claim``).

``ready_query``: the batch a picker gets, locked, in claiming order. Both backends read it; on
SQLite the claim is then written with one UPDATE (and the audit row through the unit of work).

``claim_statement`` (PostgreSQL): the whole claim in ONE statement, so a claim costs one round
trip to the server between BEGIN and COMMIT instead of four or five: ``ready_query`` as a
``FOR UPDATE SKIP LOCKED`` CTE, the batch's UPDATE, the wave's UPDATE (released -> picking, with
its first batch) and the ``batch.claim`` audit row as data-modifying CTEs (PostgreSQL runs them
all, referenced or not, in the statement's snapshot: see "Data-Modifying Statements in WITH" in
the PostgreSQL manual), returning what the pick screen shows of the batch. The picker's user row
is read in the same statement (``picker``) and gates the claim: a disabled user or one whose
role may not pick claims nothing, and the caller refuses them as ``UnitOfWork.require`` does.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Integer,
    Select,
    String,
    and_,
    bindparam,
    case,
    cast,
    exists,
    false,
    func,
    insert,
    literal,
    or_,
    select,
    true,
    update,
)

from app.db.models import AuditEntry, Cart, PickBatch, PickTask, User, Wave
from app.db.models.base import UTCDateTime
from app.domain.users import ROLE_PERMISSIONS, Permission
from app.domain.waves import BatchStatus, TaskStatus, WaveStatus

_FINISHED = (TaskStatus.DONE.value, TaskStatus.SHORT.value)
#: the roles that may claim work (the permission ``get_work`` is marked with)
PICK_ROLES = tuple(sorted(r.value for r, can in ROLE_PERMISSIONS.items() if Permission.PICK in can))


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


@lru_cache(maxsize=4)
def claim_statement(for_user: bool, skip_locked: bool = True) -> Select[Any]:
    """PostgreSQL: claim, move the wave, audit and return the batch in one statement.

    Parameters: ``user`` (the picker's id, None for a system actor), ``username``, ``station``
    (the station's id) and ``now``. Always one row: the picker's ``active`` and ``role`` as the
    database has them now (NULL: no such user), then the batch's columns, NULL when nothing was
    claimed (no work, or a picker who may not claim)."""
    user = bindparam("user", type_=Integer)
    now = bindparam("now", type_=UTCDateTime())
    picker = select(User.active, User.role).where(User.id == user).cte("picker")
    allowed = exists().where(picker.c.active.is_(True), picker.c.role.in_(PICK_ROLES))
    if for_user:
        pick = ready_query(True, skip_locked).where(allowed).cte("pick")
    else:  # a system actor (no user row) keeps its role: nothing to read
        pick = ready_query(False, skip_locked).cte("pick")
    resumed = pick.c.status == BatchStatus.PICKING.value
    claimed = (
        update(PickBatch)
        .where(PickBatch.id == pick.c.id)
        .values(
            status=BatchStatus.PICKING.value,
            claimed_by=user,
            claimed_station_id=bindparam("station", type_=Integer),
            # a picker resuming their own batch keeps its claim time
            claimed_at=case(
                (and_(resumed, pick.c.claimed_at.is_not(None)), pick.c.claimed_at), else_=now
            ),
            started_at=func.coalesce(pick.c.started_at, now),
            version=PickBatch.version + 1,
        )
        .returning(PickBatch.claimed_at, PickBatch.started_at)
        .cte("claimed")
    )
    wave = (
        update(Wave)
        .where(Wave.id == pick.c.wave_id, Wave.status == WaveStatus.RELEASED.value)
        .values(status=WaveStatus.PICKING.value, version=Wave.version + 1)
        .cte("wave")
    )
    audit = insert(AuditEntry).from_select(
        ["at", "user_id", "username", "station_id", "action", "entity_type", "entity_id", "note"],
        select(
            now,
            user,
            bindparam("username", type_=String),
            bindparam("station", type_=Integer),
            literal("batch.claim"),
            literal("pick_batch"),
            pick.c.wave_number + "-" + cast(pick.c.number, String),
            case((pick.c.assigned_to.is_(None), "next"), else_="assigned"),
        ).where(~resumed),
    )
    got = select(
        pick.c.id,
        pick.c.wave_id,
        pick.c.number,
        pick.c.status,
        pick.c.assigned_to,
        pick.c.bulk_tote,
        pick.c.planned_m,
        pick.c.walked_m,
        pick.c.wave_number,
        pick.c.pick_method,
        pick.c.cart,
        pick.c.tasks,
        pick.c.done,
        claimed.c.claimed_at,
        claimed.c.started_at,
    ).join_from(pick, claimed, true())
    result = got.subquery("got")
    one = select(literal(1).label("one")).subquery("one")
    columns: list[Any] = [picker.c.active, picker.c.role] if for_user else []
    query = select(*columns, *result.c).select_from(one)
    if for_user:
        query = query.outerjoin(picker, true())
    return query.outerjoin(result, true()).add_cte(wave, audit.cte("audit"))
