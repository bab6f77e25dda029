"""Review (审单): the orders the checks held, with their reasons. The reviewer opens one, corrects
its address, phone or lines and saves (the checks run again: it is released when all pass), or
releases, holds or cancels the selected orders. Supervisors change the checks' thresholds."""

from __future__ import annotations

import html
from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.check_settings import RULES, CheckSettings
from app.domain.errors import PackdeskError, PermissionDenied
from app.domain.holds import STOP_CODES
from app.domain.users import Permission
from app.services import order_checks, order_review, orders
from app.services.order_checks import CheckResult
from app.services.order_review import AddressEdit, EditableOrder, EditLine
from app.services.orders import OrderQuery, OrderRow
from ui.context import UiContext
from ui.i18n import error_text, hold_text
from ui.live import LiveRefresh
from ui.models.orders import OrdersTableModel
from ui.screens.base import Screen
from ui.screens.order_detail import protected_note
from ui.screens.review_mapping import ReviewLineMapper
from ui.widgets.order_actions import OrderActionsBar
from ui.words import hold_code_names, hold_reason_filter

Index = QModelIndex | QPersistentModelIndex
OK_COLOUR, ERROR_COLOUR = "#1b5e20", "#b00020"


class LinesModel(QAbstractTableModel):
    """An order's lines in the editor: SKU, quantity and name can be changed. A line partly
    fulfilled in the channel shows a box to tick once its quantity is the one still to ship."""

    SKU, QTY, NAME, KNOWN, CHECKED, LISTING = range(6)

    def __init__(self) -> None:
        super().__init__()
        self._lines: list[EditLine] = []
        #: line number -> where a mapped line came from ("from listing 'Tee 6-pack' × 1")
        self._sources: dict[int, str] = {}
        self._headers = (
            self.tr("SKU"),
            self.tr("Qty"),
            self.tr("Name"),
            self.tr("Known"),
            self.tr("Partly shipped"),
            self.tr("Channel's listing"),
        )

    def set_lines(self, lines: tuple[EditLine, ...]) -> None:
        self.beginResetModel()
        self._lines = list(lines)
        self._sources = {}
        self.endResetModel()

    def set_sources(self, sources: dict[int, str]) -> None:
        self._sources = dict(sources)
        if self._lines:
            last = self.index(len(self._lines) - 1, self.LISTING)
            self.dataChanged.emit(self.index(0, self.LISTING), last)

    def line_no(self, row: int) -> int | None:
        return self._lines[row].line_no if 0 <= row < len(self._lines) else None

    def lines(self) -> tuple[EditLine, ...]:
        return tuple(self._lines)

    def add_line(self) -> None:
        n = len(self._lines)
        self.beginInsertRows(QModelIndex(), n, n)
        self._lines.append(EditLine(None, "", 1, "", False))
        self.endInsertRows()

    def remove_line(self, row: int) -> None:
        if 0 <= row < len(self._lines):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._lines[row]
            self.endRemoveRows()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 6

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        ln = self._lines[index.row()]
        col = index.column()
        if col == self.CHECKED:
            return self._checked_data(ln, role)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == self.SKU:
                return ln.sku
            if col == self.QTY:
                return ln.qty if role == Qt.ItemDataRole.EditRole else str(ln.qty)
            if col == self.NAME:
                return ln.name
            if col == self.LISTING:
                return self._sources.get(ln.line_no, "") if ln.line_no is not None else ""
            return self.tr("yes") if ln.known else self.tr("no")
        source = self._sources.get(ln.line_no, "") if ln.line_no is not None else ""
        if role == Qt.ItemDataRole.ToolTipRole and col == self.LISTING and source:
            return self.tr("{qty} × {product} (from listing {listing})").format(
                qty=ln.qty, product=ln.name or ln.sku, listing=source
            )
        if role == Qt.ItemDataRole.ForegroundRole and col == self.KNOWN and not ln.known:
            return QBrush(QColor(ERROR_COLOUR))
        return None

    def _checked_data(self, ln: EditLine, role: int) -> Any:
        if not ln.partly_fulfilled:
            return None
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if ln.qty_confirmed else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DisplayRole:
            return self.tr("Quantity checked")
        if role == Qt.ItemDataRole.ForegroundRole and not ln.qty_confirmed:
            return QBrush(QColor(ERROR_COLOUR))
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        ln = self._lines[index.row()]
        col = index.column()
        if col == self.CHECKED and role == Qt.ItemDataRole.CheckStateRole and ln.partly_fulfilled:
            checked = Qt.CheckState(value) == Qt.CheckState.Checked
            self._lines[index.row()] = replace(ln, qty_confirmed=checked)
            self.dataChanged.emit(index, index, [role])
            return True
        if role != Qt.ItemDataRole.EditRole:
            return False
        if col == self.SKU:
            new = replace(ln, sku=str(value).strip())
        elif col == self.QTY:
            try:
                new = replace(ln, qty=int(value))
            except (TypeError, ValueError):
                return False
        elif col == self.NAME:
            new = replace(ln, name=str(value))
        else:
            return False
        self._lines[index.row()] = new
        self.dataChanged.emit(index, index, [role])
        return True

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if not index.isValid():
            return base
        if index.column() == self.CHECKED:
            if self._lines[index.row()].partly_fulfilled:
                return base | Qt.ItemFlag.ItemIsUserCheckable
            return base
        if index.column() not in (self.KNOWN, self.LISTING):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return None


class OrderEditor(QGroupBox):
    """The held order being corrected: its reasons, address and lines."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("order_editor")
        self.order: EditableOrder | None = None
        self.reasons = QLabel()
        self.reasons.setObjectName("reasons")
        self.reasons.setWordWrap(True)
        self.reasons.setTextFormat(Qt.TextFormat.PlainText)
        font = QFont(self.reasons.font())
        font.setPointSize(font.pointSize() + 2)
        font.setBold(True)
        self.reasons.setFont(font)
        self.reasons.setStyleSheet(f"color: {ERROR_COLOUR};")
        # a line without a product: mapping it is one click (or Ctrl+M) from its hold reason
        self.map_link = QLabel(
            '<a href="map">{}</a>'.format(
                html.escape(self.tr("Map the line to a product… (Ctrl+M)"))
            )
        )
        self.map_link.setObjectName("map_link")
        self.map_link.setTextFormat(Qt.TextFormat.RichText)
        self.map_button = QPushButton(self.tr("Map to product…"))
        self.map_button.setObjectName("map_line")
        self.map_button.setToolTip(self.tr("Ctrl+M: map the line without a known product"))
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout()
        labels = {
            "name": self.tr("Recipient"),
            "phone": self.tr("Phone"),
            "company": self.tr("Company"),
            "country": self.tr("Country (two letters)"),
            "province": self.tr("Province / state"),
            "city": self.tr("City"),
            "district": self.tr("District"),
            "street": self.tr("Street address"),
            "street2": self.tr("Address line 2"),
            "postal_code": self.tr("Postal code"),
        }
        for key in order_review.ADDRESS_FIELDS:
            edit = QLineEdit()
            edit.setObjectName(f"edit_{key}")
            self.fields[key] = edit
            form.addRow(labels[key], edit)
        self.lines = LinesModel()
        self.lines_table = QTableView()
        self.lines_table.setObjectName("lines_table")
        self.lines_table.setModel(self.lines)
        self.lines_table.verticalHeader().setVisible(False)
        self.lines_table.horizontalHeader().setStretchLastSection(True)
        self.lines_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.add_line_button = QPushButton(self.tr("Add line"))
        self.remove_line_button = QPushButton(self.tr("Remove line"))
        self.add_line_button.clicked.connect(self.lines.add_line)
        self.remove_line_button.clicked.connect(
            lambda: self.lines.remove_line(self.lines_table.currentIndex().row())
        )
        line_buttons = QHBoxLayout()
        line_buttons.addWidget(self.map_button)
        line_buttons.addWidget(self.add_line_button)
        line_buttons.addWidget(self.remove_line_button)
        line_buttons.addStretch(1)
        self.save_button = QPushButton(self.tr("Save and check again"))
        self.save_button.setObjectName("save")
        self.protected = protected_note(self)
        self.protected.setVisible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.reasons)
        layout.addWidget(self.protected)
        layout.addWidget(self.map_link)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("Lines")))
        layout.addWidget(self.lines_table, 1)
        layout.addLayout(line_buttons)
        layout.addWidget(self.save_button)
        self.show_order(None)

    def show_order(self, order: EditableOrder | None) -> None:
        self.order = order
        for w in (
            *self.fields.values(),
            self.lines_table,
            self.save_button,
            self.add_line_button,
            self.remove_line_button,
        ):
            w.setEnabled(order is not None)
        self.protected.setVisible(order is not None and order.recipient_protected)
        if order is not None and any(code in STOP_CODES for code, _ in order.holds):
            # put the items back and cancel it: there is nothing to correct
            for w in (*self.fields.values(), self.lines_table, self.save_button):
                w.setEnabled(False)
            for w in (self.add_line_button, self.remove_line_button):
                w.setEnabled(False)
        unmapped = order is not None and any(not ln.known for ln in order.lines)
        self.map_button.setEnabled(unmapped)
        self.map_link.setVisible(unmapped)
        if order is None:
            self.setTitle(self.tr("Choose a held order"))
            self.reasons.clear()
            for edit in self.fields.values():
                edit.clear()
            self.lines.set_lines(())
            return
        self.setTitle(
            self.tr("Order {number} ({channel} {external})").format(
                number=order.number, channel=order.channel, external=order.external_id
            )
        )
        names = hold_code_names()
        line = self.tr("{name}: {reason}")
        self.reasons.setText(
            "\n".join(
                line.format(
                    name=names.get(code, code), reason=hold_text(h.reason, h.template, h.params)
                )
                for code, h in order.holds
            )
        )
        for key, edit in self.fields.items():
            edit.setText(getattr(order.address, key))
        self.lines.set_lines(order.lines)

    def address(self) -> AddressEdit:
        return AddressEdit(**{k: e.text() for k, e in self.fields.items()})


class CheckSettingsDialog(QDialog):
    """The checks' thresholds, for supervisors."""

    def __init__(self, settings: CheckSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CheckSettingsDialog")
        self.setWindowTitle(self.tr("Check settings"))
        self._loaded = settings
        self.window_hours = QSpinBox()
        self.window_hours.setRange(0, 24 * 90)
        self.window_hours.setSuffix(self.tr(" h"))
        self.window_hours.setValue(settings.duplicate_window_hours)
        self.max_qty = QSpinBox()
        self.max_qty.setRange(0, 1_000_000)
        self.max_qty.setSpecialValueText(self.tr("no limit"))
        self.max_qty.setValue(settings.max_line_qty)
        self.paid = QLineEdit(", ".join(settings.accepted_payment_statuses))
        self.phone_countries = QLineEdit(", ".join(settings.phone_required_countries))
        self.cod = QLineEdit(", ".join(settings.cod_payment_methods))
        self.cod.setObjectName("cod_methods")
        self.unpaid_ok = QLineEdit(", ".join(settings.unpaid_allowed_methods))
        self.unpaid_ok.setObjectName("unpaid_allowed_methods")
        self.pickup = QLineEdit(", ".join(settings.pickup_patterns))
        self.pickup.setObjectName("pickup_patterns")
        self.words = QPlainTextEdit("\n".join(settings.refused_address_words))
        self.words.setFixedHeight(100)
        self.allowed = QPlainTextEdit(
            "\n".join("; ".join(x) for x in settings.refused_address_allowed)
        )
        self.allowed.setObjectName("refusedAllowed")
        self.allowed.setPlaceholderText(self.tr("PO Box; US; USPS"))
        self.allowed.setFixedHeight(100)
        self.partial = QCheckBox(self.tr("Hold orders the channel refunded in part"))
        self.partial.setChecked(settings.hold_partially_refunded)
        self.rules: dict[str, QCheckBox] = {}
        names = hold_code_names()
        rules_box = QGroupBox(self.tr("Checks that run"))
        rl = QVBoxLayout(rules_box)
        for code in RULES:
            box = QCheckBox(names.get(code, code))
            box.setChecked(code not in settings.disabled_rules)
            self.rules[code] = box
            rl.addWidget(box)
        form = QFormLayout()
        form.addRow(self.tr("Same customer and items within"), self.window_hours)
        form.addRow(self.tr("Most units per line without review"), self.max_qty)
        form.addRow(self.tr("Payment statuses that count as paid"), self.paid)
        form.addRow(self.tr("Countries where a phone is required"), self.phone_countries)
        form.addRow(self.tr("Cash-on-delivery payment methods"), self.cod)
        form.addRow(self.tr("Payment methods whose unpaid orders go out"), self.unpaid_ok)
        form.addRow(self.tr("Shipping methods that mean pickup"), self.pickup)
        form.addRow(self.tr("Address words carriers refuse (one a line)"), self.words)
        form.addRow(
            self.tr("Allowed where (word; country; carrier, one a line;\nno carrier: any)"),
            self.allowed,
        )
        form.addRow(self.partial)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        left.addLayout(form)
        left.addStretch(1)
        left.addWidget(buttons)
        layout.addLayout(left, 2)
        layout.addWidget(rules_box, 1)

    def settings(self) -> CheckSettings:
        def split(text: str) -> tuple[str, ...]:
            return tuple(p.strip() for p in text.replace("，", ",").split(",") if p.strip())

        return replace(
            self._loaded,
            duplicate_window_hours=self.window_hours.value(),
            accepted_payment_statuses=split(self.paid.text()),
            hold_partially_refunded=self.partial.isChecked(),
            refused_address_words=tuple(
                w.strip() for w in self.words.toPlainText().splitlines() if w.strip()
            ),
            refused_address_allowed=tuple(
                _allowance(line) for line in self.allowed.toPlainText().splitlines() if line.strip()
            ),
            phone_required_countries=split(self.phone_countries.text()),
            cod_payment_methods=split(self.cod.text()),
            unpaid_allowed_methods=split(self.unpaid_ok.text()),
            pickup_patterns=split(self.pickup.text()),
            max_line_qty=self.max_qty.value(),
            disabled_rules=tuple(c for c, box in self.rules.items() if not box.isChecked()),
        )


def _allowance(line: str) -> tuple[str, str, str]:
    """ "PO Box; US; USPS" -> ("PO Box", "US", "USPS"); a missing carrier is any carrier."""
    parts = [p.strip() for p in line.replace("；", ";").split(";")]
    word, country, carrier = [*parts, "", "", ""][:3]
    return (word, country.upper(), carrier)


class ReviewScreen(Screen):
    permission = Permission.RELEASE_ORDERS

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("ReviewScreen", "Review")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("ReviewScreen")
        self.model = OrdersTableModel(self._fetch_page)
        self.model.load_failed.connect(self._show_problem)
        self.hold_reason = hold_reason_filter(self.tr("All hold reasons"))
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Order number, channel order id, name or phone"))
        self.count = QLabel()
        self.count.setObjectName("count")
        font = QFont(self.count.font())
        font.setPointSize(font.pointSize() + 3)
        font.setBold(True)
        self.count.setFont(font)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.recheck_button = QPushButton(self.tr("Check again"))
        self.recheck_button.setObjectName("recheck")
        self.settings_button = QPushButton(self.tr("Check settings…"))
        self.settings_button.setObjectName("settings")
        self.settings_button.setEnabled(ctx.can(Permission.MANAGE_SETTINGS))
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        mfont = QFont(self.message.font())
        mfont.setPointSize(mfont.pointSize() + 2)
        mfont.setBold(True)
        self.message.setFont(mfont)

        self.table = QTableView()
        self.table.setObjectName("review_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        vh = self.table.verticalHeader()
        vh.setVisible(False)
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.horizontalHeader().setStretchLastSection(True)
        # the review needs the order, who, where and why: the other columns stay in Orders
        for col in (1, 4, 5, 6, 7, 8, 9):
            self.table.setColumnHidden(col, True)
        for col, width in ((0, 120), (2, 90), (3, 100)):
            self.table.setColumnWidth(col, width)

        self.editor = OrderEditor()
        self.editor.save_button.clicked.connect(self.save)
        self.action_bar = OrderActionsBar(ctx, self.selected_ids)
        self.action_bar.changed.connect(self._after_action)
        self.mapper = ReviewLineMapper(ctx, self.editor, self)
        self.mapper.mapped.connect(self._mapped)
        self.mapper.problem.connect(self._show_problem)
        QShortcut(QKeySequence("Ctrl+M"), self, self.mapper.map_line)

        bar = QHBoxLayout()
        bar.addWidget(self.count)
        bar.addWidget(self.hold_reason)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.refresh_button)
        bar.addWidget(self.recheck_button)
        bar.addWidget(self.settings_button)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(self.editor)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(split, 1)
        layout.addWidget(self.action_bar)

        self.hold_reason.currentIndexChanged.connect(lambda _i: self.reload())
        self.search.returnPressed.connect(self.reload)
        self.refresh_button.clicked.connect(self.reload)
        self.recheck_button.clicked.connect(self.recheck)
        self.settings_button.clicked.connect(self.edit_settings)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection())
        self.model.modelReset.connect(lambda: self.action_bar.update_buttons(0))
        # orders changed here or at another station: read again, coalesced (ui/live.py)
        self.live = LiveRefresh(self, ctx.bus, ("order",), self._live_reload)
        self._loaded = False

    # -- the queue ----------------------------------------------------------------------------
    def _fetch_page(self, query: OrderQuery, after_id: int | None, limit: int) -> list[OrderRow]:
        return self.ctx.services.run(
            orders.list_orders, self.ctx.actor, query, after_id=after_id, limit=limit
        )

    def query(self) -> OrderQuery:
        return OrderQuery(
            status="on_hold",
            hold_code=self.hold_reason.currentData(),
            search=self.search.text(),
            stop_first=True,
        )

    def activated(self) -> None:
        if not self._loaded:
            self.reload()
        else:
            self.live.shown()

    def reload(self) -> None:
        self._loaded = True
        q = self.query()
        self.model.set_query(q)
        try:
            n, more = self.ctx.services.run(orders.count_orders, self.ctx.actor, q)
        except PackdeskError as exc:
            self._show_problem(error_text(exc))
            return
        if n == 1 and not more:
            self.count.setText(self.tr("1 order held"))
        else:
            self.count.setText(self.tr("{n} orders held").format(n=f"{n:,}+" if more else f"{n:,}"))
        if self.model.rowCount():
            self.table.selectRow(0)
        else:
            self.editor.show_order(None)

    def _live_reload(self) -> None:
        if self._loaded:
            self.reload()

    def selected_ids(self) -> list[int]:
        rows = sorted(i.row() for i in self.table.selectionModel().selectedRows())
        return [self.model.order_id(r) for r in rows]

    def _selection(self) -> None:
        ids = self.selected_ids()
        self.action_bar.update_buttons(len(ids))
        self.recheck_button.setEnabled(bool(ids))
        if len(ids) != 1:
            self.editor.show_order(None)
            return
        self.open_order(ids[0])

    def open_order(self, order_id: int) -> None:
        try:
            order = self.ctx.services.run(order_review.editable_order, self.ctx.actor, order_id)
        except PermissionDenied as exc:
            self._show_problem(error_text(exc))
            self.editor.show_order(None)
            return
        except PackdeskError as exc:
            self._show_problem(error_text(exc))
            return
        self.editor.show_order(order)
        self.mapper.load(order)

    # -- what the reviewer does -----------------------------------------------------------------
    def save(self) -> None:
        order = self.editor.order
        if order is None:
            return
        lines = self.editor.lines.lines()
        try:
            result = self.ctx.services.run(
                order_review.edit_order,
                self.ctx.actor,
                order.id,
                version=order.version,
                address=self.editor.address(),
                lines=lines if lines != order.lines else None,
            )
        except PackdeskError as exc:
            self._show_problem(error_text(exc))
            return
        self._show_result([result])
        self.ctx.bus.notify("order", [order.id])
        self.reload()

    def recheck(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        try:
            results = self.ctx.services.run(order_checks.recheck, self.ctx.actor, ids)
        except PackdeskError as exc:
            self._show_problem(error_text(exc))
            return
        self._show_result(results)
        self.ctx.bus.notify("order", ids)
        self.reload()

    def _show_result(self, results: list[CheckResult]) -> None:
        released = [r.number for r in results if r.status == "released"]
        held = [r for r in results if r.held]
        parts = []
        if released:
            parts.append(
                self.tr("Passes every check and is released: {numbers}").format(
                    numbers=", ".join(released)
                )
            )
        names = hold_code_names()
        for r in held:
            parts.append(
                self.tr("{number} is still held: {reasons}").format(
                    number=r.number,
                    reasons="; ".join(names.get(f.code, f.code) for f in r.failures)
                    or self.tr("a reviewer's hold"),
                )
            )
        colour = ERROR_COLOUR if held else OK_COLOUR
        self.message.setStyleSheet(f"color: {colour};")
        self.message.setText("\n".join(parts))

    def _mapped(self, text: str) -> None:
        self.message.setStyleSheet(f"color: {OK_COLOUR};")
        self.message.setText(text)
        self.ctx.bus.notify("order")
        self.reload()

    def _after_action(self, ids: list[int]) -> None:
        self.ctx.bus.notify("order", ids)
        self.reload()

    def edit_settings(self) -> None:
        try:
            current = self.ctx.services.run(order_checks.load_settings)
        except PackdeskError as exc:
            self._show_problem(error_text(exc))
            return
        dialog = CheckSettingsDialog(current, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.save_settings(dialog.settings())

    def save_settings(self, new: CheckSettings) -> bool:
        try:
            self.ctx.services.run(order_checks.save_settings, self.ctx.actor, new)
        except PackdeskError as exc:
            self._show_problem(error_text(exc))
            return False
        self.message.setStyleSheet(f"color: {OK_COLOUR};")
        self.message.setText(
            self.tr("The check settings were saved. Use Check again to apply them to held orders.")
        )
        return True

    def _show_problem(self, text: str) -> None:
        self.message.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.message.setText(text)
