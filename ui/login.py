"""Log-in (user name + password, or badge scan + PIN) and the first-run admin set-up."""

from __future__ import annotations

import math
import time
from datetime import timedelta

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontDatabase, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import Services
from app.domain.errors import LoginLocked, PackdeskError
from app.domain.users import Actor, wait_text
from app.services import auth
from ui.i18n import LANGUAGES, error_text

ERROR_STYLE = "color: #b00020; font-weight: bold;"
#: a lockout: a framed box, readable from a step back, that counts down
LOCKED_STYLE = (
    "color: #7a2e00; background: #fff3d6; border: 2px solid #e0a100; border-radius: 6px;"
    " padding: 10px; font-weight: bold;"
)


def _big(widget: QWidget, size: int = 14) -> None:
    font = widget.font()
    font.setPointSize(size)
    widget.setFont(font)


class LoginDialog(QDialog):
    """Asks who is working at this station. ``actor`` is set when accepted."""

    language_changed = Signal(str)

    def __init__(
        self, services: Services, language: str, demo_hint: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.actor: Actor | None = None
        self.setObjectName("LoginDialog")
        self.setMinimumWidth(560)
        _big(self)

        self.heading = QLabel()
        heading_font = QFont(self.font())
        heading_font.setPointSize(22)
        heading_font.setBold(True)
        self.heading.setFont(heading_font)
        self.where = QLabel()
        self.where.setStyleSheet("color: #555;")

        self.tabs = QTabWidget()
        pw = QWidget()
        pw_form = QFormLayout(pw)
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.username_label, self.password_label = QLabel(), QLabel()
        pw_form.addRow(self.username_label, self.username)
        pw_form.addRow(self.password_label, self.password)
        badge = QWidget()
        badge_form = QFormLayout(badge)
        self.badge = QLineEdit()
        self.badge.setObjectName("badge")
        self.badge.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin = QLineEdit()
        self.pin.setObjectName("pin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(8)
        self.badge_label, self.pin_label = QLabel(), QLabel()
        badge_form.addRow(self.badge_label, self.badge)
        badge_form.addRow(self.pin_label, self.pin)
        self.tabs.addTab(pw, "")
        self.tabs.addTab(badge, "")

        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        # a lockout counts down, big, once a second, until log-in opens again
        self.wait_clock = QLabel()
        self.wait_clock.setObjectName("wait_clock")
        clock_font = QFont(self.font())
        clock_font.setPointSize(32)
        clock_font.setBold(True)
        self.wait_clock.setFont(clock_font)
        self.wait_clock.setStyleSheet("color: #7a2e00;")
        self.wait_clock.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.wait_clock.hide()
        self._locked_until = 0.0
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._tick)
        self.hint = QLabel(demo_hint)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSize(max(10, self.font().pointSize() - 3))
        self.hint.setFont(mono)  # the demo log-ins are a table
        self.hint.setStyleSheet("color: #555;")
        self.hint.setVisible(bool(demo_hint))

        self.language = QComboBox()
        self.language.setObjectName("language")
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(language)))
        self.language.currentIndexChanged.connect(
            lambda _i: self.language_changed.emit(self.language.currentData())
        )

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._try_login)
        self.buttons.rejected.connect(self.reject)
        self.about_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.HelpRole)
        self.about_button.setObjectName("about")
        self.about_button.clicked.connect(self._about)
        # a badge scan ends with Enter: move to the PIN instead of submitting
        self.badge.returnPressed.connect(self.pin.setFocus)
        self.username.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self._try_login)
        self.pin.returnPressed.connect(self._try_login)
        for button in self.buttons.buttons():
            if isinstance(button, QPushButton):  # Enter is handled per field above
                button.setAutoDefault(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.where)
        layout.addWidget(self.tabs)
        layout.addWidget(self.wait_clock)
        layout.addWidget(self.error)
        layout.addWidget(self.hint)
        layout.addWidget(self.language, alignment=Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.buttons)
        self.retranslate()
        self.username.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # each field handles Enter itself; the dialog's default button must not log in a second
        # time (one Enter would count as two failed tries)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Packdesk - log in"))
        self.heading.setText(self.tr("Who is working here?"))
        self.where.setText(
            self.tr("Station {station} - {database}").format(
                station=self.services.station_code, database=self.services.database_label
            )
        )
        self.username_label.setText(self.tr("User name"))
        self.password_label.setText(self.tr("Password"))
        self.badge_label.setText(self.tr("Scan your badge"))
        self.pin_label.setText(self.tr("PIN"))
        self.tabs.setTabText(0, self.tr("Password"))
        self.tabs.setTabText(1, self.tr("Badge and PIN"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Log in"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Quit"))
        self.about_button.setText(self.tr("About"))

    def _about(self) -> None:
        from ui.widgets.about import AboutDialog

        AboutDialog(self.services, self).exec()

    def _try_login(self) -> None:
        svc = self.services
        try:
            if self.tabs.currentIndex() == 0:
                self.actor = svc.run(
                    auth.login,
                    self.username.text(),
                    self.password.text(),
                    svc.station_id,
                    svc.station_code,
                )
            else:
                self.actor = svc.run(
                    auth.login_badge,
                    self.badge.text(),
                    self.pin.text(),
                    svc.station_id,
                    svc.station_code,
                )
        except LoginLocked as exc:
            self.password.clear()
            self.pin.clear()
            self._locked_until = time.monotonic() + int(exc.params.get("seconds") or 0)
            self.error.setStyleSheet(LOCKED_STYLE)
            self.error.setText(error_text(exc))
            self.wait_clock.setText(str(exc.params.get("wait", "")))
            self.wait_clock.show()
            self._countdown.start()
            return
        except PackdeskError as exc:
            self._stop_countdown()
            self.error.setStyleSheet(ERROR_STYLE)
            self.error.setText(error_text(exc))
            self.password.clear()
            self.pin.clear()
            return
        self._stop_countdown()
        self.accept()

    def _stop_countdown(self) -> None:
        self._countdown.stop()
        self.wait_clock.hide()

    def _tick(self) -> None:
        left = self._locked_until - time.monotonic()
        if left <= 0:
            self._stop_countdown()
            self.error.setStyleSheet(ERROR_STYLE)
            self.error.setText(self.tr("You can try to log in again now."))
            return
        wait = wait_text(timedelta(seconds=left))
        self.wait_clock.setText(wait)
        self.error.setText(error_text(LoginLocked(wait=wait, seconds=math.ceil(left))))


class FirstAdminDialog(QDialog):
    """First run on an empty database: create the administrator (there is no default password)."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setObjectName("FirstAdminDialog")
        self.setMinimumWidth(560)
        _big(self)
        self.setWindowTitle(self.tr("Packdesk - first start"))
        intro = QLabel(
            self.tr(
                "This database has no users yet. Create the administrator "
                "account: choose a user name and a password of at least 8 "
                "characters. Keep it safe; there is no default password."
            )
        )
        intro.setWordWrap(True)
        self.username = QLineEdit("admin")
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setObjectName("repeat")
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("Password again"), self.repeat)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020; font-weight: bold;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Create administrator"))
        buttons.accepted.connect(self._create)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.password.setFocus()

    def _create(self) -> None:
        if self.password.text() != self.repeat.text():
            self.error.setText(self.tr("The two passwords are not the same. Type them again."))
            return
        try:
            self.services.run(
                auth.create_first_admin,
                self.username.text(),
                self.password.text(),
                self.services.station_id,
            )
        except PackdeskError as exc:
            self.error.setText(error_text(exc))
            return
        self.accept()
