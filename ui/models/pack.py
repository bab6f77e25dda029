"""Table models of the pack screen: the order's lines (large rows a packer reads from a metre:
picture, SKU, name and lot, units scanned of ordered, a mark) and its parcels (n, carton, weight,
tracking number, label). Each shows a tuple of the pack service's DTOs, set with ``set_rows``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QPixmap

from app.services.packing import PackLineView, ParcelView

Index = QModelIndex | QPersistentModelIndex
PICTURE = 72
DONE_BG = "#c8e6c9"
FLASH_BG = "#66bb6a"


def grams(value: int | None) -> str:
    """A weight as a packer reads it: 1.234 kg (or a dash when there is none)."""
    if value is None:
        return "-"
    return QCoreApplication.translate("PackScreen", "{kg} kg").format(kg=f"{value / 1000:.3f}")


def parcel_status_name(status: str) -> str:
    names = {
        "open": QCoreApplication.translate("PackScreen", "Packing"),
        "closed": QCoreApplication.translate("PackScreen", "Closed"),
        "weighed": QCoreApplication.translate("PackScreen", "Weighed"),
        "stopped": QCoreApplication.translate("PackScreen", "Weight stopped"),
        "labelled": QCoreApplication.translate("PackScreen", "Label printed"),
        "shipped": QCoreApplication.translate("PackScreen", "Shipped"),
        "voided": QCoreApplication.translate("PackScreen", "Voided"),
    }
    return names.get(status, status)


class PackLinesModel(QAbstractTableModel):
    """The lines being verified, one large row each."""

    @staticmethod
    def headers() -> tuple[str, ...]:
        return (
            "",
            QCoreApplication.translate("PackScreen", "SKU"),
            QCoreApplication.translate("PackScreen", "Item"),
            QCoreApplication.translate("PackScreen", "Scanned"),
        )

    def __init__(self, data_dir: Path, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: tuple[PackLineView, ...] = ()
        self.flash_line: int | None = None
        self._data_dir = data_dir
        self._pictures: dict[str, QPixmap | None] = {}
        self._font = QFont()
        self._font.setPointSize(20)
        self._bold = QFont(self._font)
        self._bold.setBold(True)

    def set_rows(self, rows: Sequence[PackLineView], flash_line: int | None = None) -> None:
        self.beginResetModel()
        self.rows = tuple(rows)
        self.flash_line = flash_line
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers())

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers()[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        line = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(line, col)
        if role == Qt.ItemDataRole.DecorationRole and col == 0:
            return self.picture(line.image_path)
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if col in (1, 3) else self._font
        if role == Qt.ItemDataRole.BackgroundRole:
            if line.line_id == self.flash_line:
                return QBrush(QColor(FLASH_BG))
            if line.verified >= line.qty:
                return QBrush(QColor(DONE_BG))
        if role == Qt.ItemDataRole.SizeHintRole and col == 0:
            return QSize(PICTURE + 8, PICTURE + 8)
        return None

    def _text(self, line: PackLineView, col: int) -> str:
        if col == 1:
            return line.sku
        if col == 2:
            lot = (
                QCoreApplication.translate("PackScreen", "Lot {lot}").format(lot=line.lot)
                if line.lot
                else ""
            )
            serial = (
                QCoreApplication.translate("PackScreen", "serial number each")
                if line.serial_tracked
                else ""
            )
            extra = "  ·  ".join(t for t in (lot, serial) if t)
            return f"{line.name}\n{extra}" if extra else line.name
        if col == 3:
            mark = "✔" if line.verified >= line.qty else "○"
            forced = (
                " " + QCoreApplication.translate("PackScreen", "(forced)") if line.forced else ""
            )
            return f"{mark} {line.verified} / {line.qty}{forced}"
        return ""

    def picture(self, path: str) -> QPixmap | None:
        """The product's picture, scaled once (None when there is none or it cannot be read)."""
        if not path:
            return None
        if path not in self._pictures:
            file = Path(path)
            if not file.is_absolute():
                file = self._data_dir / file
            pixmap = QPixmap(str(file))
            self._pictures[path] = (
                None
                if pixmap.isNull()
                else pixmap.scaled(
                    PICTURE,
                    PICTURE,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        return self._pictures[path]


class ParcelsModel(QAbstractTableModel):
    """The order's parcels: n, carton, weight, tracking number, label state."""

    @staticmethod
    def headers() -> tuple[str, ...]:
        return (
            QCoreApplication.translate("PackScreen", "Parcel"),
            QCoreApplication.translate("PackScreen", "Carton"),
            QCoreApplication.translate("PackScreen", "Weight"),
            QCoreApplication.translate("PackScreen", "Tracking number"),
            QCoreApplication.translate("PackScreen", "State"),
        )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: tuple[ParcelView, ...] = ()
        self.current: int | None = None
        self._font = QFont()
        self._font.setPointSize(16)
        self._bold = QFont(self._font)
        self._bold.setBold(True)

    def set_rows(self, rows: Sequence[ParcelView], current: int | None) -> None:
        self.beginResetModel()
        self.rows = tuple(rows)
        self.current = current
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers())

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers()[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        parcel = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(parcel, index.column())
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if parcel.id == self.current else self._font
        if role == Qt.ItemDataRole.BackgroundRole and parcel.status == "stopped":
            return QBrush(QColor("#ffcdd2"))
        return None

    def _text(self, parcel: ParcelView, col: int) -> str:
        if col == 0:
            n = QCoreApplication.translate("PackScreen", "{n} of {m}").format(
                n=parcel.seq, m=len(self.rows)
            )
            return f"▶ {n}" if parcel.id == self.current else n
        if col == 1:
            return parcel.package_name or parcel.package_code or "-"
        if col == 2:
            return grams(parcel.weight_g)
        if col == 3:
            return parcel.tracking_number or "-"
        return parcel_status_name(parcel.status)
