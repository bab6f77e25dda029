"""Dialogs of the pack screen: the typed weight with a number pad (a station without a scale,
when the settings allow typing; audited by the service)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QDoubleValidator, QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

KEYS = ("7", "8", "9", "4", "5", "6", "1", "2", "3", "0", ".", "⌫")


class TypedWeightDialog(QDialog):
    """Asks for the parcel's weight in kg; ``grams`` is the answer once accepted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("typed_weight")
        self.setWindowTitle(self.tr("Type the weight"))
        font = QFont()
        font.setPointSize(22)
        caption = QLabel(self.tr("Weight of the parcel in kg (audited):"))
        caption.setFont(font)
        self.edit = QLineEdit()
        self.edit.setObjectName("typed_weight_kg")
        self.edit.setFont(font)
        self.edit.setValidator(QDoubleValidator(0.001, 999.0, 3, self))
        pad = QGridLayout()
        for i, key in enumerate(KEYS):
            button = QPushButton(key)
            button.setObjectName(f"pad_{i}")
            button.setFont(font)
            button.setMinimumSize(80, 64)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, k=key: self.press(k))
            pad.addWidget(button, i // 3, i % 3)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(caption)
        layout.addWidget(self.edit)
        layout.addLayout(pad)
        layout.addWidget(buttons)

    def press(self, key: str) -> None:
        text = self.edit.text()
        self.edit.setText(text[:-1] if key == "⌫" else text + key)

    @property
    def grams(self) -> int | None:
        try:
            kg = float(self.edit.text().replace(",", "."))
        except ValueError:
            return None
        return round(kg * 1000) if kg > 0 else None
