"""What importing a mappings file did: how many were added and changed, how many held orders were
checked again and released, and every row that was left out, by its row number and reason."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.importers.records import ProblemKind, RowProblem
from app.services.listing_mappings import MappingImportResult
from ui.widgets.parts_editor import ERROR_COLOUR, OK_COLOUR


def kind_text(kind: str) -> str:
    """What became of the row: left out, or read with a note."""
    if kind == ProblemKind.WARNING:
        return QCoreApplication.translate("MappingImportDialog", "Note")
    return QCoreApplication.translate("MappingImportDialog", "Left out")


def row_problem_text(p: RowProblem) -> str:
    """A row's problem in the current language (its English template translated, same values):
    the mapping file's problems are operator messages, the orders file's import problems."""
    for context in ("PackdeskError", "ImportProblem"):
        template = QCoreApplication.translate(context, p.template) if p.template else ""
        if template and template != p.template:
            break
    try:
        return template.format(**p.params) if template else p.reason
    except (KeyError, IndexError, ValueError):
        return p.reason


class MappingImportDialog(QDialog):
    def __init__(
        self, path: Path, result: MappingImportResult, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("MappingImportDialog")
        self.setWindowTitle(self.tr("Mappings imported from {file}").format(file=path.name))
        self.resize(760, 420)
        r = result
        self.counts = QLabel(
            self.tr(
                "{added} mappings added, {updated} changed; {rechecked} held orders checked "
                "again, {released} released."
            ).format(added=r.added, updated=r.updated, rechecked=r.rechecked, released=r.released)
        )
        self.counts.setObjectName("counts")
        self.counts.setWordWrap(True)
        font = QFont(self.counts.font())
        font.setPointSize(font.pointSize() + 2)
        font.setBold(True)
        self.counts.setFont(font)
        self.counts.setStyleSheet(f"color: {OK_COLOUR};")
        n = sum(1 for p in r.problems if p.kind != ProblemKind.WARNING)
        self.summary = QLabel(
            self.tr("Every row was saved.")
            if not n
            else (
                self.tr("1 row was left out: correct it in the file and import it again.")
                if n == 1
                else self.tr(
                    "{n} rows were left out: correct them in the file and import it again."
                ).format(n=n)
            )
        )
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        if n:
            self.summary.setStyleSheet(f"color: {ERROR_COLOUR}; font-weight: bold;")
        self.problems = QTableWidget(len(r.problems), 3)
        self.problems.setObjectName("problems")
        self.problems.setHorizontalHeaderLabels(
            [self.tr("Row"), self.tr("What"), self.tr("Reason")]
        )
        self.problems.verticalHeader().setVisible(False)
        self.problems.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problems.setWordWrap(True)
        hh = self.problems.horizontalHeader()
        hh.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for i, p in enumerate(r.problems):
            self.problems.setItem(i, 0, QTableWidgetItem(str(p.row)))
            self.problems.setItem(i, 1, QTableWidgetItem(kind_text(p.kind)))
            reason = row_problem_text(p)
            item = QTableWidgetItem(reason)
            item.setToolTip(reason)
            self.problems.setItem(i, 2, item)
        self.problems.resizeRowsToContents()
        self.problems.setVisible(bool(r.problems))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.counts)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems, 1)
        layout.addWidget(buttons)

    def rows(self) -> list[tuple[str, str, str]]:
        """(row number, what, reason) as shown."""
        return [
            tuple(  # type: ignore[misc]
                (item.text() if item else "")
                for item in (self.problems.item(i, c) for c in range(3))
            )
            for i in range(self.problems.rowCount())
        ]
