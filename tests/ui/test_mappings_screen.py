"""The product mappings screen on a real migrated SQLite file: it lists and filters the table,
adds, edits and deletes a mapping (with a confirmation), and imports a file whose bad row is
shown by its row number and reason."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app.domain.users import Permission
from app.importers import mapping_file
from app.importers.records import RowProblem
from app.services import listing_mappings, orders
from tests.ui.mapping_fixtures import add_catalogue, add_listing_orders, lines_of, statuses
from ui.context import UiContext
from ui.i18n import install_language
from ui.main_window import MainWindow
from ui.screens.mappings import MappingsScreen
from ui.widgets.mapping_dialog import MappingDialog
from ui.widgets.mapping_import import row_problem_text


def _with_mappings(ctx: UiContext) -> dict[str, int]:
    """A 6-pack, a kit and a title mapping (the first two for every channel)."""
    ids = add_catalogue(ctx.services)
    add_listing_orders(ctx.services, 1, sku="TB-OTHER", channel="淘宝")  # makes the channel
    [(channel_id, _code, _name)] = ctx.services.run(orders.channels)
    save = listing_mappings.save_mapping
    ctx.services.run(save, ctx.actor, None, "sku", "TEE-6PK", [(ids["TEE-S"], 6)])
    ctx.services.run(
        save,
        ctx.actor,
        None,
        "listing_id",
        "4410021",
        [(ids["MUG-350"], 1), (ids["LID-BAMBOO"], 1)],
    )
    ctx.services.run(
        save, ctx.actor, channel_id, "title", "蓝色水杯 500ml", [(ids["BOTTLE-500-BL"], 1)]
    )
    return ids


def _screen(qtbot: QtBot, ctx: UiContext) -> MappingsScreen:
    screen = MappingsScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1200, 700)
    screen.show()
    with qtbot.waitSignal(screen.loaded, timeout=5000):
        screen.activated()
    return screen


def _rows(screen: MappingsScreen) -> list[list[str]]:
    m = screen.model
    return [[m.index(r, c).data() for c in range(4)] for r in range(m.rowCount())]


def _select(screen: MappingsScreen, listing: str) -> None:
    for r in range(screen.model.rowCount()):
        if screen.model.mapping(r).match_text == listing:
            screen.table.selectRow(r)
            return
    raise AssertionError(f"{listing} is not listed")


def test_the_screen_lists_the_mappings_with_their_products_and_units(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    _with_mappings(ui_ctx)
    screen = _screen(qtbot, ui_ctx)
    rows = sorted(_rows(screen), key=lambda r: r[2])
    assert rows == [
        [
            "Every channel",
            "Listing or variant id",
            "4410021",
            "1 × MUG-350 Bamboo mug 350 ml + 1 × LID-BAMBOO Bamboo lid",
        ],
        ["Every channel", "Channel SKU", "TEE-6PK", "6 × TEE-S Sample Tee"],
        ["淘宝", "Listing title", "蓝色水杯 500ml", "1 × BOTTLE-500-BL Water bottle 500 ml blue"],
    ]
    assert screen.count.text() == "3 mappings"
    assert "a kit: several products" in screen.explain.text()
    with qtbot.waitSignal(screen.loaded, timeout=5000):
        qtbot.keyClicks(screen.filter, "TEE")
    assert [r[2] for r in _rows(screen)] == ["TEE-6PK"]
    assert screen.count.text() == "1 mapping"


def test_the_screen_is_in_the_navigation_only_for_those_who_edit_orders(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    window = MainWindow(ui_ctx)
    qtbot.addWidget(window)
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles[:4] == ["Orders", "Review", "Import orders", "Product mappings"]
    assert MappingsScreen.permission is Permission.EDIT_ORDERS


def test_editing_a_mapping_changes_its_units_and_releases_the_held_orders(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    _with_mappings(ui_ctx)
    # held: the file's SKU was mistyped in the mapping; the edit corrects it
    held = add_listing_orders(ui_ctx.services, 2, sku="TEE-6-PK", title="Tee six")
    screen = _screen(qtbot, ui_ctx)
    _select(screen, "TEE-6PK")
    screen.edit_button.click()
    dialog = screen.dialog
    assert isinstance(dialog, MappingDialog)
    assert dialog.match_text.text() == "TEE-6PK" and dialog.parts.parts()[0].units == 6
    dialog.match_text.setText("TEE-6-PK")
    dialog.parts._spins[0].setValue(5)
    with (
        qtbot.waitSignal(screen.loaded, timeout=10_000),
        qtbot.waitSignal(dialog.saved, timeout=10_000),
    ):
        dialog.save_button.click()
    assert screen.message.text() == "Mapped; 2 orders re-checked, 2 released, 0 still held."
    assert statuses(ui_ctx.services, held) == ["released", "released"]
    assert lines_of(ui_ctx.services, held[0]) == [("TEE-S", 5)]
    current = screen.current()
    assert current is not None and current.match_text == "TEE-6-PK"
    assert screen.model.index(screen.table.currentIndex().row(), 3).data() == "5 × TEE-S Sample Tee"


def test_adding_a_mapping_by_keyboard(qtbot: QtBot, ui_ctx: UiContext) -> None:
    add_catalogue(ui_ctx.services)
    screen = _screen(qtbot, ui_ctx)
    assert screen.count.text() == "0 mappings"
    screen.add_button.click()
    dialog = screen.dialog
    assert dialog is not None
    dialog.activateWindow()  # as a window system does: the keys go to the dialog
    qtbot.waitUntil(dialog.isActiveWindow, timeout=3000)
    dialog.match_kind.setCurrentIndex(dialog.match_kind.findData("title"))
    qtbot.keyClicks(dialog.match_text, "Buy 1 Get 1 FREE Tee")
    qtbot.keyClicks(dialog.parts.search, "TEE-S")
    with qtbot.waitSignal(dialog.parts.picked, timeout=5000):
        qtbot.keyClick(dialog.parts.search, Qt.Key.Key_Return)
    dialog.parts._spins[0].setValue(2)
    with qtbot.waitSignal(screen.loaded, timeout=10_000):
        qtbot.keyClick(dialog.parts.search, Qt.Key.Key_Return)
    assert _rows(screen) == [
        ["Every channel", "Listing title", "Buy 1 Get 1 FREE Tee", "2 × TEE-S Sample Tee"]
    ]


def test_deleting_asks_first_and_then_removes_the_mapping(qtbot: QtBot, ui_ctx: UiContext) -> None:
    _with_mappings(ui_ctx)
    screen = _screen(qtbot, ui_ctx)
    _select(screen, "4410021")
    screen.delete_button.click()
    box = screen.confirm
    assert box is not None and "4410021" in box.text() and "MUG-350" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert len(_rows(screen)) == 3
    screen.delete_button.click()
    box = screen.confirm
    assert box is not None
    with qtbot.waitSignal(screen.loaded, timeout=10_000):
        box.button(QMessageBox.StandardButton.Yes).click()
    assert sorted(r[2] for r in _rows(screen)) == ["TEE-6PK", "蓝色水杯 500ml"]
    assert screen.message.text() == "The mapping of “4410021” was deleted."
    assert len(ui_ctx.services.run(listing_mappings.list_mappings, ui_ctx.actor)) == 2


def test_importing_a_file_lists_the_bad_row_by_its_number_and_reason(
    qtbot: QtBot, ui_ctx: UiContext, tmp_path: Path
) -> None:
    add_catalogue(ui_ctx.services)
    held = add_listing_orders(ui_ctx.services, 1, sku="TEE-6PK")
    path = tmp_path / "mappings.csv"
    path.write_text(
        "channel,match,listing,sku,units\n"
        ",sku,TEE-6PK,TEE-S,6\n"
        ",sku,MUG-TWO,NO-SUCH-SKU,2\n"
        ",listing_id,4410021,MUG-350,1\n"
        ",listing_id,4410021,LID-BAMBOO,1\n",
        encoding="utf-8",
    )
    screen = _screen(qtbot, ui_ctx)
    with qtbot.waitSignal(screen.loaded, timeout=10_000):
        screen.import_file(path)
    dialog = screen.import_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.rows() == [("3", "Left out", "The SKU NO-SUCH-SKU is not a product.")]
    assert dialog.counts.text() == (
        "2 mappings added, 0 changed; 1 held orders checked again, 1 released."
    )
    assert "1 row was left out" in dialog.summary.text()
    assert statuses(ui_ctx.services, held) == ["released"]
    assert sorted(r[2] for r in _rows(screen)) == ["4410021", "TEE-6PK"]


def test_the_mapping_screen_speaks_chinese(
    qtbot: QtBot, ui_ctx: UiContext, qapp: QApplication
) -> None:
    _with_mappings(ui_ctx)
    install_language(qapp, "zh_CN")
    try:
        screen = _screen(qtbot, ui_ctx)
        assert MappingsScreen.title() == "平台商品对应"
        assert screen.import_button.text() == "导入 CSV/XLSX…"
        assert screen.model.headerData(1, Qt.Orientation.Horizontal) == "匹配方式"
        kinds = {screen.model.index(r, 1).data() for r in range(screen.model.rowCount())}
        assert kinds == {"平台 SKU", "平台商品/规格 ID", "平台商品标题"}
        problem = RowProblem(3, mapping_file.UNKNOWN_SKU, {"sku": "NO-SUCH-SKU"})
        text = row_problem_text(problem)
        assert "NO-SUCH-SKU" in text and "is not a product" not in text and "不是" in text
    finally:
        install_language(qapp, "en")


def test_exporting_writes_a_file_that_imports_back_the_same(
    qtbot: QtBot, ui_ctx: UiContext, tmp_path: Path
) -> None:
    _with_mappings(ui_ctx)
    screen = _screen(qtbot, ui_ctx)
    before = _rows(screen)
    path = tmp_path / "mappings.csv"
    with qtbot.waitSignal(screen.exported, timeout=10_000):
        screen.export_file(path)
    assert screen.message.text() == f"3 mappings written to {path}."
    assert path.read_text(encoding="utf-8-sig").splitlines()[0] == "channel,match,listing,sku,units"
    for m in ui_ctx.services.run(listing_mappings.list_mappings, ui_ctx.actor):
        ui_ctx.services.run(listing_mappings.delete_mapping, ui_ctx.actor, m.id)
    with qtbot.waitSignal(screen.loaded, timeout=10_000):
        screen.import_file(path)
    assert screen.import_dialog is not None and screen.import_dialog.rows() == []
    assert sorted(_rows(screen)) == sorted(before)
