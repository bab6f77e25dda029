"""Carriers: tracking-number pools (how many are left, loading more), voided numbers to report
to the carrier, carrier labels made elsewhere attached to their orders, and the carriers'
daily cut-off times."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import PackdeskError
from app.domain.users import Permission
from app.services import carrier_list, order_labels, tracking_pool, tracking_void
from app.services.carrier_list import CarrierRow
from app.services.order_labels import FolderReport
from app.services.tracking_pool import PoolLoadReport
from app.services.tracking_void import VoidedNumber
from ui.background import run_in_background
from ui.context import UiContext
from ui.i18n import error_text
from ui.models.carriers import PoolsModel, pool_rows
from ui.screens.base import Screen
from ui.screens.layout import layout_problem_text
from ui.widgets.carrier_cutoffs import CutoffDialog

#: problems listed in a report (the rest are counted)
SHOWN_PROBLEMS = 200


class LoadPoolDialog(QDialog):
    """Choose the carrier, the service and the file; the numbers load off the UI thread."""

    loaded = Signal(object)  # PoolLoadReport, or None after a failure

    def __init__(self, ctx: UiContext, carriers: list[CarrierRow], parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx, self.carriers = ctx, carriers
        self.path: Path | None = None
        self.setWindowTitle(self.tr("Load tracking numbers"))
        self.carrier = QComboBox()
        for c in carriers:
            self.carrier.addItem(f"{c.name} ({c.code})", c.code)
        self.service = QComboBox()
        self.carrier.currentIndexChanged.connect(self._services)
        self._services()
        self.file_button = QPushButton(self.tr("Choose file..."))
        self.file_button.clicked.connect(self._choose)
        self.file_label = QLabel(self.tr("No file chosen"))
        form = QFormLayout()
        form.addRow(self.tr("Carrier"), self.carrier)
        form.addRow(self.tr("Numbers for"), self.service)
        row = QHBoxLayout()
        row.addWidget(self.file_button)
        row.addWidget(self.file_label, 1)
        form.addRow(self.tr("File"), row)
        hint = QLabel(
            self.tr(
                "A CSV, TXT or Excel file with one number per row, or ranges written "
                "start,end. Numbers with a wrong check digit or already loaded are refused "
                "with their row."
            )
        )
        hint.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setFont(_bold(13))
        self.problems = QListWidget()
        self.problems.setWordWrap(True)
        self.problems.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.load_button = self.buttons.addButton(
            self.tr("Load"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.load_button.setEnabled(False)
        self.load_button.clicked.connect(self.load)
        self.buttons.rejected.connect(self.reject)
        self.buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems, 1)
        layout.addWidget(self.buttons)
        self.resize(760, 420)

    def _services(self) -> None:
        self.service.clear()
        self.service.addItem(self.tr("any of its services"), None)
        code = self.carrier.currentData()
        for c in self.carriers:
            if c.code == code:
                for s in c.services:
                    self.service.addItem(f"{s.name} ({s.code})", s.code)

    def _choose(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Tracking numbers file"),
            "",
            self.tr("Number files (*.csv *.txt *.xlsx);;All files (*)"),
        )
        if name:
            self.set_path(Path(name))

    def set_path(self, path: Path) -> None:
        self.path = path
        self.file_label.setText(path.name)
        self.load_button.setEnabled(True)

    def load(self) -> None:
        if self.path is None:
            return
        services, actor = self.ctx.services, self.ctx.actor
        carrier, service, path = self.carrier.currentData(), self.service.currentData(), self.path
        self.load_button.setEnabled(False)
        self.summary.setText(self.tr("Loading {file}...").format(file=path.name))

        def failed(exc: PackdeskError) -> None:
            self.summary.setText(error_text(exc))
            self.summary.setStyleSheet("color: #b00020;")
            self.load_button.setEnabled(True)
            self.loaded.emit(None)

        run_in_background(
            self,
            lambda: services.run(tracking_pool.load_pool, actor, carrier, path, service),
            self._done,
            failed,
        )

    def _done(self, report: PoolLoadReport) -> None:
        self.load_button.setEnabled(True)
        self.summary.setStyleSheet("color: #b00020;" if report.rejected else "color: #1b5e20;")
        self.summary.setText(
            self.tr("{loaded} numbers loaded, {rejected} refused.").format(
                loaded=f"{report.loaded:,}", rejected=f"{report.rejected:,}"
            )
        )
        self.problems.clear()
        for p in report.problems[:SHOWN_PROBLEMS]:
            self.problems.addItem(layout_problem_text(p, "row"))
        if report.rejected > SHOWN_PROBLEMS:
            self.problems.addItem(
                self.tr("... and {n} more").format(n=report.rejected - SHOWN_PROBLEMS)
            )
        self.problems.setVisible(bool(report.problems))
        self.loaded.emit(report)


class VoidedDialog(QDialog):
    """Voided numbers the carrier has not been told of yet; mark them reported once sent."""

    def __init__(self, ctx: UiContext, numbers: list[VoidedNumber], parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx, self.numbers = ctx, numbers
        self.setWindowTitle(self.tr("Voided tracking numbers"))
        self.table = QTableWidget(len(numbers), 4)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Carrier"), self.tr("Number"), self.tr("Voided"), self.tr("Why")]
        )
        for i, n in enumerate(numbers):
            when = n.voided_at.astimezone().strftime("%Y-%m-%d %H:%M") if n.voided_at else ""
            for j, text in enumerate((n.carrier, n.number, when, n.reason)):
                self.table.setItem(i, j, QTableWidgetItem(text))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.message = QLabel(
            self.tr("Send these numbers to the carrier, then mark them reported.")
            if numbers
            else self.tr("No voided numbers wait to be reported.")
        )
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.mark_button = buttons.addButton(
            self.tr("Mark all reported"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.mark_button.setEnabled(bool(numbers) and ctx.can(Permission.VOID_PARCELS))
        self.mark_button.clicked.connect(self.mark_reported)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(700, 400)

    def mark_reported(self) -> None:
        try:
            n = self.ctx.services.run(
                tracking_void.mark_reported, self.ctx.actor, [v.id for v in self.numbers]
            )
        except PackdeskError as exc:
            self.message.setText(error_text(exc))
            return
        self.message.setText(self.tr("{n} numbers marked reported.").format(n=n))
        self.mark_button.setEnabled(False)


class CarriersScreen(Screen):
    permission = Permission.VIEW_ORDERS
    #: the table was (re)loaded
    loaded = Signal()
    #: a folder of label files was attached (or failed)
    labels_attached = Signal()

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("CarriersScreen", "Carriers")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("CarriersScreen")
        self.carriers: list[CarrierRow] = []
        self.model = PoolsModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setFont(_bold(12, bold=False))
        self.load_button = QPushButton(self.tr("Load tracking numbers..."))
        self.voided_button = QPushButton(self.tr("Voided numbers..."))
        self.attach_button = QPushButton(self.tr("Attach label files..."))
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.cutoff_button = QPushButton(self.tr("Cut-off times..."))
        self.cutoff_button.clicked.connect(self.open_cutoffs)
        self.cutoff_button.setEnabled(ctx.can(Permission.MANAGE_SHIPPING))
        self.load_button.clicked.connect(self.open_load)
        self.voided_button.clicked.connect(self.open_voided)
        self.attach_button.clicked.connect(self.choose_label_folder)
        self.refresh_button.clicked.connect(self.refresh)
        self.load_button.setEnabled(ctx.can(Permission.MANAGE_SHIPPING))
        self.attach_button.setEnabled(ctx.can(Permission.PRINT_LABELS))
        bar = QHBoxLayout()
        for b in (self.load_button, self.voided_button, self.attach_button, self.cutoff_button):
            bar.addWidget(b)
        bar.addStretch(1)
        bar.addWidget(self.refresh_button)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setFont(_bold(13))
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)

    def activated(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        services = self.ctx.services
        run_in_background(
            self, lambda: services.run(carrier_list.list_carriers), self._show, self._failed
        )

    def _failed(self, exc: PackdeskError) -> None:
        self.status.setStyleSheet("color: #b00020;")
        self.status.setText(error_text(exc))
        self.loaded.emit()

    def _show(self, carriers: list[CarrierRow]) -> None:
        self.carriers = carriers
        rows = pool_rows(carriers)
        self.model.set_rows(rows)
        low = [r for r in rows if r.low and r.plugin == "pool"]
        self.status.setStyleSheet("color: #b00020;" if low else "")
        if low:
            names = ", ".join(f"{r.carrier_name} {r.service}".strip() for r in low)
            self.status.setText(
                self.tr("Tracking numbers are running out: {names}. Load more.").format(names=names)
            )
        elif not carriers:
            self.status.setText(self.tr("No carriers yet."))
        else:
            self.status.setText("")
        self.loaded.emit()

    def open_load(self) -> LoadPoolDialog:
        dialog = LoadPoolDialog(self.ctx, self.carriers, self)
        dialog.loaded.connect(lambda _report: self.refresh())
        dialog.open()
        return dialog

    def open_cutoffs(self) -> CutoffDialog:
        dialog = CutoffDialog(self.ctx, self.carriers, self)
        dialog.saved.connect(self.refresh)
        dialog.open()
        return dialog

    def open_voided(self) -> None:
        services = self.ctx.services
        run_in_background(
            self,
            lambda: services.run(tracking_void.voided_report),
            lambda numbers: VoidedDialog(self.ctx, numbers, self).open(),
            self._failed,
        )

    def choose_label_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Folder of carrier labels"))
        if folder:
            self.attach_labels(Path(folder))

    def attach_labels(self, folder: Path) -> None:
        services, actor = self.ctx.services, self.ctx.actor
        run_in_background(
            self,
            lambda: services.run(order_labels.attach_folder, actor, folder),
            self._attached,
            self._failed,
        )

    def _attached(self, report: FolderReport) -> None:
        lines = [
            self.tr("{n} labels attached, {s} attached before, {e} not attached.").format(
                n=len(report.attached), s=len(report.skipped), e=len(report.errors)
            )
        ]
        lines += [f"{name}: {reason}" for name, reason in report.errors[:20]]
        self.status.setStyleSheet("color: #b00020;" if report.errors else "color: #1b5e20;")
        self.status.setText("\n".join(lines))
        self.labels_attached.emit()


def _bold(points: int, *, bold: bool = True) -> QFont:
    font = QFont()
    font.setPointSize(points)
    font.setBold(bold)
    return font
