"""What the Ship screen and the command line read about handovers: the reconciliation of a
carrier's day (parcels packed against parcels scanned, and the missing ones) and the list of
handovers.

**Missing** are the carrier's labelled parcels (not voided, not shipped) that are on no
handover and were labelled before the end of the day: the day's own, and also those packed on
earlier days and never handed over (a warehouse wants to see a parcel left behind yesterday).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, exists, func, select
from sqlalchemy.orm import Session

from app.db.models import Carrier, Handover, HandoverParcel, Order, Parcel, Station, User
from app.db.uow import UnitOfWork
from app.domain import handover as rules
from app.domain.users import Actor, Permission
from app.services.access import reads


@dataclass(frozen=True)
class MissingParcel:
    """A labelled parcel of the carrier that is on no handover."""

    parcel_id: int
    order_number: str
    order_status: str
    tracking: str
    seq: int
    station: str
    packer: str
    labelled_at: datetime | None
    weight_g: int | None
    #: labelled on an earlier day than the one reconciled
    earlier: bool


@dataclass(frozen=True)
class Reconciliation:
    """A carrier's day: parcels packed that day against those scanned, and what is missing."""

    carrier_id: int
    carrier_code: str
    carrier_name: str
    day: date
    #: labelled that day for the carrier, not voided
    packed: int
    #: of those, on a handover (open or closed)
    scanned: int
    missing: tuple[MissingParcel, ...]
    #: the day's open handover, if any, and the parcels on it
    open_handover_id: int | None
    open_handover: str
    on_open: int
    #: the day's handovers, by number
    handovers: tuple[str, ...]

    @property
    def expected(self) -> int:
        """What the open handover should end with: its parcels and the missing ones."""
        return self.on_open + len(self.missing)


@dataclass(frozen=True)
class HandoverRow:
    id: int
    number: str
    carrier_code: str
    day: date
    status: str
    parcels: int
    weight_kg: float
    opened_at: datetime
    closed_at: datetime | None
    manifest_path: str


def _not_handed() -> ColumnElement[bool]:
    return ~exists().where(HandoverParcel.parcel_id == Parcel.id)


def _missing_where(carrier_id: int, day: date) -> list[ColumnElement[bool]]:
    _, end = rules.day_bounds(day)
    return [
        Parcel.carrier_id == carrier_id,
        Parcel.status == "labelled",
        Parcel.labelled_at < end,
        _not_handed(),
    ]


def count_missing(s: Session, carrier_id: int, day: date) -> int:
    """How many of the carrier's labelled parcels, up to the end of ``day``, are on no handover."""
    where = _missing_where(carrier_id, day)
    return s.scalar(select(func.count(Parcel.id)).where(*where)) or 0


def missing_parcels(s: Session, carrier_id: int, day: date) -> tuple[MissingParcel, ...]:
    start, _ = rules.day_bounds(day)
    rows = s.execute(
        select(
            Parcel.id, Order.number, Order.status, Parcel.tracking_number, Parcel.seq,
            Station.code, User.username, Parcel.labelled_at, Parcel.weight_g,
        )
        .join(Order, Order.id == Parcel.order_id)
        .outerjoin(Station, Station.id == Parcel.station_id)
        .outerjoin(User, User.id == Parcel.created_by)
        .where(*_missing_where(carrier_id, day))
        .order_by(Parcel.labelled_at, Parcel.id)
    ).all()  # fmt: skip
    return tuple(
        MissingParcel(
            pid,
            number,
            status,
            tracking or "",
            seq,
            station or "",
            packer or "",
            at,
            weight,
            at is not None and at < start,
        )
        for pid, number, status, tracking, seq, station, packer, at, weight in rows
    )


@reads
def reconcile(uow: UnitOfWork, actor: Actor, carrier_id: int, day: date) -> Reconciliation:
    """The carrier's ``day`` (the warehouse's local calendar day): packed against scanned, the
    missing parcels (with order, tracking, station and packer) and the open handover."""
    with uow:
        uow.require(actor, Permission.SHIP)
        return reconcile_in(uow.session, carrier_id, day)


def reconcile_in(s: Session, carrier_id: int, day: date) -> Reconciliation:
    carrier = s.get(Carrier, carrier_id)
    if carrier is None:
        raise rules.HandoverNotFound(key=str(carrier_id))
    start, end = rules.day_bounds(day)
    today = and_(
        Parcel.carrier_id == carrier_id,
        Parcel.status != "voided",
        Parcel.labelled_at >= start,
        Parcel.labelled_at < end,
    )
    packed = s.scalar(select(func.count(Parcel.id)).where(today)) or 0
    scanned = (
        s.scalar(
            select(func.count(Parcel.id))
            .join(HandoverParcel, HandoverParcel.parcel_id == Parcel.id)
            .where(today)
        )
        or 0
    )
    handovers = s.execute(
        select(Handover.id, Handover.number, Handover.status)
        .where(Handover.carrier_id == carrier_id, Handover.day == day)
        .order_by(Handover.seq)
    ).all()
    open_row = next((h for h in handovers if h.status == rules.OPEN), None)
    on_open = 0
    if open_row is not None:
        on_open = (
            s.scalar(
                select(func.count(HandoverParcel.id)).where(
                    HandoverParcel.handover_id == open_row.id
                )
            )
            or 0
        )
    return Reconciliation(
        carrier.id, carrier.code, carrier.name, day, packed, scanned,
        missing_parcels(s, carrier_id, day),
        open_row.id if open_row else None, open_row.number if open_row else "", on_open,
        tuple(h.number for h in handovers),
    )  # fmt: skip


@reads
def list_handovers(
    uow: UnitOfWork, actor: Actor, *, day: date | None = None, carrier_id: int | None = None
) -> tuple[HandoverRow, ...]:
    """The handovers of a day (all days when None), newest first, with their parcels' count and
    weight (an open one's as scanned so far)."""
    with uow:
        uow.require(actor, Permission.SHIP)
        s = uow.session
        counts = (
            select(
                HandoverParcel.handover_id.label("hid"),
                func.count(Parcel.id).label("n"),
                func.coalesce(func.sum(Parcel.weight_g), 0).label("g"),
            )
            .join(Parcel, Parcel.id == HandoverParcel.parcel_id)
            .group_by(HandoverParcel.handover_id)
            .subquery()
        )
        stmt = (
            select(Handover, Carrier.code, counts.c.n, counts.c.g)
            .join(Carrier, Carrier.id == Handover.carrier_id)
            .outerjoin(counts, counts.c.hid == Handover.id)
            .order_by(Handover.day.desc(), Carrier.code, Handover.seq.desc())
        )
        if day is not None:
            stmt = stmt.where(Handover.day == day)
        if carrier_id is not None:
            stmt = stmt.where(Handover.carrier_id == carrier_id)
        return tuple(
            HandoverRow(
                h.id,
                h.number,
                code,
                h.day,
                h.status,
                int(n or 0),
                round(int(g or 0) / 1000, 3),
                h.opened_at,
                h.closed_at,
                h.manifest_path,
            )
            for h, code, n, g in s.execute(stmt)
        )


@reads
def find_handover(uow: UnitOfWork, actor: Actor, ref: str) -> int:
    """A handover's id from its id or number (HO-...)."""
    with uow:
        uow.require(actor, Permission.SHIP)
        text = ref.strip()
        hid = uow.session.scalar(select(Handover.id).where(Handover.number == text.upper()))
        if hid is None and text.isdigit():
            hid = uow.session.scalar(select(Handover.id).where(Handover.id == int(text)))
        if hid is None:
            raise rules.HandoverNotFound(key=text)
        return hid


@reads
def find_carrier(uow: UnitOfWork, actor: Actor, ref: str) -> int:
    """A carrier's id from its code (any case) or id."""
    with uow:
        uow.require(actor, Permission.SHIP)
        text = ref.strip()
        cid = uow.session.scalar(select(Carrier.id).where(func.upper(Carrier.code) == text.upper()))
        if cid is None and text.isdigit():
            cid = uow.session.scalar(select(Carrier.id).where(Carrier.id == int(text)))
        if cid is None:
            raise rules.UnknownCarrier(carrier=text)
        return cid


@dataclass(frozen=True)
class LastClosed:
    id: int
    number: str
    parcels: int


def last_closed(s: Session, carrier_id: int, day: date) -> LastClosed | None:
    """The carrier's handover of ``day`` closed last (what Reopen acts on)."""
    row = s.execute(
        select(Handover.id, Handover.number, Handover.parcels)
        .where(
            Handover.carrier_id == carrier_id,
            Handover.day == day,
            Handover.status == rules.CLOSED,
        )
        .order_by(Handover.closed_at.desc(), Handover.id.desc())
        .limit(1)
    ).first()
    return LastClosed(row[0], row[1], row[2]) if row is not None else None
