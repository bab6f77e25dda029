"""Reading orders (list pages, detail) and moving them along the state machine."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import (
    CursorResult,
    Select,
    Table,
    func,
    insert,
    select,
    tuple_,
    union,
    update,
)
from sqlalchemy.orm import aliased
from sqlalchemy.orm.exc import StaleDataError

from app.db.models import (
    Address,
    AuditEntry,
    Carrier,
    CarrierService,
    Channel,
    Order,
    OrderHold,
    OrderLine,
    OrderStatusChange,
    Product,
    User,
    utcnow,
)
from app.db.uow import UnitOfWork
from app.domain.errors import NotFound
from app.domain.holds import STOP_CODES, HoldReason, stored_hold
from app.domain.orders import OrderStatus, check_transition, tracking_in_note
from app.domain.privacy import mask_recipient
from app.domain.users import Actor, Permission
from app.services.access import reads, step
from app.services.allocation import AllocationLine, allocations_of
from app.services.order_search import matching_ids, personal_parts
from app.services.order_search import phone_search_keys as phone_search_keys
from app.services.parcel_export import parcels_of

PAGE_SIZE = 200


@dataclass(frozen=True)
class OrderQuery:
    """What the Orders list shows: a status, a channel, a hold reason and a search text."""

    status: str | None = None
    channel_id: int | None = None
    hold_code: str | None = None
    search: str = ""
    #: True: only the orders customers collect here (no carrier, no label); False: only the
    #: others; None: all
    pickup: bool | None = None
    #: the orders someone must stop work on (cancelled in the channel while being picked or
    #: packed) come first, on the first page, before all the others (the Review queue)
    stop_first: bool = False


@dataclass(frozen=True)
class OrderRow:
    """One row of the Orders list, ready to display (personal data masked after the channel's
    policy)."""

    id: int
    number: str
    external_id: str
    status: str
    channel: str
    customer: str
    phone: str
    city: str
    lines: int
    units: int
    total: Decimal
    currency: str
    placed_at: datetime
    hold_reasons: str
    #: the open holds' sentences, for showing them in other languages
    holds: tuple[HoldReason, ...] = ()
    #: the customer collects the order here
    pickup: bool = False


@dataclass(frozen=True)
class LineInfo:
    line_no: int
    sku: str
    name: str
    qty: int
    unit_price: Decimal
    known_product: bool
    requires_shipping: bool
    qty_backordered: int


@dataclass(frozen=True)
class AddressInfo:
    name: str
    phone: str
    country: str
    province: str
    city: str
    district: str
    street: str
    street2: str
    postal_code: str
    masked: bool


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    from_status: str | None
    to_status: str
    user: str
    note: str


@dataclass(frozen=True)
class HoldInfo:
    code: str
    reason: str
    created_at: datetime
    resolved_at: datetime | None
    #: who held it and who resolved it ("system" for rules and allocation)
    created_by: str = ""
    resolved_by: str = ""
    #: the reason as its English template and values, for other languages ("" for a
    #: reviewer's own words)
    template: str = ""
    params: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class OrderDetail:
    id: int
    number: str
    external_id: str
    status: str
    channel: str
    placed_at: datetime
    total: Decimal
    currency: str
    payment_status: str
    note: str
    address: AddressInfo | None
    lines: tuple[LineInfo, ...]
    history: tuple[HistoryEntry, ...]
    holds: tuple[HoldInfo, ...] = field(default_factory=tuple)
    #: where the reserved stock is: location, lot, expiry and units per line
    allocations: tuple[AllocationLine, ...] = field(default_factory=tuple)
    #: the platform masks or encrypts the recipient: ship with the platform's e-waybill
    recipient_protected: bool = False


def _personal_search(uow: UnitOfWork, actor: Actor, query: OrderQuery, first_page: bool) -> bool:
    """Whether the search also matches customers' names and phones: only for someone who may
    see personal data, since a match tells who is behind a masked order. The first page of
    such a search that finds anyone by name or phone is audited, with the text searched, in a
    short unit of work of its own (the list itself is a read)."""
    text = query.search.strip()
    if not text or not actor.can(Permission.REVEAL_PERSONAL_DATA):
        return False
    if not first_page:
        return True  # checked again inside the page's unit of work
    before, uow.read_only = uow.read_only, False
    try:
        with uow:
            current = uow.require(actor, Permission.REVEAL_PERSONAL_DATA)
            found = uow.session.scalar(
                select(union(*personal_parts(text)).subquery().c[0]).limit(1)
            )
            if found is not None:
                uow.audit(current, "order.search_personal", "order", "", after={"search": text})
                uow.commit()
    finally:
        uow.read_only = before
    return True


def _filtered(query: OrderQuery, *, personal: bool = False) -> Select[tuple[int]]:
    stmt = select(Order.id)
    if query.status:
        stmt = stmt.where(Order.status == query.status)
    if query.channel_id:
        stmt = stmt.where(Order.channel_id == query.channel_id)
    if query.pickup is not None:
        stmt = stmt.where(Order.pickup == query.pickup)  # IS TRUE uses no index
    if query.hold_code:
        stmt = stmt.where(
            Order.id.in_(
                select(OrderHold.order_id).where(
                    OrderHold.code == query.hold_code, OrderHold.resolved_at.is_(None)
                )
            )
        )
    text = query.search.strip()
    if text:
        stmt = stmt.where(Order.id.in_(matching_ids(text, personal=personal)))
    return stmt


@reads
def list_orders(
    uow: UnitOfWork,
    actor: Actor,
    query: OrderQuery,
    *,
    after_id: int | None = None,
    limit: int = PAGE_SIZE,
) -> list[OrderRow]:
    """One page of the Orders list, newest first; pass the last id seen to get the next page.
    The search text matches order numbers, channel order ids and tracking numbers, and
    customers' names and phones only for someone who may see personal data (audited)."""
    personal = _personal_search(uow, actor, query, first_page=after_id is None)
    ids = _filtered(query, personal=personal)
    if query.stop_first:
        stops = _stop_hold_orders()
        first = ids.where(Order.id.in_(stops)) if after_id is None else None
        ids = ids.where(Order.id.not_in(stops))
        if first is not None:
            with uow:
                uow.require(actor, Permission.VIEW_ORDERS)
                stop_ids = list(uow.session.scalars(first.order_by(Order.id.desc()).limit(limit)))
            if stop_ids:
                plain = replace(query, stop_first=False)
                listed = {r.id: r for r in _list_page(uow, actor, plain, personal, stop_ids)}
                rest = _list_page(uow, actor, plain, personal, ids, limit=limit)
                return [listed[i] for i in stop_ids if i in listed] + rest
    if after_id is not None:
        ids = ids.where(Order.id < after_id)
    return _list_page(uow, actor, query, personal, ids, limit=limit)


def _stop_hold_orders() -> Select[tuple[int]]:
    return select(OrderHold.order_id).where(
        OrderHold.code.in_(sorted(STOP_CODES)), OrderHold.resolved_at.is_(None)
    )


def _list_page(
    uow: UnitOfWork,
    actor: Actor,
    query: OrderQuery,
    personal: bool,
    ids: Select[tuple[int]] | list[int],
    *,
    limit: int = PAGE_SIZE,
) -> list[OrderRow]:
    """The rows of the orders ``ids`` selects (newest first, at most ``limit``), or of the
    orders listed."""
    if isinstance(ids, list):
        ids = select(Order.id).where(Order.id.in_(ids))
    page_ids = ids.order_by(Order.id.desc()).limit(limit).subquery()
    line_stats = (
        select(
            OrderLine.order_id,
            func.count().label("n"),
            func.coalesce(func.sum(OrderLine.qty), 0).label("units"),
        )
        .where(OrderLine.order_id.in_(select(page_ids.c.id)))
        .group_by(OrderLine.order_id)
        .subquery()
    )
    stmt = (
        select(
            Order.id,
            Order.number,
            Order.external_id,
            Order.status,
            Channel.code,
            Address.name,
            Address.phone,
            Address.city,
            line_stats.c.n,
            line_stats.c.units,
            Order.total,
            Order.currency,
            Order.placed_at,
            Channel.mask_policy,
            Order.pickup,
        )
        .join(page_ids, page_ids.c.id == Order.id)
        .join(Channel, Channel.id == Order.channel_id)
        .outerjoin(Address, Address.id == Order.ship_address_id)
        .outerjoin(line_stats, line_stats.c.order_id == Order.id)
        # by the page's ids, not orders.id: sorting by orders.id lets SQLite scan every order
        # to skip the sort (280 ms at 1,000,000 orders instead of 2 ms)
        .order_by(page_ids.c.id.desc())
    )
    with uow:
        current = uow.require(actor, Permission.VIEW_ORDERS)
        if personal:
            current.require(Permission.REVEAL_PERSONAL_DATA)
        rows = uow.session.execute(stmt).all()
        holds = _open_holds(uow, [r[0] for r in rows])
        shown = [mask_recipient(r[13], r[5] or "", r[6] or "", "") for r in rows]
        return [
            OrderRow(
                id=r[0],
                number=r[1],
                external_id=r[2],
                status=r[3],
                channel=r[4],
                customer=who.name,
                phone=who.phone,
                city=r[7] or "",
                lines=r[8] or 0,
                units=int(r[9] or 0),
                total=r[10],
                currency=r[11],
                placed_at=r[12],
                hold_reasons="; ".join(h.reason for h in holds.get(r[0], ())),
                holds=tuple(holds.get(r[0], ())),
                pickup=bool(r[14]),
            )
            for r, who in zip(rows, shown, strict=True)
        ]


def _open_hold_reasons(uow: UnitOfWork, order_ids: list[int]) -> dict[int, list[str]]:
    return {oid: [h.reason for h in hs] for oid, hs in _open_holds(uow, order_ids).items()}


def _open_holds(uow: UnitOfWork, order_ids: list[int]) -> dict[int, list[HoldReason]]:
    if not order_ids:
        return {}
    out: dict[int, list[HoldReason]] = {}
    for oid, code, reason, template, params in uow.session.execute(
        select(
            OrderHold.order_id,
            OrderHold.code,
            OrderHold.reason,
            OrderHold.template,
            OrderHold.params,
        )
        .where(OrderHold.order_id.in_(order_ids), OrderHold.resolved_at.is_(None))
        .order_by(OrderHold.id)
    ):
        out.setdefault(oid, []).append(stored_hold(code, reason, template, params))
    return out


@reads
def count_orders(
    uow: UnitOfWork, actor: Actor, query: OrderQuery, *, cap: int = 10_000
) -> tuple[int, bool]:
    """How many orders match, counted up to ``cap`` (the second value says it was reached)."""
    personal = bool(query.search.strip()) and actor.can(Permission.REVEAL_PERSONAL_DATA)
    limited = _filtered(query, personal=personal).limit(cap + 1).subquery()
    with uow:
        current = uow.require(actor, Permission.VIEW_ORDERS)
        if personal:
            current.require(Permission.REVEAL_PERSONAL_DATA)
        n = uow.session.scalar(select(func.count()).select_from(limited)) or 0
    return (min(n, cap), n > cap)


@reads
def order_detail(
    uow: UnitOfWork, actor: Actor, order_id: int, *, reveal: bool = False
) -> OrderDetail:
    """An order with its lines, address, holds and status history. The address is masked after
    the channel's policy; ``reveal`` shows it unmasked: it needs the permission and is
    audited."""
    if reveal:
        uow.read_only = False  # revealing writes its audit row
    with uow:
        current = uow.require(actor, Permission.VIEW_ORDERS)
        if reveal:
            current.require(Permission.REVEAL_PERSONAL_DATA)
        s = uow.session
        order = s.get(Order, order_id)
        if order is None:
            raise NotFound(what="Order", key=str(order_id))
        channel = s.get(Channel, order.channel_id)
        addr = s.get(Address, order.ship_address_id) if order.ship_address_id else None
        known = aliased(Product)
        lines = tuple(
            LineInfo(
                ln.line_no,
                ln.sku,
                ln.name,
                ln.qty,
                ln.unit_price,
                pid is not None,
                ln.requires_shipping,
                ln.qty_backordered,
            )
            for ln, pid in s.execute(
                select(OrderLine, known.id)
                .outerjoin(known, known.id == OrderLine.product_id)
                .where(OrderLine.order_id == order_id)
                .order_by(OrderLine.line_no)
            )
        )
        history = tuple(
            HistoryEntry(h.at, h.from_status, h.to_status, username or "system", h.note)
            for h, username in s.execute(
                select(OrderStatusChange, User.username)
                .outerjoin(User, User.id == OrderStatusChange.user_id)
                .where(OrderStatusChange.order_id == order_id)
                .order_by(OrderStatusChange.id)
            )
        )
        held_by, resolved_by = aliased(User), aliased(User)
        holds = tuple(
            HoldInfo(
                h.code,
                h.reason,
                h.created_at,
                h.resolved_at,
                by or "system",
                res or ("system" if h.resolved_at else ""),
                h.template,
                h.params,
            )
            for h, by, res in s.execute(
                select(OrderHold, held_by.username, resolved_by.username)
                .outerjoin(held_by, held_by.id == OrderHold.created_by)
                .outerjoin(resolved_by, resolved_by.id == OrderHold.resolved_by)
                .where(OrderHold.order_id == order_id)
                .order_by(OrderHold.id)
            )
        )
        if reveal:
            uow.audit(actor, "order.reveal_personal_data", "order", order.number)
            uow.commit()
        return OrderDetail(
            id=order.id,
            number=order.number,
            external_id=order.external_id,
            status=order.status,
            channel=channel.name if channel else "",
            placed_at=order.placed_at,
            total=order.total,
            currency=order.currency,
            payment_status=order.payment_status,
            note=order.note,
            address=_address(addr, "none" if reveal else channel.mask_policy if channel else None)
            if addr
            else None,
            lines=lines,
            history=history,
            holds=holds,
            allocations=allocations_of(s, order_id),
            recipient_protected=order.recipient_protected,
        )


def _address(a: Address, policy: str | None) -> AddressInfo:
    shown = mask_recipient(policy, a.name, a.phone, a.street, a.street2)
    return AddressInfo(
        shown.name,
        shown.phone,
        a.country,
        a.province,
        a.city,
        a.district,
        shown.street,
        shown.street2,
        a.postal_code,
        masked=shown.masked,
    )


@step
def transition(
    uow: UnitOfWork, actor: Actor, order: Order, target: OrderStatus, note: str = ""
) -> None:
    """Move an order (already loaded in ``uow``) to ``target``: validated, historied, audited.
    The caller commits."""
    before = order.status
    check_transition(order.number, order.status, target.value)
    order.status = target.value
    order.updated_at = utcnow()
    uow.session.add(
        OrderStatusChange(
            order_id=order.id,
            from_status=before,
            to_status=target.value,
            user_id=actor.user_id,
            station_id=actor.station_id,
            note=note,
        )
    )
    uow.audit(
        actor,
        "order.status",
        "order",
        order.number,
        before={"status": before},
        after={"status": target.value},
        note=note,
    )


@dataclass(frozen=True)
class StatusMove:
    """One order of :func:`transition_many`: its id and number, and the status and version it
    was read with."""

    order_id: int
    number: str
    current: str
    version: int
    note: str = ""


@step
def transition_many(
    uow: UnitOfWork, actor: Actor, moves: Sequence[StatusMove], target: OrderStatus
) -> None:
    """:func:`transition` for many orders at once (an allocation run over thousands): each move
    validated the same way, then the orders, their status history and the audit rows written in
    bulk. An order another station changed since it was read fails the whole unit of work, as
    the optimistic lock of :func:`transition` would. The caller commits."""
    if not moves:
        return
    for m in moves:
        check_transition(m.number, m.current, target.value)
    now = utcnow()
    table = cast(Table, Order.__table__)
    changed = 0
    for i in range(0, len(moves), 1000):
        part = moves[i : i + 1000]
        result = uow.session.execute(
            update(table)
            .where(
                table.c.id.in_([m.order_id for m in part]),  # for the index
                tuple_(table.c.id, table.c.version).in_([(m.order_id, m.version) for m in part]),
            )
            .values(status=target.value, updated_at=now, version=table.c.version + 1)
        )
        changed += cast(CursorResult[Any], result).rowcount
    if changed != len(moves):
        raise StaleDataError("orders changed by another station during a bulk status change")
    # Core inserts on the tables: the ORM's bulk path costs several times more per row
    uow.session.execute(
        insert(cast(Table, OrderStatusChange.__table__)),
        [
            {
                "order_id": m.order_id,
                "from_status": m.current,
                "to_status": target.value,
                "at": now,
                "user_id": actor.user_id,
                "station_id": actor.station_id,
                "note": m.note,
            }
            for m in moves
        ],
    )
    uow.session.execute(
        insert(cast(Table, AuditEntry.__table__)),
        [
            {
                "at": now,
                "user_id": actor.user_id,
                "username": actor.username,
                "station_id": actor.station_id,
                "action": "order.status",
                "entity_type": "order",
                "entity_id": m.number,
                "before": {"status": m.current},
                "after": {"status": target.value},
                "note": m.note,
            }
            for m in moves
        ],
    )


#: the recipient fields ``orders_for_export`` sends onwards (a contract: keys are only added)
EXPORT_RECIPIENT = (
    "name",
    "phone",
    "company",
    "country",
    "province",
    "city",
    "district",
    "street",
    "street2",
    "postal_code",
)


@reads
def orders_for_export(
    uow: UnitOfWork, actor: Actor, status: str | None = None, limit: int | None = None
) -> list[dict[str, object]]:
    """Orders as plain data for ``packdesk orders list --json`` and files sent onwards (keys are
    a contract: add, never rename). The recipient is the real one, never a masked display
    string: present for an actor who may see personal data, ``None`` otherwise (and blank once
    purged). ``recipient_protected`` says the platform masks or encrypts the recipient (ship
    with its e-waybill). ``carrier``/``service``/``tracking`` appear only when the order has
    them. ``parcels`` (app.services.parcel_export) appears once the order has a closed,
    labelled, voided or shipped parcel."""
    stmt = (
        select(
            Order.id,
            Order.number,
            Order.external_id,
            Order.status,
            Channel.code,
            Order.placed_at,
            Carrier.code,
            CarrierService.code,
            Order.recipient_protected,
        )
        .join(Channel, Channel.id == Order.channel_id)
        .outerjoin(CarrierService, CarrierService.id == Order.carrier_service_id)
        .outerjoin(Carrier, Carrier.id == CarrierService.carrier_id)
    )
    id_stmt = select(Order.id)
    if status:
        stmt = stmt.where(Order.status == status)
        id_stmt = id_stmt.where(Order.status == status)
    stmt = stmt.order_by(Order.id)
    if limit:
        stmt = stmt.limit(limit)
        id_stmt = id_stmt.order_by(Order.id).limit(limit)
    with uow:
        current = uow.require(actor, Permission.VIEW_ORDERS)
        with_recipient = current.can(Permission.REVEAL_PERSONAL_DATA)
        rows = uow.session.execute(stmt).all()
        ids = [r[0] for r in rows]
        lines = _export_lines(uow, ids)
        tracking = _export_tracking(uow, ids)
        parcels = parcels_of(uow.session, id_stmt)
        reasons: dict[int, list[str]] = {}
        for chunk in _chunks(ids, 900):
            for oid, rs in _open_hold_reasons(uow, chunk).items():
                reasons[oid] = rs
        recipients = _export_recipients(uow, ids) if with_recipient else {}
        out: list[dict[str, object]] = []
        for r in rows:
            entry: dict[str, object] = {
                "number": r[1],
                "external_id": r[2],
                "status": r[3],
                "channel": r[4],
                "placed_at": r[5].isoformat(),
                "lines": lines.get(r[0], []),
                "hold_reasons": reasons.get(r[0], []),
                "recipient": recipients.get(r[0]),
                "recipient_protected": bool(r[8]),
            }
            if r[6]:
                entry["carrier"] = r[6]
                entry["service"] = r[7]
            if r[0] in tracking:
                entry["tracking"] = tracking[r[0]]
            if r[0] in parcels:
                entry["parcels"] = parcels[r[0]]
            out.append(entry)
        return out


def _export_lines(uow: UnitOfWork, ids: list[int]) -> dict[int, list[dict[str, object]]]:
    """Each order's lines; a line a product mapping made from the channel's listing also
    carries ``listing``: what the channel sold (its SKU, listing id, title and quantity)."""
    lines: dict[int, list[dict[str, object]]] = {}
    ln = OrderLine
    for chunk in _chunks(ids, 900):
        for r in uow.session.execute(
            select(
                ln.order_id,
                ln.sku,
                ln.qty,
                ln.requires_shipping,
                ln.mapping_id,
                ln.listing_sku,
                ln.listing_id,
                ln.listing_title,
                ln.listing_qty,
            )
            .where(ln.order_id.in_(chunk))
            .order_by(ln.order_id, ln.line_no)
        ):
            entry: dict[str, object] = {
                "sku": r.sku,
                "qty": r.qty,
                "requires_shipping": bool(r.requires_shipping),
            }
            if r.mapping_id is not None:
                entry["listing"] = {
                    "sku": r.listing_sku,
                    "id": r.listing_id,
                    "title": r.listing_title,
                    "qty": r.listing_qty,
                }
            lines.setdefault(r.order_id, []).append(entry)
    return lines


def _export_tracking(uow: UnitOfWork, ids: list[int]) -> dict[int, str]:
    """The latest tracking number noted in each order's status history."""
    found: dict[int, str] = {}
    for chunk in _chunks(ids, 900):
        for oid, note in uow.session.execute(
            select(OrderStatusChange.order_id, OrderStatusChange.note)
            .where(OrderStatusChange.order_id.in_(chunk), OrderStatusChange.note != "")
            .order_by(OrderStatusChange.order_id, OrderStatusChange.id)
        ):
            number = tracking_in_note(note)
            if number:
                found[oid] = number
    return found


def _export_recipients(uow: UnitOfWork, ids: list[int]) -> dict[int, dict[str, str]]:
    cols = [getattr(Address, k) for k in EXPORT_RECIPIENT]
    out: dict[int, dict[str, str]] = {}
    for chunk in _chunks(ids, 900):
        for oid, *values in uow.session.execute(
            select(Order.id, *cols)
            .join(Address, Address.id == Order.ship_address_id)
            .where(Order.id.in_(chunk))
        ):
            out[oid] = {k: v or "" for k, v in zip(EXPORT_RECIPIENT, values, strict=True)}
    return out


def _chunks(items: list[int], n: int) -> list[list[int]]:
    return [items[i : i + n] for i in range(0, len(items), n)]


@reads
def channels(uow: UnitOfWork) -> list[tuple[int, str, str]]:
    """(id, code, name) of every channel, for filters."""
    with uow:
        return [
            (c.id, c.code, c.name)
            for c in uow.session.scalars(select(Channel).order_by(Channel.name))
        ]
