"""An order's detail: lines, where its stock is reserved, address (masked unless revealed), the
hold history, the status history and its parcels' tracking history (newest first)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import PackdeskError
from app.domain.users import Permission
from app.services import delivery, orders
from app.services.delivery import TrackingEventView
from app.services.orders import OrderDetail
from ui.context import UiContext
from ui.errors import show_error
from ui.i18n import hold_text
from ui.models.delivery import history_rows
from ui.words import note_text, payment_name, status_name


def _table(headers: list[str], rows: list[list[str]]) -> QTableWidget:
    """A small read-only table (an order has a handful of lines: no paging needed)."""
    table = QTableWidget(len(rows), len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))
    return table


def protected_note(parent: QWidget) -> QLabel:
    """The note on an order whose recipient the platform masks or encrypts."""
    note = QLabel(
        QCoreApplication.translate(
            "ProtectedRecipient",
            "Recipient protected by the platform: ship with the platform's e-waybill "
            "(电子面单), which prints the real name, phone and address.",
        ),
        parent,
    )
    note.setObjectName("recipient_protected")
    note.setWordWrap(True)
    font = QFont(note.font())
    font.setBold(True)
    font.setPointSize(font.pointSize() + 1)
    note.setFont(font)
    note.setStyleSheet("color: #8a4b00; background: #fff4e0; padding: 6px;")
    return note


def _when(dt: object) -> str:
    return dt.astimezone().strftime("%Y-%m-%d %H:%M") if dt is not None else ""  # type: ignore[attr-defined]


class OrderDetailDialog(QDialog):
    def __init__(self, ctx: UiContext, order_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.order_id = order_id
        self.setObjectName("OrderDetailDialog")
        self.resize(1000, 720)
        self._layout = QVBoxLayout(self)
        self._body: QWidget | None = None
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.reveal_button = QPushButton(self.tr("Show personal data"))
        self.reveal_button.setObjectName("reveal")
        self.reveal_button.setToolTip(
            self.tr("Shows the full name, phone and address. This is recorded in the audit log.")
        )
        self.reveal_button.setVisible(ctx.can(Permission.REVEAL_PERSONAL_DATA))
        self.reveal_button.clicked.connect(lambda: self.load(reveal=True))
        buttons.addButton(self.reveal_button, QDialogButtonBox.ButtonRole.ActionRole)
        self._buttons = buttons
        self.load(reveal=False)

    def load(self, reveal: bool) -> None:
        try:
            detail = self.ctx.services.run(
                orders.order_detail, self.ctx.actor, self.order_id, reveal=reveal
            )
            events = self.ctx.services.run(delivery.tracking_history, self.ctx.actor, self.order_id)
        except PackdeskError as exc:
            show_error(self, exc)
            return
        self.events = events
        if reveal:
            self.reveal_button.setEnabled(False)
        self.detail = detail
        if self._body is not None:
            self._layout.removeWidget(self._body)
            self._body.deleteLater()
        self._body = self._build(detail)
        self._layout.insertWidget(0, self._body)
        if self._layout.indexOf(self._buttons) < 0:
            self._layout.addWidget(self._buttons)
        self.setWindowTitle(self.tr("Order {number}").format(number=detail.number))

    def _build(self, d: OrderDetail) -> QWidget:
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel(f"{d.number}  ·  {status_name(d.status)}")
        font = QFont(title.font())
        font.setPointSize(20)
        font.setBold(True)
        title.setFont(font)
        title.setObjectName("title")
        layout.addWidget(title)

        top = QHBoxLayout()
        info = QGroupBox(self.tr("Order"))
        form = QFormLayout(info)
        form.addRow(self.tr("Channel"), QLabel(d.channel))
        form.addRow(self.tr("Channel order id"), QLabel(d.external_id))
        form.addRow(self.tr("Placed"), QLabel(_when(d.placed_at)))
        form.addRow(self.tr("Total"), QLabel(f"{d.total:,.2f} {d.currency}"))
        form.addRow(self.tr("Payment"), QLabel(payment_name(d.payment_status)))
        if d.note:
            form.addRow(self.tr("Note"), QLabel(d.note))
        top.addWidget(info)

        addr = QGroupBox(self.tr("Ship to"))
        aform = QFormLayout(addr)
        a = d.address
        if a is None:
            aform.addRow(QLabel(self.tr("No address")))
        else:
            aform.addRow(self.tr("Name"), QLabel(a.name))
            aform.addRow(self.tr("Phone"), QLabel(a.phone))
            region = " ".join(p for p in (a.province, a.city, a.district) if p)
            aform.addRow(self.tr("Region"), QLabel(f"{region} ({a.country})"))
            aform.addRow(
                self.tr("Street"), QLabel("\n".join(p for p in (a.street, a.street2) if p))
            )
            aform.addRow(self.tr("Postal code"), QLabel(a.postal_code))
            if a.masked:
                note = QLabel(self.tr("Personal data is partly hidden."))
                note.setStyleSheet("color: #555;")
                aform.addRow(note)
        if d.recipient_protected:
            aform.addRow(protected_note(self))
        top.addWidget(addr)
        layout.addLayout(top)

        layout.addWidget(QLabel(self.tr("Lines")))
        lines = _table(
            [
                self.tr("#"),
                self.tr("SKU"),
                self.tr("Product"),
                self.tr("Qty"),
                self.tr("Unit price"),
                self.tr("Backordered"),
            ],
            [
                [
                    str(ln.line_no),
                    ln.sku + ("" if ln.known_product else " (?)"),
                    ln.name,
                    str(ln.qty),
                    f"{ln.unit_price:,.2f}",
                    str(ln.qty_backordered or ""),
                ]
                for ln in d.lines
            ],
        )
        lines.setObjectName("lines")
        layout.addWidget(lines)

        if d.allocations:
            layout.addWidget(QLabel(self.tr("Reserved stock")))
            allocations = _table(
                [
                    self.tr("#"),
                    self.tr("SKU"),
                    self.tr("Location"),
                    self.tr("Lot"),
                    self.tr("Expiry"),
                    self.tr("Qty"),
                ],
                [
                    [
                        str(a.line_no),
                        a.sku,
                        a.location,
                        a.lot,
                        a.expiry.isoformat() if a.expiry else "",
                        str(a.qty),
                    ]
                    for a in d.allocations
                ],
            )
            allocations.setObjectName("allocations")
            layout.addWidget(allocations)

        if d.holds:
            layout.addWidget(QLabel(self.tr("Hold reasons")))
            holds = _table(
                [
                    self.tr("Since"),
                    self.tr("Held by"),
                    self.tr("Resolved"),
                    self.tr("Resolved by"),
                    self.tr("Reason"),
                ],
                [
                    [
                        _when(h.created_at),
                        self._who(h.created_by),
                        _when(h.resolved_at),
                        self._who(h.resolved_by),
                        hold_text(h.reason, h.template, h.params),
                    ]
                    for h in d.holds
                ],
            )
            # the reason is long: it takes the remaining width, the whole text as a tooltip
            holds.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
            for r in range(holds.rowCount()):
                item = holds.item(r, 4)
                if item is not None:
                    item.setToolTip(item.text())
            holds.setObjectName("holds")
            layout.addWidget(holds)

        layout.addWidget(QLabel(self.tr("Status history")))
        history = _table(
            [self.tr("When"), self.tr("From"), self.tr("To"), self.tr("Who"), self.tr("Note")],
            [
                [
                    _when(h.at),
                    status_name(h.from_status) if h.from_status else "",
                    status_name(h.to_status),
                    self._who(h.user),
                    note_text(h.note),
                ]
                for h in d.history
            ],
        )
        history.setObjectName("history")
        layout.addWidget(history)
        if self.events or d.status in ("shipped", "delivered", "returned"):
            self._tracking(layout, self.events)
        return body

    def _tracking(self, layout: QVBoxLayout, events: tuple[TrackingEventView, ...]) -> None:
        """The carrier's events of the order's parcels, newest first (签收 at the top)."""
        layout.addWidget(QLabel(self.tr("Tracking history")))
        if not events:
            none = QLabel(self.tr("No tracking event yet: none imported or fetched."))
            none.setObjectName("no_tracking")
            layout.addWidget(none)
            return
        table = _table(
            [
                self.tr("When"),
                self.tr("Parcel"),
                self.tr("Status"),
                self.tr("Carrier's words"),
                self.tr("Place"),
                self.tr("Source"),
            ],
            history_rows(events),
        )
        table.setObjectName("tracking")
        if events[0].status == "delivered":
            font = QFont(table.font())
            font.setBold(True)
            for c in range(table.columnCount()):
                item = table.item(0, c)
                if item is not None:
                    item.setFont(font)
        layout.addWidget(table)

    def _who(self, user: str) -> str:
        """A user name; "system" (the checks, the allocation, an import) in this language."""
        return self.tr("system") if user == "system" else user
