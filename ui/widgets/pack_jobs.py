"""The pack screen's watch on its label and packing-slip print jobs: when the station's print
worker sends one, or the printer holds it (out of paper...), the screen is told once per change,
in words a packer reads ("Label printed: SF...", "Label not printed yet: the printer is out of
paper...")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from app.services import printing
from ui.context import UiContext
from ui.widgets.pack_runner import SerialCalls

#: the kind ``JobWatch.watch`` is given for a pickup order's slip ("slip": a packing slip)
PICKUP_SLIP = "pickup_slip"


def slip_text(status: str, pickup: bool = False) -> str:
    """The packing slip's (``pickup``: the pickup slip's) state in words."""
    if status == printing.SENT:
        if pickup:
            return QCoreApplication.translate("PackScreen", "Pickup slip printed.")
        return QCoreApplication.translate("PackScreen", "Packing slip printed.")
    if status in (printing.WAITING, printing.FAILED):
        if pickup:
            return QCoreApplication.translate(
                "PackScreen", "Pickup slip waiting for the document printer."
            )
        return QCoreApplication.translate(
            "PackScreen", "Packing slip waiting for the document printer."
        )
    if pickup:
        return QCoreApplication.translate("PackScreen", "Pickup slip sent to the document printer.")
    return QCoreApplication.translate("PackScreen", "Packing slip sent to the document printer.")


class JobWatch(QObject):
    """``watch(job_id, kind, tracking)``; ``label(ok, text)`` and ``slip(text)`` say what became
    of them; ``seen(job_id, status)`` for every change."""

    label = Signal(bool, str)
    slip = Signal(str)
    seen = Signal(int, str)

    def __init__(self, ctx: UiContext, calls: SerialCalls, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.calls = calls
        #: job id -> (kind, tracking number, last status seen)
        self.jobs: dict[int, tuple[str, str, str]] = {}
        ctx.bus.changed.connect(self._bus_changed)

    def watch(self, job_id: int | None, kind: str, tracking: str = "") -> None:
        if job_id is not None:
            self.jobs[job_id] = (kind, tracking, printing.QUEUED)

    def wake_printer(self) -> None:
        """Tell the station's print worker there is a job (it sends it now, not at the next
        poll)."""
        if self.jobs:
            self.ctx.bus.notify("print_job", list(self.jobs))

    def _bus_changed(self, kind: str, ids: list[int]) -> None:
        if not self.jobs or kind not in ("print_job", "*"):
            return
        if ids and not any(i in self.jobs for i in ids):  # no ids: any job may have changed
            return
        svc, actor = self.ctx.services, self.ctx.actor
        fetch: Callable[[], Any] = lambda: svc.run(printing.list_jobs, actor, limit=20)  # noqa: E731
        self.calls.call(fetch, self._rows, lambda exc: None)

    def _rows(self, rows: list[printing.PrintJobRow]) -> None:
        for row in rows:
            known = self.jobs.get(row.id)
            if known is None or row.status in (printing.QUEUED, printing.SENDING, known[2]):
                continue
            kind, tracking = known[0], known[1]
            if row.status == printing.SENT:
                del self.jobs[row.id]
            else:
                self.jobs[row.id] = (kind, tracking, row.status)
            if kind == "label":
                self._label(row, tracking)
            else:
                self.slip.emit(slip_text(row.status, pickup=kind == PICKUP_SLIP))
            self.seen.emit(row.id, row.status)

    def _label(self, row: printing.PrintJobRow, tracking: str) -> None:
        tracking = tracking or row.reference
        if row.status == printing.SENT:
            self.label.emit(
                True,
                QCoreApplication.translate("PackScreen", "Label printed: {tracking}").format(
                    tracking=tracking
                ),
            )
            return
        reason = QCoreApplication.translate("PackdeskError", row.error) if row.error else ""
        if row.undrawn and row.status == printing.FAILED:  # the printer is not the cause
            text = QCoreApplication.translate("PackScreen", "Label not printed: {reason}")
            self.label.emit(False, text.format(reason=reason))
            return
        text = QCoreApplication.translate(
            "PackScreen", "Label not printed yet: {reason} It prints when the printer is ready."
        )
        self.label.emit(False, text.format(reason=reason))
