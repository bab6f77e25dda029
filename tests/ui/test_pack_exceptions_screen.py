"""The Pack exceptions screen: a supervisor sees the parcels stopped at the scale (order,
station, packer, both weights, how long they waited), has one repacked or voids it; the list
arrives off the UI thread."""

from __future__ import annotations

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db.models import Parcel
from app.services import pack_single
from tests.pick_fixtures import BARCODES
from tests.single_fixtures import single_ready
from ui.context import UiContext
from ui.screens import screen_classes
from ui.screens.pack_exceptions import PackExceptionsScreen, age_text


def _stop(ui_ctx: UiContext, grams: int) -> str:
    """A cup packed at the bench whose weight is far off: returns its order number."""
    s = ui_ctx.services
    setup = single_ready(s, ui_ctx.actor)
    out = s.run(pack_single.single_scan, setup.packer, setup.batch_id, BARCODES["CUP-1"], grams)
    assert out.kind == "weight_stopped"
    return out.view.order_number


def _screen(qtbot: QtBot, ui_ctx: UiContext) -> PackExceptionsScreen:
    screen = PackExceptionsScreen(ui_ctx)
    qtbot.addWidget(screen)
    screen.resize(1300, 600)
    with qtbot.waitSignal(screen.loaded, timeout=10_000):
        screen.activated()
    return screen


def test_stopped_parcels_are_listed_with_both_weights_and_marked_repacked(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    order = _stop(ui_ctx, 900)
    screen = _screen(qtbot, ui_ctx)

    assert [e.order_number for e in screen.model.rows] == [order]
    cells = [screen.model.data(screen.model.index(0, c)) for c in range(8)]
    assert cells[1:] == [order, "1", "pack-01", "packer-user", "360 g", "900 g", "+540 g"]
    assert screen.summary.text() == "1 parcel waits for a supervisor"
    assert screen.buttons["repacked"].isEnabled() and screen.buttons["void"].isEnabled()

    with qtbot.waitSignal(screen.loaded, timeout=10_000):
        screen.mark_repacked()
    assert screen.model.rows == []
    assert screen.summary.text() == "No parcel is waiting"
    assert "to be repacked" in screen.message.text()
    assert not screen.buttons["repacked"].isEnabled()


def test_a_supervisor_voids_a_stopped_parcel_from_the_list(qtbot: QtBot, ui_ctx: UiContext) -> None:
    _stop(ui_ctx, 50)
    screen = _screen(qtbot, ui_ctx)
    (row,) = screen.model.rows

    with qtbot.waitSignal(screen.acted, timeout=10_000) as acted:
        screen.void_with(row, "cup missing from the bag")
    assert acted.args is not None and acted.args[1], acted.args
    qtbot.waitUntil(lambda: screen.model.rows == [], timeout=10_000)

    assert screen.model.rows == []
    assert "voided" in screen.message.text()
    with ui_ctx.services.uow() as uow:
        parcel = uow.session.get_one(Parcel, row.parcel_id)
        assert (parcel.status, parcel.void_reason) == ("voided", "cup missing from the bag")
        assert uow.session.scalar(select(Parcel.id).where(Parcel.status == "closed")) is None


def test_the_screen_is_in_the_navigation_and_waits_read_plainly() -> None:
    assert PackExceptionsScreen in screen_classes()
    assert [age_text(s) for s in (45, 12 * 60, 2 * 3600 + 5 * 60)] == [
        "45 s",
        "12 min",
        "2 h 05 min",
    ]
