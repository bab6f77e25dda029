"""What the Waves screen and ``packdesk waves list`` show: waves with their progress, a wave's
batches, a batch's route, and the allocated orders waiting for a wave."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from app.db.models import (
    Cart,
    Channel,
    Order,
    OrderLine,
    PickBatch,
    PickTask,
    Reservation,
    StockLevel,
    User,
    Wave,
    WaveOrder,
)
from app.db.uow import UnitOfWork
from app.domain.layout import Layout
from app.domain.routing import Stop, route_length, walk_path
from app.domain.users import Actor, Permission
from app.domain.waves import TaskStatus, WaveStatus
from app.services.access import reads
from app.services.layout_views import LayoutView, MapAisle, MapCrossAisle, MapDepot
from app.services.layouts import read_layout_view
from app.services.wave_plan import LIVE, WaveSummary
from app.services.wave_walk import walk_for

_FINISHED = (TaskStatus.DONE.value, TaskStatus.SHORT.value)


@reads
def list_waves(uow: UnitOfWork, actor: Actor, include_closed: bool = True) -> list[WaveSummary]:
    """Waves, newest first, with their counts and task progress (closed ones: picked and
    cancelled, unless left out)."""
    with uow:
        uow.require(actor, Permission.VIEW_ORDERS)
        s = uow.session
        orders = (
            select(WaveOrder.wave_id, func.count().label("n"))
            .group_by(WaveOrder.wave_id)
            .subquery()
        )
        batches = (
            select(PickBatch.wave_id, func.count().label("n"))
            .group_by(PickBatch.wave_id)
            .subquery()
        )
        tasks = (
            select(
                PickBatch.wave_id,
                func.count(PickTask.id).label("n"),
                func.count(PickTask.id).filter(PickTask.status.in_(_FINISHED)).label("done"),
            )
            .join(PickTask, PickTask.batch_id == PickBatch.id)
            .where(PickTask.status != TaskStatus.CANCELLED.value)
            .group_by(PickBatch.wave_id)
            .subquery()
        )
        stmt = (
            select(Wave, Cart.code, orders.c.n, batches.c.n, tasks.c.n, tasks.c.done)
            .outerjoin(Cart, Cart.id == Wave.cart_id)
            .outerjoin(orders, orders.c.wave_id == Wave.id)
            .outerjoin(batches, batches.c.wave_id == Wave.id)
            .outerjoin(tasks, tasks.c.wave_id == Wave.id)
            .order_by(Wave.id.desc())
        )
        if not include_closed:
            stmt = stmt.where(Wave.status.in_(LIVE))
        return [
            WaveSummary(
                w.id,
                w.number,
                w.status,
                w.pick_method,
                n_orders or 0,
                n_batches or 0,
                w.planned_m,
                w.priority,
                cart or "",
                w.created_at,
                n_tasks or 0,
                done or 0,
            )
            for w, cart, n_orders, n_batches, n_tasks, done in s.execute(stmt).tuples()
        ]


@dataclass(frozen=True)
class BatchRow:
    id: int
    wave_number: str
    number: int
    status: str
    orders: int
    tasks: int
    tasks_done: int
    planned_m: float
    walked_m: float
    assigned_to: str
    claimed_by: str

    @property
    def label(self) -> str:
        return f"{self.wave_number}-{self.number}"


@reads
def wave_batches(uow: UnitOfWork, actor: Actor, wave_id: int) -> list[BatchRow]:
    """A wave's batches in number order, with who has them and their progress."""
    with uow:
        uow.require(actor, Permission.VIEW_ORDERS)
        s = uow.session
        number = s.scalar(select(Wave.number).where(Wave.id == wave_id)) or ""
        assigned, claimed = aliased(User), aliased(User)
        rows = s.execute(
            select(PickBatch, assigned.username, claimed.username)
            .outerjoin(assigned, assigned.id == PickBatch.assigned_to)
            .outerjoin(claimed, claimed.id == PickBatch.claimed_by)
            .where(PickBatch.wave_id == wave_id)
            .order_by(PickBatch.number)
        ).tuples()
        out = []
        for b, who_assigned, who_claimed in rows:
            n_orders = s.scalar(select(func.count()).where(WaveOrder.batch_id == b.id)) or 0
            n_tasks, done = s.execute(
                select(
                    func.count(PickTask.id),
                    func.count(PickTask.id).filter(PickTask.status.in_(_FINISHED)),
                ).where(PickTask.batch_id == b.id, PickTask.status != TaskStatus.CANCELLED.value)
            ).one()
            out.append(
                BatchRow(
                    b.id,
                    number,
                    b.number,
                    b.status,
                    n_orders,
                    int(n_tasks),
                    int(done),
                    b.planned_m,
                    b.walked_m,
                    who_assigned or "",
                    who_claimed or "",
                )
            )
        return out


@dataclass(frozen=True)
class BatchRoute:
    """A batch's walk for the map: the stops in visiting order and the walked polyline."""

    warehouse_id: int
    #: what the map draws (the real layout, or the made-up block when there is none)
    layout: LayoutView
    stops: tuple[tuple[str, float, float], ...]
    path: tuple[tuple[float, float], ...]
    length_m: float
    made_up_layout: bool


@reads
def batch_route(uow: UnitOfWork, actor: Actor, batch_id: int) -> BatchRoute | None:
    """The planned walk of a batch: its tasks' locations in task order once released, else its
    orders' reserved locations routed."""
    with uow:
        uow.require(actor, Permission.VIEW_ORDERS)
        s = uow.session
        batch = s.get(PickBatch, batch_id)
        if batch is None:
            return None
        wave = s.get(Wave, batch.wave_id)
        assert wave is not None
        ordered = list(
            dict.fromkeys(
                s.scalars(
                    select(PickTask.location_id)
                    .where(PickTask.batch_id == batch_id)
                    .order_by(PickTask.seq)
                )
            )
        )
        if not ordered:
            ordered = list(
                s.scalars(
                    select(StockLevel.location_id)
                    .join(Reservation, Reservation.stock_level_id == StockLevel.id)
                    .join(OrderLine, OrderLine.id == Reservation.order_line_id)
                    .join(WaveOrder, WaveOrder.order_id == OrderLine.order_id)
                    .where(WaveOrder.batch_id == batch_id)
                    .distinct()
                )
            )
        walk = walk_for(uow, wave.warehouse_id, ordered)
        stops: list[Stop] = [walk.stop(i) for i in ordered]
        if not s.scalar(select(func.count()).where(PickTask.batch_id == batch_id)):
            stops = list(walk.route(ordered).stops)
        if walk.made_up:
            view = made_up_view(wave.warehouse_id, walk.layout)
        else:
            view = read_layout_view(uow, wave.warehouse_id, with_locations=True)
        return BatchRoute(
            wave.warehouse_id,
            view,
            tuple((st.key, st.point.x, st.point.y) for st in stops),
            tuple(walk_path(walk.layout, stops)),
            route_length(walk.layout, stops),
            walk.made_up,
        )


def made_up_view(warehouse_id: int, layout: Layout) -> LayoutView:
    """The made-up block of a warehouse without a layout, for the map."""
    return LayoutView(
        warehouse_id=warehouse_id,
        warehouse=layout.warehouse,
        aisles=tuple(MapAisle(a.code, a.x, a.y_from, a.y_to) for a in layout.aisles),
        cross_aisles=tuple(MapCrossAisle(y) for y in layout.cross_aisles),
        depots=tuple(
            MapDepot(d.code, d.name, d.x, d.y, i == 0) for i, d in enumerate(layout.depots)
        ),
    )


@dataclass(frozen=True)
class WaitingOrder:
    """An allocated order in no wave yet."""

    id: int
    number: str
    priority: int
    channel: str
    units: int
    placed_at: datetime


@reads
def waiting_orders(uow: UnitOfWork, actor: Actor, limit: int = 2000) -> list[WaitingOrder]:
    """Allocated orders in no live wave, highest priority then oldest first."""
    with uow:
        uow.require(actor, Permission.VIEW_ORDERS)
        s = uow.session
        in_wave = (
            select(WaveOrder.order_id)
            .join(Wave, Wave.id == WaveOrder.wave_id)
            .where(Wave.status.in_(LIVE))
        )
        # the page of orders first, then the units of those only: summing the lines of every
        # allocated order before the limit took seconds at a million orders. The page is read
        # in its order from ix_orders_status_priority_placed and stops at the limit; it is a
        # common table expression, read once (as a subquery it was read twice: for the rows and
        # for the units)
        page = (
            select(Order.id, Order.priority, Order.placed_at)
            .where(Order.status == "allocated", ~Order.id.in_(in_wave))
            .order_by(Order.priority.desc(), Order.placed_at, Order.id)
            .limit(limit)
            .cte("page")
        )
        units = (
            select(OrderLine.order_id, func.sum(OrderLine.qty).label("units"))
            .where(OrderLine.order_id.in_(select(page.c.id)))
            .group_by(OrderLine.order_id)
            .subquery()
        )
        rows = s.execute(
            select(
                Order.id,
                Order.number,
                Order.priority,
                Channel.name,
                func.coalesce(units.c.units, 0),
                Order.placed_at,
            )
            .join(page, page.c.id == Order.id)
            .join(Channel, Channel.id == Order.channel_id)
            .outerjoin(units, units.c.order_id == Order.id)
            .order_by(page.c.priority.desc(), page.c.placed_at, page.c.id)
        ).tuples()
        return [WaitingOrder(i, n, p, c, int(u), t) for i, n, p, c, u, t in rows]


def closed(status: str) -> bool:
    return status in (WaveStatus.PICKED, WaveStatus.CANCELLED)
