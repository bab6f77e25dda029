"""The About dialog: version, the database's schema revision, Qt and Python, the bundled font's
and libraries' licences (read from the installed packages), copied for support."""

from __future__ import annotations

import platform

from PySide6.QtCore import QTimer, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from app import __version__
from app.bootstrap import Services
from app.db.migrate import script_heads
from ui.context import UiContext
from ui.login import LoginDialog
from ui.main_window import MainWindow
from ui.widgets.about import AboutDialog


def test_about_shows_version_schema_versions_and_licences(
    qtbot: QtBot, ui_services: Services
) -> None:
    dialog = AboutDialog(ui_services)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: bool(dialog.parts), timeout=20_000)
    head = script_heads()[0]
    qtbot.waitUntil(lambda: head in dialog.schema.text(), timeout=10_000)
    assert "(current)" in dialog.schema.text()

    def shown(key: str) -> str:
        label = dialog.findChild(QLabel, f"about_{key}")
        assert label is not None
        return label.text()

    assert shown("version") == __version__
    assert shown("qt") == qVersion() and shown("python") == platform.python_version()
    assert shown("data") == str(ui_services.paths.data_dir)
    names = [p.name for p in dialog.parts]
    assert names[0] == "WenQuanYi Micro Hei"
    dialog.table.selectRow(0)
    assert "Apache" in dialog.licence_text.toPlainText()  # the font's licence file
    row = next(i for i, p in enumerate(dialog.parts) if p.name == "SQLAlchemy")
    assert dialog.table.item(row, 2).text() == "MIT"
    dialog.table.selectRow(row)
    assert "Permission is hereby granted" in dialog.licence_text.toPlainText()
    dialog.copy()
    copied = QGuiApplication.clipboard().text()
    assert f"Packdesk {__version__}" in copied and head in copied and "SQLAlchemy" in copied


def test_about_opens_from_the_main_window_and_the_log_in_dialog(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    seen: list[str] = []

    def close_it() -> None:
        box = QApplication.activeModalWidget()
        seen.append(type(box).__name__)
        assert box is not None
        box.close()

    window = MainWindow(ui_ctx)
    qtbot.addWidget(window)
    QTimer.singleShot(0, close_it)
    window.findChild(QPushButton, "about").click()
    login = LoginDialog(ui_ctx.services, "en")
    qtbot.addWidget(login)
    QTimer.singleShot(0, close_it)
    login.about_button.click()
    assert seen == ["AboutDialog", "AboutDialog"]
