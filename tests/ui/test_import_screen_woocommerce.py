"""The Import screen with WooCommerce's REST API order list (JSON) and Advanced Order Export's
CSV: the file dialog lists .json files, the screen names the layout it found, shows the first
orders, and imports them."""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.order_action_fixtures import add_products
from ui.context import UiContext
from ui.screens.import_screen import ImportScreen

DATA = Path(__file__).resolve().parents[1] / "data"


def _screen(qtbot: QtBot, ctx: UiContext) -> ImportScreen:
    screen = ImportScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1300, 800)
    screen.show()
    screen.activated()
    qtbot.waitUntil(lambda: not screen.checking, timeout=10_000)
    return screen


def test_the_file_dialog_lists_json_order_lists(qtbot: QtBot, ui_ctx: UiContext) -> None:
    screen = _screen(qtbot, ui_ctx)
    first = screen.file_filter().split(";;")[0]
    patterns = re.findall(r"\*\.\w+", first)
    assert any(fnmatch.fnmatch("woocommerce_rest_orders.json", p) for p in patterns)
    assert ".json" in screen.file.placeholderText()
    formats = [screen.format.itemData(i) for i in range(screen.format.count())]
    assert {"woocommerce_rest", "woocommerce_aoe"} <= set(formats)


def test_a_rest_api_order_list_is_named_and_its_first_orders_shown(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    screen = _screen(qtbot, ui_ctx)
    screen.set_file(DATA / "woocommerce_rest_orders.json")
    qtbot.waitUntil(lambda: not screen.checking, timeout=10_000)
    assert "a WooCommerce REST API order list (JSON)" in screen.detected.text()
    assert "UTF-8 (detected)" in screen.detected.text()
    m = screen.preview_model
    assert m.rowCount() == 14 and m.headerData(0, Qt.Orientation.Vertical) == "1"
    assert m.index(0, 0).data() == "7101" and m.index(1, 6).data() == "Kapıda Ödeme"
    assert screen.preview_label.text() == "The first orders of the file"
    assert not screen.generic.isVisible() and screen.import_button.isEnabled()
    assert screen.channel.currentText() == "WooCommerce"


def test_advanced_order_export_is_named_from_its_header(qtbot: QtBot, ui_ctx: UiContext) -> None:
    screen = _screen(qtbot, ui_ctx)
    screen.set_file(DATA / "woocommerce_aoe_orders.csv")
    qtbot.waitUntil(lambda: not screen.checking, timeout=10_000)
    assert "Advanced Order Export" in screen.detected.text()
    assert screen.preview_model.headerData(0, Qt.Orientation.Vertical) == "2"
    assert screen.preview_label.text() == "The first rows of the file"
    assert not screen.generic.isVisible()


def test_importing_a_rest_api_order_list_reports_by_order(qtbot: QtBot, ui_ctx: UiContext) -> None:
    add_products(ui_ctx.services, "BOTTLE-500-BL", "LID-BAMBOO", "MUG-TRAVEL", "TEE-BLK-M")
    screen = _screen(qtbot, ui_ctx)
    screen.set_file(DATA / "woocommerce_rest_orders.json")
    qtbot.waitUntil(lambda: not screen.checking, timeout=10_000)
    with qtbot.waitSignal(screen.result_shown, timeout=30_000):
        screen.import_button.click()
    assert screen.progress_text.text() == (
        "woocommerce_rest_orders.json: 14 orders read into channel woocommerce."
    )
    assert screen.summary.text().splitlines()[0].startswith("10 imported (")
    m = screen.problems_model
    assert m.headerData(0, Qt.Orientation.Horizontal) == "Order no."
    rows = {m.index(r, 2).data(): m.index(r, 0).data() for r in range(m.rowCount())}
    assert rows["7110"] == "10"  # the 10th order of the list
