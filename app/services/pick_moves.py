"""Stock moves of picking, inside the caller's unit of work: units from the location into the
tote, and a task's reservation moved to another lot of the same location.

Every unit is a ledger line out of the location and one into the tote (a ``locations`` row of
kind ``tote``, created on first use in the batch's warehouse). The reservation of each order
line is consumed at the location and made again on the tote's stock level, so packing finds
the units reserved for their order. Levels are locked in id order, as every other mover does.
"""

from __future__ import annotations

from sqlalchemy import and_, bindparam, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.db.models import Location, PickTask, PickTaskPart, Product, Reservation, StockLevel
from app.db.uow import UnitOfWork
from app.domain.errors import InsufficientStock
from app.domain.stock import MovementReason
from app.domain.users import Actor
from app.services.access import step
from app.services.stock import (
    lock_bucket,
    lock_buckets,
    move_locked,
    release_locked,
    reserve_locked,
    reserve_moved,
)

TOTE_KIND = "tote"


_TOTE = select(Location).where(
    Location.warehouse_id == bindparam("wh"), Location.code == bindparam("code")
)


def tote_location(
    session: Session, warehouse_id: int, code: str, known: Location | None = None
) -> Location:
    """The tote's location row in this warehouse, made the first time the tote is used;
    ``known``: the location the scan's look-up found already (used when it is this tote)."""
    if known is not None and known.warehouse_id == warehouse_id and known.code == code:
        return known
    loc = session.scalar(_TOTE, {"wh": warehouse_id, "code": code})
    if loc is not None:
        return loc
    taken = session.scalar(select(Location.id).where(Location.barcode == code))
    barcode = code if taken is None else f"{code}@{warehouse_id}"
    loc = Location(
        warehouse_id=warehouse_id, code=code, barcode=barcode, zone="", kind=TOTE_KIND, sequence=0
    )
    try:
        with session.begin_nested():  # another station may be making the same tote right now
            session.add(loc)
            session.flush()
    except IntegrityError:
        made = session.scalar(_TOTE, {"wh": warehouse_id, "code": code})
        if made is None:
            raise
        return made
    return loc


def open_parts(session: Session, task_id: int) -> list[PickTaskPart]:
    """The task's parts still waiting for units, in a fixed order."""
    parts = session.scalars(
        select(PickTaskPart).where(PickTaskPart.task_id == task_id).order_by(PickTaskPart.id)
    ).all()
    return [p for p in parts if p.qty_picked < p.qty]


def _share(parts: list[PickTaskPart], qty: int) -> list[tuple[PickTaskPart, int]]:
    out: list[tuple[PickTaskPart, int]] = []
    for part in parts:
        if qty == 0:
            break
        n = min(qty, part.qty - part.qty_picked)
        out.append((part, n))
        qty -= n
    return out


#: a task's parts with their reservations on the put's levels (built once: building and keying
#: a statement costs more than running it on SQLite)
_HELD = (
    select(PickTaskPart, Reservation)
    .outerjoin(
        Reservation,
        and_(
            Reservation.stock_level_id.in_(bindparam("levels", expanding=True)),
            or_(
                Reservation.id == PickTaskPart.reservation_id,
                Reservation.order_line_id == PickTaskPart.order_line_id,
            ),
        ),
    )
    .where(PickTaskPart.task_id == bindparam("task"))
    .order_by(PickTaskPart.id, Reservation.id)
)


class Held:
    """The reservations a put works on, read once with the task's parts: each part's own
    reservation and its order line's reservations on the put's two levels (so finding the
    one to give back or to add to costs no statement)."""

    def __init__(self, parts: list[PickTaskPart], rows: list[Reservation]) -> None:
        self.parts = parts
        self.rows: dict[int, Reservation] = {r.id: r for r in rows}
        self.made: list[Reservation] = []

    @classmethod
    def read(cls, session: Session, task_id: int, level_ids: list[int]) -> Held:
        rows = session.execute(_HELD, {"task": task_id, "levels": level_ids}).all()
        parts = list({part.id: part for part, _ in rows}.values())
        return cls(parts, [res for _, res in rows if res is not None])

    def open_parts(self) -> list[PickTaskPart]:
        return [p for p in self.parts if p.qty_picked < p.qty]

    def at(self, part: PickTaskPart, level_id: int) -> Reservation | None:
        """The part's reservation on this level (its own, or the first of its order line)."""
        own = self.rows.get(part.reservation_id) if part.reservation_id else None
        if own is not None and own.stock_level_id == level_id:
            return own
        ours = [
            r
            for r in [*self.rows.values(), *self.made]
            if r.order_line_id == part.order_line_id and r.stock_level_id == level_id
        ]
        return min(ours, key=lambda r: r.id or 0) if ours else None

    def gone(self, res: Reservation) -> None:
        self.rows.pop(res.id, None)


def _reservation_at(session: Session, part: PickTaskPart, level_id: int) -> Reservation | None:
    """The part's reservation on this level (its own, or one of its order line)."""
    res = session.get(Reservation, part.reservation_id) if part.reservation_id else None
    if res is not None and res.stock_level_id == level_id:
        return res
    return session.scalar(
        select(Reservation)
        .where(
            Reservation.order_line_id == part.order_line_id,
            Reservation.stock_level_id == level_id,
        )
        .order_by(Reservation.id)
        .limit(1)
    )


def give_back(
    session: Session, level: StockLevel, part: PickTaskPart, qty: int, held: Held | None = None
) -> int:
    """Release up to ``qty`` units of the part's reservation on a locked level; the units
    released. ``held``: the reservations read already (none: they are looked up)."""
    res = held.at(part, level.id) if held is not None else _reservation_at(session, part, level.id)
    if res is None or qty <= 0:
        return 0
    n = min(qty, res.qty)
    release_locked(level, n)
    if n == res.qty:
        if part.reservation_id == res.id:
            part.reservation_id = None
        session.delete(res)
        if held is not None:
            held.gone(res)
    else:
        res.qty -= n
    return n


@step
def put_units(
    uow: UnitOfWork,
    actor: Actor,
    task: PickTask,
    qty: int,
    tote_code: str,
    warehouse_id: int,
    *,
    scanned: Location | None = None,
) -> None:
    """Move ``qty`` units of the task from its location into the tote (ledger, reservations,
    ``qty_picked`` on the task and its parts). Both levels are locked in one statement (in id
    order), and the parts are read with their reservations in one. A part's reservation that
    goes whole into a tote where its order line has none yet moves with its units (the row is
    updated, not deleted and made again); otherwise the units are released at the location and
    reserved again in the tote."""
    s = uow.session
    product = s.get_one(Product, task.product_id)
    tote = tote_location(s, warehouse_id, tote_code, scanned)
    src = (task.location_id, task.product_id, task.lot_id)
    dst = (tote.id, task.product_id, task.lot_id)
    levels = lock_buckets(s, [src, dst], create=[dst])
    source, target = levels[src], levels[dst]
    if source is None:
        raise InsufficientStock(sku=product.sku, wanted=qty, available=0)
    assert target is not None
    where = s.get_one(Location, task.location_id).code
    held = Held.read(s, task.id, [source.id, target.id])
    shares = _share(held.open_parts(), qty)
    moved: dict[int, Reservation] = {}  # part id -> its reservation, moving whole
    for part, n in shares:
        res = held.at(part, source.id)
        if res is not None and res.qty == n and held.at(part, target.id) is None:
            release_locked(source, n)
            moved[part.id] = res
        else:
            give_back(s, source, part, n, held)
    for level, delta, code in ((source, -qty, where), (target, qty, tote.code)):
        move_locked(
            uow,
            actor,
            level,
            delta,
            MovementReason.PICK,
            sku=product.sku,
            location=code,
            ref_type="pick_task",
            ref_id=task.id,
        )
    made: list[tuple[PickTaskPart, Reservation]] = []
    for part, n in shares:
        whole = moved.get(part.id)
        if whole is not None:
            reserve_moved(target, whole, sku=product.sku, location=tote.code)
            part.qty_picked += n
            part.reservation_id = whole.id
            continue
        res = held.at(part, target.id)
        if res is None:
            res = reserve_locked(
                s, target, part.order_line_id, n, sku=product.sku, location=tote.code
            )
            held.made.append(res)
        else:
            reserve_locked_more(target, res, n)
        part.qty_picked += n
        if part.reservation_id is None:
            made.append((part, res))
    if made:
        s.flush()  # the new reservations' ids
        for part, res in made:
            part.reservation_id = res.id
    task.qty_picked += qty


def reserve_locked_more(level: StockLevel, res: Reservation, qty: int) -> None:
    """``qty`` more units of a locked level for a reservation it already has (free units only:
    the units were just put there)."""
    if qty > level.on_hand - level.reserved:
        raise InsufficientStock(sku="", wanted=qty, available=level.on_hand - level.reserved)
    level.reserved += qty
    res.qty += qty


@step
def swap_lot(uow: UnitOfWork, actor: Actor, task: PickTask, lot_id: int) -> None:
    """Move the reservations still open on the task from its lot to ``lot_id`` at the same
    location (the scan sequence checked that the allocation rules allow it)."""
    s = uow.session
    product = s.get_one(Product, task.product_id)
    old = lock_bucket(s, task.location_id, task.product_id, task.lot_id)
    new = lock_bucket(s, task.location_id, task.product_id, lot_id)
    if old is None or new is None:
        raise InsufficientStock(sku=product.sku, wanted=task.qty - task.qty_picked, available=0)
    where = s.get_one(Location, task.location_id).code
    for part in open_parts(s, task.id):
        n = part.qty - part.qty_picked
        give_back(s, old, part, n)
        res = reserve_locked(s, new, part.order_line_id, n, sku=product.sku, location=where)
        s.flush()
        part.reservation_id = res.id
    uow.audit(
        actor, "pick.lot_swap", "pick_task", task.id, {"lot_id": task.lot_id}, {"lot_id": lot_id}
    )
    task.lot_id = lot_id
