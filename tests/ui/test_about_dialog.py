"""The About dialog: version, the database's schema revision, Qt and Python, the bundled font's
and libraries' licences (read from the installed packages), copied for support."""

from __future__ import annotations

import platform

from PySide6.QtCore import qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app import __version__
from app.bootstrap import Services
from app.db.migrate import script_heads
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
