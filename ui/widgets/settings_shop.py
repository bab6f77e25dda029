"""Settings sections: the shop (the sender on labels, slips and notices, and its logo, stored
in the database so every station prints it) and the packing settings (reusing the Packaging
screen's form). Both are one row of packing settings, saved by
``pack_settings.save_pack_settings``; the logo by ``settings_logo.set_shop_logo``."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.bootstrap import Services
from app.domain import settings_checks as fields
from app.domain.errors import PackdeskError
from app.domain.pack_settings import PackSettings
from app.domain.pickup_shelf import expand_slots
from app.domain.settings_logo import check_logo, check_logo_size, unreadable_logo
from app.domain.users import Actor
from app.services import pack_settings, settings_logo
from app.services.settings_view import WarehouseSettings
from ui.widgets.logo_preview import LogoPreview
from ui.widgets.pack_settings_form import SENDER_FIELDS, PackSettingsForm
from ui.widgets.settings_base import SaveCall, Section, checked


class PackingSection(Section):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Packing settings"),
            self.tr(
                "The weight check at the pack station, what a station may do without a scale "
                "or a full scan, and the packing slip. The same settings are on the Packaging "
                "screen."
            ),
            parent,
        )
        self.pack_form = PackSettingsForm()
        inner = self.pack_form.layout()
        if inner is not None:
            inner.setContentsMargins(0, 0, 0, 0)
        # the sender and the logo belong to the Shop section
        sender_box = self.pack_form.sender_edits["sender_name"].parentWidget()
        if sender_box is not None:
            sender_box.hide()
        _hide_logo_row(self.pack_form)
        self.form.addRow(self.pack_form)
        self.field("pickup_slots", self.pack_form.pickup_slots)
        self.shop: ShopSection | None = None
        self._loaded_pack = PackSettings()
        self.watch()

    def show_value(self, data: WarehouseSettings) -> None:
        self._loaded_pack = data.pack
        self.pack_form.set_value(data.pack)

    def check(self) -> dict[str, PackdeskError]:
        errors: dict[str, PackdeskError] = {}
        checked(errors, "pickup_slots", lambda: expand_slots(self.pack_form.pickup_slots.text()))
        if not errors:
            checked(errors, "", self.pack_form.value)
        return errors

    def value(self) -> PackSettings:
        """The packing settings with the Shop section's sender."""
        value = self.pack_form.value()
        if self.shop is None:
            return value
        return PackSettings.from_json({**value.to_json(), **self.shop.sender_values()})

    def save_call(self) -> SaveCall:
        new = self.value()

        def save(services: Services, actor: Actor) -> None:
            services.run(pack_settings.save_pack_settings, actor, new)

        return save


class ShopSection(Section):
    def __init__(self, packing: PackingSection, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Shop: sender and logo"),
            self.tr(
                "Your shop as customers and carriers see it: the sender printed on shipping "
                "labels and packing slips, and the logo on the packing slip. The logo is kept "
                "in the database, so every station prints the same one."
            ),
            parent,
        )
        self.packing = packing
        packing.shop = self
        captions = (
            self.tr("Name"),
            self.tr("Phone"),
            self.tr("Country (two letters, for example CN)"),
            self.tr("Province / state"),
            self.tr("City"),
            self.tr("District"),
            self.tr("Street"),
            self.tr("Postal code"),
        )
        self.sender_edits: dict[str, QLineEdit] = {}
        for key, caption in zip(SENDER_FIELDS, captions, strict=True):
            edit = QLineEdit()
            self.sender_edits[key] = edit
            self.add_field(key, caption, edit)
        self._logo_row()
        self._logo: bytes | None = None
        self._logo_name = ""
        self._loaded_logo: bytes | None = None
        self._logo_error: PackdeskError | None = None
        self.watch()

    def _logo_row(self) -> None:
        self.logo_preview = LogoPreview(240, 90)
        self.logo_button = QPushButton(self.tr("Choose logo…"))
        self.logo_button.setObjectName("choose_logo")
        self.logo_button.clicked.connect(self._ask_logo)
        self.logo_clear = QPushButton(self.tr("No logo"))
        self.logo_clear.setObjectName("clear_logo")
        self.logo_clear.clicked.connect(lambda: self.set_logo(None))
        row = QWidget()
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        for w in (self.logo_preview, self.logo_button, self.logo_clear):
            box.addWidget(w)
        box.addStretch(1)
        self.add_field("logo", self.tr("Logo (PNG or JPEG, up to 512 KB)"), row)

    def sender_values(self) -> dict[str, str]:
        return {key: edit.text().strip() for key, edit in self.sender_edits.items()}

    def show_value(self, data: WarehouseSettings) -> None:
        for key, edit in self.sender_edits.items():
            edit.setText(str(getattr(data.pack, key)))
        self._loaded_logo = data.logo.data if data.logo else None
        self._logo_name = data.logo.file_name if data.logo else ""
        self._logo_error = None
        self._show_logo(self._loaded_logo)

    def extra_state(self) -> object:
        return hashlib.sha256(self._logo).hexdigest() if self._logo else None

    # --- the logo ----------------------------------------------------------------------------
    def _ask_logo(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose the shop's logo"), "", self.tr("Pictures (*.png *.jpg *.jpeg)")
        )
        if name:
            self.choose_logo_file(name)

    def choose_logo_file(self, path: str) -> bool:
        """Take the picture at ``path`` as the new logo (saved with Save); False, with the
        reason under the logo, when it cannot be used."""
        file = Path(path)
        try:
            check_logo_size(file.stat().st_size)
            data = file.read_bytes()
            check_logo(data)
        except OSError:
            self._logo_error = unreadable_logo(file.name)
        except PackdeskError as exc:
            self._logo_error = exc
        else:
            self._logo_error = None
            self._logo_name = file.name
            self._show_logo(data)
        self.show_errors(self.check())
        self.edited.emit()
        return self._logo_error is None

    def set_logo(self, data: bytes | None) -> None:
        self._logo_error = None
        self._logo_name = ""
        self._show_logo(data)
        self.show_errors(self.check())
        self.edited.emit()

    def _show_logo(self, data: bytes | None) -> None:
        self._logo = data
        self.logo_preview.show_picture(data)

    # --- checking and saving -------------------------------------------------------------
    def refused_choice(self) -> bool:
        return self._logo_error is not None

    def check(self) -> dict[str, PackdeskError]:
        errors: dict[str, PackdeskError] = {}
        checked(
            errors,
            "sender_country",
            lambda: fields.sender_country(self.sender_edits["sender_country"].text()),
        )
        if self._logo_error is not None:
            errors["logo"] = self._logo_error
        return errors

    def save_call(self) -> SaveCall:
        logo, name = self._logo, self._logo_name
        logo_changed = logo != self._loaded_logo
        # the packing section saves the sender with its own settings when it was changed too
        pack = None if self.packing.dirty() else self.packing.value()

        def save(services: Services, actor: Actor) -> None:
            if pack is not None:
                services.run(pack_settings.save_pack_settings, actor, pack)
            if logo_changed:
                services.run(settings_logo.set_shop_logo, actor, logo, name)

        return save


def _hide_logo_row(form: PackSettingsForm) -> None:
    box = form.logo_preview.parentWidget()
    layout = box.layout() if box is not None else None
    if not isinstance(layout, QFormLayout):
        return
    for row in range(layout.rowCount()):
        item = layout.itemAt(row, QFormLayout.ItemRole.FieldRole)
        inner = item.layout() if item is not None else None
        if inner is not None and inner.indexOf(form.logo_preview) >= 0:
            layout.setRowVisible(row, False)
            return
