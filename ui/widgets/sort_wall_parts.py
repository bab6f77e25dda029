"""Pieces of the sort wall screen: a slot tile of the wall and the wall settings dialog."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.sort_wall import WallSettings
from app.services.sort_wall_view import WallSlot

GREEN, RED, AMBER, IDLE = "#2e7d32", "#b00020", "#f9a825", "#eceff1"


def big_font(label: QWidget, points: int, bold: bool = True) -> None:
    font = QFont(label.font())
    font.setPointSize(points)
    font.setBold(bold)
    label.setFont(font)


class SlotTile(QFrame):
    """One slot of the wall: its number, the order in it, units sorted of needed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("slot_tile")
        self.setMinimumSize(120, 96)
        self.number = QLabel()
        self.order = QLabel()
        self.count = QLabel()
        big_font(self.number, 30)
        big_font(self.order, 15, bold=False)
        big_font(self.count, 16)
        box = QVBoxLayout(self)
        box.setContentsMargins(8, 4, 8, 4)
        box.setSpacing(0)
        top = QHBoxLayout()
        top.addWidget(self.number)
        top.addStretch(1)
        top.addWidget(self.count)
        box.addLayout(top)
        box.addWidget(self.order)
        self.state = "idle"

    def show_empty(self, number: int) -> None:
        """A slot no order of this batch uses."""
        self.state = "empty"
        self.number.setText(str(number))
        self.order.setText("")
        self.count.setText("")
        self.setStyleSheet(
            "#slot_tile { background: #fafafa; border: 1px dashed #b0bec5; border-radius: 8px; }"
            " QLabel { color: #b0bec5; background: transparent; }"
        )

    def show_slot(self, slot: WallSlot, state: str) -> None:
        """``state``: idle | target (the unit in hand goes here) | complete | wrong."""
        self.state = state
        self.number.setText(str(slot.slot))
        self.order.setText(slot.order_number)
        self.count.setText(f"{slot.sorted}/{slot.needed}")
        background = {"complete": GREEN, "wrong": RED, "target": AMBER}.get(state, IDLE)
        text = "#000000" if state in ("idle", "target") else "#ffffff"
        border = "6px solid #000000" if state == "target" else "1px solid #90a4ae"
        self.setStyleSheet(
            f"#slot_tile {{ background: {background}; border: {border}; border-radius: 8px; }}"
            f" QLabel {{ color: {text}; background: transparent; }}"
        )


class WallSettingsDialog(QDialog):
    """The wall's rows, columns and slot barcode prefix (supervisors)."""

    def __init__(self, settings: WallSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Sort wall settings"))
        self.rows = QSpinBox()
        self.rows.setRange(1, 50)
        self.rows.setValue(settings.rows)
        self.columns = QSpinBox()
        self.columns.setRange(1, 50)
        self.columns.setValue(settings.columns)
        self.prefix = QLineEdit(settings.prefix)
        form = QFormLayout(self)
        form.addRow(self.tr("Rows"), self.rows)
        form.addRow(self.tr("Slots per row"), self.columns)
        form.addRow(self.tr("Slot barcode prefix"), self.prefix)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
