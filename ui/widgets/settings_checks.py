"""Settings section: the order checks' thresholds (审单), also reachable from the Review
screen. Saved by ``order_checks.save_settings`` (audited, MANAGE_SETTINGS)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from app.bootstrap import Services
from app.domain import settings_checks as fields
from app.domain.check_settings import RULES, CheckSettings
from app.domain.errors import PackdeskError
from app.domain.users import Actor
from app.services import order_checks
from app.services.settings_view import WarehouseSettings
from ui.widgets.settings_base import SaveCall, Section, checked
from ui.words import hold_code_names


class ChecksSection(Section):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Order checks"),
            self.tr(
                "Every imported order passes these checks before it is released; an order "
                "that fails one waits on the Review screen with the reason. Changes apply to "
                "orders checked from now on (Check again on the Review screen for held ones)."
            ),
            parent,
        )
        self._loaded_value = CheckSettings()
        self.window_hours = QSpinBox()
        self.window_hours.setRange(0, 24 * 90)
        self.window_hours.setSuffix(self.tr(" h"))
        self.add_field(
            "duplicate_window_hours", self.tr("Same customer and items within"), self.window_hours
        )
        self.max_qty = QSpinBox()
        self.max_qty.setRange(0, 1_000_000)
        self.max_qty.setSpecialValueText(self.tr("no limit"))
        self.add_field("max_line_qty", self.tr("Most units per line without review"), self.max_qty)
        self.paid = self.add_line(
            "accepted_payment_statuses", self.tr("Payment statuses that count as paid")
        )
        self.phone_countries = self.add_line(
            "phone_required_countries", self.tr("Countries where a phone is required")
        )
        self.phone_countries.setPlaceholderText("CN, US")
        self.cod = self.add_line("cod_payment_methods", self.tr("Cash-on-delivery payment methods"))
        self.unpaid_ok = self.add_line(
            "unpaid_allowed_methods", self.tr("Payment methods whose unpaid orders go out")
        )
        self.pickup = self.add_line("pickup_patterns", self.tr("Shipping methods that mean pickup"))
        self.words = QPlainTextEdit()
        self.words.setFixedHeight(90)
        self.add_field(
            "refused_address_words",
            self.tr("Address words carriers refuse (one a line)"),
            self.words,
        )
        self.allowed = QPlainTextEdit()
        self.allowed.setPlaceholderText(self.tr("PO Box; US; USPS"))
        self.allowed.setFixedHeight(90)
        self.add_field(
            "refused_address_allowed",
            self.tr("Allowed where (word; country; carrier, one a line; no carrier: any)"),
            self.allowed,
        )
        self.partial = QCheckBox(self.tr("Hold orders the channel refunded in part"))
        self.add_field("hold_partially_refunded", "", self.partial)
        rules_box = QGroupBox(self.tr("Checks that run"))
        grid = QGridLayout(rules_box)
        self.rules: dict[str, QCheckBox] = {}
        names = hold_code_names()
        for i, code in enumerate(RULES):
            box = QCheckBox(names.get(code, code))
            box.setObjectName(f"rule_{code}")
            self.rules[code] = box
            grid.addWidget(box, i // 2, i % 2)
        self.form.addRow(rules_box)
        self.watch()

    def add_line(self, key: str, caption: str) -> QLineEdit:
        edit = QLineEdit()
        self.add_field(key, caption, edit)
        return edit

    def show_value(self, data: WarehouseSettings) -> None:
        s = self._loaded_value = data.checks
        self.window_hours.setValue(s.duplicate_window_hours)
        self.max_qty.setValue(s.max_line_qty)
        self.paid.setText(", ".join(s.accepted_payment_statuses))
        self.phone_countries.setText(", ".join(s.phone_required_countries))
        self.cod.setText(", ".join(s.cod_payment_methods))
        self.unpaid_ok.setText(", ".join(s.unpaid_allowed_methods))
        self.pickup.setText(", ".join(s.pickup_patterns))
        self.words.setPlainText("\n".join(s.refused_address_words))
        self.allowed.setPlainText("\n".join("; ".join(x) for x in s.refused_address_allowed))
        self.partial.setChecked(s.hold_partially_refunded)
        for edit in (self.paid, self.phone_countries, self.cod, self.unpaid_ok, self.pickup):
            edit.setCursorPosition(0)  # a long list shows its start
        for code, box in self.rules.items():
            box.setChecked(code not in s.disabled_rules)

    def check(self) -> dict[str, PackdeskError]:
        errors: dict[str, PackdeskError] = {}
        checked(
            errors, "accepted_payment_statuses", lambda: fields.payment_statuses(self.paid.text())
        )
        checked(
            errors,
            "phone_required_countries",
            lambda: fields.country_codes(self.phone_countries.text()),
        )
        checked(
            errors, "refused_address_allowed", lambda: fields.allowances(self.allowed.toPlainText())
        )
        if not errors:
            checked(errors, "", lambda: self.value().validate())
        return errors

    def value(self) -> CheckSettings:
        return replace(
            self._loaded_value,
            duplicate_window_hours=self.window_hours.value(),
            max_line_qty=self.max_qty.value(),
            accepted_payment_statuses=fields.split_list(self.paid.text()),
            phone_required_countries=fields.split_list(self.phone_countries.text()),
            cod_payment_methods=fields.split_list(self.cod.text()),
            unpaid_allowed_methods=fields.split_list(self.unpaid_ok.text()),
            pickup_patterns=fields.split_list(self.pickup.text()),
            refused_address_words=tuple(
                w.strip() for w in self.words.toPlainText().splitlines() if w.strip()
            ),
            refused_address_allowed=fields.allowances(self.allowed.toPlainText()),
            hold_partially_refunded=self.partial.isChecked(),
            disabled_rules=tuple(c for c, box in self.rules.items() if not box.isChecked()),
        )

    def save_call(self) -> SaveCall:
        new = self.value()

        def save(services: Services, actor: Actor) -> None:
            services.run(order_checks.save_settings, actor, new)

        return save
