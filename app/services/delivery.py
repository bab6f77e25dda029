"""Delivery tracking (签收): importing carrier status files, asking carrier plug-ins, and a
parcel's tracking history. What the events do is ``app.services.delivery_apply``; the
exceptions queue is ``app.services.delivery_exceptions``."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from app.carriers import registry
from app.carriers.base import TrackingNotSupported, TrackingPlugin, TrackingUpdate
from app.db.models import Carrier, Order, Parcel, TrackingEvent
from app.db.uow import UnitOfWork
from app.domain import tracking
from app.domain.delivery import FINAL_STATUSES, Event, read_status
from app.domain.users import Actor, Permission
from app.importers import tracking_status_file
from app.importers.records import RowProblem
from app.services.access import reads, writes
from app.services.delivery_apply import Applied, record_events
from app.services.delivery_settings import mapping_in

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class UnknownNumber:
    row: int
    tracking_number: str


@dataclass(frozen=True)
class TrackingImportResult:
    """What an import (or a plug-in poll) did. ``rows``: data rows read (or events fetched);
    ``events``: new events stored (an event stored before is a ``duplicate``); ``delivered``:
    orders that became delivered; ``exceptions``: exceptions opened."""

    source: str
    rows: int
    events: int
    duplicates: int
    delivered: int
    delivered_orders: tuple[str, ...]
    exceptions: int
    not_handed_over: int
    unknown: tuple[UnknownNumber, ...]
    errors: tuple[RowProblem, ...]


@dataclass(frozen=True)
class TrackingEventView:
    """One event of an order's parcel, for the order detail (newest first)."""

    parcel_id: int
    parcel_seq: int
    tracking_number: str
    status: str
    raw_status: str
    at: datetime
    place: str
    source: str


@writes(Permission.SHIP)
def import_tracking_file(
    uow: UnitOfWork, actor: Actor, path: Path, *, mapping: str | None = None
) -> TrackingImportResult:
    """Read a carrier status file through the saved mapping ``mapping`` (None: the columns are
    found from the header) and record its events; audited."""
    with uow:
        uow.require(actor, Permission.SHIP)
        chosen = mapping_in(uow.session, mapping) if mapping else None
        rows, problems, _ = tracking_status_file.read(Path(path), chosen)
        events = [Event(r.tracking_number, r.status, r.raw_status, r.at, r.place) for r in rows]
        applied = record_events(uow, actor, events, Path(path).name)
        result = _result(uow, Path(path).name, len(rows) + len(problems), applied, problems)
        unknown_rows = [UnknownNumber(rows[i].row, n) for n, i in applied.unknown.items()]
        result = _with_unknown(result, unknown_rows)
        _audit(uow, actor, "tracking.import", result)
        uow.commit()
        return result


@writes(Permission.SHIP)
def poll_carrier_tracking(
    uow: UnitOfWork, actor: Actor, *, carrier: str | None = None, limit: int = 500
) -> tuple[TrackingImportResult, ...]:
    """Ask each carrier whose plug-in offers ``track`` (or only the carrier whose code is
    ``carrier``) about its shipped parcels still under way, and record what it answers as an
    imported file would be.
    The plug-ins are called outside any transaction (a slow API holds no lock)."""
    with uow:
        uow.require(actor, Permission.SHIP)
        asks = _parcels_to_ask(uow, carrier, limit)
    answers: list[tuple[str, list[Event]]] = []
    for ask in asks:
        plugin = registry.plugin(ask.plugin, ask.code)
        if carrier and not isinstance(plugin, TrackingPlugin):
            raise TrackingNotSupported(carrier=ask.code, plugin=ask.plugin)
        if isinstance(plugin, TrackingPlugin):
            updates = plugin.track(ask.numbers, ask.config)
            answers.append((f"plugin:{ask.plugin}", _events(updates)))
    out: list[TrackingImportResult] = []
    with uow:
        uow.require(actor, Permission.SHIP)
        for source, events in answers:
            applied = record_events(uow, actor, events, source)
            result = _result(uow, source, len(events), applied, [])
            unknown = [UnknownNumber(0, n) for n in applied.unknown]
            out.append(_with_unknown(result, unknown))
            _audit(uow, actor, "tracking.poll", out[-1])
        uow.commit()
    return tuple(out)


@dataclass(frozen=True)
class _Ask:
    code: str
    plugin: str
    config: dict[str, object]
    numbers: list[str]


def _parcels_to_ask(uow: UnitOfWork, carrier: str | None, limit: int) -> list[_Ask]:
    """Numbers of shipped parcels whose latest event is not final, per carrier."""
    q = (
        select(Carrier.id, Carrier.code, Carrier.plugin, Carrier.plugin_config, Parcel.id)
        .add_columns(Parcel.tracking_number)
        .join(Parcel, Parcel.carrier_id == Carrier.id)
        .join(Order, Order.id == Parcel.order_id)
        .where(
            Order.status == "shipped",
            Parcel.voided_at.is_(None),
            Parcel.tracking_number.is_not(None),
            Carrier.active.is_(True),
        )
        .order_by(Parcel.id)
    )
    if carrier:
        q = q.where(Carrier.code == carrier)
    rows = uow.session.execute(q).all()
    finished = set(
        uow.session.scalars(
            select(TrackingEvent.parcel_id).where(
                TrackingEvent.parcel_id.in_([r[4] for r in rows]),
                TrackingEvent.status.in_([s.value for s in FINAL_STATUSES]),
            )
        )
    )
    asks: dict[int, _Ask] = {}
    for cid, code, plugin, config, pid, number in rows:
        ask = asks.setdefault(cid, _Ask(code, plugin, dict(config or {}), []))
        if pid not in finished and len(ask.numbers) < limit:
            ask.numbers.append(str(number))
    return [a for a in asks.values() if a.numbers]


def _events(updates: Sequence[TrackingUpdate]) -> list[Event]:
    out: list[Event] = []
    for u in updates:
        status = read_status(u.status)
        if status is None or u.at.tzinfo is None:
            log.warning("tracking plug-in event left out: %r", u)
            continue
        out.append(Event(tracking.normalise(u.tracking_number), status, u.status, u.at, u.place))
    return out


def _result(
    uow: UnitOfWork, source: str, rows: int, a: Applied, problems: list[RowProblem]
) -> TrackingImportResult:
    numbers: tuple[str, ...] = ()
    if a.delivered_orders:
        numbers = tuple(
            uow.session.scalars(
                select(Order.number).where(Order.id.in_(a.delivered_orders)).order_by(Order.number)
            )
        )
    return TrackingImportResult(
        source=source,
        rows=rows,
        events=a.events,
        duplicates=a.duplicates,
        delivered=len(a.delivered_orders),
        delivered_orders=numbers,
        exceptions=a.exceptions,
        not_handed_over=a.not_handed_over,
        unknown=(),
        errors=tuple(sorted(problems, key=lambda p: p.row)),
    )


def _with_unknown(r: TrackingImportResult, unknown: list[UnknownNumber]) -> TrackingImportResult:
    return replace(r, unknown=tuple(sorted(unknown, key=lambda u: (u.row, u.tracking_number))))


def _audit(uow: UnitOfWork, actor: Actor, action: str, r: TrackingImportResult) -> None:
    uow.audit(
        actor,
        action,
        "tracking",
        r.source,
        after={
            "rows": r.rows,
            "events": r.events,
            "duplicates": r.duplicates,
            "delivered": list(r.delivered_orders),
            "exceptions": r.exceptions,
            "unknown": len(r.unknown),
            "errors": len(r.errors),
        },
    )


@reads
def tracking_history(uow: UnitOfWork, actor: Actor, order_id: int) -> tuple[TrackingEventView, ...]:
    """The events of every parcel of the order, newest first."""
    with uow:
        uow.require(actor, Permission.VIEW_ORDERS)
        rows = uow.session.execute(
            select(TrackingEvent, Parcel.seq)
            .join(Parcel, Parcel.id == TrackingEvent.parcel_id)
            .where(Parcel.order_id == order_id)
            .order_by(TrackingEvent.event_at.desc(), TrackingEvent.id.desc())
        ).all()
        return tuple(
            TrackingEventView(
                parcel_id=e.parcel_id,
                parcel_seq=int(seq),
                tracking_number=e.tracking_number,
                status=e.status,
                raw_status=e.raw_status,
                at=e.event_at,
                place=e.place,
                source=e.source,
            )
            for e, seq in rows
        )
