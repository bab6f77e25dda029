"""The pack screen's top strip: the station's shift figures (orders and parcels per hour,
mis-scans, weight exceptions), the printer and scale state, and warnings such as a tracking
pool running low."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from app.services.pack_shift import ShiftFigures
from ui.feedback import ERROR_COLOUR, OK_COLOUR

WARN_COLOUR = "#e65100"


def _font(size: int, bold: bool = False) -> QFont:
    font = QFont()
    font.setPointSize(size)
    font.setBold(bold)
    return font


class ShiftBar(QFrame):
    """Figures of the shift, each a value over its caption."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pack_shift")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(8, 4, 8, 4)
        self.figures: dict[str, QLabel] = {}
        self.hide()

    def show_figures(self, f: ShiftFigures) -> None:
        """The pack station's shift (``pack_shift.shift_figures``)."""
        self.set_figures(
            [
                (
                    "orders",
                    QCoreApplication.translate("PackScreen", "orders/h"),
                    f"{f.orders_per_hour:g}",
                    False,
                ),
                (
                    "parcels",
                    QCoreApplication.translate("PackScreen", "parcels/h"),
                    f"{f.parcels_per_hour:g}",
                    False,
                ),
                (
                    "packed",
                    QCoreApplication.translate("PackScreen", "orders packed"),
                    str(f.orders_packed),
                    False,
                ),
                (
                    "mis_scans",
                    QCoreApplication.translate("PackScreen", "mis-scans"),
                    str(f.mis_scans),
                    f.mis_scans > 0,
                ),
                (
                    "weight",
                    QCoreApplication.translate("PackScreen", "weight stops"),
                    str(f.weight_exceptions),
                    f.weight_exceptions > 0,
                ),
            ]
        )

    def set_figures(self, figures: Sequence[tuple[str, str, str, bool]]) -> None:
        """``figures``: (key, caption, value, bad) in the order to show them."""
        for key, caption, value, bad in figures:
            label = self.figures.get(key)
            if label is None:
                label = QLabel()
                label.setObjectName(f"pack_shift_{key}")
                label.setFont(_font(15))
                self.figures[key] = label
                self._layout.addWidget(label)
            colour = ERROR_COLOUR if bad else "#202020"
            label.setText(f"<b style='font-size:20pt; color:{colour}'>{value}</b> {caption}")
        self.setVisible(bool(self.figures))


class DeviceStrip(QFrame):
    """The printer and scale state in words, and warnings, right of the shift figures."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pack_devices")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(24)
        self.devices: dict[str, QLabel] = {}
        for role in ("printer", "scale"):
            label = QLabel()
            label.setObjectName(f"pack_device_{role}")
            label.setFont(_font(15, bold=True))
            self.devices[role] = label
            layout.addWidget(label)
        self.warning = QLabel()
        self.warning.setObjectName("pack_warning")
        self.warning.setFont(_font(15, bold=True))
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(f"QLabel {{ color: {WARN_COLOUR}; }}")
        layout.addWidget(self.warning, 1)

    def set_device(self, role: str, text: str, ok: bool) -> None:
        label = self.devices.get(role)
        if label is None:
            return
        label.setText(text)
        label.setStyleSheet(f"QLabel {{ color: {OK_COLOUR if ok else ERROR_COLOUR}; }}")

    def set_warnings(self, texts: Sequence[str]) -> None:
        self.warning.setText("  ·  ".join(texts))
