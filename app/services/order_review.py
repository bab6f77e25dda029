"""The reviewer's side of check and hold (审单): open a held order unmasked, correct its address,
phone or lines, and have the checks run again (released by itself when everything passes).
Releasing or cancelling by hand is ``app.services.order_actions``."""

from __future__ import annotations

from dataclasses import dataclass, fields

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import Address, Channel, Order, OrderHold, OrderImport, OrderLine, utcnow
from app.db.uow import UnitOfWork
from app.domain.errors import NotFound, PackdeskError, ValidationError
from app.domain.holds import HoldReason, stored_hold
from app.domain.orders import EDITABLE, status_note
from app.domain.users import Actor, Permission
from app.importers.values import digits_of
from app.services import order_checks
from app.services.access import writes
from app.services.channel_cancel import refuse_stopped
from app.services.order_checks import CheckResult
from app.services.sku_lookup import resolve_skus


@dataclass(frozen=True)
class EditLine:
    """A line as the reviewer sees and changes it; ``line_no`` None adds a line."""

    line_no: int | None
    sku: str
    qty: int
    name: str = ""
    known: bool = True
    #: the channel has shipped part of the line already: its quantity needs a look
    partly_fulfilled: bool = False
    #: the reviewer says the quantity is the one still to ship (a partly fulfilled line's hold
    #: ends when its quantity is changed or confirmed, never by itself)
    qty_confirmed: bool = False


@dataclass(frozen=True)
class AddressEdit:
    name: str = ""
    phone: str = ""
    company: str = ""
    country: str = ""
    province: str = ""
    city: str = ""
    district: str = ""
    street: str = ""
    street2: str = ""
    postal_code: str = ""


ADDRESS_FIELDS = tuple(f.name for f in fields(AddressEdit))


@dataclass(frozen=True)
class EditableOrder:
    """A held order, unmasked, for the reviewer's editor."""

    id: int
    number: str
    external_id: str
    channel: str
    status: str
    version: int
    payment_status: str
    channel_status: str
    note: str
    address: AddressEdit
    lines: tuple[EditLine, ...]
    #: open hold reasons: (code, reason)
    #: the open holds: (code, the hold with its sentence)
    holds: tuple[tuple[str, HoldReason], ...]
    #: the platform masks or encrypts the recipient: ship with the platform's e-waybill
    recipient_protected: bool = False


@writes(Permission.EDIT_ORDERS)  # showing personal data to edit writes its audit row
def editable_order(uow: UnitOfWork, actor: Actor, order_id: int) -> EditableOrder:
    """The order with its personal data shown (needs the permission; audited)."""
    with uow:
        uow.require(actor, Permission.EDIT_ORDERS)
        uow.require(actor, Permission.REVEAL_PERSONAL_DATA)
        s = uow.session
        o = s.get(Order, order_id)
        if o is None:
            raise NotFound(what="Order", key=str(order_id))
        a = s.get(Address, o.ship_address_id) if o.ship_address_id else None
        channel = s.get(Channel, o.channel_id)
        src = s.get(OrderImport, o.id)
        lines = tuple(
            EditLine(
                ln.line_no,
                ln.sku,
                ln.qty,
                ln.name,
                ln.product_id is not None,
                ln.channel_partly_fulfilled,
            )
            for ln in s.scalars(
                select(OrderLine).where(OrderLine.order_id == o.id).order_by(OrderLine.line_no)
            )
        )
        holds = tuple(
            (h.code, stored_hold(h.code, h.reason, h.template, h.params))
            for h in s.scalars(
                select(OrderHold)
                .where(OrderHold.order_id == o.id, OrderHold.resolved_at.is_(None))
                .order_by(OrderHold.id)
            )
        )
        uow.audit(actor, "order.reveal_personal_data", "order", o.number, note="review editor")
        uow.commit()
        return EditableOrder(
            id=o.id,
            number=o.number,
            external_id=o.external_id,
            channel=channel.name if channel else "",
            status=o.status,
            version=o.version,
            payment_status=o.payment_status,
            channel_status=src.channel_status if src else "",
            note=o.note,
            address=AddressEdit(**{k: getattr(a, k) or "" for k in ADDRESS_FIELDS})
            if a
            else AddressEdit(),
            lines=lines,
            holds=holds,
            recipient_protected=o.recipient_protected,
        )


@writes(Permission.EDIT_ORDERS)
def edit_order(
    uow: UnitOfWork,
    actor: Actor,
    order_id: int,
    *,
    version: int,
    address: AddressEdit | None = None,
    lines: tuple[EditLine, ...] | None = None,
) -> CheckResult:
    """Change a not-yet-allocated order's address and/or lines, then check it again.
    ``version`` is the one the editor was opened with: a change made meanwhile by someone else
    is not overwritten."""
    if lines is not None:
        _validate_lines(lines)
    with uow:
        uow.require(actor, Permission.EDIT_ORDERS)
        s = uow.session
        o = s.get(Order, order_id)
        if o is None:
            raise NotFound(what="Order", key=str(order_id))
        if o.status not in EDITABLE:
            raise ValidationError(
                "Order {number} is {status}; only new, held or released orders can be edited.",
                number=o.number,
                status=o.status,
            )
        refuse_stopped(s, [(o.id, o.number)])
        if o.version != version:
            raise PackdeskError(
                "Order {number} was changed by someone else while you edited it. "
                "Open it again and redo your change; nothing was saved.",
                number=o.number,
            )
        changed: list[str] = []
        if address is not None:
            changed += _edit_address(s, o, address)
        if lines is not None:
            changed += _edit_lines(s, o, lines)
        if not changed:
            raise ValidationError("Nothing was changed.")
        o.updated_at = utcnow()
        s.flush()
        uow.audit(
            actor,
            "order.edit",
            "order",
            o.number,
            after={"changed": changed},
            note=status_note("edited"),
        )
        result = order_checks.check_loaded(uow, actor, [o.id], note=status_note("edited"))[0]
        uow.commit()
        return result


def _validate_lines(lines: tuple[EditLine, ...]) -> None:
    if not lines:
        raise ValidationError("An order needs at least one line. Cancel the order instead.")
    for ln in lines:
        if not ln.sku.strip():
            raise ValidationError("Every line needs a SKU.")
        if ln.qty < 1:
            raise ValidationError(
                "The quantity of {sku} must be at least 1; remove the line instead.", sku=ln.sku
            )
        if len(ln.sku) > 64:
            raise ValidationError("The SKU {sku}... is longer than 64 characters.", sku=ln.sku[:20])


def _edit_address(s: Session, o: Order, new: AddressEdit) -> list[str]:
    a = s.get(Address, o.ship_address_id) if o.ship_address_id else None
    if a is None:
        a = Address(customer_id=o.customer_id, name="")
        s.add(a)
        s.flush()
        o.ship_address_id = a.id
    changed = []
    for k in ADDRESS_FIELDS:
        value = getattr(new, k).strip()
        if k == "country":
            value = value.upper()
        if (getattr(a, k) or "") != value:
            setattr(a, k, value)
            changed.append(k)
    if "phone" in changed:
        a.phone_digits = digits_of(a.phone)
    return changed


def _edit_lines(s: Session, o: Order, lines: tuple[EditLine, ...]) -> list[str]:
    current = {
        ln.line_no: ln for ln in s.scalars(select(OrderLine).where(OrderLine.order_id == o.id))
    }
    products = resolve_skus(s, {ln.sku.strip() for ln in lines})
    keep = {ln.line_no for ln in lines if ln.line_no is not None}
    changed: list[str] = []
    for no, row in current.items():
        if no not in keep:
            s.delete(row)
            changed.append(f"line {no} removed")
    next_no = max(current, default=0) + 1
    for ln in lines:
        sku = ln.sku.strip()
        if ln.line_no is not None and ln.line_no in current:
            row = current[ln.line_no]
            if row.channel_partly_fulfilled and (row.qty != ln.qty or ln.qty_confirmed):
                row.channel_partly_fulfilled = False  # the reviewer has looked at the quantity
                changed.append(f"line {row.line_no} quantity checked")
            if (row.sku, row.qty) != (sku, ln.qty) or (ln.name and ln.name != row.name):
                row.sku, row.qty = sku, ln.qty
                row.name = ln.name or row.name
                row.product_id = products.get(sku)
                changed.append(f"line {row.line_no}")
        else:
            s.add(
                OrderLine(
                    order_id=o.id,
                    line_no=next_no,
                    sku=sku,
                    qty=ln.qty,
                    name=ln.name,
                    product_id=products.get(sku),
                )
            )
            changed.append(f"line {next_no} added")
            next_no += 1
    return changed
