"""Package types, pack sessions, parcels, the units packed into them, and pack exceptions.

A packer **opens** an order at a station: a ``pack_sessions`` row, one open per order (a partial
unique index), so a second station is refused and told which one has it. Each verified scan is a
``pack_items`` row in the **parcel** being filled (``parcels``: one per box; several when the
order ships in several parcels). A parcel is ``open`` while items go in, ``closed`` when weighed
(or NEXT PARCEL), ``labelled`` when it has its tracking number and label, ``voided`` when unpacked
or its label voided, ``shipped`` once handed to the carrier. Everything the station shows is in
these rows, so a crash, a power cut or a log-out resumes packing exactly where it stopped.

A refused scan (wrong item, another order's item, one too many, another lot) and a parcel whose
weight is outside its expectation are ``pack_exceptions``: the mis-scans count in the shift's
figures, the weight ones wait on the exceptions list until a supervisor overrides them.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base, JSONType, utcnow


class PackageType(Base):
    """A carton, polybag or envelope the packers use. A polybag has no fixed inner dimensions
    (all 0): it fits whatever its maximum weight allows."""

    __tablename__ = "package_types"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    #: box | polybag | envelope
    kind: Mapped[str] = mapped_column(String(16), default="box")
    #: printed on the bench's carton card; scanning it chooses this package
    barcode: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    inner_length_mm: Mapped[int] = mapped_column(Integer, default=0)
    inner_width_mm: Mapped[int] = mapped_column(Integer, default=0)
    inner_height_mm: Mapped[int] = mapped_column(Integer, default=0)
    tare_g: Mapped[int] = mapped_column(Integer, default=0)
    #: 0: no limit
    max_weight_g: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class PackSession(Base):
    """An order open at a pack station. ``mode`` single_unit: the station works a single-unit
    pick batch (一单一品), each scan packs the oldest order of the batch that needs that SKU."""

    __tablename__ = "pack_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"), nullable=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    #: open | done | released (given up: the order goes back to where it was)
    status: Mapped[str] = mapped_column(String(16), default="open")
    #: order | single_unit
    mode: Mapped[str] = mapped_column(String(16), default="order")
    #: the single-unit pick batch the station works, or the batch the order was picked in
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("pick_batches.id"), nullable=True)
    #: the order's status when it was opened (picked | allocated): where a release returns it
    from_status: Mapped[str] = mapped_column(String(16), default="picked")
    #: how it was opened: the text scanned (tote, order number, pick list, channel id)
    opened_by_scan: Mapped[str] = mapped_column(String(128), default="")
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    #: the number of parcels the packer declared for the order (PD-CMD-QTY-n), None: not said
    parcel_count: Mapped[int | None] = mapped_column(Integer, nullable=True)

    __mapper_args__ = {"version_id_col": version}


#: one open pack session per order: a second station is refused, naming the first
Index(
    "uq_pack_sessions_open_order",
    PackSession.order_id,
    unique=True,
    sqlite_where=PackSession.status == "open",
    postgresql_where=PackSession.status == "open",
)
Index("ix_pack_sessions_station_status", PackSession.station_id, PackSession.status)


class Parcel(Base):
    """One box of an order: its items (``pack_items``), package, weight, carrier and tracking
    number. ``seq`` counts the order's parcels (1, 2, 3...; a voided parcel keeps its number).
    ``contents_key`` (sorted ``product_id:qty`` pairs) with the package is what the learned
    weight expectation groups by."""

    __tablename__ = "parcels"
    __table_args__ = (
        UniqueConstraint("order_id", "seq"),
        UniqueConstraint("carrier_id", "tracking_number"),
        Index("ix_parcels_contents_package", "contents_key", "package_type_id"),
        #: a station's shift figures (migration 0019_pack_after)
        Index("ix_parcels_station_labelled", "station_id", "labelled_at"),
        #: a carrier's labelled parcels waiting for the handover (migration 0020_handover)
        Index("ix_parcels_status_carrier", "status", "carrier_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("pack_sessions.id"), nullable=True)
    seq: Mapped[int] = mapped_column(Integer, default=1)
    #: open | closed | labelled | voided | shipped
    status: Mapped[str] = mapped_column(String(16), default="open")
    package_type_id: Mapped[int | None] = mapped_column(
        ForeignKey("package_types.id"), nullable=True
    )
    #: suggested | scanned | rule: how the package was chosen
    package_source: Mapped[str] = mapped_column(String(16), default="suggested")
    weight_g: Mapped[int | None] = mapped_column(Integer, nullable=True)
    expected_g: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: scale | typed | override
    weight_source: Mapped[str] = mapped_column(String(16), default="")
    contents_key: Mapped[str] = mapped_column(String(500), default="")
    carrier_id: Mapped[int | None] = mapped_column(ForeignKey("carriers.id"), nullable=True)
    carrier_service_id: Mapped[int | None] = mapped_column(
        ForeignKey("carrier_services.id"), nullable=True
    )
    tracking_number: Mapped[str | None] = mapped_column(String(64), nullable=True)
    #: the first parcel's number when the carrier links parcels as master and children
    master_tracking: Mapped[str] = mapped_column(String(64), default="")
    #: the carrier's sorting / routing code for the destination (大头笔 / 集包地)
    sorting_code: Mapped[str] = mapped_column(String(64), default="")
    #: pool | plugin | attached | none (pickup)
    label_source: Mapped[str] = mapped_column(String(16), default="")
    cod_amount: Mapped[Decimal | None] = mapped_column(nullable=True)
    label_job_id: Mapped[int | None] = mapped_column(ForeignKey("print_jobs.id"), nullable=True)
    slip_job_id: Mapped[int | None] = mapped_column(ForeignKey("print_jobs.id"), nullable=True)
    reprints: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    labelled_at: Mapped[datetime | None] = mapped_column(nullable=True)
    voided_at: Mapped[datetime | None] = mapped_column(nullable=True)
    voided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    void_reason: Mapped[str] = mapped_column(Text, default="")
    shipped_at: Mapped[datetime | None] = mapped_column(nullable=True)
    #: a pickup order's parcel: the pickup shelf slot it waits in (自提货架位), from the
    #: packing settings' list; free again once the order leaves ``packed``
    pickup_slot: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)


class PackItem(Base):
    """Units verified into a parcel: one row per scan (``qty`` 1), or per forced line. A
    serial-tracked unit carries its serial: never shipped twice (a partial unique index over the
    rows not voided)."""

    __tablename__ = "pack_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("pack_sessions.id"), index=True)
    parcel_id: Mapped[int] = mapped_column(ForeignKey("parcels.id"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"), nullable=True)
    serial: Mapped[str | None] = mapped_column(String(128), nullable=True)
    qty: Mapped[int] = mapped_column(Integer, default=1)
    #: ticked off without a scan ("force verify", a permission, audited)
    forced: Mapped[bool] = mapped_column(Boolean, default=False)
    scanned: Mapped[str] = mapped_column(String(128), default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    #: set when the parcel was unpacked: the unit went back, its serial is free again
    voided_at: Mapped[datetime | None] = mapped_column(nullable=True)


Index(
    "uq_pack_items_serial",
    PackItem.product_id,
    PackItem.serial,
    unique=True,
    sqlite_where=(PackItem.serial.is_not(None)) & (PackItem.voided_at.is_(None)),
    postgresql_where=(PackItem.serial.is_not(None)) & (PackItem.voided_at.is_(None)),
)


class PackException(Base):
    """A refused scan or a parcel stopped at the scale.

    ``kind``: wrong_item | other_order | over_scan | wrong_lot | serial_repeat (mis-scans,
    resolved at once: they are the shift's figures) | weight (waits for a supervisor's badge)
    | scale (a scale fault that stopped a parcel)."""

    __tablename__ = "pack_exceptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True, nullable=True)
    parcel_id: Mapped[int | None] = mapped_column(ForeignKey("parcels.id"), nullable=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("pack_sessions.id"), nullable=True)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"), nullable=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    #: what was scanned
    scanned: Mapped[str] = mapped_column(String(128), default="")
    expected_g: Mapped[int | None] = mapped_column(Integer, nullable=True)
    actual_g: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: the operator message, as its English template and values
    message: Mapped[str] = mapped_column(Text, default="")
    params: Mapped[dict[str, Any] | None] = mapped_column(JSONType, nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(nullable=True)
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    #: override (a supervisor accepted the weight) | repacked | voided | logged (mis-scans)
    resolution: Mapped[str] = mapped_column(String(16), default="")


Index("ix_pack_exceptions_station_at", PackException.station_id, PackException.created_at)
Index(
    "ix_pack_exceptions_open",
    PackException.id,
    sqlite_where=PackException.resolved_at.is_(None),
    postgresql_where=PackException.resolved_at.is_(None),
)
