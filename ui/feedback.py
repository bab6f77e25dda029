"""Station feedback: big green or red type over the window, a short beep for success and a
distinct buzz for an error.

Sound goes through QtMultimedia's QSoundEffect (preloaded, so it starts within milliseconds).
It degrades to silence, never to a crash or a warning, when QtMultimedia is missing (it needs
``libpulse0`` on Linux), when there is no audio server, or when ``PACKDESK_NO_SOUND`` is set.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QWidget

from app.resources import resource

log = logging.getLogger(__name__)

OK_COLOUR = "#1b5e20"
ERROR_COLOUR = "#b00020"
SOUNDS = {"ok": "ok.wav", "error": "error.wav"}


def audio_server_present(env: dict[str, str] | None = None) -> bool:
    """Whether a sound server can be reached (Linux: PulseAudio or PipeWire; elsewhere the
    system mixer is always there)."""
    env = dict(os.environ) if env is None else env
    if env.get("PACKDESK_NO_SOUND"):
        return False
    if not sys.platform.startswith("linux"):
        return True
    if env.get("PULSE_SERVER"):
        return True
    runtime = env.get("XDG_RUNTIME_DIR") or f"/run/user/{os.getuid()}"
    return any(Path(runtime, p).exists() for p in ("pulse/native", "pipewire-0"))


class SoundPlayer(QObject):
    """Plays the ok and error sounds if this machine can; otherwise ``reason`` says why not."""

    def __init__(self, parent: QObject | None = None, *, env: dict[str, str] | None = None):
        super().__init__(parent)
        self._effects: dict[str, Any] = {}
        self.reason = ""
        self.played: list[str] = []  # what was asked for (the station log and tests read it)
        if not audio_server_present(env):
            self.reason = "no audio server (or PACKDESK_NO_SOUND is set)"
            return
        try:
            from PySide6.QtMultimedia import QMediaDevices, QSoundEffect
        except ImportError as exc:  # QtMultimedia needs libpulse0 on Linux
            self.reason = f"Qt Multimedia cannot be loaded ({exc})"
            return
        if not QMediaDevices.audioOutputs():
            self.reason = "no audio output device"
            return
        for name, file in SOUNDS.items():
            effect = QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(str(resource("sounds", file))))
            effect.setVolume(0.9)
            self._effects[name] = effect

    @property
    def available(self) -> bool:
        return bool(self._effects)

    def play(self, name: str) -> None:
        self.played.append(name)
        effect = self._effects.get(name)
        if effect is None:
            return
        try:
            effect.play()
        except RuntimeError:  # the audio device went away
            log.info("sound %s could not be played", name)


class FeedbackBanner(QLabel):
    """The big coloured message laid over the top of a window."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("feedback_banner")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        font = QFont(self.font())
        font.setPointSize(26)
        font.setBold(True)
        self.setFont(font)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.hide()

    def present(self, ok: bool, text: str) -> None:
        colour = OK_COLOUR if ok else ERROR_COLOUR
        self.setStyleSheet(
            f"QLabel {{ background: {colour}; color: white; border-radius: 10px; padding: 18px; }}"
        )
        self.setText(text)
        host = self.parentWidget()
        if host is not None:
            width = max(300, host.width() - 80)
            self.setFixedWidth(width)
            self.adjustSize()
            self.move((host.width() - width) // 2, 40)
        self.show()
        self.raise_()


class Feedback(QObject):
    """``ok(text)`` / ``error(text)``: colour, big type and sound at once."""

    shown = Signal(bool, str)

    def __init__(
        self,
        host: QWidget,
        sounds: SoundPlayer | None = None,
        hide_after_ms: int = 1800,
        error_hide_after_ms: int = 4000,
    ) -> None:
        super().__init__(host)
        self.banner = FeedbackBanner(host)
        self.sounds = sounds or SoundPlayer(self)
        self.hide_after_ms = hide_after_ms
        self.error_hide_after_ms = error_hide_after_ms
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.banner.hide)

    def ok(self, text: str) -> None:
        self._show(True, text)

    def error(self, text: str) -> None:
        self._show(False, text)

    def _show(self, ok: bool, text: str) -> None:
        self.sounds.play("ok" if ok else "error")
        self.banner.present(ok, text)
        self._timer.start(self.hide_after_ms if ok else self.error_hide_after_ms)
        self.shown.emit(ok, text)


def show_answer(label: QLabel, ok: bool, text: str, feedback: Feedback | None) -> None:
    """A station screen's answer line (ship, pickup counter): green with the good sound, or red
    with the error sound (and the error flash) when ``feedback`` is the station's."""
    label.setStyleSheet(f"QLabel {{ color: {OK_COLOUR if ok else ERROR_COLOUR}; }}")
    label.setText(text)
    if feedback is not None:
        if ok:
            feedback.sounds.play("ok")
        else:
            feedback.error(text)
