"""Merging orders to one customer and splitting an order, keeping the channel's ids.

- Merge: orders from the same channel to the same person at the same address (name, phone and
  every address field alike), none allocated yet, become one: the oldest keeps its number; the
  others' lines (and open holds) move into it, and each of them is cancelled with
  ``merged_into_id`` set and a note naming the merged order.
- Split: chosen lines (or part of a line's quantity) move into a new order numbered
  ``<root>-2``, ``<root>-3``... (``root`` is the order first imported); ``split_from_id`` points
  to the order it came from. Split by availability moves what the stock cannot cover.

Either way, the first time an order takes part its lines get ``order_external_refs`` rows (the
channel's order id, line id and units), which then travel with the lines: see
``app.db.models.order_refs``. ``external_refs()`` reads them for write-back.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from app.db.models import (
    Address,
    Channel,
    Order,
    OrderExternalRef,
    OrderHold,
    OrderLine,
    OrderStatusChange,
)
from app.db.uow import UnitOfWork
from app.domain.errors import NotFound, ValidationError
from app.domain.orders import EDITABLE, OrderStatus
from app.domain.privacy import mask_name
from app.domain.users import Actor, Permission
from app.services import allocation, stock
from app.services.orders import transition

_EDITABLE = sorted(s.value for s in EDITABLE)


@dataclass(frozen=True)
class SplitResult:
    """The order split, the new part, and what moved."""

    number: str
    new_number: str
    new_order_id: int
    moved_units: int
    message: str


@dataclass(frozen=True)
class MergeResult:
    number: str
    order_id: int
    merged: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class MergeSuggestion:
    """Orders that could be merged (same channel, person and address, not yet allocated)."""

    order_ids: tuple[int, ...]
    numbers: tuple[str, ...]
    channel: str
    #: masked: the list is for everyone who views orders
    customer: str
    city: str


@dataclass(frozen=True)
class ExternalRef:
    """One of our lines and the channel order and line it stands for."""

    line_no: int
    sku: str
    channel: str
    external_id: str
    external_line_id: str
    qty: int


# --- refs -----------------------------------------------------------------------------------------


def ensure_refs(session: Session, order_ids: Sequence[int]) -> None:
    """Write refs for the lines of these orders that have none yet (from the order's own
    external id and the line's external line id)."""
    for part in allocation.chunks(list(order_ids)):
        has_ref = select(OrderExternalRef.order_line_id).where(OrderExternalRef.order_id.in_(part))
        src = (
            select(
                OrderLine.order_id,
                OrderLine.id,
                Order.channel_id,
                Order.external_id,
                OrderLine.external_line_id,
                OrderLine.qty,
            )
            .join(Order, Order.id == OrderLine.order_id)
            .where(OrderLine.order_id.in_(part), OrderLine.id.not_in(has_ref))
        )
        rows = session.execute(src).all()
        if rows:
            session.execute(
                insert(OrderExternalRef),
                [
                    {
                        "order_id": r[0],
                        "order_line_id": r[1],
                        "channel_id": r[2],
                        "external_id": r[3],
                        "external_line_id": r[4],
                        "qty": r[5],
                    }
                    for r in rows
                ],
            )


def external_refs(uow: UnitOfWork, actor: Actor, order_id: int) -> list[ExternalRef]:
    """Which channel orders and lines this order stands for (for write-back)."""
    actor.require(Permission.VIEW_ORDERS)
    with uow:
        s = uow.session
        order = s.get(Order, order_id)
        if order is None:
            raise NotFound(what="Order", key=str(order_id))
        stored = s.execute(
            select(
                OrderLine.line_no,
                OrderLine.sku,
                Channel.code,
                OrderExternalRef.external_id,
                OrderExternalRef.external_line_id,
                OrderExternalRef.qty,
            )
            .join(OrderLine, OrderLine.id == OrderExternalRef.order_line_id)
            .join(Channel, Channel.id == OrderExternalRef.channel_id)
            .where(OrderExternalRef.order_id == order_id)
            .order_by(OrderLine.line_no, OrderExternalRef.id)
        ).all()
        if stored:
            return [ExternalRef(*r) for r in stored]
        channel = s.scalar(select(Channel.code).where(Channel.id == order.channel_id)) or ""
        return [
            ExternalRef(ln.line_no, ln.sku, channel, order.external_id, ln.external_line_id, ln.qty)
            for ln in s.scalars(
                select(OrderLine).where(OrderLine.order_id == order_id).order_by(OrderLine.line_no)
            )
        ]


# --- split ----------------------------------------------------------------------------------------


def split(uow: UnitOfWork, actor: Actor, order_id: int, lines: Mapping[int, int]) -> SplitResult:
    """Move ``lines`` (line number -> units) of an order into a new order."""
    actor.require(Permission.EDIT_ORDERS)
    with uow:
        s = uow.session
        order = _locked_order(s, order_id)
        by_no = {
            ln.line_no: ln.id
            for ln in s.scalars(select(OrderLine).where(OrderLine.order_id == order_id))
        }
        unknown = sorted(set(lines) - set(by_no))
        if unknown:
            raise ValidationError(
                f"Order {order.number} has no line {unknown[0]}. Choose lines of this order."
            )
        moves = {by_no[no]: qty for no, qty in lines.items() if qty}
        new = split_off(uow, actor, order, moves, note="split by lines")
        uow.commit()
        return _split_result(order, new, moves)


def split_by_availability(
    uow: UnitOfWork, actor: Actor, order_id: int, *, today: date | None = None
) -> SplitResult:
    """Move what the free stock cannot cover into a new order, which waits for stock (its lines
    are marked backordered); the rest can then be allocated."""
    actor.require(Permission.EDIT_ORDERS)
    with uow:
        s = uow.session
        stock.begin_stock_changes(uow)
        order = _locked_order(s, order_id)
        lines = list(
            s.scalars(
                select(OrderLine).where(OrderLine.order_id == order_id).order_by(OrderLine.line_no)
            )
        )
        needs = [ln for ln in lines if ln.requires_shipping and ln.product_id and ln.qty > 0]
        pool = allocation.load_pool(
            s,
            {ln.product_id for ln in needs if ln.product_id},
            today=today or allocation.local_today(),
            rules=allocation.read_rules(s),
        )
        moves: dict[int, int] = {}
        for ln in needs:
            assert ln.product_id is not None
            short = pool.take(ln.product_id, ln.qty).short
            if short:
                moves[ln.id] = short
        if not moves:
            raise ValidationError(
                f"Everything on order {order.number} is in stock; there is nothing to split off."
            )
        if sum(moves.values()) == sum(ln.qty for ln in needs) and all(
            ln.requires_shipping for ln in lines
        ):
            raise ValidationError(
                f"None of order {order.number} is in stock, so splitting would leave nothing. "
                "The order waits for stock as it is."
            )
        new = split_off(uow, actor, order, moves, note="split by availability", backorder=True)
        uow.commit()
        return _split_result(order, new, moves)


def _split_result(order: Order, new: Order, moves: Mapping[int, int]) -> SplitResult:
    units = sum(moves.values())
    return SplitResult(
        order.number,
        new.number,
        new.id,
        units,
        f"{units} units of order {order.number} moved to the new order {new.number}.",
    )


def split_off(
    uow: UnitOfWork,
    actor: Actor,
    order: Order,
    moves: Mapping[int, int],
    *,
    note: str,
    backorder: bool = False,
) -> Order:
    """Move ``moves`` (line id -> units) of ``order`` into a new order in the same status, with
    the same channel, customer and address; audited. The caller commits."""
    s = uow.session
    if order.status not in _EDITABLE:
        raise ValidationError(
            f"Order {order.number} is {order.status}; only orders that are not allocated yet can "
            "be split. Deallocate it first."
        )
    lines = {
        ln.id: ln
        for ln in s.scalars(
            select(OrderLine).where(OrderLine.order_id == order.id).order_by(OrderLine.line_no)
        )
    }
    for lid, qty in moves.items():
        ln = lines.get(lid)
        if ln is None:
            raise ValidationError(f"That line is not on order {order.number}.")
        if not 0 < qty <= ln.qty:
            raise ValidationError(
                f"Line {ln.line_no} ({ln.sku}) of order {order.number} has {ln.qty} units; "
                f"cannot move {qty}."
            )
    if not moves:
        raise ValidationError("Choose at least one line (and how many units) to split off.")
    if all(moves.get(lid, 0) == ln.qty for lid, ln in lines.items()):
        raise ValidationError(
            f"Splitting off every line would leave order {order.number} empty. Leave at least "
            "one unit on it."
        )
    ensure_refs(s, [order.id])
    new = _new_part(s, order)
    s.add(
        OrderStatusChange(
            order_id=new.id,
            from_status=None,
            to_status=new.status,
            user_id=actor.user_id,
            station_id=actor.station_id,
            note=f"split from {order.number}",
        )
    )
    moved_value = Decimal("0.00")
    line_no = 0
    moved: dict[str, int] = {}
    for lid, ln in lines.items():
        qty = moves.get(lid, 0)
        if not qty:
            continue
        line_no += 1
        moved[ln.sku] = moved.get(ln.sku, 0) + qty
        moved_value += ln.unit_price * qty
        if qty == ln.qty:
            ln.order_id = new.id
            ln.line_no = line_no
            ln.qty_backordered = qty if backorder else min(ln.qty_backordered, qty)
            s.execute(
                update(OrderExternalRef)
                .where(OrderExternalRef.order_line_id == lid)
                .values(order_id=new.id)
            )
        else:
            _split_line(s, ln, new.id, line_no, qty, backorder)
    _renumber(s, order.id)
    order.total = max(order.total - moved_value, Decimal("0.00"))
    new.total = moved_value
    _copy_open_holds(s, order.id, new.id)
    s.flush()
    uow.audit(
        actor,
        "order.split",
        "order",
        order.number,
        after={"new_order": new.number, "moved": moved, "backorder": backorder},
        note=note,
    )
    return new


def _split_line(
    s: Session, ln: OrderLine, new_order_id: int, line_no: int, qty: int, backorder: bool
) -> None:
    ln.qty -= qty
    ln.qty_backordered = min(ln.qty_backordered, ln.qty)
    part = OrderLine(
        order_id=new_order_id,
        line_no=line_no,
        sku=ln.sku,
        product_id=ln.product_id,
        name=ln.name,
        qty=qty,
        unit_price=ln.unit_price,
        requires_shipping=ln.requires_shipping,
        qty_backordered=qty if backorder else 0,
        external_line_id=ln.external_line_id,
    )
    s.add(part)
    s.flush()
    ref = s.scalar(
        select(OrderExternalRef)
        .where(OrderExternalRef.order_line_id == ln.id)
        .order_by(OrderExternalRef.id)
        .limit(1)
    )
    assert ref is not None  # ensure_refs wrote one for every line
    ref.qty = max(ref.qty - qty, 0)
    s.add(
        OrderExternalRef(
            order_id=new_order_id,
            order_line_id=part.id,
            channel_id=ref.channel_id,
            external_id=ref.external_id,
            external_line_id=ref.external_line_id,
            qty=qty,
        )
    )


def _renumber(s: Session, order_id: int) -> None:
    """Lines stay numbered 1..n after some moved away."""
    s.flush()
    lines = list(
        s.scalars(
            select(OrderLine).where(OrderLine.order_id == order_id).order_by(OrderLine.line_no)
        )
    )
    if all(ln.line_no == i for i, ln in enumerate(lines, 1)):
        return
    # two passes, so the unique (order, line_no) never sees a duplicate in between
    for ln in lines:
        ln.line_no = -ln.line_no
    s.flush()
    for i, ln in enumerate(lines, 1):
        ln.line_no = i
    s.flush()


def _root(s: Session, order: Order) -> Order:
    root = order
    while root.split_from_id is not None:
        parent = s.get(Order, root.split_from_id)
        if parent is None:
            break
        root = parent
    return root


_SUFFIX = re.compile(r"-(\d+)$")


def _new_part(s: Session, order: Order) -> Order:
    root = _root(s, order)
    prefix = f"{root.number}-"
    taken = s.scalars(select(Order.number).where(Order.number.startswith(prefix, autoescape=True)))
    n = (
        max(
            [1]
            + [
                int(m.group(1))
                for num in taken
                if (m := _SUFFIX.match(num[len(root.number) :])) and num.startswith(prefix)
            ]
        )
        + 1
    )
    number = f"{root.number}-{n}"
    ext_suffix = f"~{n}"
    external_id = root.external_id[: 64 - len(ext_suffix)] + ext_suffix
    if len(number) > 32:
        raise ValidationError(
            f"Order {root.number} has been split too often to number another part."
        )
    new = Order(
        number=number,
        channel_id=order.channel_id,
        external_id=external_id,
        status=order.status,
        customer_id=order.customer_id,
        ship_address_id=order.ship_address_id,
        carrier_service_id=order.carrier_service_id,
        currency=order.currency,
        total=Decimal("0.00"),
        payment_status=order.payment_status,
        placed_at=order.placed_at,
        note=order.note,
        split_from_id=order.id,
    )
    s.add(new)
    s.flush()
    return new


def _copy_open_holds(s: Session, from_id: int, to_id: int) -> None:
    holds = s.execute(
        select(OrderHold.code, OrderHold.reason, OrderHold.created_by).where(
            OrderHold.order_id == from_id, OrderHold.resolved_at.is_(None)
        )
    ).all()
    if holds:
        s.execute(
            insert(OrderHold),
            [{"order_id": to_id, "code": c, "reason": r, "created_by": by} for c, r, by in holds],
        )


def _locked_order(s: Session, order_id: int) -> Order:
    order = s.scalar(select(Order).where(Order.id == order_id).with_for_update())
    if order is None:
        raise NotFound(what="Order", key=str(order_id))
    return order


# --- merge ----------------------------------------------------------------------------------------


def _merge_key(o: Order, a: Address | None) -> tuple[object, ...] | None:
    if a is None:
        return None

    def norm(v: str) -> str:
        return " ".join(v.split()).casefold()

    return (
        o.channel_id,
        norm(a.name),
        a.phone_digits or "".join(ch for ch in a.phone if ch.isdigit()),
        a.country.upper(),
        norm(a.province),
        norm(a.city),
        norm(a.district),
        norm(a.street),
        norm(a.street2),
        norm(a.postal_code),
    )


def suggest_merges(uow: UnitOfWork, actor: Actor) -> list[MergeSuggestion]:
    """Groups of orders that could be merged, oldest group first."""
    actor.require(Permission.VIEW_ORDERS)
    with uow:
        s = uow.session
        groups: dict[tuple[object, ...], list[tuple[Order, Address]]] = defaultdict(list)
        rows = s.execute(
            select(Order, Address)
            .join(Address, Address.id == Order.ship_address_id)
            .where(Order.status.in_(_EDITABLE), Order.merged_into_id.is_(None))
            .order_by(Order.id)
        ).tuples()
        for o, a in rows:
            key = _merge_key(o, a)
            if key is not None:
                groups[key].append((o, a))
        channels = dict(s.execute(select(Channel.id, Channel.code)).tuples().all())
        return [
            MergeSuggestion(
                tuple(o.id for o, _ in members),
                tuple(o.number for o, _ in members),
                channels.get(members[0][0].channel_id, ""),
                mask_name(members[0][1].name),
                members[0][1].city,
            )
            for members in groups.values()
            if len(members) > 1
        ]


def merge(uow: UnitOfWork, actor: Actor, order_ids: Sequence[int]) -> MergeResult:
    """Merge orders into the oldest of them (see the module docstring); audited."""
    actor.require(Permission.EDIT_ORDERS)
    ids = sorted(set(order_ids))
    if len(ids) < 2:
        raise ValidationError("Choose at least two orders to merge.")
    with uow:
        s = uow.session
        orders = list(
            s.scalars(select(Order).where(Order.id.in_(ids)).order_by(Order.id).with_for_update())
        )
        if len(orders) != len(ids):
            missing = sorted(set(ids) - {o.id for o in orders})
            raise NotFound(what="Order", key=str(missing[0]))
        _check_mergeable(s, orders)
        target, sources = orders[0], orders[1:]
        ensure_refs(s, ids)
        next_no = (
            s.scalar(select(func.max(OrderLine.line_no)).where(OrderLine.order_id == target.id))
            or 0
        )
        for src in sources:
            for ln in s.scalars(
                select(OrderLine).where(OrderLine.order_id == src.id).order_by(OrderLine.line_no)
            ):
                next_no += 1
                ln.order_id = target.id
                ln.line_no = next_no
            s.execute(
                update(OrderExternalRef)
                .where(OrderExternalRef.order_id == src.id)
                .values(order_id=target.id)
            )
            s.execute(
                update(OrderHold)
                .where(OrderHold.order_id == src.id, OrderHold.resolved_at.is_(None))
                .values(order_id=target.id)
            )
            target.total += src.total
            src.merged_into_id = target.id
            transition(uow, actor, src, OrderStatus.CANCELLED, note=f"merged into {target.number}")
        s.flush()
        has_holds = s.scalar(
            select(func.count())
            .select_from(OrderHold)
            .where(OrderHold.order_id == target.id, OrderHold.resolved_at.is_(None))
        )
        if has_holds and target.status != OrderStatus.ON_HOLD.value:
            transition(
                uow, actor, target, OrderStatus.ON_HOLD, note="merged orders brought hold reasons"
            )
        merged = tuple(o.number for o in sources)
        uow.audit(
            actor,
            "order.merge",
            "order",
            target.number,
            after={"merged": list(merged)},
        )
        uow.commit()
        return MergeResult(
            target.number,
            target.id,
            merged,
            f"Orders {', '.join(merged)} were merged into {target.number}.",
        )


def _check_mergeable(s: Session, orders: Sequence[Order]) -> None:
    for o in orders:
        if o.merged_into_id is not None or o.status not in _EDITABLE:
            raise ValidationError(
                f"Order {o.number} is {o.status}; only orders that are not allocated yet can be "
                "merged."
            )
    addresses = {
        a.id: a
        for a in s.scalars(
            select(Address).where(
                Address.id.in_([o.ship_address_id for o in orders if o.ship_address_id])
            )
        )
    }
    keys = {
        _merge_key(o, addresses.get(o.ship_address_id) if o.ship_address_id else None)
        for o in orders
    }
    if None in keys or len(keys) != 1:
        raise ValidationError(
            "Only orders from the same channel to the same person at the same address can be "
            "merged. Check the orders' channel, name, phone and address."
        )
