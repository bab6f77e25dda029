"""Users: add people with a role, give them badges, reset passwords, disable accounts."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import PackdeskError
from app.domain.users import Permission, Role
from app.services import auth
from app.services.auth import UserInfo
from ui.context import UiContext
from ui.errors import show_error
from ui.i18n import error_text
from ui.screens.base import Screen
from ui.words import role_name

Index = QModelIndex | QPersistentModelIndex


class UsersModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.users: list[UserInfo] = []
        self._headers = (
            self.tr("User name"),
            self.tr("Name"),
            self.tr("Role"),
            self.tr("Badge"),
            self.tr("Account"),
        )

    def set_users(self, users: list[UserInfo]) -> None:
        self.beginResetModel()
        self.users = users
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.users)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        u = self.users[index.row()]
        return (
            u.username,
            u.display_name,
            role_name(u.role),
            self.tr("yes") if u.has_badge else "",
            self.tr("active") if u.active else self.tr("disabled"),
        )[index.column()]

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return None


class AddUserDialog(QDialog):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.created: UserInfo | None = None
        self.setWindowTitle(self.tr("Add a user"))
        self.username = QLineEdit()
        self.display_name = QLineEdit()
        self.role = QComboBox()
        for r in Role:
            self.role.addItem(role_name(r), r.value)
        self.role.setCurrentIndex(self.role.findData(Role.PACKER.value))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.badge = QLineEdit()
        self.badge.setPlaceholderText(self.tr("optional: scan the badge"))
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setPlaceholderText(self.tr("4 to 8 digits, with a badge"))
        form = QFormLayout()
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Name"), self.display_name)
        form.addRow(self.tr("Role"), self.role)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("Badge"), self.badge)
        form.addRow(self.tr("PIN"), self.pin)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020; font-weight: bold;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._create)
        buttons.rejected.connect(self.reject)
        self.badge.returnPressed.connect(self.pin.setFocus)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _create(self) -> None:
        try:
            self.created = self.ctx.services.run(
                auth.create_user,
                self.ctx.actor,
                self.username.text(),
                self.role.currentData(),
                self.password.text(),
                self.display_name.text(),
                self.badge.text() or None,
                self.pin.text() or None,
            )
        except PackdeskError as exc:
            self.error.setText(error_text(exc))
            return
        self.accept()


class UsersScreen(Screen):
    permission = Permission.MANAGE_USERS

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("UsersScreen", "Users")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("UsersScreen")
        self.model = UsersModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton(self.tr("Add user..."))
        self.toggle_button = QPushButton(self.tr("Disable / enable"))
        self.password_button = QPushButton(self.tr("Reset password..."))
        self.badge_button = QPushButton(self.tr("New badge..."))
        self.add_button.clicked.connect(self.add_user)
        self.toggle_button.clicked.connect(self.toggle_active)
        self.password_button.clicked.connect(self.reset_password)
        self.badge_button.clicked.connect(self.new_badge)
        bar = QHBoxLayout()
        for b in (self.add_button, self.toggle_button, self.password_button, self.badge_button):
            bar.addWidget(b)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table)

    def activated(self) -> None:
        self.reload()

    def reload(self) -> None:
        try:
            self.model.set_users(self.ctx.services.run(auth.list_users, self.ctx.actor))
        except PackdeskError as exc:
            show_error(self, exc)

    def selected(self) -> UserInfo | None:
        idx = self.table.currentIndex()
        return self.model.users[idx.row()] if idx.isValid() else None

    def add_user(self) -> None:
        dialog = AddUserDialog(self.ctx, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.reload()

    def toggle_active(self) -> None:
        user = self.selected()
        if user is None:
            return
        try:
            self.ctx.services.run(auth.set_active, self.ctx.actor, user.id, not user.active)
        except PackdeskError as exc:
            show_error(self, exc)
        self.reload()

    def reset_password(self) -> None:
        user = self.selected()
        if user is None:
            return
        password, ok = QInputDialog.getText(
            self,
            self.tr("Reset password"),
            self.tr("New password for {user} (at least 8 characters):").format(user=user.username),
            QLineEdit.EchoMode.Password,
        )
        if ok:
            try:
                self.ctx.services.run(auth.reset_password, self.ctx.actor, user.id, password)
            except PackdeskError as exc:
                show_error(self, exc)

    def new_badge(self) -> None:
        user = self.selected()
        if user is None:
            return
        badge, ok = QInputDialog.getText(
            self,
            self.tr("New badge"),
            self.tr("Scan the new badge for {user}:").format(user=user.username),
        )
        if not ok:
            return
        pin, ok = QInputDialog.getText(
            self, self.tr("New badge"), self.tr("PIN (4 to 8 digits):"), QLineEdit.EchoMode.Password
        )
        if ok:
            try:
                self.ctx.services.run(auth.set_badge, self.ctx.actor, user.id, badge, pin)
            except PackdeskError as exc:
                show_error(self, exc)
            self.reload()
