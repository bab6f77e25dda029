"""A real outage seen on screen (PostgreSQL through a loopback proxy, the station's offline
journal): the status bar says since when the station is offline and how many actions wait;
the pick, pack and ship screens show the journal's refusals in amber, not red; after the
database is back and the journal replayed, the conflict it met (an order cancelled at the
office while it was packed offline) is counted in red for the packer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.domain.scans import ScanEvent, ScanKind
from app.services import order_actions, pack_open, packing, scanning
from tests.integration.offline_fixtures import Outage, outage, proxy  # noqa: F401
from tests.pick_fixtures import BARCODES
from ui.bus import Bus
from ui.context import UiContext
from ui.i18n import install_language
from ui.main_window import MainWindow
from ui.screens.pack import PackScreen
from ui.screens.pick import PickScreen
from ui.screens.ship import ShipScreen
from ui.widgets.offline_status import AMBER
from ui.widgets.refusal import AMBER_TEXT

pytestmark = pytest.mark.postgres


def _ping(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window._ping_signals.offline, timeout=20_000):
        window._ping()


def test_an_outage_reads_as_offline_in_amber_and_its_conflict_in_red_after_the_replay(
    qtbot: QtBot,
    qapp: QApplication,
    outage: Outage,  # noqa: F811 (the fixture, imported)
) -> None:
    install_language(qapp, "en")
    o, packer = outage, outage.setup.packer
    # three days ago at 10:42 on the station's clock (a fixed date reads as "today" on its day)
    o.clock.now = (datetime.now(UTC) - timedelta(days=3)).replace(hour=10, minute=42)
    station = o.station()
    o.proxy.cut()  # the network goes
    view = station.run(packing.open_for_packing, packer, "TOTE-0002")  # opened offline
    station.run(packing.scan, packer, view.session_id, BARCODES["PEN-1"])
    station.run(pack_open.release, packer, view.session_id)  # put back: no order open
    assert station.offline_state().waiting == 3

    ctx = UiContext(station, packer, Bus())
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    since = o.clock.now.astimezone().strftime("%m-%d %H:%M")  # another day than today
    label = window.offline_status.state_label
    assert label.text() == f"Offline since {since}, 3 actions waiting"  # at once, before a ping
    _ping(qtbot, window)
    assert label.isVisible() and label.text() == f"Offline since {since}, 3 actions waiting"
    assert AMBER in label.styleSheet()
    assert "#b00020" not in window.db_label.styleSheet()  # working offline is not an alarm

    pick = PickScreen(ctx)
    qtbot.addWidget(pick)
    pick.get_work()
    assert "claiming new work must wait" in pick.message.text()
    assert AMBER_TEXT in pick.message.styleSheet() and "#b00020" not in pick.message.styleSheet()

    pack = window.current_screen()
    assert isinstance(pack, PackScreen)
    # no order open: an order code this station did not keep, classified offline the way the
    # scanner pipeline classifies every read (ui/devices/pipeline.py)
    event = station.run(scanning.classify, "NO-SUCH-ORDER")
    assert isinstance(event, ScanEvent) and event.kind is ScanKind.UNKNOWN
    with qtbot.waitSignal(pack.answered, timeout=20_000) as said:
        pack.on_scan(event)
    assert said.args is not None and said.args[0] is False
    assert "not among the orders this station kept" in pack.message.text()
    assert AMBER in pack.message.styleSheet()

    ship = ShipScreen(ctx)
    qtbot.addWidget(ship)
    ship.close_now(1)
    qtbot.waitUntil(lambda: "closing a handover must wait" in ship.message.text(), timeout=20_000)
    assert AMBER_TEXT in ship.message.styleSheet()

    # the office cancels the order while it is packed offline; the network comes back
    o.office.run(order_actions.cancel, o.admin, [o.order_id("PD2")], "customer called")
    o.proxy.restore()
    _ping(qtbot, window)  # the journal is replayed on this ping
    assert not station.offline_state().offline
    assert not label.isVisible()
    conflicts = window.offline_status.conflicts_label
    n = station.offline_state().conflicts
    assert n >= 1 and conflicts.text() == f"{n} conflicts need a supervisor"
    assert "#b00020" in conflicts.styleSheet()
    window.close()
    station.close()
