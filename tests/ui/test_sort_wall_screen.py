"""The sort wall screen end to end, on SQLite and PostgreSQL: a picked pick-then-sort batch
sorted through the real screen by the emulated serial scanner over a real pty, with a wrong
slot and an unneeded unit on the way; every order ends picked and every slot green. Each step
waits for the screen's own signal, never for a fixed time."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.bootstrap import Services
from app.db.models import Order, Wave
from app.devices.emulators import HAS_PTY, ScannerEmulator
from app.devices.station_config import ScannerSettings, StationDevicesConfig
from app.domain.sort_wall import UnitNotNeeded, WrongSlot
from app.domain.users import Actor, Role
from app.services import stock
from app.services.sort_wall_view import Outcome, WallView
from tests.conftest import make_actor
from tests.sort_wall_fixtures import CASE_EAN, CUP_EAN, TEA_EAN, TOTE, PickedWave, picked_sort_wave
from ui.application import install_fonts
from ui.bus import Bus
from ui.context import UiContext
from ui.devices.station import StationDevices
from ui.i18n import install_language
from ui.screens.sort_wall import SortWallScreen

pytestmark = pytest.mark.skipif(not HAS_PTY, reason="needs a POSIX pty")


class Wall:
    """The screen, its station's serial scanner and the emulator at the other end of the pty."""

    def __init__(self, qtbot: QtBot, screen: SortWallScreen, scanner: ScannerEmulator) -> None:
        self.qtbot, self.screen, self.scanner = qtbot, screen, scanner

    def scan(self, text: str) -> object:
        """One scan through the pty; returns what the screen made of it."""
        with self.qtbot.waitSignal(self.screen.updated, timeout=8000) as done:
            self.scanner.scan(text)
        return done.args[0]


@pytest.fixture
def picked(services: Services, admin: Actor) -> PickedWave:
    return picked_sort_wave(services, admin)


@pytest.fixture
def wall(
    qtbot: QtBot, qapp: QApplication, services: Services, admin: Actor, picked: PickedWave
) -> Iterator[Wall]:
    install_fonts(qapp)
    install_language(qapp, "en")
    picker = make_actor(services, admin, Role.PICKER)
    ctx = UiContext(services, picker, Bus())
    scanner = ScannerEmulator()
    screen = SortWallScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1280, 860)
    screen.show()
    screen.activated()
    config = StationDevicesConfig(scanner=ScannerSettings(mode="serial", port=scanner.port))
    devices = StationDevices(ctx, config)
    ctx.bus.scanned.connect(screen.on_scan)
    devices.start()
    qtbot.waitUntil(
        lambda: devices.states.get("scanner", (0, ""))[1] == "Scanner: ready", timeout=5000
    )
    yield Wall(qtbot, screen, scanner)
    devices.stop()
    scanner.close()


def test_a_picked_batch_is_sorted_by_scans_alone_with_a_wrong_slot_and_an_unneeded_unit(
    wall: Wall, services: Services, picked: PickedWave
) -> None:
    screen = wall.screen
    assert screen.batches.count() == 1 and "W000001-1" in screen.batches.item(0).text()
    opened = wall.scan(TOTE)
    assert isinstance(opened, WallView) and len(screen.tiles) == 24
    first = wall.scan(CUP_EAN)
    assert isinstance(first, Outcome) and first.slot == 1
    assert screen.instruction.text() == "Slot 1" and screen.tiles[1].state == "target"
    wrong = wall.scan("WALL-02")
    assert isinstance(wrong, WrongSlot)
    assert screen.tiles[2].state == "wrong" and screen.tiles[1].state == "target"
    assert "goes into slot 1, not slot 2" in screen.detail.text()
    assert isinstance(wall.scan("WALL-01"), Outcome)
    for code in (CASE_EAN, "WALL-03"):
        wall.scan(code)
    refused = wall.scan(CASE_EAN)
    assert isinstance(refused, UnitNotNeeded)
    assert "put the unit aside and tell a supervisor" in screen.detail.text()
    last: object = None
    for unit in (CUP_EAN, CUP_EAN, CUP_EAN, TEA_EAN):
        shown = wall.scan(unit)
        assert isinstance(shown, Outcome) and shown.slot is not None
        last = wall.scan(f"WALL-{shown.slot:02d}")
    assert isinstance(last, Outcome) and last.kind == "wall_done"
    assert [screen.tiles[n].state for n in (1, 2, 3, 4)] == ["complete"] * 3 + ["empty"]
    assert screen.instruction.text() == "Done"
    assert "6 of 6 units sorted" in screen.progress.text()
    feedback = screen.feedback
    assert feedback.sounds.played.count("error") == 2
    with services.uow() as uow:
        s = uow.session
        assert set(s.scalars(select(Order.status))) == {"picked"}
        assert s.get_one(Wave, picked.wave_id).status == "picked"
    assert services.run(stock.check_stock_invariants) == []


def test_a_completed_slot_is_announced_and_the_wall_resumes_after_a_restart(
    wall: Wall, services: Services
) -> None:
    screen = wall.screen
    wall.scan(TOTE)
    wall.scan(CASE_EAN)
    with wall.qtbot.waitSignal(screen.feedback.shown, timeout=8000) as said:
        wall.scanner.scan("WALL-03")
    assert said.args == [True, "Slot 3: 1/2"]
    wall.scan(CUP_EAN)
    # the station is restarted: a new screen opens the same wall with the unit still in hand
    again = SortWallScreen(screen.ctx)
    wall.qtbot.addWidget(again)
    again.activated()
    assert again.open_batch(screen.wall.batch_id if screen.wall else 0)
    assert again.instruction.text() == "Slot 1" and again.tiles[3].count.text() == "1/2"


def test_the_slot_label_sheet_is_saved_from_the_screen(wall: Wall, tmp_path: Path) -> None:
    size = wall.screen.save_slot_labels(tmp_path / "slots.pdf")
    assert size > 0 and len(pdfium.PdfDocument(tmp_path / "slots.pdf")) == 3


def test_a_wave_released_and_picked_through_the_real_services_is_sorted_at_the_wall(
    qtbot: QtBot, qapp: QApplication, services: Services, admin: Actor
) -> None:
    """h3's wave release and h4's pick scans leave the batch picked and its orders picking;
    the wall, driven by the serial scanner, finishes them."""
    from app.services import pick_claim, picking, scanning
    from tests.wave_fixtures import build_wave

    install_fonts(qapp)
    install_language(qapp, "en")
    built = build_wave(services, admin, method="pick_sort")
    picker = make_actor(services, admin, Role.PICKER)
    claimed = services.run(pick_claim.get_work, picker)
    assert claimed is not None and claimed.batch_id == built.batch_id
    view = services.run(picking.pick_view, picker, built.batch_id)
    while view.task is not None:
        task = view.task
        texts = [f"LOC-{task.location}", task.sku, f"PD-CMD-QTY-{task.qty}", task.tote]
        for text in texts if task.qty > 1 else texts[:2] + texts[3:]:
            result = services.run(
                picking.pick_scan, picker, built.batch_id, services.run(scanning.classify, text)
            )
            assert result.accepted, text
        view = result.view
    with services.uow() as uow:
        assert set(uow.session.scalars(select(Order.status))) == {"picking"}
    ctx = UiContext(services, picker, Bus())
    scanner = ScannerEmulator()
    screen = SortWallScreen(ctx)
    qtbot.addWidget(screen)
    screen.show()
    screen.activated()
    devices = StationDevices(
        ctx, StationDevicesConfig(scanner=ScannerSettings(mode="serial", port=scanner.port))
    )
    ctx.bus.scanned.connect(screen.on_scan)
    devices.start()
    try:
        ready = "Scanner: ready"
        qtbot.waitUntil(lambda: devices.states.get("scanner", (0, ""))[1] == ready, timeout=5000)
        wall = Wall(qtbot, screen, scanner)
        assert isinstance(wall.scan(built.bulk_tote), WallView)
        # oldest order first: the orders were placed in the order they were made
        assert screen.wall is not None
        assert [s.order_number for s in screen.wall.slots] == list(built.order_numbers)
        units = ["CUP-1", "CUP-1", "CUP-1", "PEN-1", "PEN-1", "BAG-1"]
        first = wall.scan(units[0])
        assert isinstance(first, Outcome) and first.slot == 1
        assert isinstance(wall.scan("WALL-03"), WrongSlot)
        wall.scan("WALL-01")
        for unit in units[1:]:
            shown = wall.scan(unit)
            assert isinstance(shown, Outcome) and shown.slot is not None, unit
            wall.scan(f"WALL-{shown.slot:02d}")
        assert isinstance(wall.scan("CUP-1"), UnitNotNeeded)
        assert screen.wall is not None and screen.wall.done
        assert [screen.tiles[n].state for n in (1, 2, 3)] == ["complete"] * 3
    finally:
        devices.stop()
        scanner.close()
    with services.uow() as uow:
        assert set(uow.session.scalars(select(Order.status))) == {"picked"}
        assert uow.session.get_one(Wave, built.wave_id).status == "picked"
    assert services.run(stock.check_stock_invariants) == []


def test_a_supervisor_changes_the_wall_size_from_the_screen_and_a_picker_cannot(
    qtbot: QtBot, wall: Wall, services: Services, admin: Actor
) -> None:
    assert wall.screen.settings_button.isHidden()  # the picker of the wall fixture
    screen = SortWallScreen(UiContext(services, admin, Bus()))
    qtbot.addWidget(screen)
    screen.show()
    screen.activated()
    assert not screen.settings_button.isHidden()
    with qtbot.waitSignal(screen.updated, timeout=5000):
        screen.batches.itemActivated.emit(screen.batches.item(0))
    assert len(screen.tiles) == 24
    with qtbot.waitSignal(screen.feedback.shown, timeout=5000) as said:
        assert screen.save_settings(2, 3, "sw-")
    assert said.args[0] is True and "SW-01 to SW-06" in said.args[1]
    assert len(screen.tiles) == 6
    assert not screen.save_settings(2, 3, "墙-")  # a scanner cannot send it
