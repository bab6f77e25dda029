"""Stock moves of packing and handover, inside the caller's unit of work.

When a parcel is labelled, its units move from the tote (or the bin, for an order packed straight
from allocation) into the warehouse's **outbound dock** (a location of kind ``dock``, made on
first use, one per warehouse; allocation never takes from it): two ledger lines, ``move_out``
there and ``move_in`` at the dock, both ``ref_type`` ``parcel``; the order line's reservation
is consumed. The units leave stock only when the carrier takes them: closing the handover writes
the ``ship`` lines out of the dock (``ship_from_dock``); reopening it puts them back
(``back_to_dock``, reason ``return`` at the dock). So the dock's on-hand is always the units of
labelled parcels not yet handed over.

``unpack_back`` reverses a labelling exactly (unpacking a parcel): the units leave the dock and go
back into the location they came from (or another), reserved again for their order lines. A
parcel labelled before the dock existed (its ``ship`` line at the tote) goes back the same way,
straight into the tote. Levels are locked in id order, as every other mover does.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import bindparam, func, select
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
from app.services.stock import (
    ignoring_conflict,
    lock_bucket,
    lock_buckets,
    lock_levels,
    move_locked,
    release_locked,
    reserve_locked,
)

PARCEL_REF = "parcel"
DOCK_KIND = "dock"
DOCK_CODE = "DOCK-OUT"


def dock_location(s: Session, warehouse_id: int) -> Location:
    """The warehouse's outbound dock, made the first time a parcel is labelled there (safely
    against a second station doing the same)."""
    stmt = select(Location).where(Location.warehouse_id == warehouse_id, Location.kind == DOCK_KIND)
    found = s.scalars(stmt.order_by(Location.id).limit(1)).first()
    if found is not None:
        return found
    taken = s.scalar(select(Location.id).where(Location.barcode == DOCK_CODE))
    values: dict[str, object] = {
        "warehouse_id": warehouse_id,
        "code": DOCK_CODE,
        "barcode": DOCK_CODE if taken is None else f"{DOCK_CODE}@{warehouse_id}",
        "zone": "",
        "kind": DOCK_KIND,
        "sequence": 0,
        "active": True,
        "x": 0.0,
        "y": 0.0,
    }
    s.execute(ignoring_conflict(s.get_bind().dialect.name, Location, values))
    return s.scalars(stmt.order_by(Location.id).limit(1)).one()


@step
def move_out(uow: UnitOfWork, actor: Actor, parcel_id: int) -> int:
    """The parcel's units leave the locations they are reserved at (tote or bin) for the
    warehouse's outbound dock; returns the units moved. The levels are read and locked in two
    statements whatever the parcel holds: the reserved ones (with their places and SKUs), then
    the dock's."""
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
    rows = s.execute(_HELD_LOCKED, {"lines": sorted({k[0] for k in want})}).all()
    levels = {lv.id: lv for _, lv, *_ in rows}
    places = {lv.location_id: (code, wh) for _, lv, code, wh, _ in rows}
    skus = {lv.product_id: sku for _, lv, _, _, sku in rows}
    if any(k[1] not in skus for k in want):  # a unit with nothing reserved: named in the error
        skus.update(_skus(s, {k[1] for k in want} - skus.keys()))
    held = sorted(((res, lv.lot_id) for res, lv, *_ in rows), key=lambda h: h[0].id)
    takes: list[tuple[StockLevel, int]] = []
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
            takes.append((level, n))
            left -= n
        if left:
            raise InsufficientStock(sku=skus.get(pid, ""), wanted=qty, available=qty - left)
    docks = {
        wh: dock_location(s, wh) for wh in sorted({places[lv.location_id][1] for lv, _ in takes})
    }
    into_keys = {
        lv.id: (docks[places[lv.location_id][1]].id, lv.product_id, lv.lot_id) for lv, _ in takes
    }
    keys = sorted(set(into_keys.values()), key=lambda k: (k[0], k[1], k[2] or 0))
    into = lock_buckets(s, keys, create=keys)
    for level, n in takes:
        sku = skus.get(level.product_id, "")
        code = places[level.location_id][0]
        dock = docks[places[level.location_id][1]]
        move_locked(
            uow, actor, level, -n, MovementReason.MOVE_OUT, sku=sku, location=code,
            ref_type=PARCEL_REF, ref_id=parcel_id,
        )  # fmt: skip
        target = into[into_keys[level.id]]
        assert target is not None
        move_locked(
            uow, actor, target, n, MovementReason.MOVE_IN, sku=sku, location=dock.code,
            ref_type=PARCEL_REF, ref_id=parcel_id,
        )  # fmt: skip
    return sum(want.values())


#: the reservations of the order lines (``lines``) with their levels locked (in id order, as
#: every mover locks), each level's location code and warehouse and its product's SKU: one
#: statement where it was four (the reservations, the levels locked, the places, the SKUs)
_HELD_LOCKED = (
    select(Reservation, StockLevel, Location.code, Location.warehouse_id, Product.sku)
    .join(StockLevel, StockLevel.id == Reservation.stock_level_id)
    .join(Location, Location.id == StockLevel.location_id)
    .join(Product, Product.id == StockLevel.product_id)
    .where(Reservation.order_line_id.in_(bindparam("lines", expanding=True)))
    .order_by(StockLevel.id, Reservation.id)
    .with_for_update(of=StockLevel)
    .execution_options(populate_existing=True)
)


def _skus(s: Session, ids: set[int]) -> dict[int, str]:
    rows = s.execute(select(Product.id, Product.sku).where(Product.id.in_(ids)))
    return {i: sku for i, sku in rows}


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
    """Reverse ``move_out`` for a parcel: its units leave the dock and go back (into
    ``to_location_id``, or where they came from), reserved again for their order lines; returns
    the units moved back. The caller voids the parcel and its pack items."""
    s = uow.session
    dock_ids = _dock_ids(s)
    out = [
        r
        for r in s.execute(
            select(
                StockLedger.location_id,
                StockLedger.product_id,
                StockLedger.lot_id,
                StockLedger.qty_delta,
                StockLedger.reason,
            )
            .where(
                StockLedger.ref_type == PARCEL_REF,
                StockLedger.ref_id == parcel_id,
                StockLedger.reason.in_((MovementReason.SHIP.value, MovementReason.MOVE_OUT.value)),
            )
            .order_by(StockLedger.id)
        )
        if r.location_id not in dock_ids
    ]
    returned: dict[tuple[int, int | None], int] = defaultdict(int)
    for loc, pid, lot, qty in s.execute(
        select(
            StockLedger.location_id,
            StockLedger.product_id,
            StockLedger.lot_id,
            StockLedger.qty_delta,
        ).where(
            StockLedger.ref_type == PARCEL_REF,
            StockLedger.ref_id == parcel_id,
            StockLedger.reason == MovementReason.RETURN.value,
        )
    ):
        if loc not in dock_ids:
            returned[(pid, lot)] += qty
    lines = _lines_of(s, parcel_id)
    codes = _codes(
        s, {r.location_id for r in out} | ({to_location_id} if to_location_id else set())
    )
    moved = 0
    for loc, pid, lot, delta, reason in out:
        n = -delta
        already = min(returned[(pid, lot)], n)
        returned[(pid, lot)] -= already
        n -= already
        if n <= 0:
            continue
        if reason == MovementReason.MOVE_OUT.value:
            _out_of_dock(uow, actor, parcel_id, pid, lot, n, MovementReason.MOVE_OUT)
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


def _dock_ids(s: Session) -> set[int]:
    return set(s.scalars(select(Location.id).where(Location.kind == DOCK_KIND)))


def _at_dock(s: Session, parcel_id: int) -> dict[tuple[int, int, int | None], int]:
    """The parcel's units at a dock now, per (dock, product, lot): its dock lines' sum."""
    rows = s.execute(
        select(
            StockLedger.location_id,
            StockLedger.product_id,
            StockLedger.lot_id,
            func.sum(StockLedger.qty_delta),
        )
        .join(Location, Location.id == StockLedger.location_id)
        .where(
            StockLedger.ref_type == PARCEL_REF,
            StockLedger.ref_id == parcel_id,
            Location.kind == DOCK_KIND,
        )
        .group_by(StockLedger.location_id, StockLedger.product_id, StockLedger.lot_id)
    )
    return {(loc, pid, lot): int(n) for loc, pid, lot, n in rows}


def _out_of_dock(
    uow: UnitOfWork,
    actor: Actor,
    parcel_id: int,
    pid: int,
    lot: int | None,
    n: int,
    reason: MovementReason,
) -> int:
    """Take up to ``n`` of the parcel's units of a product (and lot) out of the dock."""
    s = uow.session
    left = n
    for (loc, p, lt), have in sorted(_at_dock(s, parcel_id).items(), key=lambda kv: kv[0]):
        if left == 0 or p != pid or lt != lot or have <= 0:
            continue
        k = min(left, have)
        level = lock_bucket(s, loc, pid, lot)
        assert level is not None
        code = s.get_one(Location, loc).code
        move_locked(
            uow, actor, level, -k, reason, sku=_sku(s, pid), location=code,
            ref_type=PARCEL_REF, ref_id=parcel_id,
        )  # fmt: skip
        left -= k
    return n - left


@step
def ship_from_dock(uow: UnitOfWork, actor: Actor, parcel_ids: list[int]) -> int:
    """The carrier took the parcels: their units leave stock out of the dock (reason ``ship``,
    reference the parcel). Returns the units shipped; a parcel labelled before the dock existed
    left stock at labelling and ships nothing here."""
    s = uow.session
    todo: list[tuple[int, tuple[int, int, int | None], int]] = []
    for parcel_id in sorted(parcel_ids):
        for key, n in _at_dock(s, parcel_id).items():
            if n > 0:
                todo.append((parcel_id, key, n))
    levels = {
        (lv.location_id, lv.product_id, lv.lot_id): lv
        for lv in _lock_keys(s, {key for _, key, _ in todo})
    }
    codes = _codes(s, {key[0] for _, key, _ in todo})
    for parcel_id, key, n in todo:
        move_locked(
            uow, actor, levels[key], -n, MovementReason.SHIP, sku=_sku(s, key[1]),
            location=codes[key[0]], ref_type=PARCEL_REF, ref_id=parcel_id,
        )  # fmt: skip
    return sum(n for _, _, n in todo)


def _lock_keys(s: Session, keys: set[tuple[int, int, int | None]]) -> list[StockLevel]:
    ids = []
    for loc, pid, lot in keys:
        level = s.scalar(
            select(StockLevel.id).where(
                StockLevel.location_id == loc,
                StockLevel.product_id == pid,
                StockLevel.lot_id.is_(None) if lot is None else StockLevel.lot_id == lot,
            )
        )
        assert level is not None
        ids.append(level)
    return list(lock_levels(s, ids).values())


@step
def back_to_dock(uow: UnitOfWork, actor: Actor, parcel_ids: list[int]) -> int:
    """A reopened handover: what closing it shipped comes back into the dock (reason ``return``
    at the dock, reference the parcel). Returns the units put back."""
    s = uow.session
    moved = 0
    for parcel_id in sorted(parcel_ids):
        rows = s.execute(
            select(
                StockLedger.location_id,
                StockLedger.product_id,
                StockLedger.lot_id,
                func.sum(StockLedger.qty_delta),
            )
            .join(Location, Location.id == StockLedger.location_id)
            .where(
                StockLedger.ref_type == PARCEL_REF,
                StockLedger.ref_id == parcel_id,
                Location.kind == DOCK_KIND,
                StockLedger.reason.in_((MovementReason.SHIP.value, MovementReason.RETURN.value)),
            )
            .group_by(StockLedger.location_id, StockLedger.product_id, StockLedger.lot_id)
            .order_by(StockLedger.location_id, StockLedger.product_id)
        ).all()
        for loc, pid, lot, net in rows:
            n = -int(net)
            if n <= 0:
                continue
            level = lock_bucket(s, loc, pid, lot)
            assert level is not None
            move_locked(
                uow, actor, level, n, MovementReason.RETURN, sku=_sku(s, pid),
                location=s.get_one(Location, loc).code, ref_type=PARCEL_REF, ref_id=parcel_id,
            )  # fmt: skip
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
