"""The pickup counter's table: the pickup orders waiting on the shelf, the longest first."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication

from app.services.pickup_counter import WaitingPickup
from ui.models.waves import RowsModel


def waited(packed_at: datetime | None, now: datetime | None = None) -> str:
    """How long the parcel has waited on the shelf: "3 h", "2 d"."""
    if packed_at is None:
        return "—"
    now = now or datetime.now(UTC)
    at = packed_at if packed_at.tzinfo else packed_at.replace(tzinfo=UTC)
    hours = max(0, int((now - at).total_seconds() // 3600))
    if hours < 48:
        return QCoreApplication.translate("PickupScreen", "{n} h").format(n=hours)
    return QCoreApplication.translate("PickupScreen", "{n} d").format(n=hours // 24)


def waiting_model() -> RowsModel[WaitingPickup]:
    return RowsModel(
        [
            (QCoreApplication.translate("PickupScreen", "Slot"), lambda w: w.slot or "—"),
            (QCoreApplication.translate("PickupScreen", "Order"), lambda w: w.order_number),
            (QCoreApplication.translate("PickupScreen", "Shop order"), lambda w: w.external_id),
            (QCoreApplication.translate("PickupScreen", "Customer"), lambda w: w.name or "—"),
            (QCoreApplication.translate("PickupScreen", "Phone"), lambda w: w.phone or "—"),
            (QCoreApplication.translate("PickupScreen", "Parcels"), lambda w: w.parcels),
            (QCoreApplication.translate("PickupScreen", "Waiting"), lambda w: waited(w.packed_at)),
        ]
    )
