"""The Orders screen's additions on a real database: channel and hold reason filters, search by
channel order id and customer name (shown masked), bulk actions with per-order results and
permission checks, and the detail with reserved stock and the hold history."""

from __future__ import annotations

import time

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QInputDialog, QMessageBox, QPlainTextEdit, QTableWidget
from pytestqt.qtbot import QtBot

from app.domain.users import Role
from app.services import merge_split
from tests.conftest import make_actor
from tests.order_action_fixtures import (
    Person,
    add_location,
    add_order,
    add_products,
    receive,
    status_of,
)
from ui.bus import Bus
from ui.context import UiContext
from ui.screens.orders import OrdersScreen

EMMA = Person("Emma Wilson", "13911112222", "杭州市", "文三路2号")


def _screen(qtbot: QtBot, ctx: UiContext) -> OrdersScreen:
    screen = OrdersScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1300, 800)
    screen.show()
    screen.activated()
    _settle(screen)
    return screen


def _settle(screen: OrdersScreen) -> None:
    """Wait until the screen's queries (run off the UI thread) have answered."""
    deadline = time.monotonic() + 10
    while screen.loading:
        assert time.monotonic() < deadline, "the Orders screen is still loading"
        QTest.qWait(5)


def _select(screen: OrdersScreen, *numbers: str) -> None:
    _settle(screen)
    sel = screen.table.selectionModel()
    sel.clearSelection()
    for r in range(screen.model.rowCount()):
        if screen.model.index(r, 0).data() in numbers:
            sel.select(
                screen.model.index(r, 0),
                QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
            )


def _numbers(screen: OrdersScreen) -> list[str]:
    _settle(screen)
    return [screen.model.index(r, 0).data() for r in range(screen.model.rowCount())]


def _number(ctx: UiContext, oid: int) -> str:
    from app.services import orders

    return ctx.services.run(orders.order_detail, ctx.actor, oid).number


def _stock(ctx: UiContext) -> None:
    add_products(ctx.services, "CUP", "TEA", expiry=["TEA"])
    add_location(ctx.services, "A-01", sequence=1)
    receive(ctx.services, ctx.actor, "A-01", "CUP", 5)


def test_channel_and_hold_reason_filters_narrow_the_list(qtbot: QtBot, ui_ctx: UiContext) -> None:
    _stock(ui_ctx)
    shop = add_order(ui_ctx.services, [("CUP", 1)])
    other = add_order(ui_ctx.services, [("CUP", 1)], channel="market")
    unknown = add_order(ui_ctx.services, [("NOPE", 1)], status="on_hold")  # held at import
    screen = _screen(qtbot, ui_ctx)
    assert screen.channel.count() == 3  # all, market, shop
    screen.channel.setCurrentIndex(screen.channel.findText("market"))
    assert _numbers(screen) == [_number(ui_ctx, other)]
    screen.channel.setCurrentIndex(0)
    screen.hold_reason.setCurrentIndex(screen.hold_reason.findData("unknown_sku"))
    assert screen.hold_reason.currentText() == "Unknown SKU"
    assert _numbers(screen) == [_number(ui_ctx, unknown)]
    screen.hold_reason.setCurrentIndex(0)
    assert len(_numbers(screen)) == 3 and _number(ui_ctx, shop) in _numbers(screen)


def test_search_finds_a_customer_by_name_prefix_and_still_shows_it_masked(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    _stock(ui_ctx)
    emma = add_order(ui_ctx.services, [("CUP", 1)], person=EMMA)
    add_order(ui_ctx.services, [("CUP", 1)])
    screen = _screen(qtbot, ui_ctx)
    screen.search.setFocus()  # the list has it once the window is shown
    qtbot.keyClicks(screen.search, "emma wil")
    qtbot.keyClick(screen.search, Qt.Key.Key_Return)
    assert _numbers(screen) == [_number(ui_ctx, emma)]
    assert screen.model.index(0, 3).data() == "E*** W*****"


def test_search_finds_merged_orders_by_any_channel_order_id(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    _stock(ui_ctx)
    a = add_order(ui_ctx.services, [("CUP", 1)])
    b = add_order(ui_ctx.services, [("CUP", 2)])
    from app.services import orders

    ext_b = ui_ctx.services.run(orders.order_detail, ui_ctx.actor, b).external_id
    ui_ctx.services.run(merge_split.merge, ui_ctx.actor, [a, b])
    screen = _screen(qtbot, ui_ctx)
    screen.search.setFocus()  # the list has it once the window is shown
    qtbot.keyClicks(screen.search, ext_b)
    qtbot.keyClick(screen.search, Qt.Key.Key_Return)
    assert sorted(_numbers(screen)) == sorted([_number(ui_ctx, a), _number(ui_ctx, b)])


def test_bulk_allocate_reports_every_order_and_the_detail_shows_where_the_stock_is(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    _stock(ui_ctx)
    ok = add_order(ui_ctx.services, [("CUP", 3)])
    short = add_order(ui_ctx.services, [("CUP", 4)])  # 2 left after the first
    new = add_order(ui_ctx.services, [("CUP", 1)], status="new")
    screen = _screen(qtbot, ui_ctx)
    changed: list[tuple[str, list[int]]] = []
    ui_ctx.bus.changed.connect(lambda kind, ids: changed.append((kind, ids)))
    _select(screen, *(_number(ui_ctx, o) for o in (ok, short, new)))
    assert screen.action_bar.allocate_button.isEnabled()
    with qtbot.waitSignal(screen.action_bar.shown, timeout=10_000):
        qtbot.mouseClick(screen.action_bar.allocate_button, Qt.MouseButton.LeftButton)
    assert screen.action_bar.summary.text() == "Orders done: 1. Refused: 2, see why below."
    details = screen.findChild(QPlainTextEdit, "action_results")
    assert details is not None
    lines = details.toPlainText().splitlines()
    assert lines[-1] == f"✓ Order {_number(ui_ctx, ok)} allocated; units reserved: 3."
    assert any("CUP: 4 wanted, 2 available, 2 short" in ln for ln in lines)
    assert any(f"Order {_number(ui_ctx, new)} is New; only released" in ln for ln in lines)
    assert [(kind, sorted(ids)) for kind, ids in changed] == [("order", sorted([ok, short, new]))]
    assert status_of(ui_ctx.services, ok) == "allocated"
    # the screen reloaded through the bus: statuses are current, the same orders still selected
    row = _numbers(screen).index(_number(ui_ctx, ok))
    assert screen.model.index(row, 1).data() == "Allocated"
    assert sorted(screen.selected_ids()) == sorted([ok, short, new])
    dialog = screen.open_detail(row)
    qtbot.addWidget(dialog)
    table = dialog.findChild(QTableWidget, "allocations")
    assert table is not None and table.rowCount() == 1
    assert [table.item(0, c).text() for c in (1, 2, 5)] == ["CUP", "A-01", "3"]


def test_hold_asks_for_a_reason_and_cancel_asks_first(qtbot: QtBot, ui_ctx: UiContext) -> None:
    _stock(ui_ctx)
    oid = add_order(ui_ctx.services, [("CUP", 1)])
    screen = _screen(qtbot, ui_ctx)
    _select(screen, _number(ui_ctx, oid))
    dialog = screen.action_bar.ask_hold_reason()
    assert isinstance(dialog, QInputDialog)
    dialog.setTextValue("customer will call back")
    with qtbot.waitSignal(screen.action_bar.shown, timeout=10_000):
        dialog.accept()
    assert status_of(ui_ctx.services, oid) == "on_hold"
    detail = screen.open_detail(_numbers(screen).index(_number(ui_ctx, oid)))
    qtbot.addWidget(detail)
    holds = detail.findChild(QTableWidget, "holds")
    assert holds is not None
    assert [holds.item(0, c).text() for c in (4, 1)] == ["customer will call back", "admin"]
    # cancelling: the question comes first, and No leaves the order alone
    _select(screen, _number(ui_ctx, oid))
    box = screen.action_bar.ask_cancel()
    assert isinstance(box, QMessageBox)
    box.button(QMessageBox.StandardButton.No).click()
    assert status_of(ui_ctx.services, oid) == "on_hold"
    box = screen.action_bar.ask_cancel()
    with qtbot.waitSignal(screen.action_bar.shown, timeout=10_000):
        box.button(QMessageBox.StandardButton.Yes).click()
    assert status_of(ui_ctx.services, oid) == "cancelled"
    assert screen.action_bar.summary.text() == "All done. Orders: 1."


def test_roles_without_the_permissions_see_the_buttons_disabled_and_the_service_refuses(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    _stock(ui_ctx)
    oid = add_order(ui_ctx.services, [("CUP", 1)])
    picker = make_actor(ui_ctx.services, ui_ctx.actor, Role.PICKER)
    ctx = UiContext(ui_ctx.services, picker, Bus())
    screen = _screen(qtbot, ctx)
    _select(screen, _number(ui_ctx, oid))
    buttons = [
        screen.action_bar.release_button,
        screen.action_bar.hold_button,
        screen.action_bar.cancel_button,
        screen.action_bar.allocate_button,
    ]
    assert [b.isEnabled() for b in buttons] == [False] * 4
    assert "may not" in screen.action_bar.allocate_button.toolTip()
    # were the button pressed anyway, the service refuses and the screen says so in red
    with qtbot.waitSignal(screen.action_bar.shown, timeout=10_000):
        screen.action_bar.allocate()
    assert "may not allocate stock" in screen.action_bar.summary.text()
    assert status_of(ui_ctx.services, oid) == "released"
    # a supervisor has them all once rows are selected
    supervisor = make_actor(ui_ctx.services, ui_ctx.actor, Role.SUPERVISOR, "sup")
    sup_screen = _screen(qtbot, UiContext(ui_ctx.services, supervisor, Bus()))
    _select(sup_screen)  # nothing selected: nothing to act on
    assert not sup_screen.action_bar.release_button.isEnabled()
    _select(sup_screen, _number(ui_ctx, oid))
    assert all(
        b.isEnabled()
        for b in (
            sup_screen.action_bar.release_button,
            sup_screen.action_bar.hold_button,
            sup_screen.action_bar.cancel_button,
            sup_screen.action_bar.allocate_button,
        )
    )


def test_mergeable_orders_are_suggested_and_merged_by_the_reviewer(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    _stock(ui_ctx)
    a = add_order(ui_ctx.services, [("CUP", 1)])
    b = add_order(ui_ctx.services, [("TEA", 2)])
    add_order(ui_ctx.services, [("CUP", 1)], person=EMMA)
    screen = _screen(qtbot, ui_ctx)
    dialog = screen.action_bar.open_merge_suggestions()
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1
    numbers = f"{_number(ui_ctx, a)}, {_number(ui_ctx, b)}"
    assert dialog.table.item(0, 0).text() == numbers
    assert dialog.table.item(0, 2).text() == "张*丰"  # masked
    with qtbot.waitSignal(screen.action_bar.shown, timeout=10_000):
        dialog.merge_button.click()
    assert screen.action_bar.details.toPlainText() == (
        f"✓ Orders {_number(ui_ctx, b)} were merged into {_number(ui_ctx, a)}."
    )
    assert status_of(ui_ctx.services, b) == "cancelled"


def test_merge_needs_two_orders_and_a_refusal_is_shown_in_red(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    _stock(ui_ctx)
    a = add_order(ui_ctx.services, [("CUP", 1)])
    emma = add_order(ui_ctx.services, [("CUP", 1)], person=EMMA)
    screen = _screen(qtbot, ui_ctx)
    _select(screen, _number(ui_ctx, a))
    assert not screen.action_bar.merge_button.isEnabled()
    assert screen.action_bar.split_button.isEnabled()
    _select(screen, _number(ui_ctx, a), _number(ui_ctx, emma))
    assert screen.action_bar.merge_button.isEnabled()
    assert not screen.action_bar.split_button.isEnabled()
    with qtbot.waitSignal(screen.action_bar.shown, timeout=10_000):
        screen.action_bar.merge_button.click()
    assert "same person at the same address" in screen.action_bar.summary.text()
    assert "#b00020" in screen.action_bar.summary.styleSheet()
    assert status_of(ui_ctx.services, emma) == "released"


def test_an_order_is_split_by_units_or_by_what_is_in_stock(qtbot: QtBot, ui_ctx: UiContext) -> None:
    _stock(ui_ctx)  # 5 cups, no tea
    oid = add_order(ui_ctx.services, [("CUP", 3), ("TEA", 2)])
    screen = _screen(qtbot, ui_ctx)
    _select(screen, _number(ui_ctx, oid))
    dialog = screen.action_bar.open_split()
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 2
    dialog.spins[1].setValue(1)
    with qtbot.waitSignal(screen.action_bar.shown, timeout=10_000):
        dialog.by_lines.click()
    number = _number(ui_ctx, oid)
    assert screen.action_bar.details.toPlainText() == (
        f"✓ Units moved from order {number} to the new order {number}-2: 1."
    )
    _select(screen, number)
    dialog = screen.action_bar.open_split()
    assert dialog is not None
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(screen.action_bar.shown, timeout=10_000):
        dialog.by_stock.click()
    assert f"to the new order {number}-3: 2." in screen.action_bar.details.toPlainText()
    from app.services import orders

    left = ui_ctx.services.run(orders.order_detail, ui_ctx.actor, oid)
    assert [(ln.sku, ln.qty) for ln in left.lines] == [("CUP", 2)]
