"""Bulk actions on the selected orders (release, hold, cancel, allocate; merge and split) and
their results.

Buttons are disabled for roles without the permission (the services refuse anyway). Each action
runs off the UI thread; its per-order results come back through a main-thread relay and are shown
as a big coloured summary and one line per order, translated.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import PackdeskError
from app.domain.users import Permission
from app.services import merge_split, order_actions, orders
from app.services.merge_split import MergeResult, MergeSuggestion, SplitResult
from app.services.order_actions import OrderResult
from app.services.orders import OrderDetail
from ui.context import UiContext
from ui.i18n import error_text, holds_text
from ui.words import status_name

OK_COLOUR = "#1b5e20"
PARTLY_COLOUR = "#8a5a00"
ERROR_COLOUR = "#b00020"


def result_text(r: OrderResult) -> str:
    """One order's result in the current language (same parameters as the English one)."""
    params: dict[str, Any] = dict(r.params)
    if "status" in params:
        params["status"] = status_name(str(params["status"]))
    if r.holds:  # its hold reasons in this language too
        params["reasons"] = holds_text(r.holds)
    template = QCoreApplication.translate("PackdeskError", r.template)
    try:
        return template.format(number=r.number, **params)
    except (KeyError, IndexError, ValueError):
        return r.message


class _Signals(QObject):
    finished = Signal(object)  # list[OrderResult]
    failed = Signal(object)  # PackdeskError


class _Job(QRunnable):
    """One service call on a pool thread; the answer goes back as a signal."""

    def __init__(self, call: Callable[[], list[OrderResult]], signals: _Signals) -> None:
        super().__init__()
        self.call, self.signals = call, signals

    def run(self) -> None:
        try:
            results = self.call()
        except PackdeskError as exc:
            self.signals.failed.emit(exc)
            return
        self.signals.finished.emit(results)


class OrderActionsBar(QWidget):
    """Release, hold, cancel, allocate, merge or split the orders ``selected()`` returns."""

    #: ids of the orders an action touched (the screen reloads and tells the bus)
    changed = Signal(list)
    #: emitted when an action's results are shown (tests wait for it)
    shown = Signal()

    def __init__(
        self, ctx: UiContext, selected: Callable[[], list[int]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.selected = selected
        self.setObjectName("order_actions")
        self._running = False
        self._signals = _Signals(self)  # lives on the UI thread: slots run there
        self._signals.finished.connect(self._finished)
        self._signals.failed.connect(self._failed)
        self._pending: list[int] = []

        self.release_button = self._button("release", self.tr("Release"), Permission.RELEASE_ORDERS)
        self.hold_button = self._button("hold", self.tr("Hold…"), Permission.RELEASE_ORDERS)
        self.cancel_button = self._button("cancel", self.tr("Cancel…"), Permission.CANCEL_ORDERS)
        self.allocate_button = self._button("allocate", self.tr("Allocate"), Permission.ALLOCATE)
        self.release_button.clicked.connect(self.release)
        self.hold_button.clicked.connect(self.ask_hold_reason)
        self.cancel_button.clicked.connect(self.ask_cancel)
        self.allocate_button.clicked.connect(self.allocate)
        self.merge_button = self._button("merge", self.tr("Merge"), Permission.EDIT_ORDERS)
        self.merge_button.setToolTip(
            self.tr("Merge the selected orders of one customer into the oldest of them.")
        )
        self.split_button = self._button("split", self.tr("Split…"), Permission.EDIT_ORDERS)
        self.suggest_button = self._button(
            "suggest", self.tr("Mergeable orders…"), Permission.EDIT_ORDERS
        )
        self.merge_button.clicked.connect(self.merge)
        self.split_button.clicked.connect(self.open_split)
        self.suggest_button.clicked.connect(self.open_merge_suggestions)

        self.summary = QLabel()
        self.summary.setObjectName("action_summary")
        font = QFont(self.summary.font())
        font.setPointSize(font.pointSize() + 4)
        font.setBold(True)
        self.summary.setFont(font)
        self.summary.setWordWrap(True)
        self.summary.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.details = QPlainTextEdit()
        self.details.setObjectName("action_results")
        self.details.setReadOnly(True)
        self.details.setFixedHeight(120)
        self.summary.hide()
        self.details.hide()

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(QLabel(self.tr("Selected orders:")))
        for b in (self.release_button, self.hold_button, self.cancel_button, self.allocate_button):
            buttons.addWidget(b)
        buttons.addSpacing(24)
        for b in (self.merge_button, self.split_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.suggest_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.summary)
        layout.addWidget(self.details)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.update_buttons(0)

    def _button(self, name: str, text: str, permission: Permission) -> QPushButton:
        b = QPushButton(text)
        b.setObjectName(f"{name}_button")
        b.setProperty("permission", permission.value)
        if not self.ctx.can(permission):
            b.setToolTip(self.tr("Your role may not do this. Ask a supervisor."))
        return b

    def _buttons(self) -> list[QPushButton]:
        return [self.release_button, self.hold_button, self.cancel_button, self.allocate_button]

    def update_buttons(self, selected: int) -> None:
        """Enabled when rows are selected (two or more to merge, one to split), the role has the
        permission and nothing runs."""
        for b, wanted in (
            *((b, selected > 0) for b in self._buttons()),
            (self.merge_button, selected > 1),
            (self.split_button, selected == 1),
            (self.suggest_button, True),
        ):
            allowed = self.ctx.can(Permission(b.property("permission")))
            b.setEnabled(allowed and wanted and not self._running)

    # -- actions --------------------------------------------------------------------------
    def release(self) -> None:
        ids = self.selected()
        self._run(
            ids, lambda: self.ctx.services.run(order_actions.release, self.ctx.actor, ids).results
        )

    def ask_hold_reason(self) -> QInputDialog:
        dialog = QInputDialog(self)
        dialog.setObjectName("hold_reason_dialog")
        dialog.setWindowTitle(self.tr("Hold orders"))
        dialog.setLabelText(self.tr("Why are these orders held? The reviewer reads this."))
        dialog.textValueSelected.connect(self.hold)
        dialog.open()
        return dialog

    def hold(self, reason: str) -> None:
        ids = self.selected()
        self._run(
            ids,
            lambda: self.ctx.services.run(order_actions.hold, self.ctx.actor, ids, reason).results,
        )

    def ask_cancel(self) -> QMessageBox:
        n = len(self.selected())
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Cancel orders"),
            self.tr("Cancel this order? Its reserved stock is given back.")
            if n == 1
            else self.tr("Cancel {count} orders? Reserved stock is given back.").format(count=n),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("cancel_confirm")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.accepted.connect(self.cancel)
        box.open()
        return box

    def cancel(self) -> None:
        ids = self.selected()
        self._run(
            ids,
            lambda: (
                self.ctx.services.run(
                    order_actions.cancel, self.ctx.actor, ids, "cancelled from the Orders screen"
                ).results
            ),
        )

    def allocate(self) -> None:
        ids = self.selected()
        self._run(
            ids, lambda: self.ctx.services.run(order_actions.allocate, self.ctx.actor, ids).results
        )

    def merge(self) -> None:
        ids = self.selected()
        self._run(
            ids, lambda: [_merged(self.ctx.services.run(merge_split.merge, self.ctx.actor, ids))]
        )

    def open_split(self) -> SplitDialog | None:
        ids = self.selected()
        if len(ids) != 1:
            return None
        try:
            detail = self.ctx.services.run(orders.order_detail, self.ctx.actor, ids[0])
        except PackdeskError as exc:
            self._failed(exc)
            return None
        dialog = SplitDialog(detail, self)
        dialog.split_lines.connect(self.split)
        dialog.split_short.connect(self.split_by_availability)
        dialog.open()
        return dialog

    def split(self, order_id: int, lines: dict[int, int]) -> None:
        self._run(
            [order_id],
            lambda: [
                _split(self.ctx.services.run(merge_split.split, self.ctx.actor, order_id, lines))
            ],
        )

    def split_by_availability(self, order_id: int) -> None:
        self._run(
            [order_id],
            lambda: [
                _split(
                    self.ctx.services.run(
                        merge_split.split_by_availability, self.ctx.actor, order_id
                    )
                )
            ],
        )

    def open_merge_suggestions(self) -> MergeSuggestionsDialog | None:
        try:
            found = self.ctx.services.run(merge_split.suggest_merges, self.ctx.actor)
        except PackdeskError as exc:
            self._failed(exc)
            return None
        dialog = MergeSuggestionsDialog(found, self)
        dialog.merge_group.connect(self.merge_ids)
        dialog.open()
        return dialog

    def merge_ids(self, ids: list[int]) -> None:
        self._run(
            ids, lambda: [_merged(self.ctx.services.run(merge_split.merge, self.ctx.actor, ids))]
        )

    def _run(self, ids: list[int], call: Callable[[], Any]) -> None:
        if not ids or self._running:
            return
        self._running = True
        self._pending = ids
        self.update_buttons(len(ids))
        self._show(self.tr("Working… Orders: {count}.").format(count=len(ids)), "#333333", [])
        QThreadPool.globalInstance().start(_Job(lambda: list(call()), self._signals))

    @Slot(object)
    def _finished(self, results: list[OrderResult]) -> None:
        self._running = False
        done = sum(r.ok for r in results)
        refused = len(results) - done
        if refused == 0:
            text, colour = self.tr("All done. Orders: {count}.").format(count=done), OK_COLOUR
        elif done == 0:
            text = self.tr("Nothing done. Orders refused: {count}.").format(count=refused)
            colour = ERROR_COLOUR
        else:
            text = self.tr("Orders done: {done}. Refused: {refused}, see why below.").format(
                done=done, refused=refused
            )
            colour = PARTLY_COLOUR
        # refused orders first: they are what the reviewer has to look at
        lines = [("✗ " + result_text(r)) for r in results if not r.ok]
        lines += [("✓ " + result_text(r)) for r in results if r.ok]
        self._show(text, colour, lines)
        self.update_buttons(len(self.selected()))
        self.changed.emit(list(self._pending))
        self.shown.emit()

    @Slot(object)
    def _failed(self, exc: PackdeskError) -> None:
        self._running = False
        self._show(error_text(exc), ERROR_COLOUR, [])
        self.update_buttons(len(self.selected()))
        self.shown.emit()

    def _show(self, text: str, colour: str, lines: list[str]) -> None:
        self.summary.setText(text)
        self.summary.setStyleSheet(f"color: {colour};")
        self.summary.show()
        self.details.setPlainText("\n".join(lines))
        self.details.setVisible(bool(lines))


def _merged(r: MergeResult) -> OrderResult:
    return OrderResult(r.order_id, r.number, True, "merged", {"merged": ", ".join(r.merged)})


def _split(r: SplitResult) -> OrderResult:
    return OrderResult(
        r.new_order_id,
        r.number,
        True,
        "split",
        {"new_number": r.new_number, "units": r.moved_units},
    )


class SplitDialog(QDialog):
    """Split one order: units to move per line, or everything that is not in stock."""

    split_lines = Signal(int, object)  # order id, {line number: units}
    split_short = Signal(int)  # order id

    def __init__(self, detail: OrderDetail, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("split_dialog")
        self.order_id = detail.id
        self.setWindowTitle(self.tr("Split order {number}").format(number=detail.number))
        self.table = QTableWidget(len(detail.lines), 4)
        self.table.setObjectName("split_lines")
        self.table.setHorizontalHeaderLabels(
            [self.tr("SKU"), self.tr("Product"), self.tr("Qty"), self.tr("Move to new order")]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.spins: dict[int, QSpinBox] = {}
        for r, ln in enumerate(detail.lines):
            for c, text in enumerate((ln.sku, ln.name, str(ln.qty))):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.table.setItem(r, c, item)
            spin = QSpinBox()
            spin.setRange(0, max(ln.qty, 0))
            self.table.setCellWidget(r, 3, spin)
            self.spins[ln.line_no] = spin
        buttons = QDialogButtonBox()
        self.by_lines = buttons.addButton(
            self.tr("Split off these units"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.by_stock = buttons.addButton(
            self.tr("Split off what is not in stock"), QDialogButtonBox.ButtonRole.ActionRole
        )
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.by_lines.clicked.connect(self._by_lines)
        self.by_stock.clicked.connect(self._by_stock)
        buttons.rejected.connect(self.reject)
        hint = QLabel(
            self.tr(
                "The new order keeps the channel's order and line ids, so shipping can be "
                "reported back for each part."
            )
        )
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.resize(720, 360)

    def _by_lines(self) -> None:
        self.split_lines.emit(
            self.order_id, {no: spin.value() for no, spin in self.spins.items() if spin.value()}
        )
        self.accept()

    def _by_stock(self) -> None:
        self.split_short.emit(self.order_id)
        self.accept()


class MergeSuggestionsDialog(QDialog):
    """Groups of orders from one channel to one person at one address, not yet allocated."""

    merge_group = Signal(object)  # list of order ids

    def __init__(self, groups: list[MergeSuggestion], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("merge_suggestions")
        self.groups = groups
        self.setWindowTitle(self.tr("Orders that can be merged"))
        self.table = QTableWidget(len(groups), 4)
        self.table.setObjectName("merge_groups")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Orders"), self.tr("Channel"), self.tr("Customer"), self.tr("City")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        for r, g in enumerate(groups):
            for c, text in enumerate((", ".join(g.numbers), g.channel, g.customer, g.city)):
                self.table.setItem(r, c, QTableWidgetItem(text))
        if groups:
            self.table.selectRow(0)
        buttons = QDialogButtonBox()
        self.merge_button = buttons.addButton(
            self.tr("Merge these orders"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.merge_button.setEnabled(bool(groups))
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.merge_button.clicked.connect(self._merge)
        buttons.rejected.connect(self.reject)
        empty = QLabel(self.tr("No orders can be merged right now."))
        empty.setVisible(not groups)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(empty)
        layout.addWidget(buttons)
        self.resize(760, 360)

    def _merge(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.groups):
            self.merge_group.emit(list(self.groups[row].order_ids))
            self.accept()
