"""The log-in dialog after too many failed tries: a framed message that counts down."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.bootstrap import Services
from app.domain.users import Actor
from ui.login import LoginDialog


def _try(qtbot: QtBot, dialog: LoginDialog, password: str) -> None:
    qtbot.keyClicks(dialog.password, password)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)


def test_the_fifth_wrong_password_shows_how_long_to_wait_and_the_wait_counts_down(
    qtbot: QtBot, ui_services: Services, ui_admin: Actor
) -> None:
    dialog = LoginDialog(ui_services, "en")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username, "admin")
    for _ in range(4):
        _try(qtbot, dialog, "nope")
        assert "Wrong user name or password" in dialog.error.text()
    _try(qtbot, dialog, "nope")
    assert "Too many failed log-ins" in dialog.error.text()
    assert "Try again in 0:30" in dialog.error.text()
    assert "border" in dialog.error.styleSheet()  # framed, not the plain red line
    assert dialog.wait_clock.isVisible() and dialog.wait_clock.text() == "0:30"
    _try(qtbot, dialog, "correct-horse-9")  # even the right password waits
    assert dialog.actor is None and "Too many failed log-ins" in dialog.error.text()
    shown = dialog.error.text()
    qtbot.waitUntil(lambda: dialog.error.text() != shown, timeout=3000)
    assert "Try again in 0:2" in dialog.error.text()
    assert dialog.wait_clock.text().startswith("0:2")
