"""The Orders list model: holds one page of rows at a time and fetches more on demand.

Rows come from ``app.services.orders.list_orders`` by keyset paging (id below the last one seen),
so the first paint, a filter change and a search each cost one small query whatever the size of
the database. Display strings are computed once per page, so ``data()`` is a tuple lookup.

With ``background=True`` each page is fetched on a pool thread (``ui.background``): the window
keeps painting while a shared database far away answers. The rows shown stay until the new page
arrives; ``loading_changed`` tells the screen to show its busy indicator, and a page that
arrives for a query that is no longer current is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from app.domain.errors import PackdeskError
from app.domain.holds import STOP_CODES
from app.services.orders import PAGE_SIZE, OrderQuery, OrderRow
from ui.background import run_in_background
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
#: a row someone must stop work on (cancelled in the channel while being picked or packed)
_STOP_BACKGROUND = QColor("#ffcdd2")


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


class OrdersTableModel(QAbstractTableModel):
    """Orders, newest first, loaded a page at a time."""

    load_failed = Signal(str)
    #: True while a page is being fetched off the UI thread
    loading_changed = Signal(bool)
    #: a page (the first after ``set_query``, or one more) was put in the model
    page_loaded = Signal()

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

    def __init__(
        self, fetch_page: FetchPage, page_size: int = PAGE_SIZE, *, background: bool = False
    ) -> None:
        super().__init__()
        self._fetch = fetch_page
        self._page_size = page_size
        self._background = background
        #: counts ``set_query`` calls: a page fetched for an older query is dropped
        self._generation = 0
        self._loading = False
        self._query = OrderQuery()
        self._ids: list[int] = []
        self._statuses: list[str] = []
        self._stops: list[bool] = []
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

    @property
    def loading(self) -> bool:
        return self._loading

    def set_query(self, query: OrderQuery) -> None:
        """Show the first page for ``query``."""
        self._query = query
        self._generation += 1
        self._load(None)

    def reload(self) -> None:
        self.set_query(self._query)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more and not self._loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self._more or not self._ids or self._loading:
            return
        self._load(self._ids[-1])

    def _load(self, after_id: int | None) -> None:
        """Fetch the page after ``after_id`` (None: the first page), here or on a pool thread."""
        query, generation = self._query, self._generation
        if not self._background:
            try:
                rows = self._fetch(query, after_id, self._page_size)
            except PackdeskError as exc:
                self._failed(generation, after_id, exc)
                return
            self._arrived(generation, after_id, rows)
            return
        self._set_loading(True)
        run_in_background(
            self,
            lambda: self._fetch(query, after_id, self._page_size),
            lambda rows: self._arrived(generation, after_id, rows),
            lambda exc: self._failed(generation, after_id, exc),
        )

    def _arrived(self, generation: int, after_id: int | None, rows: list[OrderRow]) -> None:
        if generation != self._generation:
            return  # a later query is on its way
        if after_id is None:
            self.beginResetModel()
            self._ids, self._statuses, self._display, self._stops = [], [], [], []
            self._append(rows)
            self.endResetModel()
        elif not rows:
            self._more = False
        elif self._ids and self._ids[-1] == after_id:
            first = len(self._ids)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._append(rows)
            self.endInsertRows()
        self._loading = False  # already false when the screen reacts to page_loaded
        self.page_loaded.emit()
        self.loading_changed.emit(False)

    def _failed(self, generation: int, after_id: int | None, exc: PackdeskError) -> None:
        if generation != self._generation:
            return
        if after_id is None:
            self.beginResetModel()
            self._ids, self._statuses, self._display, self._stops = [], [], [], []
            self.endResetModel()
        self._more = False
        self._loading = False
        self.load_failed.emit(error_text(exc))
        self.loading_changed.emit(False)

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)

    def _append(self, rows: list[OrderRow]) -> None:
        # a first page may carry more rows than a page: the orders to stop come first
        self._more = len(rows) >= self._page_size
        for r in rows:
            self._ids.append(r.id)
            self._statuses.append(r.status)
            self._stops.append(any(h.code in STOP_CODES for h in r.holds))
            self._display.append(
                (
                    r.number,
                    self._status_text(r),
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

    def _status_text(self, r: OrderRow) -> str:
        """The status, and "Pickup" for an order the customer collects (no carrier, no label)."""
        if r.pickup:
            return self.tr("{status} · Pickup").format(status=status_name(r.status))
        return status_name(r.status)

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
        if role == Qt.ItemDataRole.BackgroundRole and self._stops[row]:
            return QBrush(_STOP_BACKGROUND)
        if role == Qt.ItemDataRole.FontRole and self._stops[row]:
            return _bold()  # still visible on a selected row
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
