"""Sales channels, customers, addresses, carriers, orders, lines, holds and status history."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base, JSONType, personal, utcnow


class Channel(Base):
    """A sales channel: a shop on Shopify, Taobao, JD...; orders are keyed by it."""

    __tablename__ = "channels"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: shopify | woocommerce | taobao | jd | pinduoduo | douyin | manual | csv
    platform: Mapped[str] = mapped_column(String(32), default="manual")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: how screens and printouts mask the recipient (app.domain.privacy.MaskPolicy): ewaybill
    #: (default: name, phone, room) | full_name (phone, room) | none (B2B: nothing)
    mask_policy: Mapped[str] = mapped_column(
        String(16), default="ewaybill", server_default="ewaybill"
    )
    #: its customers get no e-mail notices (shipped, delivered) from us
    notices_opt_out: Mapped[bool] = mapped_column(Boolean, server_default="0")


class Carrier(Base):
    __tablename__ = "carriers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: the carrier plug-in that gives numbers and labels (entry point ``packdesk.carriers``):
    #: ``pool`` (numbers from loaded pools, labels printed here) is built in
    plugin: Mapped[str] = mapped_column(String(32), default="pool", server_default="pool")
    #: the plug-in's own settings (an API's address and account...)
    plugin_config: Mapped[dict[str, Any] | None] = mapped_column(JSONType, nullable=True)
    #: the carrier links an order's parcels: the first parcel's number is the master
    master_child: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    #: warn when fewer free pool numbers than this are left
    pool_low_warning: Mapped[int] = mapped_column(Integer, default=100, server_default="100")
    #: the format its tracking numbers have ("UPU S10", "SF", "ZTO"... see
    #: ``app.domain.tracking``), checked when its pool is loaded; "" for the one its code names
    tracking_format: Mapped[str] = mapped_column(String(32), server_default="")
    #: the page where a customer follows a parcel, with {tracking} for its number ("": the
    #: built-in one for the carrier's code, see app.domain.tracking_export_names)
    tracking_url: Mapped[str] = mapped_column(String(500), default="", server_default="")
    #: the last pick-up of the day, "HH:MM" local time; "" when the carrier has none
    cutoff_time: Mapped[str] = mapped_column(String(5), default="", server_default="")


class CarrierService(Base):
    __tablename__ = "carrier_services"
    __table_args__ = (UniqueConstraint("carrier_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    carrier_id: Mapped[int] = mapped_column(ForeignKey("carriers.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    #: label size this service prints on: 4x6in | 100x150mm | 76x130mm
    label_size: Mapped[str] = mapped_column(String(16), default="100x150mm")


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), **personal())
    phone: Mapped[str] = mapped_column(String(40), default="", **personal())
    email: Mapped[str] = mapped_column(String(200), default="", **personal())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: set when personal data was purged after the retention period
    purged_at: Mapped[datetime | None] = mapped_column(nullable=True)
    #: the customer asked for no e-mail notices (no Python default: customers are bulk-inserted
    #: and the database's default fills it)
    notices_opt_out: Mapped[bool] = mapped_column(Boolean, server_default="0")


class Address(Base):
    """A delivery address as the order gave it. Personal fields are masked for most roles."""

    __tablename__ = "addresses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int | None] = mapped_column(
        ForeignKey("customers.id"), index=True, nullable=True
    )
    # The parts a customer types are kept in full, however long (Text): an over-long value
    # (the street typed into the postal code) holds the order for a reviewer, it is not cut.
    name: Mapped[str] = mapped_column(Text, **personal())
    phone: Mapped[str] = mapped_column(Text, default="", **personal())
    #: digits only, for search by phone (personal too)
    phone_digits: Mapped[str] = mapped_column(Text, default="", index=True, **personal())
    company: Mapped[str] = mapped_column(Text, default="")
    #: ISO 3166-1 alpha-2
    country: Mapped[str] = mapped_column(String(2), default="CN")
    province: Mapped[str] = mapped_column(Text, default="")
    city: Mapped[str] = mapped_column(Text, default="")
    district: Mapped[str] = mapped_column(Text, default="")
    street: Mapped[str] = mapped_column(Text, default="", **personal())
    street2: Mapped[str] = mapped_column(Text, default="", **personal())
    postal_code: Mapped[str] = mapped_column(Text, default="")


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (
        UniqueConstraint("channel_id", "external_id"),
        Index("ix_orders_status_id", "status", "id"),
        Index("ix_orders_channel_id_id", "channel_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: our order number, printed and scanned
    number: Mapped[str] = mapped_column(String(32), unique=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id"))
    #: the channel's own order id (write-back key)
    external_id: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16), default="new")
    customer_id: Mapped[int | None] = mapped_column(
        ForeignKey("customers.id"), nullable=True, index=True
    )
    ship_address_id: Mapped[int | None] = mapped_column(
        ForeignKey("addresses.id"), nullable=True, index=True
    )
    carrier_service_id: Mapped[int | None] = mapped_column(
        ForeignKey("carrier_services.id"), nullable=True
    )
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    total: Mapped[Decimal] = mapped_column(default=Decimal("0.00"))
    #: paid | pending | refunded | partially_refunded
    payment_status: Mapped[str] = mapped_column(String(24), default="paid")
    #: the channel's payment method as written ("Cash on Delivery (COD)", "Shopify Payments")
    payment_method: Mapped[str] = mapped_column(String(64), default="", server_default="")
    #: the amount the carrier collects on delivery (代收货款); None when the order is prepaid
    cod_amount: Mapped[Decimal | None] = mapped_column(nullable=True)
    #: the customer collects the order here: no carrier, no label
    pickup: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    #: how the order leaves, as the channel wrote it ("Local pickup", "门店自提"): the pickup flag
    #: is found again from it when the pickup patterns change
    shipping_method: Mapped[str] = mapped_column(String(200), default="", server_default="")
    #: the platform masks or encrypts the recipient (张**, 138****1234, ciphertext): the order
    #: ships with the platform's own e-waybill, which prints the real one
    recipient_protected: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    #: a gift: the packing slip shows the message and no prices
    gift: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    gift_message: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: picking priority: higher first; waves never mix priorities
    priority: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    placed_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    note: Mapped[str] = mapped_column(Text, default="")
    #: set on the orders merged into another one, and on the parts of a split
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), nullable=True)
    split_from_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), nullable=True)
    #: optimistic lock: two stations editing the same order cannot both win
    version: Mapped[int] = mapped_column(Integer, default=1)
    #: when the personal-data purge blanked this order's recipient (retention setting)
    purged_at: Mapped[datetime | None] = mapped_column(nullable=True)

    __mapper_args__ = {"version_id_col": version}


class OrderLine(Base):
    __tablename__ = "order_lines"
    __table_args__ = (UniqueConstraint("order_id", "line_no"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    line_no: Mapped[int] = mapped_column(Integer)
    #: the SKU as the channel wrote it; product_id is NULL while it is unknown
    sku: Mapped[str] = mapped_column(String(64))
    product_id: Mapped[int | None] = mapped_column(
        ForeignKey("products.id"), nullable=True, index=True
    )
    name: Mapped[str] = mapped_column(String(300), default="")
    qty: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(default=Decimal("0.00"))
    requires_shipping: Mapped[bool] = mapped_column(Boolean, default=True)
    #: units that could not be allocated and wait for stock
    qty_backordered: Mapped[int] = mapped_column(Integer, default=0)
    #: the channel's line id, for write-back after merge/split
    external_line_id: Mapped[str] = mapped_column(String(64), default="")
    #: the channel has shipped part of this line already (Shopify's "partial"): the order
    #: stays held until a reviewer changes the line's quantity or confirms it
    channel_partly_fulfilled: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default="0"
    )
    # What the channel sold on this line, kept when a product mapping turned it into our
    # products (one line per part): its SKU, listing/variant id, title and quantity. A line
    # the channel did not send (added by a reviewer) has listing_qty 0.
    listing_sku: Mapped[str] = mapped_column(String(64), default="", server_default="")
    listing_id: Mapped[str] = mapped_column(String(64), default="", server_default="")
    listing_title: Mapped[str] = mapped_column(String(300), default="", server_default="")
    listing_qty: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: the product mapping (listing_mappings.id) that made this line from the listing; NULL:
    #: none. Not a foreign key: deleting a mapping sets it NULL (listing_mappings service), and
    #: adding one to order_lines would make SQLite rebuild the largest table on upgrade.
    mapping_id: Mapped[int | None] = mapped_column(Integer, nullable=True)


class OrderHold(Base):
    """Why an order is on hold, one row per reason, readable by the reviewer."""

    __tablename__ = "order_holds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    #: machine code of the rule (missing_address, bad_phone, unknown_sku, ...)
    code: Mapped[str] = mapped_column(String(32))
    #: the sentence in English (CLI, logs, search)
    reason: Mapped[str] = mapped_column(Text)
    #: the same as its English template and values, for screens in other languages; empty for
    #: a reviewer's own words
    template: Mapped[str] = mapped_column(Text, default="", server_default="")
    params: Mapped[dict[str, Any] | None] = mapped_column(JSONType, nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(nullable=True)
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)


Index(
    "ix_order_holds_open",
    OrderHold.code,
    OrderHold.order_id,
    sqlite_where=OrderHold.resolved_at.is_(None),
    postgresql_where=OrderHold.resolved_at.is_(None),
)
Index("ix_order_lines_order", OrderLine.order_id)


class OrderStatusChange(Base):
    """Status history of an order: who, where, when, from and to."""

    __tablename__ = "order_status_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(16), nullable=True)
    to_status: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
