"""The pack screen's refusals are laid out in the screen, never over the order's header: the
packer reads the order number and the refusal at once, from a metre."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from app.config import Paths
from app.db.models import Order
from app.devices.emulators import HAS_PTY
from tests.ui.pack_fixtures import Bench, open_bench
from tests.ui.test_pack_screen import scan

pytestmark = pytest.mark.skipif(not HAS_PTY, reason="needs a POSIX pty")


@pytest.fixture
def bench(qtbot: QtBot, qapp: QApplication, db_url: str, paths: Paths) -> Iterator[Bench]:
    yield from open_bench(qtbot, qapp, db_url, paths, picked=False)


def _rect(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def test_a_wrong_item_is_shown_in_a_red_banner_that_covers_neither_the_order_nor_its_lines(
    qtbot: QtBot, bench: Bench
) -> None:
    screen, window = bench.screen, bench.window
    [order_id] = bench.order_ids
    with bench.services.uow() as uow:
        number = uow.session.get_one(Order, order_id).number
    ok, said = scan(qtbot, bench, number)
    assert ok, said
    ok, said = scan(qtbot, bench, "NO-SUCH-THING-1")
    assert not ok
    assert bench.feedback.sounds.played[-1] == "error"
    qtbot.waitUntil(lambda: screen.message.isVisible())
    assert screen.message.text() == said
    assert "background" in screen.message.styleSheet()  # a red bar, not just red words
    header = [screen.order.order, screen.order.count, screen.shift, screen.order.lines]
    covering = [
        w
        for w in window.findChildren(QLabel)
        if w.isVisible() and w.text() == said and w is not screen.message
    ]
    for label in [screen.message, *covering]:
        for part in header:
            assert not _rect(label, window).intersects(_rect(part, window)), part.objectName()
    ok, said = scan(qtbot, bench, "NO-SUCH-THING-2")
    assert not ok and screen.message.text() == said  # the next refusal replaces it


def test_a_pickup_order_packed_shows_its_shelf_slot_big_on_the_waiting_page(
    qtbot: QtBot, bench: Bench
) -> None:
    screen = bench.screen
    [order_id] = bench.order_ids
    with bench.services.uow() as uow:
        order = uow.session.get_one(Order, order_id)
        order.pickup, number = True, order.number
        uow.commit()
    assert not screen.waiting.shelf.isVisible()
    for text in (number, "CUP-1", "CUP-1"):
        ok, said = scan(qtbot, bench, text)
        assert ok, said
    ok, said = scan(qtbot, bench, "PEN-1")
    assert ok and "P-01" in said, said
    qtbot.waitUntil(lambda: screen.waiting.shelf.isVisible())
    assert screen.pages.currentWidget() is screen.waiting
    assert screen.waiting.shelf.text() == "Pickup shelf P-01"
    assert screen.waiting.shelf.font().pointSize() >= 48
    # its slip is the pickup slip, not a packing slip, from queued to printed
    assert screen.waiting.slip.text() == "Pickup slip sent to the document printer."
    qtbot.waitUntil(lambda: screen.waiting.slip.text() == "Pickup slip printed.", timeout=10_000)
