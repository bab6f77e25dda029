"""The pack screen's weight panel: the scale read live (the number as it changes, and whether it
is stable), the expected range, and the scale's faults as plain words; never a dialog."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from app.devices.scales import ScaleReading
from app.domain.errors import PackdeskError
from ui.feedback import ERROR_COLOUR, OK_COLOUR
from ui.i18n import error_text
from ui.models.pack import grams

MOVING_COLOUR = "#e65100"


def reading_grams(reading: ScaleReading) -> int:
    """A reading in whole grams (the scale may say kg, g or lb)."""
    return int(reading.grams.quantize(Decimal(1)))


def _font(size: int, bold: bool = True) -> QFont:
    font = QFont()
    font.setPointSize(size)
    font.setBold(bold)
    return font


class WeightPanel(QFrame):
    """Live weight, its state, and the range the parcel should weigh."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pack_weight")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.caption = QLabel(self.tr("Scale"))
        self.caption.setFont(_font(14, bold=False))
        self.weight = QLabel("-")
        self.weight.setObjectName("pack_weight_live")
        self.weight.setFont(_font(40))
        self.weight.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.state = QLabel()
        self.state.setObjectName("pack_weight_state")
        self.state.setFont(_font(16))
        self.state.setWordWrap(True)
        self.state.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.expected = QLabel()
        self.expected.setObjectName("pack_weight_expected")
        self.expected.setFont(_font(16, bold=False))
        self.expected.setWordWrap(True)
        self.expected.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        for w in (self.caption, self.weight, self.state, self.expected):
            layout.addWidget(w)
        self.live_g: int | None = None
        self.stable = False
        self.show_no_scale()

    def show_no_scale(self, typed_allowed: bool = False) -> None:
        self.live_g, self.stable = None, False
        self.weight.setText("-")
        text = (
            self.tr("No scale: type the weight (Weight… button).")
            if typed_allowed
            else self.tr("No scale at this station.")
        )
        self._state(text, MOVING_COLOUR)

    def show_reading(self, reading: ScaleReading) -> None:
        problem = reading.problem()
        if problem is not None:
            self.show_fault(problem)
            return
        self.live_g, self.stable = reading_grams(reading), reading.stable
        self.weight.setText(grams(self.live_g))
        if reading.stable:
            self._state(self.tr("Stable"), OK_COLOUR)
        else:
            self._state(self.tr("Moving: keep the parcel still"), MOVING_COLOUR)

    def show_fault(self, error: PackdeskError) -> None:
        self.live_g, self.stable = None, False
        self.weight.setText("-")
        self._state(error_text(error), ERROR_COLOUR)

    def show_expectation(self, low_g: int | None, high_g: int | None, history_n: int = 0) -> None:
        if low_g is None or high_g is None:
            self.expected.setText("")
            return
        text = self.tr("Expected {low} to {high}").format(low=grams(low_g), high=grams(high_g))
        if history_n:
            text += "\n" + self.tr("(learnt from {n} earlier parcels)").format(n=history_n)
        self.expected.setText(text)

    def inside(self, low_g: int | None, high_g: int | None) -> bool:
        """Whether the live weight is stable and inside the range."""
        if self.live_g is None or not self.stable or low_g is None or high_g is None:
            return False
        return low_g <= self.live_g <= high_g

    def _state(self, text: str, colour: str) -> None:
        self.state.setText(text)
        self.state.setStyleSheet(f"QLabel {{ color: {colour}; }}")
