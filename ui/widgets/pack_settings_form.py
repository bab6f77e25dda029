"""The packing settings form: the weight tolerance (with a worked example that follows the
numbers), what a station may do without a scale or a full scan, the packing slip (paper, return
instructions, and a preview of the shop's logo, which is chosen on the Settings screen) and the
sender printed on labels and slips."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.pack_settings import PackSettings
from app.domain.weight_check import expectation
from ui.widgets.logo_preview import LogoPreview

#: the example parcel the tolerance is shown on (grams)
EXAMPLE_G = (300, 2000)
SENDER_FIELDS = (
    "sender_name",
    "sender_phone",
    "sender_country",
    "sender_province",
    "sender_city",
    "sender_district",
    "sender_street",
    "sender_postal_code",
)


class PackSettingsForm(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PackSettingsForm")
        self._logo_path = ""
        layout = QVBoxLayout(self)
        layout.addWidget(self._weighing_box())
        layout.addWidget(self._slip_box())
        layout.addWidget(self._sender_box())
        layout.addStretch(1)
        self.set_value(PackSettings())

    # --- the parts --------------------------------------------------------------------------
    def _weighing_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Weighing and verifying"))
        self.tolerance_pct = QDoubleSpinBox()
        self.tolerance_pct.setObjectName("tolerance_pct")
        self.tolerance_pct.setRange(0.0, 100.0)
        self.tolerance_pct.setDecimals(1)
        self.tolerance_pct.setSuffix(" %")
        self.tolerance_floor = QSpinBox()
        self.tolerance_floor.setObjectName("tolerance_floor")
        self.tolerance_floor.setRange(0, 100_000)
        self.tolerance_floor.setSuffix(" g")
        self.example = QLabel()
        self.example.setObjectName("example")
        self.example.setWordWrap(True)
        self.tolerance_pct.valueChanged.connect(lambda _v: self._show_example())
        self.tolerance_floor.valueChanged.connect(lambda _v: self._show_example())
        self.require_weight = QCheckBox(self.tr("Weigh every parcel"))
        self.allow_typed = QCheckBox(
            self.tr("Allow typing the weight at a station without a scale (audited)")
        )
        self.full_scan = QCheckBox(self.tr("Print no label until every item is scanned"))
        self.full_scan.setToolTip(
            self.tr('Lines ticked off with "force verify" do not count as scanned.')
        )
        form = QFormLayout(box)
        form.addRow(self.tr("Tolerance"), self.tolerance_pct)
        form.addRow(self.tr("but at least"), self.tolerance_floor)
        form.addRow("", self.example)
        for check in (self.require_weight, self.allow_typed, self.full_scan):
            form.addRow("", check)
        return box

    def _slip_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Packing slip"))
        self.print_slip = QCheckBox(self.tr("Print a packing slip with each order"))
        self.slip_paper = QComboBox()
        self.slip_paper.setObjectName("slip_paper")
        self.slip_paper.addItem("A4", "A4")
        self.slip_paper.addItem("Letter", "Letter")
        self.logo_preview = LogoPreview(220, 80)
        self.logo_note = QLabel(
            self.tr("The logo is chosen on the Settings screen; every station prints it.")
        )
        self.logo_note.setObjectName("logo_note")
        self.logo_note.setWordWrap(True)
        logo = QHBoxLayout()
        logo.addWidget(self.logo_preview)
        logo.addWidget(self.logo_note, 1)
        self.returns = QPlainTextEdit()
        self.returns.setObjectName("returns")
        self.returns.setPlaceholderText(
            self.tr("How to return an item: address, time limit, what to enclose")
        )
        self.returns.setMaximumHeight(70)
        self.pickup_slots = QLineEdit()
        self.pickup_slots.setObjectName("pickup_slots")
        self.pickup_slots.setPlaceholderText(self.tr("For example P-01..P-40, COUNTER"))
        self.pickup_slots.setToolTip(
            self.tr("A packed pickup order goes in the lowest free slot, named on its slip.")
        )
        form = QFormLayout(box)
        form.addRow("", self.print_slip)
        form.addRow(self.tr("Paper"), self.slip_paper)
        form.addRow(self.tr("Shop logo"), logo)
        form.addRow(self.tr("Return instructions"), self.returns)
        form.addRow(self.tr("Pickup shelf slots"), self.pickup_slots)
        return box

    def _sender_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Sender (the shop), printed on labels and slips"))
        captions = (
            self.tr("Name"),
            self.tr("Phone"),
            self.tr("Country"),
            self.tr("Province / state"),
            self.tr("City"),
            self.tr("District"),
            self.tr("Street"),
            self.tr("Postal code"),
        )
        self.sender_edits: dict[str, QLineEdit] = {}
        grid = QGridLayout(box)
        for i, (field, caption) in enumerate(zip(SENDER_FIELDS, captions, strict=True)):
            edit = QLineEdit()
            edit.setObjectName(field)
            self.sender_edits[field] = edit
            grid.addWidget(QLabel(caption), i // 2, (i % 2) * 2)
            grid.addWidget(edit, i // 2, (i % 2) * 2 + 1)
        return box

    # --- behaviour --------------------------------------------------------------------------
    def _show_example(self) -> None:
        tol = PackSettings(
            tolerance_pct=self.tolerance_pct.value(), tolerance_floor_g=self.tolerance_floor.value()
        ).tolerance
        parts = []
        for grams in EXAMPLE_G:
            exp = expectation(grams, 0, tol)
            parts.append(
                self.tr("a {g} g parcel may weigh {low} to {high} g").format(
                    g=grams, low=exp.low_g, high=exp.high_g
                )
            )
        self.example.setText(
            self.tr(
                "For example: {examples}. After 3 parcels of the same items and box, their "
                "own weights count too."
            ).format(examples="; ".join(parts))
        )

    def show_logo(self, picture: bytes | None, legacy_path: str = "") -> None:
        """Preview what the slip prints: the shop's stored logo, else the older per-PC file."""
        if picture is None and legacy_path and Path(legacy_path).is_file():
            picture = Path(legacy_path).read_bytes()
        self.logo_preview.show_picture(picture)

    def set_value(self, s: PackSettings) -> None:
        self.tolerance_pct.setValue(s.tolerance_pct)
        self.tolerance_floor.setValue(s.tolerance_floor_g)
        self.require_weight.setChecked(s.require_weight)
        self.allow_typed.setChecked(s.allow_typed_weight)
        self.full_scan.setChecked(s.labels_need_full_scan)
        self.print_slip.setChecked(s.print_slip)
        self.slip_paper.setCurrentIndex(max(0, self.slip_paper.findData(s.slip_paper)))
        self.returns.setPlainText(s.return_instructions)
        self.pickup_slots.setText(s.pickup_slots)
        for field, edit in self.sender_edits.items():
            edit.setText(str(getattr(s, field)))
        self._logo_path = s.logo_path
        self._show_example()

    def value(self) -> PackSettings:
        """The settings as filled in (a ValidationError when one breaks a rule)."""
        return PackSettings(
            tolerance_pct=round(self.tolerance_pct.value(), 1),
            tolerance_floor_g=self.tolerance_floor.value(),
            allow_typed_weight=self.allow_typed.isChecked(),
            labels_need_full_scan=self.full_scan.isChecked(),
            require_weight=self.require_weight.isChecked(),
            slip_paper=str(self.slip_paper.currentData()),
            print_slip=self.print_slip.isChecked(),
            logo_path=self._logo_path,
            return_instructions=self.returns.toPlainText().strip(),
            pickup_slots=self.pickup_slots.text().strip(),
            **{field: edit.text().strip() for field, edit in self.sender_edits.items()},
        )

    def set_editable(self, editable: bool) -> None:
        for child in self.findChildren(QWidget):
            if isinstance(child, (QLineEdit, QPlainTextEdit)):
                child.setReadOnly(not editable)
            elif isinstance(child, (QCheckBox, QComboBox, QSpinBox, QDoubleSpinBox, QPushButton)):
                child.setEnabled(editable)
