"""Merging orders to one customer and splitting an order, keeping the channel's ids.

- Merge: orders from the same channel to the same person at the same address (name, phone and
  every address field alike), none allocated yet, become one: the oldest keeps its number; the
  others' lines (and open holds) move into it, and each of them is cancelled with
  ``merged_into_id`` set and a note naming the merged order.
- Split: chosen lines (or part of a line's quantity) move into a new order numbered
  ``<root>-2``, ``<root>-3``... (``root`` is the order first imported); ``split_from_id`` points
  to the order it came from. Split by availability moves what the stock cannot cover.

Either way, a line that leaves the order it was imported with gets an ``order_external_refs`` row
(the channel's order id, line id and units), which then travels with it; a line split in two
gives its new half a row too. Lines still on their own order need none. See
``app.db.models.order_refs``; ``external_refs()`` reads them, line by line, for write-back.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import (
    BindParameter,
    CursorResult,
    Table,
    bindparam,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.db.models import (
    Address,
    AuditEntry,
    Channel,
    Order,
    OrderExternalRef,
    OrderHold,
    OrderLine,
    OrderStatusChange,
    utcnow,
)
from app.db.uow import UnitOfWork
from app.domain.errors import NotFound, ValidationError
from app.domain.orders import EDITABLE, OrderStatus, status_note
from app.domain.privacy import mask_recipient
from app.domain.users import Actor, Permission
from app.services import allocation
from app.services.access import reads, step, writes
from app.services.channel_cancel import refuse_stopped
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
    #: masked after the channel's policy: the list is for everyone who views orders
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
    external id and the line's external line id): before the lines move to another order."""
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


@reads
def external_refs(uow: UnitOfWork, actor: Actor, order_id: int) -> list[ExternalRef]:
    """Which channel orders and lines this order stands for, line by line (for write-back): a
    line's ref row when it has one, else its order's own channel order id."""
    with uow:
        uow.require(actor, Permission.VIEW_ORDERS)
        s = uow.session
        order = s.get(Order, order_id)
        if order is None:
            raise NotFound(what="Order", key=str(order_id))
        codes = dict(s.execute(select(Channel.id, Channel.code)).tuples().all())
        out: list[ExternalRef] = []
        for ln, ref in s.execute(
            select(OrderLine, OrderExternalRef)
            .outerjoin(OrderExternalRef, OrderExternalRef.order_line_id == OrderLine.id)
            .where(OrderLine.order_id == order_id)
            .order_by(OrderLine.line_no, OrderExternalRef.id)
        ).tuples():
            if ref is None:
                out.append(
                    ExternalRef(
                        ln.line_no,
                        ln.sku,
                        codes.get(order.channel_id, ""),
                        order.external_id,
                        ln.external_line_id,
                        ln.qty,
                    )
                )
            else:
                out.append(
                    ExternalRef(
                        ln.line_no,
                        ln.sku,
                        codes.get(ref.channel_id, ""),
                        ref.external_id,
                        ref.external_line_id,
                        ref.qty,
                    )
                )
        return out


# --- split ----------------------------------------------------------------------------------------


@writes(Permission.EDIT_ORDERS)
def split(uow: UnitOfWork, actor: Actor, order_id: int, lines: Mapping[int, int]) -> SplitResult:
    """Move ``lines`` (line number -> units) of an order into a new order."""
    with uow:
        uow.require(actor, Permission.EDIT_ORDERS)
        s = uow.session
        order = _locked_order(s, order_id)
        by_no = dict(
            s.execute(select(OrderLine.line_no, OrderLine.id).where(OrderLine.order_id == order_id))
            .tuples()
            .all()
        )
        unknown = sorted(set(lines) - set(by_no))
        if unknown:
            raise ValidationError(
                "Order {number} has no line {unknown}. Choose lines of this order.",
                number=order.number,
                unknown=unknown[0],
            )
        moves = {by_no[no]: qty for no, qty in lines.items() if qty}
        [done] = split_off_many(uow, actor, [(order_id, moves)], note=status_note("split_lines"))
        uow.commit()
        return _split_result(done)


@writes(Permission.EDIT_ORDERS)
def split_by_availability(
    uow: UnitOfWork, actor: Actor, order_id: int, *, today: date | None = None
) -> SplitResult:
    """Move what the free stock cannot cover into a new order, which waits for stock (its lines
    are marked backordered); the rest can then be allocated."""
    with uow:
        uow.require(actor, Permission.EDIT_ORDERS)
        s = uow.session
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
                "Everything on order {number} is in stock; there is nothing to split off.",
                number=order.number,
            )
        if sum(moves.values()) == sum(ln.qty for ln in needs) and all(
            ln.requires_shipping for ln in lines
        ):
            raise ValidationError(
                "None of order {number} is in stock, so splitting would leave "
                "nothing. The order waits for stock as it is.",
                number=order.number,
            )
        [done] = split_off_many(
            uow, actor, [(order_id, moves)], note=status_note("split_availability"), backorder=True
        )
        uow.commit()
        return _split_result(done)


def _split_result(done: SplitDone) -> SplitResult:
    units = sum(done.moved.values())
    return SplitResult(
        done.number,
        done.new_number,
        done.new_order_id,
        units,
        f"{units} units of order {done.number} moved to the new order {done.new_number}.",
    )


@dataclass(frozen=True)
class SplitDone:
    """One split carried out: the order (and its version after the split) and the new part."""

    order_id: int
    number: str
    version: int
    new_order_id: int
    new_number: str
    #: SKU -> units moved
    moved: dict[str, int]


_orders = cast(Table, Order.__table__)
_lines = cast(Table, OrderLine.__table__)
_refs = cast(Table, OrderExternalRef.__table__)
_ORDER_COPY = (
    "channel_id",
    "customer_id",
    "ship_address_id",
    "carrier_service_id",
    "currency",
    "payment_status",
    "placed_at",
    "note",
    "status",
)


@step
def split_off_many(
    uow: UnitOfWork,
    actor: Actor,
    splits: Sequence[tuple[int, Mapping[int, int]]],
    *,
    note: str,
    backorder: bool = False,
    packing: bool = False,
) -> list[SplitDone]:
    """Split each order (id, {line id: units to move}) into itself and a new part in the same
    status, with the same channel, customer and address; refs, totals, open holds, history and
    audit follow. Written in bulk, so an allocation run can split thousands of orders for
    backorders. The orders must be locked by the caller; the caller commits. ``packing``: the
    orders may also be at the pack station (SHIP PARTIAL splits off what was not scanned)."""
    if not splits:
        return []
    s = uow.session
    s.flush()
    ids = [oid for oid, _ in splits]
    orders = {
        r.id: r
        for part in allocation.chunks(ids)
        for r in s.execute(select(_orders).where(_orders.c.id.in_(part)))
    }
    lines: dict[int, list[Any]] = defaultdict(list)
    for part in allocation.chunks(ids):
        for ln in s.execute(
            select(_lines).where(_lines.c.order_id.in_(part)).order_by(_lines.c.line_no)
        ):
            lines[ln.order_id].append(ln)
    values: dict[int, Decimal] = {}
    refuse_stopped(s, [(oid, orders[oid].number) for oid in ids])
    for oid, moves in splits:
        _check_split(orders[oid], lines[oid], moves, packing=packing)
        by_id = {ln.id: ln for ln in lines[oid]}
        values[oid] = sum(
            (by_id[lid].unit_price * qty for lid, qty in moves.items()), Decimal("0.00")
        )
    ref_of = {
        r.order_line_id: _Ref(r.channel_id, r.external_id, r.external_line_id, True)
        for part in allocation.chunks([ln.id for oid in ids for ln in lines[oid]])
        for r in s.execute(select(_refs).where(_refs.c.order_line_id.in_(part)))
    }
    for oid in ids:  # lines without a ref stand for their order's own channel order
        o = orders[oid]
        for ln in lines[oid]:
            ref_of.setdefault(ln.id, _Ref(o.channel_id, o.external_id, ln.external_line_id, False))
    parts = _insert_parts(s, actor, [orders[oid] for oid in ids], values)
    w = _SplitWrites()
    done: list[SplitDone] = []
    for oid, moves in splits:
        o, new_id, new_number = orders[oid], *parts[oid]
        moved = w.move_lines(lines[oid], moves, new_id, ref_of, backorder)
        w.totals.append(
            {
                "o_id": oid,
                "o_version": o.version,
                "total": max(o.total - values[oid], Decimal("0.00")),
            }
        )
        done.append(SplitDone(oid, o.number, o.version + 1, new_id, new_number, moved))
    w.write(s)
    _copy_open_holds(s, {oid: parts[oid][0] for oid in ids})
    s.execute(
        insert(cast(Table, AuditEntry.__table__)),
        [
            {
                "user_id": actor.user_id,
                "username": actor.username,
                "station_id": actor.station_id,
                "action": "order.split",
                "entity_type": "order",
                "entity_id": d.number,
                "after": {"new_order": d.new_number, "moved": d.moved, "backorder": backorder},
                "note": note,
            }
            for d in done
        ],
    )
    return done


def _check_split(
    order: Any, lines: Sequence[Any], moves: Mapping[int, int], *, packing: bool = False
) -> None:
    if order.status not in _EDITABLE and not (packing and order.status == "packing"):
        raise ValidationError(
            "Order {number} is {status}; only orders that are not allocated yet "
            "can be split. Deallocate it first.",
            number=order.number,
            status=order.status,
        )
    if not moves:
        raise ValidationError("Choose at least one line (and how many units) to split off.")
    by_id = {ln.id: ln for ln in lines}
    for lid, qty in moves.items():
        ln = by_id.get(lid)
        if ln is None:
            raise ValidationError("That line is not on order {number}.", number=order.number)
        if not 0 < qty <= ln.qty:
            raise ValidationError(
                "Line {line_no} ({sku}) of order {number} has {qty} units; cannot move {qty2}.",
                line_no=ln.line_no,
                sku=ln.sku,
                number=order.number,
                qty=ln.qty,
                qty2=qty,
            )
    if all(moves.get(ln.id, 0) == ln.qty for ln in lines):
        raise ValidationError(
            "Splitting off every line would leave order {number} empty. Leave at "
            "least one unit on it.",
            number=order.number,
        )


@dataclass(frozen=True, slots=True)
class _Ref:
    """The channel order and line a line of ours stands for; ``stored`` when it has a row."""

    channel_id: int
    external_id: str
    external_line_id: str
    stored: bool

    def row(self, qty: int) -> dict[str, Any]:
        return {
            "channel_id": self.channel_id,
            "external_id": self.external_id,
            "external_line_id": self.external_line_id,
            "qty": qty,
        }


class _SplitWrites:
    """The row changes of many splits, gathered so each kind is written in one statement."""

    def __init__(self) -> None:
        self.moved_lines: list[dict[str, Any]] = []
        self.shrunk_lines: list[dict[str, Any]] = []
        self.new_lines: list[dict[str, Any]] = []
        self.renumber: list[dict[str, Any]] = []
        self.moved_refs: list[dict[str, Any]] = []
        self.shrunk_refs: list[dict[str, Any]] = []
        #: lines moved whole that had no ref yet: (line id, new order id, ref, units)
        self.first_refs: list[tuple[int, int, _Ref, int]] = []
        #: (new order id, line no) -> the ref its new line copies, and its units
        self.new_refs: dict[tuple[int, int], tuple[_Ref, int]] = {}
        self.totals: list[dict[str, Any]] = []

    def move_lines(
        self,
        lines: Sequence[Any],
        moves: Mapping[int, int],
        new_id: int,
        ref_of: Mapping[int, _Ref],
        backorder: bool,
    ) -> dict[str, int]:
        moved: dict[str, int] = {}
        k = 0
        kept = 0
        for ln in lines:
            qty = moves.get(ln.id, 0)
            if qty:
                k += 1
                moved[ln.sku] = moved.get(ln.sku, 0) + qty
                waiting = qty if backorder else min(ln.qty_backordered, qty)
            if qty and qty == ln.qty:
                self.moved_lines.append(
                    {"l_id": ln.id, "order_id": new_id, "line_no": k, "qty_backordered": waiting}
                )
                if ref_of[ln.id].stored:
                    self.moved_refs.append({"l_id": ln.id, "order_id": new_id})
                else:
                    self.first_refs.append((ln.id, new_id, ref_of[ln.id], qty))
                continue
            kept += 1
            if kept != ln.line_no:
                self.renumber.append({"l_id": ln.id, "line_no": kept})
            if not qty:
                continue
            left = ln.qty - qty
            self.shrunk_lines.append(
                {"l_id": ln.id, "qty": left, "qty_backordered": min(ln.qty_backordered, left)}
            )
            if ref_of[ln.id].stored:
                self.shrunk_refs.append({"l_id": ln.id, "n": qty})
            self.new_lines.append(
                {
                    "order_id": new_id,
                    "line_no": k,
                    "sku": ln.sku,
                    "product_id": ln.product_id,
                    "name": ln.name,
                    "qty": qty,
                    "unit_price": ln.unit_price,
                    "requires_shipping": ln.requires_shipping,
                    "qty_backordered": waiting,
                    "external_line_id": ln.external_line_id,
                    "listing_sku": ln.listing_sku,
                    "listing_id": ln.listing_id,
                    "listing_title": ln.listing_title,
                    "listing_qty": ln.listing_qty,
                    "mapping_id": ln.mapping_id,
                    "channel_partly_fulfilled": ln.channel_partly_fulfilled,
                }
            )
            self.new_refs[(new_id, k)] = (ref_of[ln.id], qty)
        return moved

    def write(self, s: Session) -> None:
        lid: BindParameter[int] = bindparam("l_id")
        if self.moved_lines:
            s.execute(update(_lines).where(_lines.c.id == lid), self.moved_lines)
        if self.moved_refs:
            s.execute(update(_refs).where(_refs.c.order_line_id == lid), self.moved_refs)
        first = [
            {"order_id": oid, "order_line_id": line_id, **ref.row(qty)}
            for line_id, oid, ref, qty in self.first_refs
        ]
        if self.renumber:
            # two passes, so the unique (order, line_no) never sees a duplicate in between
            s.execute(
                update(_lines).where(_lines.c.id == lid).values(line_no=-_lines.c.line_no),
                [{"l_id": r["l_id"]} for r in self.renumber],
            )
            s.execute(update(_lines).where(_lines.c.id == lid), self.renumber)
        if self.shrunk_lines:
            s.execute(update(_lines).where(_lines.c.id == lid), self.shrunk_lines)
        if self.shrunk_refs:
            s.execute(
                update(_refs)
                .where(_refs.c.order_line_id == lid)
                .values(qty=_refs.c.qty - bindparam("n")),
                self.shrunk_refs,
            )
        if self.new_lines:
            new_ids = {
                (oid, no): i
                for i, oid, no in s.execute(
                    insert(_lines).returning(_lines.c.id, _lines.c.order_id, _lines.c.line_no),
                    self.new_lines,
                )
            }
            first += [
                {"order_id": key[0], "order_line_id": new_ids[key], **ref.row(qty)}
                for key, (ref, qty) in self.new_refs.items()
            ]
        if first:
            s.execute(insert(_refs), first)
        oid: BindParameter[int] = bindparam("o_id")
        ver: BindParameter[int] = bindparam("o_version")
        changed = s.execute(
            update(_orders)
            .where(_orders.c.id == oid, _orders.c.version == ver)
            .values(version=_orders.c.version + 1, updated_at=utcnow()),
            self.totals,
        )
        if cast(CursorResult[Any], changed).rowcount != len(self.totals):
            raise StaleDataError("orders changed by another station during a split")


def _roots(s: Session, orders: Sequence[Any]) -> dict[int, tuple[str, str]]:
    """order id -> (number, external id) of the order first imported, before any split."""
    parent_of = {o.id: o.split_from_id for o in orders}
    info: dict[int, tuple[str, str, int | None]] = {
        o.id: (o.number, o.external_id, o.split_from_id) for o in orders
    }
    todo = {p for p in parent_of.values() if p is not None and p not in info}
    while todo:
        for part in allocation.chunks(sorted(todo)):
            for i, number, ext, parent in s.execute(
                select(Order.id, Order.number, Order.external_id, Order.split_from_id).where(
                    Order.id.in_(part)
                )
            ):
                info[i] = (number, ext, parent)
        todo = {p for _, _, p in info.values() if p is not None and p not in info}
    out: dict[int, tuple[str, str]] = {}
    for o in orders:
        cur = o.id
        while info[cur][2] is not None and info[cur][2] in info:
            cur = info[cur][2]
        out[o.id] = (info[cur][0], info[cur][1])
    return out


_SUFFIX = re.compile(r"\d+")


def _taken_suffixes(s: Session, roots: set[str]) -> dict[str, int]:
    """root number -> highest part number used so far (1 when none). Parts are numbered on
    from -2 and never deleted, so a root without ``<root>-2`` has none: one exact look-up per
    root on the unique index; only roots with parts are scanned for their highest number."""
    high = dict.fromkeys(roots, 1)
    ordered = sorted(roots)
    split_before: list[str] = []
    for i in range(0, len(ordered), allocation.CHUNK):
        part = ordered[i : i + allocation.CHUNK]
        for (number,) in s.execute(
            select(Order.number).where(Order.number.in_([f"{r}-2" for r in part]))
        ):
            split_before.append(number[: -len("-2")])
    for root in split_before:
        for (number,) in s.execute(
            select(Order.number).where(Order.number >= f"{root}-", Order.number < f"{root}-\uffff")
        ):
            tail = number[len(root) + 1 :]
            if _SUFFIX.fullmatch(tail):
                high[root] = max(high[root], int(tail))
    return high


def _insert_parts(
    s: Session, actor: Actor, orders: Sequence[Any], totals: Mapping[int, Decimal]
) -> dict[int, tuple[int, str]]:
    """The new orders, numbered ``<root>-<n>``; returns order id -> (new id, new number)."""
    roots = _roots(s, orders)
    high = _taken_suffixes(s, {r for r, _ in roots.values()})
    rows: list[dict[str, Any]] = []
    for o in orders:
        root, root_ext = roots[o.id]
        high[root] += 1
        n = high[root]
        number, suffix = f"{root}-{n}", f"~{n}"
        if len(number) > 32:
            raise ValidationError(
                "Order {root} has been split too often to number another part.", root=root
            )
        rows.append(
            {
                **{c: getattr(o, c) for c in _ORDER_COPY},
                "number": number,
                "external_id": root_ext[: 64 - len(suffix)] + suffix,
                "total": totals[o.id],
                "split_from_id": o.id,
            }
        )
    created = {
        number: i
        for i, number in s.execute(insert(_orders).returning(_orders.c.id, _orders.c.number), rows)
    }
    out = {
        o.id: (created[r["number"]], str(r["number"])) for o, r in zip(orders, rows, strict=True)
    }
    s.execute(
        insert(cast(Table, OrderStatusChange.__table__)),
        [
            {
                "order_id": out[o.id][0],
                "from_status": None,
                "to_status": o.status,
                "user_id": actor.user_id,
                "station_id": actor.station_id,
                "note": f"split from {o.number}",
            }
            for o in orders
        ],
    )
    return out


def _copy_open_holds(s: Session, new_of: Mapping[int, int]) -> None:
    """An order split while held: its part is held for the same reasons."""
    rows: list[dict[str, Any]] = []
    for part in allocation.chunks(sorted(new_of)):
        for oid, code, reason, template, params, by in s.execute(
            select(
                OrderHold.order_id,
                OrderHold.code,
                OrderHold.reason,
                OrderHold.template,
                OrderHold.params,
                OrderHold.created_by,
            ).where(OrderHold.order_id.in_(part), OrderHold.resolved_at.is_(None))
        ):
            rows.append(
                {
                    "order_id": new_of[oid],
                    "code": code,
                    "reason": reason,
                    "template": template,
                    "params": params,
                    "created_by": by,
                }
            )
    if rows:
        s.execute(insert(cast(Table, OrderHold.__table__)), rows)


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


@reads
def suggest_merges(uow: UnitOfWork, actor: Actor) -> list[MergeSuggestion]:
    """Groups of orders that could be merged, oldest group first."""
    with uow:
        uow.require(actor, Permission.VIEW_ORDERS)
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
        channels = {
            cid: (code, policy)
            for cid, code, policy in s.execute(
                select(Channel.id, Channel.code, Channel.mask_policy)
            ).tuples()
        }
        out = []
        for members in groups.values():
            if len(members) < 2:
                continue
            first, addr = members[0]
            code, policy = channels.get(first.channel_id, ("", None))
            out.append(
                MergeSuggestion(
                    tuple(o.id for o, _ in members),
                    tuple(o.number for o, _ in members),
                    code,
                    mask_recipient(policy, addr.name, "", "").name,  # the channel's policy
                    addr.city,
                )
            )
        return out


@writes(Permission.EDIT_ORDERS)
def merge(uow: UnitOfWork, actor: Actor, order_ids: Sequence[int]) -> MergeResult:
    """Merge orders into the oldest of them (see the module docstring); audited."""
    ids = sorted(set(order_ids))
    if len(ids) < 2:
        raise ValidationError("Choose at least two orders to merge.")
    with uow:
        uow.require(actor, Permission.EDIT_ORDERS)
        s = uow.session
        orders = list(
            s.scalars(select(Order).where(Order.id.in_(ids)).order_by(Order.id).with_for_update())
        )
        if len(orders) != len(ids):
            missing = sorted(set(ids) - {o.id for o in orders})
            raise NotFound(what="Order", key=str(missing[0]))
        _check_mergeable(s, orders)
        target, sources = orders[0], orders[1:]
        ensure_refs(s, [o.id for o in sources])  # the target's own lines stay its own
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
            transition(
                uow,
                actor,
                src,
                OrderStatus.CANCELLED,
                note=status_note("merged_into", number=target.number),
            )
        s.flush()
        has_holds = s.scalar(
            select(func.count())
            .select_from(OrderHold)
            .where(OrderHold.order_id == target.id, OrderHold.resolved_at.is_(None))
        )
        if has_holds and target.status != OrderStatus.ON_HOLD.value:
            transition(uow, actor, target, OrderStatus.ON_HOLD, note=status_note("merged_holds"))
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
    refuse_stopped(s, [(o.id, o.number) for o in orders])
    for o in orders:
        if o.merged_into_id is not None or o.status not in _EDITABLE:
            raise ValidationError(
                "Order {number} is {status}; only orders that are not allocated yet can be merged.",
                number=o.number,
                status=o.status,
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
