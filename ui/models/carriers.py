"""The carriers screen's table: one row per tracking-number pool (carrier and service)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.services.carrier_list import CarrierRow

Index = QModelIndex | QPersistentModelIndex
LOW = QColor("#fde2e1")
LOW_TEXT = QColor("#b00020")


@dataclass(frozen=True)
class PoolRow:
    carrier: str
    carrier_name: str
    plugin: str
    service: str
    free: int
    used: int
    void: int
    usable: int
    low_warning: int
    low: bool


def pool_rows(carriers: list[CarrierRow]) -> list[PoolRow]:
    rows: list[PoolRow] = []
    for c in carriers:
        if not c.pools:
            rows.append(PoolRow(c.code, c.name, c.plugin, "", 0, 0, 0, 0, 0, c.plugin == "pool"))
        names = {sv.code: f"{sv.name} ({sv.code})" for sv in c.services}
        for p in c.pools:
            rows.append(
                PoolRow(
                    c.code,
                    c.name,
                    c.plugin,
                    names.get(p.service, p.service),
                    p.free,
                    p.used,
                    p.void,
                    p.usable,
                    p.low_warning,
                    p.low,
                )
            )
    return rows


class PoolsModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[PoolRow] = []
        self._headers = (
            self.tr("Carrier"),
            self.tr("Service"),
            self.tr("Numbers from"),
            self.tr("Free"),
            self.tr("Used"),
            self.tr("Voided"),
            self.tr("State"),
        )

    def set_rows(self, rows: list[PoolRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def _state(self, r: PoolRow) -> str:
        if r.plugin != "pool":
            return self.tr("numbers from the carrier's system")
        if r.low:
            return self.tr("LOW: {n} left, load more").format(n=r.usable)
        return self.tr("{n} left").format(n=r.usable)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                f"{r.carrier_name} ({r.carrier})",
                r.service or self.tr("any service"),
                self.tr("number pool") if r.plugin == "pool" else r.plugin,
                f"{r.free:,}",
                f"{r.used:,}",
                f"{r.void:,}",
                self._state(r),
            )[index.column()]
        if role == Qt.ItemDataRole.BackgroundRole and r.low and r.plugin == "pool":
            return QBrush(LOW)
        if role == Qt.ItemDataRole.ForegroundRole and r.low and index.column() == 6:
            return QBrush(LOW_TEXT)
        if role == Qt.ItemDataRole.TextAlignmentRole and 3 <= index.column() <= 5:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return None
