"""The pack screen in the real main window at a bench with the emulated serial scanner and
scale (real ptys) and the emulated network label printer: what a packer sees before any order."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.config import Paths
from app.devices.emulators import HAS_PTY
from tests.ui.pack_fixtures import Bench, open_bench

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
