"""The Orders screen: a paged list with status, channel and hold reason filters and search, bulk
actions on the selected orders, and an order's detail. Every query runs off the UI thread
(``ui.background``); a busy indicator shows while one is on its way."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import PackdeskError
from app.domain.orders import OrderStatus
from app.domain.users import Permission
from app.services import orders
from app.services.orders import OrderQuery, OrderRow
from ui.background import run_in_background
from ui.context import UiContext
from ui.i18n import error_text
from ui.live import LiveRefresh
from ui.models.orders import OrdersTableModel
from ui.screens.base import Screen
from ui.screens.order_detail import OrderDetailDialog
from ui.widgets.order_actions import OrderActionsBar
from ui.words import hold_reason_filter, status_name

SEARCH_DELAY_MS = 250


class OrdersScreen(Screen):
    permission = Permission.VIEW_ORDERS

    #: every query started so far has answered (the list, its count and the channels)
    settled = Signal()

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("OrdersScreen", "Orders")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("OrdersScreen")
        self.model = OrdersTableModel(self._fetch_page, background=True)
        self.model.setParent(self)  # its queries end with the screen
        self.model.load_failed.connect(self._show_problem)
        self.model.loading_changed.connect(lambda _on: self._update_busy())
        self.model.page_loaded.connect(self._page_loaded)
        self._calls = 0  # count and channel queries on their way
        self._count_generation = 0
        self._reselect: set[int] = set()

        self.status = QComboBox()
        self.status.setObjectName("status_filter")
        self.status.addItem(self.tr("All statuses"), None)
        for st in OrderStatus:
            self.status.addItem(status_name(st.value), st.value)
        self.channel = QComboBox()
        self.channel.setObjectName("channel_filter")
        self.channel.addItem(self.tr("All channels"), None)
        self.hold_reason = hold_reason_filter(self.tr("All hold reasons"))
        self.delivery = QComboBox()
        self.delivery.setObjectName("delivery_filter")
        self.delivery.addItem(self.tr("Shipped and pickup"), None)
        self.delivery.addItem(self.tr("Pickup orders only"), True)
        self.delivery.addItem(self.tr("Shipped orders only"), False)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(
            self.tr("Search: order number, channel order id, tracking number, name or phone")
            if ctx.actor.can(Permission.REVEAL_PERSONAL_DATA)
            else self.tr("Search: order number, channel order id or tracking number")
        )
        self.search.setMinimumWidth(360)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.count = QLabel()
        self.count.setObjectName("count")
        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020; font-weight: bold;")
        self.problem.hide()
        self.busy = QProgressBar()
        self.busy.setObjectName("busy")
        self.busy.setRange(0, 0)  # no end known: the bar moves to and fro
        self.busy.setTextVisible(False)
        self.busy.setFixedWidth(120)
        self.busy_label = QLabel(self.tr("Loading…"))
        self.busy_label.setObjectName("busy_label")
        self.busy_label.setStyleSheet("font-weight: bold;")
        self.busy.hide()
        self.busy_label.hide()

        self.table = QTableView()
        self.table.setObjectName("orders_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        vh = self.table.verticalHeader()
        vh.setVisible(False)
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # uniform rows: O(1) layout
        vh.setDefaultSectionSize(self.fontMetrics().height() + 10)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        hh.setStretchLastSection(True)
        for col, width in enumerate((130, 90, 90, 110, 120, 90, 50, 50, 110, 130)):
            self.table.setColumnWidth(col, width)
        self.table.doubleClicked.connect(lambda idx: self.open_detail(idx.row()))
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            opens = QShortcut(QKeySequence(key), self.table, self._open_current)
            # set apart: PySide6 ignores a context given with a callable to the constructor, and
            # Return in the search box would then open the current order instead of searching
            opens.setContext(Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence("Ctrl+F"), self, self.search.setFocus)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self.apply_filter)
        self.status.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.channel.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.hold_reason.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.delivery.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.action_bar = OrderActionsBar(ctx, self.selected_ids)
        self.action_bar.changed.connect(self._after_action)
        self.table.selectionModel().selectionChanged.connect(
            lambda *_: self.action_bar.update_buttons(
                len(self.table.selectionModel().selectedRows())
            )
        )
        self.model.modelReset.connect(lambda: self.action_bar.update_buttons(0))
        self.refresh_button.clicked.connect(self.apply_filter)
        # orders changed here or at another station: the same query again, coalesced
        self.live = LiveRefresh(self, ctx.bus, ("order",), self.refresh_live)
        self._keep_choice = False
        self._keep_scroll: int | None = None
        self.model.modelAboutToBeReset.connect(self._before_reset)

        bar = QHBoxLayout()
        self.status_label = QLabel(self.tr("Status"))
        self.status_label.setBuddy(self.status)
        bar.addWidget(self.status_label)
        bar.addWidget(self.status)
        bar.addWidget(self.channel)
        bar.addWidget(self.hold_reason)
        bar.addWidget(self.delivery)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.refresh_button)
        bar.addWidget(self.busy)
        bar.addWidget(self.busy_label)
        bar.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.problem)
        layout.addWidget(self.table)
        layout.addWidget(self.action_bar)
        self._loaded = False

    # -- data ---------------------------------------------------------------------------
    def _fetch_page(self, query: OrderQuery, after_id: int | None, limit: int) -> list[OrderRow]:
        return self.ctx.services.run(
            orders.list_orders, self.ctx.actor, query, after_id=after_id, limit=limit
        )

    def current_query(self) -> OrderQuery:
        return OrderQuery(
            status=self.status.currentData(),
            channel_id=self.channel.currentData(),
            hold_code=self.hold_reason.currentData(),
            search=self.search.text().strip(),
            pickup=self.delivery.currentData(),
        )

    def selected_ids(self) -> list[int]:
        rows = sorted(i.row() for i in self.table.selectionModel().selectedRows())
        return [self.model.order_id(r) for r in rows]

    def _after_action(self, ids: list[int]) -> None:
        """Tell every screen; this one reloads, then the orders acted on stay selected."""
        self._reselect = set(ids)
        self.ctx.bus.notify("order", ids)

    def _page_loaded(self) -> None:
        sel = self.table.selectionModel()
        if self._reselect:
            wanted, self._reselect = self._reselect, set()
            sel.clearSelection()
            flags = (
                QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
            )
            for r in range(self.model.rowCount()):
                if self.model.order_id(r) in wanted:
                    sel.select(self.model.index(r, 0), flags)
        elif self.model.rowCount() and not self.table.currentIndex().isValid():
            self.table.selectRow(0)
        if self._keep_scroll is not None:
            self.table.verticalScrollBar().setValue(self._keep_scroll)
            self._keep_scroll = None

    # -- queries off the UI thread ------------------------------------------------------------
    @property
    def loading(self) -> bool:
        return self.model.loading or self._calls > 0

    def _in_background(self, fn: Any, on_done: Any) -> None:
        """``fn()`` on a pool thread, ``on_done(result)`` here; the busy indicator meanwhile."""
        self._calls += 1
        self._update_busy()

        def done(result: object) -> None:
            self._calls -= 1
            on_done(result)
            self._update_busy()

        def failed(exc: PackdeskError) -> None:
            self._calls -= 1
            self._show_problem(error_text(exc))
            self._update_busy()

        run_in_background(self, fn, done, failed)

    def _update_busy(self) -> None:
        busy, was_busy = self.loading, self.busy.isVisibleTo(self)
        self.busy.setVisible(busy)
        self.busy_label.setVisible(busy)
        self.count.setVisible(not busy)  # the count of the rows on their way, with them
        if was_busy and not busy:
            self.settled.emit()

    def _load_channels(self) -> None:
        self._in_background(lambda: self.ctx.services.run(orders.channels), self._show_channels)

    def _show_channels(self, found: list[tuple[int, str, str]]) -> None:
        current = self.channel.currentData()
        self.channel.blockSignals(True)
        while self.channel.count() > 1:
            self.channel.removeItem(1)
        for cid, _code, name in found:
            self.channel.addItem(name, cid)
        self.channel.setCurrentIndex(max(self.channel.findData(current), 0))
        self.channel.blockSignals(False)

    def apply_filter(self) -> None:
        self._search_timer.stop()
        self.problem.hide()
        query = self.current_query()
        self.model.set_query(query)
        self._recount(query)

    def refresh_live(self) -> None:
        """Orders changed: the query on screen read again. The selected orders stay selected,
        the list stays where it was scrolled to, and a search still being typed is left alone
        (it applies when the typing pauses, as always)."""
        if not self._loaded:
            return
        self.problem.hide()
        self._keep_choice = True
        self.model.reload()
        self._recount(self.model.query)

    def _before_reset(self) -> None:
        """The rows are replaced: a live reload remembers what is chosen now (the user may
        have clicked while the rows were on their way) and where the list was scrolled."""
        if self._keep_choice:
            self._keep_choice = False
            self._reselect = self._reselect or set(self.selected_ids())
            self._keep_scroll = self.table.verticalScrollBar().value()

    def _recount(self, query: OrderQuery) -> None:
        self._count_generation += 1
        generation, services, actor = self._count_generation, self.ctx.services, self.ctx.actor
        self._in_background(
            lambda: services.run(orders.count_orders, actor, query),
            lambda found: self._show_count(generation, found),
        )

    def _show_count(self, generation: int, found: tuple[int, bool]) -> None:
        if generation != self._count_generation:
            return  # a later filter's count is on its way
        n, more = found
        if n == 1 and not more:
            self.count.setText(self.tr("1 order"))
        else:
            shown = f"{n:,}+" if more else f"{n:,}"
            self.count.setText(self.tr("{count} orders").format(count=shown))

    def activated(self) -> None:
        self._load_channels()  # an import may have brought a new channel
        if not self._loaded:
            self._loaded = True
            self.apply_filter()
        else:
            self.live.shown()
        self.table.setFocus()

    def _show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()

    # -- detail -------------------------------------------------------------------------
    def _open_current(self) -> None:
        idx = self.table.currentIndex()
        if idx.isValid():
            self.open_detail(idx.row())

    def open_detail(self, row: int) -> OrderDetailDialog:
        dialog = OrderDetailDialog(self.ctx, self.model.order_id(row), self)
        dialog.open()
        return dialog
