"""The returns bench as a scan conversation: one scan, one unit of work, one outcome.

What a scan means depends on where the clerk is (``app.domain.returns.meaning``): a parcel's
tracking number, an order number, a channel order id or a return label opens the order's
return; an item (or its serial number) takes one unit back with the current reason; a location
restocks the units not inspected yet, ``PD-RET-QUARANTINE`` / ``PD-RET-WRITE-OFF`` put them in
quarantine or write them off; ``PD-RET-REASON-<code>`` changes the reason; ``PD-CMD-QTY-n``
makes the next item scan count n units; ``PD-CMD-CANCEL`` takes back the last unit not yet
inspected; ``PD-CMD-CONFIRM`` finishes the return. A refused scan changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, select

from app.db.models import Location, Lot, Order, OrderLine, Product, Return, ReturnLine, ReturnReason
from app.db.uow import UnitOfWork
from app.domain.errors import PackdeskError, ValidationError
from app.domain.returns import (
    RETURN_MESSAGES,
    BenchAction,
    ScanMeaning,
    bench_code,
    meaning,
    order_number_of_label,
)
from app.domain.scans import Command, ScanEvent, ScanKind, split_symbology, strip_framing
from app.domain.users import Actor, Permission
from app.services import returns as rs
from app.services.access import writes
from app.services.returns_state import (
    ReturnView,
    active_reason,
    balances,
    build_view,
    ensure_reasons,
    find_order,
    shipped_units,
)
from app.services.scanning import classify_in


@dataclass(frozen=True)
class ReturnOutcome:
    """What the bench shows after a scan: accepted or refused, the message (template and
    values), the return as it is now, and the reason and quantity for the next item."""

    accepted: bool
    key: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)
    view: ReturnView | None = None
    reason_code: str = ""
    qty: int = 1
    finished: rs.ReturnFinished | None = None


class _Refused(PackdeskError):
    """A refusal of the bench conversation (its template is one of RETURN_MESSAGES)."""


def _refuse(key: str, **params: Any) -> _Refused:
    return _Refused(RETURN_MESSAGES[key], **params)


@dataclass
class _Ctx:
    uow: UnitOfWork
    actor: Actor
    ret: Return | None
    text: str
    reason: str
    qty: int
    #: the scan as the scanner sent it (AIM symbology identifier kept, for GS1 data)
    raw: str = ""
    event: ScanEvent | None = None


@writes(Permission.RETURNS)
def scan(
    uow: UnitOfWork,
    actor: Actor,
    text: str,
    *,
    return_id: int | None = None,
    reason_code: str = "",
    qty: int = 1,
) -> ReturnOutcome:
    """One scan at the returns bench (see the module's docstring)."""
    with uow:
        uow.require(actor, Permission.RETURNS)
        s = uow.session
        ret = s.get(Return, return_id) if return_id is not None else None
        if ret is not None and ret.status != "open":
            ret = None
        data = split_symbology(strip_framing(text))[1].strip()
        ctx = _Ctx(uow, actor, ret, data, _reason_or_first(uow, reason_code), qty, text)
        try:
            out = _dispatch(ctx)
        except PackdeskError as exc:
            s.rollback()
            kept = s.get(Return, return_id) if return_id is not None else None
            view = build_view(s, kept) if kept is not None and kept.status == "open" else None
            key = next((k for k, v in RETURN_MESSAGES.items() if v == exc.template), "refused")
            return ReturnOutcome(False, key, exc.template, exc.params, view, ctx.reason, ctx.qty)
        uow.commit()
        return out


def _reason_or_first(uow: UnitOfWork, code: str) -> str:
    if code:
        return code.strip().upper()
    ensure_reasons(uow.session)
    first = uow.session.scalar(
        select(ReturnReason.code)
        .where(ReturnReason.active.is_(True))
        .order_by(ReturnReason.position, ReturnReason.id)
        .limit(1)
    )
    return first or ""


def _kind(ctx: _Ctx) -> str:
    bench = bench_code(ctx.text)
    if bench is not None:
        return bench[0].value
    if order_number_of_label(ctx.text) is not None:
        return "return_label"
    event = classify_in(ctx.uow, ctx.actor, ctx.raw or ctx.text)
    ctx.event = event
    if event.kind is ScanKind.INVALID and event.error is not None:
        raise event.error
    if event.kind is ScanKind.COMMAND:
        words = {Command.CONFIRM: "confirm", Command.CANCEL: "cancel", Command.QUANTITY: "quantity"}
        return words.get(event.command, "other") if event.command else "other"
    simple = {
        ScanKind.PRODUCT: "product",
        ScanKind.LOCATION: "location",
        ScanKind.ORDER: "order",
        ScanKind.TRACKING: "tracking",
    }
    kind = simple.get(event.kind, "unknown")
    if kind == "unknown" and ctx.ret is not None and _serial_item(ctx) is not None:
        return "product"
    return kind


def _dispatch(ctx: _Ctx) -> ReturnOutcome:
    kind = _kind(ctx)
    pending = ctx.ret is not None and bool(
        ctx.uow.session.scalar(
            select(func.count()).where(
                ReturnLine.return_id == ctx.ret.id, ReturnLine.disposition == ""
            )
        )
    )
    what = meaning(kind, has_return=ctx.ret is not None, pending=pending)
    handlers = {
        ScanMeaning.OPEN: _open,
        ScanMeaning.ADD_UNIT: _add,
        ScanMeaning.RESTOCK: lambda c: _put(c, "restock"),
        ScanMeaning.QUARANTINE: lambda c: _put(c, "quarantine"),
        ScanMeaning.WRITE_OFF: lambda c: _put(c, "write_off"),
        ScanMeaning.REASON: _reason,
        ScanMeaning.FINISH: _finish,
        ScanMeaning.UNDO: _undo,
        ScanMeaning.QUANTITY: _quantity,
    }
    handler = handlers.get(what)
    if handler is None:
        if ctx.ret is None:
            raise _refuse("scan_order_first")
        raise _refuse("item_first")
    return handler(ctx)


def _ok(ctx: _Ctx, key: str, **params: Any) -> ReturnOutcome:
    assert ctx.ret is not None
    view = build_view(ctx.uow.session, ctx.ret)
    return ReturnOutcome(True, key, RETURN_MESSAGES[key], params, view, ctx.reason, ctx.qty)


def _open(ctx: _Ctx) -> ReturnOutcome:
    s = ctx.uow.session
    if ctx.ret is not None:
        has_lines = s.scalar(select(func.count()).where(ReturnLine.return_id == ctx.ret.id))
        order = find_order(s, ctx.text)
        if order.id == ctx.ret.order_id:
            return _ok(ctx, "opened", number=ctx.ret.number, order=order.number)
        if has_lines:
            raise _refuse("finish_first", number=ctx.ret.number)
        number = ctx.ret.number
        s.execute(delete(Return).where(Return.id == ctx.ret.id))
        ctx.uow.audit(ctx.actor, "return.cancel", "return", number, note="nothing taken back")
    ctx.ret = rs.open_in(ctx.uow, ctx.actor, ctx.text)
    ctx.qty = 1
    return _ok(ctx, "opened", number=ctx.ret.number, order=_order_number(ctx))


def _order_number(ctx: _Ctx) -> str:
    assert ctx.ret is not None
    return ctx.uow.session.get_one(Order, ctx.ret.order_id).number


def _serial_item(ctx: _Ctx) -> tuple[int, int, str] | None:
    """(order line, product, serial) when the scan is a serial number shipped on the order."""
    assert ctx.ret is not None
    for _, line_id, pid, _, ser, _ in shipped_units(ctx.uow.session, ctx.ret.order_id):
        if ser is not None and ser == ctx.text:
            return line_id, pid, ser
    return None


def _add(ctx: _Ctx) -> ReturnOutcome:
    assert ctx.ret is not None
    s = ctx.uow.session
    event = ctx.event
    found = _serial_item(ctx) if event is None or event.kind is not ScanKind.PRODUCT else None
    serial: str | None
    if found is not None:
        line_id, pid, serial = found
        lot_id = None
    else:
        assert event is not None and event.entity_id is not None
        pid = event.entity_id
        product = s.get_one(Product, pid)
        gs1 = event.gs1
        serial = gs1.serial if gs1 and gs1.serial else None
        if product.serial_tracked and serial is None:
            raise _refuse("serial_wanted", sku=product.sku)
        lot_id = _lot_id(ctx, pid, gs1.lot if gs1 and gs1.lot else "")
        line_id = _line_for(ctx, pid, serial)
    qty = 1 if serial else ctx.qty * ((event.quantity if event else None) or 1)
    rs.add_in(
        ctx.uow,
        ctx.actor,
        ctx.ret.id,
        line_id,
        qty,
        ctx.reason,
        scanned=ctx.text,
        lot_id=lot_id,
        serial=serial,
    )
    ctx.qty = 1
    sku = s.get_one(Product, pid).sku
    return _ok(ctx, "added", sku=sku, reason=_reason_name(ctx))


def _lot_id(ctx: _Ctx, product_id: int, lot: str) -> int | None:
    if not lot:
        return None
    found = ctx.uow.session.scalar(
        select(Lot.id).where(Lot.product_id == product_id, Lot.lot_number == lot)
    )
    if found is None:
        raise ValidationError("Lot {lot} was not shipped on this order: check the label.", lot=lot)
    return found


def _line_for(ctx: _Ctx, product_id: int, serial: str | None) -> int:
    """The order line a scanned product comes back on: the first with units still out."""
    assert ctx.ret is not None
    s = ctx.uow.session
    bal = balances(s, ctx.ret.order_id)
    lines = list(
        s.scalars(
            select(OrderLine.id)
            .where(OrderLine.order_id == ctx.ret.order_id, OrderLine.product_id == product_id)
            .order_by(OrderLine.line_no)
        )
    )
    shipped = [lid for lid in lines if lid in bal]
    order = _order_number(ctx)
    sku = s.get_one(Product, product_id).sku
    if not shipped:
        raise _refuse("not_on_order", sku=sku, order=order)
    if serial is not None:
        for _, lid, pid, _, ser, _ in shipped_units(s, ctx.ret.order_id):
            if pid == product_id and ser == serial:
                return lid
        raise _refuse("serial_not_shipped", serial=serial, sku=sku, order=order)
    return next((lid for lid in shipped if bal[lid].returnable > 0), shipped[0])


def _reason_name(ctx: _Ctx) -> str:
    row = ctx.uow.session.scalar(select(ReturnReason).where(ReturnReason.code == ctx.reason))
    return row.name_en if row else ctx.reason


def _put(ctx: _Ctx, how: str) -> ReturnOutcome:
    assert ctx.ret is not None
    location = ctx.text if how == "restock" else None
    units = rs.inspect_in(ctx.uow, ctx.actor, ctx.ret.id, how, location=location)
    where = ""
    if how != "write_off":
        last = ctx.uow.session.scalar(
            select(Location.code)
            .join(ReturnLine, ReturnLine.location_id == Location.id)
            .where(ReturnLine.return_id == ctx.ret.id)
            .order_by(ReturnLine.inspected_at.desc(), ReturnLine.id.desc())
            .limit(1)
        )
        where = last or ""
    key = {"restock": "restocked", "quarantine": "quarantined", "write_off": "written_off"}[how]
    return _ok(ctx, key, units=units, location=where)


def _reason(ctx: _Ctx) -> ReturnOutcome:
    bench = bench_code(ctx.text)
    assert bench is not None and bench[0] is BenchAction.REASON
    row = active_reason(ctx.uow.session, bench[1])
    ctx.reason = row.code
    if ctx.ret is None:
        return ReturnOutcome(
            True, "reason", RETURN_MESSAGES["reason"], {"reason": row.name_en}, None, row.code
        )
    for line in ctx.uow.session.scalars(
        select(ReturnLine).where(ReturnLine.return_id == ctx.ret.id, ReturnLine.disposition == "")
    ):
        line.reason_code = row.code
    return _ok(ctx, "reason", reason=row.name_en)


def _finish(ctx: _Ctx) -> ReturnOutcome:
    assert ctx.ret is not None
    done = rs.finish_in(ctx.uow, ctx.actor, ctx.ret.id)
    return ReturnOutcome(
        True,
        "finished",
        RETURN_MESSAGES["finished"],
        {"number": done.number, "note": done.note},
        build_view(ctx.uow.session, ctx.ret),
        ctx.reason,
        1,
        done,
    )


def _undo(ctx: _Ctx) -> ReturnOutcome:
    assert ctx.ret is not None
    rs.undo_in(ctx.uow, ctx.actor, ctx.ret.id)
    return _ok(ctx, "undone")


def _quantity(ctx: _Ctx) -> ReturnOutcome:
    assert ctx.event is not None and ctx.event.quantity is not None
    ctx.qty = ctx.event.quantity
    return _ok(ctx, "quantity", qty=ctx.qty)
