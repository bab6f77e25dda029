"""The parts a channel's listing stands for, and the catalogue search that adds them: the common
half of mapping a line in Review and of the mapping screen's Add/Edit dialog.

Keyboard first: type a name or SKU (or scan a barcode) into the search box, Enter adds the exact
barcode/SKU match or else the highlighted hit (the arrow keys move it), and the box is empty again
for the next product. Enter in an empty box saves (``submitted``). The search
runs off the UI thread; an Enter pressed before its answer came is kept and acted on then.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import PackdeskError
from app.services import listing_mappings
from app.services.listing_mappings import MapResult, ProductHit
from ui.background import run_in_background
from ui.context import UiContext
from ui.i18n import error_text

SEARCH_DELAY_MS = 200
MAX_UNITS = 9999
OK_COLOUR, ERROR_COLOUR = "#1b5e20", "#b00020"
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


@dataclass(frozen=True)
class Part:
    """A product in the parts list: what it shows and how many units one listing unit is."""

    product_id: int
    sku: str
    name: str
    units: int = 1

    def text(self) -> str:
        return f"{self.sku}  {self.name}" if self.name else self.sku


def match_kind_name(kind: str) -> str:
    """What a mapping matches a channel's line on, for display."""
    return {
        "sku": QCoreApplication.translate("Mappings", "Channel SKU"),
        "listing_id": QCoreApplication.translate("Mappings", "Listing or variant id"),
        "title": QCoreApplication.translate("Mappings", "Listing title"),
    }.get(kind, kind)


def mapped_text(result: MapResult) -> str:
    """After a save: what happened to the held orders with the listing."""
    text = (
        QCoreApplication.translate(
            "Mappings", "Mapped; 1 order re-checked, {released} released, {held} still held."
        )
        if result.rechecked == 1
        else QCoreApplication.translate(
            "Mappings",
            "Mapped; {rechecked} orders re-checked, {released} released, {held} still held.",
        )
    )
    return text.format(rechecked=result.rechecked, released=result.released, held=result.still_held)


def hit_text(hit: ProductHit) -> str:
    text = f"{hit.sku}  {hit.name}"
    return f"{text}  [{hit.barcode}]" if hit.barcode else text


def exact_hit(hits: Sequence[ProductHit], text: str) -> ProductHit | None:
    """The hit whose barcode or SKU is ``text`` (a scan, a typed SKU), if there is one."""
    wanted = text.strip().casefold()
    for hit in hits:
        if wanted and wanted in (hit.barcode.casefold(), hit.sku.casefold()):
            return hit
    return None


@dataclass
class SaveFooter:
    """What both mapping dialogs end with: "apply to all held orders", an error line and
    Save/Cancel (Save is the default button)."""

    apply_all: QCheckBox
    error: QLabel
    buttons: QDialogButtonBox
    save_button: QPushButton


def save_footer(dialog: QDialog) -> SaveFooter:
    """The footer of a mapping dialog; Save calls ``dialog.save``, Cancel rejects it."""
    apply_all = QCheckBox(
        QCoreApplication.translate("PartsEditor", "Apply to all held orders with this listing")
    )
    apply_all.setObjectName("apply_all")
    apply_all.setChecked(True)
    error = QLabel()
    error.setObjectName("error")
    error.setWordWrap(True)
    error.setStyleSheet(f"color: {ERROR_COLOUR}; font-weight: bold;")
    error.hide()
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
    )
    save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
    save_button.setObjectName("save")
    save_button.setDefault(True)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setAutoDefault(False)
    buttons.accepted.connect(dialog.save)  # type: ignore[attr-defined]
    buttons.rejected.connect(dialog.reject)
    return SaveFooter(apply_all, error, buttons, save_button)


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


class _Keys(QObject):
    """Enter (and the arrow keys, for the search box) of one widget, handled here."""

    def __init__(self, editor: PartsEditor) -> None:
        super().__init__(editor)
        self.editor = editor

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        return self.editor.key_pressed(obj, event)


class PartsEditor(QWidget):
    """Search box, its hits and the parts list with a units spin box each."""

    parts_changed = Signal()
    #: the hits of a search are on screen (tests wait for it)
    results_shown = Signal()
    #: a product was added to the parts (ProductHit)
    picked = Signal(object)
    #: Enter in the empty search box: the dialog saves
    submitted = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._parts: list[Part] = []
        self._spins: list[QSpinBox] = []
        self._hits: list[ProductHit] = []
        self._hits_for: str | None = None  # the text the shown hits answer
        self._generation = 0
        self._pending: str | None = None  # Enter pressed for this text before its hits came
        self._exact_only = False  # the pending pick is a scan: only an exact match is added

        self.search = QLineEdit()
        self.search.setObjectName("product_search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Product name or SKU, or scan its barcode"))
        font = self.search.font()
        font.setPointSize(font.pointSize() + 2)
        self.search.setFont(font)
        self.results = QListWidget()
        self.results.setObjectName("product_results")
        line = self.fontMetrics().height() + 6
        self.results.setMinimumHeight(3 * line)
        self.results.setMaximumHeight(7 * line)
        self.results.itemActivated.connect(lambda _item: self.add_current())
        self.hint = QLabel(self.tr("Enter adds the highlighted product; ↑ ↓ choose another."))
        self.hint.setObjectName("search_hint")
        self.hint.setWordWrap(True)

        self.table = QTableWidget(0, 3)
        self.table.setObjectName("parts_table")
        self.table.setHorizontalHeaderLabels([self.tr("Product"), self.tr("Units per listing"), ""])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        metrics = self.fontMetrics()
        self.table.setColumnWidth(
            1, max(metrics.horizontalAdvance(self.tr("Units per listing")) + 24, 120)
        )
        self.table.setColumnWidth(2, metrics.horizontalAdvance(self.tr("Remove")) + 40)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 16)
        self.empty = QLabel(self.tr("No product yet: search above and press Enter to add one."))
        self.empty.setObjectName("parts_empty")
        self.empty.setStyleSheet(f"color: {ERROR_COLOUR};")

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.search_now)
        self.search.textChanged.connect(self._typed)
        self._keys = _Keys(self)
        self.search.installEventFilter(self._keys)
        self.results.installEventFilter(self._keys)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(_heading(self.tr("Find our product")))
        layout.addWidget(self.search)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.hint)
        layout.addWidget(_heading(self.tr("One unit of the listing is:")))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        self._show_parts()

    # -- the parts ------------------------------------------------------------------------------
    def set_parts(self, parts: Sequence[Part]) -> None:
        self._parts = list(parts)
        self._show_parts()

    def parts(self) -> list[Part]:
        return [
            Part(p.product_id, p.sku, p.name, spin.value())
            for p, spin in zip(self._parts, self._spins, strict=True)
        ]

    def part_units(self) -> list[tuple[int, int]]:
        """(product id, units) as the services take them."""
        return [(p.product_id, p.units) for p in self.parts()]

    def add_product(self, hit: ProductHit, units: int = 1) -> None:
        """Add a product (one more unit when it is in the list already)."""
        self._parts = self.parts()
        for i, p in enumerate(self._parts):
            if p.product_id == hit.product_id:
                self._parts[i] = Part(p.product_id, p.sku, p.name, min(p.units + units, MAX_UNITS))
                break
        else:
            self._parts.append(Part(hit.product_id, hit.sku, hit.name, units))
        self._show_parts()
        self.picked.emit(hit)

    def remove_part(self, row: int) -> None:
        parts = self.parts()
        if 0 <= row < len(parts):
            del parts[row]
            self._parts = parts
            self._show_parts()

    def _show_parts(self) -> None:
        self.table.setRowCount(len(self._parts))
        self._spins = []
        for row, part in enumerate(self._parts):
            item = QTableWidgetItem(part.text())
            item.setToolTip(part.text())
            self.table.setItem(row, 0, item)
            spin = QSpinBox()
            spin.setObjectName(f"units_{row}")
            spin.setRange(1, MAX_UNITS)
            spin.setValue(part.units)
            spin.setPrefix("× ")
            spin.valueChanged.connect(lambda _v: self.parts_changed.emit())
            self.table.setCellWidget(row, 1, spin)
            self._spins.append(spin)
            remove = QPushButton(self.tr("Remove"))
            remove.setAutoDefault(False)
            remove.clicked.connect(lambda _c=False, r=row: self.remove_part(r))
            self.table.setCellWidget(row, 2, remove)
        self.empty.setVisible(not self._parts)
        self.parts_changed.emit()

    # -- the search -----------------------------------------------------------------------------
    def _typed(self, text: str) -> None:
        self._pending, self._exact_only = None, False
        if text.strip():
            self._timer.start()
        else:
            self._timer.stop()
            self._show_hits("", [])

    def search_now(self) -> None:
        self._timer.stop()
        text = self.search.text().strip()
        if not text:
            return
        self._generation += 1
        generation, services, actor = self._generation, self.ctx.services, self.ctx.actor
        run_in_background(
            self,
            lambda: services.run(listing_mappings.search_products, actor, text),
            lambda hits: self._answered(generation, text, hits),
            self._failed,
        )

    def _answered(self, generation: int, text: str, hits: list[ProductHit]) -> None:
        if generation != self._generation:
            return  # a later search is on its way
        self._show_hits(text, hits)
        if self._pending is not None and self._pending == text:
            self._pending = None
            self._pick(text)

    def _failed(self, exc: PackdeskError) -> None:
        self._pending, self._exact_only = None, False
        self._say(error_text(exc), ok=False)

    def _show_hits(self, text: str, hits: list[ProductHit]) -> None:
        self._hits, self._hits_for = list(hits), text
        self.results.clear()
        for hit in hits:
            item = QListWidgetItem(hit_text(hit))
            item.setData(Qt.ItemDataRole.UserRole, hit.product_id)
            self.results.addItem(item)
        if hits:
            exact = exact_hit(hits, text)
            self.results.setCurrentRow(hits.index(exact) if exact else 0)
            self._say(self.tr("Enter adds the highlighted product; ↑ ↓ choose another."))
        elif text:
            self._say(
                self.tr("No product has the name, SKU or barcode “{text}”.").format(text=text),
                ok=False,
            )
        self.results_shown.emit()

    def _say(self, text: str, ok: bool = True) -> None:
        self.hint.setText(text)
        self.hint.setStyleSheet("" if ok else f"color: {ERROR_COLOUR}; font-weight: bold;")

    def enter(self) -> None:
        """Enter in the search box: add the product the text names, now or when the hits come."""
        text = self.search.text().strip()
        if self._hits_for == text and not self._timer.isActive():
            self._pick(text)
        else:
            self._pending = text
            self.search_now()

    def scan(self, text: str) -> None:
        """A scanned barcode: the product it is, added; nothing when no product has it."""
        self.search.blockSignals(True)
        self.search.setText(text.strip())
        self.search.blockSignals(False)
        self._exact_only = True
        self.enter()

    def _pick(self, text: str) -> None:
        exact_only, self._exact_only = self._exact_only, False
        hit = exact_hit(self._hits, text)
        if hit is None and not exact_only and self._hits:
            row = self.results.currentRow()
            hit = self._hits[row if 0 <= row < len(self._hits) else 0]
        if hit is None:
            if exact_only and self._hits:
                self._say(
                    self.tr("No product has the barcode “{text}”; choose one below.").format(
                        text=text
                    ),
                    ok=False,
                )
            return
        self._add_and_clear(hit)

    def add_current(self) -> None:
        """Enter (or a double click) on a hit adds it."""
        row = self.results.currentRow()
        if 0 <= row < len(self._hits):
            self._add_and_clear(self._hits[row])

    def _add_and_clear(self, hit: ProductHit) -> None:
        self.add_product(hit)
        self.search.clear()  # ready for the next product or scan; Enter now saves
        self.search.setFocus()
        self._say(
            self.tr("Added {product}. Add another product, or press Enter to save.").format(
                product=hit_text(hit)
            )
        )

    # -- keys -----------------------------------------------------------------------------------
    def key_pressed(self, obj: QObject, event: QKeyEvent) -> bool:
        """True when the key was handled here (not passed on to the dialog)."""
        key = event.key()
        if obj is self.search:
            if key in _ENTER:
                if self.search.text().strip():
                    self.enter()
                else:
                    self.submitted.emit()
                return True
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.results.count():
                step = 1 if key == Qt.Key.Key_Down else -1
                row = min(max(self.results.currentRow() + step, 0), self.results.count() - 1)
                self.results.setCurrentRow(row)
                return True
            return False
        if obj is self.results and key in _ENTER:
            self.add_current()
            return True
        return False
