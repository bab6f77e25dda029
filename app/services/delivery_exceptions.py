"""The delivery exceptions queue a supervisor works: listing it, finding the parcels that went
silent ("no scan for N days"), and resolving an exception with a note (audited).

Resolving needs ``Permission.RESOLVE_DELIVERY`` (supervisors and administrators); finding silent
parcels is part of following deliveries (``Permission.SHIP``, which supervisors have too)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from app.db.models import (
    Carrier,
    DeliveryException,
    Order,
    Parcel,
    TrackingEvent,
    User,
    utcnow,
)
from app.db.uow import UnitOfWork
from app.domain.delivery import FINAL_STATUSES, ExceptionKind, is_stale
from app.domain.errors import NotFound, PackdeskError, ValidationError
from app.domain.users import Actor, Permission
from app.services.access import reads, writes
from app.services.delivery_apply import deliver_ready
from app.services.delivery_settings import stale_days_in


class AlreadyResolved(PackdeskError):
    template = (
        "This exception of order {order} was resolved already by {user} at {time}. "
        "Refresh the list."
    )


@dataclass(frozen=True)
class DeliveryExceptionView:
    id: int
    order_id: int
    order_number: str
    order_status: str
    parcel_id: int
    tracking_number: str
    carrier: str
    kind: str
    since: datetime
    detail: str
    #: the parcel's latest event: our status, the carrier's words, when, where ("" / None)
    last_status: str
    last_raw: str
    last_at: datetime | None
    last_place: str
    status: str
    resolved_at: datetime | None = None
    resolution_note: str = ""


@dataclass(frozen=True)
class StaleReport:
    days: int
    #: shipped parcels still under way that were looked at
    checked: int
    #: no-scan exceptions opened now
    opened: int
    #: parcels silent for more than ``days`` (opened now or before)
    stale: int
    #: shipped orders found signed for already (delivered before their handover closed)
    delivered: int = 0


@reads
def list_exceptions(
    uow: UnitOfWork, actor: Actor, kind: str | None = None, *, resolved: bool = False
) -> list[DeliveryExceptionView]:
    """The open exceptions (or, with ``resolved``, the resolved ones), oldest first; ``kind``
    filters by kind."""
    with uow:
        uow.require(actor, Permission.SHIP)
        s = uow.session
        q = (
            select(DeliveryException, Order.number, Order.status, Parcel.tracking_number)
            .add_columns(Carrier.code)
            .join(Order, Order.id == DeliveryException.order_id)
            .join(Parcel, Parcel.id == DeliveryException.parcel_id)
            .outerjoin(Carrier, Carrier.id == Parcel.carrier_id)
            .where(DeliveryException.status == ("resolved" if resolved else "open"))
            .order_by(DeliveryException.since, DeliveryException.id)
        )
        if kind:
            q = q.where(DeliveryException.kind == kind)
        rows = s.execute(q.limit(2000)).all()
        last = _last_events(uow, [x.parcel_id for x, *_ in rows])
        return [
            _view(x, number, ostatus, tracking or "", carrier or "", last.get(x.parcel_id))
            for x, number, ostatus, tracking, carrier in rows
        ]


def _view(
    x: DeliveryException,
    number: str,
    order_status: str,
    tracking: str,
    carrier: str,
    last: TrackingEvent | None,
) -> DeliveryExceptionView:
    return DeliveryExceptionView(
        id=x.id,
        order_id=x.order_id,
        order_number=number,
        order_status=order_status,
        parcel_id=x.parcel_id,
        tracking_number=tracking,
        carrier=carrier,
        kind=x.kind,
        since=x.since,
        detail=x.detail,
        last_status=last.status if last else "",
        last_raw=last.raw_status if last else "",
        last_at=last.event_at if last else None,
        last_place=last.place if last else "",
        status=x.status,
        resolved_at=x.resolved_at,
        resolution_note=x.resolution_note,
    )


def _last_events(uow: UnitOfWork, parcel_ids: list[int]) -> dict[int, TrackingEvent]:
    out: dict[int, TrackingEvent] = {}
    for i in range(0, len(parcel_ids), 500):
        for e in uow.session.scalars(
            select(TrackingEvent)
            .where(TrackingEvent.parcel_id.in_(parcel_ids[i : i + 500]))
            .order_by(TrackingEvent.event_at, TrackingEvent.id)
        ):
            out[e.parcel_id] = e
    return out


@writes(Permission.SHIP)
def find_stale(
    uow: UnitOfWork, actor: Actor, *, days: int | None = None, now: datetime | None = None
) -> StaleReport:
    """Open a ``no_scan`` exception for every shipped parcel whose last event (or, without
    one, its shipping) is older than ``days`` (None: the settings' N, default 3)."""
    with uow:
        uow.require(actor, Permission.SHIP)
        s = uow.session
        n = days if days is not None else stale_days_in(s)
        if not 1 <= n <= 60:
            raise ValidationError("The days without a scan are a whole number from 1 to 60.")
        moment = now or utcnow()
        last_at = (
            select(TrackingEvent.parcel_id, func.max(TrackingEvent.event_at).label("at"))
            .group_by(TrackingEvent.parcel_id)
            .subquery()
        )
        rows = s.execute(
            select(Parcel.id, Parcel.order_id, Parcel.shipped_at, Parcel.labelled_at, last_at.c.at)
            .join(Order, Order.id == Parcel.order_id)
            .outerjoin(last_at, last_at.c.parcel_id == Parcel.id)
            .where(
                Order.status == "shipped",
                Parcel.voided_at.is_(None),
                Parcel.tracking_number.is_not(None),
            )
        ).all()
        finished = _finished(uow, [r[0] for r in rows])
        already = set(
            s.scalars(
                select(DeliveryException.parcel_id).where(
                    DeliveryException.status == "open",
                    DeliveryException.kind == ExceptionKind.NO_SCAN.value,
                )
            )
        )
        # shipped orders already signed for (a delivery imported before the handover closed)
        signed = sorted({oid for pid, oid, *_ in rows if pid in finished})
        delivered = deliver_ready(uow, actor, signed)
        checked = opened = stale = 0
        for pid, oid, shipped_at, labelled_at, at in rows:
            if pid in finished:
                continue
            checked += 1
            if not is_stale(at, shipped_at or labelled_at, moment, n):
                continue
            stale += 1
            if pid in already:
                continue
            since = at or shipped_at or labelled_at
            s.add(DeliveryException(parcel_id=pid, order_id=oid, kind="no_scan", since=since))
            opened += 1
        report = StaleReport(n, checked, opened, stale, len(delivered))
        if opened:
            uow.audit(actor, "delivery.stale", "tracking", "", after={"days": n, "opened": opened})
        uow.commit()
        return report


def _finished(uow: UnitOfWork, parcel_ids: list[int]) -> set[int]:
    out: set[int] = set()
    finals = [s.value for s in FINAL_STATUSES]
    for i in range(0, len(parcel_ids), 500):
        out.update(
            uow.session.scalars(
                select(TrackingEvent.parcel_id).where(
                    TrackingEvent.parcel_id.in_(parcel_ids[i : i + 500]),
                    TrackingEvent.status.in_(finals),
                )
            )
        )
    return out


@writes(Permission.RESOLVE_DELIVERY)
def resolve_exception(
    uow: UnitOfWork, actor: Actor, exception_id: int, note: str
) -> DeliveryExceptionView:
    """Close an exception with the supervisor's note (what was done: claimed from the carrier,
    sent again, customer refunded...); audited."""
    with uow:
        uow.require(actor, Permission.RESOLVE_DELIVERY)
        s = uow.session
        note = note.strip()
        if not note:
            raise ValidationError("Write what was done about it before resolving it.")
        x = s.get(DeliveryException, exception_id)
        if x is None:
            raise NotFound(what="Delivery exception", key=str(exception_id))
        order = s.get_one(Order, x.order_id)
        if x.status != "open":
            who = s.scalar(select(User.username).where(User.id == x.resolved_by))
            when = x.resolved_at.astimezone().strftime("%Y-%m-%d %H:%M") if x.resolved_at else ""
            raise AlreadyResolved(order=order.number, user=who or "system", time=when)
        x.status, x.resolved_at, x.resolved_by = "resolved", utcnow(), actor.user_id
        x.resolution_note = note[:2000]
        uow.audit(
            actor,
            "delivery.resolve",
            "order",
            order.number,
            before={"kind": x.kind, "status": "open"},
            after={"status": "resolved"},
            note=note,
        )
        s.flush()
        parcel = s.get_one(Parcel, x.parcel_id)
        carrier = s.get(Carrier, parcel.carrier_id) if parcel.carrier_id else None
        last = _last_events(uow, [x.parcel_id]).get(x.parcel_id)
        view = _view(
            x,
            order.number,
            order.status,
            parcel.tracking_number or "",
            carrier.code if carrier else "",
            last,
        )
        uow.commit()
        return view
