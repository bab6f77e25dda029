"""The mail server the notices go through (SMTP: host, port, STARTTLS, log-in, sender).
The saved password is never shown: leaving the field as it is keeps it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import PackdeskError
from app.domain.notices import SmtpSettings
from app.domain.users import Permission
from app.services import notice_settings
from ui.background import run_in_background
from ui.context import UiContext
from ui.i18n import error_text


class SmtpForm(QWidget):
    loaded = Signal()
    saved = Signal(str, bool)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.enabled = QCheckBox(self.tr("Send notices to customers"))
        self.host = QLineEdit()
        self.host.setPlaceholderText("smtp.example.com")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(587)
        self.starttls = QCheckBox(self.tr("STARTTLS (port 465: TLS from the start)"))
        self.user = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.from_address = QLineEdit()
        self.from_address.setPlaceholderText("shop@example.com")
        self.from_name = QLineEdit()
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setMinimumHeight(40)
        self.save_button.clicked.connect(self.save)
        self.message = QLabel()
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow("", self.enabled)
        form.addRow(self.tr("Mail server"), self.host)
        form.addRow(self.tr("Port"), self.port)
        form.addRow("", self.starttls)
        form.addRow(self.tr("User"), self.user)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("From address"), self.from_address)
        form.addRow(self.tr("From name"), self.from_name)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.save_button)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.may = ctx.actor.can(Permission.MANAGE_SETTINGS)
        self.setEnabled(self.may)
        if not self.may:
            self.message.setText(
                self.tr("Only a user who may change settings sees the mail server.")
            )

    def load(self) -> None:
        if not self.may:
            return
        s, a = self.ctx.services, self.ctx.actor
        run_in_background(
            self, lambda: s.run(notice_settings.get_smtp_settings, a), self._show, self._failed
        )

    def _show(self, st: SmtpSettings) -> None:
        self.enabled.setChecked(st.enabled)
        self.host.setText(st.host)
        self.port.setValue(st.port)
        self.starttls.setChecked(st.starttls)
        self.user.setText(st.user)
        self.password.setText(st.password)
        self.from_address.setText(st.from_address)
        self.from_name.setText(st.from_name)
        self.loaded.emit()

    def save(self) -> None:
        s, a = self.ctx.services, self.ctx.actor
        values = {
            "host": self.host.text(),
            "port": self.port.value(),
            "starttls": self.starttls.isChecked(),
            "user": self.user.text(),
            "password": self.password.text(),
            "from_address": self.from_address.text(),
            "from_name": self.from_name.text(),
            "enabled": self.enabled.isChecked(),
        }
        run_in_background(
            self,
            lambda: s.run(notice_settings.save_smtp_settings, a, **values),
            lambda st: self._saved(st),
            self._failed,
        )

    def _saved(self, st: SmtpSettings) -> None:
        self._show(st)
        self.message.setStyleSheet("color: #1b5e20; font-weight: bold;")
        self.message.setText(self.tr("Saved."))
        self.saved.emit(self.message.text(), True)

    def _failed(self, exc: PackdeskError) -> None:
        self.message.setStyleSheet("color: #b00020; font-weight: bold;")
        self.message.setText(error_text(exc))
        self.saved.emit(self.message.text(), False)
