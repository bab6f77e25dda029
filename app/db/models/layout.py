"""A warehouse drawn for walking: aisles, cross aisles, depots and zones.

Walking is measured on the aisle graph: along an aisle's centre line (at ``x``, between the
lowest and highest cross aisle) and along cross aisles (at ``y``, across every aisle). A
pickable location is reached from its *access point*: the centre line of its aisle
(``locations.aisle`` = ``layout_aisles.code``) at the location's ``y``, so the locations on both
sides of an aisle share it. Lengths are metres.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base


class LayoutAisle(Base):
    __tablename__ = "layout_aisles"
    __table_args__ = (UniqueConstraint("warehouse_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id", ondelete="CASCADE"))
    #: the aisle code locations name in ``locations.aisle``
    code: Mapped[str] = mapped_column(String(16))
    #: the centre line
    x: Mapped[float] = mapped_column(Float)
    y_from: Mapped[float] = mapped_column(Float)
    y_to: Mapped[float] = mapped_column(Float)


class LayoutCrossAisle(Base):
    __tablename__ = "layout_cross_aisles"
    __table_args__ = (UniqueConstraint("warehouse_id", "y"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id", ondelete="CASCADE"))
    y: Mapped[float] = mapped_column(Float)
    #: front | middle | back, or the warehouse's own name
    name: Mapped[str] = mapped_column(String(64), default="")


class LayoutDepot(Base):
    """Where walks start and end: the pack benches, a cart park. It lies on a cross aisle."""

    __tablename__ = "layout_depots"
    __table_args__ = (UniqueConstraint("warehouse_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200), default="")
    x: Mapped[float] = mapped_column(Float)
    y: Mapped[float] = mapped_column(Float)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)


class LayoutZone(Base):
    """A zone's name and colour on the map (locations name their zone in ``locations.zone``)."""

    __tablename__ = "layout_zones"
    __table_args__ = (UniqueConstraint("warehouse_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200), default="")
    #: ``#rrggbb``; empty: a colour chosen by the map
    colour: Mapped[str] = mapped_column(String(7), default="")
