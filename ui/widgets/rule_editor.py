"""The shipping rule editor: a rule's name, every condition and its action (carrier service and
package pickers filled from the database). Saving goes through ``shipping_rules.save_rule``;
an operator error stays in the dialog, in red, and nothing is saved."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import PackdeskError
from app.domain.shipping_rules import HOLD, SET, STOP
from app.services import shipping_rules
from app.services.shipping_rules import RuleChoices, RuleDraft
from ui.context import UiContext
from ui.i18n import error_text

#: the list conditions with their labels and examples (translated when shown)
LIST_FIELDS = (
    ("countries", QT_TRANSLATE_NOOP("RuleEditor", "Countries"), "CN, HK"),
    ("provinces", QT_TRANSLATE_NOOP("RuleEditor", "Provinces / states"), "广东, 广西"),
    ("cities", QT_TRANSLATE_NOOP("RuleEditor", "Cities"), "深圳, 广州"),
    ("postal_prefixes", QT_TRANSLATE_NOOP("RuleEditor", "Postal codes starting with"), "518, 5100"),
    ("channels", QT_TRANSLATE_NOOP("RuleEditor", "Channels"), "taobao, shopify"),
    ("skus", QT_TRANSLATE_NOOP("RuleEditor", "SKUs (any item)"), "CUP-1, CUP-2"),
    ("tags", QT_TRANSLATE_NOOP("RuleEditor", "Product tags (any item)"), "fragile, liquid"),
    (
        "shipping_methods",
        QT_TRANSLATE_NOOP("RuleEditor", "Shipping method contains"),
        "express, 顺丰",
    ),
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("RuleEditor", text)


def _grams() -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(0, 1_000_000)
    spin.setSuffix(" g")
    spin.setGroupSeparatorShown(True)
    spin.setSpecialValueText(QCoreApplication.translate("RuleEditor", "any"))
    return spin


class RuleEditor(QDialog):
    """Edit ``draft`` (a new rule when its id is None); ``saved_id`` is set once it is saved."""

    def __init__(
        self, ctx: UiContext, draft: RuleDraft, choices: RuleChoices, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx, self.draft = ctx, draft
        self.saved_id: int | None = None
        self.setWindowTitle(self.tr("New shipping rule") if draft.id is None else draft.name)
        self.name = QLineEdit(draft.name)
        self.active = QCheckBox(self.tr("Rule is on"))
        self.active.setChecked(draft.active)
        c = draft.conditions
        self.weight_min, self.weight_max = _grams(), _grams()
        self.weight_min.setValue(int(c.get("weight_min_g") or 0))
        self.weight_max.setValue(int(c.get("weight_max_g") or 0))
        self.value_min = QLineEdit(str(c.get("value_min", "")))
        self.value_max = QLineEdit(str(c.get("value_max", "")))
        for edit in (self.value_min, self.value_max):
            edit.setPlaceholderText(self.tr("any"))
        self.lists: dict[str, QLineEdit] = {}
        for key, _, example in LIST_FIELDS:
            edit = QLineEdit(", ".join(c.get(key) or []))
            edit.setPlaceholderText(self.tr("any (e.g. {example})").format(example=example))
            self.lists[key] = edit
        self.action = QComboBox()
        self.action.addItem(self.tr("Set carrier service and/or package"), SET)
        self.action.addItem(self.tr("Hold the order"), HOLD)
        self.action.addItem(self.tr("Stop: try no later rule"), STOP)
        self.action.setCurrentIndex(max(self.action.findData(draft.action), 0))
        self.service = self._picker(choices.services, draft.carrier_service_id)
        self.package = self._picker(choices.packages, draft.package_type_id)
        self.stop = QCheckBox(self.tr("When it matches, stop: later rules are not tried"))
        self.stop.setChecked(draft.stop)
        self.hold_reason = QLineEdit(draft.hold_reason)
        self.hold_reason.setPlaceholderText(self.tr("what the packer reads: Call the customer"))
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020; font-weight: bold;")
        self.action.currentIndexChanged.connect(self._action_changed)
        self._layout()
        self._action_changed()

    def _picker(self, options: Any, chosen: int | None) -> QComboBox:
        combo = QComboBox()
        combo.addItem(self.tr("— keep as it is —"), None)
        for o in options:
            combo.addItem(o.label, o.id)
        combo.setCurrentIndex(max(combo.findData(chosen), 0) if chosen is not None else 0)
        return combo

    def _pair(self, a: QWidget, b: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(a)
        row.addWidget(QLabel(self.tr("to")))
        row.addWidget(b)
        return row

    def _layout(self) -> None:
        top = QFormLayout()
        top.addRow(self.tr("Name"), self.name)
        top.addRow("", self.active)
        when = QFormLayout()
        when.addRow(self.tr("Parcel weight"), self._pair(self.weight_min, self.weight_max))
        when.addRow(self.tr("Order value"), self._pair(self.value_min, self.value_max))
        for key, label, _ in LIST_FIELDS:
            when.addRow(_tr(str(label)), self.lists[key])
        then = QFormLayout()
        then.addRow(self.tr("Action"), self.action)
        then.addRow(self.tr("Carrier service"), self.service)
        then.addRow(self.tr("Package"), self.package)
        then.addRow("", self.stop)
        then.addRow(self.tr("Hold reason"), self.hold_reason)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        hint = QLabel(
            self.tr(
                "Every condition given must hold; a list holds when any of its entries does "
                "(separate entries with commas). Leave a condition empty to ignore it."
            )
        )
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(QLabel("<b>" + self.tr("When") + "</b>"))
        layout.addWidget(hint)
        layout.addLayout(when)
        layout.addWidget(QLabel("<b>" + self.tr("Then") + "</b>"))
        layout.addLayout(then)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _action_changed(self) -> None:
        action = self.action.currentData()
        for w in (self.service, self.package, self.stop):
            w.setEnabled(action == SET)
        self.hold_reason.setEnabled(action == HOLD)

    def draft_now(self) -> RuleDraft:
        """The rule as the form shows it."""
        conditions: dict[str, Any] = {
            key: [e.strip() for e in edit.text().replace("，", ",").split(",") if e.strip()]
            for key, edit in self.lists.items()
        }
        if self.weight_min.value():
            conditions["weight_min_g"] = self.weight_min.value()
        if self.weight_max.value():
            conditions["weight_max_g"] = self.weight_max.value()
        for key, edit in (("value_min", self.value_min), ("value_max", self.value_max)):
            if edit.text().strip():
                conditions[key] = edit.text().strip()
        return RuleDraft(
            name=self.name.text(),
            action=self.action.currentData(),
            conditions=conditions,
            carrier_service_id=self.service.currentData(),
            package_type_id=self.package.currentData(),
            hold_reason=self.hold_reason.text(),
            stop=self.stop.isChecked(),
            active=self.active.isChecked(),
            id=self.draft.id,
        )

    def save(self) -> None:
        try:
            self.saved_id = self.ctx.services.run(
                shipping_rules.save_rule, self.ctx.actor, self.draft_now()
            )
        except PackdeskError as exc:
            self.error.setText(error_text(exc))
            return
        self.accept()
