"""Table models of the Returns screen: the order's shipped lines (shipped, back before, in this
return) and the units of this return (reason, where they went). Each shows service DTOs handed
over with ``set_rows``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from app.services.returns_state import LineView, UnitView

Index = QModelIndex | QPersistentModelIndex
PENDING = QColor("#fff4c2")
DONE = QColor("#dff3df")


def disposition_name(disposition: str) -> str:
    names = {
        "restock": QCoreApplication.translate("Returns", "Restocked"),
        "quarantine": QCoreApplication.translate("Returns", "Quarantine"),
        "write_off": QCoreApplication.translate("Returns", "Written off"),
        "": QCoreApplication.translate("Returns", "To inspect"),
    }
    return names.get(disposition, disposition)


class _Table(QAbstractTableModel):
    headers: tuple[str, ...] = ()

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def cell(self, row: Any, column: int) -> Any:
        raise NotImplementedError

    def background(self, row: Any) -> QColor | None:
        return None

    def data(self, index: Index, role: int = 0) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell(row, index.column())
        if role == Qt.ItemDataRole.BackgroundRole:
            colour = self.background(row)
            return QBrush(colour) if colour is not None else None
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None


class ReturnLinesModel(_Table):
    """The order's shipped lines."""

    def __init__(self) -> None:
        super().__init__()
        self.headers = (
            QCoreApplication.translate("Returns", "SKU"),
            QCoreApplication.translate("Returns", "Item"),
            QCoreApplication.translate("Returns", "Shipped"),
            QCoreApplication.translate("Returns", "Back before"),
            QCoreApplication.translate("Returns", "This return"),
        )

    def cell(self, row: LineView, column: int) -> Any:
        values = (row.sku, row.name, row.shipped, row.returned_before, row.in_this_return)
        return values[column]

    def background(self, row: LineView) -> QColor | None:
        return DONE if row.in_this_return else None


class ReturnUnitsModel(_Table):
    """The units of this return, in the order they were taken out of the parcel."""

    def __init__(self, reason_name: Callable[[str], str]) -> None:
        super().__init__()
        self.reason_name = reason_name
        self.headers = (
            QCoreApplication.translate("Returns", "SKU"),
            QCoreApplication.translate("Returns", "Qty"),
            QCoreApplication.translate("Returns", "Reason"),
            QCoreApplication.translate("Returns", "Serial / lot"),
            QCoreApplication.translate("Returns", "Inspection"),
            QCoreApplication.translate("Returns", "Location"),
        )

    def cell(self, row: UnitView, column: int) -> Any:
        values = (
            row.sku,
            row.qty,
            self.reason_name(row.reason_code),
            row.serial or row.lot,
            disposition_name(row.disposition),
            row.location,
        )
        return values[column]

    def background(self, row: UnitView) -> QColor | None:
        return DONE if row.disposition else PENDING
