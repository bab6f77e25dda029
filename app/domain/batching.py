"""Batching: which orders share one walk with a cart, so that one walk serves them well.

- :func:`fcfs_batches`: first come, first served, a new batch when the cart is full (the
  baseline to compare with).
- :func:`plan_batches`: a seed algorithm (de Koster, van der Poort and Wolters, 1999): a batch
  starts from a seed order and takes, one by one, the order that adds least walking until the
  cart is full, then the next batch starts from the oldest order left. How much walking an
  order adds is estimated from the parts of aisles between two cross aisles ("sub-aisles") the
  batch already visits: each new sub-aisle costs its length, and widening the batch sideways
  costs the way there and back. The estimate is a bit mask per order, so a plan for 200 orders
  takes a few tens of milliseconds. Then a few rounds of swapping two orders between two
  batches, wherever that shortens the estimated walk, improve the plan a little more.

Both respect every limit of :class:`CartLimits`; an order that alone exceeds the cart's lines,
weight or volume gets a batch of its own (it cannot be split here).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.domain.layout import Layout, Point
from app.domain.routing import Stop


@dataclass(frozen=True, slots=True)
class CartLimits:
    """What one cart takes; 0 means no limit (tote_slots is always a limit for pick to tote)."""

    tote_slots: int
    max_orders: int = 0
    max_lines: int = 0
    max_weight_g: int = 0
    max_volume_cm3: int = 0


@dataclass(frozen=True, slots=True)
class OrderToBatch:
    """An order as batching sees it: its stops and its size."""

    key: int
    stops: tuple[Stop, ...]
    lines: int = 1
    units: int = 1
    weight_g: int = 0
    volume_cm3: int = 0


@dataclass(slots=True)
class _Load:
    """What a cart holds so far."""

    orders: int = 0
    lines: int = 0
    weight_g: int = 0
    volume_cm3: int = 0

    def fits(self, o: OrderToBatch, limits: CartLimits) -> bool:
        if self.orders == 0:
            return True
        most = _max_orders(limits)
        return not (
            (most and self.orders + 1 > most)
            or (limits.max_lines and self.lines + o.lines > limits.max_lines)
            or (limits.max_weight_g and self.weight_g + o.weight_g > limits.max_weight_g)
            or (limits.max_volume_cm3 and self.volume_cm3 + o.volume_cm3 > limits.max_volume_cm3)
        )

    def add(self, o: OrderToBatch) -> None:
        self.orders += 1
        self.lines += o.lines
        self.weight_g += o.weight_g
        self.volume_cm3 += o.volume_cm3


#: rounds of swapping orders between batches after the seed algorithm
SWAP_PASSES = 3


def _max_orders(limits: CartLimits) -> int:
    caps = [c for c in (limits.tote_slots, limits.max_orders) if c > 0]
    return min(caps) if caps else 0


def fcfs_batches(orders: Sequence[OrderToBatch], limits: CartLimits) -> list[list[int]]:
    """First come, first served: orders in the given order, a new batch when the cart is full."""
    out: list[list[int]] = []
    load = _Load()
    for o in orders:
        if not out or not load.fits(o, limits):
            out.append([])
            load = _Load()
        out[-1].append(o.key)
        load.add(o)
    return out


class _Estimate:
    """The walking estimate: a bit per sub-aisle (aisle ``i`` in block ``b``: bit
    ``b * aisles + i``); a batch's walk is the length of its sub-aisles plus twice its width
    (from the depot to its leftmost and rightmost aisle)."""

    def __init__(self, layout: Layout, depot: Point) -> None:
        self.xs = [a.x for a in layout.aisles]
        self.n = len(self.xs)
        self.full = (1 << self.n) - 1
        ys = layout.cross_aisles
        self.blocks = len(ys) - 1
        self.ys = ys
        self.block_len = [ys[b + 1] - ys[b] for b in range(self.blocks)]
        self.depot_x = depot.x
        self.block_masks = [
            (self.full << (b * self.n), self.block_len[b]) for b in range(self.blocks)
        ]
        self.same_len = len(set(self.block_len)) == 1
        self._widths: dict[int, float] = {}

    def mask(self, stops: Sequence[Stop]) -> int:
        m = 0
        for s in stops:
            i = min(range(self.n), key=lambda i: abs(self.xs[i] - s.point.x))
            b = next(
                (b for b in range(self.blocks) if s.point.y <= self.ys[b + 1]), self.blocks - 1
            )
            m |= 1 << (b * self.n + i)
        return m

    def across(self, m: int) -> int:
        """The aisles (bit ``i``) the mask visits in any block."""
        out = 0
        for b in range(self.blocks):
            out |= (m >> (b * self.n)) & self.full
        return out

    def aisles_length(self, m: int) -> float:
        if self.same_len:
            return m.bit_count() * self.block_len[0]
        total = 0.0
        for bits, length in self.block_masks:
            total += (m & bits).bit_count() * length
        return total

    def width(self, across: int) -> float:
        w = self._widths.get(across)
        if w is None:
            w = 0.0
            if across:
                left = self.xs[(across & -across).bit_length() - 1]
                right = self.xs[across.bit_length() - 1]
                w = 2 * (max(right, self.depot_x) - min(left, self.depot_x))
            self._widths[across] = w
        return w

    def cost(self, m: int) -> float:
        return self.aisles_length(m) + self.width(self.across(m)) if m else 0.0


@dataclass(slots=True)
class _Pool:
    """The orders and what the estimate knows of them."""

    orders: Sequence[OrderToBatch]
    limits: CartLimits
    est: _Estimate
    masks: list[int]
    acrosses: list[int]

    @property
    def sized(self) -> bool:
        """Whether any limit other than the number of orders applies."""
        lim = self.limits
        return bool(lim.max_lines or lim.max_weight_g or lim.max_volume_cm3)


def _grow(seed: int, left: dict[int, None], pool: _Pool) -> list[int]:
    """A batch from ``seed``: add the order adding least estimated walk while the cart fits."""
    orders, masks, acrosses, est = pool.orders, pool.masks, pool.acrosses, pool.est
    most, sized = _max_orders(pool.limits), pool.sized
    batch, load, m = [seed], _Load(), masks[seed]
    load.add(orders[seed])
    del left[seed]
    across = acrosses[seed]
    width = est.width(across)
    while left and not (most and load.orders >= most):
        best: tuple[float, int, int] | None = None
        for i in left:
            if sized and not load.fits(orders[i], pool.limits):
                continue
            new = masks[i] & ~m
            delta = 0.0
            if new:
                delta = est.aisles_length(new)
                wider = acrosses[i] | across
                if wider != across:
                    delta += est.width(wider) - width
            rank = (delta, -(masks[i] & m).bit_count(), i)
            if best is None or rank < best:
                best = rank
        if best is None:
            break
        i = best[2]
        batch.append(i)
        load.add(orders[i])
        del left[i]
        m |= masks[i]
        across |= acrosses[i]
        width = est.width(across)
    return batch


def _seeded(pool: _Pool) -> list[list[int]]:
    """Batches grown from seeds taken oldest first (indexes into the orders)."""
    left = dict.fromkeys(range(len(pool.masks)))
    batches: list[list[int]] = []
    while left:
        batches.append(_grow(next(iter(left)), left, pool))
    return batches


def _without(masks: list[int], batch: list[int]) -> list[int]:
    """For each order of ``batch``, the batch's mask without it."""
    n = len(batch)
    before, after = [0] * (n + 1), [0] * (n + 1)
    for k in range(n):
        before[k + 1] = before[k] | masks[batch[k]]
        after[n - 1 - k] = after[n - k] | masks[batch[n - 1 - k]]
    return [before[k] | after[k + 1] for k in range(n)]


def _swap_pass(pool: _Pool, batches: list[list[int]]) -> bool:
    """Swap two orders of two batches wherever that shortens the estimated walk; True when
    any swap was made. Each batch knows, per order, its mask without that order and how much
    shorter the walk gets without it: a swap saves at most the two together, which skips
    most pairs unseen."""
    est, masks, orders, limits = pool.est, pool.masks, pool.orders, pool.limits
    cost = est.cost

    def look(batch: list[int]) -> tuple[list[int], list[float], float, list[int]]:
        rest = _without(masks, batch)
        whole = cost(rest[0] | masks[batch[0]])
        gains = [whole - cost(r) for r in rest]
        return rest, gains, whole, sorted(range(len(batch)), key=gains.__getitem__, reverse=True)

    info = [look(b) for b in batches]
    swapped = False
    for a in range(len(batches)):
        for b in range(a + 1, len(batches)):
            (rest_a, gain_a, ca, _), (rest_b, gain_b, cb, order_b) = info[a], info[b]
            A, B = batches[a], batches[b]
            best, where = -1e-9, (-1, -1)
            top_b = gain_b[order_b[0]]
            for i, ra in enumerate(rest_a):
                if gain_a[i] + top_b <= -best:
                    continue
                oi = masks[A[i]]
                for j in order_b:
                    if gain_a[i] + gain_b[j] <= -best:
                        break
                    delta = cost(ra | masks[B[j]]) + cost(rest_b[j] | oi) - ca - cb
                    if delta < best:
                        best, where = delta, (i, j)
            i, j = where
            if i < 0 or not _swap_fits(orders, A, B, i, j, limits):
                continue
            A[i], B[j] = B[j], A[i]
            info[a], info[b] = look(A), look(B)
            swapped = True
    return swapped


def _swap_fits(
    orders: Sequence[OrderToBatch], a: list[int], b: list[int], i: int, j: int, lim: CartLimits
) -> bool:
    if not (lim.max_lines or lim.max_weight_g or lim.max_volume_cm3):
        return True
    for mine, theirs, k, t in ((a, b, i, j), (b, a, j, i)):
        load = _Load()
        for n, o in enumerate(mine):
            load.add(orders[theirs[t] if n == k else o])
        if not (
            len(mine) == 1
            or (
                (not lim.max_lines or load.lines <= lim.max_lines)
                and (not lim.max_weight_g or load.weight_g <= lim.max_weight_g)
                and (not lim.max_volume_cm3 or load.volume_cm3 <= lim.max_volume_cm3)
            )
        ):
            return False
    return True


def plan_batches(
    layout: Layout,
    orders: Sequence[OrderToBatch],
    limits: CartLimits,
    depot: Point | None = None,
) -> list[list[int]]:
    """Batches (lists of order keys) that fit the cart and keep the total walk short. Orders
    keep their given order inside a batch, and batches come oldest first."""
    if not orders:
        return []
    est = _Estimate(layout, depot or layout.depot_point())
    masks = [est.mask(o.stops) for o in orders]
    pool = _Pool(orders, limits, est, masks, [est.across(m) for m in masks])
    best = _seeded(pool)
    for _ in range(SWAP_PASSES):
        if not _swap_pass(pool, best):
            break
    for b in best:
        b.sort()
    best.sort(key=lambda b: b[0])
    return [[orders[i].key for i in b] for b in best]
