"""Recording carrier events: the one path a status file and a carrier plug-in both take.

Each event's number is matched to its parcel (not voided); the new events are stored (one
already stored is skipped); lost, damaged, returned and problem events open an exception; a
delivery reported for an order that was never handed over opens a ``not_handed_over`` exception
and the order stays ``packed``; an order whose every parcel was delivered becomes ``delivered``
(its history says when) and the order events are told. A parcel scanned again after it was
flagged silent has its ``no_scan`` exception closed by the system.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.db.models import DeliveryException, Order, Parcel, TrackingEvent, utcnow
from app.db.models.delivery import RAW_STATUS_MAX
from app.db.uow import UnitOfWork
from app.domain.delivery import EXCEPTION_OF, DeliveryStatus, Event, ExceptionKind
from app.domain.orders import OrderStatus, status_note
from app.domain.users import Actor
from app.services import order_events
from app.services.access import step
from app.services.orders import transition

#: order statuses from which a delivery is a handover that never happened here
NOT_HANDED_OVER = frozenset({OrderStatus.PACKED.value, OrderStatus.PACKING.value})


@dataclass
class Applied:
    """What recording a batch of events did."""

    events: int = 0
    duplicates: int = 0
    #: numbers no parcel has (with the index of their first event in the batch)
    unknown: dict[str, int] = field(default_factory=dict)
    delivered_orders: list[int] = field(default_factory=list)
    exceptions: int = 0
    not_handed_over: int = 0


@dataclass(frozen=True)
class _Parcel:
    id: int
    order_id: int


def parcels_by_number(session: Session, numbers: Sequence[str]) -> dict[str, _Parcel]:
    """The parcel (not voided) of each number; a number used again after a void is the newer."""
    found: dict[str, _Parcel] = {}
    unique = sorted(set(numbers))
    for i in range(0, len(unique), 500):
        rows = session.execute(
            select(Parcel.tracking_number, Parcel.id, Parcel.order_id)
            .where(
                Parcel.tracking_number.in_(unique[i : i + 500]),
                Parcel.voided_at.is_(None),
                Parcel.status != "voided",
            )
            .order_by(Parcel.id)
        )
        for number, pid, oid in rows:
            found[str(number)] = _Parcel(int(pid), int(oid))
    return found


@step
def record_events(uow: UnitOfWork, actor: Actor, events: Sequence[Event], source: str) -> Applied:
    """Store ``events`` and act on them (see the module's doc). The caller commits."""
    s = uow.session
    out = Applied()
    parcels = parcels_by_number(s, [e.tracking_number for e in events])
    fresh: list[tuple[Event, _Parcel]] = []
    seen = _stored_keys(s, [p.id for p in parcels.values()])
    for i, e in enumerate(events):
        p = parcels.get(e.tracking_number)
        if p is None:
            out.unknown.setdefault(e.tracking_number, i)
            continue
        key = (p.id, e.at, e.raw_status[:RAW_STATUS_MAX])
        if key in seen:
            out.duplicates += 1
            continue
        seen.add(key)
        fresh.append((e, p))
    _insert(s, actor, fresh, source)
    out.events = len(fresh)
    _open_exceptions(s, fresh, out)
    _close_silences(s, fresh)
    # every order the batch names: one delivered before its handover is delivered once shipped
    out.delivered_orders = deliver_ready(uow, actor, sorted({p.order_id for p in parcels.values()}))
    return out


@step
def deliver_ready(uow: UnitOfWork, actor: Actor, order_ids: Sequence[int]) -> list[int]:
    """Of ``order_ids``, the orders ``shipped`` whose every live parcel's latest event is a
    delivery become ``delivered`` and the order events are told; returns their ids."""
    done = _deliver(uow, actor, list(order_ids))
    if done:
        order_events.orders_delivered(uow, actor, done)
    return done


def _stored_keys(session: Session, parcel_ids: list[int]) -> set[tuple[int, datetime, str]]:
    keys: set[tuple[int, datetime, str]] = set()
    for i in range(0, len(parcel_ids), 500):
        rows = session.execute(
            select(TrackingEvent.parcel_id, TrackingEvent.event_at, TrackingEvent.raw_status).where(
                TrackingEvent.parcel_id.in_(parcel_ids[i : i + 500])
            )
        )
        keys.update((int(p), at, str(raw)) for p, at, raw in rows)
    return keys


def _insert(
    session: Session, actor: Actor, fresh: list[tuple[Event, _Parcel]], source: str
) -> None:
    if not fresh:
        return
    now = utcnow()
    rows = [
        {
            "parcel_id": p.id,
            "tracking_number": e.tracking_number,
            "status": e.status.value,
            "raw_status": e.raw_status[:RAW_STATUS_MAX],
            "event_at": e.at,
            "place": e.place[:200],
            "source": source[:200],
            "imported_at": now,
            "imported_by": actor.user_id,
        }
        for e, p in fresh
    ]
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    # another import of the same file at the same moment: its rows win, ours are skipped
    session.execute(dialect.insert(TrackingEvent).on_conflict_do_nothing(), rows)


def _open_exceptions(session: Session, fresh: list[tuple[Event, _Parcel]], out: Applied) -> None:
    wanted: dict[tuple[int, str], tuple[Event, _Parcel]] = {}
    statuses = _order_statuses(session, sorted({p.order_id for _, p in fresh}))
    for e, p in fresh:
        kind = EXCEPTION_OF.get(e.status)
        delivered = e.status == DeliveryStatus.DELIVERED
        if kind is None and delivered and statuses.get(p.order_id) in NOT_HANDED_OVER:
            kind = ExceptionKind.NOT_HANDED_OVER
        if kind is not None:
            wanted.setdefault((p.id, kind.value), (e, p))
    if not wanted:
        return
    open_now = set(
        session.execute(
            select(DeliveryException.parcel_id, DeliveryException.kind).where(
                DeliveryException.status == "open",
                DeliveryException.parcel_id.in_({pid for pid, _ in wanted}),
            )
        ).tuples()
    )
    for (pid, kind_value), (e, p) in wanted.items():
        if (pid, kind_value) in open_now:
            continue
        session.add(
            DeliveryException(
                parcel_id=pid,
                order_id=p.order_id,
                kind=kind_value,
                since=e.at,
                detail=" ".join(x for x in (e.raw_status, e.place) if x),
            )
        )
        out.exceptions += 1
        out.not_handed_over += kind_value == ExceptionKind.NOT_HANDED_OVER.value
    session.flush()


def _close_silences(session: Session, fresh: list[tuple[Event, _Parcel]]) -> None:
    """A ``no_scan`` exception is closed by a newer event of its parcel."""
    newest: dict[int, datetime] = {}
    for e, p in fresh:
        newest[p.id] = max(newest.get(p.id, e.at), e.at)
    if not newest:
        return
    silent = session.scalars(
        select(DeliveryException).where(
            DeliveryException.status == "open",
            DeliveryException.kind == ExceptionKind.NO_SCAN.value,
            DeliveryException.parcel_id.in_(list(newest)),
        )
    )
    now = utcnow()
    for x in silent:
        if newest[x.parcel_id] > x.since:
            x.status, x.resolved_at = "resolved", now
            x.resolution_note = "scanned again"


def _order_statuses(session: Session, order_ids: list[int]) -> dict[int, str]:
    if not order_ids:
        return {}
    rows = session.execute(select(Order.id, Order.status).where(Order.id.in_(order_ids)))
    return {int(i): str(st) for i, st in rows}


def latest_statuses(
    session: Session, order_ids: list[int]
) -> dict[int, dict[int, tuple[str, datetime]]]:
    """Per order, the latest event (status, time) of each parcel that has one."""
    out: dict[int, dict[int, tuple[str, datetime]]] = defaultdict(dict)
    if not order_ids:
        return out
    rows = session.execute(
        select(
            Parcel.order_id, TrackingEvent.parcel_id, TrackingEvent.status, TrackingEvent.event_at
        )
        .join(Parcel, Parcel.id == TrackingEvent.parcel_id)
        .where(Parcel.order_id.in_(order_ids))
        .order_by(TrackingEvent.event_at, TrackingEvent.id)
    )
    for oid, pid, status, at in rows:
        out[int(oid)][int(pid)] = (str(status), at)
    return out


def live_parcels(session: Session, order_ids: list[int]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = defaultdict(list)
    rows = session.execute(
        select(Parcel.order_id, Parcel.id).where(
            Parcel.order_id.in_(order_ids),
            Parcel.voided_at.is_(None),
            Parcel.status != "voided",
            Parcel.tracking_number.is_not(None),
        )
    )
    for oid, pid in rows:
        out[int(oid)].append(int(pid))
    return out


def _deliver(uow: UnitOfWork, actor: Actor, order_ids: list[int]) -> list[int]:
    """Orders ``shipped`` whose every live parcel's latest event is a delivery become
    ``delivered``; returns their ids."""
    s = uow.session
    if not order_ids:
        return []
    latest = latest_statuses(s, order_ids)
    parcels = live_parcels(s, order_ids)
    done: list[int] = []
    for order in s.scalars(
        select(Order).where(Order.id.in_(order_ids), Order.status == OrderStatus.SHIPPED.value)
    ):
        mine = parcels.get(order.id, [])
        events = latest.get(order.id, {})
        if not mine or any(events.get(pid, ("", None))[0] != "delivered" for pid in mine):
            continue
        at = max(events[pid][1] for pid in mine)
        note = status_note("delivered_at", time=at.astimezone().strftime("%Y-%m-%d %H:%M %z"))
        transition(uow, actor, order, OrderStatus.DELIVERED, note)
        done.append(order.id)
    if done:
        s.execute(
            update(DeliveryException)
            .where(
                DeliveryException.order_id.in_(done),
                DeliveryException.status == "open",
                DeliveryException.kind == ExceptionKind.NO_SCAN.value,
            )
            .values(status="resolved", resolved_at=utcnow(), resolution_note="delivered")
        )
    return done
