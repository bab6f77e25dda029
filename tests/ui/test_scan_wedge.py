"""Keyboard-wedge scans: taken out of the key stream by the application-wide filter, GS kept;
typing still reaches the text field. Key events are real QKeyEvents through QApplication."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from app.devices.base import RawScan
from ui.scan_filter import GS, ScanFilter


class FakeClock:
    """Seconds that move only when the test says so (QTest events carry no timestamps)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, ms: float) -> None:
        self.now += ms / 1000


def press(
    widget: QWidget,
    text: str,
    key: int | None = None,
    modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
    autorepeat: bool = False,
) -> None:
    """One key press and release, delivered like Qt delivers keyboard input."""
    if key is None:
        key = ord(text.upper()) if text and text.isascii() and text.isprintable() else 0
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, key, modifiers, text, autorepeat))


def enter(widget: QWidget) -> None:
    press(widget, "\r", Qt.Key.Key_Return)


def gs(widget: QWidget) -> None:
    """What a scanner sends for the GS1 separator: Ctrl+], text 0x1D."""
    press(widget, GS, Qt.Key.Key_BracketRight, Qt.KeyboardModifier.ControlModifier)


def scanner_types(widget: QWidget, clock: FakeClock, data: str, gap_ms: float = 4) -> None:
    for ch in data:
        clock.advance(gap_ms)
        if ch == GS:
            gs(widget)
        else:
            press(widget, ch)
    clock.advance(gap_ms)
    enter(widget)


def person_types(widget: QWidget, clock: FakeClock, text: str, gap_ms: float = 140) -> None:
    for ch in text:
        clock.advance(gap_ms)
        press(widget, ch)


class Harness:
    def __init__(self, qtbot: QtBot, **filter_options: object) -> None:
        self.window = QWidget()
        qtbot.addWidget(self.window)
        self.field = QLineEdit()
        self.field.setObjectName("search")
        QVBoxLayout(self.window).addWidget(self.field)
        self.window.show()
        self.field.setFocus()
        self.clock = FakeClock()
        self.filter = ScanFilter(clock=self.clock, **filter_options)  # type: ignore[arg-type]
        self.scans: list[RawScan] = []
        self.filter.scanned.connect(self.scans.append)
        self.filter.install(QApplication.instance())


@pytest.fixture
def timing(qtbot: QtBot) -> Iterator[Harness]:
    h = Harness(qtbot)
    yield h
    h.filter.uninstall()


GS1 = "0109506000134352" + "10AB12" + GS + "17270200"


def test_a_line_edit_on_its_own_drops_the_gs_separator(qtbot: QtBot) -> None:
    field = QLineEdit()
    qtbot.addWidget(field)
    for ch in "10AB":
        press(field, ch)
    gs(field)
    press(field, "2")
    assert field.text() == "10AB2"  # why scans are never read from a text field


def test_a_fast_burst_ending_in_enter_is_a_scan_with_gs_intact_and_never_reaches_the_field(
    qtbot: QtBot, timing: Harness
) -> None:
    scanner_types(timing.field, timing.clock, GS1)
    assert [s.text for s in timing.scans] == [GS1]
    assert timing.scans[0].source == "wedge"
    # a later key typed by a person: once it has landed, any give-back of held keys has run
    person_types(timing.field, timing.clock, "x")
    timing.clock.advance(200)
    qtbot.waitUntil(lambda: timing.field.text().endswith("x"), timeout=2000)
    assert timing.field.text() == "x"


def test_a_person_typing_is_not_a_scan_and_every_key_lands_in_the_field_in_order(
    qtbot: QtBot, timing: Harness
) -> None:
    person_types(timing.field, timing.clock, "PD0000")
    timing.clock.advance(200)
    qtbot.waitUntil(lambda: timing.field.text() == "PD0000", timeout=2000)
    timing.clock.advance(150)
    enter(timing.field)
    assert timing.scans == []


def test_fast_typing_of_a_short_word_and_enter_is_still_typing(
    qtbot: QtBot, timing: Harness
) -> None:
    scanner_types(timing.field, timing.clock, "ok")  # below the shortest scan
    assert timing.scans == [] and timing.field.text() == "ok"


def test_a_held_down_key_is_not_a_scan(qtbot: QtBot, timing: Harness) -> None:
    for _ in range(8):
        timing.clock.advance(25)
        press(timing.field, "x", autorepeat=True)
    enter(timing.field)
    assert timing.scans == [] and timing.field.text() == "xxxxxxxx"


def test_typing_then_a_scan_keeps_both_apart(qtbot: QtBot, timing: Harness) -> None:
    person_types(timing.field, timing.clock, "ab")
    timing.clock.advance(300)
    scanner_types(timing.field, timing.clock, "LOC-A010203")
    assert [s.text for s in timing.scans] == ["LOC-A010203"]
    assert timing.field.text() == "ab"


def test_a_scan_can_go_to_any_widget_even_without_a_text_field(qtbot: QtBot) -> None:
    h = Harness(qtbot)
    try:
        scanner_types(h.window, h.clock, "TOTE-0042")
        assert [s.text for s in h.scans] == ["TOTE-0042"]
    finally:
        h.filter.uninstall()


def test_with_a_prefix_typing_passes_straight_through_and_a_slow_scan_is_still_a_scan(
    qtbot: QtBot,
) -> None:
    h = Harness(qtbot, prefix="\x02", suffix="\x03")
    try:
        person_types(h.field, h.clock, "hello")
        assert h.field.text() == "hello"  # no hold-back at all in prefix mode
        press(h.field, "\x02", Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
        for ch in "SF1234567890123":
            h.clock.advance(60)  # a slow Bluetooth scanner
            press(h.field, ch)
        press(h.field, "\x03", Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
        enter(h.field)  # the Enter some scanners add after the suffix is swallowed too
        assert [s.text for s in h.scans] == ["SF1234567890123"]
        assert h.field.text() == "hello"
    finally:
        h.filter.uninstall()


def test_an_abandoned_prefix_gives_the_keys_back(qtbot: QtBot) -> None:
    h = Harness(qtbot, prefix="##")
    try:
        press(h.field, "#")
        h.clock.advance(10)
        press(h.field, "1")  # "#1" is not the prefix
        assert h.field.text() == "#1" and h.scans == []
    finally:
        h.filter.uninstall()


def test_with_the_real_clock_program_made_key_events_pass_untouched(qtbot: QtBot) -> None:
    window = QLineEdit()
    qtbot.addWidget(window)
    real = ScanFilter()  # no injected clock: only keyboard events (timestamp > 0) count
    scans: list[RawScan] = []
    real.scanned.connect(scans.append)
    real.install()
    try:
        qtbot.keyClicks(window, "ABCDEF")
        qtbot.keyClick(window, Qt.Key.Key_Return)
        assert window.text() == "ABCDEF" and scans == []
    finally:
        real.uninstall()


def test_a_scans_enter_does_not_fire_the_screens_enter_shortcut_but_typed_enter_does(
    qtbot: QtBot, timing: Harness
) -> None:
    from PySide6.QtGui import QKeySequence, QShortcut

    fired: list[bool] = []
    QShortcut(QKeySequence(Qt.Key.Key_Return), timing.window, lambda: fired.append(True))
    scanner_types(timing.field, timing.clock, "ORDER-42")
    assert [s.text for s in timing.scans] == ["ORDER-42"] and fired == []
    timing.clock.advance(300)
    person_types(timing.field, timing.clock, "a")
    timing.clock.advance(300)
    enter(timing.field)
    assert fired == [True] and timing.field.text() == "a"
