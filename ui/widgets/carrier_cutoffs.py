"""The carriers' cut-off times (the last pick-up of the day), edited on the Carriers screen:
"HH:MM" on the warehouse's clock, or empty for none. The service checks each time as typed
(``handover_cutoffs.set_cutoff``); a time it refuses keeps the dialog open with the reason."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import PackdeskError
from app.services import handover_cutoffs
from app.services.carrier_list import CarrierRow
from ui.background import run_in_background
from ui.context import UiContext
from ui.i18n import error_text


class CutoffDialog(QDialog):
    #: every changed time was saved
    saved = Signal()
    #: a time was refused (its reason is shown)
    refused = Signal(str)

    def __init__(self, ctx: UiContext, carriers: Sequence[CarrierRow], parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Cut-off times"))
        self.carriers = [c for c in carriers if c.active]
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for c in self.carriers:
            edit = QLineEdit(c.cutoff)
            edit.setObjectName(f"cutoff_{c.code}")
            edit.setPlaceholderText(self.tr("HH:MM, empty for none"))
            edit.setMaxLength(8)
            self.edits[c.code] = edit
            form.addRow(f"{c.name} ({c.code})", edit)
        hint = QLabel(
            self.tr(
                "The carrier's last pick-up of the day, on this warehouse's clock. The Ship "
                "screen counts down to it: amber half an hour before, red once it has passed."
            )
        )
        hint.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def changes(self) -> list[tuple[str, str]]:
        return [
            (c.code, self.edits[c.code].text())
            for c in self.carriers
            if self.edits[c.code].text().strip() != c.cutoff
        ]

    def save(self) -> None:
        services, actor, todo = self.ctx.services, self.ctx.actor, self.changes()

        def work() -> None:
            for code, text in todo:
                services.run(handover_cutoffs.set_cutoff, actor, code, text)

        run_in_background(self, work, self._saved, self._failed)

    def _saved(self, _: object) -> None:
        self.saved.emit()
        self.accept()

    def _failed(self, exc: PackdeskError) -> None:
        text = error_text(exc)
        self.message.setText(text)
        self.refused.emit(text)
