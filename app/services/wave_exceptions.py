"""What the floor could not do, for the supervisor: open pick exceptions (a short pick with no
stock elsewhere; the backorder policy already decided what happened to the order) and marking
one resolved once it has been looked at."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.db.models import Location, Order, PickBatch, PickException, Product, Wave, utcnow
from app.db.uow import UnitOfWork
from app.domain.errors import ValidationError
from app.domain.users import Actor, Permission
from app.services.access import reads, writes


@dataclass(frozen=True)
class ExceptionRow:
    id: int
    created_at: datetime
    wave: str
    batch: str
    order: str
    sku: str
    location: str
    qty_short: int
    #: empty | damaged | not_found
    reason: str
    #: what the backorder policy did
    outcome: str


@reads
def open_exceptions(uow: UnitOfWork, actor: Actor) -> list[ExceptionRow]:
    """Unresolved pick exceptions, oldest first."""
    with uow:
        uow.require(actor, Permission.PLAN_WAVES)
        rows = uow.session.execute(
            select(
                PickException,
                Wave.number,
                PickBatch.number,
                Order.number,
                Product.sku,
                Location.code,
            )
            .join(Order, Order.id == PickException.order_id)
            .outerjoin(Wave, Wave.id == PickException.wave_id)
            .outerjoin(PickBatch, PickBatch.id == PickException.batch_id)
            .outerjoin(Product, Product.id == PickException.product_id)
            .outerjoin(Location, Location.id == PickException.location_id)
            .where(PickException.resolved_at.is_(None))
            .order_by(PickException.id)
        ).tuples()
        return [
            ExceptionRow(
                e.id,
                e.created_at,
                wave or "",
                f"{wave}-{batch}" if wave and batch else "",
                order,
                sku or "",
                loc or "",
                e.qty_short,
                e.reason,
                e.outcome,
            )
            for e, wave, batch, order, sku, loc in rows
        ]


@writes(Permission.PLAN_WAVES)
def resolve_exception(uow: UnitOfWork, actor: Actor, exception_id: int) -> None:
    """Mark a pick exception as dealt with (it leaves the open list; the record stays)."""
    with uow:
        uow.require(actor, Permission.PLAN_WAVES)
        e = uow.session.get(PickException, exception_id)
        if e is None or e.resolved_at is not None:
            raise ValidationError(
                "This pick exception is already resolved or gone. Refresh the list."
            )
        e.resolved_at = utcnow()
        e.resolved_by = actor.user_id
        uow.audit(actor, "pick_exception.resolve", "pick_exception", e.id)
        uow.commit()
