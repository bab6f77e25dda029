"""Review: map a held order's line (no SKU, or a SKU that is no product) to the products its
channel listing stands for. Type a name, SKU or barcode, Enter adds the product, Enter saves; the
mapping is kept for every later import and, by default, every held order with the same listing is
checked again."""

from __future__ import annotations

import contextlib

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import PackdeskError
from app.domain.scans import ScanEvent
from app.services import listing_mappings
from app.services.listing_mappings import LineListing, MapResult
from ui.background import run_in_background
from ui.context import UiContext
from ui.i18n import error_text
from ui.widgets.parts_editor import PartsEditor, match_kind_name, save_footer

MATCH_KINDS = ("sku", "listing_id", "title")


def listing_match_text(listing: LineListing, kind: str) -> str:
    return {"sku": listing.sku, "listing_id": listing.listing_id, "title": listing.title}.get(
        kind, ""
    )


class MapListingDialog(QDialog):
    """One held line's listing -> products (a kit: several), saved as a mapping."""

    #: the mapping was saved (MapResult); the dialog then closes
    saved = Signal(object)

    def __init__(self, ctx: UiContext, listing: LineListing, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.listing = ctx, listing
        self.result_: MapResult | None = None
        self.setObjectName("MapListingDialog")
        self.setWindowTitle(self.tr("Map the listing to products"))
        self.resize(760, 640)

        self.parts = PartsEditor(ctx)
        self.parts.parts_changed.connect(self._update)
        # queued: the dialog is disabled while it saves, after the key's release is delivered
        self.parts.submitted.connect(self.save, Qt.ConnectionType.QueuedConnection)
        self.match_kind = QComboBox()
        self.match_kind.setObjectName("match_kind")
        for kind in MATCH_KINDS:
            text = listing_match_text(listing, kind)
            if text:
                self.match_kind.addItem(f"{match_kind_name(kind)}: {text}", kind)
        self.match_kind.setCurrentIndex(max(self.match_kind.findData(listing.match_kind), 0))
        footer = save_footer(self)
        self.apply_all, self.error = footer.apply_all, footer.error
        self.buttons, self.save_button = footer.buttons, footer.save_button
        self.save_button.setText(self.tr("Save mapping"))
        self.preview = QLabel()
        self.preview.setObjectName("preview")
        self.preview.setWordWrap(True)
        pfont = QFont(self.preview.font())
        pfont.setBold(True)
        self.preview.setFont(pfont)

        layout = QVBoxLayout(self)
        layout.addWidget(self._listing_box())
        layout.addWidget(self.parts, 1)
        form = QFormLayout()
        form.addRow(self.tr("Match the listing by"), self.match_kind)
        layout.addLayout(form)
        layout.addWidget(self.apply_all)
        layout.addWidget(self.preview)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        ctx.bus.scanned.connect(self._scanned)
        self.parts.search.setFocus()
        self._update()

    def _listing_box(self) -> QGroupBox:
        ls = self.listing
        box = QGroupBox(self.tr("The channel's listing"))
        form = QFormLayout(box)
        none = self.tr("(none)")
        form.addRow(self.tr("Channel"), QLabel(ls.channel_name))
        for kind, text in (("sku", ls.sku), ("listing_id", ls.listing_id), ("title", ls.title)):
            value = QLabel(text or none)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)
            form.addRow(match_kind_name(kind), value)
        form.addRow(self.tr("Quantity on this line"), QLabel(str(ls.qty)))
        n = ls.held_orders_with_listing
        held = QLabel(
            self.tr("1 held order has this listing")
            if n == 1
            else self.tr("{n} held orders have this listing").format(n=n)
        )
        held.setObjectName("held_count")
        self.held_count = held
        font = QFont(held.font())
        font.setBold(True)
        held.setFont(font)
        form.addRow("", held)
        return box

    def _update(self) -> None:
        parts = self.parts.parts()
        self.save_button.setEnabled(bool(parts))
        if not parts:
            self.preview.setText("")
            return
        becomes = ", ".join(
            self.tr("{units} × {product}").format(
                units=p.units * self.listing.qty, product=p.text()
            )
            for p in parts
        )
        self.preview.setText(
            self.tr("This line ({qty} ×) becomes: {products}").format(
                qty=self.listing.qty, products=becomes
            )
        )

    def _scanned(self, event: ScanEvent) -> None:
        if self.isVisible() and self.isEnabled():  # not while saving
            self.parts.scan(event.text)

    # -- saving ---------------------------------------------------------------------------------
    def save(self) -> None:
        parts = self.parts.part_units()
        if not parts or not self.save_button.isEnabled():
            return
        self.setEnabled(False)
        self.error.hide()
        services, actor, ls = self.ctx.services, self.ctx.actor, self.listing
        kind, apply_all = self.match_kind.currentData(), self.apply_all.isChecked()
        run_in_background(
            self,
            lambda: services.run(
                listing_mappings.map_line,
                actor,
                ls.order_id,
                ls.line_id,
                parts,
                match_kind=kind,
                apply_to_held=apply_all,
            ),
            self._saved,
            self._failed,
        )

    def _saved(self, result: MapResult) -> None:
        self.result_ = result
        self.setEnabled(True)
        self.saved.emit(result)
        self.accept()

    def _failed(self, exc: PackdeskError) -> None:
        self.setEnabled(True)
        self.error.setText(error_text(exc))
        self.error.show()
        self.parts.search.setFocus()

    def done(self, r: int) -> None:
        self._disconnect()
        super().done(r)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._disconnect()
        super().closeEvent(event)

    def _disconnect(self) -> None:
        with contextlib.suppress(RuntimeError, TypeError):  # not connected any more
            self.ctx.bus.scanned.disconnect(self._scanned)
