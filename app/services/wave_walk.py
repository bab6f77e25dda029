"""What waves walk on: the layout, the locations' points on it, and the reserved stock of the
orders of a wave (where each unit is taken from), read inside the caller's unit of work.

Without a layout (``load_layout`` gives None: no aisles, cross aisles or depot drawn yet) the
walk is measured on a made-up single block built from the locations' own ``x`` and ``y``: one
aisle per distinct ``x`` between the lowest and the highest ``y``, a front cross aisle one metre
before the lowest ``y`` and a back one a metre after the highest, and the depot at the front of
the first aisle. Batching and routing then still group and order the stops sensibly (the
distances are only as good as those coordinates). A location whose aisle the layout does not
have is placed at its own ``x``, ``y`` on no aisle.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import (
    LayoutDepot,
    Location,
    OrderLine,
    Product,
    Reservation,
    StockLevel,
    Warehouse,
)
from app.db.uow import UnitOfWork
from app.domain.layout import Aisle, Depot, Layout, Point
from app.domain.routing import Route, Stop, plan_route
from app.services.access import step
from app.services.layout_store import access_points, load_layout


@dataclass(frozen=True)
class Walk:
    """The layout of a warehouse and the points of the locations a wave visits."""

    layout: Layout
    points: dict[int, Point]
    codes: dict[int, str]
    #: the default depot's row (None on a made-up layout)
    depot_id: int | None = None
    made_up: bool = False

    def stop(self, location_id: int) -> Stop:
        return Stop(self.codes[location_id], self.points[location_id])

    def route(self, location_ids: Iterable[int]) -> Route:
        return plan_route(self.layout, [self.stop(i) for i in sorted(set(location_ids))])


def _made_up(s: Session, warehouse_id: int, code: str) -> Layout:
    rows = s.execute(
        select(Location.x, Location.y).where(
            Location.warehouse_id == warehouse_id, Location.active.is_(True)
        )
    ).all()
    xs = sorted({x for x, _ in rows}) or [0.0]
    ys = [y for _, y in rows] or [0.0]
    low, high = min(ys) - 1.0, max(ys) + 1.0
    return Layout(
        warehouse=code,
        aisles=tuple(Aisle(f"x{x:g}", x, low, high) for x in xs),
        cross_aisles=(low, high),
        depots=(Depot("DEPOT", xs[0], low),),
    )


@step
def walk_for(uow: UnitOfWork, warehouse_id: int, location_ids: Iterable[int]) -> Walk:
    """The walk model of ``warehouse_id`` for these locations (see the module's docstring)."""
    s = uow.session
    ids = sorted(set(location_ids))
    rows = (
        {
            i: (c, x, y)
            for i, c, x, y in s.execute(
                select(Location.id, Location.code, Location.x, Location.y).where(
                    Location.id.in_(ids)
                )
            ).tuples()
        }
        if ids
        else {}
    )
    codes = {i: r[0] for i, r in rows.items()}
    layout = load_layout(uow, warehouse_id)
    if layout is None:
        wh = s.scalar(select(Warehouse.code).where(Warehouse.id == warehouse_id)) or ""
        made = _made_up(s, warehouse_id, wh)
        points = {i: Point(x, y, f"x{x:g}") for i, (_, x, y) in rows.items()}
        return Walk(made, points, codes, None, True)
    points = access_points(uow, warehouse_id, ids)
    for i, (_, x, y) in rows.items():
        points.setdefault(i, Point(x, y))
    depot_id = s.scalar(
        select(LayoutDepot.id)
        .where(LayoutDepot.warehouse_id == warehouse_id)
        .order_by(LayoutDepot.is_default.desc(), LayoutDepot.id)
        .limit(1)
    )
    return Walk(layout, points, codes, depot_id)


@dataclass(frozen=True)
class Reserved:
    """One reservation of an order: which units are taken where."""

    order_id: int
    order_line_id: int
    reservation_id: int
    qty: int
    location_id: int
    warehouse_id: int
    product_id: int
    lot_id: int | None
    weight_g: int
    volume_cm3: int


def reserved_stock(s: Session, order_ids: Sequence[int]) -> list[Reserved]:
    """The reservations of these orders, by order, line and reservation."""
    out: list[Reserved] = []
    ids = sorted(set(order_ids))
    for i in range(0, len(ids), 1000):
        rows = s.execute(
            select(
                OrderLine.order_id,
                OrderLine.id,
                Reservation.id,
                Reservation.qty,
                StockLevel.location_id,
                Location.warehouse_id,
                StockLevel.product_id,
                StockLevel.lot_id,
                Product.weight_g,
                Product.length_mm,
                Product.width_mm,
                Product.height_mm,
            )
            .join(Reservation, Reservation.order_line_id == OrderLine.id)
            .join(StockLevel, StockLevel.id == Reservation.stock_level_id)
            .join(Location, Location.id == StockLevel.location_id)
            .join(Product, Product.id == StockLevel.product_id)
            .where(OrderLine.order_id.in_(ids[i : i + 1000]))
            .order_by(OrderLine.order_id, OrderLine.line_no, Reservation.id)
        ).tuples()
        for oid, lid, rid, qty, loc, wh, pid, lot, w, ln, wd, ht in rows:
            volume = (ln * wd * ht) // 1000  # mm3 -> cm3
            out.append(Reserved(oid, lid, rid, qty, loc, wh, pid, lot, w * qty, volume * qty))
    return out
