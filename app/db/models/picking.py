"""Carts, wave rules, waves, batches and pick tasks; what went wrong on the floor.

A **wave** is a set of allocated orders released to picking together. It is split into
**batches** that fit a cart; one picker walks one batch. Each order of a batch has its row in
``wave_orders`` (its tote slot on the cart, or its slot on the sort wall). A **pick task** is one
stop of the walk: go to a location, take N of a SKU (and lot). Its **parts** say which order lines
(and reservations) the units are for: one part in a pick-to-tote batch, several when SKUs are
picked in bulk (single-unit orders, pick then sort).

The scan sequence of the task in hand is kept on the task (``step``, ``held_qty``...), so a
crash, a log-out or a power cut resumes it exactly, on any station.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base, JSONType, utcnow


class Cart(Base):
    """A kind of pick cart: how many tote slots it has and what it can carry (0: no limit)."""

    __tablename__ = "carts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    tote_slots: Mapped[int] = mapped_column(Integer)
    max_orders: Mapped[int] = mapped_column(Integer, default=0)
    max_lines: Mapped[int] = mapped_column(Integer, default=0)
    max_weight_g: Mapped[int] = mapped_column(Integer, default=0)
    max_volume_cm3: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class WaveRule(Base):
    """A saved way of making waves: which allocated orders go together and how they are picked.
    Empty / NULL criteria match every order."""

    __tablename__ = "wave_rules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    carrier_id: Mapped[int | None] = mapped_column(ForeignKey("carriers.id"), nullable=True)
    #: the carrier's cut-off, ``HH:MM`` local time; empty: none
    cutoff: Mapped[str] = mapped_column(String(5), default="")
    priority: Mapped[int | None] = mapped_column(Integer, nullable=True)
    channel_id: Mapped[int | None] = mapped_column(ForeignKey("channels.id"), nullable=True)
    zone: Mapped[str] = mapped_column(String(16), default="")
    #: any | single (one unit) | multi
    unit_kind: Mapped[str] = mapped_column(String(8), default="any")
    #: app.domain.waves.PickMethod: cluster | single_unit | pick_sort
    pick_method: Mapped[str] = mapped_column(String(16), default="cluster")
    cart_id: Mapped[int | None] = mapped_column(ForeignKey("carts.id"), nullable=True)
    max_orders: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Wave(Base):
    __tablename__ = "waves"
    __table_args__ = (Index("ix_waves_status", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: W000123: printed and scanned
    number: Mapped[str] = mapped_column(String(32), unique=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    #: planned | released | picking | picked | cancelled
    status: Mapped[str] = mapped_column(String(16), default="planned")
    pick_method: Mapped[str] = mapped_column(String(16), default="cluster")
    rule_id: Mapped[int | None] = mapped_column(ForeignKey("wave_rules.id"), nullable=True)
    cart_id: Mapped[int | None] = mapped_column(ForeignKey("carts.id"), nullable=True)
    priority: Mapped[int] = mapped_column(Integer, default=0)
    carrier_id: Mapped[int | None] = mapped_column(ForeignKey("carriers.id"), nullable=True)
    cutoff: Mapped[str] = mapped_column(String(5), default="")
    #: the planned walk of all its batches, metres
    planned_m: Mapped[float] = mapped_column(Float, default=0.0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    released_at: Mapped[datetime | None] = mapped_column(nullable=True)
    released_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class PickBatch(Base):
    """One walk: the orders of a wave that fit one cart."""

    __tablename__ = "pick_batches"
    __table_args__ = (
        UniqueConstraint("wave_id", "number"),
        Index("ix_pick_batches_status", "status", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("waves.id", ondelete="CASCADE"), index=True)
    #: 1, 2, 3... within the wave; shown as W000123-2
    number: Mapped[int] = mapped_column(Integer)
    #: planned | ready (released, free to claim) | picking | picked | cancelled
    status: Mapped[str] = mapped_column(String(16), default="planned")
    cart_id: Mapped[int | None] = mapped_column(ForeignKey("carts.id"), nullable=True)
    depot_id: Mapped[int | None] = mapped_column(ForeignKey("layout_depots.id"), nullable=True)
    #: the picker a supervisor assigned it to; NULL: anyone
    assigned_to: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    #: who works it now, from which station
    claimed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    claimed_station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"), nullable=True)
    claimed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    started_at: Mapped[datetime | None] = mapped_column(nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(nullable=True)
    planned_m: Mapped[float] = mapped_column(Float, default=0.0)
    walked_m: Mapped[float] = mapped_column(Float, default=0.0)
    #: the tote SKUs picked in bulk go into (single-unit orders, pick then sort)
    bulk_tote: Mapped[str] = mapped_column(String(64), default="")
    #: pick then sort: the unit scanned at the sort wall and not yet put into its slot
    #: (``{"part_id", "product_id", "lot_id", "slot"}``), so a crash resumes it; NULL: none
    sort_hand: Mapped[dict[str, Any] | None] = mapped_column(JSONType, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class WaveOrder(Base):
    """An order in a wave: its batch, its tote slot on the cart, its slot on the sort wall."""

    __tablename__ = "wave_orders"
    __table_args__ = (UniqueConstraint("wave_id", "order_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("waves.id", ondelete="CASCADE"))
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("pick_batches.id", ondelete="SET NULL"), nullable=True, index=True
    )
    #: 1..cart.tote_slots (pick to tote); NULL when picked in bulk
    tote_slot: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: the barcode of the tote in that slot
    tote_code: Mapped[str] = mapped_column(String(64), default="")
    #: 1..wall size (pick then sort); NULL otherwise
    wall_slot: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: when the wall slot was completed
    sorted_at: Mapped[datetime | None] = mapped_column(nullable=True)


class PickTask(Base):
    """Go to a location, take ``qty`` of a product (and lot), put it into a tote."""

    __tablename__ = "pick_tasks"
    __table_args__ = (
        Index("ix_pick_tasks_batch_seq", "batch_id", "seq"),
        CheckConstraint("qty > 0", name="positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("pick_batches.id", ondelete="CASCADE"))
    #: route order within the batch (skipped tasks move to the end)
    seq: Mapped[int] = mapped_column(Integer)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"), nullable=True)
    qty: Mapped[int] = mapped_column(Integer)
    qty_picked: Mapped[int] = mapped_column(Integer, default=0)
    #: the tote slot it goes into (pick to tote); NULL: the batch's bulk tote
    tote_slot: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: open | skipped | done | short | cancelled
    status: Mapped[str] = mapped_column(String(16), default="open")
    # the scan sequence in progress, kept so that work resumes where it stopped
    #: location | product | qty | tote
    step: Mapped[str] = mapped_column(String(16), default="location")
    #: units scanned into the hand, not yet put into the tote
    held_qty: Mapped[int] = mapped_column(Integer, default=0)
    #: the lot scanned for the units in hand
    held_lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"), nullable=True)
    #: serial numbers scanned (serial-tracked products)
    serials: Mapped[list[Any] | None] = mapped_column(JSONType, nullable=True)
    #: empty | damaged | not_found
    short_reason: Mapped[str] = mapped_column(String(16), default="")
    #: the task a short pick made at another location for the rest
    replaces_task_id: Mapped[int | None] = mapped_column(ForeignKey("pick_tasks.id"), nullable=True)
    done_at: Mapped[datetime | None] = mapped_column(nullable=True)
    done_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)


class PickTaskPart(Base):
    """Which order line (and reservation) the units of a task are for."""

    __tablename__ = "pick_task_parts"
    __table_args__ = (CheckConstraint("qty > 0", name="positive"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(
        ForeignKey("pick_tasks.id", ondelete="CASCADE"), index=True
    )
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"))
    reservation_id: Mapped[int | None] = mapped_column(
        ForeignKey("reservations.id", ondelete="SET NULL"), nullable=True
    )
    qty: Mapped[int] = mapped_column(Integer)
    qty_picked: Mapped[int] = mapped_column(Integer, default=0)
    #: units put into the order's wall slot (pick then sort)
    qty_sorted: Mapped[int] = mapped_column(Integer, default=0)


class RecountTask(Base):
    """Count this location again: a short pick found less than the books say."""

    __tablename__ = "recount_tasks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), index=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"), nullable=True)
    reason: Mapped[str] = mapped_column(String(16), default="")
    pick_task_id: Mapped[int | None] = mapped_column(ForeignKey("pick_tasks.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    done_at: Mapped[datetime | None] = mapped_column(nullable=True)


class PickException(Base):
    """What the floor could not do and a supervisor must see: a short pick with no stock
    elsewhere (the backorder policy decided what happened to the order)."""

    __tablename__ = "pick_exceptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    wave_id: Mapped[int | None] = mapped_column(ForeignKey("waves.id"), nullable=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("pick_batches.id"), nullable=True)
    pick_task_id: Mapped[int | None] = mapped_column(ForeignKey("pick_tasks.id"), nullable=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    order_line_id: Mapped[int | None] = mapped_column(ForeignKey("order_lines.id"), nullable=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"), nullable=True)
    location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"), nullable=True)
    qty_short: Mapped[int] = mapped_column(Integer, default=0)
    #: empty | damaged | not_found
    reason: Mapped[str] = mapped_column(String(16), default="")
    #: what the backorder policy did: backordered | held | cancelled_line ...
    outcome: Mapped[str] = mapped_column(String(32), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(nullable=True)
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)


Index(
    "ix_pick_exceptions_open",
    PickException.id,
    sqlite_where=PickException.resolved_at.is_(None),
    postgresql_where=PickException.resolved_at.is_(None),
)
