"""Delivery exceptions (supervisors): parcels the carrier lost, broke or is sending back, parcels
it reported a problem with, parcels delivered without a handover here, and shipped parcels with
no scan for N days.

Each row says the order, the tracking number, the carrier, the kind, since when, and the parcel's
last event. The list can be filtered by kind. Refreshing (when the screen is shown, every
``REFRESH_MS``, or with the button) first looks for parcels that went silent, then lists. A
supervisor resolves a row with a note saying what was done (claimed, sent again, refunded);
double-clicking opens the order. A carrier's status file can be imported from here too.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QModelIndex, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import PackdeskError
from app.domain.users import Permission
from app.services import delivery, delivery_exceptions, delivery_settings
from app.services.delivery import TrackingImportResult
from app.services.delivery_exceptions import DeliveryExceptionView
from ui.background import run_in_background
from ui.context import UiContext
from ui.i18n import error_text
from ui.models.delivery import ExceptionsModel, exception_kind_names
from ui.screens.base import Screen

OK_STYLE = "color: #1b5e20; font-size: 15pt; font-weight: bold;"
ERROR_STYLE = "color: #b00020; font-size: 15pt; font-weight: bold;"
#: the list is fetched again this often while the screen is shown
REFRESH_MS = 60_000


class DeliveryExceptionsScreen(Screen):
    permission = Permission.RESOLVE_DELIVERY
    #: the list was shown
    loaded = Signal()
    #: an action finished (its message, and whether it worked)
    acted = Signal(str, bool)

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("DeliveryExceptionsScreen", "Delivery exceptions")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("DeliveryExceptionsScreen")
        self.model = ExceptionsModel()
        self.table = QTableView()
        self.table.setObjectName("exceptions")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        font = self.table.font()
        font.setPointSize(font.pointSize() + 3)
        self.table.setFont(font)
        self.table.doubleClicked.connect(self._open_order)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setStyleSheet("font-size: 18pt; font-weight: bold;")
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        self.kind.addItem(self.tr("All kinds"), "")
        for key, text in exception_kind_names().items():
            self.kind.addItem(text, key)
        self.kind.setMinimumHeight(40)
        self.kind.currentIndexChanged.connect(lambda _: self.refresh())
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        bar.addWidget(self.summary, 1)
        bar.addWidget(QLabel(self.tr("Show:")))
        bar.addWidget(self.kind)
        # N of "no scan for N days": a setting, changed here by whoever may change settings
        self.days_box = QSpinBox()
        self.days_box.setObjectName("stale_days")
        self.days_box.setRange(1, 60)
        self.days_box.setSuffix(self.tr(" days"))
        self.days_box.setMinimumHeight(40)
        self.days_box.setToolTip(self.tr("A shipped parcel with no scan for this long is listed"))
        self.days_box.setEnabled(ctx.can(Permission.MANAGE_SETTINGS))
        self.days_box.editingFinished.connect(lambda: self.save_days(self.days_box.value()))
        bar.addWidget(QLabel(self.tr("No scan after:")))
        bar.addWidget(self.days_box)
        for key, text, slot in (
            ("resolve", self.tr("Resolve..."), self.resolve),
            ("import", self.tr("Import status file..."), self.choose_file),
            ("refresh", self.tr("Refresh"), self.refresh),
        ):
            self.buttons[key] = b = QPushButton(text)
            b.setMinimumHeight(44)
            b.clicked.connect(slot)
            bar.addWidget(b)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.hint)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._enable())
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self._tick)
        self.days = 3
        self._enable()

    # --- loading -----------------------------------------------------------------------------
    def activated(self) -> None:
        self.timer.start()
        self.refresh()

    def _tick(self) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self.timer.stop()

    def refresh(self) -> None:
        services, actor, kind = self.ctx.services, self.ctx.actor, self.kind.currentData() or None

        def load() -> tuple[int, list[DeliveryExceptionView]]:
            report = services.run(delivery_exceptions.find_stale, actor)
            return report.days, services.run(delivery_exceptions.list_exceptions, actor, kind)

        run_in_background(self, load, self._show, self._failed)

    def _show(self, answer: tuple[int, list[DeliveryExceptionView]]) -> None:
        self.days, rows = answer
        if not self.days_box.hasFocus():
            self.days_box.setValue(self.days)
        chosen = self.current()
        self.model.set_rows(rows)
        if len(rows) == 1:
            summary = self.tr("1 parcel needs a look")
        elif rows:
            summary = self.tr("{n} parcels need a look").format(n=len(rows))
        else:
            summary = self.tr("No delivery exception")
        self.summary.setText(summary)
        self.hint.setText(
            self.tr(
                "Parcels the carrier lost, damaged or is returning, problems it reported, and "
                "shipped parcels with no scan for {days} days. Call the carrier, then resolve the "
                "row with what was done. Double-click a row to open the order."
            ).format(days=self.days)
        )
        row = next((i for i, e in enumerate(rows) if chosen and e.id == chosen.id), 0)
        if rows:
            self.table.selectRow(row)
        self.table.resizeColumnsToContents()
        self._enable()
        self.loaded.emit()

    def current(self) -> DeliveryExceptionView | None:
        idx = self.table.currentIndex()
        if not idx.isValid() or idx.row() >= len(self.model.rows):
            return None
        return self.model.rows[idx.row()]

    def _enable(self) -> None:
        self.buttons["resolve"].setEnabled(self.current() is not None)
        self.buttons["import"].setEnabled(self.ctx.actor.can(Permission.SHIP))

    def _open_order(self, index: QModelIndex) -> None:
        if not index.isValid() or index.row() >= len(self.model.rows):
            return
        from ui.screens.order_detail import OrderDetailDialog

        OrderDetailDialog(self.ctx, self.model.rows[index.row()].order_id, self).exec()

    # --- actions -----------------------------------------------------------------------------
    def resolve(self) -> None:
        row = self.current()
        if row is None:
            return
        note, ok = QInputDialog.getText(
            self,
            self.tr("Resolve the exception"),
            self.tr("Order {order}, {tracking}: what was done?").format(
                order=row.order_number, tracking=row.tracking_number
            ),
        )
        if ok:
            self.resolve_with(row, note)

    def resolve_with(self, row: DeliveryExceptionView, note: str) -> None:
        s, a = self.ctx.services, self.ctx.actor
        done = self.tr("Order {order}: resolved ({note}).").format(
            order=row.order_number, note=note.strip()
        )
        self._act(lambda: s.run(delivery_exceptions.resolve_exception, a, row.id, note), done)

    def save_days(self, days: int) -> None:
        """Save N of the no-scan rule, then look again with it."""
        if days == self.days:
            return
        s, a = self.ctx.services, self.ctx.actor
        done = self.tr("Parcels with no scan for {days} days are listed from now on.").format(
            days=days
        )
        self._act(lambda: s.run(delivery_settings.save_stale_days, a, days), done)

    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Import a carrier status file"),
            "",
            self.tr("Status files (*.csv *.xlsx *.txt);;All files (*)"),
        )
        if name:
            self.import_file(Path(name))

    def import_file(self, path: Path) -> None:
        s, a = self.ctx.services, self.ctx.actor

        def ok(result: TrackingImportResult) -> None:
            self._say(self._import_text(result), not result.errors and not result.unknown)
            self.refresh()

        run_in_background(
            self, lambda: s.run(delivery.import_tracking_file, a, path), ok, self._failed
        )

    def _import_text(self, r: TrackingImportResult) -> str:
        text = self.tr(
            "{file}: {events} new events, {delivered} orders delivered, {exceptions} new "
            "exceptions."
        ).format(file=r.source, events=r.events, delivered=r.delivered, exceptions=r.exceptions)
        if r.unknown:
            text += " " + self.tr("No parcel has these numbers: {numbers}.").format(
                numbers=", ".join(u.tracking_number for u in r.unknown[:5])
            )
        if r.errors:
            text += " " + self.tr("Rows not read: {rows}.").format(
                rows=", ".join(str(p.row) for p in r.errors[:10])
            )
        return text

    def _act(self, fn: object, done: str) -> None:
        def ok(_: object) -> None:
            self._say(done, True)
            self.refresh()

        run_in_background(self, fn, ok, self._failed)  # type: ignore[arg-type]

    def _failed(self, exc: PackdeskError) -> None:
        self._say(error_text(exc), False)

    def _say(self, text: str, ok: bool) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)
        self.acted.emit(text, ok)
