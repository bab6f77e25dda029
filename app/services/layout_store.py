"""The warehouse layout as the routing code sees it, read inside the caller's unit of work.

Waves, the pick screen, pick lists and the ``route`` command all route through these two
building blocks, so a location's access point is found in one place: the centre line of its
aisle (``layout_aisles.code`` = ``locations.aisle``) at the location's ``y``.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Boolean, Float, Integer, String, bindparam, literal, select, union_all

from app.db.models import LayoutAisle, LayoutCrossAisle, LayoutDepot, Location, Warehouse
from app.db.uow import UnitOfWork
from app.domain.layout import Aisle, Depot, Layout, Point
from app.services.access import step

_ZERO, _BLANK, _NO = literal(0.0, Float), literal("", String), literal(False, Boolean)
_W = bindparam("wh", type_=Integer)
#: the warehouse (``wh``), its aisles, cross aisles and depots as one list of tagged rows; built
#: once (building a statement costs more than running it)
_LAYOUT = union_all(
    select(literal("w"), Warehouse.code, _ZERO, _ZERO, _ZERO, _BLANK, _NO, Warehouse.id).where(
        Warehouse.id == _W
    ),
    select(
        literal("a"),
        LayoutAisle.code,
        LayoutAisle.x,
        LayoutAisle.y_from,
        LayoutAisle.y_to,
        _BLANK,
        _NO,
        LayoutAisle.id,
    ).where(LayoutAisle.warehouse_id == _W),
    select(
        literal("c"), _BLANK, LayoutCrossAisle.y, _ZERO, _ZERO, _BLANK, _NO, LayoutCrossAisle.id
    ).where(LayoutCrossAisle.warehouse_id == _W),
    select(
        literal("d"),
        LayoutDepot.code,
        LayoutDepot.x,
        LayoutDepot.y,
        _ZERO,
        LayoutDepot.name,
        LayoutDepot.is_default,
        LayoutDepot.id,
    ).where(LayoutDepot.warehouse_id == _W),
)


@step
def load_layout(uow: UnitOfWork, warehouse_id: int) -> Layout | None:
    """The warehouse's layout, or None when it has none (no aisles, fewer than two cross aisles
    or no depot). The default depot comes first. One statement (the pick screen reads the
    layout at every scan): the warehouse, its aisles, cross aisles and depots as one list."""
    rows = uow.session.execute(_LAYOUT, {"wh": warehouse_id}).all()
    code = next((r[1] for r in rows if r[0] == "w"), "") or ""
    aisles = sorted((r for r in rows if r[0] == "a"), key=lambda r: (r[2], r[7]))
    crosses = sorted(r[2] for r in rows if r[0] == "c")
    depots = sorted((r for r in rows if r[0] == "d"), key=lambda r: (not r[6], r[7]))
    if not aisles or len(crosses) < 2 or not depots:
        return None
    return Layout(
        warehouse=code,
        aisles=tuple(Aisle(a[1], a[2], a[3], a[4]) for a in aisles),
        cross_aisles=tuple(crosses),
        depots=tuple(Depot(d[1], d[2], d[3], d[5]) for d in depots),
    )


def aisle_lines(layout: Layout) -> dict[str, float]:
    """Each aisle's centre line (``x``) by its code."""
    return {a.code: a.x for a in layout.aisles}


def access_point(aisles: dict[str, float], aisle: str, y: float) -> Point | None:
    """A location's access point: its aisle's centre line at its ``y``; None when its aisle is
    not in the layout (``aisles``: ``aisle_lines``)."""
    x = aisles.get(aisle)
    return None if x is None else Point(x, y, aisle)


def _aisle_x(uow: UnitOfWork, warehouse_id: int, layout: Layout | None) -> dict[str, float]:
    """Each aisle's centre line: from the layout when the caller has read it already."""
    if layout is not None:
        return aisle_lines(layout)
    return dict(
        uow.session.execute(
            select(LayoutAisle.code, LayoutAisle.x).where(LayoutAisle.warehouse_id == warehouse_id)
        )
        .tuples()
        .all()
    )


@step
def located_points(
    uow: UnitOfWork,
    warehouse_id: int,
    location_ids: Iterable[int],
    layout: Layout | None = None,
) -> dict[int, tuple[str, Point]]:
    """Each location's code and access point; a location whose aisle is not in the layout is
    left out (the caller decides: refuse, or fall back to the location's own x and y). Pass the
    ``layout`` when it was read already: one statement fewer."""
    ids = sorted(set(location_ids))
    if not ids:
        return {}
    aisles = _aisle_x(uow, warehouse_id, layout)
    out: dict[int, tuple[str, Point]] = {}
    for i in range(0, len(ids), 2000):
        rows = uow.session.execute(
            select(Location.id, Location.code, Location.aisle, Location.y).where(
                Location.id.in_(ids[i : i + 2000])
            )
        ).tuples()
        for loc_id, code, aisle, y in rows:
            point = access_point(aisles, aisle, y)
            if point is not None:
                out[loc_id] = (code, point)
    return out


@step
def access_points(
    uow: UnitOfWork, warehouse_id: int, location_ids: Iterable[int]
) -> dict[int, Point]:
    """Each location's access point (``located_points`` without the codes)."""
    return {
        i: point for i, (_code, point) in located_points(uow, warehouse_id, location_ids).items()
    }
