"""Importing orders: saved column profiles, the log of each import, where each order came from,
and the lookup keys that find a returning customer."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base, JSONType, utcnow


class ImportProfile(Base):
    """A saved column mapping for generic CSV/Excel files, chosen by name."""

    __tablename__ = "import_profiles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    #: csv | xlsx
    format: Mapped[str] = mapped_column(String(16), default="csv")
    #: app.importers.generic.Mapping.to_json()
    mapping: Mapped[dict[str, Any]] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)


class ImportBatch(Base):
    """One import of one file: who, when, what came of it, and the row-numbered problems."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(nullable=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"), nullable=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id"))
    file_name: Mapped[str] = mapped_column(String(300), default="")
    #: shopify | woocommerce | csv | xlsx | records (handed over by a program)
    format: Mapped[str] = mapped_column(String(16), default="")
    encoding: Mapped[str] = mapped_column(String(32), default="")
    #: running | done | cancelled | failed
    status: Mapped[str] = mapped_column(String(16), default="running")
    rows: Mapped[int] = mapped_column(Integer, default=0)
    imported: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    held: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    #: [{"row", "kind", "order", "reason"}], the first PROBLEMS_KEPT of them
    problems: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    problems_total: Mapped[int] = mapped_column(Integer, default=0)


class OrderImport(Base):
    """Where an order came from, and a fingerprint of what the channel said, so importing the
    same file again changes nothing and a changed order is recognised."""

    __tablename__ = "order_imports"

    order_id: Mapped[int] = mapped_column(
        ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True
    )
    batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batches.id", ondelete="SET NULL"), nullable=True, index=True
    )
    #: sha256 of the order as the file gave it (row numbers left out)
    content_hash: Mapped[str] = mapped_column(String(64))
    source_row: Mapped[int] = mapped_column(Integer, default=0)
    #: the channel's status words ("paid, unfulfilled", "processing", "已付款")
    channel_status: Mapped[str] = mapped_column(String(64), default="")
    #: the channel cancelled the order (a check holds it)
    channel_cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class CustomerKey(Base):
    """Finds a returning customer: a hash of the e-mail address, or of name and phone."""

    __tablename__ = "customer_keys"

    #: sha256 hex, not readable; deleting a customer deletes its keys
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
