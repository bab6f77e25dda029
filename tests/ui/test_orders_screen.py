"""The Orders screen on a real database: list, filter, search, detail, keyboard only."""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QTableWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from app.db.models import Order
from tests.factories import add_orders
from ui.context import UiContext
from ui.models.orders import OrdersTableModel
from ui.screens.orders import OrdersScreen


def _screen(qtbot: QtBot, ctx: UiContext) -> OrdersScreen:
    screen = OrdersScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1200, 700)
    screen.show()
    screen.activated()
    _settle(qtbot, screen)
    return screen


def _settle(qtbot: QtBot, screen: OrdersScreen) -> None:
    """Wait until the screen's queries (run off the UI thread) have answered."""
    qtbot.waitUntil(lambda: not screen.loading, timeout=10_000)


def test_the_list_pages_in_more_rows_as_it_scrolls(qtbot: QtBot, ui_ctx: UiContext) -> None:
    add_orders(ui_ctx.services, 450)
    screen = _screen(qtbot, ui_ctx)
    assert screen.model.rowCount() == 200
    assert screen.count.text() == "450 orders"
    screen.table.scrollToBottom()
    qtbot.waitUntil(lambda: screen.model.rowCount() > 200, timeout=2000)
    while screen.model.canFetchMore() or screen.loading:
        screen.model.fetchMore()
        _settle(qtbot, screen)
    assert screen.model.rowCount() == 450
    numbers = {screen.model.index(r, 0).data() for r in range(450)}
    assert len(numbers) == 450


def test_status_filter_and_search_narrow_the_list(qtbot: QtBot, ui_ctx: UiContext) -> None:
    add_orders(ui_ctx.services, 5)
    add_orders(ui_ctx.services, 2, status="on_hold", start=6)
    screen = _screen(qtbot, ui_ctx)
    screen.status.setCurrentIndex(screen.status.findData("on_hold"))
    _settle(qtbot, screen)
    assert screen.model.rowCount() == 2
    assert screen.model.index(0, 1).data() == "On hold"
    assert screen.model.index(0, 10).data() == "The phone number is not valid."
    screen.status.setCurrentIndex(0)
    screen.search.setFocus()  # the list has it once the window is shown
    qtbot.keyClicks(screen.search, "13800000003")
    qtbot.keyClick(screen.search, Qt.Key.Key_Return)
    _settle(qtbot, screen)
    assert screen.model.rowCount() == 1 and screen.model.index(0, 0).data() == "PD00000003"
    assert screen.count.text() == "1 order"


def test_keyboard_only_enter_opens_the_detail_with_lines_and_history(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    add_orders(ui_ctx.services, 3)
    screen = _screen(qtbot, ui_ctx)
    screen.table.setFocus()
    qtbot.keyClick(screen.table, Qt.Key.Key_Down)
    dialog = screen.open_detail(screen.table.currentIndex().row())
    qtbot.addWidget(dialog)
    assert dialog.detail.number == "PD00000002"
    lines = dialog.findChild(QTableWidget, "lines")
    assert lines is not None and lines.rowCount() == 2
    title = dialog.findChild(QLabel, "title")
    assert title is not None and "PD00000002" in title.text()
    assert dialog.detail.address is not None and dialog.detail.address.masked
    dialog.reveal_button.click()
    assert dialog.detail.address is not None and not dialog.detail.address.masked


def test_the_model_passes_qt_model_tester(
    qtbot: QtBot, qtmodeltester: object, ui_ctx: UiContext
) -> None:
    add_orders(ui_ctx.services, 30)
    screen = _screen(qtbot, ui_ctx)
    model: OrdersTableModel = screen.model
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_repaints_do_not_leak_references_to_none(
    qtbot: QtBot, qapp: QApplication, ui_ctx: UiContext
) -> None:
    """PySide6 6.12.0 loses a reference to None per data() call returning None (docs/devices.md);
    a few hundred repaints of a real table would drop it by hundreds of thousands."""
    add_orders(ui_ctx.services, 60)
    screen = _screen(qtbot, ui_ctx)
    for _ in range(20):
        screen.table.viewport().repaint()
    qapp.processEvents()
    before = sys.getrefcount(None)
    for _ in range(300):
        screen.table.viewport().repaint()
    qapp.processEvents()
    after = sys.getrefcount(None)
    assert abs(after - before) < 1000, (before, after)


def test_pickup_orders_are_listed_apart_with_the_delivery_filter(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    add_orders(ui_ctx.services, 3)
    with ui_ctx.services.uow() as uow:
        uow.session.execute(update(Order).where(Order.number == "PD00000002").values(pickup=True))
        uow.commit()
    screen = _screen(qtbot, ui_ctx)
    screen.delivery.setCurrentIndex(screen.delivery.findData(True))
    _settle(qtbot, screen)
    assert screen.model.rowCount() == 1 and screen.model.index(0, 0).data() == "PD00000002"
    assert screen.count.text() == "1 order"
    assert screen.model.index(0, 1).data() == "New · Pickup"  # flagged in the list itself
    screen.delivery.setCurrentIndex(screen.delivery.findData(False))
    _settle(qtbot, screen)
    assert {screen.model.index(r, 0).data() for r in range(screen.model.rowCount())} == {
        "PD00000001",
        "PD00000003",
    }
    assert {screen.model.index(r, 1).data() for r in range(screen.model.rowCount())} == {"New"}
