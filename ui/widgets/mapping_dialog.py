"""The mapping screen's Add/Edit dialog: which channel, what to match (the channel's SKU, listing
or variant id, or listing title) and the products with their units, with the same parts editor
as mapping a line in Review."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import PackdeskError
from app.domain.scans import ScanEvent
from app.services import listing_mappings
from app.services.listing_mappings import ListingMapping, MapResult
from ui.background import run_in_background
from ui.context import UiContext
from ui.i18n import error_text
from ui.widgets.map_listing import MATCH_KINDS
from ui.widgets.parts_editor import Part, PartsEditor, match_kind_name, save_footer


class MappingDialog(QDialog):
    """Add a mapping (``mapping`` None) or change one."""

    saved = Signal(object)  # MapResult

    def __init__(
        self,
        ctx: UiContext,
        channels: Sequence[tuple[int, str, str]],
        mapping: ListingMapping | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.mapping = ctx, mapping
        self.setObjectName("MappingDialog")
        self.setWindowTitle(
            self.tr("Add a product mapping") if mapping is None else self.tr("Change the mapping")
        )
        self.resize(720, 600)
        self.channel = QComboBox()
        self.channel.setObjectName("channel")
        self.channel.addItem(self.tr("Every channel"), None)
        for cid, _code, name in channels:
            self.channel.addItem(name, cid)
        self.match_kind = QComboBox()
        self.match_kind.setObjectName("match_kind")
        for kind in MATCH_KINDS:
            self.match_kind.addItem(match_kind_name(kind), kind)
        self.match_text = QLineEdit()
        self.match_text.setObjectName("match_text")
        self.match_text.setPlaceholderText(
            self.tr("As the channel writes it, e.g. TEE-6PK, 4410021 or Tee 6-pack")
        )
        self.parts = PartsEditor(ctx)
        self.parts.parts_changed.connect(self._update)
        # queued: the dialog is disabled while it saves, after the key's release is delivered
        self.parts.submitted.connect(self.save, Qt.ConnectionType.QueuedConnection)
        self.match_text.textChanged.connect(lambda _t: self._update())
        footer = save_footer(self)
        self.apply_all, self.error = footer.apply_all, footer.error
        self.buttons, self.save_button = footer.buttons, footer.save_button

        form = QFormLayout()
        form.addRow(self.tr("Channel"), self.channel)
        form.addRow(self.tr("Match on"), self.match_kind)
        form.addRow(self.tr("Channel's listing"), self.match_text)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.parts, 1)
        layout.addWidget(self.apply_all)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        if mapping is not None:
            self._load(mapping)
        ctx.bus.scanned.connect(self._scanned)
        (self.parts.search if mapping else self.match_text).setFocus()
        self._update()

    def _load(self, m: ListingMapping) -> None:
        self.channel.setCurrentIndex(max(self.channel.findData(m.channel_id), 0))
        self.match_kind.setCurrentIndex(max(self.match_kind.findData(m.match_kind), 0))
        self.match_text.setText(m.match_text)
        self.parts.set_parts([Part(p.product_id, p.sku, p.name, p.units) for p in m.parts])

    def _update(self) -> None:
        self.save_button.setEnabled(
            bool(self.parts.parts()) and bool(self.match_text.text().strip())
        )

    def _scanned(self, event: ScanEvent) -> None:
        if self.isVisible() and self.isEnabled():  # not while saving
            self.parts.scan(event.text)

    def save(self) -> None:
        if not self.save_button.isEnabled():
            return
        self.setEnabled(False)
        self.error.hide()
        services, actor = self.ctx.services, self.ctx.actor
        args = (
            self.channel.currentData(),
            self.match_kind.currentData(),
            self.match_text.text().strip(),
            self.parts.part_units(),
        )
        mapping_id = self.mapping.id if self.mapping else None
        apply_all = self.apply_all.isChecked()
        run_in_background(
            self,
            lambda: services.run(
                listing_mappings.save_mapping,
                actor,
                *args,
                mapping_id=mapping_id,
                apply_to_held=apply_all,
            ),
            self._saved,
            self._failed,
        )

    def _saved(self, result: MapResult) -> None:
        self.setEnabled(True)
        self.saved.emit(result)
        self.accept()

    def _failed(self, exc: PackdeskError) -> None:
        self.setEnabled(True)
        self.error.setText(error_text(exc))
        self.error.show()

    def done(self, r: int) -> None:
        self._disconnect()
        super().done(r)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._disconnect()
        super().closeEvent(event)

    def _disconnect(self) -> None:
        with contextlib.suppress(RuntimeError, TypeError):  # not connected any more
            self.ctx.bus.scanned.disconnect(self._scanned)
