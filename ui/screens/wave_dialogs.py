"""The Waves screen's dialogs: making waves (from chosen orders, by a rule, or of every waiting
order), and editing carts and wave rules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import PackdeskError
from app.domain.waves import PickMethod, UnitKind
from app.services import carts, wave_plan, wave_rules
from app.services.carts import CartInfo
from app.services.wave_plan import WaveSummary
from app.services.wave_rules import WaveRuleInfo
from app.services.wave_views import WaitingOrder
from ui.context import UiContext
from ui.i18n import error_text
from ui.models.waves import (
    RowsModel,
    carts_model,
    method_name,
    rules_model,
    unit_kind_name,
    waiting_model,
)

ERROR_STYLE = "color: #b00020; font-weight: bold;"


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
    return table


def _methods(combo: QComboBox, with_default: str = "") -> None:
    if with_default:
        combo.addItem(with_default, "")
    for m in PickMethod:
        combo.addItem(method_name(m.value), m.value)


def _spin(maximum: int, special: str = "") -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(0, maximum)
    if special:
        spin.setSpecialValueText(special)
    return spin


def _editor_layout(
    dialog: QDialog,
    table: QWidget,
    form: QFormLayout,
    save_text: str,
    close_text: str,
    save: Callable[[], None],
) -> QLabel:
    """A list above its edit form, the error line, Save and Close: the carts and the wave rules
    editors are laid out alike. Returns the error line."""
    error = QLabel()
    error.setWordWrap(True)
    error.setStyleSheet(ERROR_STYLE)
    save_button = QPushButton(save_text)
    save_button.clicked.connect(save)
    close = QPushButton(close_text)
    close.clicked.connect(dialog.accept)
    bar = QHBoxLayout()
    bar.addWidget(save_button)
    bar.addStretch(1)
    bar.addWidget(close)
    layout = QVBoxLayout(dialog)
    layout.addWidget(table, 1)
    layout.addLayout(form)
    layout.addWidget(error)
    layout.addLayout(bar)
    return error


class CreateWavesDialog(QDialog):
    """Orders chosen in the list go into waves; with none chosen, a rule's orders or every
    waiting order do."""

    def __init__(
        self,
        ctx: UiContext,
        waiting: list[WaitingOrder],
        rules: list[WaveRuleInfo],
        cart_list: list[CartInfo],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.made: list[WaveSummary] = []
        self.setWindowTitle(self.tr("Make waves"))
        self.resize(760, 560)
        self.orders = waiting_model()
        self.orders.set_rows(waiting)
        self.table = _table(self.orders, multi=True)
        self.rule = QComboBox()
        self.rule.addItem(self.tr("No rule"), "")
        for r in rules:
            self.rule.addItem(r.name, r.name)
        self.method = QComboBox()
        _methods(self.method, self.tr("The rule's (else pick to tote)"))
        self.cart = QComboBox()
        self.cart.addItem(self.tr("The rule's (else the first cart)"), "")
        for c in cart_list:
            self.cart.addItem(f"{c.code}  {c.name}", c.code)
        self.max_orders = _spin(100_000, self.tr("no limit"))
        form = QFormLayout()
        form.addRow(self.tr("Rule"), self.rule)
        form.addRow(self.tr("Pick method"), self.method)
        form.addRow(self.tr("Cart"), self.cart)
        form.addRow(self.tr("Most orders per wave"), self.max_orders)
        hint = QLabel(
            self.tr(
                "Choose orders in the list to put just those into waves. With none chosen, the "
                "rule's orders (or every waiting order) go. Priorities are never mixed."
            )
        )
        hint.setWordWrap(True)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Make waves"))
        buttons.accepted.connect(self.make_waves)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(self.tr("Allocated orders waiting for a wave: {n}").format(n=len(waiting)))
        )
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def chosen_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.orders.rows[r].id for r in rows]

    def make_waves(self) -> None:
        try:
            self.made = self.ctx.services.run(
                wave_plan.create_waves,
                self.ctx.actor,
                self.chosen_ids(),
                rule=self.rule.currentData(),
                max_orders=self.max_orders.value(),
                method=self.method.currentData(),
                cart=self.cart.currentData(),
            )
        except PackdeskError as exc:
            self.error.setText(error_text(exc))
            return
        if not self.made:
            self.error.setText(self.tr("No waiting order matches: no wave was made."))
            return
        self.accept()


class CartsDialog(QDialog):
    """The carts, and a form to add one or change the chosen one."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Pick carts"))
        self.resize(760, 480)
        self.model = carts_model()
        self.table = _table(self.model)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._fill())
        self.code = QLineEdit()
        self.code.setPlaceholderText(self.tr("e.g. C12: tote labels are C12-01, C12-02..."))
        self.name = QLineEdit()
        self.slots = _spin(99)
        self.slots.setValue(12)
        self.max_orders = _spin(10_000, self.tr("no limit"))
        self.max_lines = _spin(100_000, self.tr("no limit"))
        self.max_weight = _spin(10_000_000, self.tr("no limit"))
        self.max_volume = _spin(100_000_000, self.tr("no limit"))
        form = QFormLayout()
        form.addRow(self.tr("Code"), self.code)
        form.addRow(self.tr("Cart name"), self.name)
        form.addRow(self.tr("Tote slots"), self.slots)
        form.addRow(self.tr("Most orders"), self.max_orders)
        form.addRow(self.tr("Most lines"), self.max_lines)
        form.addRow(self.tr("Most weight (g)"), self.max_weight)
        form.addRow(self.tr("Most volume (cm³)"), self.max_volume)
        self.error = _editor_layout(
            self, self.table, form, self.tr("Save cart"), self.tr("Close"), self.save
        )
        self.reload()

    def reload(self) -> None:
        self.model.set_rows(self.ctx.services.run(carts.list_carts, self.ctx.actor))

    def _fill(self) -> None:
        c = self.model.rows[self.table.currentIndex().row()]
        self.code.setText(c.code)
        self.name.setText(c.name)
        self.slots.setValue(c.tote_slots)
        self.max_orders.setValue(c.max_orders)
        self.max_lines.setValue(c.max_lines)
        self.max_weight.setValue(c.max_weight_g)
        self.max_volume.setValue(c.max_volume_cm3)

    def save(self) -> None:
        try:
            self.ctx.services.run(
                carts.save_cart,
                self.ctx.actor,
                self.code.text(),
                self.slots.value(),
                name=self.name.text(),
                max_orders=self.max_orders.value(),
                max_lines=self.max_lines.value(),
                max_weight_g=self.max_weight.value(),
                max_volume_cm3=self.max_volume.value(),
            )
        except PackdeskError as exc:
            self.error.setText(error_text(exc))
            return
        self.error.clear()
        self.reload()


class RulesDialog(QDialog):
    """The wave rules, and a form to add one or change the chosen one."""

    def __init__(
        self, ctx: UiContext, cart_list: list[CartInfo], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Wave rules"))
        self.resize(900, 560)
        self.model = rules_model()
        self.table = _table(self.model)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._fill())
        self.name = QLineEdit()
        self.carrier = QLineEdit()
        self.carrier.setPlaceholderText(self.tr("carrier code; empty: any"))
        self.cutoff = QLineEdit()
        self.cutoff.setPlaceholderText(self.tr("HH:MM, e.g. 16:30"))
        self.priority = QComboBox()
        self.priority.addItem(self.tr("Any"), None)
        for p in range(0, 10):
            self.priority.addItem(str(p), p)
        self.channel = QLineEdit()
        self.channel.setPlaceholderText(self.tr("channel code; empty: any"))
        self.zone = QLineEdit()
        self.zone.setPlaceholderText(self.tr("all the order's stock in this zone; empty: any"))
        self.unit_kind = QComboBox()
        for k in UnitKind:
            self.unit_kind.addItem(unit_kind_name(k.value), k.value)
        self.method = QComboBox()
        _methods(self.method)
        self.cart = QComboBox()
        self.cart.addItem(self.tr("The first cart"), "")
        for c in cart_list:
            self.cart.addItem(f"{c.code}  {c.name}", c.code)
        self.max_orders = _spin(100_000, self.tr("no limit"))
        form = QFormLayout()
        for label, w in (
            (self.tr("Rule name"), self.name),
            (self.tr("Carrier"), self.carrier),
            (self.tr("Cut-off"), self.cutoff),
            (self.tr("Priority"), self.priority),
            (self.tr("Channel"), self.channel),
            (self.tr("Zone"), self.zone),
            (self.tr("Orders"), self.unit_kind),
            (self.tr("Pick method"), self.method),
            (self.tr("Cart"), self.cart),
            (self.tr("Most orders per wave"), self.max_orders),
        ):
            form.addRow(label, w)
        self.error = _editor_layout(
            self, self.table, form, self.tr("Save rule"), self.tr("Close"), self.save
        )
        self.reload()

    def reload(self) -> None:
        self.model.set_rows(self.ctx.services.run(wave_rules.list_rules, self.ctx.actor))

    def _fill(self) -> None:
        r = self.model.rows[self.table.currentIndex().row()]
        self.name.setText(r.name)
        self.carrier.setText(r.carrier)
        self.cutoff.setText(r.cutoff)
        self.priority.setCurrentIndex(max(0, self.priority.findData(r.priority)))
        self.channel.setText(r.channel)
        self.zone.setText(r.zone)
        self.unit_kind.setCurrentIndex(max(0, self.unit_kind.findData(r.unit_kind)))
        self.method.setCurrentIndex(max(0, self.method.findData(r.pick_method)))
        self.cart.setCurrentIndex(max(0, self.cart.findData(r.cart)))
        self.max_orders.setValue(r.max_orders)

    def save(self) -> None:
        try:
            self.ctx.services.run(
                wave_rules.save_rule,
                self.ctx.actor,
                self.name.text(),
                carrier=self.carrier.text().strip(),
                cutoff=self.cutoff.text().strip(),
                priority=self.priority.currentData(),
                channel=self.channel.text().strip(),
                zone=self.zone.text(),
                unit_kind=self.unit_kind.currentData(),
                pick_method=self.method.currentData(),
                cart=self.cart.currentData(),
                max_orders=self.max_orders.value(),
            )
        except PackdeskError as exc:
            self.error.setText(error_text(exc))
            return
        self.error.clear()
        self.reload()
