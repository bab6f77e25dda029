"""The return reasons, for someone who may change settings: the list (disabled ones marked),
a new reason with its English and Chinese names, and disabling the chosen one."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import PackdeskError
from app.services import return_reasons
from ui.context import UiContext
from ui.i18n import error_text


class ReasonsDialog(QDialog):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Return reasons"))
        self.list = QListWidget()
        self.code = QLineEdit()
        self.code.setPlaceholderText("TOO_LATE")
        self.name_en = QLineEdit()
        self.name_zh = QLineEdit()
        self.message = QLabel()
        self.message.setWordWrap(True)
        add = QPushButton(self.tr("Add reason"))
        add.clicked.connect(self.add)
        disable = QPushButton(self.tr("Disable the chosen reason"))
        disable.clicked.connect(self.disable)
        form = QFormLayout()
        form.addRow(self.tr("Code"), self.code)
        form.addRow(self.tr("English"), self.name_en)
        form.addRow(self.tr("Chinese"), self.name_zh)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addWidget(disable)
        layout.addLayout(form)
        layout.addWidget(add)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        for r in self.ctx.services.run(return_reasons.list_reasons, include_disabled=True):
            text = f"{r.code} · {r.name_en} · {r.name_zh}"
            if not r.active:
                text += " " + self.tr("(disabled)")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, r.code)
            self.list.addItem(item)

    def add(self) -> None:
        try:
            self.ctx.services.run(
                return_reasons.add_reason,
                self.ctx.actor,
                self.code.text(),
                self.name_en.text(),
                self.name_zh.text(),
            )
        except PackdeskError as exc:
            self.message.setText(error_text(exc))
            return
        self.message.clear()
        self.refresh()

    def disable(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        try:
            self.ctx.services.run(
                return_reasons.disable_reason, self.ctx.actor, item.data(Qt.ItemDataRole.UserRole)
            )
        except PackdeskError as exc:
            self.message.setText(error_text(exc))
            return
        self.refresh()
