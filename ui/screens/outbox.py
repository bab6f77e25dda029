"""Outbox (supervisors): the e-mail notices to customers, sent, waiting or failed with the
reason. Filter by status, preview a message, retry a failed one, cancel a waiting one, send the
due ones now; the Templates tab edits the wording and the Mail server tab the SMTP settings.
The list is fetched off the UI thread when the screen is shown, every ``REFRESH_MS`` while it
is, and when the background sender reports a pass."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import PackdeskError
from app.domain.users import Permission
from app.services import notice_outbox, notices
from app.services.notice_outbox import NoticeMessage, NoticeRow
from ui.background import run_in_background
from ui.context import UiContext
from ui.i18n import error_text
from ui.models.notices import NoticesModel, kind_name, reason_text, status_name
from ui.screens.base import Screen
from ui.widgets.notice_smtp import SmtpForm
from ui.widgets.notice_templates import TemplateEditor

OK_STYLE = "color: #1b5e20; font-size: 14pt; font-weight: bold;"
ERROR_STYLE = "color: #b00020; font-size: 14pt; font-weight: bold;"
REFRESH_MS = 30_000
FILTERS = ("", "waiting", "failed", "sent", "cancelled")


class OutboxScreen(Screen):
    permission = Permission.MANAGE_NOTICES
    loaded = Signal()
    acted = Signal(str, bool)

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("OutboxScreen", "Outbox")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("OutboxScreen")
        self.status_filter = ""
        self.model = NoticesModel()
        self.tabs = QTabWidget()
        self.tabs.addTab(self._outbox_tab(), self.tr("Outbox"))
        self.templates = TemplateEditor(ctx)
        self.tabs.addTab(self.templates, self.tr("Templates"))
        self.smtp = SmtpForm(ctx)
        self.tabs.addTab(self.smtp, self.tr("Mail server"))
        self.tabs.currentChanged.connect(self._tab_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self._tick)
        ctx.bus.changed.connect(self._on_changed)
        self._enable()

    def _outbox_tab(self) -> QWidget:
        tab = QWidget()
        self.filters = QButtonGroup(tab)
        bar = QHBoxLayout()
        self.filter_buttons: dict[str, QPushButton] = {}
        for i, status in enumerate(FILTERS):
            b = QPushButton()
            b.setCheckable(True)
            b.setMinimumHeight(40)
            b.setChecked(not status)
            self.filters.addButton(b, i)
            self.filter_buttons[status] = b
            bar.addWidget(b)
        self.filters.idClicked.connect(lambda i: self.show_status(FILTERS[i]))
        bar.addStretch(1)
        self.buttons: dict[str, QPushButton] = {}
        for key, text, slot in (
            ("retry", self.tr("Retry"), self.retry),
            ("cancel", self.tr("Cancel notice"), self.cancel),
            ("send", self.tr("Send due now"), self.send_now),
            ("refresh", self.tr("Refresh"), self.refresh),
        ):
            self.buttons[key] = b = QPushButton(text)
            b.setMinimumHeight(40)
            b.clicked.connect(slot)
            bar.addWidget(b)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        font = self.table.font()
        font.setPointSize(font.pointSize() + 2)
        self.table.setFont(font)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._selected())
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.preview.setPlaceholderText(self.tr("Choose a notice to see the message."))
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(self.preview)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([1100, 420])
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout = QVBoxLayout(tab)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(split, 1)
        return tab

    # --- loading -----------------------------------------------------------------------------
    def activated(self) -> None:
        self.timer.start()
        self.refresh()

    def _tick(self) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self.timer.stop()

    def _on_changed(self, kind: str, ids: list[int]) -> None:
        if kind == "notice" and self.isVisible():
            self.refresh()

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.templates:
            self.templates.load()
        elif self.tabs.widget(index) is self.smtp:
            self.smtp.load()

    def show_status(self, status: str) -> None:
        self.status_filter = status
        self.filter_buttons[status].setChecked(True)
        self.refresh()

    def refresh(self) -> None:
        s, a, status = self.ctx.services, self.ctx.actor, self.status_filter

        def fetch() -> tuple[tuple[NoticeRow, ...], dict[str, int]]:
            return (
                s.run(notice_outbox.list_notices, a, status),
                s.run(notice_outbox.notice_counts, a),
            )

        run_in_background(self, fetch, self._show, self._failed)

    def _show(self, got: tuple[tuple[NoticeRow, ...], dict[str, int]]) -> None:
        rows, counts = got
        chosen = self.current()
        self.model.set_rows(rows)
        counts = dict(counts)
        counts["waiting"] = counts.get("waiting", 0) + counts.get("sending", 0)
        for status, b in self.filter_buttons.items():
            name = status_name(status) if status else self.tr("all")
            n = sum(counts.values()) if not status else counts.get(status, 0)
            b.setText(self.tr("{name} ({n})").format(name=name, n=n))
        row = next((i for i, r in enumerate(rows) if chosen and r.id == chosen.id), 0)
        if rows:
            self.table.selectRow(row)
        else:
            self.preview.clear()
        self._enable()
        self.loaded.emit()

    def current(self) -> NoticeRow | None:
        idx = self.table.currentIndex()
        if not idx.isValid() or idx.row() >= len(self.model.rows):
            return None
        return self.model.rows[idx.row()]

    def _selected(self) -> None:
        self._enable()
        row = self.current()
        if row is None:
            return
        s, a = self.ctx.services, self.ctx.actor
        run_in_background(
            self,
            lambda: s.run(notice_outbox.notice_message, a, row.id),
            self._preview,
            self._failed,
        )

    def _preview(self, m: NoticeMessage) -> None:
        r = m.row
        head = [
            self.tr("To: {to}").format(to=r.to),
            self.tr("Subject: {subject}").format(subject=r.subject),
            self.tr("Notice: {kind}, {status}").format(
                kind=kind_name(r.kind), status=status_name(r.status)
            ),
        ]
        if r.reason:
            head.append(self.tr("Reason: {reason}").format(reason=reason_text(r)))
        self.preview.setPlainText("\n".join(head) + "\n\n" + m.body)

    def _enable(self) -> None:
        row = self.current()
        self.buttons["retry"].setEnabled(row is not None and row.status in ("failed", "cancelled"))
        self.buttons["cancel"].setEnabled(row is not None and row.status == "waiting")
        self.buttons["send"].setEnabled(self.ctx.actor.can(Permission.SHIP))

    # --- actions -----------------------------------------------------------------------------
    def retry(self) -> None:
        row = self.current()
        if row is not None:
            s, a = self.ctx.services, self.ctx.actor
            done = self.tr("The notice of order {order} will be sent again.").format(
                order=row.order_number
            )
            self._act(lambda: s.run(notice_outbox.retry_notice, a, row.id), done)

    def cancel(self) -> None:
        row = self.current()
        if row is not None:
            s, a = self.ctx.services, self.ctx.actor
            done = self.tr("The notice of order {order} will not be sent.").format(
                order=row.order_number
            )
            self._act(lambda: s.run(notice_outbox.cancel_notice, a, row.id), done)

    def send_now(self) -> None:
        s, a = self.ctx.services, self.ctx.actor

        def said(r: notices.SendReport) -> str:
            text = self.tr("Sent {sent}, failed {failed}, to retry {retrying}.").format(
                sent=r.sent, failed=r.failed, retrying=r.retrying
            )
            return text

        self._act(lambda: s.run(notices.send_due, a), said)

    def _act(self, fn: Callable[[], Any], done: str | Callable[[Any], str]) -> None:
        def ok(result: Any) -> None:
            self._say(done(result) if callable(done) else done, True)
            self.refresh()

        run_in_background(self, fn, ok, self._failed)

    def _failed(self, exc: PackdeskError) -> None:
        self._say(error_text(exc), False)

    def _say(self, text: str, ok: bool) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)
        self.acted.emit(text, ok)
