"""Ship: a shipper scans parcels onto the carrier's handover (交接) with the scanner alone,
readable from a metre.

The carrier picker chooses the carrier the screen works (a parcel of another is refused) or "by
parcel" (each parcel goes onto its own carrier's handover). The screen shows the open handover's
number, huge counts ("scanned 37 / packed 40"), the last scan's answer in green or red with the
pack screen's sounds, the parcels still missing (order, station, packer; older days' too) and
the carriers' cut-off board (amber under 30 minutes, red once past). A parcel scanned by mistake
is taken off the open handover (Take a parcel off). Close handover asks first,
and warns when parcels are missing; Reopen is for supervisors and asks for the reason. Every
call runs off the UI thread, one after another (``SerialCalls``), so no scan is lost.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import PackdeskError
from app.domain.scans import ScanEvent, ScanKind
from app.domain.users import Permission, Role
from app.services import handover
from app.services.handover import HandoverClosed, HandoverScan, ReopenReport
from app.services.handover_board import ShipBoard, ship_board
from ui.context import UiContext
from ui.feedback import Feedback, show_answer
from ui.i18n import error_text
from ui.live import LiveRefresh
from ui.models.ship import CutoffModel, missing_model
from ui.screens.base import Screen
from ui.screens.pack import pack_text
from ui.widgets.pack_parts import PROMPT_COLOUR, big_label
from ui.widgets.pack_runner import SerialCalls
from ui.widgets.refusal import is_offline_refusal, say_offline
from ui.widgets.tracking_export import TrackingExportDialog

#: the board is read again this often while the screen is shown (the cut-off countdown)
REFRESH_MS = 60_000


class ShipScreen(Screen):
    permission: ClassVar[Permission] = Permission.SHIP
    takes_scans = True
    first_for: ClassVar[frozenset[Role]] = frozenset({Role.SHIPPER})

    #: every answer shown (ok, text): tests wait for it
    answered = Signal(bool, str)
    #: the board was shown
    loaded = Signal()

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("ShipScreen", "Ship")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("ShipScreen")
        self.calls = SerialCalls(self)
        #: the carrier chosen on the picker (None: by parcel) and the one whose day is shown
        self.carrier_id: int | None = None
        self.shown_carrier: int | None = None
        self.board: ShipBoard | None = None
        self._build()
        # the clock moves the cut-off board on (closes in..., late); changes made here or at
        # another station (parcels scanned, handovers closed, orders packed) reload at once
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self._tick)
        self.live = LiveRefresh(self, ctx.bus, ("handover", "order"), self.refresh)

    # --- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.picker = QComboBox()
        self.picker.setObjectName("carrier_picker")
        font = self.picker.font()
        font.setPointSize(16)
        self.picker.setFont(font)
        self.picker.setMinimumHeight(44)
        self.picker.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.picker.addItem(self.tr("By parcel (any carrier)"), None)
        self.picker.currentIndexChanged.connect(self._picked)
        self.number = big_label(20, "handover_number")
        self.counts = big_label(40, "handover_counts")
        self.counts.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        top = QHBoxLayout()
        top.addWidget(self.picker)
        top.addWidget(self.number, 1)
        top.addWidget(self.counts)
        self.prompt = big_label(26, "ship_prompt")
        self.prompt.setStyleSheet(
            f"QLabel {{ background: {PROMPT_COLOUR}; color: white; padding: 8px; }}"
        )
        self.prompt.setText(self.tr("Scan each parcel's label as it goes onto the truck."))
        self.message = big_label(22, "ship_message")
        self.missing_title = big_label(15, "missing_title")
        self.missing = missing_model()
        self.missing_table = self._table(self.missing)
        self.cutoffs = CutoffModel()
        self.cutoff_table = self._table(self.cutoffs)
        left = QVBoxLayout()
        left.addWidget(self.missing_title)
        left.addWidget(self.missing_table, 1)
        right = QVBoxLayout()
        cutoff_title = big_label(15, "cutoff_title")
        cutoff_title.setText(self.tr("Cut-offs"))
        right.addWidget(cutoff_title)
        right.addWidget(self.cutoff_table, 1)
        middle = QHBoxLayout()
        middle.addLayout(left, 3)
        middle.addLayout(right, 2)
        self.close_button = self._button(self.tr("Close handover…"), "close", self.close_handover)
        self.reopen_button = self._button(self.tr("Reopen…"), "reopen", self.reopen)
        self.off_button = self._button(self.tr("Take a parcel off…"), "take_off", self.take_off)
        self.export_button = self._button(
            self.tr("Export tracking…"), "export", self._export_tracking
        )
        self.export_button.setToolTip(
            self.tr("Write the tracking of shipped orders in the file each shop uploads")
        )
        self.export_dialog: TrackingExportDialog | None = None
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        for b in (self.off_button, self.close_button, self.reopen_button, self.export_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.prompt)
        layout.addLayout(middle, 1)
        layout.addLayout(buttons)
        self._show_board()

    def _table(self, model: Any) -> QTableView:
        table = QTableView()
        table.setModel(model)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        table.verticalHeader().setVisible(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        font = table.font()
        font.setPointSize(font.pointSize() + 4)
        table.setFont(font)
        return table

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

    # --- loading ----------------------------------------------------------------------------

    def activated(self) -> None:
        self.timer.start()
        if not self.live.shown():
            self.refresh()

    def _tick(self) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self.timer.stop()

    def refresh(self) -> None:
        self._call(ship_board, self._board, self.shown_carrier, datetime.now().astimezone())

    def _call(self, fn: Any, on_done: Any, *args: Any, **kwargs: Any) -> None:
        svc, actor = self.ctx.services, self.ctx.actor
        self.calls.call(lambda: svc.run(fn, actor, *args, **kwargs), on_done, self._refused)

    def _board(self, board: ShipBoard) -> None:
        self.board = board
        self._fill_picker(board)
        self._show_board()
        self.loaded.emit()

    def _fill_picker(self, board: ShipBoard) -> None:
        known = {self.picker.itemData(i) for i in range(self.picker.count())}
        self.picker.blockSignals(True)
        for row in sorted(board.cutoffs, key=lambda r: r.carrier_code):
            if row.carrier_id not in known:
                self.picker.addItem(f"{row.carrier_name} ({row.carrier_code})", row.carrier_id)
        self.picker.blockSignals(False)

    def _picked(self, index: int) -> None:
        self.carrier_id = self.picker.itemData(index)
        if self.carrier_id is not None:
            self.shown_carrier = self.carrier_id
        self.refresh()

    def _show_board(self) -> None:
        board = self.board
        rec = board.reconciliation if board is not None else None
        self.cutoffs.set_rows(board.cutoffs if board is not None else ())
        scroll = self.missing_table.verticalScrollBar().value()
        self.missing.set_rows(rec.missing if rec is not None else ())
        self.missing_table.verticalScrollBar().setValue(scroll)
        if rec is None:
            self.number.setText(self.tr("Choose a carrier, or scan a parcel."))
            self.counts.setText("")
            self.missing_title.setText("")
        else:
            self.number.setText(
                self.tr("{carrier}: handover {number}").format(
                    carrier=rec.carrier_name, number=rec.open_handover or self.tr("not open yet")
                )
            )
            self.counts.setText(
                self.tr("scanned {scanned} / packed {packed}").format(
                    scanned=rec.on_open, packed=rec.expected
                )
            )
            self.missing_title.setText(
                self.tr("Missing: {n}").format(n=len(rec.missing))
                if rec.missing
                else self.tr("Nothing missing: every packed parcel is scanned.")
            )
        self._enable()

    def _enable(self) -> None:
        board = self.board
        rec = board.reconciliation if board is not None else None
        self.close_button.setEnabled(rec is not None and rec.on_open > 0)
        self.off_button.setEnabled(rec is not None and rec.on_open > 0)
        may_reopen = self.ctx.actor.can(Permission.REOPEN_HANDOVER)
        self.reopen_button.setVisible(may_reopen)
        self.reopen_button.setEnabled(
            may_reopen
            and board is not None
            and board.last_closed is not None
            and rec is not None
            and not rec.open_handover
        )

    # --- scans ------------------------------------------------------------------------------

    def on_scan(self, event: object) -> None:
        if not isinstance(event, ScanEvent):
            return
        if event.kind is ScanKind.INVALID and event.error is not None:
            self._say(False, error_text(event.error))
            return
        if event.kind is ScanKind.COMMAND:
            self._say(False, self.tr("Scan a parcel's label (its tracking barcode)."))
            return
        self._call(
            handover.scan_parcel,
            self._scanned,
            event.text,
            station_id=self.ctx.services.station_id,
            carrier_id=self.carrier_id,
        )

    def _scanned(self, out: HandoverScan) -> None:
        self.shown_carrier = out.carrier_id
        self.counts.setText(
            self.tr("scanned {scanned} / packed {packed}").format(
                scanned=out.scanned, packed=out.expected
            )
        )
        self._say(True, pack_text(out.message, out.params))
        self.refresh()

    # --- close, reopen ----------------------------------------------------------------------

    def close_handover(self) -> None:
        rec = self.board.reconciliation if self.board is not None else None
        if rec is None or rec.open_handover_id is None:
            return
        if rec.missing:
            text = self.tr(
                "{n} packed parcels of {carrier} are not scanned. Close handover {number} "
                "without them?"
            ).format(n=len(rec.missing), carrier=rec.carrier_code, number=rec.open_handover)
        else:
            text = self.tr("Close handover {number} with {n} parcels and print its manifest?")
            text = text.format(number=rec.open_handover, n=rec.on_open)
        answer = QMessageBox.question(self, self.tr("Close handover"), text)
        if answer == QMessageBox.StandardButton.Yes:
            self.close_now(rec.open_handover_id)

    def close_now(self, handover_id: int) -> None:
        self._call(
            handover.close_handover,
            self._closed,
            handover_id,
            manifest_dir=self.ctx.services.paths.data_dir / "manifests",
            station_id=self.ctx.services.station_id,
        )

    def _closed(self, out: HandoverClosed) -> None:
        self._say(
            True,
            self.tr(
                "Handover {number} closed: {parcels} parcels, {kg} kg, {orders} orders shipped. "
                "The manifest is printing: have the driver sign it."
            ).format(
                number=out.number,
                parcels=out.parcels,
                kg=f"{out.weight_kg:.3f}",
                orders=out.orders_shipped,
            ),
        )
        self.refresh()

    def reopen(self) -> None:
        closed = self.board.last_closed if self.board is not None else None
        if closed is None:
            return
        reason, ok = QInputDialog.getText(
            self,
            self.tr("Reopen handover"),
            self.tr("Why is handover {number} reopened?").format(number=closed.number),
        )
        if ok:
            self.reopen_with(closed.id, reason)

    def reopen_with(self, handover_id: int, reason: str) -> None:
        self._call(handover.reopen_handover, self._reopened, handover_id, reason)

    def _reopened(self, out: ReopenReport) -> None:
        self._say(
            True,
            self.tr("Handover {number} is open again: {n} orders back to packed.").format(
                number=out.number, n=len(out.orders_back)
            ),
        )
        self.refresh()

    def take_off(self) -> None:
        rec = self.board.reconciliation if self.board is not None else None
        if rec is None or rec.open_handover_id is None:
            return
        text, ok = QInputDialog.getText(
            self,
            self.tr("Take a parcel off"),
            self.tr("Scan or type the tracking number of the parcel to take off {number}:").format(
                number=rec.open_handover
            ),
        )
        if ok and text.strip():
            self.take_off_now(rec.open_handover_id, text)

    def take_off_now(self, handover_id: int, tracking: str) -> None:
        self._call(handover.remove_parcel, self._scanned, handover_id, tracking)

    def _export_tracking(self) -> None:
        """Open the tracking export dialog (channel, format, since, file) for shipped orders."""
        try:
            self.export_dialog = TrackingExportDialog(self.ctx, self)
        except PackdeskError as exc:
            self._refused(exc)
            return
        self.export_dialog.open()

    # --- answers ----------------------------------------------------------------------------

    def _refused(self, exc: PackdeskError) -> None:
        if is_offline_refusal(exc):  # the database is away: not the shipper's mistake
            text = error_text(exc)
            say_offline(self.message, text, self.ctx.devices.get("feedback"))
            self.answered.emit(False, text)
            return
        self._say(False, error_text(exc))

    def _say(self, ok: bool, text: str) -> None:
        feedback = self.ctx.devices.get("feedback")
        show_answer(self.message, ok, text, feedback if isinstance(feedback, Feedback) else None)
        self.answered.emit(ok, text)
