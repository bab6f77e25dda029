"""Warehouse layout use cases: read a layout for screens and the command line, route a list of
locations on it, and the route drawing printed pick lists and screens draw (loading a layout
file is in :mod:`app.services.layout_load`).

The DTOs are in :mod:`app.services.layout_views`; the layout as the router sees it comes from
:mod:`app.services.layout_store` (one place for access points).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import func, select

from app.db.models import (
    LayoutAisle,
    LayoutCrossAisle,
    LayoutDepot,
    LayoutZone,
    Location,
    StockLevel,
    Warehouse,
)
from app.db.uow import UnitOfWork
from app.domain.allocation import ALLOCATABLE_KINDS
from app.domain.errors import NotFound, ValidationError
from app.domain.layout import Layout
from app.domain.routing import (
    Stop,
    largest_gap_route,
    plan_route,
    route_length,
    s_shape_route,
    walk_path,
)
from app.domain.users import Actor, Permission
from app.services.access import reads, step
from app.services.layout_store import access_points, load_layout
from app.services.layout_views import (
    LayoutView,
    MapAisle,
    MapCrossAisle,
    MapDepot,
    MapLocation,
    MapZone,
    RouteDrawing,
    RouteStopView,
)

#: operator messages kept as constants (collected for translation)
LAYOUT_MESSAGES = {
    "no_layout": (
        "The warehouse {warehouse} has no layout yet (aisles, a front and a back cross aisle "
        "and a depot). Load a layout file on the Layout screen or with 'packdesk layout load "
        "FILE'."
    ),
}
NO_LAYOUT = LAYOUT_MESSAGES["no_layout"]


@step
def find_warehouse(uow: UnitOfWork, code: str | None = None) -> tuple[int, str]:
    """(id, code) of the warehouse with ``code``, or of the first warehouse when ``code`` is
    empty."""
    q = select(Warehouse.id, Warehouse.code)
    q = q.where(Warehouse.code == code) if code else q.order_by(Warehouse.id).limit(1)
    row = uow.session.execute(q).tuples().first()
    if row is None:
        if code:
            raise NotFound(what="Warehouse", key=code)
        raise ValidationError("There is no warehouse yet. Create the demo data or add one first.")
    return row[0], row[1]


@step
def read_layout_view(uow: UnitOfWork, warehouse_id: int, with_locations: bool = True) -> LayoutView:
    """The warehouse's layout as drawn (empty tuples when it has none); with the pickable
    locations at their access points when ``with_locations``."""
    s = uow.session
    code = s.scalar(select(Warehouse.code).where(Warehouse.id == warehouse_id)) or ""
    aisles = s.scalars(
        select(LayoutAisle).where(LayoutAisle.warehouse_id == warehouse_id).order_by(LayoutAisle.x)
    ).all()
    crosses = s.scalars(
        select(LayoutCrossAisle)
        .where(LayoutCrossAisle.warehouse_id == warehouse_id)
        .order_by(LayoutCrossAisle.y)
    ).all()
    depots = s.scalars(
        select(LayoutDepot)
        .where(LayoutDepot.warehouse_id == warehouse_id)
        .order_by(LayoutDepot.is_default.desc(), LayoutDepot.id)
    ).all()
    zones = s.scalars(
        select(LayoutZone).where(LayoutZone.warehouse_id == warehouse_id).order_by(LayoutZone.code)
    ).all()
    map_aisles = tuple(MapAisle(a.code, a.x, a.y_from, a.y_to) for a in aisles)
    return LayoutView(
        warehouse_id=warehouse_id,
        warehouse=code,
        aisles=map_aisles,
        cross_aisles=tuple(MapCrossAisle(c.y, c.name) for c in crosses),
        depots=tuple(MapDepot(d.code, d.name, d.x, d.y, d.is_default) for d in depots),
        zones=tuple(MapZone(z.code, z.name, z.colour) for z in zones),
        locations=_map_locations(uow, warehouse_id, map_aisles) if with_locations else (),
    )


def _map_locations(
    uow: UnitOfWork, warehouse_id: int, aisles: Sequence[MapAisle]
) -> tuple[MapLocation, ...]:
    centre = {a.code: a.x for a in aisles}
    fill = dict(
        (row[0], (int(row[1] or 0), int(row[2] or 0)))
        for row in uow.session.execute(
            select(
                StockLevel.location_id, func.sum(StockLevel.on_hand), func.sum(StockLevel.reserved)
            )
            .join(Location, Location.id == StockLevel.location_id)
            .where(Location.warehouse_id == warehouse_id)
            .group_by(StockLevel.location_id)
        ).tuples()
    )
    rows = uow.session.execute(
        select(Location.id, Location.code, Location.aisle, Location.zone, Location.kind)
        .add_columns(Location.x, Location.y)
        .where(
            Location.warehouse_id == warehouse_id,
            Location.kind.in_(ALLOCATABLE_KINDS),
            Location.active.is_(True),
        )
        .order_by(Location.code)
    ).tuples()
    out = []
    for loc_id, code, aisle, zone, kind, x, y in rows:
        if aisle not in centre:
            continue
        on_hand, reserved = fill.get(loc_id, (0, 0))
        out.append(
            MapLocation(loc_id, code, aisle, zone, kind, centre[aisle], y, x, on_hand, reserved)
        )
    return tuple(out)


@reads
def layout_view(
    uow: UnitOfWork, actor: Actor, warehouse: str | None = None, with_locations: bool = True
) -> LayoutView:
    """The layout of the warehouse with code ``warehouse`` (the first warehouse when empty),
    for the Layout screen and ``packdesk layout show``."""
    with uow:
        uow.require(actor, Permission.VIEW_ORDERS)
        warehouse_id, _ = find_warehouse(uow, warehouse)
        return read_layout_view(uow, warehouse_id, with_locations)


@step
def route_drawing(uow: UnitOfWork, warehouse_id: int, location_ids: Iterable[int]) -> RouteDrawing:
    """The best route through ``location_ids`` (each once) from the default depot and back,
    drawn on the layout (without its locations): for pick lists, the pick screen and waves.
    Runs inside the caller's unit of work. A location whose aisle is not in the layout is
    refused; so is a warehouse without a layout."""
    ids = list(dict.fromkeys(location_ids))
    layout = load_layout(uow, warehouse_id)
    view = read_layout_view(uow, warehouse_id, with_locations=False)
    if layout is None:
        raise ValidationError(NO_LAYOUT, warehouse=view.warehouse)
    points = access_points(uow, warehouse_id, ids)
    codes = dict(
        uow.session.execute(select(Location.id, Location.code).where(Location.id.in_(ids)))
        .tuples()
        .all()
    )
    missing = [codes.get(i, str(i)) for i in ids if i not in points]
    if missing:
        raise ValidationError(
            "The locations {codes} are not on the layout of warehouse {warehouse}: their aisle "
            "is not one of its aisles. Add the aisle to the layout file and load it again.",
            codes=", ".join(missing),
            warehouse=view.warehouse,
        )
    return _drawing(layout, view, [Stop(codes[i], points[i]) for i in ids])


def _drawing(layout: Layout, view: LayoutView, stops: list[Stop]) -> RouteDrawing:
    route = plan_route(layout, stops)
    return RouteDrawing(
        layout=view,
        path=tuple(walk_path(layout, route.stops)),
        stops=tuple(
            RouteStopView(n, s.key, s.point.x, s.point.y, s.point.aisle)
            for n, s in enumerate(route.stops, 1)
        ),
        length_m=round(route_length(layout, route.stops), 3),
        s_shape_m=round(s_shape_route(layout, stops).length_m, 3),
        largest_gap_m=round(largest_gap_route(layout, stops).length_m, 3),
    )


@step
def location_ids_by_code(uow: UnitOfWork, warehouse_id: int, codes: Sequence[str]) -> list[int]:
    """The ids of the location ``codes`` (or barcodes) in request order, each once; an unknown
    code is refused with every unknown one named."""
    wanted = list(dict.fromkeys(c.strip() for c in codes if c.strip()))
    if not wanted:
        raise ValidationError("Give at least one location code to route.")
    found: dict[str, int] = {}
    for i in range(0, len(wanted), 1000):
        part = wanted[i : i + 1000]
        for loc_id, code, barcode in uow.session.execute(
            select(Location.id, Location.code, Location.barcode).where(
                Location.warehouse_id == warehouse_id,
                (Location.code.in_(part)) | (Location.barcode.in_(part)),
            )
        ).tuples():
            found[code] = loc_id
            found.setdefault(barcode, loc_id)
    unknown = [c for c in wanted if c not in found]
    if unknown:
        raise ValidationError(
            "Unknown locations: {codes}. Check the codes (or scan the location labels).",
            codes=", ".join(unknown),
        )
    return list(dict.fromkeys(found[c] for c in wanted))


@reads
def route_locations(
    uow: UnitOfWork, actor: Actor, codes: Sequence[str], warehouse: str | None = None
) -> RouteDrawing:
    """Route the location ``codes`` (each once) from the default depot back to it, for
    ``packdesk route`` and the Layout screen's "Try a route"."""
    with uow:
        uow.require(actor, Permission.VIEW_ORDERS)
        warehouse_id, _ = find_warehouse(uow, warehouse)
        ids = location_ids_by_code(uow, warehouse_id, codes)
        return route_drawing(uow, warehouse_id, ids)
