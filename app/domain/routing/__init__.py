"""Pick routes on a warehouse layout: the order to visit stops in so that the walk is short.

The public functions (screens, services, the command line and the benchmarks use only these):

- :func:`plan_route`: the best route this package can find (optimal on a layout with only a
  front and a back cross aisle).
- :func:`s_shape_route`, :func:`largest_gap_route`: the classic heuristics, for comparison.
- :func:`route_length`: the walked length of stops in a given order, from the depot and back.
- :func:`walk_path`: the polyline of that walk, for drawing it on a map.

FOUNDATION STUB: the functions below keep their signatures; their bodies are naive and are
replaced by the routing work.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.domain.layout import Layout, Point, walk_distance


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
    start = depot or layout.depot_point()
    length, here = 0.0, start
    for stop in stops:
        length += walk_distance(layout, here, stop.point)
        here = stop.point
    return length + walk_distance(layout, here, start)


def _unique(stops: Sequence[Stop]) -> list[Stop]:
    seen: dict[str, Stop] = {}
    for s in stops:
        seen.setdefault(s.key, s)
    return list(seen.values())


def plan_route(layout: Layout, stops: Sequence[Stop], depot: Point | None = None) -> Route:
    ordered = sorted(_unique(stops), key=lambda s: (s.point.x, s.point.y))
    return Route(tuple(ordered), route_length(layout, ordered, depot))


def s_shape_route(layout: Layout, stops: Sequence[Stop], depot: Point | None = None) -> Route:
    return plan_route(layout, stops, depot)


def largest_gap_route(layout: Layout, stops: Sequence[Stop], depot: Point | None = None) -> Route:
    return plan_route(layout, stops, depot)


def walk_path(
    layout: Layout, stops: Sequence[Stop], depot: Point | None = None
) -> list[tuple[float, float]]:
    """The corners of the walk, depot to depot, for drawing."""
    start = depot or layout.depot_point()
    return [(start.x, start.y), *((s.point.x, s.point.y) for s in stops), (start.x, start.y)]
