"""The pack screen in the real main window at a bench with the emulated serial scanner and
scale (real ptys) and the emulated network label printer: what a packer sees before any order."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.config import Paths
from app.db.models import AuditEntry, Order, Parcel
from app.devices.emulators import HAS_PTY
from app.domain.users import Role
from app.services import auth
from tests.ui.pack_fixtures import CARTON, POOL, Bench, open_bench, weight_kg
from tests.ui.test_pack_end_to_end import decoded
from ui.bus import Bus
from ui.context import UiContext
from ui.main_window import MainWindow
from ui.screens.pack import PackScreen

pytestmark = pytest.mark.skipif(not HAS_PTY, reason="needs a POSIX pty")


@pytest.fixture
def bench(qtbot: QtBot, qapp: QApplication, db_url: str, paths: Paths) -> Iterator[Bench]:
    yield from open_bench(qtbot, qapp, db_url, paths, picked=False)


def scan(qtbot: QtBot, bench: Bench, text: str) -> tuple[bool, str]:
    """Scan with the emulated serial scanner and wait for the screen's answer."""
    with qtbot.waitSignal(bench.screen.answered, timeout=10_000) as answer:
        bench.scanner.scan(text)
    ok, said = answer.args
    return bool(ok), str(said)


def test_a_packer_logs_in_to_the_pack_screen_waiting_for_a_scan_with_the_devices_shown(
    qtbot: QtBot, bench: Bench
) -> None:
    screen = bench.screen
    assert bench.window.nav.currentRow() == 0  # the packer's own screen comes first
    assert screen.pages.currentWidget() is screen.waiting
    assert screen.waiting.prompt.text() == "Scan a tote, order or pick list"
    qtbot.waitUntil(
        lambda: screen.devices.devices["printer"].text() == "Printer: ready", timeout=8000
    )
    qtbot.waitUntil(
        lambda: screen.devices.devices["scale"].text().startswith("Scale: 0"), timeout=8000
    )
    ok, said = scan(qtbot, bench, "PD-CMD-NEXTPARCEL")  # a command with no order open
    assert not ok and "No order open" in said
    assert bench.feedback.sounds.played[-1] == "error"
    assert screen.pages.currentWidget() is screen.waiting


def _open_order(qtbot: QtBot, bench: Bench) -> str:
    [order_id] = bench.order_ids
    with bench.services.uow() as uow:
        number = uow.session.get_one(Order, order_id).number
    ok, said = scan(qtbot, bench, number)
    assert ok, said
    return number


def _tracking_numbers(bench: Bench) -> list[str]:
    [order_id] = bench.order_ids
    with bench.services.uow() as uow:
        return list(
            uow.session.scalars(
                select(Parcel.tracking_number)
                .where(Parcel.order_id == order_id)
                .order_by(Parcel.seq)
            )
        )


def test_next_parcel_weighs_and_labels_the_first_parcel_and_the_last_finishes_the_order(
    qtbot: QtBot, bench: Bench
) -> None:
    screen = bench.screen
    _open_order(qtbot, bench)  # CUP-1 x2, PEN-1 x1
    assert scan(qtbot, bench, "CUP-1")[0]
    assert scan(qtbot, bench, CARTON)[0]
    bench.scale.put(weight_kg(1))
    qtbot.waitUntil(lambda: screen.order.weight.live_g == 370, timeout=8000)
    ok, said = scan(qtbot, bench, "PD-CMD-NEXTPARCEL")  # weighs, closes and labels parcel 1
    assert ok, said
    assert screen.view is not None and len(screen.view.parcels) == 2
    assert screen.order.parcels.isVisible() and screen.order.parcels_model.rowCount() == 2
    first = screen.view.parcels[0]
    assert first.weight_g == 370 and first.tracking_number
    qtbot.waitUntil(lambda: len(bench.printer.printed) == 1, timeout=10_000)
    bench.scale.clear()
    for text in ("CUP-1", "PEN-1", CARTON):
        assert scan(qtbot, bench, text)[0]
    with qtbot.waitSignal(screen.answered, timeout=15_000):
        bench.scale.put(weight_kg(2))
    qtbot.waitUntil(lambda: len(bench.printer.printed) == 2, timeout=10_000)
    numbers = _tracking_numbers(bench)
    assert len(numbers) == 2 and numbers[0] == first.tracking_number
    labels = [decoded(job.payload) for job in bench.printer.printed]
    assert numbers[0] in labels[0] and numbers[1] in labels[1]
    assert screen.pages.currentWidget() is screen.waiting


def test_the_station_open_order_comes_back_as_it_was_when_the_packer_logs_in_again(
    qtbot: QtBot, bench: Bench
) -> None:
    number = _open_order(qtbot, bench)
    assert scan(qtbot, bench, "CUP-1")[0]
    bench.window.close()  # log-out, crash or power cut: the next log-in resumes
    window = MainWindow(UiContext(bench.services, bench.packer, Bus()))
    qtbot.addWidget(window)
    window.show()
    screen = window.current_screen()
    assert isinstance(screen, PackScreen)
    qtbot.waitUntil(lambda: screen.view is not None, timeout=8000)
    assert screen.view is not None and screen.view.order_number == number
    assert screen.view.verified == 1 and screen.pages.currentWidget() is screen.order
    assert "resumed" in screen.message.text()
    window.close()


def test_force_verify_is_for_those_permitted_by_button_or_f7_and_is_audited(
    qtbot: QtBot, bench: Bench
) -> None:
    screen = bench.screen
    _open_order(qtbot, bench)
    assert not screen.force_button.isVisible()  # a packer may not force
    QTest.keyClick(bench.window, Qt.Key.Key_F7)
    ok, _ = scan(qtbot, bench, "PEN-1")  # the next answer: F7 did nothing before it
    assert ok and screen.view is not None and screen.view.verified == 1
    assert not any(line.forced for line in screen.view.lines)
    bench.window.close()
    services = bench.services
    services.run(auth.create_user, bench.admin, "boss", Role.SUPERVISOR, "secret-pass-1")
    boss = services.run(auth.login, "boss", "secret-pass-1", services.station_id)
    window = MainWindow(UiContext(services, boss, Bus()))
    qtbot.addWidget(window)
    window.show()
    sup = window.screen(PackScreen)
    assert isinstance(sup, PackScreen)
    qtbot.waitUntil(lambda: sup.view is not None, timeout=8000)  # the station's open order
    assert sup.force_button.isVisible()
    with qtbot.waitSignal(sup.answered, timeout=10_000) as answer:
        QTest.keyClick(window, Qt.Key.Key_F7)
    assert answer.args[0], answer.args[1]
    assert sup.view is not None
    cup = next(line for line in sup.view.lines if line.sku == "CUP-1")
    assert cup.forced == 2 and cup.verified == 2
    with services.uow() as uow:
        audited = uow.session.scalars(
            select(AuditEntry.action).where(AuditEntry.action == "pack.force_verify")
        ).all()
    assert audited == ["pack.force_verify"]
    window.close()


def test_f10_reprints_the_last_label_marked_as_a_reprint_with_the_same_tracking_number(
    qtbot: QtBot, bench: Bench
) -> None:
    screen = bench.screen
    _open_order(qtbot, bench)
    for text in ("CUP-1", "CUP-1", "PEN-1", CARTON):
        assert scan(qtbot, bench, text)[0]
    with qtbot.waitSignal(screen.answered, timeout=15_000):
        bench.scale.put(weight_kg(3))
    qtbot.waitUntil(lambda: len(bench.printer.printed) == 1, timeout=10_000)
    [tracking] = _tracking_numbers(bench)
    qtbot.waitUntil(lambda: screen.message.text() == f"Label printed: {tracking}", timeout=8000)
    assert screen.reprint_button.isVisible() and not screen.void_button.isVisible()
    with qtbot.waitSignal(screen.answered, timeout=10_000) as answer:
        QTest.keyClick(bench.window, Qt.Key.Key_F10)
    assert answer.args[0] and "REPRINT" in answer.args[1]
    qtbot.waitUntil(lambda: len(bench.printer.printed) == 2, timeout=10_000)
    again = bench.printer.printed[1].payload
    assert tracking in decoded(again)  # the REPRINT mark itself is the label renderer's part
    with bench.services.uow() as uow:
        assert uow.session.scalars(select(Parcel.reprints)).one() == 1


def test_f9_gives_the_order_up_and_it_opens_again_from_nothing(qtbot: QtBot, bench: Bench) -> None:
    screen = bench.screen
    number = _open_order(qtbot, bench)
    assert scan(qtbot, bench, "CUP-1")[0]
    with qtbot.waitSignal(screen.answered, timeout=10_000) as answer:
        QTest.keyClick(bench.window, Qt.Key.Key_F9)
    assert answer.args[0] and "given up" in answer.args[1]
    assert screen.pages.currentWidget() is screen.waiting and screen.view is None
    with bench.services.uow() as uow:
        assert uow.session.scalars(select(Order.status)).one() == "allocated"
    assert _open_order(qtbot, bench) == number
    assert screen.view is not None and screen.view.verified == 0


def test_a_pool_running_low_is_said_on_the_screen_after_a_label_takes_a_number(
    qtbot: QtBot, qapp: QApplication, db_url: str, paths: Paths
) -> None:
    for bench in open_bench(qtbot, qapp, db_url, paths, picked=False, pool=POOL[:3]):
        screen = bench.screen
        _open_order(qtbot, bench)
        assert screen.devices.warning.text() == ""  # 3 left: not low yet
        for text in ("CUP-1", "CUP-1", "PEN-1", CARTON):
            assert scan(qtbot, bench, text)[0]
        with qtbot.waitSignal(screen.answered, timeout=15_000):
            bench.scale.put(weight_kg(3))
        warning = screen.devices.warning.text()
        assert "Only 2 tracking numbers are left for SF Express" in warning
