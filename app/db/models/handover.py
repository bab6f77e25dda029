"""Carrier handovers (交接单): the parcels a carrier's driver takes, and their manifest.

A shipper scans each parcel's label onto the **open handover of its carrier for the day**
(``handovers``: one open per carrier and day, a partial unique index; numbered
``HO-20261206-SF-1``, then ``-2`` for a second one that day). ``handover_parcels`` puts a parcel
on one handover only (unique ``parcel_id``), so two shippers scanning the same parcel at once
cannot both hand it over. Closing prints the manifest and makes the orders ``shipped``; a
supervisor may reopen a closed handover (audited, with a reason).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base, utcnow


class Handover(Base):
    __tablename__ = "handovers"
    __table_args__ = (UniqueConstraint("carrier_id", "day", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: HO-YYYYMMDD-CARRIER-n
    number: Mapped[str] = mapped_column(String(64), unique=True)
    carrier_id: Mapped[int] = mapped_column(ForeignKey("carriers.id"), index=True)
    #: the warehouse's local calendar day the handover belongs to
    day: Mapped[date] = mapped_column(Date)
    #: 1, 2 ... the carrier's handovers that day
    seq: Mapped[int] = mapped_column(Integer, default=1)
    #: open | closed
    status: Mapped[str] = mapped_column(String(16), default="open")
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    opened_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    #: parcels and their weight when it was closed (the manifest's totals)
    parcels: Mapped[int] = mapped_column(Integer, default=0)
    weight_g: Mapped[int] = mapped_column(Integer, default=0)
    #: where the manifest PDF was written, and its print job when it was queued
    manifest_path: Mapped[str] = mapped_column(Text, default="")
    manifest_job_id: Mapped[int | None] = mapped_column(ForeignKey("print_jobs.id"), nullable=True)
    reopened_at: Mapped[datetime | None] = mapped_column(nullable=True)
    reopened_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    reopen_reason: Mapped[str] = mapped_column(Text, default="")


#: one open handover per carrier and day: the first scan creates it, the others join it
Index(
    "uq_handovers_open_carrier_day",
    Handover.carrier_id,
    Handover.day,
    unique=True,
    sqlite_where=Handover.status == "open",
    postgresql_where=Handover.status == "open",
)


class HandoverParcel(Base):
    """A parcel scanned onto a handover; on one handover only."""

    __tablename__ = "handover_parcels"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    handover_id: Mapped[int] = mapped_column(ForeignKey("handovers.id"), index=True)
    parcel_id: Mapped[int] = mapped_column(ForeignKey("parcels.id"), unique=True)
    #: the text scanned (tracking, master or child number)
    scanned: Mapped[str] = mapped_column(String(128), default="")
    scanned_at: Mapped[datetime] = mapped_column(default=utcnow)
    scanned_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"), nullable=True)
