"""Export tracking for the shops: the channel, the format (its platform's by default), a saved
mapping for the generic format, "shipped since", "write again" and the file; the export runs off
the UI thread and the dialog says what was written (or why nothing was)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QDate, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import PackdeskError
from app.domain.tracking_export import file_type_of
from app.services import tracking_export
from app.services.tracking_export import ExportChoices, TrackingExportResult
from ui.background import run_in_background
from ui.context import UiContext
from ui.i18n import error_text
from ui.widgets.parts_editor import ERROR_COLOUR, OK_COLOUR

W = TypeVar("W", bound=QWidget)


def _named(widget: W, name: str) -> W:
    widget.setObjectName(name)
    return widget


class TrackingExportDialog(QDialog):
    #: the export's result (a TrackingExportResult) once it is done
    exported = Signal(object)
    #: an operator error (a PackdeskError)
    refused = Signal(object)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("TrackingExportDialog")
        self.setWindowTitle(self.tr("Export tracking for the shops"))
        self.resize(680, 420)
        self.choices: ExportChoices = ctx.services.run(tracking_export.export_choices, ctx.actor)
        self._build()
        self._refresh_path()

    # --- layout ----------------------------------------------------------------------------

    def _build(self) -> None:
        intro = QLabel(
            self.tr(
                "Writes the tracking numbers of the channel's shipped orders in the file its "
                "shop uploads (批量发货). Parcels already exported in that format are left out."
            )
        )
        intro.setWordWrap(True)
        self.channel = _named(QComboBox(), "channel")
        for c in self.choices.channels:
            self.channel.addItem(f"{c.name} ({c.code})", c.code)
        self.format = _named(QComboBox(), "format")
        self.mapping = _named(QComboBox(), "mapping")
        for name in self.choices.mappings:
            self.mapping.addItem(name, name)
        self.since_on = _named(QCheckBox(self.tr("Only parcels shipped since")), "since_on")
        self.since = _named(QDateEdit(QDate.currentDate()), "since")
        self.since.setCalendarPopup(True)
        self.since.setDisplayFormat("yyyy-MM-dd")
        self.since.setEnabled(False)
        self.since_on.toggled.connect(self.since.setEnabled)
        since_row = QHBoxLayout()
        since_row.addWidget(self.since_on)
        since_row.addWidget(self.since, 1)
        self.again = _named(QCheckBox(self.tr("Write parcels exported before again")), "again")
        self.path = _named(QLineEdit(), "path")
        choose = _named(QPushButton(self.tr("Choose…")), "choose")
        choose.clicked.connect(self.choose_file)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(choose)
        form = QFormLayout()
        form.addRow(self.tr("Channel"), self.channel)
        form.addRow(self.tr("Format"), self.format)
        form.addRow(self.tr("Mapping"), self.mapping)
        self.form = form
        form.addRow(since_row)
        form.addRow(self.again)
        form.addRow(self.tr("File"), path_row)
        self.outcome = _named(QLabel(), "result")
        self.outcome.setWordWrap(True)
        font = QFont(self.outcome.font())
        font.setPointSize(font.pointSize() + 2)
        font.setBold(True)
        self.outcome.setFont(font)
        self.export_button = _named(QPushButton(self.tr("Export")), "export")
        self.export_button.setDefault(True)
        self.export_button.setMinimumHeight(44)
        self.export_button.setFont(font)
        self.export_button.clicked.connect(self.start_export)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.outcome, 1)
        layout.addWidget(buttons)
        self.channel.currentIndexChanged.connect(self._channel_changed)
        self.format.currentIndexChanged.connect(self._refresh_path)
        self.mapping.currentIndexChanged.connect(self._refresh_path)
        self._channel_changed()
        if not self.choices.channels:
            self.export_button.setEnabled(False)
            self._say(self.tr("There are no sales channels yet."), ok=False)

    def _channel_changed(self) -> None:
        default = self._channel_default()
        self.format.blockSignals(True)
        self.format.clear()
        label = self.tr("As the channel uploads ({format})").format(
            format=self.format_name(default)
        )
        self.format.addItem(label if default else self.tr("Choose a format"), default)
        for f in self.choices.formats:
            self.format.addItem(self.format_name(f), f)
        self.format.blockSignals(False)
        self._refresh_path()

    def format_name(self, fmt: str) -> str:
        """The format as the shop owner knows it."""
        names = {
            "shopify": "Shopify",
            "woocommerce": "WooCommerce",
            "taobao": self.tr("Taobao / Tmall"),
            "jd": self.tr("JD"),
            "pinduoduo": self.tr("Pinduoduo"),
            "douyin": self.tr("Douyin"),
            "generic": self.tr("Generic (a saved mapping)"),
        }
        return names.get(fmt, fmt)

    def _channel_default(self) -> str:
        i = self.channel.currentIndex()
        return self.choices.channels[i].default_format if i >= 0 else ""

    def chosen_format(self) -> str:
        return str(self.format.currentData() or "")

    def _refresh_path(self) -> None:
        fmt = self.chosen_format()
        generic = fmt == "generic"
        self.form.setRowVisible(self.mapping, generic)
        ext = file_type_of(fmt)
        name = fmt or "tracking"
        if generic and self.mapping.currentIndex() >= 0:
            ext = self.choices.mapping_types[self.mapping.currentIndex()]
            name = f"generic-{self.mapping.currentData()}"
        channel = str(self.channel.currentData() or "")
        data_dir = self.ctx.services.paths.data_dir
        self.path.setText(
            str(tracking_export.default_export_path(data_dir, channel, name, ext, date.today()))
        )

    def choose_file(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the tracking file as"),
            self.path.text(),
            self.tr("Excel or CSV (*.xlsx *.csv)"),
        )
        if path:
            self.path.setText(path)

    # --- the export --------------------------------------------------------------------------

    def _say(self, text: str, *, ok: bool = True) -> None:
        self.outcome.setText(text)
        self.outcome.setStyleSheet(f"color: {OK_COLOUR if ok else ERROR_COLOUR};")

    def start_export(self) -> None:
        services, actor = self.ctx.services, self.ctx.actor
        channel = str(self.channel.currentData() or "")
        fmt = self.chosen_format() or None
        mapping = str(self.mapping.currentData() or "") if fmt == "generic" else None
        since = self.since.date().toPython() if self.since_on.isChecked() else None
        again = self.again.isChecked()
        out = Path(self.path.text().strip())
        self.export_button.setEnabled(False)
        self._say(self.tr("Exporting…"))

        def run() -> TrackingExportResult:
            return services.run(
                tracking_export.export_tracking, actor, channel, out=out, fmt=fmt,
                since=since, again=again, mapping=mapping,
            )  # fmt: skip

        run_in_background(self, run, self._done, self._failed)

    def _done(self, r: TrackingExportResult) -> None:
        self.export_button.setEnabled(True)
        if r.written:
            self._say(
                self.tr(
                    "Written: {parcels} parcel(s) of {orders} order(s), {rows} row(s), to\n"
                    "{file}\nUpload this file in the shop's bulk shipping (批量发货) page."
                ).format(parcels=r.parcels, orders=r.orders, rows=r.rows, file=str(r.path))
            )
            self._refresh_path()
        else:
            self._say(
                self.tr(
                    "Nothing new to export. Parcels exported in this format before: {skipped}. "
                    "Tick \u201cWrite parcels exported before again\u201d to write them again."
                ).format(skipped=r.skipped),
                ok=False,
            )
        self.exported.emit(r)

    def _failed(self, exc: PackdeskError) -> None:
        self.export_button.setEnabled(True)
        self._say(error_text(exc), ok=False)
        self.refused.emit(exc)
