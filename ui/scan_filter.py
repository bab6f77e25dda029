"""Keyboard-wedge scanners: an application-wide event filter that takes scans out of the key
stream, so a scan never lands in whatever text field has focus and typing is never a scan.

A scan is recognised by

- a configured **prefix** (and optionally a **suffix**): the robust way. Keys pass straight
  through until the prefix arrives; then everything up to the suffix (or Enter) is the scan.
- **timing** when no prefix is configured: a burst of keys with gaps under ``max_gap_ms``,
  at least ``min_length`` long, ending with the suffix (or Enter/Return/Tab). Keys are held back
  while a burst is possible (at most ``max_gap_ms``) and given back to the widget they were
  meant for, in order, as soon as it is clear a person is typing.

The GS separator (0x1D, sent as Ctrl+]) is kept: a QLineEdit would drop it, this filter sees it.

Gaps are measured with the key events' own timestamps, so a busy UI that delivers queued
keystrokes late does not make typing look like a scan. Key events synthesised by programs
(QTest, accessibility tools) carry timestamp 0 and come from no keyboard: with the real clock
they pass untouched. Tests inject a clock, and then every key event counts.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget

from app.devices.base import RawScan

GS = "\x1d"
_MODIFIER_KEYS = {
    Qt.Key.Key_Shift,
    Qt.Key.Key_Control,
    Qt.Key.Key_Alt,
    Qt.Key.Key_Meta,
    Qt.Key.Key_AltGr,
    Qt.Key.Key_CapsLock,
    Qt.Key.Key_NumLock,
}
_ENTER_KEYS = {Qt.Key.Key_Return, Qt.Key.Key_Enter}
_COMMAND_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


@dataclass
class _Held:
    """A key press held back, to be given back if it turns out to be typing."""

    receiver: QWidget
    key: int
    modifiers: Qt.KeyboardModifier
    text: str


class ScanFilter(QObject):
    """Install with ``install(app)``; scans come out of ``scanned`` as RawScan."""

    scanned = Signal(object)

    def __init__(
        self,
        *,
        prefix: str = "",
        suffix: str = "",
        max_gap_ms: int = 30,
        min_length: int = 4,
        capture_timeout_ms: int = 400,
        clock: Callable[[], float] | None = None,
        source: str = "wedge",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.prefix = prefix
        self.suffix = suffix
        self.max_gap = max_gap_ms / 1000
        self.min_length = min_length
        self.capture_timeout = capture_timeout_ms / 1000
        self.source = source
        self._clock = clock or time.monotonic
        #: with the real clock, only events from a keyboard (timestamp > 0) are looked at
        self._keyboard_only = clock is None
        self._held: list[_Held] = []
        self._capturing = False  # prefix seen (prefix mode) / burst going on (timing mode)
        self._last = 0.0  # time of the last held key (event time, or the injected clock)
        self._last_arrival = 0.0  # clock() when it arrived (for the give-back timer)
        self._replaying = False
        self._swallow_enter_until = 0.0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timer)
        self._installed_on: QCoreApplication | None = None

    # --- installing ----------------------------------------------------------------------

    def install(self, app: QCoreApplication | None = None) -> None:
        app = app or QCoreApplication.instance()
        if app is not None and self._installed_on is None:
            app.installEventFilter(self)
            self._installed_on = app

    def uninstall(self) -> None:
        self._give_back()
        if self._installed_on is not None:
            self._installed_on.removeEventFilter(self)
            self._installed_on = None

    @property
    def timing_mode(self) -> bool:
        return not self.prefix

    # --- the filter ----------------------------------------------------------------------

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if self._replaying:
            return False
        kind = event.type()
        if kind not in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            return False
        # Qt shows a key press to the window first, then to the focus widget: act once
        if not isinstance(obj, QWidget) or not isinstance(event, QKeyEvent):
            return False
        if kind == QEvent.Type.ShortcutOverride:
            # Qt offers a key to the shortcuts before delivering it; a key that belongs to a
            # scan must not trigger one (Enter in a screen with an Enter shortcut, say)
            if self._wants(event):
                event.accept()
                return True
            if self._held and not self._ignored(event):
                self._give_back()  # typing after all: it goes in before this key acts
            return False
        return self._key(obj, event)

    def _now(self, event: QKeyEvent) -> float:
        return event.timestamp() / 1000 if self._keyboard_only else self._clock()

    def _ignored(self, event: QKeyEvent) -> bool:
        if Qt.Key(event.key()) in _MODIFIER_KEYS:
            return True  # scanners press Shift for capitals and Ctrl for GS
        return self._keyboard_only and not event.timestamp()  # made by a program

    def _wants(self, event: QKeyEvent) -> bool:
        """Whether the key press that follows will be taken (no state changes here)."""
        if self._ignored(event) or event.isAutoRepeat():
            return False
        key = Qt.Key(event.key())
        now = self._now(event)
        if key in _ENTER_KEYS or key == Qt.Key.Key_Tab:
            if not self._held:
                return now <= self._swallow_enter_until
            if self.timing_mode:
                fast = now - self._last <= self.max_gap
                return fast and len(self._held) >= self.min_length and not self.suffix
            return self._capturing
        text = event.text()
        if not self._is_data(text, event.modifiers()):
            return False
        if self.timing_mode or self._capturing:
            return True
        return self.prefix.startswith(self._held_text() + text) or self.prefix.startswith(text)

    def _key(self, receiver: QWidget, event: QKeyEvent) -> bool:
        if self._ignored(event):
            return False
        key = Qt.Key(event.key())
        now = self._now(event)
        text = event.text()
        if event.isAutoRepeat():  # a held-down key is a person
            self._give_back()
            return False
        if key in _ENTER_KEYS or key == Qt.Key.Key_Tab:
            return self._terminator(now)
        if not self._is_data(text, event.modifiers()):
            self._give_back()
            return False
        return self._data(receiver, event, text, now)

    def _is_data(self, text: str, modifiers: Qt.KeyboardModifier) -> bool:
        if not text:
            return False
        if text == GS or text in self.prefix or text in self.suffix:
            return True
        if modifiers & _COMMAND_MODIFIERS:
            return False  # shortcuts (Ctrl+1...) are never scan data
        return text.isprintable()

    def _data(self, receiver: QWidget, event: QKeyEvent, text: str, now: float) -> bool:
        held = _Held(receiver, event.key(), event.modifiers(), text)
        if self.timing_mode:
            if self._held and now - self._last > self.max_gap:
                self._give_back()  # the pause was too long: what came before was typed
            self._held.append(held)
            self._touch(now)
            if self.suffix and self._held_text().endswith(self.suffix):
                self._finish(self._held_text()[: -len(self.suffix)], now)
            else:
                self._timer.start(round(self.max_gap * 1000) + 1)
            return True
        # prefix mode
        if not self._capturing:
            candidate = self._held_text() + text
            if not self.prefix.startswith(candidate):
                self._give_back()
                if not self.prefix.startswith(text):
                    return False
                candidate = text
            self._held.append(held)
            self._touch(now)
            if candidate == self.prefix:
                self._capturing = True
            self._timer.start(round(self.capture_timeout * 1000) + 1)
            return True
        self._held.append(held)
        self._touch(now)
        body = self._held_text()[len(self.prefix) :]
        if self.suffix and body.endswith(self.suffix):
            self._finish(body[: -len(self.suffix)], now)
        else:
            self._timer.start(round(self.capture_timeout * 1000) + 1)
        return True

    def _terminator(self, now: float) -> bool:
        if not self._held:
            if now <= self._swallow_enter_until:
                self._swallow_enter_until = 0.0
                return True  # the Enter a scanner sends after its suffix
            return False
        if self.timing_mode:
            fast = now - self._last <= self.max_gap
            text = self._held_text()
            if fast and len(self._held) >= self.min_length and not self.suffix:
                self._finish(text, now)
                return True
            self._give_back()
            return False
        if self._capturing and not self.suffix:
            self._finish(self._held_text()[len(self.prefix) :], now)
            return True
        if self._capturing:  # Enter inside a prefix...suffix scan is part of the data
            return True
        self._give_back()
        return False

    def _touch(self, now: float) -> None:
        self._last = now
        self._last_arrival = self._clock()

    def _held_text(self) -> str:
        return "".join(h.text for h in self._held)

    def _finish(self, text: str, now: float) -> None:
        self._timer.stop()
        self._held.clear()
        self._capturing = False
        self._swallow_enter_until = now + max(self.max_gap, 0.05)  # same clock as ``now``
        if text:
            self.scanned.emit(RawScan(text, self.source))

    def _on_timer(self) -> None:
        if not self._held:
            return
        limit = self.max_gap if self.timing_mode else self.capture_timeout
        idle = self._clock() - self._last_arrival
        if idle > limit:
            self._give_back()
        else:
            self._timer.start(max(1, round((limit - idle) * 1000) + 1))

    def _give_back(self) -> None:
        """Typing after all: deliver the held keys to their widgets, in order."""
        self._timer.stop()
        held, self._held = self._held, []
        self._capturing = False
        if not held:
            return
        self._replaying = True
        try:
            for h in held:
                if shiboken6.isValid(h.receiver):  # the widget may have closed meanwhile
                    ev = QKeyEvent(QEvent.Type.KeyPress, h.key, h.modifiers, h.text)
                    QCoreApplication.sendEvent(h.receiver, ev)
        finally:
            self._replaying = False

    def flush(self) -> None:
        """Give back anything held now (screen change, shutdown)."""
        self._give_back()
