"""The product mappings table: which channel listing stands for which products, how many units."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.services.listing_mappings import ListingMapping
from ui.widgets.parts_editor import match_kind_name

Index = QModelIndex | QPersistentModelIndex


def parts_text(m: ListingMapping) -> str:
    """ "6 × TEE-S Sample Tee" or, for a kit, its products joined with " + "."""
    return " + ".join(f"{p.units} × {p.sku} {p.name}".rstrip() for p in m.parts)


class MappingsTableModel(QAbstractTableModel):
    CHANNEL, KIND, LISTING, PRODUCTS, UPDATED = range(5)

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[ListingMapping] = []
        self._headers = (
            self.tr("Channel"),
            self.tr("Match on"),
            self.tr("Channel's listing"),
            self.tr("Products × units"),
            self.tr("Updated"),
        )

    def set_mappings(self, rows: list[ListingMapping]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def mapping(self, row: int) -> ListingMapping:
        return self._rows[row]

    def row_of(self, mapping_id: int) -> int:
        for i, m in enumerate(self._rows):
            if m.id == mapping_id:
                return i
        return -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        m = self._rows[index.row()]
        col = index.column()
        if col == self.CHANNEL:
            return m.channel_name or self.tr("Every channel")
        if col == self.KIND:
            return match_kind_name(m.match_kind)
        if col == self.LISTING:
            return m.match_text
        if col == self.PRODUCTS:
            return parts_text(m)
        if col == self.UPDATED:
            return m.updated_at.astimezone().strftime("%Y-%m-%d %H:%M")
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return None
