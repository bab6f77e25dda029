"""Returns (售后) at the returns bench: receive a parcel that came back, take its units out with
a reason, inspect each (restock, quarantine or write off) and finish.

One unit of work per action. ``open_return`` finds the order (tracking number, order number,
channel order id or return label ``RT-<order number>``) and opens its return, or resumes the one
already open. ``add_units`` adds units of an order line (a scan adds one; a typed quantity adds
several), never more than shipped minus returned. ``inspect`` puts the units not inspected yet
(or the chosen ones) where the clerk says (``app.services.returns_stock``). ``finish_return``
writes the order's status history and makes the order ``returned`` when everything shipped has
come back (``app.domain.returns.status_after``). The scan conversation over these is
``app.services.returns_scan``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, select

from app.db.models import (
    Order,
    OrderStatusChange,
    Return,
    ReturnLine,
    utcnow,
)
from app.db.uow import UnitOfWork
from app.domain.errors import ValidationError
from app.domain.orders import OrderStatus, status_note
from app.domain.returns import (
    Disposition,
    check_order_returnable,
    check_returnable,
    reasons_text,
    status_after,
)
from app.domain.users import Actor, Permission
from app.services import orders
from app.services.access import reads, step, writes
from app.services.returns_state import (
    ReturnView,
    active_reason,
    balances,
    build_view,
    find_order,
    reason_names,
    shipped_units,
)
from app.services.returns_stock import put_away, quarantine_location, restock_location


@dataclass(frozen=True)
class ReturnFinished:
    return_id: int
    number: str
    order_number: str
    units: int
    order_status: str
    partly_returned: bool
    note: str


def _load(uow: UnitOfWork, return_id: int) -> Return:
    ret = uow.session.get(Return, return_id)
    if ret is None:
        raise ValidationError(
            "Return {return_id} was not found: scan the parcel again.", return_id=return_id
        )
    return ret


def _open_one(uow: UnitOfWork, return_id: int) -> Return:
    ret = _load(uow, return_id)
    if ret.status != "open":
        raise ValidationError(
            "Return {number} is finished already: scan the parcel again to start a new one.",
            number=ret.number,
        )
    return ret


@writes(Permission.RETURNS)
def open_return(uow: UnitOfWork, actor: Actor, text: str) -> ReturnView:
    """The open return of the order ``text`` names, opened now or resumed."""
    with uow:
        uow.require(actor, Permission.RETURNS)
        ret = open_in(uow, actor, text)
        view = build_view(uow.session, ret)
        uow.commit()
        return view


@step
def open_in(uow: UnitOfWork, actor: Actor, text: str) -> Return:
    """The order's open return, opened now or resumed (inside the caller's unit of work)."""
    s = uow.session
    order = find_order(s, text)
    check_order_returnable(order.number, order.status)
    ret = s.scalar(select(Return).where(Return.order_id == order.id, Return.status == "open"))
    if ret is not None:
        return ret
    n = (s.scalar(select(func.count()).where(Return.order_id == order.id)) or 0) + 1
    ret = Return(
        number=f"R-{order.number}-{n}",
        order_id=order.id,
        scanned=text.strip()[:128],
        received_by=actor.user_id,
        station_id=actor.station_id,
    )
    s.add(ret)
    s.flush()
    uow.audit(actor, "return.open", "return", ret.number, after={"order": order.number})
    return ret


@writes(Permission.RETURNS)
def add_units(
    uow: UnitOfWork,
    actor: Actor,
    return_id: int,
    order_line_id: int,
    qty: int,
    reason_code: str,
    *,
    scanned: str = "",
) -> ReturnView:
    """``qty`` units of an order line come back with a reason (typed at the screen)."""
    with uow:
        uow.require(actor, Permission.RETURNS)
        ret = _open_one(uow, return_id)
        add_in(uow, actor, ret.id, order_line_id, qty, reason_code, scanned=scanned)
        view = build_view(uow.session, ret)
        uow.commit()
        return view


@step
def add_in(
    uow: UnitOfWork,
    actor: Actor,
    return_id: int,
    order_line_id: int,
    qty: int,
    reason_code: str,
    *,
    scanned: str = "",
    lot_id: int | None = None,
    serial: str | None = None,
) -> list[ReturnLine]:
    """Add the units (a serial-tracked line: one row per unit, each a shipped serial)."""
    s = uow.session
    ret = _open_one(uow, return_id)
    reason = active_reason(s, reason_code)
    # two stations taking units of one order back at once: one waits for the other's commit,
    # so the balance below counts the other's units
    s.execute(select(Order.id).where(Order.id == ret.order_id).with_for_update())
    line = balances(s, ret.order_id).get(order_line_id)
    if line is None:
        raise ValidationError("That line was not shipped on this order: nothing can come back.")
    check_returnable(line, qty)
    units = _free_units(uow, ret, order_line_id, lot_id, serial)
    rows: list[ReturnLine] = []
    left = qty
    for item_id, product_id, lot, item_serial, item_qty in units:
        if left == 0:
            break
        n = 1 if item_serial else min(left, item_qty)
        rows.append(
            ReturnLine(
                return_id=ret.id,
                order_line_id=order_line_id,
                product_id=product_id,
                lot_id=lot,
                serial=item_serial,
                pack_item_id=item_id if item_serial else None,
                qty=n,
                reason_code=reason.code,
                scanned=scanned[:128],
            )
        )
        left -= n
    if left:
        raise ValidationError(
            "Only {left} of {sku} can come back ({shipped} shipped, {returned} returned "
            "already): check the item and the quantity.",
            left=qty - left,
            sku=line.sku,
            shipped=line.shipped,
            returned=line.returned,
        )
    s.add_all(rows)
    s.flush()
    return rows


def _free_units(
    uow: UnitOfWork, ret: Return, order_line_id: int, lot_id: int | None, serial: str | None
) -> list[tuple[int, int, int | None, str | None, int]]:
    """The line's shipped units not back yet, per lot (and serial): (pack item, product, lot,
    serial, qty), filtered to a lot or serial when the scan named one."""
    s = uow.session
    back: dict[tuple[int | None, str | None], int] = {}
    taken = s.execute(
        select(ReturnLine.lot_id, ReturnLine.serial, func.sum(ReturnLine.qty))
        .join(Return, Return.id == ReturnLine.return_id)
        .where(Return.order_id == ret.order_id, ReturnLine.order_line_id == order_line_id)
        .group_by(ReturnLine.lot_id, ReturnLine.serial)
    ).all()
    for lot, ser, n in taken:
        back[(lot, ser)] = int(n or 0)
    out = []
    for item_id, line_id, pid, lot, ser, qty in shipped_units(s, ret.order_id):
        if line_id != order_line_id:
            continue
        if (lot_id is not None and lot != lot_id) or (serial is not None and ser != serial):
            continue
        used = min(back.get((lot, ser), 0), qty)
        back[(lot, ser)] = back.get((lot, ser), 0) - used
        if qty - used > 0:
            out.append((item_id, pid, lot, ser, qty - used))
    return out


@writes(Permission.RETURNS)
def inspect(
    uow: UnitOfWork,
    actor: Actor,
    return_id: int,
    disposition: str,
    *,
    location: str | None = None,
    line_ids: Sequence[int] | None = None,
) -> ReturnView:
    """Put the units not inspected yet (or ``line_ids`` of them) away: ``restock`` into
    ``location`` (scanned), ``quarantine`` or ``write_off``."""
    with uow:
        uow.require(actor, Permission.RETURNS)
        ret = _open_one(uow, return_id)
        inspect_in(uow, actor, ret.id, disposition, location=location, line_ids=line_ids)
        view = build_view(uow.session, ret)
        uow.commit()
        return view


@step
def inspect_in(
    uow: UnitOfWork,
    actor: Actor,
    return_id: int,
    disposition: str,
    *,
    location: str | None = None,
    line_ids: Sequence[int] | None = None,
) -> int:
    """Put the waiting units away; returns how many (inside the caller's unit of work)."""
    s = uow.session
    ret = _open_one(uow, return_id)
    try:
        how = Disposition(disposition)
    except ValueError as exc:
        raise ValidationError(
            "{disposition} is not a way to put a return away: restock, quarantine or write_off.",
            disposition=disposition,
        ) from exc
    stmt = select(ReturnLine).where(ReturnLine.return_id == ret.id, ReturnLine.disposition == "")
    if line_ids is not None:
        stmt = stmt.where(ReturnLine.id.in_(list(line_ids)))
    pending = list(s.scalars(stmt.order_by(ReturnLine.id)))
    if not pending:
        raise ValidationError("Nothing is waiting for inspection: scan an item that came back.")
    if how is Disposition.RESTOCK:
        if not location:
            raise ValidationError("Scan the location to restock into.")
        where = restock_location(s, location)
    else:
        where = quarantine_location(s, actor)
    for line in pending:
        put_away(uow, actor, line.id, how.value, where.id)
    uow.audit(
        actor,
        f"return.{how.value}",
        "return",
        ret.number,
        after={"units": sum(x.qty for x in pending), "location": where.code},
    )
    return sum(x.qty for x in pending)


@writes(Permission.RETURNS)
def undo_unit(
    uow: UnitOfWork, actor: Actor, return_id: int, *, line_id: int | None = None
) -> ReturnView:
    """Take back units added by mistake (the last not yet inspected, or ``line_id``)."""
    with uow:
        uow.require(actor, Permission.RETURNS)
        ret = _open_one(uow, return_id)
        undo_in(uow, actor, ret.id, line_id)
        view = build_view(uow.session, ret)
        uow.commit()
        return view


@step
def undo_in(uow: UnitOfWork, actor: Actor, return_id: int, line_id: int | None = None) -> None:
    """Delete the last unit not yet inspected (or ``line_id``)."""
    s = uow.session
    ret = _open_one(uow, return_id)
    stmt = select(ReturnLine).where(ReturnLine.return_id == ret.id, ReturnLine.disposition == "")
    if line_id is not None:
        stmt = stmt.where(ReturnLine.id == line_id)
    row = s.scalar(stmt.order_by(ReturnLine.id.desc()).limit(1))
    if row is None:
        raise ValidationError(
            "There is no unit waiting for inspection to take back: units put away stay put."
        )
    s.delete(row)
    s.flush()


@writes(Permission.RETURNS)
def finish_return(
    uow: UnitOfWork, actor: Actor, return_id: int, *, note: str = ""
) -> ReturnFinished:
    """Close the return: every unit inspected; the order's history says what came back, and the
    order is ``returned`` once everything shipped is back."""
    with uow:
        uow.require(actor, Permission.RETURNS)
        ret = _open_one(uow, return_id)
        done = finish_in(uow, actor, ret.id, note)
        uow.commit()
        return done


@step
def finish_in(uow: UnitOfWork, actor: Actor, return_id: int, note: str = "") -> ReturnFinished:
    """Close the return and move its order on (inside the caller's unit of work)."""
    s = uow.session
    ret = _open_one(uow, return_id)
    lines = list(s.scalars(select(ReturnLine).where(ReturnLine.return_id == ret.id)))
    if not lines:
        raise ValidationError(
            "Return {number} has no units yet: scan the items that came back, or cancel it.",
            number=ret.number,
        )
    if any(not x.disposition for x in lines):
        raise ValidationError(
            "Some units of return {number} are not inspected yet: restock, quarantine or "
            "write them off first.",
            number=ret.number,
        )
    order = s.get_one(Order, ret.order_id)
    bal = balances(s, order.id)
    shipped = sum(b.shipped for b in bal.values())
    units = sum(x.qty for x in lines)
    after = status_after(
        order.status, shipped, sum(b.returned for b in bal.values()) - units, units
    )
    names = reason_names(s)
    why = reasons_text(names.get(x.reason_code, (x.reason_code, ""))[0] for x in lines)
    text = status_note("returned", units=units, shipped=shipped, reasons=why)
    ret.status, ret.finished_at, ret.finished_by = "done", utcnow(), actor.user_id
    ret.note = note.strip()
    if after.target is not None:
        orders.transition(uow, actor, order, OrderStatus(after.target), text)
    else:
        s.add(
            OrderStatusChange(
                order_id=order.id,
                from_status=order.status,
                to_status=order.status,
                user_id=actor.user_id,
                station_id=actor.station_id,
                note=text,
            )
        )
    uow.audit(
        actor,
        "return.finish",
        "return",
        ret.number,
        after={"order": order.number, "units": units, "status": order.status},
        note=ret.note,
    )
    return ReturnFinished(
        ret.id, ret.number, order.number, units, order.status, after.partly_returned, text
    )


@writes(Permission.RETURNS)
def cancel_return(uow: UnitOfWork, actor: Actor, return_id: int) -> str:
    """Give up an open return none of whose units is put away yet (opened by mistake);
    returns its number."""
    with uow:
        uow.require(actor, Permission.RETURNS)
        ret = _open_one(uow, return_id)
        s = uow.session
        if s.scalar(
            select(func.count()).where(ReturnLine.return_id == ret.id, ReturnLine.disposition != "")
        ):
            raise ValidationError(
                "Return {number} has units put away already: finish it instead.",
                number=ret.number,
            )
        number = ret.number
        s.execute(delete(ReturnLine).where(ReturnLine.return_id == ret.id))
        s.delete(ret)
        uow.audit(actor, "return.cancel", "return", number)
        uow.commit()
        return number


@reads
def return_view(uow: UnitOfWork, actor: Actor, return_id: int) -> ReturnView:
    with uow:
        uow.require(actor, Permission.RETURNS)
        return build_view(uow.session, _load(uow, return_id))


@reads
def open_return_at(uow: UnitOfWork, actor: Actor) -> ReturnView | None:
    """The return this station left open (resumed after a restart), if any."""
    with uow:
        uow.require(actor, Permission.RETURNS)
        ret = uow.session.scalar(
            select(Return)
            .where(Return.status == "open", Return.station_id == actor.station_id)
            .order_by(Return.id.desc())
            .limit(1)
        )
        return build_view(uow.session, ret) if ret is not None else None
