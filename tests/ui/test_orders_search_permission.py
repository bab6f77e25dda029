"""The Orders screen's search for someone without the personal-data permission."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.domain.users import Role
from app.services import auth
from tests.factories import add_orders
from ui.bus import Bus
from ui.context import UiContext
from ui.screens.orders import OrdersScreen


def _settle(qtbot: QtBot, screen: OrdersScreen) -> None:
    """Wait until the screen's queries (run off the UI thread) have answered."""
    qtbot.waitUntil(lambda: not screen.loading, timeout=10_000)


def _search(qtbot: QtBot, screen: OrdersScreen, text: str) -> list[str]:
    screen.search.clear()
    qtbot.keyClicks(screen.search, text)
    qtbot.keyClick(screen.search, Qt.Key.Key_Return)
    assert screen.loading  # the search went off to the database...
    _settle(qtbot, screen)  # ...and came back
    return [screen.model.index(r, 0).data() for r in range(screen.model.rowCount())]


def test_a_packer_finds_orders_by_number_not_by_customer_and_the_field_says_so(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    services = ui_ctx.services
    add_orders(services, 5)
    services.run(auth.create_user, ui_ctx.actor, "li.na", Role.PACKER, "packer-pass-1")
    packer = services.run(auth.login, "li.na", "packer-pass-1", services.station_id)
    screen = OrdersScreen(UiContext(services, packer, Bus()))
    qtbot.addWidget(screen)
    screen.activated()
    _settle(qtbot, screen)
    assert screen.model.rowCount() == 5
    assert screen.search.placeholderText() == (
        "Search: order number, channel order id or tracking number"
    )
    assert _search(qtbot, screen, "13800000003") == []
    assert screen.count.text() == "0 orders"
    assert _search(qtbot, screen, "PD00000003") == ["PD00000003"]
    admin_screen = OrdersScreen(ui_ctx)
    qtbot.addWidget(admin_screen)
    assert "name or phone" in admin_screen.search.placeholderText()
