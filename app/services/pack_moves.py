"""Stock moves of packing, inside the caller's unit of work.

When a parcel is labelled, its units leave the tote (or the bin, for an order packed straight
from allocation) as ledger lines (reason ``ship``, ``ref_type`` ``parcel``): the order line's
reservation there is consumed. ``unpack_back`` reverses them exactly (unpacking a parcel): the
units go back into the location they came from (or another), reserved again for their order
lines. Levels are locked in id order, as every other mover does.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import (
    Location,
    PackItem,
    Product,
    Reservation,
    StockLedger,
    StockLevel,
)
from app.db.uow import UnitOfWork
from app.domain.errors import InsufficientStock
from app.domain.stock import MovementReason
from app.domain.users import Actor
from app.services.access import step
from app.services.stock import lock_bucket, lock_levels, move_locked, release_locked, reserve_locked

PARCEL_REF = "parcel"


@step
def move_out(uow: UnitOfWork, actor: Actor, parcel_id: int) -> int:
    """The parcel's units leave the locations they are reserved at (tote or bin) for the
    parcel; returns the units moved."""
    s = uow.session
    want: dict[tuple[int, int, int | None], int] = defaultdict(int)
    for line_id, pid, lot_id, qty in s.execute(
        select(PackItem.order_line_id, PackItem.product_id, PackItem.lot_id, PackItem.qty).where(
            PackItem.parcel_id == parcel_id, PackItem.voided_at.is_(None)
        )
    ):
        want[(line_id, pid, lot_id)] += qty
    if not want:
        return 0
    held = s.execute(
        select(Reservation, StockLevel.lot_id)
        .join(StockLevel, StockLevel.id == Reservation.stock_level_id)
        .where(Reservation.order_line_id.in_({k[0] for k in want}))
        .order_by(Reservation.id)
    ).all()
    levels = lock_levels(s, [r.stock_level_id for r, _ in held])
    codes = _codes(s, {lv.location_id for lv in levels.values()})
    moved = 0
    for (line_id, pid, lot_id), qty in sorted(want.items(), key=lambda kv: kv[0]):
        left = qty
        for res, res_lot in held:
            if left == 0:
                break
            if res.order_line_id != line_id or res.qty == 0:
                continue
            if lot_id is not None and res_lot != lot_id:
                continue
            n = min(left, res.qty)
            level = levels[res.stock_level_id]
            release_locked(level, n)
            res.qty -= n
            if res.qty == 0:
                s.delete(res)
            move_locked(
                uow,
                actor,
                level,
                -n,
                MovementReason.SHIP,
                sku=_sku(s, pid),
                location=codes[level.location_id],
                ref_type=PARCEL_REF,
                ref_id=parcel_id,
            )
            left -= n
        if left:
            raise InsufficientStock(sku=_sku(s, pid), wanted=qty, available=qty - left)
        moved += qty
    return moved


def _codes(s: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {
        i: c for i, c in s.execute(select(Location.id, Location.code).where(Location.id.in_(ids)))
    }


def _sku(s: Session, product_id: int) -> str:
    return s.get_one(Product, product_id).sku


@step
def unpack_back(
    uow: UnitOfWork, actor: Actor, parcel_id: int, *, to_location_id: int | None = None
) -> int:
    """Reverse ``move_out`` for a parcel: its units go back (into ``to_location_id``, or where
    they came from), reserved again for their order lines; returns the units moved back. The
    caller voids the parcel and its pack items."""
    s = uow.session
    out = s.execute(
        select(
            StockLedger.location_id,
            StockLedger.product_id,
            StockLedger.lot_id,
            StockLedger.qty_delta,
        )
        .where(
            StockLedger.ref_type == PARCEL_REF,
            StockLedger.ref_id == parcel_id,
            StockLedger.reason == MovementReason.SHIP.value,
        )
        .order_by(StockLedger.id)
    ).all()
    back = s.execute(
        select(StockLedger.product_id, StockLedger.lot_id, StockLedger.qty_delta).where(
            StockLedger.ref_type == PARCEL_REF,
            StockLedger.ref_id == parcel_id,
            StockLedger.reason == MovementReason.RETURN.value,
        )
    ).all()
    returned: dict[tuple[int, int | None], int] = defaultdict(int)
    for pid, lot, qty in back:
        returned[(pid, lot)] += qty
    lines = _lines_of(s, parcel_id)
    codes = _codes(
        s, {r.location_id for r in out} | ({to_location_id} if to_location_id else set())
    )
    moved = 0
    for loc, pid, lot, delta in out:
        n = -delta
        already = min(returned[(pid, lot)], n)
        returned[(pid, lot)] -= already
        n -= already
        if n <= 0:
            continue
        where = to_location_id or loc
        level = lock_bucket(s, where, pid, lot, create=True)
        assert level is not None
        move_locked(
            uow,
            actor,
            level,
            n,
            MovementReason.RETURN,
            sku=_sku(s, pid),
            location=codes[where],
            ref_type=PARCEL_REF,
            ref_id=parcel_id,
        )
        for line_id, k in _share(lines, pid, lot, n):
            reserve_locked(s, level, line_id, k, sku=_sku(s, pid), location=codes[where])
        moved += n
    return moved


def _lines_of(s: Session, parcel_id: int) -> dict[tuple[int, int | None], dict[int, int]]:
    out: dict[tuple[int, int | None], dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for line_id, pid, lot, qty in s.execute(
        select(PackItem.order_line_id, PackItem.product_id, PackItem.lot_id, PackItem.qty).where(
            PackItem.parcel_id == parcel_id
        )
    ):
        out[(pid, lot)][line_id] += qty
    return out


def _share(
    lines: dict[tuple[int, int | None], dict[int, int]], pid: int, lot: int | None, n: int
) -> list[tuple[int, int]]:
    """Which order lines ``n`` units of a product (and lot) coming back are reserved for."""
    out = []
    per_line = lines.get((pid, lot)) or lines.get((pid, None)) or {}
    for line_id in sorted(per_line):
        k = min(n, per_line[line_id])
        if k > 0:
            out.append((line_id, k))
            per_line[line_id] -= k
            n -= k
    return out
