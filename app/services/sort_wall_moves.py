"""Putting one unit from a batch's bulk tote into an order's wall slot: the stock side.

The unit leaves the tote's bucket and enters the slot's (two ledger lines, ``move_out`` and
``move_in`` with ``ref_type`` "sort" and the batch's id) and the order line's reservation moves
with it, one unit at a time, as picking moved it onto the tote: the tote's reservation shrinks
(and goes when empty), the slot's grows (or is made). Buckets are locked in location-id order,
as every other mover does. The wall's slots are ``locations`` rows of kind ``tote`` whose code
and barcode are the slot's barcode text.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import Location, Reservation, StockLevel
from app.db.uow import UnitOfWork
from app.domain.errors import StockError
from app.domain.stock import MovementReason, StockPosition, reserve
from app.domain.users import Actor
from app.services.access import step
from app.services.stock import lock_bucket, move_locked, release_locked, reserve_locked

SLOT_ZONE = "SORT"
TOTE_KIND = "tote"


class NothingInTote(StockError):
    template = (
        "The bulk tote {tote} holds no {sku} reserved for order {order}: the books and the tote "
        "disagree. Put the unit aside and tell a supervisor."
    )


def slot_locations(session: Session, warehouse_id: int, codes: Sequence[str]) -> dict[str, int]:
    """The location id of each slot code in the warehouse, made (kind ``tote``, barcode the
    code, or ``code@warehouse`` when another warehouse has that barcode) where missing."""
    found = dict(
        session.execute(
            select(Location.code, Location.id).where(
                Location.warehouse_id == warehouse_id, Location.code.in_(codes)
            )
        )
        .tuples()
        .all()
    )
    for code in codes:
        if code in found:
            continue
        taken = session.scalar(select(Location.id).where(Location.barcode == code))
        loc = Location(
            warehouse_id=warehouse_id,
            code=code,
            barcode=code if taken is None else f"{code}@{warehouse_id}",
            zone=SLOT_ZONE,
            kind=TOTE_KIND,
        )
        session.add(loc)
        session.flush()
        found[code] = loc.id
    return found


def _tote_reservation(
    session: Session, line_id: int, tote_id: int, product_id: int, lot_id: int | None
) -> Reservation | None:
    stmt = (
        select(Reservation)
        .join(StockLevel, StockLevel.id == Reservation.stock_level_id)
        .where(
            Reservation.order_line_id == line_id,
            StockLevel.location_id == tote_id,
            StockLevel.product_id == product_id,
        )
        .order_by(Reservation.id)
    )
    rows = session.scalars(stmt).all()
    same_lot = [r for r in rows if lot_id is None or _lot_of(session, r) == lot_id]
    candidates = same_lot or list(rows)
    return candidates[0] if candidates else None


def _lot_of(session: Session, reservation: Reservation) -> int | None:
    return session.scalar(
        select(StockLevel.lot_id).where(StockLevel.id == reservation.stock_level_id)
    )


@step
def move_unit(
    uow: UnitOfWork,
    actor: Actor,
    line_id: int,
    product_id: int,
    tote_id: int,
    slot_location_id: int,
    batch_id: int,
    sku: str,
    order_number: str,
    slot_code: str,
    lot_id: int | None = None,
) -> int:
    """One unit of an order line from the bulk tote into the slot, its reservation with it;
    returns the id of the line's reservation at the slot (``sku``, ``order_number`` and
    ``slot_code`` name them in messages)."""
    s = uow.session
    tote = s.get_one(Location, tote_id)
    res = _tote_reservation(s, line_id, tote.id, product_id, lot_id)
    if res is None:
        raise NothingInTote(tote=tote.code, sku=sku, order=order_number)
    level_lot = _lot_of(s, res)
    levels: dict[int, StockLevel | None] = {}
    for loc_id in sorted((tote.id, slot_location_id)):
        levels[loc_id] = lock_bucket(
            s, loc_id, product_id, level_lot, create=loc_id == slot_location_id
        )
    out, into = levels[tote.id], levels[slot_location_id]
    assert out is not None and into is not None
    if into.on_hand == 0:
        into.first_received_at = out.first_received_at
    release_locked(out, 1)
    res.qty -= 1
    move_locked(
        uow, actor, out, -1, MovementReason.MOVE_OUT,
        sku=sku, location=tote.code, ref_type="sort", ref_id=batch_id,
    )  # fmt: skip
    move_locked(
        uow, actor, into, 1, MovementReason.MOVE_IN,
        sku=sku, location=slot_code, ref_type="sort", ref_id=batch_id,
    )  # fmt: skip
    if res.qty == 0:
        s.delete(res)
    held = s.scalar(
        select(Reservation).where(
            Reservation.order_line_id == line_id, Reservation.stock_level_id == into.id
        )
    )
    if held is None:
        held = reserve_locked(s, into, line_id, 1, sku=sku, location=slot_code)
    else:
        pos = reserve(StockPosition(into.on_hand, into.reserved), 1, sku=sku, location=slot_code)
        into.reserved = pos.reserved
        held.qty += 1
    s.flush()
    return held.id
