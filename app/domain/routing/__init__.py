"""Pick routes on a warehouse layout: the order to visit stops in so that the walk is short.

The public functions (screens, services, the command line and the benchmarks use only these):

- :func:`plan_route`: the best route this package can find (optimal on a layout with only a
  front and a back cross aisle).
- :func:`s_shape_route`, :func:`largest_gap_route`: the classic heuristics, for comparison.
- :func:`route_length`: the walked length of stops in a given order, from the depot and back.
- :func:`walk_path`: the polyline of that walk, for drawing it on a map.

How: stops at the same place (same aisle, same y) are visited together, each key once. On a
layout with two to four cross aisles the order comes from an exact dynamic programme over the
aisles (:mod:`.aisle_dp`); otherwise (more cross aisles, a point off the aisles) from Held-Karp
for up to nine places, else a 2-opt/Or-opt local search from the largest-gap, S-shape and
nearest-neighbour orders (:mod:`.tour_search`). ``docs/routing.md`` has the details and figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.domain.layout import Layout, Point, distance_matrix, walk_distance, walk_leg
from app.domain.routing.aisle_dp import exact_order, key_of
from app.domain.routing.heuristics import largest_gap_order, s_shape_order
from app.domain.routing.tour_search import best_of_starts, held_karp, nearest_neighbour

__all__ = [
    "Route",
    "Stop",
    "largest_gap_route",
    "plan_route",
    "route_length",
    "s_shape_route",
    "walk_path",
]

#: up to this many places without the aisle programme, Held-Karp is exact and fast enough
HELD_KARP_MAX = 9


@dataclass(frozen=True, slots=True)
class Stop:
    """A place to visit: ``key`` is what the caller knows it by (a location code), ``point``
    its access point on the aisle graph."""

    key: str
    point: Point


@dataclass(frozen=True, slots=True)
class Route:
    """Stops in visiting order (each once) and the walked length from the depot and back."""

    stops: tuple[Stop, ...]
    length_m: float


def route_length(layout: Layout, stops: Sequence[Stop], depot: Point | None = None) -> float:
    """The walked length of ``stops`` in exactly this order, from the depot and back."""
    start = depot or layout.depot_point()
    length, here = 0.0, start
    for stop in stops:
        length += walk_distance(layout, here, stop.point)
        here = stop.point
    return length + walk_distance(layout, here, start)


@dataclass(frozen=True, slots=True)
class _Places:
    """The distinct places to visit (none at the depot), the stops at each, and the stops that
    are at the depot itself."""

    points: list[Point]
    groups: list[list[Stop]]
    at_depot: list[Stop]


def _places(start: Point, stops: Sequence[Stop]) -> _Places:
    seen: set[str] = set()
    index: dict[tuple[float, float], int] = {}
    places = _Places([], [], [])
    depot_key = key_of(start.x, start.y)
    for s in stops:
        if s.key in seen:
            continue
        seen.add(s.key)
        k = key_of(s.point.x, s.point.y)
        if k == depot_key:
            places.at_depot.append(s)
        elif k in index:
            places.groups[index[k]].append(s)
        else:
            index[k] = len(places.points)
            places.points.append(s.point)
            places.groups.append([s])
    return places


def _route(layout: Layout, start: Point, places: _Places, order: Sequence[int]) -> Route:
    ordered = [*places.at_depot, *(s for i in order for s in places.groups[i])]
    return Route(tuple(ordered), route_length(layout, ordered, start))


def search_order(layout: Layout, start: Point, points: list[Point]) -> list[int]:
    """Held-Karp for a few places, else the best local search from the heuristics' orders."""
    d = distance_matrix(layout, [start, *points])
    if len(points) <= HELD_KARP_MAX:
        return [i - 1 for i in held_karp(d)]
    seeds = [
        [i + 1 for i in largest_gap_order(layout, start, points)],
        [i + 1 for i in s_shape_order(layout, start, points)],
        nearest_neighbour(d),
    ]
    return [i - 1 for i in best_of_starts(d, seeds)]


def plan_route(layout: Layout, stops: Sequence[Stop], depot: Point | None = None) -> Route:
    """The shortest route from the depot through every stop (each key once) and back: exact on
    layouts with two to four cross aisles."""
    start = depot or layout.depot_point()
    places = _places(start, stops)
    order = exact_order(layout, start, places.points)
    if order is None:
        order = search_order(layout, start, places.points)
    return _route(layout, start, places, order)


def s_shape_route(layout: Layout, stops: Sequence[Stop], depot: Point | None = None) -> Route:
    """The stops in S-shape order (every aisle with picks walked through)."""
    start = depot or layout.depot_point()
    places = _places(start, stops)
    return _route(layout, start, places, s_shape_order(layout, start, places.points))


def largest_gap_route(layout: Layout, stops: Sequence[Stop], depot: Point | None = None) -> Route:
    """The stops in largest-gap order."""
    start = depot or layout.depot_point()
    places = _places(start, stops)
    return _route(layout, start, places, largest_gap_order(layout, start, places.points))


def walk_path(
    layout: Layout, stops: Sequence[Stop], depot: Point | None = None
) -> list[tuple[float, float]]:
    """The corners of the walk, depot to depot, for drawing: from the depot along aisles and
    cross aisles through each stop in this order and back. Every segment is horizontal or
    vertical; the stops are among the points."""
    start = depot or layout.depot_point()
    here = start
    out: list[tuple[float, float]] = [(start.x, start.y)]
    for p in [*(s.point for s in stops), start]:
        for corner in walk_leg(layout, here, p)[1:]:
            if corner != out[-1]:
                out.append(corner)
        here = p
    return out
