"""Returns (售后): what came back from a shipped order, why, and where each unit went.

A returns clerk **receives** a parcel that came back: a ``returns`` row for the order (one open
return per order, a partial unique index), found by what was scanned (tracking number, order
number, channel order id or the return label ``RT-<order number>``). Each unit taken out of the
parcel is a ``return_lines`` row (one per scan, or per typed quantity) with its reason; once
inspected it has a ``disposition``: ``restock`` (back into a pickable or storage location, ledger
reason ``return``), ``quarantine`` (into the warehouse's quarantine location, never allocated) or
``write_off`` (into quarantine, then out as ``scrap``). Finishing the return (``status`` done)
writes the order's status history: ``returned`` when everything shipped came back.

``return_reasons`` is the configurable list a clerk picks from, in English and Chinese.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base, utcnow


class ReturnReason(Base):
    """A reason a customer sent goods back, as the clerk picks it (and the reports count it)."""

    __tablename__ = "return_reasons"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_en: Mapped[str] = mapped_column(String(100), default="")
    name_zh: Mapped[str] = mapped_column(String(100), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: the order the clerk sees them in; lower first
    position: Mapped[int] = mapped_column(Integer, default=0)


class Return(Base):
    """One parcel (or handful of items) that came back for an order."""

    __tablename__ = "returns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: R-<order number>-<n>: the order's n-th return
    number: Mapped[str] = mapped_column(String(48), unique=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    #: open (being inspected) | done
    status: Mapped[str] = mapped_column(String(16), default="open")
    #: what the clerk scanned to find the order
    scanned: Mapped[str] = mapped_column(String(128), default="")
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    received_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(nullable=True)
    finished_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")


#: one open return per order: a second station resumes it
Index(
    "uq_returns_open_order",
    Return.order_id,
    unique=True,
    sqlite_where=Return.status == "open",
    postgresql_where=Return.status == "open",
)
Index("ix_returns_finished_at", Return.finished_at)


class ReturnLine(Base):
    """Units of one order line that came back, with their reason and, once inspected, where
    they went. A serial-tracked unit is one row with its serial and the pack item it shipped as
    (``pack_item_id``)."""

    __tablename__ = "return_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("returns.id"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"), nullable=True)
    serial: Mapped[str | None] = mapped_column(String(128), nullable=True)
    pack_item_id: Mapped[int | None] = mapped_column(ForeignKey("pack_items.id"), nullable=True)
    qty: Mapped[int] = mapped_column(Integer, default=1)
    #: a return_reasons code (kept as text: a reason disabled later still reads)
    reason_code: Mapped[str] = mapped_column(String(32), index=True)
    #: "" until inspected, then restock | quarantine | write_off
    disposition: Mapped[str] = mapped_column(String(16), default="")
    #: where the units went (restock: the scanned location; otherwise the quarantine location)
    location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"), nullable=True)
    #: what was scanned to add the units
    scanned: Mapped[str] = mapped_column(String(128), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    inspected_at: Mapped[datetime | None] = mapped_column(nullable=True)
    inspected_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
