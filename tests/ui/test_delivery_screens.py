"""Delivery tracking on screen (pytest-qt, real screens over a migrated SQLite file): the
supervisor's Delivery exceptions screen lists what an imported carrier status file and the
no-scan rule found (order, tracking, carrier, kind, since, last event), filters by kind, imports
a file and resolves a row with a note; the order detail shows the parcel's tracking history,
newest first, the statuses in the user's language."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QLabel, QTableWidget
from pytestqt.qtbot import QtBot

from app.services import delivery
from tests.delivery_fixtures import shipped_orders
from ui.context import UiContext
from ui.i18n import install_language
from ui.screens import screen_classes
from ui.screens.delivery_exceptions import DeliveryExceptionsScreen
from ui.screens.order_detail import OrderDetailDialog

DATA = Path(__file__).resolve().parents[1] / "data"
CN = DATA / "tracking_status_cn_gb18030.csv"
EN = DATA / "tracking_status_en.xlsx"


def _screen(qtbot: QtBot, ui_ctx: UiContext) -> DeliveryExceptionsScreen:
    screen = DeliveryExceptionsScreen(ui_ctx)
    qtbot.addWidget(screen)
    screen.resize(1300, 600)
    with qtbot.waitSignal(screen.loaded, timeout=10_000):
        screen.activated()
    return screen


def _cells(screen: DeliveryExceptionsScreen, row: int) -> list[str]:
    m = screen.model
    return [str(m.data(m.index(row, c))) for c in range(m.columnCount())]


def test_an_imported_file_fills_the_queue_and_a_supervisor_resolves_a_row_with_a_note(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    shipped_orders(ui_ctx.services, ui_ctx.actor)
    screen = _screen(qtbot, ui_ctx)
    assert screen.model.rows == [] and screen.summary.text() == "No delivery exception"
    assert not screen.buttons["resolve"].isEnabled()

    with qtbot.waitSignal(screen.loaded, timeout=15_000):
        screen.import_file(CN)
    assert "1 orders delivered" in screen.message.text()
    assert "SF0000009999" in screen.message.text() and "11, 12, 13" in screen.message.text()
    kinds = sorted(r.kind for r in screen.model.rows)
    # PD2 arrived damaged on 2 December and has said nothing since: no scan for 3 days too
    assert kinds == ["damaged", "no_scan"]
    damaged = next(i for i, r in enumerate(screen.model.rows) if r.kind == "damaged")
    cells = _cells(screen, damaged)
    assert cells[:4] == ["PD2", "SF0000000002", "SF", "Damaged"]
    assert "快件破损" in cells[5] and "北京市" in cells[5]

    with qtbot.waitSignal(screen.loaded, timeout=10_000):
        screen.kind.setCurrentIndex(screen.kind.findData("damaged"))
    assert [r.kind for r in screen.model.rows] == ["damaged"]
    assert screen.summary.text() == "1 parcel needs a look"

    with qtbot.waitSignal(screen.loaded, timeout=10_000):
        screen.resolve_with(screen.model.rows[0], "claimed from SF")
    assert screen.model.rows == [] and "resolved (claimed from SF)" in screen.message.text()


def test_a_supervisor_changes_the_days_without_a_scan_and_the_list_follows(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    shipped_orders(ui_ctx.services, ui_ctx.actor, days_ago=2)
    screen = _screen(qtbot, ui_ctx)
    assert screen.model.rows == [] and screen.days_box.value() == 3
    with qtbot.waitSignal(screen.loaded, timeout=10_000):
        screen.save_days(1)
    assert sorted(r.order_number for r in screen.model.rows) == ["PD1", "PD2"]
    assert {r.kind for r in screen.model.rows} == {"no_scan"}
    assert screen.days_box.value() == 1 and "1 days" in screen.hint.text()


def test_a_resolve_without_a_note_is_refused_on_screen(qtbot: QtBot, ui_ctx: UiContext) -> None:
    shipped_orders(ui_ctx.services, ui_ctx.actor)
    ui_ctx.services.run(delivery.import_tracking_file, ui_ctx.actor, CN)
    screen = _screen(qtbot, ui_ctx)
    with qtbot.waitSignal(screen.acted, timeout=10_000) as acted:
        screen.resolve_with(screen.model.rows[0], "  ")
    assert acted.args is not None and not acted.args[1]
    assert "Write what was done" in screen.message.text()


def test_the_order_detail_shows_the_tracking_history_newest_first_in_the_users_language(
    qtbot: QtBot, ui_ctx: UiContext, qapp: QApplication
) -> None:
    shipped = shipped_orders(ui_ctx.services, ui_ctx.actor)
    ui_ctx.services.run(delivery.import_tracking_file, ui_ctx.actor, EN)
    dialog = OrderDetailDialog(ui_ctx, shipped.orders["PD1"])
    qtbot.addWidget(dialog)
    table = dialog.findChild(QTableWidget, "tracking")
    assert table is not None and table.rowCount() == 3
    rows = [[table.item(r, c).text() for c in range(6)] for r in range(3)]
    assert [r[2] for r in rows] == ["Delivered", "In transit", "In transit"]
    assert [r[3] for r in rows] == ["Delivered", "In transit", "Picked up"]
    assert rows[0][1] == "1 · SF0000000001" and rows[0][4] == "Shanghai"
    assert rows[0][5] == EN.name and rows[0][0] > rows[1][0] > rows[2][0]
    assert table.item(0, 2).font().bold()

    install_language(qapp, "zh_CN")
    try:
        zh = OrderDetailDialog(ui_ctx, shipped.orders["PD1"])
        qtbot.addWidget(zh)
        zh_table = zh.findChild(QTableWidget, "tracking")
        assert zh_table is not None
        assert zh_table.item(0, 2).text() == "已签收"
        assert zh_table.item(1, 2).text() == "运输中"
    finally:
        install_language(qapp, "en")


def test_a_shipped_order_without_events_says_so_and_the_screen_is_in_the_navigation(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    shipped = shipped_orders(ui_ctx.services, ui_ctx.actor)
    dialog = OrderDetailDialog(ui_ctx, shipped.orders["PD2"])
    qtbot.addWidget(dialog)
    assert dialog.findChild(QTableWidget, "tracking") is None
    none = dialog.findChild(QLabel, "no_tracking")
    assert none is not None and none.text().startswith("No tracking event yet")
    assert DeliveryExceptionsScreen in screen_classes()
