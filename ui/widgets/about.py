"""About Packdesk: the version, the database's schema revision (and whether it is current),
Qt, PySide6 and Python, the platform, the data folder, and the bundled parts with their
licences (the Chinese font, and the libraries as their installed metadata says), each licence
text viewable. "Copy to clipboard" gives support everything in plain text."""

from __future__ import annotations

import platform

import PySide6
from PySide6.QtCore import Qt, Signal, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.bootstrap import Services
from app.domain.errors import PackdeskError
from app.licences import Part, bundled_parts
from app.services import settings_view
from app.services.settings_view import SchemaStatus
from ui.background import run_in_background
from ui.i18n import error_text


class AboutDialog(QDialog):
    #: the bundled parts are listed (read off the UI thread: package metadata is slow to walk)
    parts_loaded = Signal()

    def __init__(self, services: Services | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AboutDialog")
        self.setWindowTitle(self.tr("About Packdesk"))
        self.resize(860, 720)
        self.services = services
        heading = QLabel(f"Packdesk {__version__}")
        font = heading.font()
        font.setPointSize(font.pointSize() + 8)
        font.setBold(True)
        heading.setFont(font)
        self.schema = QLabel(self.tr("reading…") if services else self.tr("not connected"))
        self.schema.setObjectName("schema")
        self.facts: dict[str, str] = {}
        form = QFormLayout()
        for key, caption, value in self._rows():
            label = QLabel(value)
            label.setObjectName(f"about_{key}")
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(True)
            form.addRow(caption, label)
            self.facts[caption] = value
        form.insertRow(1, self.tr("Database schema"), self.schema)
        self.parts: tuple[Part, ...] = ()
        self.table = self._parts_table()
        self.licence_text = QPlainTextEdit()
        self.licence_text.setObjectName("licence_text")
        self.licence_text.setReadOnly(True)
        self.table.currentCellChanged.connect(lambda row, *_: self.show_licence(row))
        self.copy_button = QPushButton(self.tr("Copy to clipboard"))
        self.copy_button.setObjectName("copy")
        self.copy_button.clicked.connect(self.copy)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(
            QLabel(self.tr("Bundled parts and their licences (select one to read it)"))
        )
        layout.addWidget(self.table, 2)
        layout.addWidget(self.licence_text, 2)
        layout.addWidget(buttons)
        run_in_background(self, bundled_parts, self._show_parts, self._failed)
        if services is not None:
            run_in_background(
                self, lambda: services.run(settings_view.schema_status), self._schema, self._failed
            )

    def _rows(self) -> list[tuple[str, str, str]]:
        rows = [
            ("version", self.tr("Version"), __version__),
            ("qt", self.tr("Qt"), qVersion()),
            ("pyside", self.tr("PySide6"), PySide6.__version__),
            ("python", self.tr("Python"), platform.python_version()),
            ("platform", self.tr("Platform"), platform.platform()),
        ]
        if self.services is not None:
            paths = self.services.paths
            rows.append(("data", self.tr("Data folder"), str(paths.data_dir)))
            rows.append(("logs", self.tr("Log folder"), str(paths.log_dir)))
            rows.append(("database", self.tr("Database"), self.services.database_label))
        return rows

    def _parts_table(self) -> QTableWidget:
        table = QTableWidget(0, 3)
        table.setObjectName("parts")
        table.setHorizontalHeaderLabels([self.tr("Part"), self.tr("Version"), self.tr("Licence")])
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        return table

    def _show_parts(self, parts: tuple[Part, ...]) -> None:
        self.parts = parts
        self.table.setRowCount(len(parts))
        for row, part in enumerate(parts):
            for col, text in enumerate((part.name, part.version, part.licence)):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.selectRow(0)
        self.parts_loaded.emit()

    def show_licence(self, row: int) -> None:
        if not 0 <= row < len(self.parts):
            return
        part = self.parts[row]
        self.licence_text.setPlainText(
            part.text
            or self.tr(
                "{name} ships no licence file in its package; its licence is {licence}."
            ).format(name=part.name, licence=part.licence)
        )

    def _schema(self, status: SchemaStatus) -> None:
        current = ", ".join(status.current) or self.tr("none")
        if status.up_to_date:
            text = self.tr("{revision} (current)").format(revision=current)
        else:
            text = self.tr("{revision}; this version of Packdesk expects {head}").format(
                revision=current, head=", ".join(status.head)
            )
        self.schema.setText(text)

    def _failed(self, exc: PackdeskError) -> None:
        self.schema.setText(error_text(exc))

    def support_text(self) -> str:
        """Everything shown, as plain text for a support request."""
        lines = [f"Packdesk {__version__}"]
        lines += [f"{k}: {v}" for k, v in self.facts.items()]
        lines.append(f"{self.tr('Database schema')}: {self.schema.text()}")
        lines.append("")
        lines += [f"{p.name} {p.version}: {p.licence}" for p in self.parts]
        return "\n".join(lines)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.support_text())
