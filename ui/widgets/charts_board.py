"""The dashboard's big numbers and the carriers' cut-off board: text large enough to read from
across the room, coloured by urgency."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from app.domain import handover as handover_rules
from app.services.dashboard_more import CutoffFigure
from ui.widgets.charts import TITLE_PT

URGENT = "#b00020"
SOON = "#b35c00"
CALM = "#1b5e20"


class Tile(QFrame):
    """One big number with what it counts under it."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.value = QLabel("—")
        self.value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.value.setStyleSheet("font-size: 34pt; font-weight: bold;")
        self.caption = QLabel(caption)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.setWordWrap(True)
        self.caption.setStyleSheet("font-size: 13pt; color: #444;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)

    def set(self, text: str, colour: str = "") -> None:
        self.value.setText(text)
        style = "font-size: 34pt; font-weight: bold;"
        self.value.setStyleSheet(style + (f" color: {colour};" if colour else ""))


def urgency(c: CutoffFigure) -> str:
    """The colour of a carrier's time left, as the Ship screen's board says it (amber under 30
    minutes, red once past: ``app.domain.handover.urgency``); nothing waiting is calm."""
    if c.packed_not_handed == 0:
        return CALM
    return {"late": URGENT, "soon": SOON}.get(handover_rules.urgency(c.seconds_left), CALM)


class CutoffBoard(QFrame):
    """Per carrier: its cut-off, the parcels packed but not handed over, and the time left."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(QCoreApplication.translate("Dashboard", "Carriers' cut-offs"))
        self.title.setStyleSheet(f"font-size: {TITLE_PT}pt; font-weight: bold;")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(18)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(self.grid)
        layout.addStretch(1)
        #: (carrier, cut-off, waiting, time left) as shown, for the tests
        self.rows: list[tuple[str, str, str, str]] = []

    def show_cutoffs(self, cutoffs: Sequence[CutoffFigure]) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        heads = (
            QCoreApplication.translate("Dashboard", "Carrier"),
            QCoreApplication.translate("Dashboard", "Cut-off"),
            QCoreApplication.translate("Dashboard", "Not handed over"),
            QCoreApplication.translate("Dashboard", "Time left"),
        )
        for col, text in enumerate(heads):
            head = QLabel(text)
            head.setStyleSheet("font-size: 12pt; color: #444;")
            self.grid.addWidget(head, 0, col)
        self.rows = []
        if not cutoffs:
            empty = QLabel(
                QCoreApplication.translate(
                    "Dashboard", "No carrier has parcels waiting or a cut-off today."
                )
            )
            empty.setStyleSheet("font-size: 14pt;")
            empty.setWordWrap(True)
            self.grid.addWidget(empty, 1, 0, 1, 4)
        for r, c in enumerate(cutoffs, 1):
            left = handover_rules.time_left_text(c.seconds_left) or "—"
            if c.seconds_left is not None and c.seconds_left < 0:
                left = QCoreApplication.translate("Dashboard", "passed {t}").format(
                    t=handover_rules.time_left_text(-c.seconds_left)
                )
            row = (c.name or c.carrier, c.cutoff or "—", str(c.packed_not_handed), left)
            self.rows.append(row)
            for col, text in enumerate(row):
                cell = QLabel(text)
                size = 22 if col >= 2 else 16
                colour = f" color: {urgency(c)};" if col == 3 else ""
                cell.setStyleSheet(f"font-size: {size}pt; font-weight: bold;{colour}")
                self.grid.addWidget(cell, r, col)
