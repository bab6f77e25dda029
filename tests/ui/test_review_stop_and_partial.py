"""The Review queue with an order the channel cancelled while it was being picked (first,
marked, nothing to edit) and a line partly fulfilled in the channel (a box to tick once its
quantity is checked), on a real migrated SQLite file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from pytestqt.qtbot import QtBot

from tests.integration.test_intake_detail import PICKING, move, stocked_and_allocated
from tests.integration.test_order_import import (
    TRAPS,
    cancel_in_file,
    edited_copy,
    order_by_ext,
    run_import,
)
from tests.order_action_fixtures import add_products
from ui.context import UiContext
from ui.screens.review import LinesModel, ReviewScreen


def _screen(qtbot: QtBot, ctx: UiContext) -> ReviewScreen:
    screen = ReviewScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1300, 800)
    screen.show()
    screen.activated()
    return screen


def test_an_order_to_stop_comes_first_marked_and_cannot_be_edited(
    qtbot: QtBot, ui_ctx: UiContext, tmp_path: Path
) -> None:
    services, admin = ui_ctx.services, ui_ctx.actor
    stocked_and_allocated(services, admin)
    add_products(services, "NAPKIN-LINEN")
    run_import(services, admin, TRAPS)  # newer held orders, listed above #1001 by id
    move(services, admin, "#1001", *PICKING)
    run_import(services, admin, edited_copy(tmp_path, cancel_in_file("#1001")))
    screen = _screen(qtbot, ui_ctx)
    assert screen.model.rowCount() > 2
    first = screen.model.index(0, 0)
    assert first.data() == order_by_ext(services, "#1001").number
    assert (
        screen.model.index(0, 10)
        .data()
        .startswith("Cancelled in the channel while its status here was “Picking”: stop and put")
    )
    marked = screen.model.index(0, 3).data(Qt.ItemDataRole.BackgroundRole)
    assert isinstance(marked, QBrush)
    assert screen.model.index(1, 3).data(Qt.ItemDataRole.BackgroundRole) is None
    assert screen.model.index(0, 0).data(Qt.ItemDataRole.FontRole).bold()
    assert screen.model.index(1, 0).data(Qt.ItemDataRole.FontRole) is None
    screen.table.selectRow(0)
    assert screen.editor.order is not None and screen.editor.order.number == first.data()
    assert not screen.editor.save_button.isEnabled()
    assert not screen.editor.fields["city"].isEnabled()


def test_ticking_quantity_checked_on_a_partly_fulfilled_line_releases_the_order(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    services, admin = ui_ctx.services, ui_ctx.actor
    add_products(services, "NAPKIN-LINEN")
    run_import(services, admin, TRAPS)
    number = order_by_ext(services, "#2008").number
    screen = _screen(qtbot, ui_ctx)
    row = next(
        r for r in range(screen.model.rowCount()) if screen.model.index(r, 0).data() == number
    )
    screen.table.selectRow(row)
    lines = screen.editor.lines
    box = lines.index(0, LinesModel.CHECKED)
    assert box.data() == "Quantity checked"
    assert box.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert lines.flags(box) & Qt.ItemFlag.ItemIsUserCheckable
    # saving something else keeps the order held for its quantity
    screen.editor.fields["street2"].setText("Apt 5")
    screen.save()
    assert order_by_ext(services, "#2008").status == "on_hold"
    assert "still held" in screen.message.text()
    row = next(
        r for r in range(screen.model.rowCount()) if screen.model.index(r, 0).data() == number
    )
    screen.table.selectRow(row)
    box = screen.editor.lines.index(0, LinesModel.CHECKED)
    assert screen.editor.lines.setData(
        box, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole
    )
    screen.save()
    assert order_by_ext(services, "#2008").status == "released"
    assert number in screen.message.text()
