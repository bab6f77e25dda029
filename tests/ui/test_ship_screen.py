"""The Ship screen in the real main window, with the emulated serial scanner on a real pty: a
shipper logs in to it, scans packed parcels onto the carrier's handover (the answers in green or
red with their sounds, the counts and the missing parcels), takes one off again, and closes the
handover after the warning that parcels are missing: the orders are shipped and the manifest is
written."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.bootstrap import Services, bootstrap
from app.config import Paths, Settings
from app.db.models import Order
from app.devices.emulators import HAS_PTY, ScannerEmulator
from app.devices.station_config import ScannerSettings, StationDevicesConfig
from app.domain.users import Role
from app.services import auth, stations
from tests.conftest import make_actor
from tests.handover_fixtures import ShipSetup, ship_ready
from ui.application import install_fonts
from ui.bus import Bus
from ui.context import UiContext
from ui.feedback import Feedback
from ui.i18n import install_language
from ui.main_window import MainWindow
from ui.screens.ship import ShipScreen

pytestmark = pytest.mark.skipif(not HAS_PTY, reason="needs a POSIX pty")


@dataclass
class Dock:
    window: MainWindow
    screen: ShipScreen
    scanner: ScannerEmulator
    feedback: Feedback
    services: Services
    setup: ShipSetup


def open_dock(
    qtbot: QtBot, qapp: QApplication, db_url: str, paths: Paths, language: str = "en"
) -> Iterator[Dock]:
    install_fonts(qapp)
    install_language(qapp, language)
    services = bootstrap(Settings(db_url=db_url, station="ship-01"), paths)
    scanner = ScannerEmulator()
    try:
        services.run(auth.create_first_admin, "admin", "correct-horse-9", services.station_id)
        admin = services.run(auth.login, "admin", "correct-horse-9", services.station_id)
        setup = ship_ready(services, admin)
        config = StationDevicesConfig(scanner=ScannerSettings(mode="serial", port=scanner.port))
        services.run(stations.save_station_devices, admin, services.station_id, config)
        shipper = make_actor(services, admin, Role.SHIPPER, "shipper1")
        ctx = UiContext(services, shipper, Bus())
        window = MainWindow(ctx)
        qtbot.addWidget(window)
        screen = window.current_screen()
        assert isinstance(screen, ShipScreen)
        with qtbot.waitSignal(screen.loaded, timeout=10_000):
            window.show()
        station = ctx.devices["station"]
        qtbot.waitUntil(lambda: station.states["scanner"][1] == "Scanner: ready", timeout=8000)
        feedback = ctx.devices["feedback"]
        assert isinstance(feedback, Feedback)
        yield Dock(window, screen, scanner, feedback, services, setup)
        window.close()
    finally:
        scanner.close()
        from PySide6.QtCore import QThreadPool

        QThreadPool.globalInstance().waitForDone(10_000)
        services.close()


@pytest.fixture
def dock(qtbot: QtBot, qapp: QApplication, db_url: str, paths: Paths) -> Iterator[Dock]:
    yield from open_dock(qtbot, qapp, db_url, paths)


def scan(qtbot: QtBot, dock: Dock, text: str) -> tuple[bool, str]:
    with qtbot.waitSignal(dock.screen.answered, timeout=10_000) as answer:
        dock.scanner.scan(text)
    ok, said = answer.args
    return bool(ok), str(said)


def test_a_shipper_scans_parcels_onto_the_handover_and_sees_what_is_missing(
    qtbot: QtBot, dock: Dock
) -> None:
    screen, tracking = dock.screen, dock.setup.tracking
    assert dock.window.nav.currentRow() == 0  # the shipper's own screen comes first
    assert not screen.close_button.isEnabled() and screen.export_button.isEnabled()
    assert not screen.reopen_button.isVisibleTo(screen)  # supervisors only
    ok, said = scan(qtbot, dock, tracking["PD1"])
    assert ok and "PD1" in said and "-SF-1" in said, said
    assert dock.feedback.sounds.played[-1] == "ok"
    qtbot.waitUntil(lambda: screen.missing.rowCount() == 1, timeout=10_000)
    assert screen.counts.text() == "scanned 1 / packed 2"
    assert screen.missing.rows[0].order_number == "PD2"
    assert "-SF-1" in screen.number.text()
    assert screen.close_button.isEnabled()
    ok, said = scan(qtbot, dock, tracking["PD1"])
    assert ok and "already on this handover" in said
    ok, said = scan(qtbot, dock, "SF7777777777")
    assert not ok and "SF7777777777" in said
    assert dock.feedback.sounds.played[-1] == "error"
    assert [r.carrier_code for r in screen.cutoffs.rows] == ["SF"]
    assert screen.cutoffs.rows[0].packed_not_handed == 1
    rec = screen.board.reconciliation if screen.board is not None else None
    assert rec is not None and rec.open_handover_id is not None
    with qtbot.waitSignal(screen.answered, timeout=10_000) as answer:
        screen.take_off_now(rec.open_handover_id, tracking["PD1"])
    assert answer.args[0] and "taken off" in answer.args[1]
    qtbot.waitUntil(lambda: screen.missing.rowCount() == 2, timeout=10_000)
    assert screen.counts.text() == "scanned 0 / packed 2"


def test_closing_with_parcels_missing_warns_first_then_ships_and_writes_the_manifest(
    qtbot: QtBot, dock: Dock
) -> None:
    screen = dock.screen
    assert scan(qtbot, dock, dock.setup.tracking["PD1"])[0]
    qtbot.waitUntil(lambda: screen.close_button.isEnabled(), timeout=10_000)
    asked: list[str] = []

    def answer_yes() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer_yes)
            return
        asked.append(box.text())
        box.button(QMessageBox.StandardButton.Yes).click()

    QTimer.singleShot(0, answer_yes)
    with qtbot.waitSignal(screen.answered, timeout=15_000) as answer:
        screen.close_button.click()
    ok, said = answer.args
    assert ok and "closed: 1 parcels" in said, said
    assert asked and "1 packed parcels of SF are not scanned" in asked[0]
    with dock.services.uow() as uow:
        status = dict(uow.session.execute(select(Order.number, Order.status)).tuples().all())
    assert (status["PD1"], status["PD2"]) == ("shipped", "packed")
    manifests = list((dock.services.paths.data_dir / "manifests").glob("HO-*-SF-1.pdf"))
    assert len(manifests) == 1 and Path(manifests[0]).read_bytes().startswith(b"%PDF")
    qtbot.waitUntil(lambda: not screen.close_button.isEnabled(), timeout=10_000)
