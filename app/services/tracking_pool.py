"""Tracking-number pools: loading numbers per carrier and service, handing them out once.

- ``take_number`` (the pack station's step): the next free number, never the same one twice
  (``FOR UPDATE SKIP LOCKED`` on PostgreSQL; the write lock on SQLite; and the unique
  constraint on (carrier, number)).
- ``load_pool``: a file of numbers and ranges (``app.importers.tracking_file``), each checked
  against the carrier's format; invalid ones and duplicates (in the pool or twice in the file)
  are refused with their row; the rest are inserted in bulk.
- ``pool_status`` / ``pool_left``: free, used and void counts, and whether a pool is low (fewer
  free numbers than the carrier's ``pool_low_warning``): what the pack and Carriers screens show.

Voiding numbers and the void report are in ``app.services.tracking_void``.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from app.db.bulk import bulk_insert
from app.db.models import Carrier, CarrierService, Parcel, TrackingNumber, utcnow
from app.db.uow import UnitOfWork
from app.domain import tracking
from app.domain.errors import PackdeskError
from app.domain.users import Actor, Permission
from app.importers import tracking_file
from app.importers.records import RowProblem
from app.services.access import reads, writes

FREE, USED, VOID = "free", "used", "void"


class UnknownCarrier(PackdeskError):
    template = "There is no carrier {carrier}. Use a carrier code from 'packdesk carriers list'."


class UnknownService(PackdeskError):
    template = (
        "The carrier {carrier} has no service {service}. Use one of its services: {services}."
    )


#: problems only the database can find (collected for translation like the file's own)
TRACKING_POOL_MESSAGES = {
    "in_pool": "{number} is already in the pool of {carrier}; it was not loaded again.",
    "twice": "{number} is in the file twice (first at row {first}); it was loaded once.",
}


class PoolEmpty(PackdeskError):
    template = (
        "No tracking numbers are left for {carrier} {service}. Load more numbers "
        "(packdesk carriers pool load), then scan the last item again."
    )


#: ``Session.info`` keys. KEEP_NUMBERS: {carrier id: [numbers]} a replayed action must use, in
#: order (the labels a station printed while the shared database was away, docs/offline.md);
#: TAKEN_NUMBERS: [(carrier id, number)] every number this session took, in order
KEEP_NUMBERS = "packdesk.keep_numbers"
TAKEN_NUMBERS = "packdesk.taken_numbers"


class NumberNotKept(PackdeskError):
    template = (
        "The tracking number {number} of {carrier} was printed while the shared database was "
        "away, but it is no longer free there ({status}). Void the label printed with it and "
        "print a new one."
    )


def take_number(session: Session, carrier_id: int, service_id: int | None, parcel_id: int) -> str:
    """The next free number of the carrier (for this service, or for any of its services),
    marked used by the parcel. On PostgreSQL a number another station is taking is skipped
    (``FOR UPDATE SKIP LOCKED``); on SQLite the write lock is held already. Numbers kept for a
    station's outages are not handed out; a replayed action takes the number its label was
    printed with (``KEEP_NUMBERS``)."""
    kept: list[str] = session.info.get(KEEP_NUMBERS, {}).get(carrier_id, [])
    if kept:
        row = _kept_number(session, carrier_id, kept.pop(0))
    else:
        row = _next_free(session, carrier_id, service_id, parcel_id)
    if row is None:
        carrier = session.get(Carrier, carrier_id)
        service = session.get(CarrierService, service_id) if service_id else None
        raise PoolEmpty(
            carrier=carrier.name if carrier else carrier_id,
            service=service.name if service else "",
        )
    session.execute(
        update(TrackingNumber)
        .where(TrackingNumber.id == row.id, TrackingNumber.status == FREE)
        .values(status=USED, parcel_id=parcel_id, used_at=utcnow(), reserved_station_id=None)
        .execution_options(synchronize_session=False)
    )
    session.info.setdefault(TAKEN_NUMBERS, []).append((carrier_id, str(row.number)))
    return str(row.number)


def _next_free(session: Session, carrier_id: int, service_id: int | None, parcel_id: int) -> Any:
    """Numbers nobody keeps first, then those kept for the parcel's own station."""
    station = select(Parcel.station_id).where(Parcel.id == parcel_id).scalar_subquery()
    service_ok = (
        TrackingNumber.carrier_service_id.is_(None)
        if service_id is None
        else TrackingNumber.carrier_service_id.in_([service_id])
        | TrackingNumber.carrier_service_id.is_(None)
    )
    return session.execute(
        select(TrackingNumber.id, TrackingNumber.number)
        .where(
            TrackingNumber.carrier_id == carrier_id,
            TrackingNumber.status == FREE,
            TrackingNumber.reserved_station_id.is_(None)
            | (TrackingNumber.reserved_station_id == station),
            service_ok,
        )
        .order_by(
            TrackingNumber.carrier_service_id.is_(None),
            TrackingNumber.reserved_station_id.is_not(None),
            TrackingNumber.id,
        )
        .limit(1)
        .with_for_update(skip_locked=True)
    ).first()


def _kept_number(session: Session, carrier_id: int, number: str) -> Any:
    """The row of a number printed offline, refused unless it is still free."""
    row = session.execute(
        select(TrackingNumber.id, TrackingNumber.number, TrackingNumber.status)
        .where(TrackingNumber.carrier_id == carrier_id, TrackingNumber.number == number)
        .with_for_update()
    ).first()
    if row is None or row.status != FREE:
        carrier = session.get(Carrier, carrier_id)
        raise NumberNotKept(
            number=number,
            carrier=carrier.name if carrier else carrier_id,
            status=row.status if row is not None else "not in the pool",
        )
    return row


@dataclass(frozen=True, slots=True)
class PoolLoadReport:
    """What loading a pool file did: numbers inserted, numbers refused (with row and reason)."""

    carrier: str
    service: str
    file: str
    #: the format the numbers were checked against ("" : any known format)
    format: str
    loaded: int
    problems: tuple[RowProblem, ...]
    seconds: float

    @property
    def rejected(self) -> int:
        return len(self.problems)


@dataclass(frozen=True, slots=True)
class PoolStatus:
    """One carrier service's pool (``service`` "" : numbers for any of the carrier's services).
    ``usable``: the free numbers this service can take (its own and the any-service ones);
    ``low``: fewer of those than the carrier's warning level."""

    carrier: str
    carrier_name: str
    service: str
    free: int
    used: int
    void: int
    usable: int
    low_warning: int
    low: bool

    def as_dict(self) -> dict[str, object]:
        return {
            "carrier": self.carrier,
            "service": self.service,
            "free": self.free,
            "used": self.used,
            "void": self.void,
            "usable": self.usable,
            "low_warning": self.low_warning,
            "low": self.low,
        }


@dataclass(frozen=True, slots=True)
class PoolLeft:
    """How many free numbers carrier ``carrier`` service ``service`` can still take."""

    carrier: str
    service: str
    free: int
    low_warning: int
    low: bool


def find_carrier(session: Session, code: str) -> Carrier:
    carrier = session.scalars(select(Carrier).where(Carrier.code == code)).first()
    if carrier is None:
        carrier = session.scalars(
            select(Carrier).where(func.upper(Carrier.code) == code.strip().upper())
        ).first()
    if carrier is None:
        raise UnknownCarrier(carrier=code)
    return carrier


def find_service(session: Session, carrier: Carrier, code: str) -> CarrierService:
    services = session.scalars(
        select(CarrierService).where(CarrierService.carrier_id == carrier.id)
    ).all()
    for s in services:
        if s.code.upper() == code.strip().upper():
            return s
    raise UnknownService(
        carrier=carrier.code, service=code, services=", ".join(s.code for s in services) or "-"
    )


@writes(Permission.MANAGE_SHIPPING)
def load_pool(
    uow: UnitOfWork,
    actor: Actor,
    carrier_code: str,
    path_or_text: Path | str,
    service_code: str | None = None,
) -> PoolLoadReport:
    """Load the numbers of a file (or text) into ``carrier_code``'s pool (for ``service_code``,
    or for any of its services). A file that cannot be read raises ImportFileError."""
    started = time.perf_counter()
    with uow:
        uow.require(actor, Permission.MANAGE_SHIPPING)
        s = uow.session
        carrier = find_carrier(s, carrier_code)
        service = find_service(s, carrier, service_code) if service_code else None
        fmt = tracking.carrier_format(carrier.tracking_format, carrier.code)
        parsed = tracking_file.read(path_or_text, fmt)
        problems = list(parsed.problems)
        fresh = _fresh_numbers(s, carrier, parsed.numbers, problems)
        now = utcnow()
        rows = [
            {
                "carrier_id": carrier.id,
                "carrier_service_id": service.id if service else None,
                "number": number,
                "status": FREE,
                "source": parsed.name[:300],
                "loaded_at": now,
                "void_reason": "",
            }
            for number in fresh
        ]
        _insert_numbers(s, rows)
        problems.sort(key=lambda p: p.row)
        uow.audit(
            actor,
            "tracking.pool_load",
            "carrier",
            carrier.id,
            after={
                "file": parsed.name,
                "service": service.code if service else "",
                "format": fmt,
                "loaded": len(rows),
                "rejected": len(problems),
            },
        )
        uow.commit()
        return PoolLoadReport(
            carrier=carrier.code,
            service=service.code if service else "",
            file=parsed.name,
            format=fmt,
            loaded=len(rows),
            problems=tuple(problems),
            seconds=time.perf_counter() - started,
        )


def _fresh_numbers(
    s: Session, carrier: Carrier, numbers: list[tuple[int, str]], problems: list[RowProblem]
) -> list[str]:
    """The file's numbers that are neither twice in the file nor already in the pool (those
    are added to ``problems`` at their row)."""
    first_row: dict[str, int] = {}
    for row, number in numbers:
        if number in first_row:
            problems.append(
                RowProblem(
                    row,
                    TRACKING_POOL_MESSAGES["twice"],
                    {"number": number, "first": first_row[number]},
                )
            )
        else:
            first_row[number] = row
    known = _already_in_pool(s, carrier.id, list(first_row))
    for number in known:
        problems.append(
            RowProblem(
                first_row[number],
                TRACKING_POOL_MESSAGES["in_pool"],
                {"number": number, "carrier": carrier.code},
            )
        )
    return [n for n in first_row if n not in known]


def _already_in_pool(s: Session, carrier_id: int, wanted: list[str]) -> set[str]:
    """Those of ``wanted`` the carrier's pool holds already: one query with an array on
    PostgreSQL, chunks of IN on SQLite; none asked for when the pool is empty."""
    mine = TrackingNumber.carrier_id == carrier_id
    if not wanted or s.scalar(select(TrackingNumber.id).where(mine).limit(1)) is None:
        return set()
    if s.get_bind().dialect.name == "postgresql":
        found = s.execute(
            text("SELECT number FROM tracking_numbers WHERE carrier_id = :c AND number = ANY(:n)"),
            {"c": carrier_id, "n": wanted},
        ).scalars()
        return set(found)
    known: set[str] = set()
    for i in range(0, len(wanted), 900):
        chunk = wanted[i : i + 900]
        known.update(
            s.scalars(select(TrackingNumber.number).where(mine, TrackingNumber.number.in_(chunk)))
        )
    return known


def _insert_numbers(s: Session, rows: list[dict[str, Any]]) -> None:
    """Insert the new numbers: COPY on PostgreSQL (100,000 rows in about a second), the bulk
    insert on SQLite."""
    if not rows:
        return
    conn = s.connection()
    if conn.dialect.name != "postgresql":
        bulk_insert(conn, TrackingNumber.__table__, rows)  # type: ignore[arg-type]
        return
    columns = list(rows[0])
    raw: Any = conn.connection.dbapi_connection
    with (
        raw.cursor() as cur,
        cur.copy(f"COPY tracking_numbers ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row([row[c] for c in columns])


@reads
def pool_status(uow: UnitOfWork, carrier_code: str | None = None) -> list[PoolStatus]:
    """Free, used and void numbers per carrier and service (``carrier_code``: that carrier
    only). A carrier whose numbers come from pools is listed even with none loaded."""
    with uow:
        s = uow.session
        q = select(Carrier).order_by(Carrier.code)
        if carrier_code:
            q = q.where(Carrier.id == find_carrier(s, carrier_code).id)
        carriers = {c.id: c for c in s.scalars(q)}
        services = {
            sv.id: sv.code
            for sv in s.scalars(
                select(CarrierService).where(CarrierService.carrier_id.in_(list(carriers)))
            )
        }
        counts: dict[tuple[int, int | None], dict[str, int]] = defaultdict(dict)
        for cid, sid, status, n in s.execute(
            select(
                TrackingNumber.carrier_id,
                TrackingNumber.carrier_service_id,
                TrackingNumber.status,
                func.count(),
            )
            .where(TrackingNumber.carrier_id.in_(list(carriers)))
            .group_by(
                TrackingNumber.carrier_id, TrackingNumber.carrier_service_id, TrackingNumber.status
            )
        ).tuples():
            counts[(cid, sid)][status] = n
        for c in carriers.values():
            if c.plugin == "pool" and c.active and not any(k[0] == c.id for k in counts):
                counts[(c.id, None)] = {}
        out = []
        for (cid, sid), by in counts.items():
            c = carriers[cid]
            shared = counts.get((cid, None), {}).get(FREE, 0) if sid is not None else 0
            usable = by.get(FREE, 0) + shared
            out.append(
                PoolStatus(
                    carrier=c.code,
                    carrier_name=c.name,
                    service=services.get(sid, "") if sid is not None else "",
                    free=by.get(FREE, 0),
                    used=by.get(USED, 0),
                    void=by.get(VOID, 0),
                    usable=usable,
                    low_warning=c.pool_low_warning,
                    low=usable < c.pool_low_warning,
                )
            )
        return sorted(out, key=lambda p: (p.carrier, p.service))


@reads
def pool_left(uow: UnitOfWork, carrier_code: str, service_code: str | None = None) -> PoolLeft:
    """Is the pool carrier ``carrier_code`` service ``service_code`` takes from low, and how
    many free numbers are left (its own and those for any of the carrier's services)?"""
    with uow:
        s = uow.session
        carrier = find_carrier(s, carrier_code)
        service = find_service(s, carrier, service_code) if service_code else None
        service_ok = (
            TrackingNumber.carrier_service_id.is_(None)
            if service is None
            else TrackingNumber.carrier_service_id.is_(None)
            | (TrackingNumber.carrier_service_id == service.id)
        )
        free = s.scalar(
            select(func.count()).where(
                TrackingNumber.carrier_id == carrier.id,
                TrackingNumber.status == FREE,
                service_ok,
            )
        )
        return PoolLeft(
            carrier=carrier.code,
            service=service.code if service else "",
            free=int(free or 0),
            low_warning=carrier.pool_low_warning,
            low=int(free or 0) < carrier.pool_low_warning,
        )
