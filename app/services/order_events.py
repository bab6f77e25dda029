"""What happens after an order moves on its path, outside the step that moved it.

The shipping steps call these inside their own unit of work, once the orders have changed status,
so the follow-ups (the customer's notices) are queued in the same transaction and never lost or
sent for a change that was rolled back.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.db.uow import UnitOfWork
from app.domain.users import Actor
from app.services.access import step
from app.services.notices import queue_notices


@step
def orders_shipped(uow: UnitOfWork, actor: Actor, order_ids: Sequence[int]) -> int:
    """The orders were handed to their carrier (status ``shipped``); returns the follow-ups
    queued: the customers' "shipped" notices (docs/notices.md)."""
    return queue_notices(uow, actor, order_ids, "shipped")


@step
def orders_delivered(uow: UnitOfWork, actor: Actor, order_ids: Sequence[int]) -> int:
    """The carrier reported the orders delivered (status ``delivered``); returns the follow-ups
    queued: the customers' "delivered" notices (docs/notices.md)."""
    return queue_notices(uow, actor, order_ids, "delivered")
