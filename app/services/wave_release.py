"""Releasing a wave: its pick tasks are made in route order and its orders go to ``picking``.

- Pick to tote (cluster): one task per location, product, lot and order, into the order's tote
  slot (``wave_orders.tote_code`` = ``CART-nn``).
- Single-unit orders and pick then sort: one task per location, product and lot, summing every
  order's reservation there (one part per reservation), into the batch's bulk tote
  (``pick_batches.bulk_tote`` = ``CART-BULK``); pick then sort also gives each order its sort
  wall slot (1, 2, 3... in the batch).
- Tasks are numbered 10, 20, 30... in the order of the batch's planned route, so tasks added
  later (a short pick's replacement) fit between.

A wave is released only as planned: when one of its orders is no longer allocated (cancelled,
deallocated, held) the release is refused and the wave must be re-planned.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import Cart, Order, PickBatch, PickTask, PickTaskPart, Wave, WaveOrder, utcnow
from app.db.uow import UnitOfWork
from app.domain.errors import ValidationError
from app.domain.orders import OrderStatus
from app.domain.users import Actor, Permission
from app.domain.wave_rules import bulk_tote_code, tote_code
from app.domain.waves import BatchStatus, PickMethod, WaveStatus
from app.services.access import step, writes
from app.services.orders import StatusMove, transition_many
from app.services.wave_walk import Reserved, Walk, reserved_stock, walk_for

#: between two tasks' ``seq``: room for tasks inserted later
SEQ_STEP = 10


@dataclass(frozen=True)
class ReleaseSummary:
    number: str
    status: str
    tasks: int
    batches: int

    def as_dict(self) -> dict[str, object]:
        return {
            "number": self.number,
            "status": self.status,
            "tasks": self.tasks,
            "batches": self.batches,
        }


def find_wave(s: Session, wave: str, *, lock: bool = False) -> Wave:
    stmt = select(Wave).where(Wave.number == wave.strip().upper())
    if lock:
        stmt = stmt.with_for_update()
    found = s.scalar(stmt)
    if found is None:
        raise ValidationError("There is no wave {wave}. Check the wave number.", wave=wave)
    return found


def _moves(s: Session, wave: Wave) -> list[StatusMove]:
    """The wave's orders as they are now; refused unless every one is still allocated."""
    rows = s.execute(
        select(Order.id, Order.number, Order.status, Order.version)
        .join(WaveOrder, WaveOrder.order_id == Order.id)
        .where(WaveOrder.wave_id == wave.id)
        .order_by(Order.id)
    ).tuples()
    moves = []
    for oid, number, status, version in rows:
        if status != OrderStatus.ALLOCATED:
            raise ValidationError(
                "Order {number} of wave {wave} is {status} now, no longer allocated. "
                "Re-plan the wave, then release it.",
                number=number,
                wave=wave.number,
                status=status,
            )
        moves.append(StatusMove(oid, number, status, version, note=f"wave {wave.number}"))
    return moves


def _task_key(r: Reserved, bulk: bool) -> tuple[int, int, int | None, int]:
    return (r.location_id, r.product_id, r.lot_id, 0 if bulk else r.order_id)


def _make_tasks(
    s: Session,
    walk: Walk,
    batch: PickBatch,
    slots: dict[int, int | None],
    bulk: bool,
    res: list[Reserved],
) -> int:
    """The batch's tasks in route order, with their parts; returns how many."""
    route = walk.route(r.location_id for r in res)
    visit = {stop.key: i for i, stop in enumerate(route.stops)}
    groups: dict[tuple[int, int, int | None, int], list[Reserved]] = defaultdict(list)
    for r in res:
        groups[_task_key(r, bulk)].append(r)

    def order(key: tuple[int, int, int | None, int]) -> tuple[int, int, int, int, int]:
        loc, product, lot, oid = key
        return (visit[walk.codes[loc]], product, lot or 0, slots.get(oid) or 0, oid)

    keys = sorted(groups, key=order)
    for i, key in enumerate(keys, 1):
        loc, product, lot, oid = key
        parts = groups[key]
        task = PickTask(
            batch_id=batch.id,
            seq=i * SEQ_STEP,
            location_id=loc,
            product_id=product,
            lot_id=lot,
            qty=sum(p.qty for p in parts),
            tote_slot=None if bulk else slots.get(oid),
        )
        s.add(task)
        s.flush()
        s.add_all(
            PickTaskPart(
                task_id=task.id,
                order_id=p.order_id,
                order_line_id=p.order_line_id,
                reservation_id=p.reservation_id,
                qty=p.qty,
            )
            for p in parts
        )
    return len(keys)


@step
def make_tasks(uow: UnitOfWork, wave: Wave) -> int:
    """Every batch's pick tasks and the totes of the wave's orders; returns the number of tasks."""
    s = uow.session
    cart_code = s.scalar(select(Cart.code).where(Cart.id == wave.cart_id)) or "CART"
    bulk = wave.pick_method != PickMethod.CLUSTER
    places = s.scalars(select(WaveOrder).where(WaveOrder.wave_id == wave.id)).all()
    res = reserved_stock(s, [p.order_id for p in places])
    walk = walk_for(uow, wave.warehouse_id, [r.location_id for r in res])
    by_batch: dict[int | None, list[WaveOrder]] = defaultdict(list)
    for p in places:
        by_batch[p.batch_id].append(p)
    tasks = 0
    for batch in s.scalars(
        select(PickBatch).where(PickBatch.wave_id == wave.id).order_by(PickBatch.number)
    ):
        members = sorted(by_batch[batch.id], key=lambda p: (p.tote_slot or 0, p.order_id))
        for n, p in enumerate(members, 1):
            if bulk:
                p.tote_code = bulk_tote_code(cart_code)
                p.wall_slot = n if wave.pick_method == PickMethod.PICK_SORT else None
            else:
                p.tote_code = tote_code(cart_code, p.tote_slot or n)
        batch.bulk_tote = bulk_tote_code(cart_code) if bulk else ""
        batch.status = BatchStatus.READY.value
        ids = {p.order_id for p in members}
        slots = {p.order_id: p.tote_slot for p in members}
        tasks += _make_tasks(s, walk, batch, slots, bulk, [r for r in res if r.order_id in ids])
    return tasks


@writes(Permission.PLAN_WAVES)
def release_wave(uow: UnitOfWork, actor: Actor, wave: str) -> ReleaseSummary:
    """Release a planned wave (by number): pick tasks in route order, orders to ``picking``,
    batches ready to claim."""
    with uow:
        uow.require(actor, Permission.PLAN_WAVES)
        s = uow.session
        w = find_wave(s, wave, lock=True)
        if w.status != WaveStatus.PLANNED:
            raise ValidationError(
                "Wave {wave} is {status}; only a planned wave can be released.",
                wave=w.number,
                status=w.status,
            )
        moves = _moves(s, w)
        tasks = make_tasks(uow, w)
        transition_many(uow, actor, moves, OrderStatus.PICKING)
        w.status = WaveStatus.RELEASED.value
        w.released_at = utcnow()
        w.released_by = actor.user_id
        batches = len(s.scalars(select(PickBatch.id).where(PickBatch.wave_id == w.id)).all())
        uow.audit(
            actor,
            "wave.release",
            "wave",
            w.number,
            before={"status": WaveStatus.PLANNED.value},
            after={"status": w.status, "tasks": tasks, "orders": len(moves)},
        )
        uow.commit()
        return ReleaseSummary(w.number, w.status, tasks, batches)
