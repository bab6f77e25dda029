"""A warehouse layout for walking, without a database: aisles, cross aisles, depots, and the
walking distance between two points on the aisle graph.

Pickers walk along an aisle's centre line (at its ``x``, between the lowest and the highest cross
aisle) and along the cross aisles (at their ``y``, across every aisle). A pickable location is
reached from its access point, on its aisle's centre line at the location's ``y``; a depot lies
on a cross aisle. Lengths are metres.
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


def walk_distance(layout: Layout, a: Point, b: Point) -> float:
    """The shortest walk from ``a`` to ``b`` on the aisle graph: straight along one aisle when
    both are on it, else up or down to a cross aisle, along it, and into the other aisle."""
    if a.aisle and a.aisle == b.aisle:
        return abs(a.y - b.y)
    dx = abs(a.x - b.x)
    if dx == 0.0 and (not a.aisle or not b.aisle):
        return abs(a.y - b.y)
    return dx + min(abs(a.y - c) + abs(b.y - c) for c in layout.cross_aisles)
