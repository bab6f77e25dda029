"""Closing a batch when nothing is left to pick, inside the caller's unit of work.

A batch is done when every task is done, short or cancelled and none is open or skipped. Its
orders still ``picking`` move to ``picked`` for pick-to-tote and single-unit batches; orders
picked then sorted stay ``picking`` until the sort wall completes their slots. The wave is
``picked`` when all its batches are.
"""

from __future__ import annotations

from sqlalchemy import func, select

from app.db.models import Order, PickBatch, PickTask, Wave, WaveOrder, utcnow
from app.db.uow import UnitOfWork
from app.domain.orders import OrderStatus
from app.domain.users import Actor
from app.domain.waves import BatchStatus, PickMethod, TaskStatus, WaveStatus
from app.services.access import step
from app.services.orders import StatusMove, transition_many

_OPEN = (TaskStatus.OPEN.value, TaskStatus.SKIPPED.value)
_OVER = (BatchStatus.PICKED.value, BatchStatus.CANCELLED.value)


@step
def finish_if_done(
    uow: UnitOfWork, actor: Actor, batch: PickBatch, left: int | None = None
) -> bool:
    """Close the batch (and its orders, and the wave) when nothing is left; True when closed.
    ``left``: the tasks still open or skipped when the caller has just read them (flushed)."""
    s = uow.session
    s.flush()
    if left is None:
        left = s.scalar(
            select(func.count(PickTask.id)).where(
                PickTask.batch_id == batch.id, PickTask.status.in_(_OPEN)
            )
        )
    if left:
        return False
    wave = s.get_one(Wave, batch.wave_id)
    batch.status, batch.finished_at = BatchStatus.PICKED.value, utcnow()
    if wave.pick_method != PickMethod.PICK_SORT.value:
        rows = s.execute(
            select(Order.id, Order.number, Order.status, Order.version)
            .join(WaveOrder, WaveOrder.order_id == Order.id)
            .where(WaveOrder.batch_id == batch.id, Order.status == OrderStatus.PICKING.value)
            .order_by(Order.id)
        ).all()
        moves = [
            StatusMove(
                r.id, r.number, r.status, r.version, f"batch {wave.number}-{batch.number} picked"
            )
            for r in rows
        ]
        transition_many(uow, actor, moves, OrderStatus.PICKED)
    s.flush()
    open_batches = s.scalar(
        select(func.count(PickBatch.id)).where(
            PickBatch.wave_id == wave.id, PickBatch.status.not_in(_OVER)
        )
    )
    # a pick-then-sort wave is picked when its orders are: the sort wall closes it
    if not open_batches and wave.pick_method != PickMethod.PICK_SORT:
        wave.status, wave.finished_at = WaveStatus.PICKED.value, utcnow()
    uow.audit(
        actor,
        "pick.batch_done",
        "pick_batch",
        batch.id,
        {"status": "picking"},
        {"status": batch.status, "wave": wave.number, "wave_status": wave.status},
    )
    return True
