"""Pick: a picker works a batch with the scanner alone, readable from a metre.

It shows where to go (the location in very large type, and the map), what to take (SKU,
description, picture, quantity, lot), which tote it goes into, what to scan next, and progress
(tasks, metres walked of the planned walk, time). Every scan is one call of
``picking.pick_scan``; the screen shows its answer in green or red with the sound, and decides
nothing itself. ``PD-CMD-NEXT`` (or "Get work") claims work; Skip, Short and the short reasons
have buttons as well as barcodes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QFont, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import PackdeskError
from app.domain.picking import SHORT_STEP, PickInput
from app.domain.scans import Command, ScanEvent, ScanKind
from app.domain.users import Permission
from app.domain.waves import ShortReason
from app.services import pick_claim, picking
from app.services.picking import PickView, ScanResult
from ui.background import run_in_background
from ui.context import UiContext
from ui.feedback import ERROR_COLOUR, OK_COLOUR
from ui.i18n import error_text
from ui.live import LiveRefresh
from ui.screens.base import Screen
from ui.widgets.layout_map import LayoutMap
from ui.widgets.refusal import is_offline_refusal, say_offline

PROMPT_COLOUR = "#0d47a1"


def pick_text(template: str, params: dict[str, Any], view: PickView | None = None) -> str:
    """A scan sequence sentence in the screen's language, with its values (words among them
    translated; "what to scan next" said again from the task in hand)."""
    values = {
        k: QCoreApplication.translate("PackdeskError", v) if isinstance(v, str) and v else v
        for k, v in params.items()
    }
    task = view.task if view is not None else None
    if "expected" in values and task is not None:
        values["expected"] = pick_text(task.prompt_template, task.prompt_params)
    translated = QCoreApplication.translate("PackdeskError", template)
    try:
        return translated.format(**values)
    except (KeyError, IndexError, ValueError):
        return template.format(**params)


def _big(size: int, bold: bool = True) -> QFont:
    font = QFont()
    font.setPointSize(size)
    font.setBold(bold)
    return font


def _label(size: int, name: str, bold: bool = True) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setFont(_big(size, bold))
    label.setWordWrap(True)
    return label


class PickScreen(Screen):
    permission: ClassVar[Permission] = Permission.PICK
    takes_scans = True

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("PickScreen", "Pick")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.batch_id: int | None = None
        self.view: PickView | None = None
        self.last: ScanResult | None = None
        self._map_batch: int | None = None
        self._build()
        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._show_progress)
        self._clock.start()
        #: counts the views shown from scans: a live reload that started before one is stale
        self._generation = 0
        # the batch in hand freed, reassigned or taken at another station: say so at once
        self.live = LiveRefresh(
            self, ctx.bus, ("batch",), self.refresh_live, wants=lambda ids: self.batch_id in ids
        )

    # --- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.batch_label = _label(16, "pick_batch")
        self.progress = _label(16, "pick_progress", bold=False)
        self.get_work_button = self._button(self.tr("Get work"), "get_work", self.get_work)
        self.skip_button = self._button(self.tr("Skip"), "skip", lambda: self.command(Command.SKIP))
        self.short_button = self._button(
            self.tr("Short"), "short", lambda: self.command(Command.SHORT)
        )
        top = QHBoxLayout()
        top.addWidget(self.batch_label)
        top.addWidget(self.progress, 1)
        for b in (self.get_work_button, self.skip_button, self.short_button):
            top.addWidget(b)

        self.go_caption = _label(16, "pick_go_caption", bold=False)
        self.location = _label(88, "pick_location")
        self.sku = _label(40, "pick_sku")
        self.name = _label(20, "pick_name", bold=False)
        self.qty = _label(40, "pick_qty")
        self.lot = _label(24, "pick_lot")
        self.tote = _label(40, "pick_tote")
        self.image = QLabel()
        self.image.setObjectName("pick_image")
        self.image.setFixedSize(180, 180)
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        grid = QGridLayout()
        grid.addWidget(self.sku, 0, 0, 1, 2)
        grid.addWidget(self.name, 1, 0, 1, 2)
        grid.addWidget(self.qty, 2, 0)
        grid.addWidget(self.lot, 2, 1)
        grid.addWidget(self.tote, 3, 0, 1, 2)
        what = QHBoxLayout()
        what.addLayout(grid, 1)
        what.addWidget(self.image, 0, Qt.AlignmentFlag.AlignTop)

        self.task_box = QFrame()
        self.task_box.setObjectName("pick_task")
        left = QVBoxLayout(self.task_box)
        left.addWidget(self.go_caption)
        left.addWidget(self.location)
        left.addLayout(what)
        left.addStretch(1)
        self.map = LayoutMap()
        self.map.setMinimumWidth(360)
        middle = QHBoxLayout()
        middle.addWidget(self.task_box, 3)
        middle.addWidget(self.map, 2)

        self.prompt = _label(26, "pick_prompt")
        self.prompt.setStyleSheet(
            f"QLabel {{ background: {PROMPT_COLOUR}; color: white; padding: 10px; }}"
        )
        self.message = _label(20, "pick_message")
        self.reasons = QWidget()
        row = QHBoxLayout(self.reasons)
        row.setContentsMargins(0, 0, 0, 0)
        self.reason_buttons: dict[ShortReason, QPushButton] = {}
        for reason, text in (
            (ShortReason.EMPTY, self.tr("Empty")),
            (ShortReason.DAMAGED, self.tr("Damaged")),
            (ShortReason.NOT_FOUND, self.tr("Not found")),
        ):
            button = self._button(
                text, f"reason_{reason.value}", lambda _=False, r=reason: self.short(r)
            )
            self.reason_buttons[reason] = button
            row.addWidget(button)
        row.addWidget(
            self._button(self.tr("Cancel"), "reason_cancel", lambda: self.command(Command.CANCEL))
        )
        self.reasons.hide()

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(middle, 1)
        layout.addWidget(self.reasons)
        layout.addWidget(self.prompt)
        layout.addWidget(self.message)
        self._show()

    def _button(self, text: str, name: str, slot: Any) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setFont(_big(16))
        button.setMinimumHeight(48)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(slot)
        return button

    # --- work ----------------------------------------------------------------------------------

    def activated(self) -> None:
        if self.batch_id is None:
            self.get_work()
        else:
            self.live.shown()

    def refresh_live(self) -> None:
        """The batch in hand changed elsewhere: read it again off the UI thread. A batch now
        picked by someone else is dropped with the reason, and the picker gets new work."""
        if self.batch_id is None:
            return
        svc, actor, batch_id, generation = (
            self.ctx.services,
            self.ctx.actor,
            self.batch_id,
            self._generation,
        )

        def current() -> bool:
            return self.batch_id == batch_id and self._generation == generation

        def shown(view: PickView) -> None:
            if current():
                self.view = view
                self._show()

        def lost(exc: PackdeskError) -> None:
            if current():
                self.batch_id, self.view, self.last = None, None, None
                self._show()
                self._say(False, error_text(exc))

        run_in_background(self, lambda: svc.run(picking.pick_view, actor, batch_id), shown, lost)

    def get_work(self) -> None:
        """Claim the picker's batch (their own in progress first) and show its first task."""
        try:
            claimed = self.ctx.services.run(pick_claim.get_work, self.ctx.actor)
        except PackdeskError as exc:
            self._refused(exc)
            return
        self.last = None
        if claimed is None:
            self.batch_id, self.view = None, None
            self._show()
            self._say(False, self.tr("No work now. Scan NEXT or press Get work to look again."))
            return
        self.batch_id = claimed.batch_id
        self._load()
        self._say(
            True, self.tr("Batch {batch}: go to the first location.").format(batch=claimed.label)
        )

    def _load(self) -> None:
        assert self.batch_id is not None
        self._generation += 1
        self.view = self.ctx.services.run(picking.pick_view, self.ctx.actor, self.batch_id)
        if self._map_batch != self.batch_id:
            try:
                self.map.set_layout(
                    self.ctx.services.run(picking.pick_map, self.ctx.actor, self.batch_id)
                )
                self._map_batch = self.batch_id
            except PackdeskError:
                self._map_batch = None
        self._show()

    def on_scan(self, event: object) -> None:
        if not isinstance(event, ScanEvent):
            return
        idle = self.view is None or self.view.done or self.view.task is None
        if event.kind is ScanKind.COMMAND and event.command is Command.NEXT and idle:
            self.get_work()
            return
        if self.batch_id is None or self.view is None or self.view.done:
            self._say(False, self.tr("No batch in hand: scan NEXT or press Get work."))
            return
        self._send(event)

    def command(self, command: Command) -> None:
        self._send(PickInput(ScanKind.COMMAND, command=command))

    def short(self, reason: ShortReason) -> None:
        self._send(PickInput(ScanKind.UNKNOWN, reason=reason))

    def _send(self, scan: ScanEvent | PickInput) -> None:
        if self.batch_id is None:
            self._say(False, self.tr("No batch in hand: scan NEXT or press Get work."))
            return
        self._generation += 1
        try:
            result = self.ctx.services.run(picking.pick_scan, self.ctx.actor, self.batch_id, scan)
        except PackdeskError as exc:
            self._refused(exc)
            return
        self.last, self.view = result, result.view
        self._show()
        text = pick_text(result.template, result.params, result.view)
        if result.view.done:
            text = self._done_text()
        self._say(result.accepted, text)

    # --- showing -------------------------------------------------------------------------------

    def _done_text(self) -> str:
        if self.view is not None and self.view.to_sort_wall:
            return self.tr("Batch done: take the cart to the sort wall.")
        return self.tr("Batch done: take the cart to the pack benches.")

    def _refused(self, exc: PackdeskError) -> None:
        if is_offline_refusal(exc):  # the database is away: not the picker's mistake
            say_offline(self.message, error_text(exc), self.ctx.devices.get("feedback"))
            return
        self._say(False, error_text(exc))

    def _say(self, ok: bool, text: str) -> None:
        colour = OK_COLOUR if ok else ERROR_COLOUR
        self.message.setStyleSheet(f"QLabel {{ color: {colour}; }}")
        self.message.setText(text)
        feedback = self.ctx.devices.get("feedback")
        if feedback is not None:
            (feedback.ok if ok else feedback.error)(text)

    def _show(self) -> None:
        view, task = self.view, self.view.task if self.view else None
        working = task is not None
        for b in (self.skip_button, self.short_button):
            b.setEnabled(working)
        self.reasons.setVisible(bool(task and task.step == SHORT_STEP))
        self.map.setVisible(working)
        self._show_progress()
        if view is None:
            self.batch_label.setText(self.tr("No batch"))
            self._blank(self.tr("Scan NEXT or press Get work."))
            return
        self.batch_label.setText(self.tr("Batch {batch}").format(batch=view.label))
        if task is None:
            self._blank(self._done_text() if view.done else "", done=view.done)
            if view.done:
                self.prompt.setText(self.tr("Then scan NEXT (or press Get work) for more work."))
            return
        self.go_caption.setText(
            self.tr("GO TO (skipped before)") if task.skipped else self.tr("GO TO")
        )
        self.location.setText(task.location)
        self.sku.setText(task.sku)
        self.name.setText(task.name)
        qty = self.tr("Take {qty}").format(qty=task.qty - task.qty_picked)
        if task.held_qty:
            qty += "  " + self.tr("({held} in hand)").format(held=task.held_qty)
        self.qty.setText(qty)
        lot = self.tr("Lot {lot}").format(lot=task.lot) if task.lot else ""
        self.lot.setText(f"{lot}  {task.expiry}".strip())
        slot = self.tr(" (slot {slot})").format(slot=task.tote_slot) if task.tote_slot else ""
        self.tote.setText(self.tr("Tote {tote}").format(tote=task.tote) + slot)
        self.prompt.setText(pick_text(task.prompt_template, task.prompt_params))
        self._show_image(task.image_path)
        self.map.show_route(view.map_path, view.map_stops)
        self.map.highlight(task.location)

    def _blank(self, text: str, done: bool = False) -> None:
        self.go_caption.setText("")
        self.location.setText(text)
        self.location.setFont(_big(48 if done else 40))
        self.location.setStyleSheet(
            f"QLabel {{ background: {OK_COLOUR}; color: white; padding: 40px; }}" if done else ""
        )
        for w in (self.sku, self.name, self.qty, self.lot, self.tote):
            w.setText("")
        self.image.clear()
        self.prompt.setText(self.tr("Scan NEXT or press Get work."))

    def _show_image(self, path: str) -> None:
        self.location.setFont(_big(88))
        self.location.setStyleSheet("")
        self.image.clear()
        if not path:
            return
        file = Path(path)
        if not file.is_absolute():
            file = self.ctx.services.paths.data_dir / file
        pixmap = QPixmap(str(file))
        if not pixmap.isNull():
            self.image.setPixmap(
                pixmap.scaled(
                    180,
                    180,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )

    def _show_progress(self) -> None:
        view = self.view
        if view is None:
            self.progress.setText("")
            return
        elapsed = ""
        if view.started_at is not None:
            start = view.started_at
            start = start if start.tzinfo else start.replace(tzinfo=UTC)
            seconds = max(0, int((datetime.now(UTC) - start).total_seconds()))
            elapsed = f"{seconds // 3600:d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
        self.progress.setText(
            self.tr("{done} of {total} tasks · {walked:.0f} of {planned:.0f} m · {time}").format(
                done=view.tasks_done,
                total=view.tasks_total,
                walked=view.walked_m,
                planned=view.planned_m,
                time=elapsed,
            )
        )
