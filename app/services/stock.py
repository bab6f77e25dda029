"""Stock: receipts, adjustments, counts, moves and reservations over the append-only ledger.

Every change writes a ledger line and moves the ``stock_levels`` row of its bucket (location,
product, lot) in the same transaction, through the pure rules of ``app.domain.stock``. Buckets are
locked before they are read (``SELECT ... FOR UPDATE`` on PostgreSQL; on SQLite, which has no row
locks, every unit of work begins IMMEDIATE and so holds the write lock from its first statement, see
``app.db.engine``), so two stations can never both take the last units.

The ``*_locked`` helpers are the building blocks for other services
(allocation, picking, returns) that change stock inside their own unit of work.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    bindparam,
    func,
    literal_column,
    or_,
    select,
)
from sqlalchemy import text as sql_text  # ``text`` names scanned texts here
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.db.models import (
    Base,
    Location,
    Lot,
    OrderLine,
    Product,
    ProductBarcode,
    Reservation,
    StockLedger,
    StockLevel,
    utcnow,
)
from app.db.uow import UnitOfWork
from app.domain.errors import (
    InsufficientStock,
    NotFound,
    OverReservation,
    StockReserved,
    ValidationError,
)
from app.domain.stock import (
    MovementReason,
    StockPosition,
    apply_movement,
    reserve,
    unreserve,
)
from app.domain.users import Actor, Permission
from app.services.access import reads, step, writes

#: a location by id, code or barcode; a product by id, SKU or any of its barcodes
LocationRef = int | str
ProductRef = int | str


@dataclass(frozen=True)
class StockChange:
    """What one movement did to one bucket."""

    sku: str
    location: str
    lot: str | None
    delta: int
    on_hand: int
    reserved: int

    @property
    def free(self) -> int:
        return self.on_hand - self.reserved


@dataclass(frozen=True)
class StockLine:
    """On-hand and reserved of one SKU (and lot) at one location."""

    location: str
    location_kind: str
    sku: str
    name: str
    lot: str | None
    expiry: date | None
    on_hand: int
    reserved: int

    @property
    def free(self) -> int:
        return self.on_hand - self.reserved


@dataclass(frozen=True)
class StockSummary:
    """Totals over some buckets, with the buckets in walk order."""

    on_hand: int
    reserved: int
    lines: tuple[StockLine, ...]

    @property
    def free(self) -> int:
        return self.on_hand - self.reserved


@dataclass(frozen=True)
class ReservationInfo:
    id: int
    order_line_id: int
    sku: str
    location: str
    lot: str | None
    qty: int


# --- building blocks inside an open unit of work ------------------------------------------------


def find_location(session: Session, ref: LocationRef) -> Location:
    """A location by id, barcode or code."""
    if isinstance(ref, int):
        loc = session.get(Location, ref)
    else:
        text = ref.strip()
        loc = session.scalar(select(Location).where(Location.barcode == text))
        if loc is None:
            found = session.scalars(select(Location).where(Location.code == text).limit(2)).all()
            if len(found) > 1:
                raise ValidationError(
                    "The location code {text} exists in several warehouses: scan its barcode.",
                    text=text,
                )
            loc = found[0] if found else None
    if loc is None:
        raise NotFound(what="Location", key=str(ref))
    return loc


def find_product(session: Session, ref: ProductRef) -> Product:
    """A product by id, SKU or any of its barcodes."""
    if isinstance(ref, int):
        product = session.get(Product, ref)
    else:
        text = ref.strip()
        product = session.scalar(select(Product).where(Product.sku == text))
        if product is None:
            product = session.scalar(
                select(Product)
                .join(ProductBarcode, ProductBarcode.product_id == Product.id)
                .where(ProductBarcode.barcode == text)
            )
    if product is None:
        raise NotFound(what="Product", key=str(ref))
    return product


def _insert_ignoring_conflict(
    session: Session, table: type[Base], values: dict[str, object]
) -> None:
    """INSERT that does nothing when another transaction already created the row."""
    session.execute(ignoring_conflict(session.get_bind().dialect.name, table, values))


def ignoring_conflict(dialect: str, table: type[Base], values: dict[str, Any]) -> Any:
    """The INSERT of ``values`` that does nothing on a conflict, in ``dialect``'s SQL."""
    dialect_insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return dialect_insert(table).values(**values).on_conflict_do_nothing()


def lot_for(
    session: Session, product: Product, lot: str | None, expiry: date | None, *, create: bool
) -> Lot | None:
    """The lot a movement of ``product`` concerns, checked against the product's tracking;
    with ``create`` a new lot number is registered (receipts)."""
    tracked = product.lot_tracked or product.expiry_tracked
    lot = (lot or "").strip() or None
    if not tracked:
        if lot is not None:
            raise ValidationError(
                "{sku} is not lot-tracked; leave the lot empty (it was {lot}).",
                sku=product.sku,
                lot=lot,
            )
        return None
    if lot is None:
        raise ValidationError("{sku} is lot-tracked: scan or type the lot number.", sku=product.sku)
    stmt = select(Lot).where(Lot.product_id == product.id, Lot.lot_number == lot)
    row = session.scalar(stmt)
    if row is None:
        if not create:
            raise NotFound(what="Lot", key=f"{lot} ({product.sku})")
        if product.expiry_tracked and expiry is None:
            raise ValidationError(
                "{sku} has an expiry date: give the lot's expiry date.", sku=product.sku
            )
        _insert_ignoring_conflict(
            session,
            Lot,
            {
                "product_id": product.id,
                "lot_number": lot,
                "expiry_date": expiry,
                "received_at": utcnow(),
            },
        )
        row = session.scalars(stmt).one()
    if expiry is not None and row.expiry_date is not None and row.expiry_date != expiry:
        raise ValidationError(
            "Lot {lot} of {sku} expires on {expiry_date:%Y-%m-%d}, not on "
            "{expiry:%Y-%m-%d}. Check the label.",
            lot=lot,
            sku=product.sku,
            expiry_date=row.expiry_date,
            expiry=expiry,
        )
    return row


def lock_bucket(
    session: Session,
    location_id: int,
    product_id: int,
    lot_id: int | None,
    *,
    create: bool = False,
) -> StockLevel | None:
    """The bucket's level row, locked until the transaction ends; with ``create`` an empty row is
    made first when the bucket is new (safely against a second station doing the same)."""
    stmt = (
        select(StockLevel)
        .where(
            StockLevel.location_id == location_id,
            StockLevel.product_id == product_id,
            StockLevel.lot_id.is_(None) if lot_id is None else StockLevel.lot_id == lot_id,
        )
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    level = session.scalar(stmt)
    if level is None and create:
        level = _made_level(session, location_id, product_id, lot_id)
        if level is None:  # another transaction made it first: lock it as it is
            level = session.scalar(stmt)
    return level


Bucket = tuple[int, int, int | None]


def lock_buckets(
    session: Session, buckets: Sequence[Bucket], *, create: Iterable[Bucket] = ()
) -> dict[Bucket, StockLevel | None]:
    """Several buckets' level rows (location, product, lot) locked in one statement, in id
    order (the same order everywhere, so no deadlock); the ones in ``create`` are made first
    when new (as ``lock_bucket`` does)."""

    stmt = _locking(tuple(b[2] is None for b in buckets))
    params: dict[str, object] = {}
    for i, (loc, prod, lot) in enumerate(buckets):
        params.update({f"loc{i}": loc, f"prod{i}": prod, f"lot{i}": lot})
    found = {(r.location_id, r.product_id, r.lot_id): r for r in session.scalars(stmt, params)}
    raced = False
    for loc, prod, lot in (b for b in create if b not in found):
        made = _made_level(session, loc, prod, lot)
        if made is None:  # another transaction made it first: lock it as it is
            raced = True
        else:  # ours until we commit (it is new, and the newest id: the order holds)
            found[(loc, prod, lot)] = made
    if raced:
        found = {(r.location_id, r.product_id, r.lot_id): r for r in session.scalars(stmt, params)}
    return {b: found.get(b) for b in buckets}


@lru_cache(maxsize=64)
def _locking(no_lot: tuple[bool, ...]) -> Any:
    """The SELECT ... FOR UPDATE of ``len(no_lot)`` buckets, built once for each shape (a put,
    a label: two or three buckets; building and keying a statement costs more than running it
    on SQLite); ``no_lot[i]``: bucket ``i`` has no lot (``IS NULL``, not ``=``)."""

    def one(i: int, none: bool) -> Any:
        return and_(
            StockLevel.location_id == bindparam(f"loc{i}"),
            StockLevel.product_id == bindparam(f"prod{i}"),
            StockLevel.lot_id.is_(None) if none else StockLevel.lot_id == bindparam(f"lot{i}"),
        )

    return (
        select(StockLevel)
        .where(or_(*(one(i, none) for i, none in enumerate(no_lot))))
        .order_by(StockLevel.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def _made_level(session: Session, loc: int, prod: int, lot: int | None) -> StockLevel | None:
    """A new empty level, made and returned in one statement (it is new: no one else can lock
    it before we commit); None when it exists already."""
    stmt = _making_level(session.get_bind().dialect.name)
    params = {"loc": loc, "prod": prod, "lot": lot, "at": utcnow()}
    return session.scalars(stmt, params).one_or_none()


@lru_cache(maxsize=4)
def _making_level(dialect: str) -> Any:
    """The INSERT of a new empty level that does nothing when it exists, returning it.

    SQLAlchemy compiles a dialect's ``ON CONFLICT`` insert again at every execution (it has no
    cache key), which cost more of the station's CPU than running it (a put and a labelled
    parcel each make one or two levels). So it is compiled once here, to SQL text with named
    parameters, and loaded as ``StockLevel`` rows through the ORM from that text (a text
    statement is cached like any other)."""
    table = StockLevel.__table__
    values: dict[str, Any] = {
        "location_id": bindparam("loc"),
        "product_id": bindparam("prod"),
        "lot_id": bindparam("lot"),
        "on_hand": literal_column("0"),
        "reserved": literal_column("0"),
        "first_received_at": bindparam("at"),
    }
    named = (postgresql if dialect == "postgresql" else sqlite).dialect(paramstyle="named")
    stmt = ignoring_conflict(dialect, StockLevel, values).returning(*table.c)
    sql = sql_text(str(stmt.compile(dialect=named))).bindparams(
        bindparam("loc", type_=table.c.location_id.type),
        bindparam("prod", type_=table.c.product_id.type),
        bindparam("lot", type_=table.c.lot_id.type),
        bindparam("at", type_=table.c.first_received_at.type),
    )
    return select(StockLevel).from_statement(sql.columns(*table.c))


def lock_levels(session: Session, level_ids: Iterable[int]) -> dict[int, StockLevel]:
    """Several level rows locked in id order (the same order everywhere, so no deadlock)."""
    ids = sorted(set(level_ids))
    if not ids:
        return {}
    rows = session.scalars(_LOCK_LEVELS, {"ids": ids}).all()
    return {r.id: r for r in rows}


_LOCK_LEVELS = (
    select(StockLevel)
    .where(StockLevel.id.in_(bindparam("ids", expanding=True)))
    .order_by(StockLevel.id)
    .with_for_update()
    .execution_options(populate_existing=True)
)


@step
def move_locked(
    uow: UnitOfWork,
    actor: Actor,
    level: StockLevel,
    delta: int,
    reason: MovementReason,
    *,
    sku: str,
    location: str,
    ref_type: str = "",
    ref_id: int | None = None,
) -> StockPosition:
    """One ledger line on a locked bucket, and the bucket moved with it (domain rules)."""
    pos = StockPosition(level.on_hand, level.reserved)
    try:
        new = apply_movement(pos, delta, sku=sku, location=location)
    except OverReservation as exc:
        raise StockReserved(
            qty=-delta,
            sku=sku,
            location=location,
            reserved=pos.reserved,
            on_hand=pos.on_hand,
            free=pos.free,
        ) from exc
    uow.session.add(
        StockLedger(
            location_id=level.location_id,
            product_id=level.product_id,
            lot_id=level.lot_id,
            qty_delta=delta,
            reason=reason.value,
            ref_type=ref_type,
            ref_id=ref_id,
            user_id=actor.user_id,
            station_id=actor.station_id,
        )
    )
    level.on_hand = new.on_hand
    return new


def reserve_locked(
    session: Session, level: StockLevel, order_line_id: int, qty: int, *, sku: str, location: str
) -> Reservation:
    """Promise ``qty`` free units of a locked bucket to an order line."""
    new = reserve(StockPosition(level.on_hand, level.reserved), qty, sku=sku, location=location)
    level.reserved = new.reserved
    row = Reservation(order_line_id=order_line_id, stock_level_id=level.id, qty=qty)
    session.add(row)
    return row


def reserve_moved(level: StockLevel, res: Reservation, *, sku: str, location: str) -> None:
    """A reservation whose units were released from their level (``release_locked``) and
    moved goes with them: it now holds ``res.qty`` free units of the locked ``level``, the
    same row (no delete and insert)."""
    new = reserve(StockPosition(level.on_hand, level.reserved), res.qty, sku=sku, location=location)
    level.reserved = new.reserved
    res.stock_level_id = level.id


def release_locked(level: StockLevel, qty: int) -> None:
    """Give back ``qty`` reserved units of a locked bucket (the caller deletes the reservation)."""
    level.reserved = unreserve(StockPosition(level.on_hand, level.reserved), qty).reserved


def _local_today() -> date:
    """The warehouse's calendar date (this station's clock): expiry dates count against it."""
    return datetime.now().astimezone().date()


# --- services ------------------------------------------------------------------------------------


#: the quantities named in messages (collected for translation)
QUANTITY_WORDS = {
    "quantity received": "quantity received",
    "counted quantity": "counted quantity",
    "quantity to move": "quantity to move",
    "quantity to reserve": "quantity to reserve",
}


def _check_qty(qty: int, what: str, *, allow_zero: bool = False) -> None:
    lowest = 0 if allow_zero else 1
    if isinstance(qty, bool) or not isinstance(qty, int) or qty < lowest:
        raise ValidationError(
            "The {what} must be a whole number of {lowest} or more, not {qty!r}.",
            what=what,
            lowest=lowest,
            qty=qty,
        )


def _audit(
    uow: UnitOfWork,
    actor: Actor,
    action: str,
    loc: Location,
    product: Product,
    lot: Lot | None,
    before: StockPosition,
    level: StockLevel,
    note: str = "",
) -> StockChange:
    key = f"{loc.code}/{product.sku}" + (f"/{lot.lot_number}" if lot else "")
    uow.audit(
        actor,
        action,
        "stock",
        key,
        before={"on_hand": before.on_hand, "reserved": before.reserved},
        after={"on_hand": level.on_hand, "reserved": level.reserved},
        note=note,
    )
    return StockChange(
        product.sku,
        loc.code,
        lot.lot_number if lot else None,
        level.on_hand - before.on_hand,
        level.on_hand,
        level.reserved,
    )


@writes(Permission.ADJUST_STOCK)
def receive(
    uow: UnitOfWork,
    actor: Actor,
    location: LocationRef,
    product: ProductRef,
    qty: int,
    lot: str | None = None,
    expiry: date | None = None,
    *,
    note: str = "",
) -> StockChange:
    """Goods arrive at a location: a receipt on the ledger (lot registered on first sight)."""
    _check_qty(qty, QUANTITY_WORDS["quantity received"])
    with uow:
        uow.require(actor, Permission.ADJUST_STOCK)
        s = uow.session
        loc, prod = find_location(s, location), find_product(s, product)
        if expiry is not None and expiry < _local_today():
            raise ValidationError(
                "This lot of {sku} expired on {expiry:%Y-%m-%d}; do not put it into stock.",
                sku=prod.sku,
                expiry=expiry,
            )
        lot_row = lot_for(s, prod, lot, expiry, create=True)
        level = lock_bucket(s, loc.id, prod.id, lot_row.id if lot_row else None, create=True)
        assert level is not None
        before = StockPosition(level.on_hand, level.reserved)
        if before.on_hand == 0:
            level.first_received_at = utcnow()
        move_locked(uow, actor, level, qty, MovementReason.RECEIPT, sku=prod.sku, location=loc.code)
        change = _audit(uow, actor, "stock.receive", loc, prod, lot_row, before, level, note)
        uow.commit()
        return change


@writes(Permission.ADJUST_STOCK)
def adjust(
    uow: UnitOfWork,
    actor: Actor,
    location: LocationRef,
    product: ProductRef,
    delta: int,
    lot: str | None = None,
    expiry: date | None = None,
    *,
    note: str = "",
    reason: MovementReason = MovementReason.ADJUSTMENT,
) -> StockChange:
    """Add or remove units by hand (damage, found goods, scrap); never below what is reserved."""
    if isinstance(delta, bool) or not isinstance(delta, int) or delta == 0:
        raise ValidationError(
            "An adjustment is a whole number of units, not {delta!r}.", delta=delta
        )
    if reason not in (MovementReason.ADJUSTMENT, MovementReason.SCRAP):
        raise ValidationError(
            "Use the {reason} screen for this movement, not an adjustment.", reason=reason.value
        )
    with uow:
        uow.require(actor, Permission.ADJUST_STOCK)
        s = uow.session
        loc, prod = find_location(s, location), find_product(s, product)
        lot_row = lot_for(s, prod, lot, expiry, create=delta > 0)
        level = lock_bucket(s, loc.id, prod.id, lot_row.id if lot_row else None, create=delta > 0)
        if level is None:
            raise InsufficientStock(sku=f"{prod.sku} at {loc.code}", wanted=-delta, available=0)
        before = StockPosition(level.on_hand, level.reserved)
        move_locked(uow, actor, level, delta, reason, sku=prod.sku, location=loc.code)
        change = _audit(
            uow, actor, f"stock.{reason.value}", loc, prod, lot_row, before, level, note
        )
        uow.commit()
        return change


@writes(Permission.ADJUST_STOCK)
def count(
    uow: UnitOfWork,
    actor: Actor,
    location: LocationRef,
    product: ProductRef,
    counted: int,
    lot: str | None = None,
    expiry: date | None = None,
    *,
    note: str = "",
) -> StockChange:
    """A cycle count: the ledger gets the difference, so on-hand becomes what was counted."""
    _check_qty(counted, QUANTITY_WORDS["counted quantity"], allow_zero=True)
    with uow:
        uow.require(actor, Permission.ADJUST_STOCK)
        s = uow.session
        loc, prod = find_location(s, location), find_product(s, product)
        lot_row = lot_for(s, prod, lot, expiry, create=counted > 0)
        lot_id = lot_row.id if lot_row else None
        level = lock_bucket(s, loc.id, prod.id, lot_id, create=counted > 0)
        before = StockPosition(level.on_hand, level.reserved) if level else StockPosition()
        if level is not None and counted != level.on_hand:
            move_locked(
                uow,
                actor,
                level,
                counted - level.on_hand,
                MovementReason.COUNT,
                sku=prod.sku,
                location=loc.code,
            )
        key = f"{loc.code}/{prod.sku}" + (f"/{lot_row.lot_number}" if lot_row else "")
        on_hand = level.on_hand if level else 0
        uow.audit(
            actor,
            "stock.count",
            "stock",
            key,
            before={"on_hand": before.on_hand, "reserved": before.reserved},
            after={"on_hand": on_hand, "reserved": before.reserved},
            note=note,
        )
        uow.commit()
        return StockChange(
            prod.sku,
            loc.code,
            lot_row.lot_number if lot_row else None,
            on_hand - before.on_hand,
            on_hand,
            before.reserved,
        )


@writes(Permission.ADJUST_STOCK)
def move(
    uow: UnitOfWork,
    actor: Actor,
    product: ProductRef,
    source: LocationRef,
    target: LocationRef,
    qty: int,
    lot: str | None = None,
    *,
    note: str = "",
) -> tuple[StockChange, StockChange]:
    """Move free units from one location to another (replenishment, re-slotting)."""
    _check_qty(qty, QUANTITY_WORDS["quantity to move"])
    with uow:
        uow.require(actor, Permission.ADJUST_STOCK)
        s = uow.session
        prod = find_product(s, product)
        src, dst = find_location(s, source), find_location(s, target)
        if src.id == dst.id:
            raise ValidationError(
                "{code} is both the source and the target of the move.", code=src.code
            )
        lot_row = lot_for(s, prod, lot, None, create=False)
        lot_id = lot_row.id if lot_row else None
        # lock both buckets in location-id order, as every other mover does
        levels: dict[int, StockLevel | None] = {}
        for loc in sorted((src, dst), key=lambda x: x.id):
            levels[loc.id] = lock_bucket(s, loc.id, prod.id, lot_id, create=loc is dst)
        out, into = levels[src.id], levels[dst.id]
        assert into is not None
        free = out.on_hand - out.reserved if out else 0
        if qty > free:
            raise InsufficientStock(sku=f"{prod.sku} at {src.code}", wanted=qty, available=free)
        assert out is not None
        out_before = StockPosition(out.on_hand, out.reserved)
        in_before = StockPosition(into.on_hand, into.reserved)
        if in_before.on_hand == 0:
            into.first_received_at = out.first_received_at
        else:
            into.first_received_at = min(into.first_received_at, out.first_received_at)
        move_locked(
            uow,
            actor,
            out,
            -qty,
            MovementReason.MOVE_OUT,
            sku=prod.sku,
            location=src.code,
            ref_type="move",
        )
        move_locked(
            uow,
            actor,
            into,
            qty,
            MovementReason.MOVE_IN,
            sku=prod.sku,
            location=dst.code,
            ref_type="move",
        )
        note = note or f"{qty} moved from {src.code} to {dst.code}"
        a = _audit(uow, actor, "stock.move_out", src, prod, lot_row, out_before, out, note)
        b = _audit(uow, actor, "stock.move_in", dst, prod, lot_row, in_before, into, note)
        uow.commit()
        return a, b


@writes(Permission.ALLOCATE)
def reserve_for_line(
    uow: UnitOfWork,
    actor: Actor,
    order_line_id: int,
    location: LocationRef,
    qty: int,
    lot: str | None = None,
) -> ReservationInfo:
    """Promise ``qty`` units at one location (and lot) to an order line; refused when fewer are
    free, even when another station is reserving the same units at the same moment."""
    _check_qty(qty, QUANTITY_WORDS["quantity to reserve"])
    with uow:
        uow.require(actor, Permission.ALLOCATE)
        s = uow.session
        line = s.get(OrderLine, order_line_id)
        if line is None:
            raise NotFound(what="Order line", key=str(order_line_id))
        if line.product_id is None:
            raise ValidationError(
                "{sku} is not a known product; it cannot be reserved.", sku=line.sku
            )
        prod = find_product(s, line.product_id)
        loc = find_location(s, location)
        lot_row = lot_for(s, prod, lot, None, create=False)
        level = lock_bucket(s, loc.id, prod.id, lot_row.id if lot_row else None)
        if level is None:
            raise InsufficientStock(sku=f"{prod.sku} at {loc.code}", wanted=qty, available=0)
        before = StockPosition(level.on_hand, level.reserved)
        row = reserve_locked(uow.session, level, line.id, qty, sku=prod.sku, location=loc.code)
        s.flush()
        _audit(
            uow, actor, "stock.reserve", loc, prod, lot_row, before, level, f"order line {line.id}"
        )
        uow.commit()
        return ReservationInfo(
            row.id, line.id, prod.sku, loc.code, lot_row.lot_number if lot_row else None, qty
        )


@writes(Permission.ALLOCATE)
def release_reservation(uow: UnitOfWork, actor: Actor, reservation_id: int) -> None:
    """Give a reservation's units back to free stock (order cancelled, held or re-allocated)."""
    with uow:
        uow.require(actor, Permission.ALLOCATE)
        s = uow.session
        row = s.get(Reservation, reservation_id)
        if row is None:
            raise NotFound(what="Reservation", key=str(reservation_id))
        level = lock_levels(s, [row.stock_level_id])[row.stock_level_id]
        before = StockPosition(level.on_hand, level.reserved)
        release_locked(level, row.qty)
        s.delete(row)
        loc, prod = s.get_one(Location, level.location_id), s.get_one(Product, level.product_id)
        lot_row = s.get(Lot, level.lot_id) if level.lot_id else None
        _audit(
            uow,
            actor,
            "stock.release",
            loc,
            prod,
            lot_row,
            before,
            level,
            f"order line {row.order_line_id}",
        )
        uow.commit()


# --- queries -------------------------------------------------------------------------------------


def _lines(uow: UnitOfWork, where: ColumnElement[bool]) -> StockSummary:
    stmt = (
        select(
            Location.code,
            Location.kind,
            Product.sku,
            Product.name,
            Lot.lot_number,
            Lot.expiry_date,
            StockLevel.on_hand,
            StockLevel.reserved,
        )
        .join(Location, Location.id == StockLevel.location_id)
        .join(Product, Product.id == StockLevel.product_id)
        .outerjoin(Lot, Lot.id == StockLevel.lot_id)
        .where(StockLevel.on_hand != 0, where)
        .order_by(Location.sequence, Location.code, Product.sku, Lot.expiry_date, Lot.lot_number)
    )
    lines = tuple(StockLine(*row) for row in uow.session.execute(stmt))
    return StockSummary(sum(ln.on_hand for ln in lines), sum(ln.reserved for ln in lines), lines)


@reads
def product_stock(uow: UnitOfWork, product: ProductRef) -> StockSummary:
    """Where a product is, per location and lot, in walk order."""
    with uow:
        prod = find_product(uow.session, product)
        return _lines(uow, StockLevel.product_id == prod.id)


@reads
def location_stock(uow: UnitOfWork, location: LocationRef) -> StockSummary:
    """What a location holds, per product and lot."""
    with uow:
        loc = find_location(uow.session, location)
        return _lines(uow, StockLevel.location_id == loc.id)


@reads
def on_hand(uow: UnitOfWork, product: ProductRef, location: LocationRef | None = None) -> int:
    """Units of a product on hand, everywhere or at one location."""
    with uow:
        s = uow.session
        prod = find_product(s, product)
        stmt = select(func.coalesce(func.sum(StockLevel.on_hand), 0)).where(
            StockLevel.product_id == prod.id
        )
        if location is not None:
            stmt = stmt.where(StockLevel.location_id == find_location(s, location).id)
        return int(s.scalar(stmt) or 0)


@reads
def check_stock_invariants(uow: UnitOfWork) -> list[str]:
    """Every broken stock rule, in words (empty when all is well): on-hand equals the sum of
    the ledger per bucket, 0 <= reserved <= on-hand, and reserved equals its reservations."""
    with uow:
        s = uow.session
        names = _bucket_names(s)
        levels = {
            (r.location_id, r.product_id, r.lot_id): r
            for r in s.execute(
                select(
                    StockLevel.id,
                    StockLevel.location_id,
                    StockLevel.product_id,
                    StockLevel.lot_id,
                    StockLevel.on_hand,
                    StockLevel.reserved,
                )
            )
        }
        ledger = {
            (loc, prod, lot): int(total)
            for loc, prod, lot, total in s.execute(
                select(
                    StockLedger.location_id,
                    StockLedger.product_id,
                    StockLedger.lot_id,
                    func.sum(StockLedger.qty_delta),
                ).group_by(StockLedger.location_id, StockLedger.product_id, StockLedger.lot_id)
            )
        }
        promised = dict(
            s.execute(
                select(Reservation.stock_level_id, func.sum(Reservation.qty)).group_by(
                    Reservation.stock_level_id
                )
            )
            .tuples()
            .all()
        )
        problems: list[str] = []
        for key in sorted(set(levels) | set(ledger), key=lambda k: (k[0], k[1], k[2] or 0)):
            row, summed = levels.get(key), ledger.get(key, 0)
            found: list[str] = []
            if row is None:
                found.append(f"the ledger adds up to {summed} but there is no stock level row")
            else:
                held = int(promised.get(row.id, 0))
                if row.on_hand != summed:
                    found.append(f"on hand is {row.on_hand} but the ledger adds up to {summed}")
                if row.on_hand < 0:
                    found.append(f"on hand is negative ({row.on_hand})")
                if row.reserved < 0 or row.reserved > row.on_hand:
                    found.append(f"{row.reserved} reserved is outside 0..{row.on_hand} on hand")
                if row.reserved != held:
                    found.append(f"{row.reserved} reserved but its reservations add up to {held}")
            problems += [f"{names(*key)}: {what}." for what in found]
        problems += _mismatched_reservations(s, names)
        return problems


def _bucket_names(s: Session) -> _Names:
    locs = dict(s.execute(select(Location.id, Location.code)).tuples().all())
    return _Names(locs, s)


class _Names:
    """Readable names of buckets for messages, fetched only for the buckets named."""

    def __init__(self, locations: dict[int, str], session: Session) -> None:
        self._locs = locations
        self._s = session

    def __call__(self, loc: int, prod: int, lot: int | None) -> str:
        sku = self._s.scalar(select(Product.sku).where(Product.id == prod)) or f"product #{prod}"
        where = f"{sku} at {self._locs.get(loc, f'location #{loc}')}"
        if lot is not None:
            number = self._s.scalar(select(Lot.lot_number).where(Lot.id == lot))
            where += f" (lot {number or f'#{lot}'})"
        return where


def _mismatched_reservations(s: Session, names: _Names) -> list[str]:
    rows = s.execute(
        select(
            Reservation.id,
            Reservation.order_line_id,
            OrderLine.sku,
            StockLevel.location_id,
            StockLevel.product_id,
            StockLevel.lot_id,
        )
        .join(OrderLine, OrderLine.id == Reservation.order_line_id)
        .join(StockLevel, StockLevel.id == Reservation.stock_level_id)
        .where((OrderLine.product_id.is_(None)) | (OrderLine.product_id != StockLevel.product_id))
    ).all()
    return [
        f"Reservation {r.id} of order line {r.order_line_id} ({r.sku}) holds "
        f"{names(r.location_id, r.product_id, r.lot_id)}, another product."
        for r in rows
    ]
