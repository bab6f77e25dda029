"""Applying product mappings to orders already here that wait in review (new or on hold): their
lines without a product that a mapping now matches become the mapping's products, and the
orders are checked again (released when nothing else holds them). Orders past review (released,
allocated, picking...) are never changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import Order, OrderLine, utcnow
from app.db.uow import UnitOfWork
from app.domain.listings import Listing, Mapping, MappingIndex, part_prices
from app.domain.orders import OrderStatus, status_note
from app.domain.users import Actor
from app.services import order_checks
from app.services.access import step
from app.services.listing_match import load_index

S = OrderStatus
#: the orders a mapping may still change
WAITING = (S.NEW.value, S.ON_HOLD.value)
_CHUNK = 500


@dataclass(frozen=True)
class Applied:
    rechecked: int = 0
    released: int = 0
    still_held: int = 0


def line_listing(ln: OrderLine) -> Listing:
    """What the channel sold on a line (a line a reviewer added: its SKU and name)."""
    if ln.listing_qty:
        return Listing(ln.listing_sku, ln.listing_id, ln.listing_title)
    return Listing(ln.sku, "", ln.name)


def _unmatched(
    s: Session, order_ids: Sequence[int] | None, channels: Sequence[int] | None = None
) -> list[tuple[OrderLine, int]]:
    """(line, channel id) of the lines without a product on orders waiting in review (of
    ``order_ids`` and ``channels`` when given)."""
    q = (
        select(OrderLine, Order.channel_id)
        .join(Order, Order.id == OrderLine.order_id)
        .where(Order.status.in_(WAITING), OrderLine.product_id.is_(None))
        .order_by(OrderLine.order_id, OrderLine.line_no)
    )
    if order_ids is not None:
        q = q.where(Order.id.in_(list(order_ids)))
    if channels is not None:
        q = q.where(Order.channel_id.in_(list(channels)))
    return [(ln, cid) for ln, cid in s.execute(q).tuples()]


def waiting_lines(
    s: Session, new: Sequence[Mapping], order_ids: Sequence[int] | None = None
) -> list[tuple[OrderLine, int]]:
    """(line, channel id) of the lines without a product, on orders waiting in review, that
    one of the mappings ``new`` matches; only of ``order_ids`` when given."""
    scopes = {m.channel_id for m in new}
    channels = None if None in scopes else sorted(c for c in scopes if c is not None)
    index = MappingIndex(new)
    return [
        (ln, cid)
        for ln, cid in _unmatched(s, order_ids, channels)
        if index.find(cid, line_listing(ln)) is not None
    ]


def count_waiting_orders(s: Session, m: Mapping) -> int:
    """How many orders waiting in review have a line ``m`` would map."""
    return len({ln.order_id for ln, _ in waiting_lines(s, [m])})


@step
def apply_mappings(
    uow: UnitOfWork,
    actor: Actor,
    new: Sequence[Mapping],
    order_ids: Sequence[int] | None = None,
) -> Applied:
    """Map the waiting orders' lines that ``new`` matches (each line by the mapping that wins
    for it among all mappings), then check those orders again. The caller commits."""
    if not new:
        return Applied()
    ids = _map_found(uow, actor, waiting_lines(uow.session, new, order_ids))
    if not ids:
        return Applied()
    results = order_checks.check_loaded(uow, actor, ids, note=status_note("mapped"))
    held = sum(1 for r in results if r.held)
    released = sum(1 for r in results if r.status == S.RELEASED.value)
    return Applied(len(results), released, held)


@step
def map_known_listings(uow: UnitOfWork, actor: Actor, order_ids: Sequence[int]) -> list[int]:
    """Map the lines without a product of these orders (those waiting in review) that a
    mapping matches now, before they are checked again; the orders changed. The caller
    checks them and commits."""
    return _map_found(uow, actor, _unmatched(uow.session, order_ids))


def _map_found(uow: UnitOfWork, actor: Actor, found: list[tuple[OrderLine, int]]) -> list[int]:
    """Map ``found`` lines by the mapping that wins for each (audited per order); the ids of
    the orders changed."""
    if not found:
        return []
    s = uow.session
    index = load_index(s, {cid for _, cid in found}, [line_listing(ln) for ln, _ in found])
    by_order: dict[int, list[tuple[OrderLine, Mapping]]] = {}
    for ln, cid in found:
        m = index.find(cid, line_listing(ln))
        if m is not None:
            by_order.setdefault(ln.order_id, []).append((ln, m))
    ids = sorted(by_order)
    orders: dict[int, Order] = {}
    lines: dict[int, list[OrderLine]] = {}
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i : i + _CHUNK]
        orders.update((o.id, o) for o in s.scalars(select(Order).where(Order.id.in_(chunk))))
        for ln in s.scalars(
            select(OrderLine)
            .where(OrderLine.order_id.in_(chunk))
            .order_by(OrderLine.order_id, OrderLine.line_no)
        ):
            lines.setdefault(ln.order_id, []).append(ln)
    now = utcnow()
    for oid in ids:
        pairs = by_order[oid]
        done = [
            {"line": ln.line_no, "mapping": m.id, "listing": ln.listing_title or ln.sku}
            for ln, m in pairs
        ]
        _map_order(s, oid, lines[oid], pairs)
        orders[oid].updated_at = now  # a new version: an editor open on it reloads
        uow.audit(
            actor,
            "order.map_lines",
            "order",
            orders[oid].number,
            after={"lines": done},
            note=status_note("mapped"),
        )
    s.flush()
    return ids


def _map_order(
    s: Session, order_id: int, lines: list[OrderLine], pairs: list[tuple[OrderLine, Mapping]]
) -> None:
    """Turn the lines of one order (all of them, in order) into the mappings' parts, keeping
    the lines in order: a line of several parts pushes the lines after it down."""
    mapped = {ln.id: m for ln, m in pairs}
    layout: list[OrderLine] = []
    for ln in lines:
        m = mapped.get(ln.id)
        if m is None:
            layout.append(ln)
            continue
        qty = ln.qty  # in units of the listing
        if not ln.listing_qty:  # a reviewer's line: it becomes the listing it stood for
            ln.listing_sku, ln.listing_title, ln.listing_qty = ln.sku, ln.name, ln.qty
        prices = part_prices(ln.unit_price, m.parts)
        for i, (part, price) in enumerate(zip(m.parts, prices, strict=True)):
            row = ln if i == 0 else OrderLine(order_id=order_id, line_no=0)
            if i:
                row.requires_shipping = ln.requires_shipping
                row.external_line_id = ln.external_line_id
                row.qty_backordered = 0
                row.listing_sku, row.listing_id = ln.listing_sku, ln.listing_id
                row.listing_title, row.listing_qty = ln.listing_title, ln.listing_qty
            row.sku, row.name, row.product_id = part.sku, part.name, part.product_id
            row.qty = qty * part.units
            row.unit_price = price
            row.mapping_id = m.id
            layout.append(row)
    if len(layout) == len(lines):
        return
    # two passes, so that the unique (order, line_no) never sees a duplicate in between
    for i, ln in enumerate(lines, start=1):
        ln.line_no = -i
    s.flush()
    for no, row in enumerate(layout, start=1):
        row.line_no = no
        if row.id is None:
            s.add(row)
    s.flush()
