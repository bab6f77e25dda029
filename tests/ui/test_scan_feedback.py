"""Scan feedback: colour and big type at once, a short beep or a distinct error sound, and
silence (never a crash, never a warning) where there is no sound."""

from __future__ import annotations

import time
import wave
from pathlib import Path

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.resources import resource
from ui.feedback import ERROR_COLOUR, OK_COLOUR, Feedback, SoundPlayer, audio_server_present


def _wav(name: str) -> tuple[float, int, bytes]:
    with wave.open(str(resource("sounds", name)), "rb") as w:
        frames = w.readframes(w.getnframes())
        return w.getnframes() / w.getframerate(), w.getframerate(), frames


def test_the_ok_beep_is_short_and_the_error_sound_is_longer_and_different() -> None:
    ok_s, ok_rate, ok = _wav("ok.wav")
    err_s, err_rate, err = _wav("error.wav")
    assert 0.05 <= ok_s <= 0.15 and 0.3 <= err_s <= 0.6
    assert ok_rate == err_rate == 44_100
    assert ok != err[: len(ok)] and max(ok) > 0 and max(err) > 0


def test_audio_server_detection_follows_the_environment(tmp_path: Path) -> None:
    assert not audio_server_present({"PACKDESK_NO_SOUND": "1", "PULSE_SERVER": "x"})
    assert audio_server_present({"PULSE_SERVER": "unix:/run/pulse/native"})
    assert not audio_server_present({"XDG_RUNTIME_DIR": str(tmp_path)})
    (tmp_path / "pipewire-0").touch()
    assert audio_server_present({"XDG_RUNTIME_DIR": str(tmp_path)})


def test_without_an_audio_server_sounds_are_skipped_quietly(qtbot: QtBot, tmp_path: Path) -> None:
    player = SoundPlayer(env={"XDG_RUNTIME_DIR": str(tmp_path)})
    assert not player.available and "no audio server" in player.reason
    player.play("ok")
    player.play("error")
    assert player.played == ["ok", "error"]  # asked for, nothing crashed or warned


def test_feedback_shows_green_or_red_big_type_with_the_sound_within_milliseconds(
    qtbot: QtBot, tmp_path: Path
) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    host.resize(900, 600)
    host.show()
    feedback = Feedback(host, SoundPlayer(env={"PACKDESK_NO_SOUND": "1"}), hide_after_ms=50)
    started = time.perf_counter()
    feedback.ok("Product CUP-500")
    took_ms = (time.perf_counter() - started) * 1000
    banner = feedback.banner
    assert banner.isVisible() and banner.text() == "Product CUP-500"
    assert OK_COLOUR in banner.styleSheet() and banner.font().pointSize() >= 24
    assert took_ms < 100
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=1000)
    feedback.error("Wrong item")
    assert ERROR_COLOUR in banner.styleSheet() and banner.isVisible()
    assert feedback.sounds.played == ["ok", "error"]
    assert banner.geometry().top() >= 0 and banner.width() <= host.width()
