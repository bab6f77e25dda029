"""The Users screen: an admin adds a packer with a badge, who can then log in by scan."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from app.domain.users import Role
from app.services import auth
from ui.context import UiContext
from ui.main_window import MainWindow
from ui.screens.users import AddUserDialog, UsersScreen


def test_admin_adds_a_packer_with_badge_who_then_logs_in_by_badge(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    screen = UsersScreen(ui_ctx)
    qtbot.addWidget(screen)
    screen.activated()
    assert screen.model.rowCount() == 1
    dialog = AddUserDialog(ui_ctx, screen)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.username, "li.na")
    dialog.display_name.setText("李娜")  # QTest cannot type non-Latin text
    qtbot.keyClicks(dialog.password, "packer-pass-1")
    qtbot.keyClicks(dialog.badge, "BADGE-0042")
    qtbot.keyClicks(dialog.pin, "12")  # too short: refused with a readable reason
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    box.button(QDialogButtonBox.StandardButton.Ok).click()
    assert "4 to 8 digits" in dialog.error.text() and dialog.created is None
    qtbot.keyClicks(dialog.pin, "34")
    box.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.created is not None and dialog.created.role is Role.PACKER
    screen.reload()
    assert screen.model.rowCount() == 2
    actor = ui_ctx.services.run(auth.login_badge, "BADGE-0042", "1234")
    assert actor.username == "li.na"


def test_the_users_screen_is_only_listed_for_admins(qtbot: QtBot, ui_ctx: UiContext) -> None:
    ui_ctx.services.run(auth.create_user, ui_ctx.actor, "boss", Role.SUPERVISOR, "supervisor-1")
    supervisor = ui_ctx.services.run(auth.login, "boss", "supervisor-1")
    admin_window = MainWindow(ui_ctx)
    qtbot.addWidget(admin_window)
    sup_window = MainWindow(UiContext(ui_ctx.services, supervisor, ui_ctx.bus))
    qtbot.addWidget(sup_window)

    def titles(w: MainWindow) -> list[str]:
        return [w.nav.item(i).text() for i in range(w.nav.count())]

    assert "Users" in titles(admin_window) and "Users" not in titles(sup_window)
