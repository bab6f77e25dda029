"""Demo mode: the emulators start, the station uses them, and the emulator panel scans,
weighs, takes the paper out and opens printed labels as images."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import insert

from app.db.models import Location, Warehouse
from app.devices.base import Weight
from app.devices.emulators import HAS_PTY
from app.domain.scans import ScanEvent, ScanKind
from app.services import printing
from ui.context import UiContext
from ui.devices import attach_station_devices, detach_station_devices
from ui.devices.station import StationDevices
from ui.emulator_panel import EmulatorPanel
from ui.main_window import MainWindow
from ui.screens.devices import DevicesScreen

pytestmark = pytest.mark.skipif(not HAS_PTY, reason="needs a POSIX pty")


@pytest.fixture
def demo_window(qtbot: QtBot, ui_ctx: UiContext) -> Iterator[MainWindow]:
    with ui_ctx.services.uow() as uow:
        wh = uow.session.execute(
            insert(Warehouse).returning(Warehouse.id), [{"code": "SZ", "name": "Shenzhen"}]
        ).scalar_one()
        uow.session.execute(
            insert(Location),
            [{"warehouse_id": wh, "code": "A-01-01", "barcode": "LOC-A0101", "zone": "A"}],
        )
        uow.commit()
    win = MainWindow(ui_ctx)  # not in demo mode: the test attaches the demo devices itself
    qtbot.addWidget(win)
    detach_station_devices(win)
    win.station_devices = attach_station_devices(win, demo=True)
    yield win
    win.close()


def _panel(ctx: UiContext) -> EmulatorPanel:
    panel = ctx.devices["emulator_panel"]
    assert isinstance(panel, EmulatorPanel)
    return panel


def _station(ctx: UiContext) -> StationDevices:
    devices = ctx.devices["station"]
    assert isinstance(devices, StationDevices)
    return devices


def test_demo_mode_points_the_station_at_the_emulators_without_changing_stored_settings(
    qtbot: QtBot, demo_window: MainWindow, ui_ctx: UiContext
) -> None:
    station = _station(ui_ctx)
    demo = ui_ctx.devices["demo"]
    assert station.config == demo.config
    assert station.config.scanner.port == demo.scanner.port
    qtbot.waitUntil(lambda: station.states["scanner"][1] == "Scanner: ready", timeout=5000)
    qtbot.waitUntil(lambda: station.states["printer"][1] == "Printer: ready", timeout=8000)
    assert demo_window.device_labels["scanner"].text() == "Scanner: ready"
    assert _panel(ui_ctx).isVisible()
    from app.services import stations

    svc = ui_ctx.services
    assert svc.run(stations.station_devices, svc.station_id).scanner.mode == "wedge"


def test_scanning_a_sample_from_the_panel_reaches_the_pipeline_through_the_serial_line(
    qtbot: QtBot, demo_window: MainWindow, ui_ctx: UiContext
) -> None:
    panel = _panel(ui_ctx)
    station = _station(ui_ctx)
    qtbot.waitUntil(lambda: station.states["scanner"][1] == "Scanner: ready", timeout=5000)
    index = panel.samples.findData("LOC-A0101")
    assert index >= 0  # the list holds real barcodes of this database
    panel.samples.setCurrentIndex(index)
    with qtbot.waitSignal(ui_ctx.bus.scanned, timeout=3000) as sig:
        qtbot.mouseClick(
            panel.findChild(type(panel.open_button), "scan_sample"), Qt.MouseButton.LeftButton
        )
    event = sig.args[0]
    assert isinstance(event, ScanEvent) and event.kind is ScanKind.LOCATION
    assert event.source.startswith("serial:")
    panel.barcode.setText(r"0109506000134352\x1d10AB")
    with qtbot.waitSignal(ui_ctx.bus.scanned, timeout=3000) as sig2:
        panel.scan_typed()
    assert "\x1d" in sig2.args[0].raw


def test_a_weight_put_on_the_emulated_scale_is_read_by_the_station(
    qtbot: QtBot, demo_window: MainWindow, ui_ctx: UiContext
) -> None:
    panel = _panel(ui_ctx)
    station = _station(ui_ctx)
    panel.weight.setValue(3.5)
    panel.put_weight(stable=True)
    with qtbot.waitSignal(station.weighed, timeout=6000) as sig:
        assert station.read_weight()
    weight = sig.args[0]
    assert isinstance(weight, Weight) and weight.grams == 3500
    panel.overload()
    qtbot.waitUntil(lambda: station.states["scale"][1] == "Scale: check it", timeout=5000)


def test_paper_out_shows_on_the_station_and_a_printed_label_opens_as_an_image(
    qtbot: QtBot, demo_window: MainWindow, ui_ctx: UiContext
) -> None:
    panel = _panel(ui_ctx)
    station = _station(ui_ctx)
    screen = demo_window.screen(DevicesScreen)
    assert isinstance(screen, DevicesScreen)
    qtbot.waitUntil(lambda: station.states["printer"][1] == "Printer: ready", timeout=8000)
    panel.paper_out.setChecked(True)
    qtbot.waitUntil(lambda: station.states["printer"][1] == "Printer: not ready", timeout=8000)
    assert "paper" in station.states["printer"][2].lower()
    screen.print_test_label()  # kept in the queue while the printer says it has no paper

    def waiting() -> list[str]:
        return [j.status for j in ui_ctx.services.run(printing.list_jobs, ui_ctx.actor)]

    # the queue has looked at the printer and decided to wait: only then is "not printed" news
    qtbot.waitUntil(lambda: waiting() == ["waiting"], timeout=8000)
    assert panel.jobs.count() == 0 and panel.demo.printer.jobs == []
    panel.paper_out.setChecked(False)
    qtbot.waitUntil(lambda: panel.jobs.count() == 1, timeout=8000)
    panel.open_label()
    qtbot.waitUntil(lambda: len(panel.dialogs) == 1, timeout=15000)
    pixmap = panel.dialogs[0].image.pixmap()
    assert not pixmap.isNull() and pixmap.height() > 300
    assert panel.dialogs[0].png.startswith(b"\x89PNG")
