""" "Test on an order": type or scan an order number (or the channel's order id), optionally a
weight, and see the facts the rules used, what they chose and every rule's line of the trace
(green matched, grey not, with the reason). The test runs off the UI thread."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import PackdeskError
from app.domain.shipping_rules import RuleTrace
from app.services import shipping_choice
from app.services.shipping_choice import RuleTestReport
from ui.background import run_in_background
from ui.context import UiContext
from ui.i18n import error_text

MATCHED = "#1b5e20"
NOT_MATCHED = "#6b6b6b"
HELD_STYLE = "color: #b00020; font-size: 17pt; font-weight: bold;"
CHOSEN_STYLE = "color: #1b5e20; font-size: 17pt; font-weight: bold;"


def trace_text(line: RuleTrace) -> str:
    """A trace line's sentence in the current language."""
    template = QCoreApplication.translate("PackdeskError", line.reason)
    try:
        return template.format(**line.params)
    except (KeyError, IndexError, ValueError):
        return line.text


class RuleTestPanel(QGroupBox):
    #: a test's answer is shown (or its error)
    tested = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setTitle(self.tr("Test on an order"))
        self.report: RuleTestReport | None = None
        big = QFont(self.font())
        big.setPointSize(big.pointSize() + 4)
        self.order = QLineEdit()
        self.order.setFont(big)
        self.order.setPlaceholderText(self.tr("Scan or type an order number"))
        self.order.returnPressed.connect(self.run_test)
        self.weight = QSpinBox()
        self.weight.setFont(big)
        self.weight.setRange(0, 1_000_000)
        self.weight.setSuffix(" g")
        self.weight.setGroupSeparatorShown(True)
        self.weight.setSpecialValueText(self.tr("catalogue weight"))
        self.test_button = QPushButton(self.tr("Test"))
        self.test_button.setFont(big)
        self.test_button.clicked.connect(self.run_test)
        self.headline = QLabel()
        self.headline.setWordWrap(True)
        self.decided = QLabel()
        self.decided.setWordWrap(True)
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        medium = QFont(self.font())
        medium.setPointSize(medium.pointSize() + 2)
        for label in (self.decided, self.facts):
            label.setFont(medium)
        self.setStyleSheet("QGroupBox { font-size: 15pt; font-weight: bold; }")
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.trace = QListWidget()
        self.trace.setWordWrap(True)
        self.trace.setFont(QFont(self.font().family(), self.font().pointSize() + 2))
        row = QHBoxLayout()
        row.addWidget(self.order, 3)
        row.addWidget(self.weight, 2)
        row.addWidget(self.test_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.headline)
        layout.addWidget(self.decided)
        layout.addWidget(self.facts)
        layout.addWidget(QLabel(self.tr("Every rule, from the top:")))
        layout.addWidget(self.trace, 1)

    def test_order(self, key: str, weight_g: int | None = None) -> None:
        """Fill the fields and run the test (a scan, a test)."""
        self.order.setText(key)
        self.weight.setValue(weight_g or 0)
        self.run_test()

    def run_test(self) -> None:
        key = self.order.text().strip()
        if not key:
            return
        weight = self.weight.value() or None
        services, actor = self.ctx.services, self.ctx.actor
        run_in_background(
            self,
            lambda: services.run(shipping_choice.test_on_order, actor, key, weight),
            self._show,
            self._failed,
        )

    def _failed(self, exc: PackdeskError) -> None:
        self.report = None
        self.headline.setText(error_text(exc))
        self.headline.setStyleSheet(HELD_STYLE)
        for w in (self.decided, self.facts):
            w.clear()
        self.trace.clear()
        self.tested.emit()

    def _show(self, r: RuleTestReport) -> None:
        self.report = r
        d = r.decision
        if d.held:
            text = self.tr("{order} is held: {reason}").format(
                order=r.order_number, reason=d.hold_reason
            )
            self.headline.setStyleSheet(HELD_STYLE)
        elif r.service:
            text = self.tr("{order} ships with {service}").format(
                order=r.order_number, service=r.service
            )
            if r.package:
                text += " · " + self.tr("package {package}").format(package=r.package)
            self.headline.setStyleSheet(CHOSEN_STYLE)
        else:
            text = self.tr("{order}: no carrier service").format(order=r.order_number)
            self.headline.setStyleSheet(HELD_STYLE)
        self.headline.setText(text)
        self.decided.setText(
            self.tr("Decided by: {rules}").format(rules=", ".join(f"“{n}”" for n in r.decided_by))
            if r.decided_by
            else self.tr("No rule decided: the order keeps its own carrier service from intake.")
        )
        self.facts.setText(self._facts_text(r))
        self._fill_trace(r)
        self.tested.emit()

    def _facts_text(self, r: RuleTestReport) -> str:
        f = r.facts
        weight = f"{f.weight_g:,} g"
        if r.weight_from_catalogue:
            weight += " " + self.tr("(catalogue weight of the items)")
        place = " ".join(p for p in (f.country, f.province, f.city, f.postal_code) if p)
        rows = [
            (self.tr("Weight"), weight),
            (self.tr("Destination"), place or "—"),
            (self.tr("Order value"), f"{f.value:,.2f} {f.currency}"),
            (self.tr("Channel"), f.channel),
            (self.tr("SKUs"), ", ".join(sorted(f.skus)) or "—"),
            (self.tr("Tags"), ", ".join(sorted(f.tags)) or "—"),
            (self.tr("Shipping method"), f.shipping_method or "—"),
            (self.tr("Own carrier service"), f.own_service or "—"),
        ]
        return "<br>".join(f"<b>{escape(k)}:</b> {escape(v)}" for k, v in rows)

    def _fill_trace(self, r: RuleTestReport) -> None:
        self.trace.clear()
        n = 0
        for line in r.decision.trace:
            if line.rule_id:
                n += 1
                text = f"{n}. {line.name}: {trace_text(line)}"
            else:
                text = trace_text(line)
            item = QListWidgetItem(("✔ " if line.matched else "✗ ") + text)
            item.setForeground(QBrush(QColor(MATCHED if line.matched else NOT_MATCHED)))
            font = item.font()
            font.setBold(line.matched)
            font.setItalic(not line.rule_id)
            item.setFont(font)
            item.setData(Qt.ItemDataRole.UserRole, line.matched)
            self.trace.addItem(item)
