"""Voided tracking numbers: never given again, and listed for the carrier until reported.

A number is voided when its parcel is unpacked or its label is voided (``void_number``, or
``void_in`` as a step of the unpack's own unit of work). A number the pool never held (an API
carrier's) is recorded as void too, so it is reported and can never be loaded again.
``voided_report`` lists them per carrier; ``mark_reported`` records that the list was sent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from app.db.models import Carrier, CarrierService, TrackingNumber, utcnow
from app.db.uow import UnitOfWork
from app.domain import tracking
from app.domain.users import Actor, Permission
from app.services.access import reads, step, writes
from app.services.tracking_pool import VOID, find_carrier


@dataclass(frozen=True, slots=True)
class VoidedNumber:
    id: int
    carrier: str
    service: str
    number: str
    voided_at: datetime | None
    reason: str
    reported_at: datetime | None
    parcel_id: int | None

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "carrier": self.carrier,
            "service": self.service,
            "number": self.number,
            "voided_at": self.voided_at,
            "reason": self.reason,
            "reported_at": self.reported_at,
            "parcel_id": self.parcel_id,
        }


@writes(Permission.VOID_PARCELS)
def void_number(
    uow: UnitOfWork, actor: Actor, carrier: str, number: str, reason: str
) -> VoidedNumber:
    """Void ``number`` of carrier ``carrier`` (its code): it is never given again. Voiding a
    number that is void already changes nothing."""
    with uow:
        uow.require(actor, Permission.VOID_PARCELS)
        found = void_in(uow, actor, find_carrier(uow.session, carrier).id, number, reason)
        uow.commit()
        return found


@step
def void_in(
    uow: UnitOfWork, actor: Actor, carrier_id: int, number: str, reason: str
) -> VoidedNumber:
    """``void_number`` inside the caller's unit of work (the caller checked VOID_PARCELS)."""
    s = uow.session
    n = tracking.normalise(number)
    row = s.scalars(
        select(TrackingNumber).where(
            TrackingNumber.carrier_id == carrier_id, TrackingNumber.number == n
        )
    ).first()
    before: dict[str, object] = {"status": "", "parcel_id": None}
    if row is None:
        row = TrackingNumber(carrier_id=carrier_id, number=n, status=VOID, source="voided")
        s.add(row)
    else:
        before = {"status": row.status, "parcel_id": row.parcel_id}
    if row.status != VOID or row.voided_at is None:
        row.status, row.voided_at, row.void_reason = VOID, utcnow(), reason
        s.flush()
        after = {"status": VOID, "number": n}
        uow.audit(actor, "tracking.void", "tracking_number", row.id, before, after, reason)
    return _voided(uow, [row.id])[0]


@reads
def voided_report(
    uow: UnitOfWork, carrier: str | None = None, unreported_only: bool = True
) -> list[VoidedNumber]:
    """Voided numbers (of ``carrier`` only, when given), oldest first; by default only those
    not yet reported to the carrier."""
    with uow:
        q = select(TrackingNumber.id).where(TrackingNumber.status == VOID)
        if carrier:
            q = q.where(TrackingNumber.carrier_id == find_carrier(uow.session, carrier).id)
        if unreported_only:
            q = q.where(TrackingNumber.reported_at.is_(None))
        return _voided(uow, list(uow.session.scalars(q)))


@writes(Permission.VOID_PARCELS)
def mark_reported(uow: UnitOfWork, actor: Actor, ids: Iterable[int]) -> int:
    """Record that the voided numbers ``ids`` were reported to their carrier; how many were
    (numbers reported already, or not void, are left as they are)."""
    wanted = sorted(set(ids))
    with uow:
        uow.require(actor, Permission.VOID_PARCELS)
        now, marked = utcnow(), 0
        for i in range(0, len(wanted), 1000):
            result = uow.session.execute(
                update(TrackingNumber)
                .where(
                    TrackingNumber.id.in_(wanted[i : i + 1000]),
                    TrackingNumber.status == VOID,
                    TrackingNumber.reported_at.is_(None),
                )
                .values(reported_at=now)
                .execution_options(synchronize_session=False)
            )
            marked += result.rowcount  # type: ignore[attr-defined]
        uow.audit(actor, "tracking.void_reported", "tracking_number", "", after={"ids": wanted})
        uow.commit()
        return marked


def _voided(uow: UnitOfWork, ids: list[int]) -> list[VoidedNumber]:
    out: list[VoidedNumber] = []
    for i in range(0, len(ids), 1000):
        rows = uow.session.execute(
            select(TrackingNumber, Carrier.code, CarrierService.code)
            .join(Carrier, Carrier.id == TrackingNumber.carrier_id)
            .outerjoin(CarrierService, CarrierService.id == TrackingNumber.carrier_service_id)
            .where(TrackingNumber.id.in_(ids[i : i + 1000]))
        ).tuples()
        out += [
            VoidedNumber(
                id=t.id,
                carrier=code,
                service=scode or "",
                number=t.number,
                voided_at=t.voided_at,
                reason=t.void_reason,
                reported_at=t.reported_at,
                parcel_id=t.parcel_id,
            )
            for t, code, scode in rows
        ]
    return sorted(out, key=lambda v: (v.carrier, v.id))
