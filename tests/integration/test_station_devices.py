"""Per-station device settings: stored, validated, permission-checked, audited, both backends."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from app.bootstrap import Services, bootstrap
from app.config import Paths, Settings
from app.db.models import AuditEntry, Station
from app.devices.station_config import (
    PrinterSettings,
    ScaleSettings,
    ScannerSettings,
    StationDevicesConfig,
)
from app.domain.errors import PermissionDenied, ValidationError
from app.domain.users import Actor, Role
from app.services import stations
from tests.conftest import make_actor

CONFIG = StationDevicesConfig(
    scanner=ScannerSettings(mode="serial", port="/dev/ttyACM0", baud=115200),
    scale=ScaleSettings(protocol="mtsics", port="/dev/ttyUSB0", readings=4, tolerance_g="2"),
    printer=PrinterSettings(
        transport="tcp", address="192.168.1.50:9100", language="tspl", label_size="100x150mm"
    ),
)


def test_a_new_station_has_a_keyboard_wedge_scanner_and_no_scale_or_printer(
    services: Services,
) -> None:
    cfg = services.run(stations.station_devices, services.station_id)
    assert cfg == StationDevicesConfig()
    assert cfg.scanner.mode == "wedge" and cfg.scale.protocol == "off"
    assert not cfg.printer.enabled


def test_saved_settings_survive_a_restart(services: Services, admin: Actor, paths: Paths) -> None:
    services.run(stations.save_station_devices, admin, services.station_id, CONFIG)
    services.close()
    again = bootstrap(Settings(db_url=services.settings.db_url, station="test-station"), paths)
    try:
        assert again.station_id == services.station_id
        assert again.run(stations.station_devices, again.station_id) == CONFIG
    finally:
        again.close()


def test_changing_devices_needs_the_permission_and_is_audited(
    services: Services, admin: Actor
) -> None:
    picker = make_actor(services, admin, Role.PICKER)
    with pytest.raises(PermissionDenied, match="change station devices"):
        services.run(stations.save_station_devices, picker, services.station_id, CONFIG)
    packer = make_actor(services, admin, Role.PACKER)  # packers set up their own bench
    services.run(stations.save_station_devices, packer, services.station_id, CONFIG)
    with services.uow() as uow:
        entry = uow.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "station.devices")
        ).one()
        assert entry.username == "packer-user" and entry.entity_id == "test-station"
        assert entry.before is None and entry.after == CONFIG.to_json()


def test_invalid_settings_are_refused_with_a_reason_and_nothing_is_saved(
    services: Services, admin: Actor
) -> None:
    bad = [
        (StationDevicesConfig(scanner=ScannerSettings(mode="serial")), "port"),
        (StationDevicesConfig(scanner=ScannerSettings(prefix="#", suffix="#")), "differ"),
        (StationDevicesConfig(scale=ScaleSettings(protocol="mtsics", port="x", baud=1234)), "baud"),
        (
            StationDevicesConfig(
                scale=ScaleSettings(protocol="continuous", port="x", frame_pattern="(?P<v>.*)")
            ),
            "groups",
        ),
        (StationDevicesConfig(printer=PrinterSettings(transport="tcp")), "address"),
        (
            StationDevicesConfig(printer=PrinterSettings(transport="tcp", address="h", dpi=250)),
            "resolution",
        ),
    ]
    for cfg, words in bad:
        with pytest.raises(ValidationError, match=words):
            services.run(stations.save_station_devices, admin, services.station_id, cfg)
    assert services.run(stations.station_devices, services.station_id) == StationDevicesConfig()


def test_a_damaged_stored_setting_falls_back_to_its_default_instead_of_stopping_the_station(
    services: Services,
) -> None:
    with services.uow() as uow:
        uow.session.execute(
            update(Station)
            .where(Station.id == services.station_id)
            .values(devices={"scanner": {"mode": 7, "baud": 19200}, "scale": "nonsense"})
        )
        uow.commit()
    cfg = services.run(stations.station_devices, services.station_id)
    assert cfg.scanner.mode == "wedge" and cfg.scanner.baud == 19200
    assert cfg.scale == ScaleSettings()
    with pytest.raises(ValidationError):
        StationDevicesConfig.from_json({"scanner": {"mode": 7}}, strict=True)


def test_the_station_card_is_queued_for_the_printer_only_with_the_permission(
    services: Services, admin: Actor
) -> None:
    from app.db.models import PrintJob
    from app.devices.printers import PrinterConfig

    printer = PrinterConfig(transport="tcp", address="127.0.0.1:9", language="tspl")
    picker = make_actor(services, admin, Role.PICKER)
    with pytest.raises(PermissionDenied):
        services.run(stations.print_station_card, picker, printer)
    job = services.run(stations.print_station_card, admin, printer)
    with services.uow() as uow:
        row = uow.session.get(PrintJob, job)
        assert row is not None and row.kind == "station_card" and row.format == "tspl"
        assert row.payload.count(b"BARCODE") == 8 and b"PD-CMD-CONFIRM" in row.payload
