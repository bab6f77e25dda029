"""The Orders list model: holds one page of rows at a time and fetches more on demand.

Rows come from ``app.services.orders.list_orders`` by keyset paging (id below the last one seen),
so the first paint, a filter change and a search each cost one small query whatever the size of
the database. Display strings are computed once per page, so ``data()`` is a tuple lookup.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from app.domain.errors import PackdeskError
from app.services.orders import PAGE_SIZE, OrderQuery, OrderRow
from ui.i18n import error_text, holds_text
from ui.words import status_name

FetchPage = Callable[[OrderQuery, int | None, int], list[OrderRow]]
Index = QModelIndex | QPersistentModelIndex

_STATUS_COLOURS = {
    "on_hold": QColor("#b00020"),
    "cancelled": QColor("#777777"),
    "shipped": QColor("#1b5e20"),
    "delivered": QColor("#1b5e20"),
}
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


class OrdersTableModel(QAbstractTableModel):
    """Orders, newest first, loaded a page at a time."""

    load_failed = Signal(str)

    COLUMNS = (
        "number",
        "status",
        "channel",
        "customer",
        "phone",
        "city",
        "lines",
        "units",
        "total",
        "placed",
        "holds",
    )
    NUMERIC = frozenset({6, 7, 8})

    def __init__(self, fetch_page: FetchPage, page_size: int = PAGE_SIZE) -> None:
        super().__init__()
        self._fetch = fetch_page
        self._page_size = page_size
        self._query = OrderQuery()
        self._ids: list[int] = []
        self._statuses: list[str] = []
        self._display: list[tuple[str, ...]] = []
        self._more = False
        self._headers = (
            self.tr("Order"),
            self.tr("Status"),
            self.tr("Channel"),
            self.tr("Customer"),
            self.tr("Phone"),
            self.tr("City"),
            self.tr("Lines"),
            self.tr("Units"),
            self.tr("Total"),
            self.tr("Placed"),
            self.tr("Hold reasons"),
        )

    # -- loading ------------------------------------------------------------------------
    @property
    def query(self) -> OrderQuery:
        return self._query

    def set_query(self, query: OrderQuery) -> None:
        """Show the first page for ``query``."""
        self._query = query
        try:
            rows = self._fetch(query, None, self._page_size)
        except PackdeskError as exc:
            rows = []
            self.load_failed.emit(error_text(exc))
        self.beginResetModel()
        self._ids, self._statuses, self._display = [], [], []
        self._append(rows)
        self.endResetModel()

    def reload(self) -> None:
        self.set_query(self._query)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self._more or not self._ids:
            return
        try:
            rows = self._fetch(self._query, self._ids[-1], self._page_size)
        except PackdeskError as exc:
            self._more = False
            self.load_failed.emit(error_text(exc))
            return
        if not rows:
            self._more = False
            return
        first = len(self._ids)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._append(rows)
        self.endInsertRows()

    def _append(self, rows: list[OrderRow]) -> None:
        self._more = len(rows) == self._page_size
        for r in rows:
            self._ids.append(r.id)
            self._statuses.append(r.status)
            self._display.append(
                (
                    r.number,
                    status_name(r.status),
                    r.channel,
                    r.customer,
                    r.phone,
                    r.city,
                    str(r.lines),
                    str(r.units),
                    f"{r.total:,.2f} {r.currency}",
                    r.placed_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                    holds_text(r.holds),
                )
            )

    # -- Qt model API ----------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole or role == Qt.ItemDataRole.ToolTipRole:
            return self._display[row][col]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if col in self.NUMERIC else _LEFT
        if role == Qt.ItemDataRole.ForegroundRole and col == 1:
            colour = _STATUS_COLOURS.get(self._statuses[row])
            return QBrush(colour) if colour is not None else None
        if role == Qt.ItemDataRole.UserRole:
            return self._ids[row]
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

    def order_id(self, row: int) -> int:
        return self._ids[row]
