"""An order the channel cancels while it is being picked or packed (not called by screens).

Such an order cannot simply be cancelled here: goods are in a tote or a parcel. It is held
with "cancelled in the channel: stop and put back"; its reservations stay as they are, so the
record of what it took from which location is there while the items are put back. The Review
queue shows it first; pick and pack stations refuse a held order. A reviewer then cancels it
(``order_actions.cancel``), which gives the reserved stock back. Releasing or editing it is
refused while the stop hold is open.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import Order, OrderHold
from app.db.uow import UnitOfWork
from app.domain.errors import ValidationError
from app.domain.holds import STOP_CODES, hold
from app.domain.orders import STOP_HOLDABLE, OrderStatus, status_note
from app.domain.users import Actor
from app.services.access import step
from app.services.orders import transition


@step
def hold_to_stop(uow: UnitOfWork, actor: Actor, order: Order) -> None:
    """Hold ``order`` (picking, picked, packing or packed) because the channel cancelled it;
    its status change is historied and audited. The caller commits."""
    stage = OrderStatus(order.status)
    if stage not in STOP_HOLDABLE:
        raise ValueError(f"order {order.number} is {stage}, not being picked or packed")
    transition(
        uow,
        actor,
        order,
        OrderStatus.ON_HOLD,
        note=status_note("cancelled_in_channel_stop", stage=stage.value),
    )
    reason = hold("cancelled_stop", "cancelled_stop", stage=stage.value)
    uow.session.add(
        OrderHold(
            order_id=order.id,
            code=reason.code,
            reason=reason.reason,
            template=reason.template,
            params=dict(reason.params),
            created_by=actor.user_id,
        )
    )


def stopped(session: Session, order_ids: Sequence[int]) -> set[int]:
    """The orders among ``order_ids`` held to stop and put back (an open stop hold)."""
    found: set[int] = set()
    ids = list(order_ids)
    for i in range(0, len(ids), 500):
        found.update(
            session.scalars(
                select(OrderHold.order_id).where(
                    OrderHold.order_id.in_(ids[i : i + 500]),
                    OrderHold.code.in_(sorted(STOP_CODES)),
                    OrderHold.resolved_at.is_(None),
                )
            )
        )
    return found


def refuse_stopped(session: Session, orders: Sequence[tuple[int, str]]) -> None:
    """Refuse to change (edit, merge, split) an order held to stop and put back: ``orders``
    are (id, number)."""
    stops = stopped(session, [oid for oid, _ in orders])
    for oid, number in orders:
        if oid in stops:
            raise ValidationError(
                "Order {number} was cancelled in the channel while it was being picked or "
                "packed: put the items back, then cancel it. It cannot be changed.",
                number=number,
            )
