"""The pack screen's two pages: waiting for a scan (one huge prompt and what was packed last)
and the order being packed (its lines as large rows, the carton, the live weight, the parcels,
and the weight stop in red when a parcel weighs wrong)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.packing import NextStep, PackView, WeightVerdict
from ui.feedback import ERROR_COLOUR, OK_COLOUR
from ui.models.pack import PICTURE, PackLinesModel, ParcelsModel, grams
from ui.widgets.pack_weight import WeightPanel

PROMPT_COLOUR = "#0d47a1"


def big_label(size: int, name: str, bold: bool = True) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    font = QFont()
    font.setPointSize(size)
    font.setBold(bold)
    label.setFont(font)
    label.setWordWrap(True)
    return label


class WaitingPage(QWidget):
    """ "Scan a tote, order or pick list", huge; below it what was packed last."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.prompt = big_label(54, "pack_waiting_prompt")
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.prompt.setText(self.tr("Scan a tote, order or pick list"))
        self.prompt.setStyleSheet(
            f"QLabel {{ background: {PROMPT_COLOUR}; color: white; padding: 40px;"
            " border-radius: 12px; }"
        )
        self.done = big_label(22, "pack_done", bold=False)
        self.done.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.last = big_label(36, "pack_last")
        self.last.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.slip = big_label(22, "pack_last_slip", bold=False)
        self.slip.setAlignment(Qt.AlignmentFlag.AlignCenter)
        #: the pickup shelf slot the last (pickup) order goes in, huge
        self.shelf = big_label(60, "pack_shelf_slot")
        self.shelf.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.shelf.setStyleSheet(
            "QLabel { background: #6a1b9a; color: white; padding: 16px; border-radius: 12px; }"
        )
        self.shelf.hide()
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.prompt)
        layout.addSpacing(24)
        layout.addWidget(self.done)
        layout.addWidget(self.shelf)
        layout.addWidget(self.last)
        layout.addWidget(self.slip)
        layout.addStretch(2)

    def set_last(self, text: str, ok: bool, slip: str = "") -> None:
        self.last.setText(text)
        self.last.setStyleSheet(f"QLabel {{ color: {OK_COLOUR if ok else ERROR_COLOUR}; }}")
        self.slip.setText(slip)

    def set_shelf(self, slot: str) -> None:
        """The pickup shelf slot of the order just packed ("" hides it)."""
        self.shelf.setText(self.tr("Pickup shelf {slot}").format(slot=slot) if slot else "")
        self.shelf.setVisible(bool(slot))


class MismatchPanel(QFrame):
    """A stopped parcel: both weights big, no label, what to do."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pack_mismatch")
        self.setStyleSheet(
            f"QFrame#pack_mismatch {{ background: {ERROR_COLOUR}; border-radius: 12px; }}"
            " QLabel { color: white; }"
        )
        self.title = big_label(30, "pack_mismatch_title")
        self.expected = big_label(34, "pack_mismatch_expected")
        self.actual = big_label(44, "pack_mismatch_actual")
        self.todo = big_label(24, "pack_mismatch_todo")
        layout = QVBoxLayout(self)
        for w in (self.title, self.expected, self.actual, self.todo):
            w.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(w)

    def show_verdict(self, v: WeightVerdict) -> None:
        word = self.tr("too heavy") if v.direction == "over" else self.tr("too light")
        self.title.setText(
            self.tr("Weight outside the expectation ({word}): no label printed").format(word=word)
        )
        self.expected.setText(
            self.tr("Expected {low} to {high}").format(low=grams(v.low_g), high=grams(v.high_g))
        )
        self.actual.setText(self.tr("Scale: {actual}").format(actual=grams(v.actual_g)))
        self.todo.setText(
            self.tr("Supervisor: scan your badge to accept, or repack and weigh again.")
        )


class OrderPage(QWidget):
    """The order being packed."""

    def __init__(self, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.order = big_label(36, "pack_order")
        self.flags = big_label(18, "pack_flags")
        self.flags.setStyleSheet("QLabel { color: #6a1b9a; }")
        self.count = big_label(28, "pack_count")
        self.count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        head = QHBoxLayout()
        head.addWidget(self.order)
        head.addWidget(self.flags, 1)
        head.addWidget(self.count)

        self.lines_model = PackLinesModel(data_dir, self)
        self.lines = self._table(self.lines_model, "pack_lines", PICTURE + 12)
        header = self.lines.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.mismatch = MismatchPanel()
        self.centre = QStackedWidget()
        self.centre.addWidget(self.lines)
        self.centre.addWidget(self.mismatch)

        self.carton = big_label(20, "pack_carton")
        self.carton.setFrameShape(QFrame.Shape.StyledPanel)
        self.weight = WeightPanel()
        self.parcels_model = ParcelsModel(self)
        self.parcels = self._table(self.parcels_model, "pack_parcels", 40)
        self.parcels.horizontalHeader().setSectionResizeMode(
            3, QHeaderView.ResizeMode.ResizeToContents
        )
        for w in (self.carton, self.weight):
            w.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        right = QVBoxLayout()
        right.addWidget(self.carton)
        right.addWidget(self.weight)
        right.addWidget(self.parcels, 1)
        right.addStretch(0)
        body = QHBoxLayout()
        body.addWidget(self.centre, 3)
        body.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addLayout(body, 1)

    @staticmethod
    def _table(model: PackLinesModel | ParcelsModel, name: str, row_height: int) -> QTableView:
        table = QTableView()
        table.setObjectName(name)
        table.setModel(model)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(row_height)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        table.setWordWrap(True)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        font = header.font()
        font.setPointSize(13)
        header.setFont(font)
        return table

    def show_view(self, view: PackView, flash_line: int | None = None) -> None:
        self.order.setText(self.tr("Order {number}").format(number=view.order_number))
        self.flags.setText("  ".join(self._flags(view)))
        self.count.setText(
            self.tr("{done} of {total} units").format(done=view.verified, total=view.units)
        )
        self.lines_model.set_rows(view.lines, flash_line)
        self.parcels_model.set_rows(view.parcels, view.current_parcel_id)
        self.parcels.setVisible(
            len(view.parcels) > 1 or any(p.tracking_number for p in view.parcels)
        )
        parcel = view.current_parcel
        if parcel is not None:
            self.weight.show_expectation(parcel.low_g, parcel.high_g, parcel.history_n)
        self._show_carton(view)

    def _flags(self, view: PackView) -> list[str]:
        flags = []
        if view.channel_order_id:
            flags.append(f"{view.channel} {view.channel_order_id}".strip())
        if view.gift:
            flags.append(self.tr("GIFT: no prices"))
        if view.cod_amount is not None:
            flags.append(
                self.tr("Cash on delivery {amount} {currency}").format(
                    amount=view.cod_amount, currency=view.currency
                )
            )
        if view.pickup:
            flags.append(self.tr("PICKUP: no carrier label"))
        return flags

    def _show_carton(self, view: PackView) -> None:
        parcel = view.current_parcel
        if parcel is not None and parcel.package_code:
            how = self.tr("(scanned)") if parcel.package_source == "scanned" else ""
            name = parcel.package_name or parcel.package_code
            self.carton.setText(self.tr("Carton: {name} {how}").format(name=name, how=how))
            return
        suggested = view.suggested_package
        if suggested is not None and suggested.code:
            self.carton.setText(
                self.tr("Suggested carton: {name}. Scan the carton you use.").format(
                    name=suggested.name or suggested.code
                )
            )
        else:
            self.carton.setText(self.tr("Carton: scan the carton you use"))

    def show_mismatch(self, verdict: WeightVerdict | None) -> None:
        if verdict is None:
            self.centre.setCurrentWidget(self.lines)
            return
        self.mismatch.show_verdict(verdict)
        self.centre.setCurrentWidget(self.mismatch)


def step_text(view: PackView) -> str:
    """The next step, said big."""
    step = view.next_step
    if step == NextStep.SCAN_SERIAL:
        return QCoreApplication.translate(
            "PackScreen", "Scan the serial number of {product}"
        ).format(product=view.serial_for)
    if step == NextStep.WEIGH:
        return QCoreApplication.translate("PackScreen", "Put the parcel on the scale")
    if step == NextStep.OVERRIDE:
        return QCoreApplication.translate(
            "PackScreen", "Supervisor: scan your badge to accept, or repack"
        )
    if step == NextStep.RETRY:
        return QCoreApplication.translate("PackScreen", "No label yet: scan READ to try again")
    if step == NextStep.HELD:
        reason = QCoreApplication.translate("PackdeskError", view.held_reason)
        return QCoreApplication.translate(
            "PackScreen", "Order held: {reason}. Put it aside, scan the next order."
        ).format(reason=reason)
    if step == NextStep.DONE:
        return QCoreApplication.translate("PackScreen", "Scan a tote, order or pick list")
    return QCoreApplication.translate("PackScreen", "Scan the next item")


def verdict_of(view: PackView) -> WeightVerdict | None:
    """The weight stop of a view read back (after a resume: the parcel's own weights)."""
    parcel = view.current_parcel
    if parcel is None or parcel.weight_g is None or parcel.low_g is None or parcel.high_g is None:
        return None
    over = parcel.weight_g > parcel.high_g
    return WeightVerdict(
        False,
        parcel.expected_g or 0,
        parcel.low_g,
        parcel.high_g,
        parcel.weight_g,
        "over" if over else "under",
        parcel.history_n,
    )
