"""The append-only stock ledger, the on-hand projection it maintains, and reservations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base, utcnow


class StockLedger(Base):
    """One line per movement; never updated or deleted. On-hand is the sum of these."""

    __tablename__ = "stock_ledger"
    __table_args__ = (
        Index("ix_stock_ledger_bucket", "location_id", "product_id", "lot_id"),
        CheckConstraint("qty_delta <> 0", name="nonzero"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"), nullable=True)
    qty_delta: Mapped[int] = mapped_column(Integer)
    #: app.domain.stock.MovementReason
    reason: Mapped[str] = mapped_column(String(16))
    #: what caused it: ("order", 42), ("receipt", 7), ("count", 3)...
    ref_type: Mapped[str] = mapped_column(String(16), default="")
    ref_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"), nullable=True)


class StockLevel(Base):
    """On-hand and reserved per (location, product, lot): kept in step with the ledger in the
    same transaction, so reads need no aggregation. The checks are the stock invariants."""

    __tablename__ = "stock_levels"
    __table_args__ = (
        Index("ix_stock_levels_product", "product_id", "location_id"),
        CheckConstraint("on_hand >= 0", name="on_hand_not_negative"),
        CheckConstraint("reserved >= 0", name="reserved_not_negative"),
        CheckConstraint("reserved <= on_hand", name="reserved_within_on_hand"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"), nullable=True)
    on_hand: Mapped[int] = mapped_column(Integer, default=0)
    reserved: Mapped[int] = mapped_column(Integer, default=0)
    #: first-in-first-out key for goods without expiry
    first_received_at: Mapped[datetime] = mapped_column(default=utcnow)


class Reservation(Base):
    """Stock promised to an order line at a location (and lot)."""

    __tablename__ = "reservations"
    __table_args__ = (CheckConstraint("qty > 0", name="positive"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_line_id: Mapped[int] = mapped_column(
        ForeignKey("order_lines.id", ondelete="CASCADE"), index=True
    )
    stock_level_id: Mapped[int] = mapped_column(ForeignKey("stock_levels.id"), index=True)
    qty: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# One row per bucket; a NULL lot counts as one bucket on SQLite and PostgreSQL alike.
Index(
    "uq_stock_levels_bucket",
    StockLevel.location_id,
    StockLevel.product_id,
    func.coalesce(StockLevel.lot_id, 0),
    unique=True,
)
