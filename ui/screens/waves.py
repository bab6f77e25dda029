"""Waves (supervisors): make waves of allocated orders, release them, cancel, re-plan or split
them before they are picked, see each batch's route on the map and who picks it, assign or free
batches, and deal with pick exceptions. Every list is fetched off the UI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import PackdeskError
from app.domain.users import Permission
from app.services import (
    carts,
    pick_claim,
    wave_edit,
    wave_exceptions,
    wave_release,
    wave_rules,
    wave_views,
)
from app.services.wave_plan import WaveSummary
from app.services.wave_views import BatchRoute, BatchRow
from ui.background import run_in_background
from ui.context import UiContext
from ui.i18n import error_text
from ui.live import LiveRefresh
from ui.models.waves import RowsModel, batches_model, exceptions_model, waves_model
from ui.screens.base import Screen
from ui.screens.wave_dialogs import CartsDialog, CreateWavesDialog, RulesDialog
from ui.widgets.layout_map import LayoutMap

OK_STYLE = "color: #1b5e20; font-size: 15pt; font-weight: bold;"
ERROR_STYLE = "color: #b00020; font-size: 15pt; font-weight: bold;"


def _table(model: RowsModel[Any], multi: bool = False) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(
        QAbstractItemView.SelectionMode.ExtendedSelection
        if multi
        else QAbstractItemView.SelectionMode.SingleSelection
    )
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    font = table.font()
    font.setPointSize(font.pointSize() + 2)
    table.setFont(font)
    return table


class WavesScreen(Screen):
    permission = Permission.PLAN_WAVES
    #: the waves list was shown; the batches of the chosen wave; its route; exceptions
    loaded = Signal()
    batches_loaded = Signal()
    route_shown = Signal()
    exceptions_loaded = Signal()
    #: an action finished (its message, and whether it worked)
    acted = Signal(str, bool)

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("WavesScreen", "Waves")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("WavesScreen")
        self.waves = waves_model()
        self.batches = batches_model()
        self.exceptions = exceptions_model()
        self.route: BatchRoute | None = None
        self.wave_table = _table(self.waves)
        self.batch_table = _table(self.batches, multi=True)
        self.exception_table = _table(self.exceptions)
        self.wave_table.selectionModel().currentRowChanged.connect(lambda *_: self.load_batches())
        self.batch_table.selectionModel().currentRowChanged.connect(lambda *_: self.load_route())
        self.map = LayoutMap()
        self.map.setMinimumHeight(260)
        self.route_label = QLabel()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        for key, text, slot in (
            ("create", self.tr("Make waves..."), self.create_waves),
            ("release", self.tr("Release wave"), self.release),
            ("cancel", self.tr("Cancel wave"), self.cancel),
            ("replan", self.tr("Re-plan"), self.replan),
            ("split", self.tr("Split chosen batches off"), self.split),
            ("carts", self.tr("Carts..."), self.edit_carts),
            ("rules", self.tr("Wave rules..."), self.edit_rules),
        ):
            self.buttons[key] = b = QPushButton(text)
            b.clicked.connect(slot)
            bar.addWidget(b)
        bar.addStretch(1)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._waves_tab(), self.tr("Waves"))
        self.tabs.addTab(self._exceptions_tab(), self.tr("Exceptions"))
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        # waves released or cancelled, batches claimed, picked or freed, here or elsewhere
        self.live = LiveRefresh(self, ctx.bus, ("wave", "batch"), self.refresh)

    def _waves_tab(self) -> QWidget:
        batch_bar = QHBoxLayout()
        for key, text, slot in (
            ("assign", self.tr("Assign to picker..."), self.assign),
            ("free", self.tr("Free batch"), self.free),
        ):
            self.buttons[key] = b = QPushButton(text)
            b.clicked.connect(slot)
            batch_bar.addWidget(b)
        batch_bar.addStretch(1)
        batch_bar.addWidget(self.route_label)
        detail = QWidget()
        dl = QVBoxLayout(detail)
        dl.setContentsMargins(0, 0, 0, 0)
        dl.addWidget(self.batch_table, 1)
        dl.addLayout(batch_bar)
        dl.addWidget(self.map, 3)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.wave_table)
        split.addWidget(detail)
        split.setSizes([520, 680])
        return split

    def _exceptions_tab(self) -> QWidget:
        tab = QWidget()
        resolve = QPushButton(self.tr("Mark resolved"))
        resolve.clicked.connect(self.resolve)
        self.buttons["resolve"] = resolve
        bar = QHBoxLayout()
        bar.addWidget(
            QLabel(
                self.tr(
                    "Short picks with no stock elsewhere: the backorder policy has dealt with "
                    "the order. Check the location, then mark the line resolved."
                )
            )
        )
        bar.addStretch(1)
        bar.addWidget(resolve)
        layout = QVBoxLayout(tab)
        layout.addLayout(bar)
        layout.addWidget(self.exception_table, 1)
        return tab

    # --- loading ---------------------------------------------------------------------------
    def activated(self) -> None:
        if not self.live.shown():
            self.refresh()

    def refresh(self) -> None:
        services, actor = self.ctx.services, self.ctx.actor
        run_in_background(
            self, lambda: services.run(wave_views.list_waves, actor), self._show_waves, self._failed
        )
        run_in_background(
            self,
            lambda: services.run(wave_exceptions.open_exceptions, actor),
            self._show_exceptions,
            self._failed,
        )

    def _show_waves(self, rows: list[WaveSummary]) -> None:
        chosen = self.current_wave()
        scroll = self.wave_table.verticalScrollBar().value()
        self.waves.set_rows(rows)
        self.wave_table.verticalScrollBar().setValue(scroll)
        number = chosen.number if chosen else None
        row = next((i for i, w in enumerate(rows) if w.number == number), 0 if rows else -1)
        if row >= 0:
            self.wave_table.selectRow(row)
        else:
            self.batches.set_rows([])
            self.map.clear_route()
        self.loaded.emit()

    def _show_exceptions(self, rows: list[wave_exceptions.ExceptionRow]) -> None:
        self.exceptions.set_rows(rows)
        self.tabs.setTabText(
            1, self.tr("Exceptions ({n})").format(n=len(rows)) if rows else self.tr("Exceptions")
        )
        self.exceptions_loaded.emit()

    def load_batches(self) -> None:
        wave = self.current_wave()
        if wave is None:
            return
        services, actor = self.ctx.services, self.ctx.actor
        run_in_background(
            self,
            lambda: services.run(wave_views.wave_batches, actor, wave.id),
            self._show_batches,
            self._failed,
        )

    def _show_batches(self, rows: list[BatchRow]) -> None:
        chosen = {b.id for b in self.chosen_batches()}
        scroll = self.batch_table.verticalScrollBar().value()
        self.batches.set_rows(rows)
        again = [i for i, b in enumerate(rows) if b.id in chosen]
        for i in again:  # the batches chosen before a reload stay chosen
            self.batch_table.selectionModel().select(
                self.batches.index(i, 0),
                QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
            )
        if again:
            self.batch_table.selectionModel().setCurrentIndex(
                self.batches.index(again[0], 0), QItemSelectionModel.SelectionFlag.NoUpdate
            )
            self.batch_table.verticalScrollBar().setValue(scroll)
        elif rows:
            self.batch_table.selectRow(0)
        self.batches_loaded.emit()

    def load_route(self) -> None:
        batch = self.current_batch()
        if batch is None:
            return
        services, actor = self.ctx.services, self.ctx.actor
        run_in_background(
            self,
            lambda: services.run(wave_views.batch_route, actor, batch.id),
            self._show_route,
            self._failed,
        )

    def _show_route(self, route: BatchRoute | None) -> None:
        self.route = route
        if route is None:
            return
        if self.map.view is None or self.map.view != route.layout:
            self.map.set_layout(route.layout)
        self.map.show_route(route.path, [(x, y) for _, x, y in route.stops])
        text = self.tr("{n} stops, {m} m walk").format(
            n=len(route.stops), m=f"{route.length_m:.0f}"
        )
        if route.made_up_layout:
            text += " " + self.tr("(no layout yet: measured on the locations' own x and y)")
        self.route_label.setText(text)
        self.route_shown.emit()

    # --- choosing --------------------------------------------------------------------------
    def current_wave(self) -> WaveSummary | None:
        idx = self.wave_table.currentIndex()
        return self.waves.rows[idx.row()] if idx.isValid() and self.waves.rows else None

    def current_batch(self) -> BatchRow | None:
        idx = self.batch_table.currentIndex()
        return self.batches.rows[idx.row()] if idx.isValid() and self.batches.rows else None

    def chosen_batches(self) -> list[BatchRow]:
        rows = sorted({i.row() for i in self.batch_table.selectionModel().selectedRows()})
        return [self.batches.rows[r] for r in rows]

    # --- acting ----------------------------------------------------------------------------
    def _say(self, text: str, ok: bool) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)

    def _failed(self, exc: PackdeskError) -> None:
        self._say(error_text(exc), ok=False)
        self.acted.emit(error_text(exc), False)

    def _act(self, call: Callable[[], Any], done: Callable[[Any], str]) -> None:
        """Run a change off the UI thread, then say what happened and reload."""

        def finished(result: Any) -> None:
            text = done(result)
            self._say(text, ok=True)
            self.refresh()
            self.acted.emit(text, True)

        run_in_background(self, call, finished, self._failed)

    def create_waves(self) -> None:
        s, a = self.ctx.services, self.ctx.actor
        try:
            waiting = s.run(wave_views.waiting_orders, a)
            rules = s.run(wave_rules.list_rules, a)
            cart_list = s.run(carts.list_carts, a)
        except PackdeskError as exc:
            self._failed(exc)
            return
        dialog = CreateWavesDialog(self.ctx, waiting, rules, cart_list, self)
        if dialog.exec():
            numbers = ", ".join(w.number for w in dialog.made)
            self._say(self.tr("Waves made: {numbers}").format(numbers=numbers), ok=True)
            self.refresh()

    def release(self) -> None:
        wave = self.current_wave()
        if wave is None:
            return
        s, a = self.ctx.services, self.ctx.actor
        self._act(
            lambda: s.run(wave_release.release_wave, a, wave.number),
            lambda r: self.tr("{wave} released: {tasks} pick tasks in {batches} batches.").format(
                wave=r.number, tasks=r.tasks, batches=r.batches
            ),
        )

    def _confirm(self, text: str) -> bool:
        answer = QMessageBox.question(self, self.tr("Waves"), text)
        return answer == QMessageBox.StandardButton.Yes

    def cancel(self) -> None:
        wave = self.current_wave()
        if wave is None or not self._confirm(
            self.tr("Cancel wave {wave}? Its orders go back to allocated.").format(wave=wave.number)
        ):
            return
        s, a = self.ctx.services, self.ctx.actor
        self._act(
            lambda: s.run(wave_edit.cancel_wave, a, wave.number),
            lambda r: self.tr("{wave} cancelled; its orders wait for another wave.").format(
                wave=r.number
            ),
        )

    def replan(self) -> None:
        wave = self.current_wave()
        if wave is None:
            return
        s, a = self.ctx.services, self.ctx.actor
        self._act(
            lambda: s.run(wave_edit.replan_wave, a, wave.number),
            lambda r: self.tr("{wave} re-planned: {orders} orders in {batches} batches.").format(
                wave=r.number, orders=r.orders, batches=r.batches
            ),
        )

    def split(self) -> None:
        wave, chosen = self.current_wave(), self.chosen_batches()
        if wave is None or not chosen:
            self._say(self.tr("Choose the batches to move to a new wave first."), ok=False)
            return
        s, a = self.ctx.services, self.ctx.actor
        ids = [b.id for b in chosen]
        self._act(
            lambda: s.run(wave_edit.split_wave, a, wave.number, batch_ids=ids),
            lambda r: self.tr("{orders} orders moved to the new wave {wave}.").format(
                orders=r.orders, wave=r.number
            ),
        )

    def assign(self) -> None:
        batch = self.current_batch()
        if batch is None:
            return
        name, ok = QInputDialog.getText(
            self,
            self.tr("Assign batch"),
            self.tr("User name of the picker for {batch} (empty: anyone):").format(
                batch=batch.label
            ),
        )
        if not ok:
            return
        s, a = self.ctx.services, self.ctx.actor
        self._act(
            lambda: s.run(pick_claim.assign_batch, a, batch.id, name.strip()),
            lambda _: self.tr("{batch} assigned.").format(batch=batch.label),
        )

    def free(self) -> None:
        batch = self.current_batch()
        if batch is None:
            return
        s, a = self.ctx.services, self.ctx.actor
        self._act(
            lambda: s.run(pick_claim.unclaim, a, batch.id),
            lambda _: self.tr("{batch} is free: the next picker continues it.").format(
                batch=batch.label
            ),
        )

    def resolve(self) -> None:
        idx = self.exception_table.currentIndex()
        if not idx.isValid():
            return
        row = self.exceptions.rows[idx.row()]
        s, a = self.ctx.services, self.ctx.actor
        self._act(
            lambda: s.run(wave_exceptions.resolve_exception, a, row.id),
            lambda _: self.tr("Exception of order {order} resolved.").format(order=row.order),
        )

    def edit_carts(self) -> None:
        CartsDialog(self.ctx, self).exec()

    def edit_rules(self) -> None:
        try:
            cart_list = self.ctx.services.run(carts.list_carts, self.ctx.actor)
        except PackdeskError as exc:
            self._failed(exc)
            return
        RulesDialog(self.ctx, cart_list, self).exec()
