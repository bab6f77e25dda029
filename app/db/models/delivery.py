"""Delivery tracking (签收): the carrier's events for each parcel, and the exceptions queue.

``tracking_events`` holds what carriers said about a parcel (from a status file or a carrier
plug-in): our status, the carrier's own words, when and where. The same event imported twice is
stored once (unique on parcel, time and the carrier's words).

``delivery_exceptions`` is the supervisor's queue: a parcel lost, damaged, returned to sender,
reported as a problem, delivered without a handover here, or silent for N days. One open
exception per parcel and kind (a partial unique index); resolving one keeps it, with who, when
and the note.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base, utcnow

#: the longest carrier status text kept (it is part of the unique key)
RAW_STATUS_MAX = 200


class TrackingEvent(Base):
    """One event of a parcel as its carrier reported it."""

    __tablename__ = "tracking_events"
    __table_args__ = (
        UniqueConstraint("parcel_id", "event_at", "raw_status"),
        Index("ix_tracking_events_parcel_at", "parcel_id", "event_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    parcel_id: Mapped[int] = mapped_column(ForeignKey("parcels.id"))
    tracking_number: Mapped[str] = mapped_column(String(64), index=True)
    #: app.domain.delivery.DeliveryStatus
    status: Mapped[str] = mapped_column(String(24))
    #: the carrier's words, as given
    raw_status: Mapped[str] = mapped_column(String(RAW_STATUS_MAX), default="")
    event_at: Mapped[datetime] = mapped_column()
    place: Mapped[str] = mapped_column(String(200), default="")
    #: the file's name, or "plugin:<name>"
    source: Mapped[str] = mapped_column(String(200), default="")
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    imported_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)


class DeliveryException(Base):
    """A parcel a supervisor should look at (``app.domain.delivery.ExceptionKind``)."""

    __tablename__ = "delivery_exceptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    parcel_id: Mapped[int] = mapped_column(ForeignKey("parcels.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    #: lost | damaged | returned_to_sender | problem | no_scan | not_handed_over
    kind: Mapped[str] = mapped_column(String(24))
    #: when it began: the event's time, or the last event's for no_scan
    since: Mapped[datetime] = mapped_column()
    #: the carrier's words, or what the rule found
    detail: Mapped[str] = mapped_column(Text, default="")
    #: open | resolved
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(nullable=True)
    #: None when the system closed it (a no-scan parcel scanned again, or delivered)
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    resolution_note: Mapped[str] = mapped_column(Text, default="")


#: one open exception per parcel and kind: importing the same file again opens nothing new
Index(
    "uq_delivery_exceptions_open",
    DeliveryException.parcel_id,
    DeliveryException.kind,
    unique=True,
    sqlite_where=DeliveryException.status == "open",
    postgresql_where=DeliveryException.status == "open",
)
Index("ix_delivery_exceptions_status_kind", DeliveryException.status, DeliveryException.kind)
