"""What screens, the command line and printed pick lists are handed about a warehouse layout:
plain frozen data, no ORM objects, no Qt.

- :class:`LayoutView`: the warehouse drawn for walking: aisles, cross aisles, depots, zones and
  the pickable locations at their access points (``x``, ``y``) with their own rack ``x``
  (``rack_x``), their zone and how full they are.
- :class:`RouteDrawing`: a layout with a route on it: the polyline walked (depot to depot), the
  numbered stops in visiting order, and the walked length of that order beside the S-shape and
  largest-gap lengths of the same stops.

Coordinates are metres: ``x`` across the aisles, ``y`` along them (the front cross aisle has the
lowest ``y``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class MapAisle:
    code: str
    #: the centre line
    x: float
    y_from: float
    y_to: float


@dataclass(frozen=True, slots=True)
class MapCrossAisle:
    y: float
    #: front | middle | back, or the warehouse's own name
    name: str = ""


@dataclass(frozen=True, slots=True)
class MapDepot:
    code: str
    name: str
    x: float
    y: float
    is_default: bool = False


@dataclass(frozen=True, slots=True)
class MapZone:
    code: str
    name: str
    #: ``#rrggbb``, or "" when the map chooses
    colour: str = ""


@dataclass(frozen=True, slots=True)
class MapLocation:
    id: int
    code: str
    aisle: str
    zone: str
    kind: str
    #: the access point (on the aisle's centre line at the location's y)
    x: float
    y: float
    #: the location's own x (which side of the aisle its rack stands)
    rack_x: float
    #: units on hand and reserved there, over every product
    on_hand: int = 0
    reserved: int = 0


@dataclass(frozen=True, slots=True)
class LayoutView:
    """A warehouse's layout. ``aisles`` sorted by x, ``cross_aisles`` by y, the default depot
    first; ``locations`` the pickable ones whose aisle is in the layout (empty when the caller
    asked for none)."""

    warehouse_id: int
    warehouse: str
    aisles: tuple[MapAisle, ...]
    cross_aisles: tuple[MapCrossAisle, ...]
    depots: tuple[MapDepot, ...]
    zones: tuple[MapZone, ...] = ()
    locations: tuple[MapLocation, ...] = ()

    @property
    def is_empty(self) -> bool:
        """No usable layout: no aisles, fewer than two cross aisles or no depot."""
        return not self.aisles or len(self.cross_aisles) < 2 or not self.depots

    @property
    def depot(self) -> MapDepot | None:
        """The default depot (the first)."""
        return self.depots[0] if self.depots else None

    def bounds(self) -> tuple[float, float, float, float]:
        """(x_min, y_min, x_max, y_max) of everything drawn; (0, 0, 1, 1) when empty."""
        xs = [a.x for a in self.aisles] + [d.x for d in self.depots]
        xs += [loc.rack_x for loc in self.locations]
        ys = [c.y for c in self.cross_aisles] + [d.y for d in self.depots]
        ys += [a.y_from for a in self.aisles] + [a.y_to for a in self.aisles]
        if not xs or not ys:
            return (0.0, 0.0, 1.0, 1.0)
        return (min(xs), min(ys), max(xs), max(ys))


@dataclass(frozen=True, slots=True)
class RouteStopView:
    """A stop of a route: its number (1 first), the location code and its access point (on
    the centre line of ``aisle``)."""

    number: int
    location: str
    x: float
    y: float
    aisle: str = ""


@dataclass(frozen=True, slots=True)
class RouteDrawing:
    """A route on a layout, ready to draw or print.

    ``path`` is the walked polyline from the depot and back (its corners, in metres); ``stops``
    the numbered stops in visiting order, each location once; ``length_m`` the walked length of
    exactly that order; ``s_shape_m`` and ``largest_gap_m`` the classic heuristics' lengths for
    the same stops (for showing the saving)."""

    layout: LayoutView
    path: tuple[tuple[float, float], ...]
    stops: tuple[RouteStopView, ...]
    length_m: float
    s_shape_m: float
    largest_gap_m: float
