"""The exact shortest pick tour on a layout of parallel aisles and cross aisles.

This is Ratliff and Rosenthal's dynamic programme (1983), generalised as Roodbergen and de Koster
(2001) did to middle cross aisles: the tour is built column by column, left to right, where a
column is an aisle's centre line (or a depot's x). Between two cross aisles, an optimal tour uses
an aisle in one of six ways (not at all, once through, twice through, in and back from the lower
end, in and back from the upper end, or in from both ends leaving out the largest gap between
picks), and a piece of cross aisle between two columns 0, 1 or 2 times. The state after each
step is what the rest of the tour needs to know about the part built so far: for each cross
aisle's vertex on the current column, whether its degree is zero, even or odd, and which of those
vertices are already connected to each other. A vertex leaves the state with an even degree and,
when it must be visited, a non-zero one; a component may leave only as the last one. The tour
is then read back from the chosen steps as an Euler circuit from the depot.

The state has three degree classes and a partition per cross aisle, so the work grows quickly
with the number of cross aisles; :func:`exact_order` is meant for up to four of them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from itertools import pairwise

from app.domain.layout import Layout, Point

_EPS = 1e-9

#: degree class after adding 0, 1 or 2 edge ends: 0 = none, 1 = even (> 0), 2 = odd
_ADD = ((0, 2, 1), (1, 2, 1), (2, 1, 2))

Key = tuple[float, float]
# an aisle-use option: cost, ends added at the lower and upper vertex, connects them, code
Option = tuple[float, int, int, bool, str]
State = tuple[int, ...]
_DONE: State = ()


def key_of(x: float, y: float) -> Key:
    return (round(x, 6), round(y, 6))


@dataclass(slots=True)
class _Column:
    x: float
    walkable: bool
    required: set[int] = field(default_factory=set)
    picks: dict[int, list[float]] = field(default_factory=dict)


def _columns(layout: Layout, points: list[Point]) -> list[_Column] | None:
    """The columns of the walk, or None when a point lies off the grid this method knows."""
    ys = layout.cross_aisles
    aisle_xs = [a.x for a in layout.aisles]
    cols: dict[float, _Column] = {}
    for p in points:
        vertical = bool(p.aisle) or any(abs(p.x - x) <= _EPS for x in aisle_xs)
        cross = next((c for c, y in enumerate(ys) if abs(p.y - y) <= 1e-7), None)
        col = cols.setdefault(round(p.x, 6), _Column(round(p.x, 6), vertical))
        col.walkable = col.walkable or vertical
        if cross is not None:
            col.required.add(cross)
        elif vertical and ys[0] < p.y < ys[-1]:
            block = next(b for b in range(len(ys) - 1) if ys[b] < p.y < ys[b + 1])
            col.picks.setdefault(block, []).append(p.y)
        else:
            return None
    lo, hi = min(cols), max(cols)
    for x in aisle_xs:
        if lo - _EPS <= x <= hi + _EPS:
            cols.setdefault(round(x, 6), _Column(round(x, 6), True)).walkable = True
    left, right = [x for x in aisle_xs if x < lo], [x for x in aisle_xs if x > hi]
    for edge, beyond in ((lo, left), (hi, right)):
        if not cols[edge].walkable and beyond:
            near = min(beyond, key=lambda x: abs(x - edge))
            cols[round(near, 6)] = _Column(round(near, 6), True)
    out = [cols[x] for x in sorted(cols)]
    for col in out:
        for ps in col.picks.values():
            ps.sort()
    return out


def _options(col: _Column, block: int, low: float, high: float) -> list[Option]:
    picks = col.picks.get(block, [])
    if not col.walkable:
        return [(0.0, 0, 0, False, "N")]
    length = high - low
    opts: list[Option] = [(length, 1, 1, True, "T1"), (2 * length, 2, 2, True, "T2")]
    if not picks:
        return [(0.0, 0, 0, False, "N"), *opts]
    opts.append((2 * (picks[-1] - low), 2, 0, False, "L"))
    opts.append((2 * (high - picks[0]), 0, 2, False, "U"))
    if len(picks) > 1:
        gaps = [picks[i + 1] - picks[i] for i in range(len(picks) - 1)]
        i = max(range(len(gaps)), key=gaps.__getitem__)
        opts.append((2 * (length - gaps[i]), 2, 2, False, f"G{i}"))
    return opts


def _canon(degs: list[int], labels: list[int]) -> State:
    seen: dict[int, int] = {}
    out = []
    for d, lab in zip(degs, labels, strict=True):
        if d == 0:
            out.append(0)
        else:
            out.append(seen.setdefault(lab, len(seen) + 1))
    return (*degs, *out)


def _vertical(state: State, k: int, block: int, opt: Option) -> State | None:
    _, add_lo, add_hi, connect, code = opt
    if state == _DONE:
        return _DONE if code == "N" else None
    degs, labels = list(state[:k]), list(state[k:])
    fresh = max(labels) + 1
    for pos, add in ((block, add_lo), (block + 1, add_hi)):
        if add:
            if degs[pos] == 0:
                labels[pos], fresh = fresh, fresh + 1
            degs[pos] = _ADD[degs[pos]][add]
    if connect:
        old, new = labels[block + 1], labels[block]
        labels = [new if lab == old else lab for lab in labels]
    return _canon(degs, labels)


def _vertical_move(state: State, i: int, *, k: int, block: int, opts: list[Option]) -> State | None:
    return _vertical(state, k, block, opts[i])


def _horizontal(state: State, m: int, *, k: int, c: int, required: bool) -> State | None:
    """Cross aisle ``c``: ``m`` walks to the next column; this column's vertex leaves."""
    if state == _DONE:
        return _DONE if m == 0 and not required else None
    degs, labels = list(state[:k]), list(state[k:])
    d = degs[c]
    leaving = _ADD[d][m]
    if leaving == 2 or (leaving == 0 and required):
        return None
    if m:
        labels[c] = labels[c] if d else max(labels) + 1
        degs[c] = _ADD[0][m]
        return _canon(degs, labels)
    if leaving:
        lab = labels[c]
        others = [i for i in range(k) if i != c and degs[i]]
        if not any(labels[i] == lab for i in others):
            return None if others else _DONE
    degs[c], labels[c] = 0, 0
    return _canon(degs, labels)


Step = tuple[int, str, int]  # column index, "v" or "h", block or cross aisle index


#: transitions already worked out, per kind of step and per state: they depend on nothing else,
#: so a few hundred entries serve every route (this makes the programme several times faster)
Moves = list[tuple[State, int]]
_MEMO: dict[tuple[object, ...], dict[State, Moves]] = {}


def _step(
    frontier: dict[State, float],
    kind: tuple[object, ...],
    costs: list[float],
    codes: list[str | int],
    move: Callable[[State, int], State | None],
) -> tuple[dict[State, float], dict[State, tuple[State, str | int]]]:
    """One step of the programme: every state of ``frontier`` through every choice."""
    table = _MEMO.setdefault(kind, {})
    nxt: dict[State, float] = {}
    ptr: dict[State, tuple[State, str | int]] = {}
    for state, cost in frontier.items():
        moves = table.get(state)
        if moves is None:
            moves = table[state] = [
                (new, i) for i in range(len(costs)) if (new := move(state, i)) is not None
            ]
        for new, i in moves:
            total = cost + costs[i]
            old = nxt.get(new)
            if old is None or total < old - 1e-12:
                nxt[new] = total
                ptr[new] = (state, codes[i])
    return nxt, ptr


def _solve(
    cols: list[_Column], ys: tuple[float, ...]
) -> tuple[float, list[tuple[Step, str | int]]] | None:
    k = len(ys)
    frontier: dict[State, float] = {tuple([0] * (2 * k)): 0.0}
    back: list[tuple[Step, dict[State, tuple[State, str | int]]]] = []
    for j, col in enumerate(cols):
        for b in range(k - 1):
            opts = _options(col, b, ys[b], ys[b + 1])
            kind = ("v", k, b, *((o[1], o[2], o[3]) for o in opts))
            frontier, ptr = _step(
                frontier,
                kind,
                [o[0] for o in opts],
                [o[4] for o in opts],
                partial(_vertical_move, k=k, block=b, opts=opts),
            )
            back.append(((j, "v", b), ptr))
        last = j + 1 == len(cols)
        dx = 0.0 if last else cols[j + 1].x - col.x
        ms = [0] if last else [0, 1, 2]
        for c in range(k):
            req = c in col.required
            frontier, ptr = _step(
                frontier,
                ("h", k, c, len(ms), req),
                [m * dx for m in ms],
                list(ms),
                partial(_horizontal, k=k, c=c, required=req),
            )
            back.append(((j, "h", c), ptr))
    if _DONE not in frontier:
        return None
    chosen: list[tuple[Step, str | int]] = []
    state = _DONE
    for step, ptr in reversed(back):
        state, code = ptr[state]
        chosen.append((step, code))
    chosen.reverse()
    return frontier[_DONE], chosen


def _edges(
    cols: list[_Column], ys: tuple[float, ...], chosen: list[tuple[Step, str | int]]
) -> list[tuple[Key, Key]]:
    edges: list[tuple[Key, Key]] = []
    for (j, kind, i), code in chosen:
        x = cols[j].x
        if kind == "h":
            if code:
                edges += [(key_of(x, ys[i]), key_of(cols[j + 1].x, ys[i]))] * int(code)
            continue
        path = [ys[i], *cols[j].picks.get(i, []), ys[i + 1]]
        nodes = [key_of(x, y) for y in path]
        pairs = list(pairwise(nodes))
        if code == "T1":
            edges += pairs
        elif code == "T2":
            edges += pairs * 2
        elif code == "L":
            edges += pairs[: len(pairs) - 1] * 2
        elif code == "U":
            edges += pairs[1:] * 2
        elif isinstance(code, str) and code.startswith("G"):
            g = int(code[1:]) + 1
            edges += (pairs[:g] + pairs[g + 1 :]) * 2
    return edges


def _euler(edges: list[tuple[Key, Key]], start: Key) -> list[Key]:
    adj: dict[Key, list[tuple[int, Key]]] = defaultdict(list)
    for i, (a, b) in enumerate(edges):
        adj[a].append((i, b))
        adj[b].append((i, a))
    used = [False] * len(edges)
    ptr: dict[Key, int] = defaultdict(int)
    stack, circuit = [start], []
    while stack:
        v = stack[-1]
        lst, i = adj[v], ptr[v]
        while i < len(lst) and used[lst[i][0]]:
            i += 1
        ptr[v] = i
        if i == len(lst):
            circuit.append(stack.pop())
        else:
            used[lst[i][0]] = True
            stack.append(lst[i][1])
    circuit.reverse()
    return circuit


def exact_order(layout: Layout, depot: Point, points: list[Point]) -> list[int] | None:
    """The indexes of ``points`` (distinct places, none at the depot) in the order of a
    shortest tour from ``depot`` and back, or None when the layout or a point is outside what
    this method handles (a point off the aisles, more than four cross aisles)."""
    if not points:
        return []
    ys = tuple(layout.cross_aisles)
    if len(ys) < 2 or len(ys) > 4:
        return None
    cols = _columns(layout, [depot, *points])
    if cols is None:
        return None
    solved = _solve(cols, ys)
    if solved is None:
        return None
    tour = _euler(_edges(cols, ys, solved[1]), key_of(depot.x, depot.y))
    where = {key_of(p.x, p.y): i for i, p in enumerate(points)}
    order: list[int] = []
    seen: set[int] = set()
    for node in tour:
        i = where.get(node)
        if i is not None and i not in seen:
            seen.add(i)
            order.append(i)
    return order if len(order) == len(points) else None
