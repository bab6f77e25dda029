"""Packaging: the package types the bench uses (cartons, polybags, envelopes: inner size, tare,
maximum weight, barcode), their carton card to print for the bench, and the packing settings
(weight tolerance, verify policy, packing slip, sender).

Everyone may look; changing package types needs "manage shipping", changing the settings
"manage settings" (supervisors and administrators have both). Loads off the UI thread.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import PackdeskError
from app.domain.pack_settings import PackSettings
from app.domain.scans import ScanEvent, ScanKind
from app.domain.users import Permission
from app.services import carton_check, pack_settings, package_types, settings_logo
from app.services.carton_check import CartonTrial
from app.services.package_types import PackageTypeInfo
from ui.background import run_in_background
from ui.context import UiContext
from ui.i18n import error_text
from ui.models.package_types import PackageTypesModel, trial_text
from ui.screens.base import Screen
from ui.widgets.pack_settings_form import PackSettingsForm
from ui.widgets.package_type_dialog import PackageTypeDialog

ERROR_COLOUR, OK_COLOUR = "#B71C1C", "#1B5E20"


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSize(font.pointSize() + 4)
    font.setBold(True)
    label.setFont(font)
    return label


class PackagingScreen(Screen):
    permission = Permission.VIEW_ORDERS
    #: a scanned order is tried at once
    takes_scans = True

    #: the package types and settings were shown (tests and screenshots wait for it)
    loaded = Signal()
    #: the settings were saved (the PackSettings) or refused (None)
    settings_saved = Signal(object)
    #: "try on an order" answered (its CartonTrial) or refused (None)
    tried = Signal(object)

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("PackagingScreen", "Packaging")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("PackagingScreen")
        self.model = PackageTypesModel()
        self.table = QTableView()
        self.table.setObjectName("package_types")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PackageTypesModel.NAME, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.form = PackSettingsForm()
        self.save_button = QPushButton(self.tr("Save packing settings"))
        self.save_button.setObjectName("save_settings")
        self.save_button.clicked.connect(self.save_settings)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._types_panel())
        splitter.addWidget(self._settings_panel())
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        root = QVBoxLayout(self)
        root.addWidget(self.message)
        root.addWidget(splitter, 1)
        self._apply_permissions()

    def _types_panel(self) -> QWidget:
        self.add_button = QPushButton(self.tr("Add package type…"))
        self.add_button.setObjectName("add")
        self.add_button.clicked.connect(self.add_package_type)
        self.edit_button = QPushButton(self.tr("Change…"))
        self.edit_button.clicked.connect(self.edit_selected)
        self.active_button = QPushButton(self.tr("In use / not in use"))
        self.active_button.clicked.connect(self.toggle_selected)
        self.card_button = QPushButton(self.tr("Print carton card…"))
        self.card_button.setObjectName("carton_card")
        self.card_button.setToolTip(
            self.tr("An A4 sheet with each package's barcode: scan it at the bench to choose it")
        )
        self.card_button.clicked.connect(self._ask_carton_card)
        bar = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.active_button, self.card_button):
            bar.addWidget(b)
        bar.addStretch(1)
        hint = QLabel(
            self.tr(
                "The smallest box the items fit into is suggested (sizes from the catalogue, "
                "turned every way); a polybag when no box fits. Scanning a package's barcode at "
                "the bench chooses it instead."
            )
        )
        hint.setWordWrap(True)
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.addWidget(_heading(self.tr("Package types")))
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)
        layout.addWidget(self._trial_box())
        return panel

    def _trial_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Try on an order"))
        self.trial_input = QLineEdit()
        self.trial_input.setObjectName("trial_input")
        self.trial_input.setPlaceholderText(self.tr("Type or scan an order number"))
        self.trial_input.returnPressed.connect(self.try_order)
        self.trial_button = QPushButton(self.tr("Try"))
        self.trial_button.clicked.connect(self.try_order)
        self.trial_result = QLabel()
        self.trial_result.setObjectName("trial_result")
        self.trial_result.setTextFormat(Qt.TextFormat.RichText)
        self.trial_result.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.trial_input, 1)
        row.addWidget(self.trial_button)
        layout = QVBoxLayout(box)
        layout.addLayout(row)
        layout.addWidget(self.trial_result)
        return box

    def _settings_panel(self) -> QWidget:
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        panel = QWidget()
        layout = QVBoxLayout(panel)
        top = QHBoxLayout()
        top.addWidget(_heading(self.tr("Packing settings")), 1)
        top.addWidget(self.save_button)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        return panel

    def _apply_permissions(self) -> None:
        why = self.tr("Only an administrator or supervisor may do this")
        if not self.ctx.can(Permission.MANAGE_SHIPPING):
            for b in (self.add_button, self.edit_button, self.active_button):
                b.setEnabled(False)
                b.setToolTip(why)
        if not self.ctx.can(Permission.MANAGE_SETTINGS):
            self.form.set_editable(False)
            self.save_button.setEnabled(False)
            self.save_button.setToolTip(why)

    # --- loading ----------------------------------------------------------------------------
    def activated(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        services = self.ctx.services

        def load() -> tuple[list[PackageTypeInfo], PackSettings, bytes | None]:
            logo = services.run(settings_logo.shop_logo)
            return (
                services.run(package_types.list_package_types),
                services.run(pack_settings.get_pack_settings),
                logo.data if logo is not None else None,
            )

        run_in_background(self, load, self._show, lambda exc: self.say(error_text(exc), False))

    def _show(self, loaded: tuple[list[PackageTypeInfo], PackSettings, bytes | None]) -> None:
        rows, settings, logo = loaded
        self.model.set_rows(rows)
        self.form.set_value(settings)
        self.form.show_logo(logo, settings.logo_path)
        self.loaded.emit()

    def say(self, text: str, ok: bool = True) -> None:
        colour = OK_COLOUR if ok else ERROR_COLOUR
        self.message.setStyleSheet(f"color: {colour}; font-weight: bold; font-size: 14pt;")
        self.message.setText(text)

    # --- package types ----------------------------------------------------------------------
    def selected(self) -> PackageTypeInfo | None:
        idx = self.table.currentIndex()
        return self.model.rows[idx.row()] if idx.isValid() else None

    def _select(self, package_type_id: int) -> None:
        row = self.model.row_of(package_type_id)
        if row >= 0:
            self.table.selectRow(row)

    def open_dialog(self, current: PackageTypeInfo | None = None) -> PackageTypeDialog:
        return PackageTypeDialog(self.ctx, current, self)

    def _run_dialog(self, dialog: PackageTypeDialog) -> None:
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved is not None:
            self.saved_package_type(dialog.saved)

    def saved_package_type(self, saved: PackageTypeInfo) -> None:
        """Show the list again with the saved package type selected."""
        rows = self.ctx.services.run(package_types.list_package_types)
        self.model.set_rows(rows)
        self._select(saved.id)
        self.say(self.tr("Package type {code} saved.").format(code=saved.code))

    def add_package_type(self) -> None:
        self._run_dialog(self.open_dialog())

    def edit_selected(self) -> None:
        current = self.selected()
        if current is not None and self.ctx.can(Permission.MANAGE_SHIPPING):
            self._run_dialog(self.open_dialog(current))

    def toggle_selected(self) -> None:
        current = self.selected()
        if current is None:
            return
        try:
            saved = self.ctx.services.run(
                package_types.set_active, self.ctx.actor, current.id, not current.active
            )
        except PackdeskError as exc:
            self.say(error_text(exc), False)
            return
        self.saved_package_type(saved)

    def _ask_carton_card(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save the carton card"), "carton-card.pdf", "PDF (*.pdf)"
        )
        if name:
            self.save_carton_card(Path(name))

    def save_carton_card(self, path: Path) -> bool:
        try:
            document = self.ctx.services.run(package_types.carton_card_document, self.ctx.actor)
            path.write_bytes(document)
        except PackdeskError as exc:
            self.say(error_text(exc), False)
            return False
        except OSError as exc:
            self.say(self.tr("Cannot write {file}: {reason}").format(file=path, reason=exc), False)
            return False
        self.say(self.tr("Carton card saved to {file}: print it for the bench.").format(file=path))
        return True

    # --- try on an order ----------------------------------------------------------------------
    def on_scan(self, event: object) -> None:
        if isinstance(event, ScanEvent) and event.kind is ScanKind.ORDER:
            self.trial_input.setText(event.code or event.text)
            self.try_order()

    def try_order(self) -> None:
        text = self.trial_input.text().strip()
        if not text:
            return
        services, actor = self.ctx.services, self.ctx.actor
        run_in_background(
            self,
            lambda: services.run(carton_check.try_on_order, actor, text),
            self._show_trial,
            self._trial_refused,
        )

    def _show_trial(self, trial: CartonTrial) -> None:
        self.trial_result.setStyleSheet("")
        self.trial_result.setText(trial_text(trial))
        self.tried.emit(trial)

    def _trial_refused(self, exc: PackdeskError) -> None:
        self.trial_result.setStyleSheet(f"color: {ERROR_COLOUR}; font-weight: bold;")
        self.trial_result.setText(error_text(exc))
        self.tried.emit(None)

    # --- settings ---------------------------------------------------------------------------
    def save_settings(self) -> None:
        try:
            saved = self.ctx.services.run(
                pack_settings.save_pack_settings, self.ctx.actor, self.form.value()
            )
        except PackdeskError as exc:
            self.say(error_text(exc), False)
            self.settings_saved.emit(None)
            return
        self.form.set_value(saved)
        self.say(self.tr("Packing settings saved."))
        self.settings_saved.emit(saved)
