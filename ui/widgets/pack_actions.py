"""After packing, at the pack screen: void (unpack) a parcel, and reprint its label (补打), each
a permission the service checks again and audits. The parcel is the one chosen in the parcels
table, else the last one labelled of the order on screen or packed last."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QInputDialog, QWidget

from app.domain.users import Permission
from app.services import pack_after
from app.services.pack_after import VoidReport
from app.services.packing import PackView, ParcelView
from ui.context import UiContext
from ui.widgets.pack_runner import SerialCalls

Say = Callable[[bool, str], None]


def chosen_parcel(view: PackView | None, row: int | None) -> ParcelView | None:
    """The parcel in ``row`` of the table, else the last labelled one."""
    if view is None or not view.parcels:
        return None
    if row is not None and 0 <= row < len(view.parcels):
        return view.parcels[row]
    labelled = [p for p in view.parcels if p.tracking_number and p.status != "voided"]
    return labelled[-1] if labelled else None


class AfterActions(QObject):
    """Void and reprint for the screen; answers go to ``say`` and ``done`` (to reload)."""

    def __init__(
        self,
        ctx: UiContext,
        calls: SerialCalls,
        say: Say,
        done: Callable[[], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.calls, self.say, self.done = ctx, calls, say, done
        self.host = parent

    def can_void(self) -> bool:
        return self.ctx.can(Permission.VOID_PARCELS)

    def can_reprint(self) -> bool:
        return self.ctx.can(Permission.REPRINT)

    def reprint(self, parcel: ParcelView | None, reprinted: Callable[[int, str], None]) -> None:
        """Print the parcel's label again, marked as a reprint; ``reprinted(job, tracking)``."""
        if parcel is None:
            self.say(
                False,
                QCoreApplication.translate(
                    "PackScreen", "No labelled parcel to reprint: choose one in the parcels list."
                ),
            )
            return
        svc, actor, tracking = self.ctx.services, self.ctx.actor, parcel.tracking_number
        self.calls.call(
            lambda: svc.run(pack_after.reprint_label, actor, parcel.id, "reprint at the bench"),
            lambda job: reprinted(int(job), tracking),
            lambda exc: self.say(False, _error(exc)),
        )

    def void(self, parcel: ParcelView | None) -> None:
        if parcel is None:
            self.say(
                False,
                QCoreApplication.translate(
                    "PackScreen", "No labelled parcel to void: choose one in the parcels list."
                ),
            )
            return
        reason, ok = QInputDialog.getText(
            self.host,
            QCoreApplication.translate("PackScreen", "Void parcel"),
            QCoreApplication.translate(
                "PackScreen",
                "Why is parcel {n} ({tracking}) voided? Its items go back to the tote.",
            ).format(n=parcel.seq, tracking=parcel.tracking_number or "-"),
            text=QCoreApplication.translate("PackScreen", "Repacked"),
        )
        if not ok:
            return
        svc, actor = self.ctx.services, self.ctx.actor
        self.calls.call(
            lambda: svc.run(pack_after.void_parcel, actor, parcel.id, reason),
            self._voided,
            lambda exc: self.say(False, _error(exc)),
        )

    def _voided(self, report: VoidReport) -> None:
        text = QCoreApplication.translate(
            "PackScreen",
            "Parcel {n} of order {order} voided: number {tracking} will never be used again, "
            "{units} units back in the tote.",
        ).format(
            n=report.parcel_seq,
            order=report.order_number,
            tracking=report.tracking_number or "-",
            units=report.units_back,
        )
        self.say(True, text)
        self.done()


def _error(exc: object) -> str:
    from ui.i18n import error_text

    return error_text(exc)  # type: ignore[arg-type]
