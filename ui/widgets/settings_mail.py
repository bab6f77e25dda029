"""Settings section: the mail server the customer notices go through (SMTP). The saved
password is never shown: the field shows stars, and leaving them keeps it. Saved by
``notice_settings.save_smtp_settings`` (audited without the password)."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QLineEdit, QSpinBox, QWidget

from app.bootstrap import Services
from app.domain import settings_checks as fields
from app.domain.errors import PackdeskError
from app.domain.users import Actor
from app.services import notice_settings
from app.services.settings_view import WarehouseSettings
from ui.widgets.settings_base import SaveCall, Section, checked


class MailSection(Section):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Mail server (SMTP)"),
            self.tr(
                "Customers get their notices (shipped, delivered...) by e-mail through this "
                "server. Your mail provider gives these values. The password is stored in the "
                "shared database and never shown again."
            ),
            parent,
        )
        self.enabled = QCheckBox(self.tr("Send notices to customers"))
        self.add_field("smtp_enabled", "", self.enabled)
        self.host = QLineEdit()
        self.host.setPlaceholderText("smtp.example.com")
        self.add_field("smtp_host", self.tr("Mail server"), self.host)
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.add_field("smtp_port", self.tr("Port"), self.port)
        self.starttls = QCheckBox(self.tr("STARTTLS (port 465: TLS from the start)"))
        self.add_field("smtp_starttls", "", self.starttls)
        self.user = QLineEdit()
        self.add_field("smtp_user", self.tr("User"), self.user)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.add_field("smtp_password", self.tr("Password"), self.password)
        self.from_address = QLineEdit()
        self.from_address.setPlaceholderText("shop@example.com")
        self.add_field("smtp_from_address", self.tr("From address"), self.from_address)
        self.from_name = QLineEdit()
        self.add_field("smtp_from_name", self.tr("From name"), self.from_name)
        self._ca_file = ""
        self.watch()

    def show_value(self, data: WarehouseSettings) -> None:
        st = data.smtp
        self.enabled.setChecked(st.enabled)
        self.host.setText(st.host)
        self.port.setValue(st.port)
        self.starttls.setChecked(st.starttls)
        self.user.setText(st.user)
        self.password.setText(st.password)
        self.from_address.setText(st.from_address)
        self.from_name.setText(st.from_name)
        self._ca_file = st.ca_file

    def check(self) -> dict[str, PackdeskError]:
        errors: dict[str, PackdeskError] = {}
        on = self.enabled.isChecked()
        checked(errors, "smtp_host", lambda: fields.mail_host(self.host.text(), on))
        checked(
            errors,
            "smtp_from_address",
            lambda: fields.email_address(self.from_address.text(), on),
        )
        return errors

    def save_call(self) -> SaveCall:
        values = {
            "host": self.host.text(),
            "port": self.port.value(),
            "starttls": self.starttls.isChecked(),
            "user": self.user.text(),
            "password": self.password.text(),
            "from_address": self.from_address.text(),
            "from_name": self.from_name.text(),
            "enabled": self.enabled.isChecked(),
            "ca_file": self._ca_file,
        }

        def save(services: Services, actor: Actor) -> None:
            services.run(notice_settings.save_smtp_settings, actor, **values)

        return save
