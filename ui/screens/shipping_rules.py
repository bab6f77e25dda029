"""Shipping rules: the ordered rules that choose each order's carrier service and package (or
hold it), edited by those who manage shipping, and "test on an order" beside them, which shows
which rule matched and why. Lists and tests load off the UI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import PackdeskError
from app.domain.scans import ScanEvent
from app.domain.shipping_rules import HOLD, STOP
from app.domain.users import Permission
from app.services import shipping_rules
from app.services.shipping_rules import RuleDraft, RuleInfo, draft_of
from ui.background import run_in_background
from ui.context import UiContext
from ui.i18n import error_text
from ui.models.waves import RowsModel
from ui.screens.base import Screen
from ui.widgets.product_tags_dialog import ProductTagsDialog
from ui.widgets.rule_editor import LIST_FIELDS, RuleEditor
from ui.widgets.rule_test_panel import RuleTestPanel

OK_STYLE = "color: #1b5e20; font-size: 14pt; font-weight: bold;"
ERROR_STYLE = "color: #b00020; font-size: 14pt; font-weight: bold;"


def _t(text: str) -> str:
    return QCoreApplication.translate("ShippingRulesScreen", text)


def _range(lo: Any, hi: Any, both: Any, at_least: Any, at_most: Any, fmt: str) -> str:
    low, high = (fmt.format(v) if v is not None else "" for v in (lo, hi))
    if lo is not None and hi is not None:
        return _t(str(both)).format(low=low, high=high)
    if lo is not None:
        return _t(str(at_least)).format(low=low)
    return _t(str(at_most)).format(high=high)


def conditions_text(c: dict[str, Any]) -> str:
    """A rule's conditions in a line: "weight ≥ 1,000 g; Provinces / states: 广东, 广西"."""
    parts = []
    lo, hi = c.get("weight_min_g"), c.get("weight_max_g")
    if lo is not None or hi is not None:
        parts.append(
            _range(
                lo,
                hi,
                QT_TRANSLATE_NOOP("ShippingRulesScreen", "weight {low}–{high} g"),
                QT_TRANSLATE_NOOP("ShippingRulesScreen", "weight ≥ {low} g"),
                QT_TRANSLATE_NOOP("ShippingRulesScreen", "weight ≤ {high} g"),
                "{:,}",
            )
        )
    vlo, vhi = c.get("value_min"), c.get("value_max")
    if vlo is not None or vhi is not None:
        parts.append(
            _range(
                vlo,
                vhi,
                QT_TRANSLATE_NOOP("ShippingRulesScreen", "value {low}–{high}"),
                QT_TRANSLATE_NOOP("ShippingRulesScreen", "value ≥ {low}"),
                QT_TRANSLATE_NOOP("ShippingRulesScreen", "value ≤ {high}"),
                "{}",
            )
        )
    for key, label, _ in LIST_FIELDS:
        if c.get(key):
            name = QCoreApplication.translate("RuleEditor", str(label))
            parts.append(f"{name}: {', '.join(c[key])}")
    return "; ".join(parts) or QCoreApplication.translate("ShippingRulesScreen", "every order")


def action_text(r: RuleInfo) -> str:
    if r.action == HOLD:
        return QCoreApplication.translate("ShippingRulesScreen", "Hold: {reason}").format(
            reason=r.hold_reason
        )
    if r.action == STOP:
        return QCoreApplication.translate("ShippingRulesScreen", "Stop here")
    chosen = " · ".join(x for x in (r.service, r.package) if x)
    return chosen + (
        "" if r.stop else " " + QCoreApplication.translate("ShippingRulesScreen", "(then go on)")
    )


def rules_model() -> RowsModel[RuleInfo]:
    return RowsModel(
        [
            (QCoreApplication.translate("ShippingRulesScreen", "#"), lambda r: r.position),
            (QCoreApplication.translate("ShippingRulesScreen", "Rule"), lambda r: r.name),
            (
                QCoreApplication.translate("ShippingRulesScreen", "On"),
                lambda r: "✔" if r.active else "—",
            ),
            (
                QCoreApplication.translate("ShippingRulesScreen", "When"),
                lambda r: conditions_text(r.conditions),
            ),
            (QCoreApplication.translate("ShippingRulesScreen", "Then"), action_text),
        ]
    )


class ShippingRulesScreen(Screen):
    permission = Permission.VIEW_ORDERS
    takes_scans = True
    #: the rules list is shown
    loaded = Signal()
    #: a change finished (its message, and whether it worked)
    acted = Signal(str, bool)

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("ShippingRulesScreen", "Shipping rules")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("ShippingRulesScreen")
        self.rules = rules_model()
        self.tags_dialog: ProductTagsDialog | None = None
        self.table = QTableView()
        self.table.setModel(self.rules)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for column, width in ((1, 230), (4, 260)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        font = self.table.font()
        font.setPointSize(font.pointSize() + 2)
        self.table.setFont(font)
        self.table.doubleClicked.connect(lambda *_: self.edit())
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        for key, text, slot in (
            ("add", self.tr("Add rule..."), self.add),
            ("edit", self.tr("Edit..."), self.edit),
            ("up", self.tr("Move up"), lambda: self.move_rule("up")),
            ("down", self.tr("Move down"), lambda: self.move_rule("down")),
            ("delete", self.tr("Delete"), self.delete),
            ("tags", self.tr("Product tags..."), self.product_tags),
        ):
            self.buttons[key] = b = QPushButton(text)
            b.clicked.connect(slot)
            b.setEnabled(ctx.can(Permission.MANAGE_SHIPPING))
            bar.addWidget(b)
        bar.addStretch(1)
        intro = QLabel(
            self.tr(
                "Rules are tried from the top. The first rule to choose a carrier service or a "
                "package wins it; a hold stops the order at the pack station with its reason."
            )
        )
        intro.setWordWrap(True)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(intro)
        ll.addLayout(bar)
        ll.addWidget(self.message)
        ll.addWidget(self.table, 1)
        self.test_panel = RuleTestPanel(ctx)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.test_panel)
        split.setSizes([640, 560])
        layout = QVBoxLayout(self)
        layout.addWidget(split)

    # --- loading ---------------------------------------------------------------------------
    def activated(self) -> None:
        self.refresh()

    def refresh(self, select_id: int | None = None) -> None:
        services, actor = self.ctx.services, self.ctx.actor
        run_in_background(
            self,
            lambda: services.run(shipping_rules.list_rules, actor),
            lambda rows: self._show(rows, select_id),
            self._failed,
        )

    def _show(self, rows: list[RuleInfo], select_id: int | None) -> None:
        current = select_id if select_id is not None else getattr(self.current(), "id", None)
        self.rules.set_rows(rows)
        self.table.resizeRowsToContents()
        row = next((i for i, r in enumerate(rows) if r.id == current), 0 if rows else -1)
        if row >= 0:
            self.table.selectRow(row)
        self.loaded.emit()

    def current(self) -> RuleInfo | None:
        idx = self.table.currentIndex()
        return self.rules.rows[idx.row()] if idx.isValid() and self.rules.rows else None

    def on_scan(self, event: object) -> None:
        if not isinstance(event, ScanEvent) or not event.text:
            return
        if self.tags_dialog is not None and self.tags_dialog.isVisible():
            self.tags_dialog.look_up(event.code or event.text)  # a product scanned in the dialog
            return
        self.test_panel.test_order(event.code or event.text)

    def product_tags(self) -> ProductTagsDialog:
        """The products and their tags (the words rules match), editable."""
        if self.tags_dialog is None:
            self.tags_dialog = ProductTagsDialog(self.ctx, self)
        self.tags_dialog.show()
        return self.tags_dialog

    # --- changing --------------------------------------------------------------------------
    def _say(self, text: str, ok: bool) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)

    def _failed(self, exc: PackdeskError) -> None:
        self._say(error_text(exc), ok=False)
        self.acted.emit(error_text(exc), False)

    def _act(self, call: Callable[[], Any], done: Callable[[Any], str], keep: int | None) -> None:
        def finished(result: Any) -> None:
            text = done(result)
            self._say(text, ok=True)
            self.refresh(keep)
            self.acted.emit(text, True)

        run_in_background(self, call, finished, self._failed)

    def open_editor(self, draft: RuleDraft) -> RuleEditor | None:
        """The editor for ``draft``, its pickers filled from the database."""
        try:
            choices = self.ctx.services.run(shipping_rules.rule_choices, self.ctx.actor)
        except PackdeskError as exc:
            self._failed(exc)
            return None
        return RuleEditor(self.ctx, draft, choices, self)

    def _edit(self, draft: RuleDraft) -> None:
        editor = self.open_editor(draft)
        if editor is not None and editor.exec():
            self._say(
                self.tr("Rule “{rule}” saved.").format(rule=editor.draft_now().name.strip()), True
            )
            self.refresh(editor.saved_id)

    def add(self) -> None:
        self._edit(RuleDraft(name=""))

    def edit(self) -> None:
        rule = self.current()
        if rule is not None and self.ctx.can(Permission.MANAGE_SHIPPING):
            self._edit(draft_of(rule))

    def move_rule(self, direction: str) -> None:
        rule = self.current()
        if rule is None:
            return
        s, a = self.ctx.services, self.ctx.actor
        self._act(
            lambda: s.run(shipping_rules.move_rule, a, rule.id, direction),
            lambda pos: self.tr("“{rule}” is now rule {n}.").format(rule=rule.name, n=pos),
            rule.id,
        )

    def delete(self) -> None:
        rule = self.current()
        if rule is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Shipping rules"),
            self.tr("Delete the rule “{rule}”?").format(rule=rule.name),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        s, a = self.ctx.services, self.ctx.actor
        self._act(
            lambda: s.run(shipping_rules.delete_rule, a, rule.id),
            lambda _: self.tr("Rule “{rule}” deleted.").format(rule=rule.name),
            None,
        )
