"""The pickup counter screen with the emulated serial scanner on a real pty: the clerk scans a
customer's pickup slip, sees the slot huge and the masked recipient, scans it again and the order
is handed over (delivered, off the waiting list); a wrong scan is refused in red, and
a typed order number works the same way."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.bootstrap import Services
from app.db.models import Order
from app.devices.emulators import HAS_PTY, ScannerEmulator
from app.devices.station_config import ScannerSettings, StationDevicesConfig
from app.domain.users import Actor, Role
from tests.conftest import make_actor
from tests.pickup_fixtures import pack_pd1, pack_pd2, pickup_shop
from ui.application import install_fonts
from ui.bus import Bus
from ui.context import UiContext
from ui.devices.station import StationDevices
from ui.i18n import install_language
from ui.screens.pickup import PickupScreen

pytestmark = pytest.mark.skipif(not HAS_PTY, reason="needs a POSIX pty")


@pytest.fixture
def counter(
    qtbot: QtBot, qapp: QApplication, services: Services, admin: Actor
) -> Iterator[tuple[PickupScreen, ScannerEmulator]]:
    install_fonts(qapp)
    install_language(qapp, "en")
    setup = pickup_shop(services, admin)
    pack_pd2(services, setup)
    pack_pd1(services, setup)
    clerk = make_actor(services, admin, Role.SHIPPER, "counter1")
    ctx = UiContext(services, clerk, Bus())
    scanner = ScannerEmulator()
    screen = PickupScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1280, 860)
    config = StationDevicesConfig(scanner=ScannerSettings(mode="serial", port=scanner.port))
    devices = StationDevices(ctx, config)
    ctx.bus.scanned.connect(screen.on_scan)
    devices.start()
    with qtbot.waitSignal(screen.loaded, timeout=8000):
        screen.show()
        screen.activated()
    qtbot.waitUntil(
        lambda: devices.states.get("scanner", (0, ""))[1] == "Scanner: ready", timeout=5000
    )
    yield screen, scanner
    devices.stop()
    scanner.close()


def _scan(qtbot: QtBot, screen: PickupScreen, scanner: ScannerEmulator, text: str) -> tuple:
    with qtbot.waitSignal(screen.answered, timeout=8000) as answer:
        scanner.scan(text)
    return tuple(answer.args)


def test_the_clerk_scans_the_slip_sees_the_slot_and_scans_again_to_hand_it_over(
    qtbot: QtBot, counter: tuple[PickupScreen, ScannerEmulator], services: Services
) -> None:
    screen, scanner = counter
    assert [w.order_number for w in screen.model.rows] == ["PD2", "PD1"]
    assert screen.list_title.text() == "Waiting on the shelf: 2"
    assert not screen.hand_over.isEnabled()
    ok, said = _scan(qtbot, screen, scanner, "PD2")
    assert ok and "slot S-07" in said
    assert screen.slot.text() == "S-07" and "张*丰" in screen.who.text()
    assert "scan the slip again" in screen.prompt.text()
    ok, said = _scan(qtbot, screen, scanner, "PD2")
    assert ok and "PD2 handed to the customer from slot S-07" in said, said
    qtbot.waitUntil(lambda: [w.order_number for w in screen.model.rows] == ["PD1"], timeout=8000)
    assert screen.slot.text() == "" and not screen.hand_over.isEnabled()
    ok, said = _scan(qtbot, screen, scanner, "PD2")
    assert not ok and "already collected" in said
    with services.uow() as uow:
        status = uow.session.scalar(select(Order.status).where(Order.number == "PD2"))
    assert status == "delivered"
    screen.typed.setText("PD1")
    with qtbot.waitSignal(screen.answered, timeout=8000):
        screen.typed.returnPressed.emit()
    assert screen.slot.text() == "S-08"
    with qtbot.waitSignal(screen.answered, timeout=8000) as answer:
        screen.hand_over.click()
    assert answer.args[0] and "PD1 handed to the customer from slot S-08" in answer.args[1]
