"""The shop's logo scaled into a white box: the Settings screen (where it is chosen) and the
Packaging screen (which shows what the packing slip prints)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QLabel, QWidget


class LogoPreview(QLabel):
    def __init__(self, width: int, height: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("logo_preview")
        self.setFixedSize(width, height)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setStyleSheet("border: 1px solid #bdbdbd; background: white;")

    def show_picture(self, data: bytes | None) -> bool:
        """Show the picture (PNG or JPEG bytes); "no logo" when there is none or it cannot be
        read. True when a picture is shown."""
        picture = QPixmap()
        if data and picture.loadFromData(data):
            self.setPixmap(
                picture.scaled(
                    self.size(),
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
            return True
        self.setPixmap(QPixmap())
        self.setText(self.tr("no logo"))
        return False
