"""Suspected duplicates: an earlier order of the same customer with the same items, placed
within the settings' window (``CheckSettings.duplicate_window_hours``), in the database or
earlier in the same import. What the check rules get as ``duplicate_of``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import Order, OrderLine
from app.domain.orders import OrderStatus

S = OrderStatus


def item_key(sku: str, name: str) -> str:
    """What tells an item apart: its SKU, or its name when it has none."""
    return sku if sku.strip() else f"\x00{name.strip().casefold()}"


def signature(lines: Iterable[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
    """The items of an order (``item_key`` and quantity), in a form two orders can be compared
    by."""
    total: dict[str, int] = {}
    for sku, qty in lines:
        total[sku] = total.get(sku, 0) + qty
    return tuple(sorted(total.items()))


@dataclass(frozen=True)
class DupCandidate:
    """An order to look for an earlier twin of. ``order_id`` is None for one not inserted yet
    (then ``seq`` orders it among the others of the same import)."""

    key: int
    customer_id: int | None
    placed_at: datetime
    items: tuple[tuple[str, int], ...]
    order_id: int | None = None
    number: str = ""
    seq: int = 0


def find_duplicates(
    session: Session,
    candidates: Sequence[DupCandidate],
    window_hours: int,
    *,
    new_customers: set[int] | frozenset[int] = frozenset(),
) -> dict[int, tuple[str, float]]:
    """For each candidate with an earlier order of the same customer with the same items
    within the window (in the database or earlier among the candidates): key -> (that
    order's number, hours between). Cancelled orders do not count. ``new_customers`` were
    created just now: they have no orders in the database to look up."""
    cands = [c for c in candidates if c.customer_id is not None]
    if not cands or window_hours <= 0:
        return {}
    window = timedelta(hours=window_hours)
    lo = min(c.placed_at for c in cands) - window
    hi = max(c.placed_at for c in cands)
    customers = sorted(
        {c.customer_id for c in cands if c.customer_id is not None} - set(new_customers)
    )
    known: list[tuple[int, int, str, datetime]] = []
    for chunk in _chunks(customers, 500):
        known += [
            (r[0], r[1], r[2], r[3])
            for r in session.execute(
                select(Order.id, Order.customer_id, Order.number, Order.placed_at).where(
                    Order.customer_id.in_(chunk),
                    Order.placed_at >= lo,
                    Order.placed_at <= hi,
                    Order.status != S.CANCELLED.value,
                    Order.merged_into_id.is_(None),
                )
            )
        ]
    items: dict[int, list[tuple[str, int]]] = {}
    for chunk in _chunks([k[0] for k in known], 500):
        for oid, sku, name, qty in session.execute(
            select(OrderLine.order_id, OrderLine.sku, OrderLine.name, OrderLine.qty).where(
                OrderLine.order_id.in_(chunk)
            )
        ):
            items.setdefault(oid, []).append((item_key(sku, name), qty))
    # Orders compare by time; at the same time an order already in the database comes first,
    # then the new ones in file order.
    Rank = tuple[datetime, int, int]
    index: dict[tuple[int, tuple[tuple[str, int], ...]], list[tuple[Rank, str]]] = {}
    for oid, cid, number, placed in known:
        key = (cid, signature(items.get(oid, [])))
        index.setdefault(key, []).append(((placed, 0, oid), number))
    for c in cands:
        if c.order_id is None:
            index.setdefault((c.customer_id or 0, c.items), []).append((_rank(c), c.number))
    found: dict[int, tuple[str, float]] = {}
    for c in cands:
        me = _rank(c)
        earlier = [
            (rank, number)
            for rank, number in index.get((c.customer_id or 0, c.items), [])
            if rank < me and c.placed_at - rank[0] <= window
        ]
        if earlier:
            rank, number = max(earlier)
            found[c.key] = (number, (c.placed_at - rank[0]).total_seconds() / 3600)
    return found


def _rank(c: DupCandidate) -> tuple[datetime, int, int]:
    if c.order_id is not None:
        return (c.placed_at, 0, c.order_id)
    return (c.placed_at, 1, c.seq)


def _chunks(items: list[int], n: int) -> list[list[int]]:
    return [items[i : i + n] for i in range(0, len(items), n)]
