"""Delivery tracking on screen: the words for our delivery statuses and exception kinds, the
delivery exceptions table, and the rows of an order's tracking history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from app.services.delivery import TrackingEventView
from app.services.delivery_exceptions import DeliveryExceptionView
from ui.models.waves import RowsModel

Index = QModelIndex | QPersistentModelIndex


def delivery_status_name(status: str) -> str:
    """Our delivery status (``app.domain.delivery.DeliveryStatus``) in this language."""
    names = {
        "in_transit": QCoreApplication.translate("Delivery", "In transit"),
        "out_for_delivery": QCoreApplication.translate("Delivery", "Out for delivery"),
        "at_pickup_point": QCoreApplication.translate("Delivery", "At a pickup point"),
        "delivered": QCoreApplication.translate("Delivery", "Delivered"),
        "exception": QCoreApplication.translate("Delivery", "Problem reported"),
        "returned_to_sender": QCoreApplication.translate("Delivery", "Returned to sender"),
        "lost": QCoreApplication.translate("Delivery", "Lost"),
        "damaged": QCoreApplication.translate("Delivery", "Damaged"),
    }
    return names.get(status, status)


def exception_kind_names() -> dict[str, str]:
    """Each exception kind (``app.domain.delivery.ExceptionKind``) in this language."""
    return {
        "lost": QCoreApplication.translate("Delivery", "Lost"),
        "damaged": QCoreApplication.translate("Delivery", "Damaged"),
        "returned_to_sender": QCoreApplication.translate("Delivery", "Returned to sender"),
        "problem": QCoreApplication.translate("Delivery", "Problem reported"),
        "no_scan": QCoreApplication.translate("Delivery", "No scan"),
        "not_handed_over": QCoreApplication.translate("Delivery", "Delivered, never handed over"),
    }


def exception_kind_name(kind: str) -> str:
    return exception_kind_names().get(kind, kind)


#: row colours by kind: the carrier lost or broke it (red), it is coming back (amber)
KIND_COLOURS = {
    "lost": QColor("#ffd6d6"),
    "damaged": QColor("#ffd6d6"),
    "returned_to_sender": QColor("#ffe9c7"),
    "problem": QColor("#ffe9c7"),
    "not_handed_over": QColor("#e3e8ff"),
}


def when(dt: datetime | None) -> str:
    return dt.astimezone().strftime("%Y-%m-%d %H:%M") if dt is not None else "—"


def _last_event(x: DeliveryExceptionView) -> str:
    if x.last_at is None:
        return QCoreApplication.translate("Delivery", "none since it was shipped")
    words = x.last_raw or delivery_status_name(x.last_status)
    return " · ".join(p for p in (when(x.last_at), words, x.last_place) if p)


class ExceptionsModel(RowsModel[DeliveryExceptionView]):
    """The open delivery exceptions, coloured by kind."""

    def __init__(self) -> None:
        super().__init__(
            [
                (QCoreApplication.translate("Delivery", "Order"), lambda x: x.order_number),
                (
                    QCoreApplication.translate("Delivery", "Tracking number"),
                    lambda x: x.tracking_number,
                ),
                (QCoreApplication.translate("Delivery", "Carrier"), lambda x: x.carrier),
                (
                    QCoreApplication.translate("Delivery", "Kind"),
                    lambda x: exception_kind_name(x.kind),
                ),
                (QCoreApplication.translate("Delivery", "Since"), lambda x: when(x.since)),
                (QCoreApplication.translate("Delivery", "Last event"), _last_event),
                (QCoreApplication.translate("Delivery", "Detail"), lambda x: x.detail),
            ]
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and role == Qt.ItemDataRole.BackgroundRole:
            return KIND_COLOURS.get(self.rows[index.row()].kind)
        return super().data(index, role)


def history_rows(events: tuple[TrackingEventView, ...]) -> list[list[str]]:
    """The order detail's tracking history: time, parcel, status, the carrier's words, place,
    source (newest first, as the service gives them)."""
    return [
        [
            when(e.at),
            f"{e.parcel_seq} · {e.tracking_number}",
            delivery_status_name(e.status),
            e.raw_status,
            e.place,
            e.source,
        ]
        for e in events
    ]
