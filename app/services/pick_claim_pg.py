"""The claim on PostgreSQL in ONE statement (``app.services.pick_claim.get_work``).

A claim costs one round trip to the server between BEGIN and COMMIT instead of four or five:

- ``picker``: the picker's user row, read now; it gates the claim (a disabled user, or a role
  that may not pick, claims nothing) and the caller refuses them as ``UnitOfWork.require`` does;
- ``own`` / ``assigned`` / ``free``: the batch, in the claiming order of
  ``pick_claim_sql.ready_query`` (their own batch in progress, then one assigned to them, then
  the first free one by wave and number), locked ``FOR UPDATE SKIP LOCKED``. Each looks only
  when the ones before found nothing, so one batch at most is locked. The free batch is read
  wave by wave: the waves that have a free batch are sorted first (a few rows), then their
  batches follow in number order, so PostgreSQL sorts one wave's batches (an incremental sort)
  rather than every ready batch in the warehouse at each claim;
- ``claimed``, ``wave``, ``audit``: the batch's UPDATE, the wave's (released -> picking with its
  first batch) and the ``batch.claim`` audit row, as data-modifying CTEs (PostgreSQL runs them
  all, referenced or not, on the statement's snapshot: "Data-Modifying Statements in WITH" in
  its manual);
- and the row returned: the picker's ``active`` and ``role``, then what the pick screen shows
  of the batch (NULL when nothing was claimed).

Ready batches have no claim time (a batch becomes ready at release and when freed, both without
one), so ``ready_query``'s ordering by claim time only ever orders a picker's own batches.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import (
    CTE,
    ColumnElement,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    case,
    cast,
    exists,
    func,
    insert,
    literal,
    select,
    true,
    union_all,
    update,
)

from app.db.models import AuditEntry, PickBatch, User, Wave
from app.db.models.base import UTCDateTime
from app.domain.users import ROLE_PERMISSIONS, Permission
from app.domain.waves import BatchStatus, WaveStatus
from app.services.pick_claim_sql import batch_columns, wave_order

#: the roles that may claim work (the permission ``get_work`` is marked with)
PICK_ROLES = tuple(sorted(r.value for r, can in ROLE_PERMISSIONS.items() if Permission.PICK in can))

_USER = bindparam("user", type_=Integer)
_NOW = bindparam("now", type_=UTCDateTime())
_STATION = bindparam("station", type_=Integer)


def _first(query: Select[Any], skip_locked: bool, name: str) -> CTE:
    return query.limit(1).with_for_update(skip_locked=skip_locked, of=PickBatch).cte(name)


def _none_in(*found: CTE) -> list[ColumnElement[bool]]:
    return [~exists().select_from(f) for f in found]


def _free(skip_locked: bool, gate: list[ColumnElement[bool]]) -> CTE:
    """The first free ready batch: waves sorted first, then their batches by number."""
    free = and_(PickBatch.status == BatchStatus.READY.value, PickBatch.assigned_to.is_(None))
    waves = (
        select(
            Wave.id,
            Wave.number,
            Wave.pick_method,
            Wave.status,
            Wave.priority,
            Wave.cutoff,
            Wave.created_at,
        )
        .where(Wave.id.in_(select(PickBatch.wave_id).where(free)))
        .order_by(*wave_order(Wave))
        .subquery("w")
    )
    query = (
        select(*batch_columns(waves.c))
        .select_from(waves)
        .join(PickBatch, PickBatch.wave_id == waves.c.id)
        .where(free, *gate)
        .order_by(*wave_order(waves.c), PickBatch.number)
    )
    return _first(query, skip_locked, "free")


def _pick(for_user: bool, skip_locked: bool, picker: CTE) -> CTE:
    """The one batch this picker gets (no row: none), locked."""
    if not for_user:  # a system actor (no user row) keeps its role: nothing to read
        return _free(skip_locked, [])
    allowed = exists().where(picker.c.active.is_(True), picker.c.role.in_(PICK_ROLES))
    batches = select(*batch_columns(Wave)).join(Wave, Wave.id == PickBatch.wave_id)
    own = _first(
        batches.where(
            allowed,
            PickBatch.status == BatchStatus.PICKING.value,
            PickBatch.claimed_by == _USER,
        ).order_by(
            PickBatch.claimed_at,
            PickBatch.assigned_to.is_(None),
            *wave_order(Wave),
            PickBatch.number,
        ),
        skip_locked,
        "own",
    )
    assigned = _first(
        batches.where(
            allowed,
            *_none_in(own),
            PickBatch.status == BatchStatus.READY.value,
            PickBatch.assigned_to == _USER,
        ).order_by(*wave_order(Wave), PickBatch.number),
        skip_locked,
        "assigned",
    )
    free = _free(skip_locked, [allowed, *_none_in(own, assigned)])
    return union_all(select(own), select(assigned), select(free)).cte("pick")


def _claimed(pick: CTE) -> CTE:
    """The batch's UPDATE, returning its claim and start times."""
    resumed = pick.c.status == BatchStatus.PICKING.value
    return (
        update(PickBatch)
        .where(PickBatch.id == pick.c.id)
        .values(
            status=BatchStatus.PICKING.value,
            claimed_by=_USER,
            claimed_station_id=_STATION,
            # a picker resuming their own batch keeps its claim time
            claimed_at=case(
                (and_(resumed, pick.c.claimed_at.is_not(None)), pick.c.claimed_at), else_=_NOW
            ),
            started_at=func.coalesce(pick.c.started_at, _NOW),
            version=PickBatch.version + 1,
        )
        .returning(PickBatch.claimed_at, PickBatch.started_at)
        .cte("claimed")
    )


def _wave(pick: CTE) -> CTE:
    """A released wave moves to picking with its first claimed batch."""
    return (
        update(Wave)
        .where(Wave.id == pick.c.wave_id, Wave.status == WaveStatus.RELEASED.value)
        .values(status=WaveStatus.PICKING.value, version=Wave.version + 1)
        .cte("wave")
    )


def _audit(pick: CTE) -> CTE:
    """The ``batch.claim`` row ``UnitOfWork.audit`` would write (not when resuming)."""
    names = ["at", "user_id", "username", "station_id", "action", "entity_type", "entity_id"]
    return (
        insert(AuditEntry)
        .from_select(
            [*names, "note", "before", "after"],
            select(
                _NOW,
                _USER,
                bindparam("username", type_=String),
                _STATION,
                literal("batch.claim"),
                literal("pick_batch"),
                pick.c.wave_number + "-" + cast(pick.c.number, String),
                case((pick.c.assigned_to.is_(None), "next"), else_="assigned"),
                # "nothing before/after" as the column type writes None (JSON null)
                literal(None, type_=AuditEntry.before.type),
                literal(None, type_=AuditEntry.after.type),
            ).where(pick.c.status != BatchStatus.PICKING.value),
        )
        .cte("audit")
    )


@lru_cache(maxsize=4)
def claim_statement(for_user: bool, skip_locked: bool = True) -> Select[Any]:
    """Claim, move the wave, audit and return the batch, in one statement.

    Parameters: ``user`` (the picker's id, None for a system actor), ``username``, ``station``
    (the station's id) and ``now``. Always one row: the picker's ``active`` and ``role`` as the
    database has them now (NULL: no such user; absent for a system actor), then the batch's
    columns, NULL when nothing was claimed (no work, or a picker who may not claim)."""
    picker = select(User.active, User.role).where(User.id == _USER).cte("picker")
    pick = _pick(for_user, skip_locked, picker)
    claimed = _claimed(pick)
    shown = [c for c in pick.c if c.name not in ("claimed_at", "started_at", "wave_status")]
    got = (
        select(*shown, claimed.c.claimed_at, claimed.c.started_at)
        .join_from(pick, claimed, true())
        .subquery("got")
    )
    one = select(literal(1).label("one")).subquery("one")
    user: list[Any] = [picker.c.active, picker.c.role] if for_user else []
    query: Select[Any] = select(*user, *got.c).select_from(one)
    if for_user:
        query = query.outerjoin(picker, true())
    return query.outerjoin(got, true()).add_cte(_wave(pick), _audit(pick))
