"""Warehouses and locations."""

from __future__ import annotations

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base


class Warehouse(Base):
    __tablename__ = "warehouses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))


class Location(Base):
    """warehouse > zone > aisle > bay > level > bin, with a barcode and coordinates for routing."""

    __tablename__ = "locations"
    __table_args__ = (
        UniqueConstraint("warehouse_id", "code"),
        # the dock, the quarantine and the totes are found by their kind at every parcel and
        # return: a warehouse of tens of thousands of bins is not read whole for them
        Index("ix_locations_warehouse_id_kind", "warehouse_id", "kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    barcode: Mapped[str] = mapped_column(String(64), unique=True)
    zone: Mapped[str] = mapped_column(String(16))
    aisle: Mapped[str] = mapped_column(String(16), default="")
    bay: Mapped[str] = mapped_column(String(16), default="")
    level: Mapped[str] = mapped_column(String(16), default="")
    bin: Mapped[str] = mapped_column(String(16), default="")
    #: pickable | storage | staging | receiving
    kind: Mapped[str] = mapped_column(String(16), default="pickable")
    x: Mapped[float] = mapped_column(Float, default=0.0)
    y: Mapped[float] = mapped_column(Float, default=0.0)
    #: walk order along the pick path; lower first
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
