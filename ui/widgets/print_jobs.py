"""The station's print jobs: status and reason, with Resend, Reprint and Cancel.

Embedded in the device screen. It reloads when the bus says print jobs changed; the actions go
through ``app.services.printing`` (reprints need the REPRINT permission and are audited).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Slot,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import PackdeskError
from app.services import printing
from app.services.printing import PrintJobRow
from ui.context import UiContext
from ui.i18n import error_text, printer_status_text, translate_loose
from ui.live import LiveRefresh
from ui.words import job_status_name

Index = QModelIndex | QPersistentModelIndex

_COLOURS = {
    "failed": QColor("#b00020"),
    "waiting": QColor("#e65100"),
    "sent": QColor("#1b5e20"),
    "cancelled": QColor("#777777"),
}


def tr(text: str) -> str:
    return translate_loose("PrintJobs", text)


def job_kind_name(kind: str) -> str:
    names = {
        "shipping_label": tr("Shipping label"),
        "packing_slip": tr("Packing slip"),
        "pickup_slip": tr("Pickup slip"),
        "carrier_label": tr("Carrier label"),
        "test": tr("Test label"),
        "pick_list": tr("Pick list"),
        "manifest": tr("Manifest"),
        "station_card": tr("Station card"),
    }
    return names.get(kind, kind)


class PrintJobsModel(QAbstractTableModel):
    """Rows of ``PrintJobRow``; display strings are computed once per reload."""

    HEADERS = ("Job", "Time", "What", "For", "Status", "Reason", "Tries")

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[PrintJobRow] = []
        self._cells: list[tuple[str, ...]] = []

    def set_rows(self, rows: list[PrintJobRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._cells = [self._display(r) for r in self._rows]
        self.endResetModel()

    def row_at(self, row: int) -> PrintJobRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    @staticmethod
    def _display(r: PrintJobRow) -> tuple[str, ...]:
        when = (r.updated_at or r.created_at).astimezone().strftime("%H:%M:%S")
        reprint = tr(" (reprint of {job})").format(job=r.reprint_of_id) if r.reprint_of_id else ""
        return (
            str(r.id),
            when,
            job_kind_name(r.kind) + reprint,
            r.reference,
            job_status_name(r.status),
            printer_status_text(r.error) if r.error else "",
            str(r.attempts),
        )

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._cells[index.row()][index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and index.column() in (4, 5):
            colour = _COLOURS.get(self._rows[index.row()].status)
            return QBrush(colour) if colour is not None else None
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return (
                tr("Job"),
                tr("Time"),
                tr("What"),
                tr("For"),
                tr("Status"),
                tr("Reason"),
                tr("Tries"),
            )[section]
        return None


class PrintJobsWidget(QWidget):
    """The job list with its buttons; give it the station's UiContext."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None, limit: int = 50) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.limit = limit
        self.model = PrintJobsModel()
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(28)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.resend_button = QPushButton(self.tr("Resend"), self)
        self.reprint_button = QPushButton(self.tr("Reprint"), self)
        self.cancel_button = QPushButton(self.tr("Cancel job"), self)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.resend_button, self.reprint_button, self.cancel_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self.resend_button.clicked.connect(self.resend)
        self.reprint_button.clicked.connect(self.reprint)
        self.cancel_button.clicked.connect(self.cancel)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        # jobs queued, sent or failed here or at another station (a shared printer)
        self.live = LiveRefresh(self, ctx.bus, ("print_job",), self.reload)
        self.reload()

    def selected(self) -> PrintJobRow | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def reload(self) -> None:
        keep = self.selected()
        try:
            rows = self.ctx.services.run(printing.list_jobs, self.ctx.actor, limit=self.limit)
        except PackdeskError as exc:
            self._say(error_text(exc), ok=False)
            return
        scroll = self.view.verticalScrollBar().value()
        self.model.set_rows(rows)
        self.view.verticalScrollBar().setValue(scroll)
        if keep is not None:
            for i, r in enumerate(rows):
                if r.id == keep.id:
                    self.view.selectRow(i)
                    break
        self._update_buttons()

    def _update_buttons(self, *args: object) -> None:
        job = self.selected()
        self.resend_button.setEnabled(job is not None and job.can_resend)
        self.reprint_button.setEnabled(job is not None and job.can_reprint)
        self.cancel_button.setEnabled(job is not None and job.can_cancel)

    def _say(self, text: str, ok: bool) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {'#1b5e20' if ok else '#b00020'};")

    def _act(self, fn: Any, *args: object, done: str) -> None:
        job = self.selected()
        if job is None:
            return
        try:
            result = self.ctx.services.run(fn, self.ctx.actor, job.id, *args)
        except PackdeskError as exc:
            self._say(error_text(exc), ok=False)
            return
        new_id = result if isinstance(result, int) else job.id
        self.reload()  # the user's own action shows at once, not after the live burst delay
        self._say(done.format(job=job.id, new=new_id), ok=True)
        self.ctx.bus.notify("print_job", [job.id, new_id])

    @Slot()
    def resend(self) -> None:
        self._act(printing.resend, done=self.tr("Job {job} goes to the printer again."))

    @Slot()
    def reprint(self) -> None:
        self._act(
            printing.reprint,
            "reprint from the job list",
            done=self.tr("Job {job} is reprinted as job {new}."),
        )

    @Slot()
    def cancel(self) -> None:
        self._act(
            printing.cancel, "cancelled from the job list", done=self.tr("Job {job} is cancelled.")
        )
