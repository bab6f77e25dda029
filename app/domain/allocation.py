"""Which stock an order line gets, without a database.

- Goods with an expiry date go first-expired-first-out. A lot is allocated only while it has more
  than the minimum remaining shelf life left (``expiry > today + min_shelf_life_days``), so an
  expired lot never is. The expiry date comes first because shipping a later lot while an earlier
  one waits in storage defeats FEFO; among lots of the same date, pickable locations come before
  storage, then the oldest receipt. Stock of an expiry-tracked SKU with no known date goes last.
- Other goods go first-in-first-out, preferring pickable locations: pickable before storage (a
  pick from storage is a trip with a ladder), then the oldest ``first_received_at``.
- Only pickable and storage locations are allocated from; staging and receiving stock is still on
  its way in or out.

A whole allocation run shares one ``StockPool``: each line takes from it in turn, and an order
that must not be partly allocated (shortage policy "hold") gives everything back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from app.domain.holds import HoldReason, hold

#: Location kinds stock is allocated from, most preferred first.
ALLOCATABLE_KINDS: tuple[str, ...] = ("pickable", "storage")
_KIND_RANK = {kind: i for i, kind in enumerate(ALLOCATABLE_KINDS)}


class ShortagePolicy(StrEnum):
    """What a released order does when its stock is short."""

    #: reserve nothing and put the whole order on hold, naming each SKU and its shortfall
    HOLD = "hold"
    #: reserve what is there; the rest is split off into a backorder that waits for stock
    BACKORDER = "backorder"


@dataclass(frozen=True, slots=True)
class AllocationRules:
    """The warehouse's allocation settings."""

    shortage_policy: ShortagePolicy = ShortagePolicy.HOLD
    min_shelf_life_days: int = 0


@dataclass(frozen=True, slots=True)
class Bucket:
    """Free stock of one SKU (and lot) at one location."""

    stock_level_id: int
    free: int
    location_kind: str
    first_received_at: datetime
    expiry: date | None = None
    #: walk order of the location; the last tie-breaker, so picks follow the path
    location_sequence: int = 0


@dataclass(frozen=True, slots=True)
class Take:
    """Reserve ``qty`` units from a stock level."""

    stock_level_id: int
    qty: int


@dataclass(frozen=True, slots=True)
class LineAllocation:
    """What one line got: the takes, and how much is still missing."""

    wanted: int
    takes: tuple[Take, ...] = ()

    @property
    def allocated(self) -> int:
        return sum(t.qty for t in self.takes)

    @property
    def short(self) -> int:
        return self.wanted - self.allocated


def is_allocatable(
    bucket: Bucket, *, fefo: bool, today: date, min_shelf_life_days: int = 0
) -> bool:
    """True when this stock may be promised to an order at all."""
    if bucket.free <= 0 or bucket.location_kind not in _KIND_RANK:
        return False
    if fefo and bucket.expiry is not None:
        return bucket.expiry > today + timedelta(days=max(0, min_shelf_life_days))
    return True


def _sort_key(bucket: Bucket, fefo: bool) -> tuple[object, ...]:
    kind = _KIND_RANK[bucket.location_kind]
    tail = (bucket.first_received_at, bucket.location_sequence, bucket.stock_level_id)
    if fefo:
        undated = bucket.expiry is None
        return (undated, bucket.expiry or date.max, kind, *tail)
    return (kind, *tail)


def rank(
    buckets: Iterable[Bucket], *, fefo: bool, today: date, min_shelf_life_days: int = 0
) -> list[Bucket]:
    """The allocatable buckets, best first (see the module docstring)."""
    usable = [
        b
        for b in buckets
        if is_allocatable(b, fefo=fefo, today=today, min_shelf_life_days=min_shelf_life_days)
    ]
    usable.sort(key=lambda b: _sort_key(b, fefo))
    return usable


def allocate_line(
    qty: int,
    buckets: Iterable[Bucket],
    *,
    fefo: bool,
    today: date,
    min_shelf_life_days: int = 0,
) -> LineAllocation:
    """Take ``qty`` units from the best buckets; ``short`` says what could not be had."""
    takes: list[Take] = []
    need = max(qty, 0)
    for b in rank(buckets, fefo=fefo, today=today, min_shelf_life_days=min_shelf_life_days):
        if need == 0:
            break
        n = min(need, b.free)
        takes.append(Take(b.stock_level_id, n))
        need -= n
    return LineAllocation(max(qty, 0), tuple(takes))


class StockPool:
    """Free stock of many SKUs for one allocation run. Lines take from it in turn; an order that
    must not be partly allocated rolls back to a checkpoint."""

    def __init__(
        self,
        buckets_by_product: Mapping[int, Iterable[Bucket]],
        *,
        fefo_products: Iterable[int],
        today: date,
        min_shelf_life_days: int = 0,
    ) -> None:
        fefo = set(fefo_products)
        self._ids: dict[int, list[int]] = {}
        self._free: dict[int, list[int]] = {}
        self._first: dict[int, int] = {}
        for pid, buckets in buckets_by_product.items():
            ranked = rank(
                buckets, fefo=pid in fefo, today=today, min_shelf_life_days=min_shelf_life_days
            )
            self._ids[pid] = [b.stock_level_id for b in ranked]
            self._free[pid] = [b.free for b in ranked]
            self._first[pid] = 0
        #: (product, bucket index, qty, first non-empty index before the take)
        self._undo: list[tuple[int, int, int, int]] = []

    def available(self, product_id: int) -> int:
        """Free units of a SKU left in the pool."""
        free = self._free.get(product_id)
        return sum(free[self._first[product_id] :]) if free else 0

    def take(self, product_id: int, qty: int) -> LineAllocation:
        """Take up to ``qty`` units of a SKU, best buckets first."""
        free = self._free.get(product_id)
        if not free or qty <= 0:
            return LineAllocation(max(qty, 0))
        ids = self._ids[product_id]
        takes: list[Take] = []
        need = qty
        i = self._first[product_id]
        while need and i < len(free):
            n = min(need, free[i])
            if n:
                self._undo.append((product_id, i, n, self._first[product_id]))
                free[i] -= n
                need -= n
                takes.append(Take(ids[i], n))
            if free[i] == 0:
                i += 1
                self._first[product_id] = i
        return LineAllocation(qty, tuple(takes))

    def checkpoint(self) -> int:
        return len(self._undo)

    def rollback(self, mark: int) -> None:
        """Give back everything taken since ``checkpoint()`` returned ``mark``."""
        while len(self._undo) > mark:
            pid, i, n, first = self._undo.pop()
            self._free[pid][i] += n
            self._first[pid] = first


class Outcome(StrEnum):
    """What allocation did with one order."""

    #: every line that needs stock is fully reserved
    ALLOCATED = "allocated"
    #: policy backorder: part reserved, the short quantities go to a backorder order
    PARTIAL = "partial"
    #: policy backorder: nothing could be reserved; the order waits, released, for stock
    BACKORDERED = "backordered"
    #: put on hold with reasons; nothing reserved
    HELD = "held"


@dataclass(frozen=True, slots=True)
class LineNeed:
    """An order line as allocation sees it."""

    line_id: int
    sku: str
    product_id: int | None
    qty: int
    requires_shipping: bool = True


@dataclass(frozen=True)
class OrderPlan:
    """The decision for one order: its outcome, what each line got, and hold reasons."""

    outcome: Outcome
    lines: Mapping[int, LineAllocation]
    holds: tuple[HoldReason, ...] = ()

    @property
    def reserved_units(self) -> int:
        return sum(a.allocated for a in self.lines.values())

    @property
    def short_lines(self) -> dict[int, int]:
        """line id -> units short."""
        return {lid: a.short for lid, a in self.lines.items() if a.short > 0}


def shortage_reason(sku: str, wanted: int, available: int) -> HoldReason:
    return hold(
        "short_stock",
        "short_stock",
        sku=sku,
        wanted=wanted,
        available=available,
        short=wanted - available,
    )


def _blocking_reasons(lines: Sequence[LineNeed]) -> list[HoldReason]:
    out: list[HoldReason] = []
    for ln in lines:
        if not ln.requires_shipping:
            continue
        if ln.qty <= 0:
            out.append(hold("bad_quantity", "release_bad_quantity", sku=ln.sku, qty=ln.qty))
        elif not ln.sku.strip():
            out.append(hold("no_sku", "release_no_sku"))
        elif ln.product_id is None:
            out.append(hold("unknown_sku", "release_unknown_sku", sku=ln.sku))
    return out


def plan_order(lines: Sequence[LineNeed], pool: StockPool, rules: AllocationRules) -> OrderPlan:
    """Allocate one order from the pool, following the shortage policy. A held order takes
    nothing from the pool; lines that need no shipping need no stock."""
    blocking = _blocking_reasons(lines)
    if blocking:
        return OrderPlan(Outcome.HELD, {}, tuple(blocking))
    mark = pool.checkpoint()
    got: dict[int, LineAllocation] = {}
    for ln in lines:
        if ln.requires_shipping and ln.product_id is not None:
            got[ln.line_id] = pool.take(ln.product_id, ln.qty)
    short = [ln for ln in lines if ln.line_id in got and got[ln.line_id].short > 0]
    if not short:
        return OrderPlan(Outcome.ALLOCATED, got)
    if rules.shortage_policy is ShortagePolicy.HOLD:
        pool.rollback(mark)
        reasons = tuple(shortage_reason(ln.sku, ln.qty, got[ln.line_id].allocated) for ln in short)
        return OrderPlan(
            Outcome.HELD, {lid: LineAllocation(a.wanted) for lid, a in got.items()}, reasons
        )
    if sum(a.allocated for a in got.values()) == 0:
        return OrderPlan(Outcome.BACKORDERED, got)
    return OrderPlan(Outcome.PARTIAL, got)
