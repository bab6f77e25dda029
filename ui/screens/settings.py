"""Settings: the warehouse-wide settings on one screen, in sections (a list on the left), each
with a short explanation: allocation and shelf life, order checks, personal data on labels,
retention, carriers' cut-offs, the mail server, the shop (sender and logo) and packing.

For users who may change settings (supervisors, administrators). Everything loads off the UI
thread. Save checks every field first and saves nothing while one is wrong (the reason is
under the field); then each changed section is saved by the service that owns it, which checks
the permission again and writes the audit row. Revert shows what is stored again; leaving the
screen with unsaved changes asks first."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import Services
from app.domain.errors import PackdeskError
from app.domain.users import Actor, Permission
from app.services import settings_view
from app.services.settings_view import WarehouseSettings
from ui.background import run_in_background
from ui.context import UiContext
from ui.i18n import error_text
from ui.screens.base import Screen
from ui.widgets.settings_base import SaveCall, Section
from ui.widgets.settings_checks import ChecksSection
from ui.widgets.settings_mail import MailSection
from ui.widgets.settings_sections import (
    AllocationSection,
    CutoffsSection,
    MaskingSection,
    RetentionSection,
)
from ui.widgets.settings_shop import PackingSection, ShopSection

ERROR_COLOUR, OK_COLOUR = "#b00020", "#1b5e20"


class SettingsScreen(Screen):
    permission = Permission.MANAGE_SETTINGS
    #: the stored settings are shown
    loaded = Signal()
    #: a save ended: True when every changed section was saved
    saved = Signal(bool)

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("SettingsScreen", "Settings")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("SettingsScreen")
        packing = PackingSection()
        self.sections: list[Section] = [
            AllocationSection(),
            ChecksSection(),
            MaskingSection(),
            RetentionSection(),
            CutoffsSection(),
            MailSection(),
            ShopSection(packing),
            packing,
        ]
        self.list = QListWidget()
        self.list.setObjectName("sections")
        self.list.setFixedWidth(230)
        font = self.list.font()
        font.setPointSize(font.pointSize() + 2)
        self.list.setFont(font)
        self.pages = QStackedWidget()
        for section in self.sections:
            self.list.addItem(section.title)
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setWidget(section)
            self.pages.addWidget(scroll)
            section.edited.connect(self._edited)
        self.list.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.revert_button = QPushButton(self.tr("Revert"))
        self.revert_button.setObjectName("revert")
        self.revert_button.clicked.connect(self.reload)
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setObjectName("save")
        self.save_button.setMinimumHeight(40)
        self.save_button.setMinimumWidth(140)
        self.save_button.clicked.connect(self.save)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.revert_button)
        bottom.addWidget(self.save_button)
        right = QVBoxLayout()
        right.addWidget(self.pages, 1)
        right.addLayout(bottom)
        layout = QHBoxLayout(self)
        layout.addWidget(self.list)
        layout.addLayout(right, 1)
        self.list.setCurrentRow(0)
        self._loaded = False
        self._busy = False
        self._own_notice = False
        self._buttons()
        ctx.bus.changed.connect(self._on_changed)

    # --- loading ------------------------------------------------------------------------------
    def activated(self) -> None:
        if not self._loaded and not self._busy:
            self.reload()

    def reload(self) -> None:
        s, a = self.ctx.services, self.ctx.actor
        self._busy = True
        self._buttons()
        run_in_background(
            self, lambda: s.run(settings_view.warehouse_settings, a), self._show, self._failed
        )

    def _show(self, data: WarehouseSettings) -> None:
        for section in self.sections:
            section.load(data)
        self._loaded, self._busy = True, False
        self._buttons()
        self.loaded.emit()

    def _on_changed(self, kind: str, _ids: list[int]) -> None:
        """Another station or screen changed settings: show them, unless edits would be lost."""
        if kind not in ("setting", "*") or self._own_notice or not self._loaded or self._busy:
            return
        if self.has_unsaved_changes():
            self._say(
                self.tr("Settings were changed elsewhere. Save yours, or Revert to see theirs."),
                ok=False,
            )
            return
        self.reload()

    def _failed(self, exc: PackdeskError) -> None:
        self._busy = False
        self._say(error_text(exc), ok=False)
        self._buttons()

    @property
    def is_loaded(self) -> bool:
        return self._loaded and not self._busy

    # --- editing ------------------------------------------------------------------------------
    def dirty_sections(self) -> list[Section]:
        return [s for s in self.sections if s.dirty()]

    def has_unsaved_changes(self) -> bool:
        return bool(self.dirty_sections())

    def _edited(self) -> None:
        self._buttons()
        names = ", ".join(s.title for s in self.dirty_sections())
        if names:
            self._say(self.tr("Not saved yet: {sections}").format(sections=names), ok=True)

    def _buttons(self) -> None:
        dirty = self._loaded and self.has_unsaved_changes()
        self.save_button.setEnabled(dirty and not self._busy)
        self.revert_button.setEnabled(dirty and not self._busy)
        for i, section in enumerate(self.sections):
            mark = " •" if section.dirty() else ""
            self.list.item(i).setText(section.title + mark)

    def _say(self, text: str, *, ok: bool) -> None:
        self.message.setStyleSheet(
            f"color: {OK_COLOUR if ok else ERROR_COLOUR}; font-weight: bold;"
        )
        self.message.setText(text)

    # --- saving -------------------------------------------------------------------------------
    def save(self) -> bool:
        """Check every changed section; save them all when none has a wrong field (False:
        nothing was saved, the reasons are under their fields)."""
        dirty = self.dirty_sections()
        wrong = []
        for section in [s for s in self.sections if s in dirty or s.refused_choice()]:
            errors = section.check()
            section.show_errors(errors)
            if errors:
                wrong.append(section)
        if wrong:
            self.list.setCurrentRow(self.sections.index(wrong[0]))
            self._say(
                self.tr("Nothing was saved: correct the fields marked in red ({sections}).").format(
                    sections=", ".join(s.title for s in wrong)
                ),
                ok=False,
            )
            return False
        if not dirty:
            self._say(self.tr("Nothing was changed."), ok=True)
            return False
        calls = [(section, section.save_call()) for section in dirty]
        services, actor = self.ctx.services, self.ctx.actor
        self._busy = True
        self._buttons()
        run_in_background(
            self, lambda: _save_all(services, actor, calls), self._saved, self._failed
        )
        return True

    def _saved(self, outcome: tuple[list[Section], Section | None, PackdeskError | None]) -> None:
        done, failed, exc = outcome
        self._busy = False
        for section in done:
            section.mark_saved()
            section.show_errors({})
        if failed is not None and exc is not None:
            failed.show_message(error_text(exc))
            self.list.setCurrentRow(self.sections.index(failed))
            self._say(
                self.tr("{section} was not saved: {reason}").format(
                    section=failed.title, reason=error_text(exc)
                ),
                ok=False,
            )
        else:
            self._say(self.tr("Saved. Every station uses the new settings now."), ok=True)
            self.reload()  # as stored ("17：30" typed is 17:30)
        self._own_notice = True
        try:
            self.ctx.bus.notify("setting")
        finally:
            self._own_notice = False
        self._buttons()
        self.saved.emit(failed is None)

    # --- leaving ------------------------------------------------------------------------------
    def can_leave(self) -> bool:
        """Ask before unsaved changes are left behind (Save, Discard or stay)."""
        if not self.has_unsaved_changes():
            return True
        answer = QMessageBox.question(
            self,
            self.tr("Unsaved settings"),
            self.tr("Some settings were changed and not saved. Save them now?"),
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        if answer == QMessageBox.StandardButton.Discard:
            self.reload()
            return True
        return False


def _save_all(
    services: Services, actor: Actor, calls: list[tuple[Section, SaveCall]]
) -> tuple[list[Section], Section | None, PackdeskError | None]:
    """Each section's call in turn (worker thread); stops at the first that is refused."""
    done: list[Section] = []
    for section, call in calls:
        try:
            call(services, actor)
        except PackdeskError as exc:
            return done, section, exc
        done.append(section)
    return done, None, None
