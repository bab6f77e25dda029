"""Reservations of stock for orders: the allocation settings, free stock read under lock, and
reservations written and given back in bulk. The use cases (allocate, deallocate, hold, cancel)
are in ``app.services.order_actions``.

Two stations allocating at once never oversell: on PostgreSQL the stock rows are read ``FOR
UPDATE`` in id order (so two runs queue instead of deadlocking), and the second run reads what the
first one left; on SQLite every unit of work begins IMMEDIATE, so it holds the database's write
lock before it reads (``app.db.engine``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from app.db.models import Location, Lot, OrderLine, Product, Reservation, SettingRow, StockLevel
from app.db.uow import UnitOfWork
from app.domain.allocation import (
    ALLOCATABLE_KINDS,
    AllocationRules,
    Bucket,
    ShortagePolicy,
    StockPool,
    Take,
)
from app.domain.errors import ValidationError
from app.domain.users import Actor, Permission
from app.services.access import reads, writes

SETTING_POLICY = "allocation.shortage_policy"
SETTING_SHELF_LIFE = "allocation.min_shelf_life_days"
MAX_SHELF_LIFE_DAYS = 3650
#: ids per IN (...) list: well below SQLite's and psycopg's parameter limits
CHUNK = 2000

_levels = cast(Table, StockLevel.__table__)


def local_today() -> date:
    """The warehouse's calendar date (the station's clock), against which expiry dates count."""
    return datetime.now().astimezone().date()


def chunks(items: Sequence[int], n: int = CHUNK) -> Iterator[Sequence[int]]:
    for i in range(0, len(items), n):
        yield items[i : i + n]


# --- settings -----------------------------------------------------------------------------------


def read_rules(session: Session) -> AllocationRules:
    values = dict(
        session.execute(
            select(SettingRow.key, SettingRow.value).where(
                SettingRow.key.in_([SETTING_POLICY, SETTING_SHELF_LIFE])
            )
        )
        .tuples()
        .all()
    )
    return rules_of(values.get(SETTING_POLICY), values.get(SETTING_SHELF_LIFE))


def rules_of(policy: Any, days: Any) -> AllocationRules:
    """The rules from the two settings' stored values (None: not set; the defaults apply, as
    they do for a value that does not read)."""
    try:
        return AllocationRules(
            ShortagePolicy(policy if policy is not None else ShortagePolicy.HOLD.value),
            max(0, int(days if days is not None else 0)),
        )
    except (ValueError, TypeError):
        return AllocationRules()


@reads
def allocation_settings(uow: UnitOfWork, actor: Actor) -> AllocationRules:
    """The shortage policy and the minimum remaining shelf life, as set for the warehouse."""
    with uow:
        uow.require(actor, Permission.VIEW_ORDERS)
        return read_rules(uow.session)


@writes(Permission.MANAGE_SETTINGS)
def set_allocation_settings(
    uow: UnitOfWork,
    actor: Actor,
    *,
    shortage_policy: ShortagePolicy | str | None = None,
    min_shelf_life_days: int | None = None,
) -> AllocationRules:
    """Change the allocation settings (supervisors); audited with before and after."""
    if shortage_policy is not None:
        try:
            shortage_policy = ShortagePolicy(shortage_policy)
        except ValueError:
            raise ValidationError(
                "The shortage policy must be 'hold' or 'backorder', not {shortage_policy!r}.",
                shortage_policy=shortage_policy,
            ) from None
    if min_shelf_life_days is not None and not 0 <= min_shelf_life_days <= MAX_SHELF_LIFE_DAYS:
        raise ValidationError(
            "The minimum remaining shelf life is 0 to {max_days} days, not {min_shelf_life_days}.",
            max_days=MAX_SHELF_LIFE_DAYS,
            min_shelf_life_days=min_shelf_life_days,
        )
    with uow:
        uow.require(actor, Permission.MANAGE_SETTINGS)
        s = uow.session
        before = read_rules(s)
        changes: dict[str, Any] = {}
        if shortage_policy is not None:
            changes[SETTING_POLICY] = shortage_policy.value
        if min_shelf_life_days is not None:
            changes[SETTING_SHELF_LIFE] = min_shelf_life_days
        for key, value in changes.items():
            row = s.get(SettingRow, key)
            if row is None:
                s.add(SettingRow(key=key, value=value))
            else:
                row.value = value
        s.flush()
        after = read_rules(s)
        uow.audit(
            actor,
            "settings.change",
            "settings",
            "allocation",
            before=_rules_dict(before),
            after=_rules_dict(after),
        )
        uow.commit()
        return after


def _rules_dict(rules: AllocationRules) -> dict[str, Any]:
    return {
        "shortage_policy": rules.shortage_policy.value,
        "min_shelf_life_days": rules.min_shelf_life_days,
    }


# --- stock under lock ---------------------------------------------------------------------------


def load_pool(
    session: Session,
    product_ids: Iterable[int],
    *,
    today: date,
    rules: AllocationRules,
) -> StockPool:
    """Free stock of these SKUs at allocatable locations, locked until the unit of work ends."""
    ids = sorted(set(product_ids))
    fefo: set[int] = set()
    buckets: dict[int, list[Bucket]] = defaultdict(list)
    for part in chunks(ids):
        fefo.update(
            session.scalars(
                select(Product.id).where(Product.id.in_(part), Product.expiry_tracked.is_(True))
            )
        )
        stmt = (
            select(
                StockLevel.id,
                StockLevel.product_id,
                StockLevel.on_hand - StockLevel.reserved,
                Location.kind,
                StockLevel.first_received_at,
                Lot.expiry_date,
                Location.sequence,
            )
            .join(Location, Location.id == StockLevel.location_id)
            .outerjoin(Lot, Lot.id == StockLevel.lot_id)
            .where(
                StockLevel.product_id.in_(part),
                StockLevel.on_hand > StockLevel.reserved,
                Location.kind.in_(ALLOCATABLE_KINDS),
                Location.active.is_(True),
            )
            .order_by(StockLevel.id)
            .with_for_update(of=StockLevel)
        )
        for sid, pid, free, kind, received, expiry, seq in session.execute(stmt):
            buckets[pid].append(Bucket(sid, free, kind, received, expiry, seq))
    return StockPool(
        buckets, fefo_products=fefo, today=today, min_shelf_life_days=rules.min_shelf_life_days
    )


def write_reservations(session: Session, takes: Sequence[tuple[int, Take]]) -> int:
    """Insert reservations (order line id, take) and raise ``reserved`` on their stock levels;
    returns the units reserved. The database's checks refuse anything beyond on-hand."""
    if not takes:
        return 0
    session.execute(
        insert(cast(Table, Reservation.__table__)),
        [
            {"order_line_id": lid, "stock_level_id": t.stock_level_id, "qty": t.qty}
            for lid, t in takes
        ],
    )
    per_level: dict[int, int] = defaultdict(int)
    for _, t in takes:
        per_level[t.stock_level_id] += t.qty
    _shift_reserved(session, per_level, +1)
    return sum(per_level.values())


def release_reservations(session: Session, order_ids: Sequence[int]) -> dict[int, int]:
    """Give back every reservation of these orders; returns units given back per order."""
    rows: list[tuple[int, int, int, int]] = []
    for part in chunks(list(order_ids)):
        rows.extend(
            session.execute(
                select(
                    Reservation.id, Reservation.stock_level_id, Reservation.qty, OrderLine.order_id
                )
                .join(OrderLine, OrderLine.id == Reservation.order_line_id)
                .where(OrderLine.order_id.in_(part))
            ).tuples()
        )
    if not rows:
        return {}
    per_level: dict[int, int] = defaultdict(int)
    per_order: dict[int, int] = defaultdict(int)
    for _, sid, qty, oid in rows:
        per_level[sid] += qty
        per_order[oid] += qty
    level_ids = sorted(per_level)
    for part in chunks(level_ids):
        # lock in id order, as allocation does, so the two never wait on each other in a circle
        session.execute(
            select(StockLevel.id)
            .where(StockLevel.id.in_(part))
            .order_by(StockLevel.id)
            .with_for_update()
        ).all()
    _shift_reserved(session, per_level, -1)
    res_ids = [r[0] for r in rows]
    for part in chunks(res_ids):
        session.execute(delete(Reservation).where(Reservation.id.in_(part)))
    return dict(per_order)


def _shift_reserved(session: Session, per_level: dict[int, int], sign: int) -> None:
    session.execute(
        update(_levels)
        .where(_levels.c.id == bindparam("level_id"))
        .values(reserved=_levels.c.reserved + bindparam("delta")),
        [{"level_id": sid, "delta": sign * qty} for sid, qty in sorted(per_level.items())],
    )


@dataclass(frozen=True)
class AllocationLine:
    """One reservation of an order, for the order detail: where, which lot, how many."""

    line_no: int
    sku: str
    location: str
    lot: str
    expiry: date | None
    qty: int


def allocations_of(session: Session, order_id: int) -> tuple[AllocationLine, ...]:
    stmt = (
        select(
            OrderLine.line_no,
            OrderLine.sku,
            Location.code,
            Lot.lot_number,
            Lot.expiry_date,
            Reservation.qty,
        )
        .join(Reservation, Reservation.order_line_id == OrderLine.id)
        .join(StockLevel, StockLevel.id == Reservation.stock_level_id)
        .join(Location, Location.id == StockLevel.location_id)
        .outerjoin(Lot, Lot.id == StockLevel.lot_id)
        .where(OrderLine.order_id == order_id)
        .order_by(OrderLine.line_no, Location.sequence, Location.code, Reservation.id)
    )
    return tuple(
        AllocationLine(ln, sku, loc, lot or "", expiry, qty)
        for ln, sku, loc, lot, expiry, qty in session.execute(stmt)
    )
