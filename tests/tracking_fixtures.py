"""Test set-up for tracking-number pools: carriers with services, parcels to give numbers to."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import insert, select

from app.bootstrap import Services
from app.db.models import Carrier, CarrierService, Channel, Order, Parcel, TrackingNumber
from app.db.uow import UnitOfWork
from app.services.tracking_pool import take_number


@dataclass(frozen=True)
class CarrierIds:
    id: int
    services: dict[str, int]


def add_carrier(
    services: Services,
    code: str = "ZTO",
    name: str = "中通快递 ZTO Express",
    offered: Sequence[str] = ("ZTO-STD",),
    *,
    low_warning: int = 100,
    tracking_format: str = "",
    plugin: str = "pool",
) -> CarrierIds:
    with services.uow() as uow:
        s = uow.session
        cid = s.execute(
            insert(Carrier).returning(Carrier.id),
            [
                {
                    "code": code,
                    "name": name,
                    "plugin": plugin,
                    "pool_low_warning": low_warning,
                    "tracking_format": tracking_format,
                }
            ],
        ).scalar_one()
        sids = {}
        for scode in offered:
            sids[scode] = s.execute(
                insert(CarrierService).returning(CarrierService.id),
                [{"carrier_id": cid, "code": scode, "name": f"{scode} service"}],
            ).scalar_one()
        uow.commit()
    return CarrierIds(cid, sids)


def add_parcels(services: Services, n: int) -> list[int]:
    """``n`` parcels of one order being packed, to be given numbers."""
    with services.uow() as uow:
        channel = uow.session.execute(
            insert(Channel).returning(Channel.id), [{"code": "shop", "name": "Shop"}]
        ).scalar_one()
        oid = uow.session.execute(
            insert(Order).returning(Order.id),
            [
                {
                    "number": "PD000001",
                    "channel_id": channel,
                    "external_id": "1",
                    "status": "packing",
                }
            ],
        ).scalar_one()
        ids = list(
            uow.session.execute(
                insert(Parcel).returning(Parcel.id),
                [{"order_id": oid, "seq": i + 1} for i in range(n)],
            ).scalars()
        )
        uow.commit()
    return ids


def take(uow: UnitOfWork, carrier_id: int, service_id: int | None, parcel_id: int) -> str:
    """One station taking a number for a parcel, in its own unit of work."""
    with uow:
        number = take_number(uow.session, carrier_id, service_id, parcel_id)
        uow.commit()
        return number


def statuses(services: Services, carrier_id: int) -> dict[str, str]:
    with services.uow() as uow:
        rows = uow.session.execute(
            select(TrackingNumber.number, TrackingNumber.status).where(
                TrackingNumber.carrier_id == carrier_id
            )
        ).tuples()
        return dict(rows.all())
