"""The print job queue: a label is never silently lost."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base, JSONType, utcnow


class PrintJob(Base):
    __tablename__ = "print_jobs"
    __table_args__ = (Index("ix_print_jobs_station_status", "station_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"), nullable=True)
    #: which configured printer of the station: label | document
    printer: Mapped[str] = mapped_column(String(32), default="label")
    #: zpl | tspl | pdf
    format: Mapped[str] = mapped_column(String(8))
    #: shipping_label | packing_slip | test | pick_list | manifest | station_card
    kind: Mapped[str] = mapped_column(String(32))
    #: what it is for, e.g. the order number
    reference: Mapped[str] = mapped_column(String(64), default="")
    #: the bytes the printer gets (empty while ``draw`` says what to draw)
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    #: a document the print worker draws before sending it (``app.services.print_drawing``):
    #: what to draw and from which rows, not the data itself; None once drawn
    draw: Mapped[dict[str, Any] | None] = mapped_column(JSONType, nullable=True)
    #: queued | sending | waiting | sent | failed
    status: Mapped[str] = mapped_column(String(16), default="queued")
    error: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    reprint_of_id: Mapped[int | None] = mapped_column(ForeignKey("print_jobs.id"), nullable=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(nullable=True)
    #: when the status last changed (the job list shows it)
    updated_at: Mapped[datetime | None] = mapped_column(nullable=True, default=utcnow)
    #: a failed job is retried by itself from this time on (None: only when the operator resends)
    next_attempt_at: Mapped[datetime | None] = mapped_column(nullable=True)
