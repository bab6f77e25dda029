"""Log-in, first run, the main window's navigation and status bar."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox
from pytestqt.qtbot import QtBot

from app.bootstrap import Services
from app.domain.users import Role
from app.services import auth
from ui.application import demo_hint
from ui.context import UiContext
from ui.i18n import install_language
from ui.login import FirstAdminDialog, LoginDialog
from ui.main_window import MainWindow
from ui.screens.orders import OrdersScreen


def _ok(dialog: QDialog) -> None:
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    box.button(QDialogButtonBox.StandardButton.Ok).click()


def test_first_run_creates_the_admin_and_refuses_a_short_password(
    qtbot: QtBot, ui_services: Services
) -> None:
    dialog = FirstAdminDialog(ui_services)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.password, "short")
    qtbot.keyClicks(dialog.repeat, "short")
    _ok(dialog)
    assert "at least 8 characters" in dialog.error.text()
    assert ui_services.run(auth.needs_first_admin)
    dialog.password.setText("a-good-password")
    dialog.repeat.setText("a-good-password")
    _ok(dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert not ui_services.run(auth.needs_first_admin)


def test_wrong_password_shows_a_readable_error_and_the_right_one_logs_in(
    qtbot: QtBot, ui_services: Services, ui_ctx: UiContext
) -> None:
    dialog = LoginDialog(ui_services, "en")
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.username, "admin")
    qtbot.keyClicks(dialog.password, "nope")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert "Wrong user name or password" in dialog.error.text()
    assert dialog.actor is None and dialog.password.text() == ""
    qtbot.keyClicks(dialog.password, "correct-horse-9")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.actor is not None and dialog.actor.username == "admin"


def test_badge_scan_then_pin_logs_in(
    qtbot: QtBot, ui_services: Services, ui_ctx: UiContext
) -> None:
    ui_services.run(
        auth.create_user,
        ui_ctx.actor,
        "li.na",
        Role.PACKER,
        "packer-pass-1",
        badge="BADGE-0042",
        pin="4321",
    )
    dialog = LoginDialog(ui_services, "en")
    qtbot.addWidget(dialog)
    dialog.tabs.setCurrentIndex(1)
    dialog.badge.setFocus()
    qtbot.keyClicks(dialog.badge, "BADGE-0042")
    qtbot.keyClick(dialog.badge, Qt.Key.Key_Return)  # the scanner's Enter moves to the PIN
    assert dialog.actor is None
    qtbot.keyClicks(dialog.pin, "4321")
    qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)
    assert dialog.actor is not None and dialog.actor.role is Role.PACKER


def test_main_window_lists_permitted_screens_and_shows_database_station_and_user(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    window = MainWindow(ui_ctx)
    qtbot.addWidget(window)
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles[0] == "Orders"
    assert isinstance(window.current_screen(), OrdersScreen)
    assert "Local database" in window.db_label.text() and "connected" in window.db_label.text()
    assert "pack-01" in window.station_label.text()
    assert "admin (Administrator)" in window.user_label.text()
    window.set_device_status("printer", "Printer: out of paper", False)
    assert window.device_labels["printer"].text() == "Printer: out of paper"


def test_log_out_is_audited_and_signalled(qtbot: QtBot, ui_ctx: UiContext) -> None:
    window = MainWindow(ui_ctx)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.logged_out, timeout=2000):
        window.logout_button.click()


def test_chinese_translation_is_used_for_the_shell(
    qtbot: QtBot, qapp: QApplication, ui_ctx: UiContext
) -> None:
    install_language(qapp, "zh_CN")
    window = MainWindow(ui_ctx)
    qtbot.addWidget(window)
    assert window.nav.item(0).text() == "订单"
    assert window.logout_button.text() == "退出登录"
    install_language(qapp, "en")


def test_the_demo_log_ins_are_headed_in_the_screen_language(qapp: QApplication) -> None:
    assert demo_hint().startswith("Demo log-ins") and "admin / demo-admin" in demo_hint()
    install_language(qapp, "zh_CN")
    try:
        assert demo_hint().startswith("演示账号") and "admin / demo-admin" in demo_hint()
    finally:
        install_language(qapp, "en")
