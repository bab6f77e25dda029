"""Product mappings (平台货品对应): what a channel's listing stands for in our catalogue.

A mapping matches a channel's line by its SKU, its listing/variant id or its title, for one
channel or for every channel (``channel_id`` NULL), and stands for one or more products with a
number of units each: a "Buy 1 Get 1 FREE" listing is one part of 2 units, a 6-pack one part of
6, a kit (组合装) several parts.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base, utcnow


class ListingMapping(Base):
    __tablename__ = "listing_mappings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the channel whose listing this is; NULL = every channel (a channel's own mapping wins)
    channel_id: Mapped[int | None] = mapped_column(
        ForeignKey("channels.id", ondelete="CASCADE"), nullable=True
    )
    #: sku | listing_id | title
    match_kind: Mapped[str] = mapped_column(String(16))
    #: the listing's text as the user typed it
    match_text: Mapped[str] = mapped_column(String(300))
    #: ``app.domain.listings.match_key`` of the text: what lines are compared by
    match_key: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)


# NULLs are distinct in a unique index (PostgreSQL and SQLite alike): one partial index for the
# channel's own mappings, one for the every-channel ones
Index(
    "uq_listing_mappings_channel",
    ListingMapping.channel_id,
    ListingMapping.match_kind,
    ListingMapping.match_key,
    unique=True,
    sqlite_where=ListingMapping.channel_id.is_not(None),
    postgresql_where=ListingMapping.channel_id.is_not(None),
)
Index(
    "uq_listing_mappings_every_channel",
    ListingMapping.match_kind,
    ListingMapping.match_key,
    unique=True,
    sqlite_where=ListingMapping.channel_id.is_(None),
    postgresql_where=ListingMapping.channel_id.is_(None),
)


class ListingMappingPart(Base):
    """One product of a mapping and how many units of it one listing unit stands for."""

    __tablename__ = "listing_mapping_parts"
    __table_args__ = (CheckConstraint("units > 0", name="units_positive"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mapping_id: Mapped[int] = mapped_column(
        ForeignKey("listing_mappings.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    units: Mapped[int] = mapped_column(Integer)
