"""Scans into the real main window reach the scan pipeline (classified against the database)
with GS intact; typing into the Orders search box does not."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import insert

from app.db.models import Product, ProductBarcode
from app.domain.scans import GS, ScanEvent, ScanKind
from tests.ui.test_scan_wedge import FakeClock, person_types, scanner_types
from ui.context import UiContext
from ui.devices.station import StationDevices
from ui.main_window import MainWindow
from ui.scan_filter import ScanFilter
from ui.screens.orders import OrdersScreen

EAN = "5901234123457"


@pytest.fixture
def window(qtbot: QtBot, ui_ctx: UiContext) -> Iterator[tuple[MainWindow, FakeClock]]:
    with ui_ctx.services.uow() as uow:
        pid = uow.session.execute(
            insert(Product).returning(Product.id), [{"sku": "CUP-500", "name": "保温杯 500ml"}]
        ).scalar_one()
        uow.session.execute(insert(ProductBarcode), [{"product_id": pid, "barcode": EAN}])
        uow.commit()
    win = MainWindow(ui_ctx)
    qtbot.addWidget(win)
    devices = ui_ctx.devices["station"]
    assert isinstance(devices, StationDevices) and devices.running
    clock = FakeClock()
    devices.clock = clock  # QTest key events have no timestamps: give the filter a clock
    devices.restart()
    win.show()
    yield win, clock
    win.close()


def test_the_main_window_installs_the_wedge_filter_for_the_station(
    window: tuple[MainWindow, FakeClock],
) -> None:
    win, _ = window
    devices = win.station_devices
    assert isinstance(devices.scan_filter, ScanFilter)
    assert devices.states["scanner"][1] == "Scanner: keyboard"
    assert win.device_labels["scanner"].text() == "Scanner: keyboard"


def test_a_wedge_scan_into_the_main_window_is_classified_with_gs_intact_and_not_typed(
    qtbot: QtBot, window: tuple[MainWindow, FakeClock], ui_ctx: UiContext
) -> None:
    win, clock = window
    orders = win.screen(OrdersScreen)
    assert isinstance(orders, OrdersScreen)
    orders.search.setFocus()
    data = f"01{EAN.zfill(14)}10L2301{GS}17270200"
    with qtbot.waitSignal(ui_ctx.bus.scanned, timeout=3000) as sig:
        scanner_types(orders.search, clock, "]C1" + data)
    event = sig.args[0]
    assert isinstance(event, ScanEvent)
    assert event.kind is ScanKind.PRODUCT and event.code == "CUP-500"
    assert event.symbology == "]C1" and event.text == data and GS in event.raw
    assert event.gs1 is not None and event.gs1.lot == "L2301"
    # a later key typed by a person: once it has landed, any give-back of held keys has run
    person_types(orders.search, clock, "x")
    clock.advance(500)
    qtbot.waitUntil(lambda: orders.search.text().endswith("x"), timeout=2000)
    assert orders.search.text() == "x"
    assert win.station_devices.recent_scans[0] == event


def test_typing_into_the_search_box_is_not_a_scan(
    qtbot: QtBot, window: tuple[MainWindow, FakeClock], ui_ctx: UiContext
) -> None:
    win, clock = window
    orders = win.screen(OrdersScreen)
    assert isinstance(orders, OrdersScreen)
    orders.search.setFocus()
    seen: list[object] = []
    ui_ctx.bus.scanned.connect(seen.append)
    person_types(orders.search, clock, "PD000001")
    clock.advance(300)
    qtbot.waitUntil(lambda: orders.search.text() == "PD000001", timeout=2000)
    # a real scan afterwards: once it has come through the pipeline, the typing would have too
    clock.advance(300)
    scanner_types(orders.search, clock, EAN)
    qtbot.waitUntil(lambda: len(seen) > 0, timeout=3000)
    assert [e.code for e in seen if isinstance(e, ScanEvent)] == ["CUP-500"] and len(seen) == 1
    assert orders.search.text() == "PD000001"


def test_closing_the_window_stops_the_devices_and_removes_the_filter(
    qtbot: QtBot, window: tuple[MainWindow, FakeClock], ui_ctx: UiContext
) -> None:
    win, clock = window
    devices = win.station_devices
    win.close()
    assert not devices.running and "station" not in ui_ctx.devices
    seen: list[object] = []
    ui_ctx.bus.scanned.connect(seen.append)
    field = win.screen(OrdersScreen).search  # type: ignore[attr-defined]
    scanner_types(field, clock, "LOC-0001")
    QApplication.processEvents()
    assert field.text() == "LOC-0001"  # no filter took the keys out: they were typed
    assert seen == []
