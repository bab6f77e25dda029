"""The carriers with their services and number pools, as ``packdesk carriers list`` and the
Carriers screen show them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.db.models import Carrier, CarrierService
from app.db.uow import UnitOfWork
from app.domain import tracking
from app.services.access import reads
from app.services.tracking_pool import PoolStatus, pool_status


@dataclass(frozen=True, slots=True)
class ServiceRow:
    code: str
    name: str
    label_size: str


@dataclass(frozen=True, slots=True)
class CarrierRow:
    code: str
    name: str
    active: bool
    plugin: str
    #: the format its numbers must have ("" : any known format)
    tracking_format: str
    services: tuple[ServiceRow, ...]
    pools: tuple[PoolStatus, ...]
    #: the daily cut-off, "HH:MM" local time, or ""
    cutoff: str = ""

    @property
    def free(self) -> int:
        return sum(p.free for p in self.pools)

    @property
    def used(self) -> int:
        return sum(p.used for p in self.pools)

    @property
    def void(self) -> int:
        return sum(p.void for p in self.pools)

    @property
    def low(self) -> bool:
        return any(p.low for p in self.pools)


@reads
def list_carriers(uow: UnitOfWork) -> list[CarrierRow]:
    """Every carrier by code, with its services and pool counts."""
    pools = pool_status(uow)
    with uow:
        s = uow.session
        carriers = list(s.scalars(select(Carrier).order_by(Carrier.code)))
        services = list(s.scalars(select(CarrierService).order_by(CarrierService.code)))
        return [
            CarrierRow(
                code=c.code,
                name=c.name,
                active=c.active,
                plugin=c.plugin,
                tracking_format=tracking.carrier_format(c.tracking_format, c.code),
                services=tuple(
                    ServiceRow(sv.code, sv.name, sv.label_size)
                    for sv in services
                    if sv.carrier_id == c.id
                ),
                pools=tuple(p for p in pools if p.carrier == c.code),
                cutoff=c.cutoff_time or "",
            )
            for c in carriers
        ]
