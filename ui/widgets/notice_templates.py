"""The notices' wording: one template per notice (shipped, delivered) and language, with the
placeholders it may use listed beside it and a live preview on an example order. Saving checks
the placeholders and needs the "change settings" permission."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import PackdeskError
from app.domain.notices import PLACEHOLDERS, NoticeValues, Template, check_template, render
from app.domain.users import Permission
from app.services import notice_settings
from app.services.notice_settings import TemplateView
from ui.background import run_in_background
from ui.context import UiContext
from ui.i18n import error_text
from ui.models.notices import kind_name, language_name

OK_STYLE = "color: #1b5e20; font-size: 13pt; font-weight: bold;"
ERROR_STYLE = "color: #b00020; font-size: 13pt; font-weight: bold;"

EXAMPLE = NoticeValues(
    customer_name="张三丰",
    order_number="PD00012345",
    channel_order="TB3312000456",
    carrier="顺丰速运 SF Express",
    tracking="SF1234567890123",
    tracking_url="https://www.sf-express.com/chn/sc/waybill/waybill-detail/SF1234567890123",
    shop_name="悦享生活旗舰店",
)


def placeholder_help() -> str:
    words = {
        "customer_name": QCoreApplication.translate("NoticeTemplates", "the customer's name"),
        "order_number": QCoreApplication.translate("NoticeTemplates", "our order number"),
        "channel_order": QCoreApplication.translate("NoticeTemplates", "the shop's order number"),
        "carrier": QCoreApplication.translate("NoticeTemplates", "the carrier's name"),
        "tracking": QCoreApplication.translate("NoticeTemplates", "the tracking number(s)"),
        "tracking_url": QCoreApplication.translate("NoticeTemplates", "the link to the parcel"),
        "shop_name": QCoreApplication.translate("NoticeTemplates", "the shop's name"),
    }
    return "\n".join(f"{{{k}}}  {words.get(k, k)}" for k in PLACEHOLDERS)


class TemplateEditor(QWidget):
    loaded = Signal()
    saved = Signal(str, bool)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.views: list[TemplateView] = []
        self.choice = QListWidget()
        self.choice.setFixedWidth(220)
        font = self.choice.font()
        font.setPointSize(font.pointSize() + 2)
        self.choice.setFont(font)
        self.choice.currentRowChanged.connect(self._chosen)
        self.subject = QLineEdit()
        self.body = QPlainTextEdit()
        self.body.setMinimumHeight(200)
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.state = QLabel()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.save_button = QPushButton(self.tr("Save"))
        self.reset_button = QPushButton(self.tr("Back to the default"))
        for b in (self.save_button, self.reset_button):
            b.setMinimumHeight(40)
        self.save_button.clicked.connect(self.save)
        self.reset_button.clicked.connect(self.reset)
        may = ctx.actor.can(Permission.MANAGE_SETTINGS)
        self.save_button.setEnabled(may)
        self.reset_button.setEnabled(may)
        self.subject.textChanged.connect(self._render)
        self.body.textChanged.connect(self._render)
        helptext = QLabel(self.tr("Placeholders:") + "\n" + placeholder_help())
        helptext.setStyleSheet("font-family: monospace;")
        form = QFormLayout()
        form.addRow(self.tr("Subject"), self.subject)
        form.addRow(self.tr("Text"), self.body)
        form.addRow(self.tr("Example"), self.preview)
        buttons = QHBoxLayout()
        buttons.addWidget(self.state, 1)
        buttons.addWidget(self.reset_button)
        buttons.addWidget(self.save_button)
        middle = QVBoxLayout()
        middle.addLayout(form, 1)
        middle.addLayout(buttons)
        middle.addWidget(self.message)
        layout = QHBoxLayout(self)
        layout.addWidget(self.choice)
        layout.addLayout(middle, 1)
        layout.addWidget(helptext, 0, Qt.AlignmentFlag.AlignTop)

    def load(self) -> None:
        s, a = self.ctx.services, self.ctx.actor
        run_in_background(
            self, lambda: s.run(notice_settings.list_templates, a), self._show, self._failed
        )

    def _show(self, views: tuple[TemplateView, ...]) -> None:
        row = max(self.choice.currentRow(), 0)
        self.views = list(views)
        self.choice.blockSignals(True)
        self.choice.clear()
        for v in views:
            self.choice.addItem(f"{kind_name(v.kind)} · {language_name(v.language)}")
        self.choice.blockSignals(False)
        self.choice.setCurrentRow(min(row, len(views) - 1))
        self._chosen(self.choice.currentRow())
        self.loaded.emit()

    def _chosen(self, row: int) -> None:
        if not 0 <= row < len(self.views):
            return
        v = self.views[row]
        self.subject.setText(v.subject)
        self.body.setPlainText(v.body)
        self.state.setText(
            self.tr("The shop's own wording") if v.own else self.tr("Default wording")
        )

    def current(self) -> TemplateView | None:
        row = self.choice.currentRow()
        return self.views[row] if 0 <= row < len(self.views) else None

    def _render(self) -> None:
        v = self.current()
        if v is None:
            return
        subject, body = self.subject.text(), self.body.toPlainText()
        try:
            check_template(v.kind, v.language, subject, body)
            s, b = render(Template(v.kind, v.language, subject, body), EXAMPLE)
        except PackdeskError as exc:
            self.preview.setPlainText(error_text(exc))
            self.preview.setStyleSheet("color: #b00020;")
            return
        self.preview.setStyleSheet("")
        self.preview.setPlainText(s + "\n\n" + b)

    def save(self) -> None:
        v = self.current()
        if v is None:
            return
        s, a = self.ctx.services, self.ctx.actor
        subject, body = self.subject.text(), self.body.toPlainText()
        run_in_background(
            self,
            lambda: s.run(notice_settings.save_template, a, v.kind, v.language, subject, body),
            lambda _: self._done(self.tr("Saved: the next notices use this wording.")),
            self._failed,
        )

    def reset(self) -> None:
        v = self.current()
        if v is None:
            return
        s, a = self.ctx.services, self.ctx.actor
        run_in_background(
            self,
            lambda: s.run(notice_settings.reset_template, a, v.kind, v.language),
            lambda _: self._done(self.tr("The default wording is back.")),
            self._failed,
        )

    def _done(self, text: str) -> None:
        self._say(text, True)
        self.load()

    def _failed(self, exc: PackdeskError) -> None:
        self._say(error_text(exc), False)

    def _say(self, text: str, ok: bool) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)
        self.saved.emit(text, ok)
