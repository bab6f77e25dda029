"""The sort wall (播种墙): a picked pick-then-sort batch sorted into its orders' slots, by scans
alone, readable from a metre.

Scan the batch's bulk tote (or choose the batch from the list) to open its wall. Then scan a
unit: the slot it goes into appears in very large type and its tile lights up; put the unit in
and scan the slot's barcode. A completed slot turns green and is announced; a wrong slot or a
unit no order needs is refused in red with the error sound. Every scan is one unit of work in
the database, so a crash or another station resumes exactly where sorting stopped.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import PackdeskError
from app.domain.scans import ScanEvent
from app.domain.sort_wall import WrongSlot
from app.domain.users import Permission
from app.services import sort_wall, sort_wall_settings
from app.services.sort_wall_view import Outcome, WallView
from ui.context import UiContext
from ui.feedback import Feedback
from ui.i18n import error_text
from ui.screens.base import Screen
from ui.widgets.sort_wall_parts import GREEN, SlotTile, WallSettingsDialog, big_font


class SortWallScreen(Screen):
    permission = Permission.PICK
    takes_scans = True

    #: the wall changed (a scan was handled, a batch opened): tests and the shell wait on it
    updated = Signal(object)

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("SortWallScreen", "Sort wall")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("SortWallScreen")
        self.wall: WallView | None = None
        self.tiles: dict[int, SlotTile] = {}
        self.wrong_slot: int | None = None

        self.heading = QLabel()
        big_font(self.heading, 20)
        self.progress = QLabel()
        big_font(self.progress, 20)
        self.print_button = QPushButton(self.tr("Print slot labels…"))
        self.print_button.clicked.connect(self._ask_slot_labels)
        self.settings_button = QPushButton(self.tr("Wall settings…"))
        self.settings_button.clicked.connect(self._edit_settings)
        self.settings_button.setVisible(ctx.can(Permission.MANAGE_SETTINGS))
        self.close_button = QPushButton(self.tr("Other batch"))
        self.close_button.clicked.connect(self.close_wall)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.progress)
        top.addWidget(self.print_button)
        top.addWidget(self.settings_button)
        top.addWidget(self.close_button)

        self.instruction = QLabel()
        self.instruction.setObjectName("sort_instruction")
        self.instruction.setAlignment(Qt.AlignmentFlag.AlignCenter)
        big_font(self.instruction, 88)
        self.detail = QLabel()
        self.detail.setObjectName("sort_detail")
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail.setWordWrap(True)
        big_font(self.detail, 22, bold=False)
        # the scan's answer (green or red banner, sound) shows over the message area at the
        # bottom, never over the slot to go to or the wall
        self.message_area = QWidget()
        self.message_area.setMinimumHeight(170)
        below = QVBoxLayout(self.message_area)
        below.addWidget(self.detail)
        self.feedback = Feedback(self.message_area)

        self.grid = QGridLayout()
        self.grid.setSpacing(8)
        self.batches = QListWidget()
        big_font(self.batches, 18, bold=False)
        self.batches.itemActivated.connect(self._batch_chosen)
        self.start_button = QPushButton(self.tr("Start sorting the chosen batch"))
        big_font(self.start_button, 16)
        self.start_button.clicked.connect(self._start_chosen)
        self.chooser = QWidget()
        pick = QVBoxLayout(self.chooser)
        pick.setContentsMargins(0, 0, 0, 0)
        pick.addWidget(self.batches, 1)
        pick.addWidget(self.start_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.instruction)
        layout.addLayout(self.grid, 1)
        layout.addWidget(self.chooser, 1)
        layout.addWidget(self.message_area)
        self._show_chooser()

    # --- choosing a batch -------------------------------------------------------------------

    def activated(self) -> None:
        if self.wall is None:
            self.refresh_batches()

    def refresh_batches(self) -> None:
        svc = self.ctx.services
        try:
            batches = svc.run(sort_wall.sortable_batches, self.ctx.actor)
        except PackdeskError as exc:
            self.feedback.error(error_text(exc))
            return
        self.batches.clear()
        for b in batches:
            text = self.tr("{batch} · tote {tote} · {orders} orders to sort").format(
                batch=b.label, tote=b.bulk_tote or "-", orders=b.orders
            )
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, b.batch_id)
            self.batches.addItem(item)
        if batches:
            self.batches.setCurrentRow(0)
        self.start_button.setEnabled(bool(batches))
        self.detail.setText(
            self.tr("Scan the bulk tote of a picked batch, or choose the batch below.")
            if batches
            else self.tr("No picked batch is waiting to be sorted.")
        )

    def _batch_chosen(self, item: QListWidgetItem) -> None:
        self.open_batch(int(item.data(Qt.ItemDataRole.UserRole)))

    def _start_chosen(self) -> None:
        item = self.batches.currentItem()
        if item is not None:
            self._batch_chosen(item)

    def open_batch(self, batch_id: int) -> bool:
        try:
            wall = self.ctx.services.run(sort_wall.open_wall, self.ctx.actor, batch_id)
        except PackdeskError as exc:
            self.feedback.error(error_text(exc))
            return False
        self.wrong_slot = None
        self._show_wall(wall)
        self.feedback.ok(self.tr("Sorting {batch}: scan a unit.").format(batch=wall.label))
        self.updated.emit(wall)
        return True

    def close_wall(self) -> None:
        self.wall = None
        self._show_chooser()
        self.refresh_batches()

    # --- scans ------------------------------------------------------------------------------

    def on_scan(self, event: object) -> None:
        if not isinstance(event, ScanEvent):
            return
        svc = self.ctx.services
        if self.wall is None:
            try:
                batch_id = svc.run(sort_wall.find_batch, self.ctx.actor, event.text)
            except PackdeskError as exc:
                self.feedback.error(error_text(exc))
                self.updated.emit(exc)
                return
            self.open_batch(batch_id)
            return
        try:
            outcome = svc.run(sort_wall.sort_scan, self.ctx.actor, self.wall.batch_id, event)
        except PackdeskError as exc:
            self._refused(exc)
            return
        self.wrong_slot = None
        self._show_wall(outcome.wall)
        self._announce(outcome)
        self.updated.emit(outcome)

    def _refused(self, exc: PackdeskError) -> None:
        self.wrong_slot = int(exc.params["scanned"]) if isinstance(exc, WrongSlot) else None
        if self.wall is not None:
            self._show_wall(self.wall, refused=error_text(exc))
        self.feedback.error(error_text(exc))
        self.updated.emit(exc)

    def _announce(self, outcome: Outcome) -> None:
        slot, order = outcome.slot, outcome.order_number
        if outcome.kind == "slot_complete":
            self.feedback.ok(
                self.tr("Slot {slot} complete: order {order}").format(slot=slot, order=order)
            )
        elif outcome.kind == "wall_done":
            self.feedback.ok(
                self.tr("Slot {slot} complete: order {order}. Every order is sorted.").format(
                    slot=slot, order=order
                )
            )
        elif outcome.kind == "sorted" and slot is not None:
            placed = outcome.wall.slot(slot)
            count = f"{placed.sorted}/{placed.needed}" if placed else ""
            self.feedback.ok(self.tr("Slot {slot}: {count}").format(slot=slot, count=count))
        elif outcome.kind == "cancelled":
            self.feedback.ok(self.tr("The unit is back out of hand. Scan a unit."))
        elif outcome.kind == "unit":
            self.feedback.sounds.play("ok")

    # --- drawing ----------------------------------------------------------------------------

    def _show_chooser(self) -> None:
        self._clear_grid()
        self.heading.setText(self.tr("Sort wall"))
        self.progress.setText("")
        self.instruction.setText(self.tr("Scan a tote"))
        self.chooser.show()
        self.close_button.hide()

    def _clear_grid(self) -> None:
        for tile in self.tiles.values():
            self.grid.removeWidget(tile)
            tile.deleteLater()
        self.tiles = {}

    def _show_wall(self, wall: WallView, refused: str = "") -> None:
        shown = self.wall
        if shown is None or (shown.batch_id, shown.rows, shown.columns) != (
            wall.batch_id,
            wall.rows,
            wall.columns,
        ):
            self._clear_grid()
        self.wall = wall
        self.chooser.hide()
        self.close_button.show()
        self.heading.setText(self.tr("Sort wall · batch {batch}").format(batch=wall.label))
        self.progress.setText(
            self.tr("{sorted} of {needed} units sorted").format(
                sorted=wall.sorted, needed=wall.needed
            )
        )
        target = wall.hand.slot if wall.hand else None
        used = {slot.slot: slot for slot in wall.slots}
        for number in range(1, max(wall.rows * wall.columns, max(used, default=0)) + 1):
            tile = self.tiles.get(number)
            if tile is None:
                tile = SlotTile(self)
                row, column = divmod(number - 1, max(1, wall.columns))
                self.grid.addWidget(tile, row, column)
                self.tiles[number] = tile
            slot = used.get(number)
            if slot is None:
                tile.show_empty(number)
                continue
            state = "complete" if slot.complete else "idle"
            if slot.slot == target:
                state = "target"
            if slot.slot == self.wrong_slot:
                state = "wrong"
            tile.show_slot(slot, state)
        self._instruct(wall, refused)

    def _instruct(self, wall: WallView, refused: str) -> None:
        if wall.hand is not None:
            self.instruction.setText(self.tr("Slot {slot}").format(slot=wall.hand.slot))
            self.instruction.setStyleSheet("color: #000000;")
            self.detail.setText(
                refused
                or self.tr(
                    "{sku} {name} for order {order}: put it into slot {slot}, then scan the "
                    "slot's barcode."
                ).format(
                    sku=wall.hand.sku,
                    name=wall.hand.name,
                    order=wall.hand.order_number,
                    slot=wall.hand.slot,
                )
            )
        elif wall.done:
            self.instruction.setText(self.tr("Done"))
            self.instruction.setStyleSheet(f"color: {GREEN};")
            self.detail.setText(self.tr("Every order of this batch is sorted."))
        else:
            self.instruction.setText(self.tr("Scan a unit"))
            self.instruction.setStyleSheet("color: #000000;")
            self.detail.setText(refused or self.tr("Take a unit from the bulk tote and scan it."))

    # --- slot labels ------------------------------------------------------------------------

    def save_slot_labels(self, path: Path) -> int:
        """Write the slot label sheet (PDF) to ``path``; returns its size in bytes."""
        document = self.ctx.services.run(sort_wall_settings.slot_label_sheet, self.ctx.actor)
        path.write_bytes(document)
        return len(document)

    def save_settings(self, rows: int, columns: int, prefix: str) -> bool:
        """Store the wall's size and prefix (supervisors); the open wall is drawn again."""
        try:
            saved = self.ctx.services.run(
                sort_wall_settings.set_wall_settings,
                self.ctx.actor,
                rows=rows,
                columns=columns,
                prefix=prefix,
            )
        except PackdeskError as exc:
            self.feedback.error(error_text(exc))
            return False
        self.feedback.ok(
            self.tr("The wall has {slots} slots, {first} to {last}.").format(
                slots=saved.slots, first=saved.slot_code(1), last=saved.slot_code(saved.slots)
            )
        )
        if self.wall is not None:
            self.open_batch(self.wall.batch_id)
        return True

    def _edit_settings(self) -> None:
        current = self.ctx.services.run(sort_wall_settings.wall_settings)
        dialog = WallSettingsDialog(current, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.save_settings(dialog.rows.value(), dialog.columns.value(), dialog.prefix.text())

    def _ask_slot_labels(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save the slot labels"), "sort-wall-slots.pdf", "PDF (*.pdf)"
        )
        if not name:
            return
        try:
            self.save_slot_labels(Path(name))
        except (PackdeskError, OSError) as exc:
            text = error_text(exc) if isinstance(exc, PackdeskError) else str(exc)
            self.feedback.error(text)
            return
        self.feedback.ok(self.tr("Slot labels saved to {file}.").format(file=name))
