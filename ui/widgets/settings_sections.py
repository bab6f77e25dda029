"""Settings sections: allocation and shelf life, masking per channel, retention, carriers'
cut-offs. Each saves through the service that owns the setting (audited there)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLineEdit, QSpinBox, QWidget

from app.bootstrap import Services
from app.domain import handover
from app.domain.allocation import ShortagePolicy
from app.domain.errors import PackdeskError
from app.domain.privacy import MaskPolicy
from app.domain.users import Actor
from app.services import allocation, handover_cutoffs, privacy
from app.services.allocation import MAX_SHELF_LIFE_DAYS
from app.services.settings_view import CarrierCutoff, WarehouseSettings
from ui.widgets.settings_base import SaveCall, Section


class AllocationSection(Section):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Allocation and shelf life"),
            self.tr(
                "Stock is reserved first-expired-first-out for goods with an expiry date and "
                "first-in-first-out for the rest. Here you choose what a released order does "
                "when stock is short, and how long a lot must still keep to be sent out."
            ),
            parent,
        )
        self.policy = QComboBox()
        self.policy.addItem(
            self.tr("Hold the whole order until all of it is in stock"), ShortagePolicy.HOLD.value
        )
        self.policy.addItem(
            self.tr("Send what is there; the rest waits as a backorder"),
            ShortagePolicy.BACKORDER.value,
        )
        self.add_field("shortage_policy", self.tr("When stock is short"), self.policy)
        self.shelf_life = QSpinBox()
        self.shelf_life.setRange(0, MAX_SHELF_LIFE_DAYS)
        self.shelf_life.setSuffix(self.tr(" days"))
        self.shelf_life.setSpecialValueText(self.tr("no minimum (expired lots never go)"))
        self.add_field(
            "min_shelf_life_days", self.tr("Minimum shelf life left to send a lot"), self.shelf_life
        )
        self.watch()

    def show_value(self, data: WarehouseSettings) -> None:
        rules = data.allocation
        self.policy.setCurrentIndex(max(0, self.policy.findData(rules.shortage_policy.value)))
        self.shelf_life.setValue(rules.min_shelf_life_days)

    def save_call(self) -> SaveCall:
        policy, days = str(self.policy.currentData()), self.shelf_life.value()

        def save(services: Services, actor: Actor) -> None:
            services.run(
                allocation.set_allocation_settings,
                actor,
                shortage_policy=policy,
                min_shelf_life_days=days,
            )

        return save


class MaskingSection(Section):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Personal data on labels"),
            self.tr(
                "How each sales channel's recipients are shown on screens, labels and packing "
                "slips. The stored data and the files for carriers always keep the real values."
            ),
            parent,
        )
        self.combos: dict[str, QComboBox] = {}
        self._loaded_policies: dict[str, str] = {}

    def _names(self) -> dict[str, str]:
        return {
            MaskPolicy.EWAYBILL.value: self.tr("Hide name, phone and room (e-waybill rule)"),
            MaskPolicy.FULL_NAME.value: self.tr("Show the name; hide phone and room"),
            MaskPolicy.NONE.value: self.tr("Show everything (business customers)"),
        }

    def show_value(self, data: WarehouseSettings) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.combos.clear()
        self._loaded_policies = {c.code: c.policy.value for c in data.channels}
        for ch in data.channels:
            combo = QComboBox()
            for value, name in self._names().items():
                combo.addItem(name, value)
            combo.setCurrentIndex(max(0, combo.findData(ch.policy.value)))
            combo.currentIndexChanged.connect(self._changed)
            self.combos[ch.code] = combo
            self.add_field(f"mask_{ch.code}", f"{ch.name} ({ch.code})", combo)
        if not data.channels:
            self.show_message(self.tr("No sales channel yet: import orders first."))

    def save_call(self) -> SaveCall:
        changes = [
            (code, str(combo.currentData()))
            for code, combo in self.combos.items()
            if combo.currentData() != self._loaded_policies.get(code)
        ]

        def save(services: Services, actor: Actor) -> None:
            for code, policy in changes:
                services.run(privacy.set_channel_mask_policy, actor, code, policy)

        return save


class RetentionSection(Section):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Retention of personal data"),
            self.tr(
                "Days after an order is delivered, returned or cancelled before its "
                "recipient's name, phone and street are blanked (country and city stay for the "
                "figures). 0 keeps personal data for ever."
            ),
            parent,
        )
        self.days = QSpinBox()
        self.days.setRange(0, 3650)
        self.days.setSuffix(self.tr(" days"))
        self.days.setSpecialValueText(self.tr("keep for ever"))
        self.add_field("retention_days", self.tr("Keep personal data for"), self.days)
        self.watch()

    def show_value(self, data: WarehouseSettings) -> None:
        self.days.setValue(data.retention_days)

    def save_call(self) -> SaveCall:
        days = self.days.value()

        def save(services: Services, actor: Actor) -> None:
            services.run(privacy.set_retention_days, actor, days)

        return save


class CutoffsSection(Section):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Carriers' cut-off times"),
            self.tr(
                "Each carrier's last pick-up of the day, on this warehouse's clock (HH:MM, "
                "empty for none). The Ship screen counts down to it: amber half an hour "
                "before, red once it has passed."
            ),
            parent,
        )
        self.edits: dict[str, QLineEdit] = {}
        self._loaded_times: dict[str, str] = {}

    def show_value(self, data: WarehouseSettings) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        for key in [k for k in self.errors if k.startswith("cutoff_")]:
            self.errors.pop(key)
            self.fields.pop(key, None)
        self.edits.clear()
        self._loaded_times = {c.code: c.cutoff for c in data.cutoffs}
        for c in data.cutoffs:
            self._row(c)
        if not data.cutoffs:
            self.show_message(self.tr("No active carrier yet: add one on the Carriers screen."))

    def _row(self, c: CarrierCutoff) -> None:
        edit = QLineEdit(c.cutoff)
        edit.setPlaceholderText(self.tr("HH:MM, empty for none"))
        edit.setMaxLength(8)
        edit.setMaximumWidth(160)
        edit.textChanged.connect(self._changed)
        self.edits[c.code] = edit
        self.add_field(f"cutoff_{c.code}", f"{c.name} ({c.code})", edit)

    def check(self) -> dict[str, PackdeskError]:
        errors: dict[str, PackdeskError] = {}
        for code, edit in self.edits.items():
            try:
                handover.parse_cutoff(edit.text())
            except PackdeskError as exc:
                errors[f"cutoff_{code}"] = exc
        return errors

    def save_call(self) -> SaveCall:
        changes = [
            (code, edit.text())
            for code, edit in self.edits.items()
            if edit.text().strip() != self._loaded_times.get(code, "")
        ]

        def save(services: Services, actor: Actor) -> None:
            for code, text in changes:
                services.run(handover_cutoffs.set_cutoff, actor, code, text)

        return save
