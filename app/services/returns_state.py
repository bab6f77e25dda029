"""The rows behind the returns bench, inside a unit of work: finding the order a scan names,
what each of its lines shipped and got back, and the view the screen shows.

*Shipped* units are the pack items of the order's labelled or shipped parcels: those not voided,
and those voided because they came back (a restocked serial frees its pack item; the return line
keeps the link in ``pack_item_id``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.db.models import (
    Channel,
    Location,
    Lot,
    Order,
    OrderExternalRef,
    OrderLine,
    PackItem,
    Parcel,
    Product,
    Return,
    ReturnLine,
    ReturnReason,
)
from app.domain.errors import ValidationError
from app.domain.returns import (
    DEFAULT_REASONS,
    LineBalance,
    order_number_of_label,
    partly_returned,
)

#: parcels whose items count as shipped
SHIPPED_PARCELS = ("labelled", "shipped")


@dataclass(frozen=True)
class LineView:
    """An order line at the bench: shipped, back in finished returns, and in this return."""

    order_line_id: int
    sku: str
    name: str
    shipped: int
    returned_before: int
    in_this_return: int
    serial_tracked: bool
    unit_price: str

    @property
    def returnable(self) -> int:
        return max(self.shipped - self.returned_before - self.in_this_return, 0)


@dataclass(frozen=True)
class UnitView:
    """Units added to this return (one scan, or a typed quantity)."""

    id: int
    order_line_id: int
    sku: str
    name: str
    qty: int
    reason_code: str
    serial: str
    lot: str
    #: "" until inspected
    disposition: str
    location: str


@dataclass(frozen=True)
class ReturnView:
    return_id: int
    number: str
    status: str
    order_id: int
    order_number: str
    order_status: str
    channel: str
    external_id: str
    partly_returned: bool
    lines: tuple[LineView, ...]
    units: tuple[UnitView, ...]

    @property
    def pending(self) -> tuple[UnitView, ...]:
        """Units taken out of the parcel but not inspected yet."""
        return tuple(u for u in self.units if not u.disposition)

    @property
    def expects(self) -> str:
        """What the clerk does next: item | disposition | finish."""
        if self.pending:
            return "disposition"
        if self.units and not any(ln.returnable for ln in self.lines):
            return "finish"
        return "item"


def find_order(s: Session, text: str) -> Order:
    """The order a returns-bench scan names: a return label, an order number, a parcel's
    tracking number, or a channel order id (also one merged into another order)."""
    t = text.strip()
    number = order_number_of_label(t)
    if number is not None:
        order = s.scalar(select(Order).where(Order.number == number))
        if order is not None:
            return order
    order = s.scalar(select(Order).where(Order.number == t))
    if order is not None:
        return order
    ids = set(
        s.scalars(
            select(Parcel.order_id).where(
                Parcel.tracking_number == t, Parcel.status.in_(SHIPPED_PARCELS)
            )
        )
    )
    if not ids:
        ids = set(s.scalars(select(Order.id).where(Order.external_id == t)))
        ids |= set(
            s.scalars(select(OrderExternalRef.order_id).where(OrderExternalRef.external_id == t))
        )
    if len(ids) > 1:
        raise ValidationError(
            "{text} names {count} orders: scan the order number or the return label instead.",
            text=t,
            count=len(ids),
        )
    if not ids:
        raise ValidationError(
            "{text} is not a shipped parcel, an order number or a channel order id here. Scan "
            "the tracking number on the parcel, the return label or the order number.",
            text=t,
        )
    return s.get_one(Order, ids.pop())


def shipped_units(
    s: Session, order_id: int
) -> list[tuple[int, int, int, int | None, str | None, int]]:
    """The order's shipped pack items: (pack item id, order line, product, lot, serial, qty)."""
    # this unit's own return line (ix_return_lines_pack_item_id), not every unit ever returned
    came_back = select(ReturnLine.id).where(ReturnLine.pack_item_id == PackItem.id).exists()
    rows = s.execute(
        select(
            PackItem.id,
            PackItem.order_line_id,
            PackItem.product_id,
            PackItem.lot_id,
            PackItem.serial,
            PackItem.qty,
        )
        .join(Parcel, Parcel.id == PackItem.parcel_id)
        .where(
            Parcel.order_id == order_id,
            Parcel.status.in_(SHIPPED_PARCELS),
            or_(PackItem.voided_at.is_(None), came_back),
        )
        .order_by(PackItem.id)
    ).all()
    return [(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows]


def returned_units(s: Session, order_id: int) -> dict[tuple[int, bool], int]:
    """Units back per (order line, in an open return) of all the order's returns."""
    out: dict[tuple[int, bool], int] = defaultdict(int)
    for line_id, status, qty in s.execute(
        select(ReturnLine.order_line_id, Return.status, func.sum(ReturnLine.qty))
        .join(Return, Return.id == ReturnLine.return_id)
        .where(Return.order_id == order_id)
        .group_by(ReturnLine.order_line_id, Return.status)
    ):
        out[(line_id, status == "open")] += int(qty or 0)
    return out


def balances(s: Session, order_id: int) -> dict[int, LineBalance]:
    """Per order line: shipped, and returned (finished returns and the open one)."""
    shipped: dict[int, int] = defaultdict(int)
    for _, line_id, _, _, _, qty in shipped_units(s, order_id):
        shipped[line_id] += qty
    back = returned_units(s, order_id)
    skus = dict(
        s.execute(select(OrderLine.id, OrderLine.sku).where(OrderLine.order_id == order_id))
        .tuples()
        .all()
    )
    return {
        lid: LineBalance(lid, skus.get(lid, ""), n, back[(lid, False)] + back[(lid, True)])
        for lid, n in shipped.items()
    }


def build_view(s: Session, ret: Return) -> ReturnView:
    order = s.get_one(Order, ret.order_id)
    shipped: dict[int, int] = defaultdict(int)
    for _, line_id, _, _, _, qty in shipped_units(s, order.id):
        shipped[line_id] += qty
    back = returned_units(s, order.id)
    before = {lid: n for (lid, is_open), n in back.items() if not is_open}
    lines = _line_views(s, order.id, shipped, before, ret)
    units = _unit_views(s, ret.id)
    channel = s.get_one(Channel, order.channel_id)
    return ReturnView(
        return_id=ret.id,
        number=ret.number,
        status=ret.status,
        order_id=order.id,
        order_number=order.number,
        order_status=order.status,
        channel=channel.name,
        external_id=order.external_id,
        partly_returned=partly_returned(order.status, sum(shipped.values()), sum(before.values())),
        lines=lines,
        units=units,
    )


def _line_views(
    s: Session, order_id: int, shipped: dict[int, int], before: dict[int, int], ret: Return
) -> tuple[LineView, ...]:
    here: dict[int, int] = defaultdict(int)
    for lid, qty in s.execute(
        select(ReturnLine.order_line_id, ReturnLine.qty).where(ReturnLine.return_id == ret.id)
    ):
        here[lid] += qty
    rows = s.execute(
        select(OrderLine, Product.serial_tracked)
        .outerjoin(Product, Product.id == OrderLine.product_id)
        .where(OrderLine.order_id == order_id, OrderLine.id.in_(list(shipped)))
        .order_by(OrderLine.line_no)
    ).all()
    return tuple(
        LineView(
            ln.id,
            ln.sku,
            ln.name,
            shipped[ln.id],
            before.get(ln.id, 0),
            here[ln.id],
            bool(serial),
            str(ln.unit_price),
        )
        for ln, serial in rows
    )


def _unit_views(s: Session, return_id: int) -> tuple[UnitView, ...]:
    rows: list[Any] = list(
        s.execute(
            select(ReturnLine, OrderLine.sku, OrderLine.name, Lot.lot_number, Location.code)
            .join(OrderLine, OrderLine.id == ReturnLine.order_line_id)
            .outerjoin(Lot, Lot.id == ReturnLine.lot_id)
            .outerjoin(Location, Location.id == ReturnLine.location_id)
            .where(ReturnLine.return_id == return_id)
            .order_by(ReturnLine.id)
        )
    )
    return tuple(
        UnitView(
            rl.id,
            rl.order_line_id,
            sku,
            name,
            rl.qty,
            rl.reason_code,
            rl.serial or "",
            lot or "",
            rl.disposition,
            loc or "",
        )
        for rl, sku, name, lot, loc in rows
    )


def reason_names(s: Session) -> dict[str, tuple[str, str]]:
    """Every reason (disabled ones too, for old lines): code -> (English, Chinese)."""
    return {
        code: (en, zh)
        for code, en, zh in s.execute(
            select(ReturnReason.code, ReturnReason.name_en, ReturnReason.name_zh)
        )
    }


def ensure_reasons(s: Session) -> None:
    """The default reasons, when the list is empty (a database emptied by hand)."""
    if s.scalar(select(func.count()).select_from(ReturnReason)):
        return
    s.add_all(
        ReturnReason(code=c, name_en=en, name_zh=zh, active=True, position=i * 10)
        for i, (c, en, zh) in enumerate(DEFAULT_REASONS, start=1)
    )
    s.flush()


def active_reason(s: Session, code: str) -> ReturnReason:
    ensure_reasons(s)
    row = s.scalar(select(ReturnReason).where(ReturnReason.code == code.strip().upper()))
    if row is None or not row.active:
        raise ValidationError(
            "{code} is not a return reason in use: choose one from the list.", code=code
        )
    return row
