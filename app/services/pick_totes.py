"""A full tote on the cart: the empty tote that takes its place for the rest of the order.

The picker scans FULL TOTE, puts an empty tote in the slot and scans it: from then on the
order's units go into the new tote (``wave_orders.tote_code``). The full tote keeps what is in
it, still reserved for the order's lines, so the pack bench finds both totes of the order by
their reservations.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.models import Location, PickBatch, PickTask, StockLevel, WaveOrder
from app.db.uow import UnitOfWork
from app.domain.users import Actor
from app.domain.waves import BatchStatus
from app.services.access import step


def tote_taken(session: Session, batch: PickBatch, task: PickTask, code: str) -> bool:
    """The tote holds stock, or it is another order's (or another batch's bulk tote) in a batch
    still being worked: it cannot replace a full one."""
    key = code.strip().upper()
    live = [BatchStatus.READY.value, BatchStatus.PICKING.value, BatchStatus.PICKED.value]
    others = session.scalar(
        select(func.count(WaveOrder.id))
        .join(PickBatch, PickBatch.id == WaveOrder.batch_id)
        .where(
            func.upper(WaveOrder.tote_code) == key,
            PickBatch.status.in_(live),
            ~((WaveOrder.batch_id == batch.id) & (WaveOrder.tote_slot == task.tote_slot)),
        )
    )
    bulk = session.scalar(
        select(func.count(PickBatch.id)).where(
            func.upper(PickBatch.bulk_tote) == key, PickBatch.status.in_(live)
        )
    )
    held = session.scalar(
        select(func.coalesce(func.sum(StockLevel.on_hand), 0))
        .join(Location, Location.id == StockLevel.location_id)
        .where(func.upper(Location.code) == key)
    )
    return bool(others or bulk or held)


@step
def change_tote(
    uow: UnitOfWork, actor: Actor, batch: PickBatch, task: PickTask, old: str, new: str
) -> None:
    """The order of the task (its tote slot) goes on into ``new``; audited."""
    rows = uow.session.scalars(
        select(WaveOrder).where(
            WaveOrder.batch_id == batch.id, WaveOrder.tote_slot == task.tote_slot
        )
    ).all()
    for row in rows:
        row.tote_code = new
    uow.audit(
        actor,
        "pick.full_tote",
        "pick_batch",
        batch.id,
        {"tote": old, "slot": task.tote_slot},
        {"tote": new, "slot": task.tote_slot},
    )
