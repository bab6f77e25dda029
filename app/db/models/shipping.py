"""Shipping rules, carriers' sorting codes, tracking-number pools and labels made elsewhere.

**Rules** (``shipping_rules``) are tried in ``position`` order; each has conditions (weight,
destination, order value, channel, SKU or tag, the order's shipping method: JSON, read by
``app.domain.shipping_rules``) and an action: ``set`` a carrier service and/or package, ``hold``
the order with a reason, or ``stop`` (no later rule is tried). A ``set`` rule with ``stop`` set
also ends the search.

**Sorting codes** (``sorting_codes``): per carrier, the routing code printed big on the label
(大头笔) and the hub the parcel is bagged for (集包地), by destination; the most specific row
wins (district over city over province over country; a postal-code prefix over none).

**Tracking numbers** (``tracking_numbers``) are loaded per carrier (and service) from files: a
number is ``free``, then ``used`` by one parcel, or ``void`` (never given again; listed for the
carrier). Unique per carrier, and taken with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so two
stations never get the same one.

**Order labels** (``order_labels``): a carrier label made elsewhere (a PDF or ZPL file), attached
to the order and printed as it is.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base, JSONType, utcnow


class ShippingRule(Base):
    __tablename__ = "shipping_rules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0, index=True)
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: {"weight_min_g", "weight_max_g", "countries", "provinces", "cities", "postal_prefixes",
    #:  "value_min", "value_max", "channels", "skus", "tags", "shipping_methods"}: all given
    #: conditions must hold; a list matches when any of its entries does
    conditions: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    #: set | hold | stop
    action: Mapped[str] = mapped_column(String(8), default="set")
    carrier_service_id: Mapped[int | None] = mapped_column(
        ForeignKey("carrier_services.id"), nullable=True
    )
    package_type_id: Mapped[int | None] = mapped_column(
        ForeignKey("package_types.id"), nullable=True
    )
    hold_reason: Mapped[str] = mapped_column(Text, default="")
    #: a ``set`` rule that also ends the search
    stop: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SortingCode(Base):
    __tablename__ = "sorting_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    carrier_id: Mapped[int] = mapped_column(ForeignKey("carriers.id"), index=True)
    #: ISO 3166-1 alpha-2; empty: any
    country: Mapped[str] = mapped_column(String(2), default="")
    province: Mapped[str] = mapped_column(String(100), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    district: Mapped[str] = mapped_column(String(100), default="")
    postal_prefix: Mapped[str] = mapped_column(String(16), default="")
    #: 大头笔: the routing code printed big on the label
    code: Mapped[str] = mapped_column(String(64))
    #: 集包地: the hub the parcel is bagged for
    hub: Mapped[str] = mapped_column(String(64), default="")


class TrackingNumber(Base):
    __tablename__ = "tracking_numbers"
    __table_args__ = (
        UniqueConstraint("carrier_id", "number"),
        Index("ix_tracking_numbers_take", "carrier_id", "carrier_service_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    carrier_id: Mapped[int] = mapped_column(ForeignKey("carriers.id"))
    #: NULL: usable for any of the carrier's services
    carrier_service_id: Mapped[int | None] = mapped_column(
        ForeignKey("carrier_services.id"), nullable=True
    )
    number: Mapped[str] = mapped_column(String(64))
    #: free | used | void
    status: Mapped[str] = mapped_column(String(8), default="free")
    #: the file it came from, for the pool's history
    source: Mapped[str] = mapped_column(String(300), default="")
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    parcel_id: Mapped[int | None] = mapped_column(ForeignKey("parcels.id"), nullable=True)
    used_at: Mapped[datetime | None] = mapped_column(nullable=True)
    voided_at: Mapped[datetime | None] = mapped_column(nullable=True)
    void_reason: Mapped[str] = mapped_column(Text, default="")
    #: when the voided number was reported to the carrier (listed in a void report)
    reported_at: Mapped[datetime | None] = mapped_column(nullable=True)
    #: kept for this station's labels while the shared database is away (docs/offline.md):
    #: other stations never take it; NULL for the common pool
    reserved_station_id: Mapped[int | None] = mapped_column(
        ForeignKey("stations.id"), nullable=True, index=True
    )


class OrderLabel(Base):
    """A carrier label made elsewhere, attached to an order and printed as it is."""

    __tablename__ = "order_labels"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    #: pdf | zpl
    format: Mapped[str] = mapped_column(String(8))
    filename: Mapped[str] = mapped_column(String(300), default="")
    data: Mapped[bytes] = mapped_column(LargeBinary)
    #: the tracking number read from the file or typed when attaching (may be empty)
    tracking_number: Mapped[str] = mapped_column(String(64), default="")
    attached_at: Mapped[datetime] = mapped_column(default=utcnow)
    attached_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    #: the parcel it was printed for
    parcel_id: Mapped[int | None] = mapped_column(ForeignKey("parcels.id"), nullable=True)
