"""Pickup counter (自提): the customer of a pickup order collects it, with the scanner alone.

Scan the pickup slip (or type the order number the customer shows and press Enter): the order
comes up with its shelf slot huge, its recipient (masked by the channel's policy) and its
parcels, so the clerk fetches it and checks the customer. Scanning the same slip again (or Hand
over) gives it to the customer: the order is delivered and the slot is free. Below: every
pickup order still waiting, the longest first. Calls run off the UI thread, one after another.
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import PackdeskError
from app.domain.scans import ScanEvent, ScanKind
from app.domain.users import Permission
from app.services import pickup_counter
from app.services.pickup_counter import PickupCollected, WaitingPickup
from ui.context import UiContext
from ui.feedback import Feedback, show_answer
from ui.i18n import error_text
from ui.models.pickup import waiting_model
from ui.screens.base import Screen
from ui.widgets.pack_parts import PROMPT_COLOUR, big_label
from ui.widgets.pack_runner import SerialCalls


class PickupScreen(Screen):
    permission: ClassVar[Permission] = Permission.SHIP
    takes_scans = True

    #: every answer shown (ok, text): tests wait for it
    answered = Signal(bool, str)
    #: the waiting list was shown
    loaded = Signal()

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("PickupScreen", "Pickup counter")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("PickupScreen")
        self.calls = SerialCalls(self)
        #: the order on the card (scanned once, waiting for the second scan)
        self.current: WaitingPickup | None = None
        self._build()
        self._show_card(None)

    def _build(self) -> None:
        self.prompt = big_label(24, "pickup_prompt")
        self.prompt.setStyleSheet(
            f"QLabel {{ background: {PROMPT_COLOUR}; color: white; padding: 8px; }}"
        )
        self.slot = big_label(72, "pickup_slot")
        self.slot.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.slot.setMinimumWidth(260)
        self.order = big_label(28, "pickup_order")
        self.who = big_label(22, "pickup_who", bold=False)
        self.parcels = big_label(20, "pickup_parcels", bold=False)
        facts = QVBoxLayout()
        for w in (self.order, self.who, self.parcels):
            facts.addWidget(w)
        facts.addStretch(1)
        card = QHBoxLayout()
        card.addWidget(self.slot)
        card.addLayout(facts, 1)
        self.typed = QLineEdit()
        self.typed.setObjectName("pickup_typed")
        self.typed.setPlaceholderText(self.tr("Order number the customer shows, then Enter"))
        font = self.typed.font()
        font.setPointSize(16)
        self.typed.setFont(font)
        self.typed.setMinimumHeight(44)
        self.typed.returnPressed.connect(self._typed)
        self.hand_over = QPushButton(self.tr("Hand over"))
        self.hand_over.setObjectName("hand_over")
        self.hand_over.setFont(font)
        self.hand_over.setMinimumHeight(48)
        self.hand_over.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.hand_over.clicked.connect(self._hand_over_clicked)
        entry = QHBoxLayout()
        entry.addWidget(self.typed, 1)
        entry.addWidget(self.hand_over)
        self.message = big_label(20, "pickup_message")
        self.list_title = big_label(15, "pickup_list_title")
        self.model = waiting_model()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        tfont = self.table.font()
        tfont.setPointSize(tfont.pointSize() + 4)
        self.table.setFont(tfont)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addLayout(card)
        layout.addLayout(entry)
        layout.addWidget(self.message)
        layout.addWidget(self.list_title)
        layout.addWidget(self.table, 1)

    # --- loading ----------------------------------------------------------------------------

    def activated(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        self._call(pickup_counter.waiting_pickups, self._listed)

    def _call(self, fn: Any, on_done: Any, *args: Any) -> None:
        svc, actor = self.ctx.services, self.ctx.actor
        self.calls.call(lambda: svc.run(fn, actor, *args), on_done, self._refused)

    def _listed(self, rows: tuple[WaitingPickup, ...]) -> None:
        self.model.set_rows(rows)
        self.list_title.setText(self.tr("Waiting on the shelf: {n}").format(n=len(rows)))
        self.loaded.emit()

    # --- the card ---------------------------------------------------------------------------

    def _show_card(self, w: WaitingPickup | None) -> None:
        self.current = w
        self.hand_over.setEnabled(w is not None)
        if w is None:
            self.prompt.setText(
                self.tr("Scan the customer's pickup slip (or type the order number).")
            )
            for label in (self.slot, self.order, self.who, self.parcels):
                label.clear()
            return
        self.prompt.setText(
            self.tr(
                "Fetch it from slot {slot}, check the customer, then scan the slip again to hand "
                "it over."
            ).format(slot=w.slot or "—")
        )
        self.slot.setText(w.slot or "—")
        self.slot.setStyleSheet("QLabel { background: #fff3c4; border: 3px solid #8a6d00; }")
        self.order.setText(f"{w.order_number}   ({w.external_id})")
        self.who.setText(f"{w.name}   {w.phone}".strip())
        self.parcels.setText(self.tr("{n} parcel(s) · {channel}").format(
            n=w.parcels, channel=w.channel
        ))  # fmt: skip

    # --- scans ------------------------------------------------------------------------------

    def on_scan(self, event: object) -> None:
        if not isinstance(event, ScanEvent):
            return
        if event.kind is ScanKind.INVALID and event.error is not None:
            self._say(False, error_text(event.error))
            return
        if event.kind is ScanKind.COMMAND:
            self._say(False, self.tr("Scan the pickup slip's barcode (the order number)."))
            return
        self.take(event.text)

    def _typed(self) -> None:
        text = self.typed.text().strip()
        self.typed.clear()
        if text:
            self.take(text)

    def take(self, text: str) -> None:
        """A scanned or typed order: the second time the same order comes, hand it over."""
        w = self.current
        if w is not None and text.strip() in (w.order_number, w.external_id):
            self._call(pickup_counter.collect_pickup, self._collected, w.order_number)
        else:
            self._call(pickup_counter.find_pickup, self._found, text)

    def _hand_over_clicked(self) -> None:
        if self.current is not None:
            self._call(pickup_counter.collect_pickup, self._collected, self.current.order_number)

    def _found(self, w: WaitingPickup) -> None:
        self._show_card(w)
        self._say(True, self.tr("{order}: slot {slot}.").format(
            order=w.order_number, slot=w.slot or "—"
        ))  # fmt: skip

    def _collected(self, out: PickupCollected) -> None:
        self._show_card(None)
        self._say(
            True,
            self.tr("{order} handed to the customer from slot {slot}: {n} parcel(s).").format(
                order=out.order_number, slot=out.slot or "—", n=out.parcels
            ),
        )
        self.refresh()

    def _refused(self, exc: PackdeskError) -> None:
        self._say(False, error_text(exc))

    def _say(self, ok: bool, text: str) -> None:
        feedback = self.ctx.devices.get("feedback")
        show_answer(self.message, ok, text, feedback if isinstance(feedback, Feedback) else None)
        self.answered.emit(ok, text)
