"""Mapping a held line in Review (审单) to products on a real migrated SQLite file: by keyboard
only (type, Enter, Enter), by a scanned barcode, a kit of two products, and the mapped line shown
with the channel's listing it came from."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.domain.scans import ScanEvent, ScanKind
from tests.ui.mapping_fixtures import (
    CATALOGUE,
    add_catalogue,
    add_listing_orders,
    lines_of,
    statuses,
)
from ui.context import UiContext
from ui.screens.review import ReviewScreen
from ui.widgets.map_listing import MapListingDialog


def _review(qtbot: QtBot, ctx: UiContext) -> ReviewScreen:
    screen = ReviewScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1300, 800)
    screen.show()
    qtbot.waitExposed(screen)
    screen.activated()
    screen.activateWindow()  # Ctrl+M is a shortcut of the active window
    qtbot.waitUntil(screen.isActiveWindow, timeout=3000)
    return screen


def _open_map_dialog(qtbot: QtBot, screen: ReviewScreen) -> MapListingDialog:
    """Ctrl+M on the open held order."""
    with qtbot.waitSignal(screen.mapper.opened, timeout=5000) as opened:
        qtbot.keyClick(screen.editor.lines_table, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    dialog = opened.args[0]
    assert isinstance(dialog, MapListingDialog)
    qtbot.waitExposed(dialog)
    return dialog


def test_mapping_a_line_by_keyboard_releases_every_held_order_with_that_listing(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    add_catalogue(ui_ctx.services)
    other = add_listing_orders(ui_ctx.services, 1, sku="TB-MUG-1", title="Mug")
    held = add_listing_orders(ui_ctx.services, 3, sku="TB-TEE-6PK", title="Tee 6-pack", qty=1)
    screen = _review(qtbot, ui_ctx)
    assert screen.count.text() == "4 orders held"
    assert screen.editor.map_button.isEnabled() and screen.editor.map_link.isVisibleTo(screen)
    dialog = _open_map_dialog(qtbot, screen)
    assert dialog.parts.search.hasFocus()
    assert dialog.match_kind.currentData() == "sku"
    assert dialog.apply_all.isChecked()
    assert dialog.held_count.text() == "3 held orders have this listing"

    # type, Enter (adds the product), Enter (saves)
    qtbot.keyClicks(dialog.parts.search, "Sample Tee")
    with qtbot.waitSignal(dialog.parts.picked, timeout=5000):
        qtbot.keyClick(dialog.parts.search, Qt.Key.Key_Return)
    assert [(p.sku, p.units) for p in dialog.parts.parts()] == [("TEE-S", 1)]
    assert dialog.save_button.isEnabled()
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        qtbot.keyClick(dialog.parts.search, Qt.Key.Key_Return)

    assert statuses(ui_ctx.services, held) == ["released"] * 3
    assert statuses(ui_ctx.services, other) == ["on_hold"]
    assert screen.message.text() == "Mapped; 3 orders re-checked, 3 released, 0 still held."
    assert screen.count.text() == "1 order held"
    assert lines_of(ui_ctx.services, held[0]) == [("TEE-S", 1)]


def test_a_scanned_barcode_picks_its_product_and_the_units_make_a_six_pack(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    add_catalogue(ui_ctx.services)
    # no SKU at all: the listing is matched by its title; a bad phone keeps the order held
    [oid] = add_listing_orders(ui_ctx.services, 1, title="Tee 6-pack", qty=2, phone="1381234567")
    screen = _review(qtbot, ui_ctx)
    dialog = _open_map_dialog(qtbot, screen)
    assert dialog.match_kind.currentData() == "title"
    barcode = CATALOGUE["TEE-S"][1]
    # a wedge scanner typing into the search box, ending with Enter
    qtbot.keyClicks(dialog.parts.search, barcode)
    with qtbot.waitSignal(dialog.parts.picked, timeout=5000) as picked:
        qtbot.keyClick(dialog.parts.search, Qt.Key.Key_Return)
    assert picked.args[0].sku == "TEE-S" and picked.args[0].barcode == barcode
    assert dialog.parts.search.text() == ""
    dialog.parts._spins[0].setValue(6)
    assert "This line (2 ×) becomes: 12 × TEE-S" in dialog.preview.text()
    with qtbot.waitSignal(dialog.saved, timeout=10_000) as saved:
        dialog.save_button.click()
    result = saved.args[0]
    assert (result.rechecked, result.released, result.still_held) == (1, 0, 1)
    assert screen.message.text() == "Mapped; 1 order re-checked, 0 released, 1 still held."
    assert statuses(ui_ctx.services, [oid]) == ["on_hold"]
    assert lines_of(ui_ctx.services, oid) == [("TEE-S", 12)]


def test_a_scan_from_the_station_scanner_adds_the_product_while_the_dialog_is_open(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    add_catalogue(ui_ctx.services)
    add_listing_orders(ui_ctx.services, 1, sku="TB-LID", title="Lid")
    screen = _review(qtbot, ui_ctx)
    dialog = _open_map_dialog(qtbot, screen)
    barcode = CATALOGUE["LID-BAMBOO"][1]
    event = ScanEvent(barcode, barcode, "", "serial:/dev/ttyACM0", ScanKind.PRODUCT)
    with qtbot.waitSignal(dialog.parts.picked, timeout=5000):
        ui_ctx.bus.scanned.emit(event)
    assert [p.sku for p in dialog.parts.parts()] == ["LID-BAMBOO"]


def test_a_kit_of_two_products_is_mapped_and_review_shows_the_listing_it_came_from(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    add_catalogue(ui_ctx.services)
    [oid] = add_listing_orders(
        ui_ctx.services, 1, sku="TB-GIFT-SET", title="杯子礼盒组合装", phone="1381234567"
    )
    screen = _review(qtbot, ui_ctx)
    dialog = _open_map_dialog(qtbot, screen)
    qtbot.keyClicks(dialog.parts.search, "mug")
    with qtbot.waitSignal(dialog.parts.picked, timeout=5000):
        qtbot.keyClick(dialog.parts.search, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.parts.search, "bamboo")
    with qtbot.waitSignal(dialog.parts.results_shown, timeout=5000):
        pass
    # the arrow keys choose among the hits, Enter adds the chosen one
    hits = [dialog.parts.results.item(i).text() for i in range(dialog.parts.results.count())]
    lid_row = next(i for i, t in enumerate(hits) if t.startswith("LID-BAMBOO"))
    dialog.parts.results.setCurrentRow(0)
    for _ in range(lid_row):
        qtbot.keyClick(dialog.parts.search, Qt.Key.Key_Down)
    with qtbot.waitSignal(dialog.parts.picked, timeout=5000):
        qtbot.keyClick(dialog.parts.search, Qt.Key.Key_Return)
    assert [p.sku for p in dialog.parts.parts()] == ["MUG-350", "LID-BAMBOO"]
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        qtbot.keyClick(dialog.parts.search, Qt.Key.Key_Return)
    # the order stays held for its phone: Review shows it again, with the mapped lines and
    # (from off the UI thread) the listing they came from
    assert screen.editor.order is not None and screen.editor.order.id == oid
    assert lines_of(ui_ctx.services, oid) == [("MUG-350", 1), ("LID-BAMBOO", 1)]
    lines = screen.editor.lines
    qtbot.waitUntil(lambda: bool(lines.index(0, lines.LISTING).data()), timeout=10_000)
    assert [lines.index(r, lines.SKU).data() for r in range(2)] == ["MUG-350", "LID-BAMBOO"]
    assert lines.index(0, lines.LISTING).data() == "“杯子礼盒组合装” × 1"
    tip = lines.index(1, lines.LISTING).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == "1 × Bamboo lid (from listing “杯子礼盒组合装” × 1)"
    assert not screen.editor.map_button.isEnabled()
    assert not screen.editor.map_link.isVisibleTo(screen)


def test_the_hold_reasons_link_opens_the_map_dialog(qtbot: QtBot, ui_ctx: UiContext) -> None:
    add_catalogue(ui_ctx.services)
    add_listing_orders(ui_ctx.services, 1, title="Tee 6-pack")
    screen = _review(qtbot, ui_ctx)
    with qtbot.waitSignal(screen.mapper.opened, timeout=5000) as opened:
        screen.editor.map_link.linkActivated.emit("map")
    assert opened.args[0].listing.title == "Tee 6-pack"
