"""The classic routing heuristics on a layout with one or more blocks, for comparison.

Both follow Roodbergen and de Koster's versions for several blocks (2001): the picker first
walks up the leftmost aisle that has picks, as far as the farthest block with picks, then works
the blocks one by one from the farthest back towards the depot, each along its far cross aisle,
starting from the end nearer to where the picker is.

- S-shape: every aisle of the block that has picks is walked through entirely, in alternating
  directions.
- Largest gap: each aisle of the block is entered from the far cross aisle up to the largest gap
  between its picks (or its ends) and left the same way; the last aisle is walked through to
  the near cross aisle, and on the way back each aisle is entered from the near side for the
  picks before the gap.

"Far" and "near" are measured from the depot's cross aisle. The heuristics only choose the
order of the stops; the walk between two stops is the shortest one, so the lengths shown are,
if anything, kind to the heuristics.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from app.domain.layout import Layout, Point

# (index, x, depth): a place by its aisle line and its distance into the warehouse
Place = tuple[int, float, float]


def _frame(
    layout: Layout, depot: Point, points: Sequence[Point]
) -> tuple[list[float], list[Place]]:
    """Cross aisle depths (nearest first) and the places measured from the depot's side."""
    front, back = layout.front, layout.back
    from_front = abs(depot.y - front) <= abs(back - depot.y)

    def depth(y: float) -> float:
        return y - front if from_front else back - y

    cross = sorted(depth(c) for c in layout.cross_aisles)
    return cross, [(i, round(p.x, 6), depth(p.y)) for i, p in enumerate(points)]


def _block(cross: list[float], d: float) -> int:
    for b in range(len(cross) - 2, -1, -1):
        if d >= cross[b] - 1e-9:
            return b
    return 0


ByAisle = dict[float, list[Place]]


def _blocks(cross: list[float], places: list[Place]) -> tuple[list[Place], list[ByAisle]]:
    """The leftmost aisle's places (ascending), then per block its places by aisle."""
    left_x = min(p[1] for p in places)
    first = sorted((p for p in places if p[1] == left_x), key=lambda p: p[2])
    blocks: list[ByAisle] = [defaultdict(list) for _ in range(len(cross) - 1)]
    for p in places:
        if p[1] != left_x:
            blocks[_block(cross, p[2])][p[1]].append(p)
    return first, blocks


def _sweep(xs: list[float], here: float) -> list[float]:
    """The aisles in the order of a sweep starting from the end nearer to ``here``."""
    xs = sorted(xs)
    return xs if abs(here - xs[0]) <= abs(xs[-1] - here) else xs[::-1]


def s_shape_order(layout: Layout, depot: Point, points: Sequence[Point]) -> list[int]:
    if not points:
        return []
    cross, places = _frame(layout, depot, points)
    first, blocks = _blocks(cross, places)
    order = [p[0] for p in first]
    here = first[0][1]
    for by_aisle in reversed(blocks):
        if not by_aisle:
            continue
        for n, x in enumerate(_sweep(list(by_aisle), here)):
            down = n % 2 == 0
            order += [p[0] for p in sorted(by_aisle[x], key=lambda p: p[2], reverse=down)]
            here = x
    return order


def _split(ps: list[Place], low: float, high: float) -> tuple[list[Place], list[Place]]:
    """The places an aisle's largest gap leaves to the far side and to the near side."""
    ds = sorted(ps, key=lambda p: p[2])
    edges = [low, *(p[2] for p in ds), high]
    gaps = [edges[i + 1] - edges[i] for i in range(len(edges) - 1)]
    g = max(range(len(gaps)), key=gaps.__getitem__)
    return ds[g:][::-1], ds[:g]


def largest_gap_order(layout: Layout, depot: Point, points: Sequence[Point]) -> list[int]:
    if not points:
        return []
    cross, places = _frame(layout, depot, points)
    first, blocks = _blocks(cross, places)
    order = [p[0] for p in first]
    here = first[0][1]
    for b in range(len(blocks) - 1, -1, -1):
        by_aisle = blocks[b]
        if not by_aisle:
            continue
        xs = _sweep(list(by_aisle), here)
        near_parts: list[list[Place]] = []
        for x in xs[:-1]:
            far, near = _split(by_aisle[x], cross[b], cross[b + 1])
            order += [p[0] for p in far]
            near_parts.append(near)
        order += [p[0] for p in sorted(by_aisle[xs[-1]], key=lambda p: p[2], reverse=True)]
        for near in reversed(near_parts):
            order += [p[0] for p in near]
        here = xs[0] if near_parts and any(near_parts) else xs[-1]
    return order
