"""Tracking numbers kept for a station's outages (docs/offline.md).

A station on a shared database keeps a small block of each pool carrier's free numbers
reserved for itself (``tracking_numbers.reserved_station_id``): no other station takes them
(``tracking_pool.take_number`` hands out only numbers nobody keeps), so the labels it prints
while the shared database is away carry numbers that are its own. The block is topped up each
time the station copies what it needs (``keep_numbers``); a number used online is no longer
kept by anyone."""

from __future__ import annotations

from sqlalchemy import func, select, update

from app.db.models import Carrier, TrackingNumber
from app.db.uow import UnitOfWork
from app.services.access import step
from app.services.tracking_pool import FREE

#: numbers kept per carrier and service: enough for a few minutes of a busy station
BLOCK = 40
#: topped up when fewer than this are left
LOW = 20


@step
def keep_numbers(uow: UnitOfWork, station_id: int, *, block: int = BLOCK, low: int = LOW) -> int:
    """Top up the numbers kept for ``station_id``: per pool carrier and service (NULL: any of
    its services), up to ``block`` when fewer than ``low`` are left, never more than half of
    the free numbers nobody keeps. Numbers another station is taking are skipped. The caller
    commits. Returns how many were added."""
    s = uow.session
    groups = s.execute(
        select(TrackingNumber.carrier_id, TrackingNumber.carrier_service_id)
        .join(Carrier, Carrier.id == TrackingNumber.carrier_id)
        .where(Carrier.plugin == "pool", TrackingNumber.status == FREE)
        .group_by(TrackingNumber.carrier_id, TrackingNumber.carrier_service_id)
    ).all()
    added = 0
    for carrier_id, service_id in groups:
        same = (
            TrackingNumber.carrier_service_id.is_(None)
            if service_id is None
            else TrackingNumber.carrier_service_id == service_id
        )
        have = s.scalar(
            select(func.count()).where(
                TrackingNumber.carrier_id == carrier_id,
                same,
                TrackingNumber.status == FREE,
                TrackingNumber.reserved_station_id == station_id,
            )
        )
        if (have or 0) >= low:
            continue
        common = s.scalar(
            select(func.count()).where(
                TrackingNumber.carrier_id == carrier_id,
                same,
                TrackingNumber.status == FREE,
                TrackingNumber.reserved_station_id.is_(None),
            )
        )
        take = min(block - (have or 0), (common or 0) // 2)  # never more than half the pool
        if take <= 0:
            continue
        wanted = s.scalars(
            select(TrackingNumber.id)
            .where(
                TrackingNumber.carrier_id == carrier_id,
                same,
                TrackingNumber.status == FREE,
                TrackingNumber.reserved_station_id.is_(None),
            )
            .order_by(TrackingNumber.id)
            .limit(take)
            .with_for_update(skip_locked=True)
        ).all()
        if wanted:
            s.execute(
                update(TrackingNumber)
                .where(TrackingNumber.id.in_(wanted), TrackingNumber.status == FREE)
                .values(reserved_station_id=station_id)
                .execution_options(synchronize_session=False)
            )
            added += len(wanted)
    return added
