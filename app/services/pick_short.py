"""A short pick, inside the caller's unit of work.

The units found are what the task put into the tote; the rest of each order line's reservation
at this location is given back (the shelf does not have it), a recount of the location is
recorded, and the rest is reserved elsewhere when free stock allows (the allocation rules
rank the buckets): one new task per location, inserted into the walk where it adds the least
distance, ``replaces_task_id`` naming the short task. What cannot be found anywhere follows the
shortage policy (backorder the line, or hold the order) and is written down for the supervisor
in ``pick_exceptions``.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select, update

from app.db.models import (
    Location,
    Lot,
    Order,
    OrderHold,
    OrderLine,
    PickBatch,
    PickException,
    PickTask,
    PickTaskPart,
    Product,
    RecountTask,
    StockLevel,
    utcnow,
)
from app.db.uow import UnitOfWork
from app.domain.allocation import (
    ALLOCATABLE_KINDS,
    Bucket,
    ShortagePolicy,
    allocate_line,
    shortage_reason,
)
from app.domain.layout import Point, walk_distance
from app.domain.orders import OrderStatus
from app.domain.users import Actor
from app.domain.waves import ShortReason, TaskStatus, TaskStep
from app.services.access import step
from app.services.allocation import local_today, read_rules
from app.services.layout_store import access_points, load_layout
from app.services.orders import transition
from app.services.pick_moves import give_back, open_parts
from app.services.stock import lock_bucket, lock_levels, reserve_locked


@dataclass(frozen=True)
class ShortReport:
    """What a short pick did: units found, re-allocated (new tasks), and left short."""

    found: int
    missing: int
    reallocated: int
    new_task_ids: tuple[int, ...]
    #: units the shortage policy took over, and what it did (backordered | held)
    short: int
    outcome: str


@step
def record_short(
    uow: UnitOfWork, actor: Actor, batch: PickBatch, task: PickTask, reason: ShortReason
) -> ShortReport:
    s = uow.session
    missing = task.qty - task.qty_picked
    needs = [(p, p.qty - p.qty_picked) for p in open_parts(s, task.id)]
    level = lock_bucket(s, task.location_id, task.product_id, task.lot_id)
    if level is not None:
        for part, n in needs:
            give_back(s, level, part, n)
    task.status, task.short_reason, task.step = TaskStatus.SHORT.value, reason.value, "location"
    task.done_at, task.done_by, task.held_qty, task.held_lot_id = utcnow(), actor.user_id, 0, None
    s.add(
        RecountTask(
            location_id=task.location_id,
            product_id=task.product_id,
            reason=reason.value,
            pick_task_id=task.id,
            created_by=actor.user_id,
        )
    )
    s.flush()
    new_ids, left = _reallocate(uow, batch, task, needs)
    outcome = _apply_policy(uow, actor, batch, task, left, reason) if left else ""
    short = sum(left.values())
    uow.audit(
        actor,
        "pick.short",
        "pick_task",
        task.id,
        {"qty": task.qty},
        {
            "found": task.qty_picked,
            "reason": reason.value,
            "reallocated": missing - short,
            "short": short,
            "outcome": outcome,
        },
    )
    return ShortReport(task.qty_picked, missing, missing - short, tuple(new_ids), short, outcome)


def _buckets(uow: UnitOfWork, batch_wh: int, task: PickTask) -> list[Bucket]:
    rows = uow.session.execute(
        select(
            StockLevel.id,
            StockLevel.on_hand - StockLevel.reserved,
            Location.kind,
            StockLevel.first_received_at,
            Lot.expiry_date,
            Location.sequence,
        )
        .join(Location, Location.id == StockLevel.location_id)
        .outerjoin(Lot, Lot.id == StockLevel.lot_id)
        .where(
            StockLevel.product_id == task.product_id,
            StockLevel.location_id != task.location_id,
            StockLevel.on_hand > StockLevel.reserved,
            Location.warehouse_id == batch_wh,
            Location.kind.in_(ALLOCATABLE_KINDS),
            Location.active.is_(True),
        )
        .order_by(StockLevel.id)
        .with_for_update(of=StockLevel)
    )
    return [Bucket(*row) for row in rows]


def _reallocate(
    uow: UnitOfWork, batch: PickBatch, task: PickTask, needs: list[tuple[PickTaskPart, int]]
) -> tuple[list[int], dict[int, int]]:
    """Reserve the missing units elsewhere; the new tasks, and units still short per part."""
    s = uow.session
    wh = s.get_one(Location, task.location_id).warehouse_id
    product = s.get_one(Product, task.product_id)
    rules = read_rules(s)
    plan = allocate_line(
        sum(n for _, n in needs),
        _buckets(uow, wh, task),
        fefo=product.expiry_tracked,
        today=local_today(),
        min_shelf_life_days=rules.min_shelf_life_days,
    )
    levels = lock_levels(s, [t.stock_level_id for t in plan.takes])
    left = {p.id: n for p, n in needs}
    parts = {p.id: p for p, _ in needs}
    new_ids: list[int] = []
    for take in plan.takes:
        level, qty = levels[take.stock_level_id], take.qty
        loc = s.get_one(Location, level.location_id)
        new = PickTask(
            batch_id=batch.id,
            seq=0,
            location_id=loc.id,
            product_id=task.product_id,
            lot_id=level.lot_id,
            qty=qty,
            tote_slot=task.tote_slot,
            replaces_task_id=task.id,
            step=TaskStep.LOCATION.value,
        )
        new.seq = _insert_seq(uow, batch, wh, task.location_id, loc.id)
        s.add(new)
        s.flush()
        for pid, n in list(left.items()):
            if qty == 0:
                break
            k = min(n, qty)
            if k == 0:
                continue
            part = parts[pid]
            res = reserve_locked(
                s, level, part.order_line_id, k, sku=product.sku, location=loc.code
            )
            s.flush()
            s.add(
                PickTaskPart(
                    task_id=new.id,
                    order_id=part.order_id,
                    order_line_id=part.order_line_id,
                    reservation_id=res.id,
                    qty=k,
                )
            )
            left[pid] -= k
            qty -= k
        new_ids.append(new.id)
    return new_ids, {pid: n for pid, n in left.items() if n}


def _insert_seq(uow: UnitOfWork, batch: PickBatch, wh: int, here_id: int, location_id: int) -> int:
    """The place in the walk where a stop at ``location_id`` adds the least distance, the picker
    standing at ``here_id``: before one of the open tasks still to come, or at the end (before
    the walk back to the depot). Later tasks move up by one."""
    s = uow.session
    rows = s.execute(
        select(PickTask.seq, PickTask.location_id)
        .where(
            PickTask.batch_id == batch.id,
            PickTask.status.in_([TaskStatus.OPEN.value, TaskStatus.SKIPPED.value]),
        )
        .order_by(PickTask.seq)
    ).all()
    last = (
        s.scalar(
            select(PickTask.seq)
            .where(PickTask.batch_id == batch.id)
            .order_by(PickTask.seq.desc())
            .limit(1)
        )
        or 0
    )
    layout = load_layout(uow, wh)
    points = access_points(uow, wh, [loc for _, loc in rows] + [location_id, here_id])
    here = points.get(location_id)
    best_seq, best_cost = last + 1, float("inf")
    if layout is not None and here is not None:
        depot = layout.depot_point()
        stops: list[tuple[int | None, Point]] = [(q, points.get(loc, depot)) for q, loc in rows]
        chain = [(None, points.get(here_id, depot)), *stops, (None, depot)]
        for (_, a), (seq_b, b) in itertools.pairwise(chain):
            cost = walk_distance(layout, a, here) + walk_distance(layout, here, b)
            cost -= walk_distance(layout, a, b)
            if cost < best_cost:
                best_cost, best_seq = cost, (seq_b if seq_b is not None else last + 1)
    if best_seq <= last:
        s.execute(
            update(PickTask)
            .where(PickTask.batch_id == batch.id, PickTask.seq >= best_seq)
            .values(seq=PickTask.seq + 1)
        )
    return best_seq


def _apply_policy(
    uow: UnitOfWork,
    actor: Actor,
    batch: PickBatch,
    task: PickTask,
    left: dict[int, int],
    reason: ShortReason,
) -> str:
    """The shortage policy for the units found nowhere; one exception row per order line."""
    s = uow.session
    policy = read_rules(s).shortage_policy
    outcome = "held" if policy is ShortagePolicy.HOLD else "backordered"
    per_line: dict[int, int] = defaultdict(int)
    orders: dict[int, int] = {}
    for pid, n in left.items():
        part = s.get_one(PickTaskPart, pid)
        per_line[part.order_line_id] += n
        orders[part.order_line_id] = part.order_id
    for line_id, n in per_line.items():
        line = s.get_one(OrderLine, line_id)
        order = s.get_one(Order, orders[line_id])
        if policy is ShortagePolicy.BACKORDER:
            line.qty_backordered += n
        elif order.status == OrderStatus.PICKING.value:
            why = shortage_reason(line.sku, line.qty, line.qty - n)
            s.add(
                OrderHold(
                    order_id=order.id,
                    code=why.code,
                    reason=why.reason,
                    template=why.template,
                    params=dict(why.params),
                    created_by=actor.user_id,
                )
            )
            transition(uow, actor, order, OrderStatus.ON_HOLD, note="short pick")
        s.add(
            PickException(
                wave_id=batch.wave_id,
                batch_id=batch.id,
                pick_task_id=task.id,
                order_id=order.id,
                order_line_id=line_id,
                product_id=task.product_id,
                location_id=task.location_id,
                qty_short=n,
                reason=reason.value,
                outcome=outcome,
                created_by=actor.user_id,
            )
        )
    return outcome
