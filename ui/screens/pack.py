"""Pack: a packer at a bench verifies, weighs and labels orders with the scanner alone, readable
from a metre.

Waiting, it shows one huge prompt; a tote, order or pick-list scan opens the order. Each scan is
one call of the pack services (``app.services.packing``), run off the UI thread one after another;
the screen shows the answer in green or red with the sound, and decides nothing itself. The scale
is read live; a stable reading inside the expected range is taken by itself (``PD-CMD-READ``
takes it now). When the last parcel is labelled the screen says so and waits for the next scan.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.devices.base import Weight
from app.domain.errors import PackdeskError
from app.domain.scans import Command, ScanEvent, ScanKind
from app.domain.users import Permission, Role
from app.services import (
    pack_finish,
    pack_settings,
    pack_shift,
    pack_single,
    pack_single_batch,
    packing,
    printing,
)
from app.services.pack_single_batch import SingleUnitView
from app.services.packing import NextStep, PackView, ParcelView, ScanOutcome, WeightVerdict
from ui.context import UiContext
from ui.feedback import ERROR_COLOUR, OK_COLOUR
from ui.i18n import error_text
from ui.live import LiveRefresh
from ui.screens.base import Screen
from ui.widgets.pack_actions import AfterActions, chosen_parcel
from ui.widgets.pack_dialogs import TypedWeightDialog
from ui.widgets.pack_jobs import PICKUP_SLIP, JobWatch, slip_text
from ui.widgets.pack_parts import (
    PROMPT_COLOUR,
    OrderPage,
    WaitingPage,
    big_label,
    step_text,
    verdict_of,
)
from ui.widgets.pack_runner import SerialCalls
from ui.widgets.pack_single import SinglePage, open_any
from ui.widgets.pack_status import DeviceStrip, ShiftBar
from ui.widgets.refusal import is_offline_refusal, say_offline
from ui.words import status_name


def pack_text(template: str, params: dict[str, Any]) -> str:
    """A service sentence in the screen's language, with its values (words among them too)."""
    values = {
        k: QCoreApplication.translate("PackdeskError", v) if isinstance(v, str) and v else v
        for k, v in params.items()
    }
    translated = QCoreApplication.translate("PackdeskError", template)
    try:
        return translated.format(**values)
    except (KeyError, IndexError, ValueError):
        return template.format(**params)


class PackScreen(Screen):
    permission: ClassVar[Permission] = Permission.PACK
    takes_scans = True
    first_for: ClassVar[frozenset[Role]] = frozenset({Role.PACKER})

    #: every answer shown (ok, text): tests wait for it
    answered = Signal(bool, str)

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("PackScreen", "Pack")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.view: PackView | None = None
        self.last: ScanOutcome | None = None
        self.verdict: WeightVerdict | None = None
        self.settings = ctx.services.run(pack_settings.get_pack_settings)
        self.calls = SerialCalls(self)
        self._weighing = False
        self._then_next_parcel = False
        self._resumed = False
        self.after = AfterActions(ctx, self.calls, self._say, self._after_void, self)
        #: the order on screen, or the one packed last (void and reprint act on its parcels)
        self.recent: PackView | None = None
        #: the single-unit batch the station works (一单一品), or None
        self.batch: SingleUnitView | None = None
        self._build()
        ctx.bus.device_status.connect(self._device_status)
        self.jobs = JobWatch(ctx, self.calls, self)
        self.jobs.label.connect(self._label_state)
        self.jobs.slip.connect(self.waiting.slip.setText)
        self.job_seen = self.jobs.seen
        self._connect_station()
        # the order on the bench held or cancelled at the office or another station: say so
        self.live = LiveRefresh(
            self,
            ctx.bus,
            ("order",),
            self.refresh_live,
            wants=lambda ids: self.view is not None and self.view.order_id in ids,
        )

    # --- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.shift = ShiftBar()
        self.devices = DeviceStrip()
        top = QHBoxLayout()
        top.addWidget(self.shift, 1)
        top.addWidget(self.devices, 1)
        self.waiting = WaitingPage()
        self.order = OrderPage(self.ctx.services.paths.data_dir)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.waiting)
        self.pages.addWidget(self.order)
        self.single = SinglePage()
        self.pages.addWidget(self.single)
        self.prompt = big_label(30, "pack_prompt")
        self.prompt.setStyleSheet(
            f"QLabel {{ background: {PROMPT_COLOUR}; color: white; padding: 10px; }}"
        )
        self.message = big_label(22, "pack_message")
        self.force_button = self._button(self.tr("Force verify (F7)"), "force", self.force_line)
        self.weight_button = self._button(self.tr("Type weight (F6)"), "typed", self.type_weight)
        self.release_button = self._button(
            self.tr("Give up order (F9)"), "release", self.release_order
        )
        self.void_button = self._button(self.tr("Void parcel (F11)"), "void", self.void_parcel)
        self.reprint_button = self._button(
            self.tr("Reprint label (F10)"), "reprint", self.reprint_parcel
        )
        self.message.setMinimumHeight(48)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (
            self.force_button,
            self.weight_button,
            self.release_button,
            self.reprint_button,
            self.void_button,
        ):
            buttons.addWidget(b)
        for key, slot in (("F7", self.force_line), ("F6", self.type_weight)):
            QShortcut(QKeySequence(key), self, slot)
        QShortcut(QKeySequence("F9"), self, self.release_order)
        QShortcut(QKeySequence("F11"), self, self.void_parcel)
        QShortcut(QKeySequence("F10"), self, self.reprint_parcel)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.pages, 1)
        # a refusal is a red bar in the layout, above the prompt: it pushes the lines up and
        # covers nothing (the window's overlay banner would hide the order and its lines)
        layout.addWidget(self.message)
        layout.addWidget(self.prompt)
        layout.addLayout(buttons)
        for role, state in self._station_states().items():
            self.devices.set_device(role, state[1], state[0])
        self._show()

    def _button(self, text: str, name: str, slot: Any) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        font = button.font()
        font.setPointSize(15)
        button.setFont(font)
        button.setMinimumHeight(48)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(slot)
        return button

    def _station(self) -> Any:
        return self.ctx.devices.get("station")

    def _station_states(self) -> dict[str, tuple[bool, str, str]]:
        station = self._station()
        return dict(station.states) if station is not None else {}

    def _connect_station(self) -> None:
        station = self._station()
        if station is None:
            return
        station.scale_live.connect(self._scale_live)
        station.weighed.connect(self._weighed)
        station.scale_failed.connect(self._scale_failed)

    # --- opening and resuming ---------------------------------------------------------------

    def activated(self) -> None:
        if self.view is None and not self._resumed:
            self._resumed = True
            self._call(packing.resume, self._resumed_view)
        else:
            self.live.shown()
        self.refresh_shift()

    def _resumed_view(self, view: PackView | None) -> None:
        if view is None or view.status != "open":
            if self.batch is None:
                self._call(pack_single_batch.resume_single_unit, self._resumed_batch)
            return
        self._set_view(view)
        self._say(
            True,
            self.tr("Order {number} resumed where it stopped.").format(number=view.order_number),
        )

    def _resumed_batch(self, batch: SingleUnitView | None) -> None:
        if batch is not None and self.view is None:
            self._batch_opened(batch)

    def _call(self, fn: Any, on_done: Any, *args: Any, **kwargs: Any) -> None:
        svc, actor = self.ctx.services, self.ctx.actor
        self.calls.call(lambda: svc.run(fn, actor, *args, **kwargs), on_done, self._refused_call)

    def _refused_call(self, exc: PackdeskError) -> None:
        self._weighing = self._then_next_parcel = False
        if is_offline_refusal(exc):  # the database is away: not the packer's mistake
            text = error_text(exc)
            say_offline(self.message, text, self.ctx.devices.get("feedback"), boxed=True)
            self.answered.emit(False, text)
            return
        self._say(False, error_text(exc))

    def refresh_live(self) -> None:
        """The order being packed changed elsewhere: read its view again (after any scan still
        on its way: the calls run one after another)."""
        view = self.view
        if view is not None and view.status == "open":
            self._call(packing.pack_view, self._live_view, view.session_id)

    def _live_view(self, view: PackView) -> None:
        """Only a change of the order's or the session's status is shown: the view a scan
        returned carries its warnings and the line to flash, which a re-read does not."""
        old = self.view
        if old is None or old.session_id != view.session_id:
            return
        if (view.order_status, view.status) == (old.order_status, old.status):
            return
        self._set_view(view)
        if view.order_status != "packing":
            self._say(
                False,
                self.tr(
                    "Order {number} is now {status} (changed elsewhere): stop packing it, "
                    "put it aside and scan the next order."
                ).format(number=view.order_number, status=status_name(view.order_status)),
            )

    # --- scans ------------------------------------------------------------------------------

    def on_scan(self, event: object) -> None:
        if not isinstance(event, ScanEvent):
            return
        # an unknown code may still be a carton, a serial or a channel order id: the service
        # decides; only what could not be read at all is refused here
        if event.kind is ScanKind.INVALID and event.error is not None:
            self._say(False, error_text(event.error))
            return
        view = self.view
        if event.command is Command.READ_WEIGHT and view is not None and view.status == "open":
            if view.next_step == NextStep.RETRY:  # numbers loaded, carrier fixed: try again
                self._call(pack_finish.finish_now, self._outcome, view.session_id)
            else:
                self.read_scale()
            return
        if (view is None or view.status != "open") and self.batch is not None:
            self._single_scan(event)
            return
        if view is None or view.status != "open":
            self._open(event)
            return
        if view.next_step == NextStep.OVERRIDE and event.kind is ScanKind.BADGE:
            self._call(packing.override_weight, self._outcome, view.session_id, event.text)
            return
        if event.command is Command.NEXT_PARCEL and self._weigh_first(view):
            return
        if event.kind is ScanKind.COMMAND and event.command is Command.CANCEL:
            self.release_order()
            return
        self._call(packing.scan, self._outcome, view.session_id, event.text)

    def _weigh_first(self, view: PackView) -> bool:
        """NEXT PARCEL on a parcel not weighed yet: take the scale's weight, then close it."""
        parcel = view.current_parcel
        station = self._station()
        if parcel is None or parcel.weight_g is not None or not parcel.items:
            return False
        if station is None or station.scale is None or not self.settings.require_weight:
            return False
        self._then_next_parcel = True
        self.read_scale()
        return True

    def _open(self, event: ScanEvent) -> None:
        if event.kind is ScanKind.COMMAND:
            self._say(False, self.tr("No order open: scan a tote, order or pick list first."))
            return
        svc, actor, text = self.ctx.services, self.ctx.actor, event.text
        self.calls.call(lambda: open_any(svc, actor, text), self._opened, self._refused_call)

    # --- single-unit batches ----------------------------------------------------------------

    def _batch_opened(self, batch: SingleUnitView) -> None:
        self.batch, self.view, self.verdict = batch, None, None
        self.single.show_batch(batch)
        self._show()
        self._say(
            True,
            self.tr("Single-unit batch {batch}: {left} orders to pack. Scan a unit.").format(
                batch=batch.batch, left=batch.left
            ),
        )

    def _single_scan(self, event: ScanEvent) -> None:
        assert self.batch is not None
        if event.kind is ScanKind.COMMAND and event.command is Command.CANCEL:
            left = self.batch.batch
            self.batch = None
            self._show()
            self._say(True, self.tr("Batch {batch} put aside.").format(batch=left))
            return
        panel = self.order.weight
        weight = panel.live_g if panel.stable and (panel.live_g or 0) > 0 else None
        self._call(pack_single.single_scan, self._outcome, self.batch.batch_id, event.text, weight)

    def _refresh_batch(self) -> None:
        if self.batch is not None:
            self._call(pack_single_batch.single_unit_view, self._batch_seen, self.batch.batch_id)

    def _batch_seen(self, batch: SingleUnitView) -> None:
        if self.batch is None:
            return
        self.batch = batch if batch.left or batch.in_progress else None
        self.single.show_batch(batch)
        if self.batch is None:
            self.waiting.done.setText(
                self.tr("Every order of batch {batch} is packed.").format(batch=batch.batch)
            )
        self._show()

    def _opened(self, view: PackView | SingleUnitView) -> None:
        if isinstance(view, SingleUnitView):
            self._batch_opened(view)
            return
        self.last, self.verdict = None, None
        self._set_view(view)
        self._say(
            True,
            self.tr("Order {number}: {units} units to verify.").format(
                number=view.order_number, units=view.units - view.verified
            ),
        )

    def _outcome(self, outcome: ScanOutcome) -> None:
        self.last = outcome
        self._weighing = False
        then_next, self._then_next_parcel = self._then_next_parcel, False
        verdict = outcome.weight_verdict
        self.verdict = verdict if verdict is not None and not verdict.ok else None
        flash = None
        if outcome.ok and outcome.kind in ("verified", "serial"):
            flash = self._changed_line(outcome.view)
        self._set_view(outcome.view, flash)
        self.jobs.watch(outcome.label_job_id, "label", outcome.tracking_number)
        self.jobs.watch(outcome.slip_job_id, PICKUP_SLIP if _pickup(outcome) else "slip")
        self.jobs.wake_printer()
        text = pack_text(outcome.message, outcome.params)
        if outcome.view.status != "open":
            self._finished(outcome, text)
        if then_next and outcome.ok and outcome.kind == "weighed":
            self._call(packing.scan, self._outcome, outcome.view.session_id, "PD-CMD-NEXTPARCEL")
            return
        self._say(outcome.ok, text)

    def _changed_line(self, new: PackView) -> int | None:
        old = {line.line_id: line.verified for line in self.view.lines} if self.view else {}
        for line in new.lines:
            if line.verified != old.get(line.line_id, line.verified):
                return line.line_id
        return None

    def _finished(self, outcome: ScanOutcome, text: str) -> None:
        """The order is packed (or held, or given up): back to waiting, the result shown."""
        self.view = None
        self.verdict = None
        slip = ""
        if outcome.slip_job_id is not None:
            slip = slip_text(printing.QUEUED, pickup=_pickup(outcome))
        self.waiting.done.setText(text)
        label = ""
        if outcome.label_job_id is not None:
            label = self.tr("Label sent to the printer: {tracking}").format(
                tracking=outcome.tracking_number
            )
        self.waiting.set_last(label, outcome.ok, slip)
        shelf = next((p.pickup_slot for p in outcome.view.parcels if p.pickup_slot), "")
        self.waiting.set_shelf(shelf if outcome.ok else "")
        self._show()
        self.refresh_shift()
        self._refresh_batch()

    # --- weighing ---------------------------------------------------------------------------

    def _scale_live(self, live: object) -> None:
        panel = self.order.weight
        if isinstance(live, PackdeskError):
            panel.show_fault(live)
            return
        panel.show_reading(live)  # type: ignore[arg-type]
        view = self.view
        parcel = view.current_parcel if view is not None else None
        if view is None or parcel is None or view.next_step != NextStep.WEIGH or self._weighing:
            return
        if panel.inside(parcel.low_g, parcel.high_g) or (
            parcel.low_g is None and panel.stable and (panel.live_g or 0) > 0
        ):
            self.read_scale()

    def read_scale(self) -> None:
        """Take a stable weight now (the scale must agree with itself a few times)."""
        station = self._station()
        if station is None or not station.read_weight():
            self._say(False, self.tr("No scale at this station: type the weight (F6)."))
            return
        self._weighing = True

    def _weighed(self, weight: Weight) -> None:
        view = self.view
        if view is None:
            self._weighing = False
            return
        grams = int(weight.grams.quantize(Decimal(1)))
        self._call(packing.weigh, self._outcome, view.session_id, grams)

    def _scale_failed(self, error: PackdeskError) -> None:
        self._weighing = self._then_next_parcel = False
        if self.view is not None:
            self.order.weight.show_fault(error)
            self._say(False, error_text(error))

    def type_weight(self) -> None:
        view = self.view
        if view is None:
            return
        if not self.settings.allow_typed_weight:
            self._say(False, self.tr("Typed weights are not allowed here: use the scale."))
            return
        dialog = TypedWeightDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.grams:
            self._call(packing.weigh, self._outcome, view.session_id, dialog.grams, "typed")

    # --- buttons ----------------------------------------------------------------------------

    def force_line(self) -> None:
        view = self.view
        if view is None or not self.ctx.can(Permission.FORCE_VERIFY):
            return
        rows = self.order.lines.selectionModel().selectedRows()
        chosen = view.lines[rows[0].row()] if rows else None
        line = chosen if chosen is not None and not chosen.done else None
        line = line or next((ln for ln in view.lines if not ln.done), None)
        if line is None:
            self._say(False, self.tr("Every item is verified: nothing to force."))
            return
        self._call(packing.force_verify, self._outcome, view.session_id, line.line_id)

    def _chosen(self) -> ParcelView | None:
        rows = self.order.parcels.selectionModel().selectedRows()
        return chosen_parcel(self.recent, rows[0].row() if rows else None)

    def reprint_parcel(self) -> None:
        if self.after.can_reprint():
            self.after.reprint(self._chosen(), self._reprinted)

    def _reprinted(self, job: int, tracking: str) -> None:
        self.jobs.watch(job, "label", tracking)
        self.jobs.wake_printer()
        self._say(
            True,
            self.tr("Reprint of {tracking} sent to the printer (marked REPRINT).").format(
                tracking=tracking
            ),
        )

    def void_parcel(self) -> None:
        if not self.after.can_void():
            return
        self.after.void(self._chosen())

    def _after_void(self) -> None:
        self.recent = None
        self._call(packing.resume, self._resumed_view)
        self.refresh_shift()

    def release_order(self) -> None:
        view = self.view
        if view is None:
            return
        number = view.order_number
        self._call(packing.release, lambda _: self._released(number), view.session_id)

    def _released(self, number: str) -> None:
        self.view, self.verdict = None, None
        self.waiting.done.setText("")
        text = self.tr("Order {number} given up: its items stay in the tote.").format(number=number)
        self.waiting.set_last(text, False)
        self._show()
        self._say(True, text)

    # --- showing ----------------------------------------------------------------------------

    def _set_view(self, view: PackView, flash_line: int | None = None) -> None:
        self.view = self.recent = view
        if view.next_step == NextStep.OVERRIDE and self.verdict is None:
            self.verdict = verdict_of(view)
        if view.next_step != NextStep.OVERRIDE:
            self.verdict = None
        self.order.show_view(view, flash_line)
        self._show()

    def _show(self) -> None:
        view = self.view
        working = view is not None and view.status == "open"
        idle = self.single if self.batch is not None else self.waiting
        self.pages.setCurrentWidget(self.order if working else idle)
        self.force_button.setVisible(working and self.ctx.can(Permission.FORCE_VERIFY))
        self.weight_button.setVisible(working and self.settings.allow_typed_weight)
        self.release_button.setVisible(working)
        labelled = chosen_parcel(self.recent, None) is not None
        self.void_button.setVisible(labelled and self.after.can_void())
        self.reprint_button.setVisible(labelled and self.after.can_reprint())
        warnings = [pack_text(w.message, w.params) for w in view.warnings] if view else []
        if warnings or view is not None:
            self.devices.set_warnings(warnings)
        self.prompt.setVisible(working)  # waiting: the page itself is the prompt
        if view is None or not working:
            self.prompt.setText(self.tr("Scan a tote, order or pick list"))
            self.order.show_mismatch(None)
            return
        self.order.show_mismatch(self.verdict)
        self.prompt.setText(step_text(view))

    def _say(self, ok: bool, text: str) -> None:
        if ok:
            style = f"QLabel {{ color: {OK_COLOUR}; padding: 6px 10px; }}"
        else:
            style = (
                f"QLabel {{ background: {ERROR_COLOUR}; color: white; font-weight: bold;"
                " padding: 6px 10px; border-radius: 6px; }"
            )
        self.message.setStyleSheet(style)
        self.message.setText(text)
        feedback = self.ctx.devices.get("feedback")
        if feedback is not None:  # the sound only: the words are in the screen's own bar
            feedback.sounds.play("ok" if ok else "error")
        self.answered.emit(ok, text)

    def _device_status(self, role: str, text: str, ok: bool) -> None:
        self.devices.set_device(role, text, ok)

    # --- print jobs and shift figures -------------------------------------------------------

    def _label_state(self, ok: bool, text: str) -> None:
        if self.view is None:
            self.waiting.set_last(text, ok, self.waiting.slip.text())
        self._say(ok, text)

    def refresh_shift(self) -> None:
        """The station's shift figures (on opening, and after each order)."""
        svc, user = self.ctx.services, self.ctx.actor.user_id
        if svc.station_id is None:
            return
        station = svc.station_id
        self.calls.call(
            lambda: svc.run(pack_shift.shift_figures, station, user_id=user),
            self.shift.show_figures,
            lambda exc: None,
        )


def _pickup(outcome: ScanOutcome) -> bool:
    """The order finished is a pickup order (its slip is the pickup slip)."""
    return outcome.kind.startswith("packed_pickup")
