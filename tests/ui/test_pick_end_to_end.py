"""Done when: a wave goes from creation to every order picked into totes through the real pick
screen in the real main window, driven by the emulated serial scanner over a real pty, on
SQLite and on PostgreSQL: with a wrong scan, a skip and a short pick on the way. No mouse, no
keyboard: the picker reads the screen and scans."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.bootstrap import Services, bootstrap
from app.config import Paths, Settings
from app.db.models import AuditEntry, Order, PickTask, RecountTask, Wave
from app.devices.emulators import HAS_PTY, ScannerEmulator
from app.devices.station_config import ScannerSettings, StationDevicesConfig
from app.domain.users import Actor, Role
from app.services import auth, stations, stock
from tests.conftest import make_actor
from tests.order_action_fixtures import receive
from tests.wave_fixtures import add_pick_location, build_wave
from ui.application import install_fonts
from ui.bus import Bus
from ui.context import UiContext
from ui.feedback import Feedback
from ui.i18n import install_language
from ui.main_window import MainWindow
from ui.screens.pick import PickScreen

pytestmark = pytest.mark.skipif(not HAS_PTY, reason="needs a POSIX pty")


@dataclass
class Floor:
    window: MainWindow
    screen: PickScreen
    scanner: ScannerEmulator
    feedback: Feedback
    services: Services
    order_ids: tuple[int, ...]
    wave_id: int


@pytest.fixture
def floor(qtbot: QtBot, qapp: QApplication, db_url: str, paths: Paths) -> Iterator[Floor]:
    install_fonts(qapp)
    install_language(qapp, "en")
    services = bootstrap(Settings(db_url=db_url, station="pick-01"), paths)
    scanner = ScannerEmulator()
    try:
        services.run(auth.create_first_admin, "admin", "correct-horse-9", services.station_id)
        admin = services.run(auth.login, "admin", "correct-horse-9", services.station_id)
        wave = build_wave(services, admin)  # created, allocated, planned and released
        # a second home for CUP-1, so the short pick below is picked from there
        add_pick_location(services, "C-19", "C", 19.0)
        receive(services, admin, "C-19", "CUP-1", 10)
        config = StationDevicesConfig(scanner=ScannerSettings(mode="serial", port=scanner.port))
        services.run(stations.save_station_devices, admin, services.station_id, config)
        picker: Actor = make_actor(services, admin, Role.PICKER, "picker1")
        ctx = UiContext(services, picker, Bus())
        window = MainWindow(ctx)
        qtbot.addWidget(window)
        window.show()
        feedback = ctx.devices["feedback"]
        station = ctx.devices["station"]
        qtbot.waitUntil(lambda: station.states["scanner"][1] == "Scanner: ready", timeout=8000)
        screen = window.screen(PickScreen)
        assert isinstance(screen, PickScreen) and isinstance(feedback, Feedback)
        yield Floor(window, screen, scanner, feedback, services, wave.order_ids, wave.wave_id)
        window.close()
    finally:
        scanner.close()
        QThreadPool.globalInstance().waitForDone(10_000)
        services.close()


def scan(qtbot: QtBot, floor: Floor, text: str) -> tuple[bool, str]:
    """Scan with the emulated serial scanner and wait for the screen's answer."""
    with qtbot.waitSignal(floor.feedback.shown, timeout=8000) as answer:
        floor.scanner.scan(text)
    ok, said = answer.args
    return bool(ok), str(said)


def test_a_wave_is_picked_into_totes_with_the_scanner_alone(qtbot: QtBot, floor: Floor) -> None:
    screen = floor.screen
    assert screen.view is not None and screen.view.task is not None  # Get work on open
    first = screen.view.task
    assert screen.location.text() == first.location
    # a wrong scan: red, the error sound, a plain message, nothing changes
    ok, said = scan(qtbot, floor, "LOC-C-03" if first.location != "C-03" else "LOC-A-01")
    assert not ok and "Wrong location" in said and first.location in said
    assert floor.feedback.sounds.played[-1] == "error"
    assert screen.message.text() == said and screen.view.task == first
    # skip the first task: it comes round again at the end
    ok, said = scan(qtbot, floor, "PD-CMD-SKIP")
    assert ok and screen.view.task is not None and screen.view.task.task_id != first.task_id
    shorted = False
    seen: list[str] = []
    while screen.view is not None and screen.view.task is not None:
        task = screen.view.task
        seen.append(task.location)
        assert len(seen) < 20, seen
        assert screen.location.text() == task.location
        assert scan(qtbot, floor, f"LOC-{task.location}")[0]
        if task.sku == "CUP-1" and not shorted:  # the shelf is empty: a short pick
            shorted = True
            ok, said = scan(qtbot, floor, "PD-CMD-SHORT")
            assert ok and screen.reasons.isVisible()
            ok, said = scan(qtbot, floor, "PD-REASON-EMPTY")
            assert ok and "Short pick recorded" in said
            continue
        assert scan(qtbot, floor, task.sku)[0]
        if task.qty - task.qty_picked > 1:
            assert scan(qtbot, floor, f"PD-CMD-QTY-{task.qty - task.qty_picked}")[0]
        ok, said = scan(qtbot, floor, task.tote)
        assert ok, said
    assert shorted and seen[-1] == first.location  # the skipped task came round last
    assert "C-19" in seen  # the short pick's rest, picked from the other location
    view = screen.view
    assert view is not None and view.done
    assert "take the cart to the pack benches" in screen.message.text()
    assert floor.feedback.sounds.played.count("error") == 1
    services = floor.services
    with services.uow() as uow:
        s = uow.session
        statuses = s.scalars(select(Order.status).where(Order.id.in_(floor.order_ids))).all()
        assert set(statuses) == {"picked"}
        assert s.get_one(Wave, floor.wave_id).status == "picked"
        assert s.scalar(select(func.count(RecountTask.id))) == 1
        assert s.scalar(select(func.count(PickTask.id)).where(PickTask.status == "short")) == 1
        refused = s.scalars(select(AuditEntry.after).where(AuditEntry.action == "pick.refused"))
        assert [a["refusal"] for a in refused if a] == ["wrong_location"]
    assert services.run(stock.check_stock_invariants) == []
    # then NEXT looks for more work: there is none
    ok, said = scan(qtbot, floor, "PD-CMD-NEXT")
    assert not ok and "No work now" in said
