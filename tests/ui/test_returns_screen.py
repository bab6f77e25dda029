"""The Returns screen end to end, on SQLite and PostgreSQL: a shipped order's parcel taken back
through the real screen by the emulated serial scanner over a real pty: the tracking number
opens the return, items are taken back with a reason, one is refused (more than shipped), they
are restocked and quarantined by scans, and CONFIRM finishes it. Each step waits for the
screen's own signal, never for a fixed time."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.bootstrap import Services
from app.db.models import Order, OrderStatusChange
from app.devices.emulators import HAS_PTY, ScannerEmulator
from app.devices.station_config import ScannerSettings, StationDevicesConfig
from app.domain.users import Actor
from app.services import stock
from app.services.returns_scan import ReturnOutcome
from tests.returns_fixtures import CUP, PEN, ShippedSetup, shipped_orders
from ui.application import install_fonts
from ui.bus import Bus
from ui.context import UiContext
from ui.devices.station import StationDevices
from ui.i18n import install_language
from ui.screens.returns import ReturnsScreen

pytestmark = pytest.mark.skipif(not HAS_PTY, reason="needs a POSIX pty")


class Bench:
    def __init__(self, qtbot: QtBot, screen: ReturnsScreen, scanner: ScannerEmulator) -> None:
        self.qtbot, self.screen, self.scanner = qtbot, screen, scanner

    def scan(self, text: str) -> ReturnOutcome:
        with self.qtbot.waitSignal(self.screen.updated, timeout=8000) as done:
            self.scanner.scan(text)
        out = done.args[0]
        assert isinstance(out, ReturnOutcome)
        return out


@pytest.fixture
def shipped(services: Services, admin: Actor) -> ShippedSetup:
    return shipped_orders(services, admin)


@pytest.fixture
def bench(
    qtbot: QtBot, qapp: QApplication, services: Services, shipped: ShippedSetup
) -> Iterator[Bench]:
    install_fonts(qapp)
    install_language(qapp, "en")
    ctx = UiContext(services, shipped.clerk, Bus())
    scanner = ScannerEmulator()
    screen = ReturnsScreen(ctx)
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
    yield Bench(qtbot, screen, scanner)
    devices.stop()
    scanner.close()


def test_a_returned_parcel_is_taken_back_inspected_and_finished_by_scans_alone(
    bench: Bench, services: Services, shipped: ShippedSetup
) -> None:
    screen = bench.screen
    assert "Scan the returned parcel" in screen.instruction.text()
    opened = bench.scan(shipped.tracking["PD1"])
    assert opened.accepted and screen.view is not None and screen.view.order_number == "PD1"
    assert "Return R-PD1-1" in screen.heading.text()
    assert screen.lines_model.rowCount() == 2
    assert bench.scan("PD-RET-REASON-WRONG_SIZE").reason_code == "WRONG_SIZE"
    for _ in range(2):
        assert bench.scan(CUP).accepted
    assert "CUP-1 × 2: scan the shelf" in screen.instruction.text()
    refused = bench.scan(CUP)
    assert not refused.accepted and "Only 0 of CUP-1 can come back" in screen.feedback.banner.text()
    wrong = bench.scan(PEN)
    assert not wrong.accepted and "was not shipped on order PD1" in screen.feedback.banner.text()
    assert bench.scan("LOC-A-01").key == "restocked"
    assert screen.units_model.rowCount() == 2
    assert bench.scan("PD-RET-REASON-DAMAGED").accepted
    assert bench.scan(
        "]C101" + "0" + "9501101530003" + "10L1"
    ).accepted  # the tea, GS1 with its lot
    assert bench.scan("PD-RET-QUARANTINE").key == "quarantined"
    assert "scan CONFIRM" in screen.instruction.text()
    done = bench.scan("PD-CMD-CONFIRM")
    assert done.finished is not None and done.finished.order_status == "returned"
    assert screen.view is None and "Scan the returned parcel" in screen.instruction.text()
    assert "Finished today: 3 units back" in screen.summary.text()
    assert screen.feedback.sounds.played.count("error") == 2
    with services.uow() as uow:
        s = uow.session
        order = s.scalars(select(Order).where(Order.number == "PD1")).one()
        assert order.status == "returned"
        note = s.scalars(
            select(OrderStatusChange.note)
            .where(OrderStatusChange.order_id == order.id)
            .order_by(OrderStatusChange.id.desc())
        ).first()
        assert note == "returned 3 of 3 units: wrong size, damaged in transit"
    assert services.run(stock.check_stock_invariants) == []


def test_a_return_left_open_is_resumed_and_the_refund_note_is_saved_from_the_screen(
    bench: Bench, services: Services, shipped: ShippedSetup, tmp_path: Path
) -> None:
    bench.scan("RT-PD2")
    bench.scan(PEN)
    again = ReturnsScreen(bench.screen.ctx)
    bench.qtbot.addWidget(again)
    again.activated()
    assert again.view is not None and again.view.number == "R-PD2-1"
    assert len(again.view.pending) == 1
    bench.scan("PD-RET-WRITE-OFF")
    bench.scan("PD-CMD-CONFIRM")
    path = bench.screen.save_refund_note(tmp_path / "refunds.csv")
    assert path is not None
    text = path.read_text(encoding="utf-8-sig")
    assert "R-PD2-1" in text and "write_off" in text
