"""Add or change a package type: code, name, kind, inner size, tare, maximum weight, barcode.

A polybag has no fixed size: choosing it empties and locks the dimensions. The service checks
everything again; its refusal is shown in the dialog, which stays open to correct it.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import PackdeskError
from app.services import package_types
from app.services.package_types import KINDS, PackageTypeDraft, PackageTypeInfo
from ui.context import UiContext
from ui.i18n import error_text
from ui.models.package_types import kind_name


def _spin(maximum: int, suffix: str) -> QSpinBox:
    box = QSpinBox()
    box.setRange(0, maximum)
    box.setSuffix(suffix)
    box.setGroupSeparatorShown(True)
    return box


class PackageTypeDialog(QDialog):
    def __init__(
        self, ctx: UiContext, current: PackageTypeInfo | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.current = current
        self.saved: PackageTypeInfo | None = None
        self.setWindowTitle(
            self.tr("Add a package type") if current is None else self.tr("Change a package type")
        )
        self.code = QLineEdit()
        self.code.setObjectName("code")
        self.code.setPlaceholderText(self.tr("e.g. BOX-S"))
        self.name = QLineEdit()
        self.name.setObjectName("name")
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        for k in KINDS:
            self.kind.addItem(kind_name(k), k)
        self.length_box, self.width_box, self.height_box = (_spin(3000, " mm") for _ in range(3))
        self.tare = _spin(100_000, " g")
        self.max_weight = _spin(1_000_000, " g")
        self.max_weight.setSpecialValueText(self.tr("no limit"))
        self.barcode = QLineEdit()
        self.barcode.setObjectName("barcode")
        self.barcode.setPlaceholderText(
            self.tr("optional: scan it, or leave empty to use the code")
        )
        self.active = QCheckBox(self.tr("In use (suggested and found by its barcode)"))
        self.active.setChecked(True)
        size = QHBoxLayout()
        for label, box in (
            (self.tr("L"), self.length_box),
            (self.tr("W"), self.width_box),
            (self.tr("H"), self.height_box),
        ):
            size.addWidget(QLabel(label))
            size.addWidget(box)
        form = QFormLayout()
        form.addRow(self.tr("Code"), self.code)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Kind"), self.kind)
        form.addRow(self.tr("Inner size"), size)
        form.addRow(self.tr("Tare (empty package)"), self.tare)
        form.addRow(self.tr("Maximum weight, tare included"), self.max_weight)
        form.addRow(self.tr("Barcode"), self.barcode)
        form.addRow("", self.active)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020; font-weight: bold;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        if current is not None:
            self._fill(current)
        self._kind_changed()

    def _fill(self, p: PackageTypeInfo) -> None:
        self.code.setText(p.code)
        self.name.setText(p.name)
        self.kind.setCurrentIndex(self.kind.findData(p.kind))
        self.length_box.setValue(p.length_mm)
        self.width_box.setValue(p.width_mm)
        self.height_box.setValue(p.height_mm)
        self.tare.setValue(p.tare_g)
        self.max_weight.setValue(p.max_weight_g)
        self.barcode.setText(p.barcode)
        self.active.setChecked(p.active)

    def _kind_changed(self) -> None:
        bag = self.kind.currentData() == "polybag"
        for box in (self.length_box, self.width_box, self.height_box):
            if bag:
                box.setValue(0)
            box.setEnabled(not bag)

    def draft(self) -> PackageTypeDraft:
        return PackageTypeDraft(
            code=self.code.text(),
            name=self.name.text(),
            kind=str(self.kind.currentData()),
            barcode=self.barcode.text(),
            length_mm=self.length_box.value(),
            width_mm=self.width_box.value(),
            height_mm=self.height_box.value(),
            tare_g=self.tare.value(),
            max_weight_g=self.max_weight.value(),
            active=self.active.isChecked(),
            id=None if self.current is None else self.current.id,
        )

    def save(self) -> None:
        try:
            self.saved = self.ctx.services.run(
                package_types.save_package_type, self.ctx.actor, self.draft()
            )
        except PackdeskError as exc:
            self.error.setText(error_text(exc))
            return
        self.accept()
