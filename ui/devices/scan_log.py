"""The last scans of this station as a table model (newest first)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.domain.scans import ScanEvent, printable
from ui.devices.texts import describe_scan, kind_name, source_name

Index = QModelIndex | QPersistentModelIndex
MAX_ROWS = 50
_BAD = QBrush(QColor("#b00020"))


class ScanLogModel(QAbstractTableModel):
    """Time, source, kind, the data as scanned (GS shown as <GS>) and what it means."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[ScanEvent] = []
        self._headers = (
            self.tr("Time"),
            self.tr("From"),
            self.tr("Kind"),
            self.tr("Scanned"),
            self.tr("Meaning"),
        )

    def set_events(self, events: list[ScanEvent]) -> None:
        self.beginResetModel()
        self.events = list(events[:MAX_ROWS])
        self.endResetModel()

    def add(self, event: ScanEvent) -> None:
        self.beginInsertRows(QModelIndex(), 0, 0)
        self.events.insert(0, event)
        self.endInsertRows()
        if len(self.events) > MAX_ROWS:
            self.beginRemoveRows(QModelIndex(), MAX_ROWS, len(self.events) - 1)
            del self.events[MAX_ROWS:]
            self.endRemoveRows()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.events)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.events):
            return None
        ev = self.events[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return ev.at.astimezone().strftime("%H:%M:%S")
            if col == 1:
                return source_name(ev.source)
            if col == 2:
                return kind_name(ev.kind)
            if col == 3:
                return printable(ev.raw)
            if col == 4:
                return describe_scan(ev)
        if role == Qt.ItemDataRole.ForegroundRole and not ev.ok:
            return _BAD
        if role == Qt.ItemDataRole.ToolTipRole and col in (1, 3, 4):
            return {1: ev.source, 3: printable(ev.raw), 4: describe_scan(ev)}[col]
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self._headers)
        ):
            return self._headers[section]
        return None
