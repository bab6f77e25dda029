"""A warehouse layout for walking, without a database: aisles, cross aisles, depots, and the
walking distance between two points on the aisle graph.

Pickers walk along an aisle's centre line (at its ``x``, between the lowest and the highest cross
aisle) and along the cross aisles (at their ``y``, across every aisle). A pickable location is
reached from its access point, on its aisle's centre line at the location's ``y``; a depot lies
on a cross aisle. Lengths are metres.

A point is *on an aisle* when it names one or when its ``x`` is an aisle's centre line; any other
point (a depot) is taken to be on the cross aisle at its ``y``. Walking between two points on the
same aisle is straight along it; between two aisles it goes along the cross aisle that makes the
walk shortest; between two points on cross aisles it changes cross aisle in the nearest aisle.
``walk_distance`` gives the length, ``walk_leg`` the corners of that walk (for drawing), and
``distance_matrix`` all the lengths between a list of points at once.

``demo_like_layout`` and ``single_block_layout`` are the two layouts the tests and the
benchmarks share: 12 aisles 3 m apart and 30 m long, with (demo) or without (single block) a
middle cross aisle, and the depot at the front.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Aisle:
    code: str
    x: float
    y_from: float
    y_to: float


@dataclass(frozen=True, slots=True)
class Depot:
    code: str
    x: float
    y: float
    name: str = ""


@dataclass(frozen=True, slots=True)
class Point:
    """A place on the aisle graph: a location's access point (``aisle`` set) or a point on a
    cross aisle such as a depot (``aisle`` empty)."""

    x: float
    y: float
    aisle: str = ""


@dataclass(frozen=True, slots=True)
class Layout:
    """Aisles sorted by x, cross aisles sorted by y (at least a front and a back one), depots
    (the first is the default)."""

    warehouse: str
    aisles: tuple[Aisle, ...]
    cross_aisles: tuple[float, ...]
    depots: tuple[Depot, ...] = field(default=())

    @property
    def depot(self) -> Depot:
        return self.depots[0]

    @property
    def front(self) -> float:
        return self.cross_aisles[0]

    @property
    def back(self) -> float:
        return self.cross_aisles[-1]

    def depot_point(self, code: str | None = None) -> Point:
        depot = next((d for d in self.depots if d.code == code), self.depot) if code else self.depot
        return Point(depot.x, depot.y)


_EPS = 1e-9


@dataclass(frozen=True, slots=True)
class _Graph:
    """What walking needs from a layout, looked up once: aisle centre lines and cross aisles."""

    aisle_xs: tuple[float, ...]
    cross: tuple[float, ...]

    def vertical(self, p: Point) -> bool:
        return bool(p.aisle) or any(abs(p.x - x) <= _EPS for x in self.aisle_xs)

    def turn_aisle(self, xa: float, xb: float) -> float:
        """The aisle where a walk from one cross aisle to another changes: one between ``xa``
        and ``xb`` when there is one, else the nearest."""
        lo, hi = min(xa, xb), max(xa, xb)
        if not self.aisle_xs:
            return xa
        return min(self.aisle_xs, key=lambda x: max(lo - x, x - hi, 0.0))

    def turn_cross(self, ya: float, yb: float) -> float:
        """The cross aisle a walk between two aisles takes: the one making it shortest."""
        return min(self.cross, key=lambda c: abs(ya - c) + abs(yb - c))


def _graph(layout: Layout) -> _Graph:
    return _Graph(tuple(a.x for a in layout.aisles), tuple(layout.cross_aisles))


def _length(g: _Graph, a: Point, va: bool, b: Point, vb: bool) -> float:
    dx, dy = abs(a.x - b.x), abs(a.y - b.y)
    if va and vb:
        if dx <= _EPS:
            return dy
        return dx + min(abs(a.y - c) + abs(b.y - c) for c in g.cross)
    if va or vb:
        return dx + dy
    if dy <= _EPS:
        return dx
    k = g.turn_aisle(a.x, b.x)
    return abs(a.x - k) + abs(k - b.x) + dy


def walk_distance(layout: Layout, a: Point, b: Point) -> float:
    """The shortest walk from ``a`` to ``b`` on the aisle graph: straight along one aisle when
    both are on it, else up or down to a cross aisle, along it, and into the other aisle."""
    g = _graph(layout)
    return _length(g, a, g.vertical(a), b, g.vertical(b))


def walk_leg(layout: Layout, a: Point, b: Point) -> list[tuple[float, float]]:
    """The corners of the shortest walk from ``a`` to ``b`` (both ends included): every
    segment is horizontal (a cross aisle) or vertical (an aisle)."""
    g = _graph(layout)
    va, vb = g.vertical(a), g.vertical(b)
    if va and vb:
        if abs(a.x - b.x) <= _EPS:
            path = [(a.x, a.y), (b.x, b.y)]
        else:
            c = g.turn_cross(a.y, b.y)
            path = [(a.x, a.y), (a.x, c), (b.x, c), (b.x, b.y)]
    elif va:
        path = [(a.x, a.y), (a.x, b.y), (b.x, b.y)]
    elif vb:
        path = [(a.x, a.y), (b.x, a.y), (b.x, b.y)]
    elif abs(a.y - b.y) <= _EPS:
        path = [(a.x, a.y), (b.x, b.y)]
    else:
        k = g.turn_aisle(a.x, b.x)
        path = [(a.x, a.y), (k, a.y), (k, b.y), (b.x, b.y)]
    out = [path[0]]
    for p in path[1:]:
        if abs(p[0] - out[-1][0]) > _EPS or abs(p[1] - out[-1][1]) > _EPS:
            out.append(p)
    return out


def distance_matrix(layout: Layout, points: list[Point]) -> list[list[float]]:
    """``walk_distance`` between every two of ``points`` (row ``i``, column ``j``)."""
    g = _graph(layout)
    vs = [g.vertical(p) for p in points]
    n = len(points)
    m = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            m[i][j] = m[j][i] = _length(g, points[i], vs[i], points[j], vs[j])
    return m


def grid_layout(
    warehouse: str,
    aisles: int,
    spacing_m: float,
    cross_aisles: tuple[float, ...],
    depot_x: float = 0.0,
) -> Layout:
    """Parallel aisles ``A01``, ``A02``... ``spacing_m`` apart (the first at x = spacing), from
    the front to the back cross aisle, and one depot ``D1`` on the front cross aisle."""
    front, back = cross_aisles[0], cross_aisles[-1]
    return Layout(
        warehouse=warehouse,
        aisles=tuple(Aisle(f"A{i:02d}", spacing_m * i, front, back) for i in range(1, aisles + 1)),
        cross_aisles=cross_aisles,
        depots=(Depot("D1", depot_x, front, "Pack benches"),),
    )


def demo_like_layout() -> Layout:
    """12 aisles 3 m apart, 30 m long, cross aisles at 0, 15 and 30 m, the depot at the front
    left corner (x = 0): like the demo warehouse."""
    return grid_layout("DEMO", 12, 3.0, (0.0, 15.0, 30.0))


def single_block_layout() -> Layout:
    """The same 12 aisles with only a front and a back cross aisle."""
    return grid_layout("BLOCK", 12, 3.0, (0.0, 30.0))
