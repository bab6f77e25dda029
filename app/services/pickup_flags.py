"""The pickup flag follows the pickup patterns: when a supervisor changes them, the orders not
yet packed are flagged again from the shipping method the channel gave."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.db.models import Order
from app.domain.orders import OrderStatus
from app.domain.payments import matches_any

S = OrderStatus
#: orders whose way out may still change: nothing is packed yet
NOT_PACKED = (S.NEW, S.ON_HOLD, S.RELEASED, S.ALLOCATED, S.PICKING, S.PICKED)


def reflag(session: Session, patterns: Sequence[str]) -> tuple[int, int]:
    """Set each not-yet-packed order's pickup flag from its shipping method and ``patterns``;
    (orders now pickup, orders no longer pickup)."""
    now_pickup: list[int] = []
    no_longer: list[int] = []
    rows = session.execute(
        select(Order.id, Order.shipping_method, Order.pickup).where(
            Order.status.in_([s.value for s in NOT_PACKED]), Order.shipping_method != ""
        )
    )
    for oid, method, flagged in rows:
        wanted = matches_any(method, patterns)
        if wanted and not flagged:
            now_pickup.append(oid)
        elif flagged and not wanted:
            no_longer.append(oid)
    for ids, value in ((now_pickup, True), (no_longer, False)):
        for i in range(0, len(ids), 900):
            session.execute(
                update(Order)
                .where(Order.id.in_(ids[i : i + 900]))
                .values(pickup=value, version=Order.version + 1)
            )
    return len(now_pickup), len(no_longer)
