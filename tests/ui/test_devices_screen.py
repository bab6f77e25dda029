"""The station device screen against emulated devices on real ptys and loopback TCP."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.bootstrap import bootstrap
from app.config import Paths, Settings
from app.devices.emulators import HAS_PTY, ScaleEmulator, ScannerEmulator
from app.devices.emulators.printer import PrinterEmulator
from app.devices.station_config import (
    PrinterSettings,
    ScaleSettings,
    ScannerSettings,
    StationDevicesConfig,
)
from app.domain.scans import ScanKind
from app.domain.users import Role
from app.services import auth, stations
from ui.bus import Bus
from ui.context import UiContext
from ui.devices.scan_log import ScanLogModel
from ui.devices.station import StationDevices
from ui.feedback import Feedback
from ui.main_window import MainWindow
from ui.screens.devices import DevicesScreen

pytestmark = pytest.mark.skipif(not HAS_PTY, reason="needs a POSIX pty")


@dataclass
class Rig:
    scanner: ScannerEmulator
    scale: ScaleEmulator
    printer: PrinterEmulator


@pytest.fixture
def rig() -> Iterator[Rig]:
    r = Rig(ScannerEmulator(), ScaleEmulator("mtsics", seed=2), PrinterEmulator("zpl"))
    r.printer.start()
    yield r
    r.scanner.close()
    r.scale.close()
    r.printer.stop()


@pytest.fixture
def station(ui_ctx: UiContext) -> Iterator[StationDevices]:
    devices = StationDevices(ui_ctx, scale_poll_ms=100)
    devices.start()
    yield devices
    devices.stop()


@pytest.fixture
def screen(qtbot: QtBot, ui_ctx: UiContext, station: StationDevices) -> DevicesScreen:
    s = DevicesScreen(ui_ctx)
    qtbot.addWidget(s)
    s.resize(1200, 900)
    s.show()
    s.activated()
    return s


def _fill(screen: DevicesScreen, rig: Rig) -> StationDevicesConfig:
    config = StationDevicesConfig(
        scanner=ScannerSettings(mode="serial", port=rig.scanner.port, baud=9600),
        scale=ScaleSettings(protocol="mtsics", port=rig.scale.port, readings=3, timeout_s=3.0),
        printer=PrinterSettings(transport="tcp", address=rig.printer.address, language="zpl"),
    )
    screen.show_config(config)
    return config


def _state(station: StationDevices, role: str) -> str:
    return station.states.get(role, (False, "", ""))[1]


def test_a_new_station_screen_shows_the_keyboard_scanner_and_no_scale_or_printer(
    screen: DevicesScreen,
) -> None:
    assert screen.config() == StationDevicesConfig()
    assert screen.status_labels["scanner"][0].text() == "Scanner: keyboard"
    assert screen.status_labels["scale"][0].text() == "Scale: none"
    assert not screen.scanner_form.port.isEnabled()  # only for a serial scanner


def test_saved_settings_restart_the_devices_and_survive_a_restart_of_the_app(
    qtbot: QtBot,
    screen: DevicesScreen,
    station: StationDevices,
    rig: Rig,
    ui_ctx: UiContext,
    paths: Paths,
) -> None:
    config = _fill(screen, rig)
    assert screen.config() == config  # the form reads back what it shows
    qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    assert "Saved" in screen.message.text()
    svc = ui_ctx.services
    assert svc.run(stations.station_devices, svc.station_id) == config
    qtbot.waitUntil(lambda: _state(station, "scanner") == "Scanner: ready", timeout=5000)
    qtbot.waitUntil(lambda: _state(station, "printer") == "Printer: ready", timeout=5000)
    qtbot.waitUntil(lambda: _state(station, "scale").startswith("Scale: 0"), timeout=5000)
    assert screen.status_labels["scanner"][0].text() == "Scanner: ready"

    again = bootstrap(Settings(db_url=svc.settings.db_url, station="pack-01"), paths)
    try:
        actor = again.run(auth.login, "admin", "correct-horse-9", again.station_id, "pack-01")
        ctx2 = UiContext(again, actor, Bus())
        fresh = DevicesScreen(ctx2)  # no devices running: reads the stored settings
        qtbot.addWidget(fresh)
        assert fresh.config() == config
    finally:
        again.close()


def test_scans_from_the_serial_scanner_appear_in_the_last_scans_with_feedback(
    qtbot: QtBot, screen: DevicesScreen, station: StationDevices, rig: Rig, ui_ctx: UiContext
) -> None:
    feedback = Feedback(screen)
    ui_ctx.devices["feedback"] = feedback
    ui_ctx.bus.scanned.connect(screen.on_scan)
    _fill(screen, rig)
    assert screen.save()
    qtbot.waitUntil(lambda: _state(station, "scanner") == "Scanner: ready", timeout=5000)
    with qtbot.waitSignal(feedback.shown, timeout=3000) as good:
        rig.scanner.scan("TOTE-0042")
    assert good.args[0] is True and "TOTE-0042" in good.args[1]
    with qtbot.waitSignal(feedback.shown, timeout=3000) as bad:
        rig.scanner.scan("NOT-A-REAL-CODE-1")
    assert bad.args[0] is False and "Unknown barcode" in bad.args[1]
    assert feedback.banner.isVisible()
    assert feedback.sounds.played == ["ok", "error"]
    model = screen.scan_model
    assert model.rowCount() == 2
    assert model.data(model.index(0, 3)) == "NOT-A-REAL-CODE-1"  # newest first
    assert model.data(model.index(1, 2)) == "Tote"


def test_read_weight_shows_the_stable_weight_and_scale_errors_in_plain_words(
    qtbot: QtBot, screen: DevicesScreen, station: StationDevices, rig: Rig
) -> None:
    _fill(screen, rig)
    assert screen.save()
    rig.scale.put("2.345")
    qtbot.mouseClick(screen.read_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.weight.text() == "2.345 kg", timeout=5000)
    rig.scale.set_fault(overload=True)
    qtbot.waitUntil(lambda: _state(station, "scale") == "Scale: check it", timeout=5000)
    assert "overloaded" in station.states["scale"][2]
    qtbot.mouseClick(screen.read_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "overloaded" in screen.message.text(), timeout=5000)
    assert screen.read_button.isEnabled()


def test_print_test_label_goes_through_the_job_queue_to_the_printer(
    qtbot: QtBot, screen: DevicesScreen, station: StationDevices, rig: Rig
) -> None:
    _fill(screen, rig)
    assert screen.save()
    qtbot.mouseClick(screen.test_label_button, Qt.MouseButton.LeftButton)
    assert "queued as print job" in screen.message.text()
    qtbot.waitUntil(lambda: len(rig.printer.printed) == 1, timeout=8000)
    assert rig.printer.printed[0].payload.startswith(b"^XA")
    rig.printer.set_state(paper_out=True)
    station.check_printer()
    qtbot.waitUntil(lambda: _state(station, "printer") == "Printer: not ready", timeout=8000)


def test_invalid_settings_are_refused_on_the_screen_and_nothing_is_saved(
    qtbot: QtBot, screen: DevicesScreen, ui_ctx: UiContext
) -> None:
    screen.show_config(StationDevicesConfig(scanner=ScannerSettings(mode="serial", port="")))
    assert not screen.save()
    assert "port" in screen.message.text()
    svc = ui_ctx.services
    assert svc.run(stations.station_devices, svc.station_id) == StationDevicesConfig()


def test_the_scan_log_model_is_a_correct_qt_model(qtmodeltester: object, ui_ctx: UiContext) -> None:
    from app.services import scanning

    model = ScanLogModel()
    for code in ["TOTE-0001", "\x07bad", "SF1234567890123"]:
        model.add(ui_ctx.services.run(scanning.classify, code))
    assert [model.data(model.index(r, 2)) for r in range(3)] == [
        "Tracking number",
        "Unreadable",
        "Tote",
    ]
    assert model.data(model.index(1, 3)) == "<0x07>bad"
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_only_roles_that_manage_devices_get_the_screen(qtbot: QtBot, ui_ctx: UiContext) -> None:
    svc = ui_ctx.services
    svc.run(auth.create_user, ui_ctx.actor, "wang", Role.PICKER, "picker-pass-1")
    picker = svc.run(auth.login, "wang", "picker-pass-1", svc.station_id, "pack-01")
    win = MainWindow(UiContext(svc, picker, Bus()))
    qtbot.addWidget(win)
    assert DevicesScreen not in win._classes
    assert ScanKind.UNKNOWN  # the picker's station still scans: its devices started
    assert win.station_devices.running
    win.close()


def test_the_station_card_prints_on_the_station_printer_and_its_barcodes_scan(
    qtbot: QtBot, screen: DevicesScreen, station: StationDevices, rig: Rig
) -> None:
    import io

    import zxingcpp
    from PIL import Image

    from app.domain.scans import parse_command
    from app.labels.preview import render_png

    _fill(screen, rig)
    assert screen.save()
    qtbot.mouseClick(screen.card_button, Qt.MouseButton.LeftButton)
    assert "Station card queued" in screen.message.text()
    qtbot.waitUntil(lambda: len(rig.printer.printed) == 1, timeout=8000)
    png = render_png(rig.printer.printed[0].payload, "zpl")
    texts = [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]
    assert len(texts) == 8 and all(parse_command(t) is not None for t in texts)


def test_when_the_settings_cannot_be_read_the_station_still_scans_and_says_why(
    qtbot: QtBot, ui_ctx: UiContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.domain.errors import DatabaseUnavailable

    def unreachable(uow: object, station_id: int) -> StationDevicesConfig:
        raise DatabaseUnavailable(where="db.example", reason="connection refused")

    monkeypatch.setattr(stations, "station_devices", unreachable)
    devices = StationDevices(ui_ctx)
    devices.start()
    try:
        assert devices.running and devices.scan_filter is not None  # a keyboard scanner works
        screen = DevicesScreen(ui_ctx)
        qtbot.addWidget(screen)
        screen.activated()
        assert "could not be read" in screen.message.text()
        assert "connection refused" in screen.message.text()
    finally:
        devices.stop()
