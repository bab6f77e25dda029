"""Tracking-number pools: loading numbers per carrier and service, handing them out once.

FOUNDATION: ``take_number`` is complete (the pack station uses it); loading, the low-pool
warning and the void report are the tracking helper's part.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.db.models import Carrier, CarrierService, TrackingNumber, utcnow
from app.domain.errors import PackdeskError

FREE, USED, VOID = "free", "used", "void"


class PoolEmpty(PackdeskError):
    template = (
        "No tracking numbers are left for {carrier} {service}. Load more numbers "
        "(packdesk carriers pool load), then scan the last item again."
    )


def take_number(session: Session, carrier_id: int, service_id: int | None, parcel_id: int) -> str:
    """The next free number of the carrier (for this service, or for any of its services),
    marked used by the parcel. On PostgreSQL a number another station is taking is skipped
    (``FOR UPDATE SKIP LOCKED``); on SQLite the write lock is held already."""
    service_ok = (
        TrackingNumber.carrier_service_id.is_(None)
        if service_id is None
        else TrackingNumber.carrier_service_id.in_([service_id])
        | TrackingNumber.carrier_service_id.is_(None)
    )
    row = session.execute(
        select(TrackingNumber.id, TrackingNumber.number)
        .where(
            TrackingNumber.carrier_id == carrier_id,
            TrackingNumber.status == FREE,
            service_ok,
        )
        .order_by(TrackingNumber.carrier_service_id.is_(None), TrackingNumber.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    ).first()
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
        .values(status=USED, parcel_id=parcel_id, used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return str(row.number)
