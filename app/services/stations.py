"""Per-station device settings, kept in ``stations.devices`` so they survive restarts.

Reading needs no permission (every operator's station must start its devices); changing them
needs MANAGE_DEVICES and is audited with the settings before and after.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update

from app.db.models import Station, utcnow
from app.db.uow import UnitOfWork
from app.devices.printers import PrinterConfig
from app.devices.station_config import StationDevicesConfig
from app.domain.errors import NotFound
from app.domain.users import Actor, Permission
from app.labels.station_card import station_card
from app.services import printing
from app.services.access import open_to_all, reads, require_now, writes


@dataclass(frozen=True)
class StationInfo:
    id: int
    code: str
    name: str
    devices: StationDevicesConfig


@reads
def station_devices(uow: UnitOfWork, station_id: int) -> StationDevicesConfig:
    """The station's device settings (defaults for a station that has none yet)."""
    return station_info(uow, station_id).devices


@reads
def station_info(uow: UnitOfWork, station_id: int) -> StationInfo:
    with uow:
        station = uow.session.get(Station, station_id)
        if station is None:
            raise NotFound(what="Station", key=str(station_id))
        return StationInfo(
            station.id,
            station.code,
            station.name,
            StationDevicesConfig.from_json(station.devices or {}),
        )


@writes(Permission.MANAGE_DEVICES)
def save_station_devices(
    uow: UnitOfWork, actor: Actor, station_id: int, config: StationDevicesConfig
) -> StationDevicesConfig:
    """Validate and store the station's device settings."""
    config.check()
    with uow:
        uow.require(actor, Permission.MANAGE_DEVICES)
        station = uow.session.get(Station, station_id)
        if station is None:
            raise NotFound(what="Station", key=str(station_id))
        before = dict(station.devices or {})
        after = config.to_json()
        station.devices = after
        uow.audit(actor, "station.devices", "station", station.code, before or None, after)
        uow.commit()
        return config


@reads
def stations(uow: UnitOfWork) -> list[tuple[int, str, str]]:
    """(id, code, name) of every station."""
    with uow:
        return [
            (s.id, s.code, s.name)
            for s in uow.session.scalars(select(Station).order_by(Station.code))
        ]


@open_to_all
def station_seen(uow: UnitOfWork, station_id: int) -> None:
    """This station still runs (its heartbeat): an upgrade of a shared database waits for
    stations of an older version seen recently."""
    with uow:
        uow.session.execute(
            update(Station).where(Station.id == station_id).values(last_seen_at=utcnow())
        )
        uow.commit()


@writes(Permission.MANAGE_DEVICES)
def print_station_card(uow: UnitOfWork, actor: Actor, config: PrinterConfig) -> int:
    """Queue the card of command barcodes for this station's label printer; returns the job."""
    actor = require_now(uow, actor, Permission.MANAGE_DEVICES)
    card = station_card(config.label_size, config.dpi, actor.station_code)
    return printing.print_label(
        uow, actor, config, card, kind="station_card", reference="station card"
    )
