"""The warehouse layout as the routing code sees it, read inside the caller's unit of work.

Waves, the pick screen, pick lists and the ``route`` command all route through these two
building blocks, so a location's access point is found in one place: the centre line of its
aisle (``layout_aisles.code`` = ``locations.aisle``) at the location's ``y``.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from app.db.models import LayoutAisle, LayoutCrossAisle, LayoutDepot, Location, Warehouse
from app.db.uow import UnitOfWork
from app.domain.layout import Aisle, Depot, Layout, Point
from app.services.access import step


@step
def load_layout(uow: UnitOfWork, warehouse_id: int) -> Layout | None:
    """The warehouse's layout, or None when it has none (no aisles, fewer than two cross aisles
    or no depot). The default depot comes first."""
    s = uow.session
    code = s.scalar(select(Warehouse.code).where(Warehouse.id == warehouse_id)) or ""
    aisles = s.scalars(
        select(LayoutAisle).where(LayoutAisle.warehouse_id == warehouse_id).order_by(LayoutAisle.x)
    ).all()
    crosses = s.scalars(
        select(LayoutCrossAisle.y)
        .where(LayoutCrossAisle.warehouse_id == warehouse_id)
        .order_by(LayoutCrossAisle.y)
    ).all()
    depots = s.scalars(
        select(LayoutDepot)
        .where(LayoutDepot.warehouse_id == warehouse_id)
        .order_by(LayoutDepot.is_default.desc(), LayoutDepot.id)
    ).all()
    if not aisles or len(crosses) < 2 or not depots:
        return None
    return Layout(
        warehouse=code,
        aisles=tuple(Aisle(a.code, a.x, a.y_from, a.y_to) for a in aisles),
        cross_aisles=tuple(crosses),
        depots=tuple(Depot(d.code, d.x, d.y, d.name) for d in depots),
    )


@step
def access_points(
    uow: UnitOfWork, warehouse_id: int, location_ids: Iterable[int]
) -> dict[int, Point]:
    """Each location's access point; a location whose aisle is not in the layout is left out
    (the caller decides: refuse, or fall back to the location's own x and y)."""
    ids = sorted(set(location_ids))
    if not ids:
        return {}
    aisles = dict(
        uow.session.execute(
            select(LayoutAisle.code, LayoutAisle.x).where(LayoutAisle.warehouse_id == warehouse_id)
        )
        .tuples()
        .all()
    )
    out: dict[int, Point] = {}
    for i in range(0, len(ids), 2000):
        rows = uow.session.execute(
            select(Location.id, Location.aisle, Location.y).where(
                Location.id.in_(ids[i : i + 2000])
            )
        ).tuples()
        for loc_id, aisle, y in rows:
            if aisle in aisles:
                out[loc_id] = Point(aisles[aisle], y, aisle)
    return out
