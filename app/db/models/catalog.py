"""Products (SKUs), their barcodes and lots."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base, utcnow


class Product(Base):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    #: quantities are whole units of this (each, pair, box...)
    unit: Mapped[str] = mapped_column(String(16), default="each")
    weight_g: Mapped[int] = mapped_column(Integer, default=0)
    length_mm: Mapped[int] = mapped_column(Integer, default=0)
    width_mm: Mapped[int] = mapped_column(Integer, default=0)
    height_mm: Mapped[int] = mapped_column(Integer, default=0)
    lot_tracked: Mapped[bool] = mapped_column(Boolean, default=False)
    expiry_tracked: Mapped[bool] = mapped_column(Boolean, default=False)
    serial_tracked: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: a picture of the product for the pick screen: a path relative to the data folder or
    #: absolute; empty: none
    image_path: Mapped[str] = mapped_column(String(500), default="", server_default="")
    #: words that shipping rules match ("fragile, liquid"), separated by commas; empty: none
    tags: Mapped[str] = mapped_column(Text, server_default="")


class ProductBarcode(Base):
    """A SKU has several barcodes: GTIN/EAN/UPC, internal codes, case GTIN-14s."""

    __tablename__ = "product_barcodes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    barcode: Mapped[str] = mapped_column(String(64), unique=True)
    #: ean13 | gtin14 | upc | internal
    kind: Mapped[str] = mapped_column(String(16), default="ean13")
    #: units of the product one scan of this barcode stands for (a case GTIN-14 may hold 12)
    pack_qty: Mapped[int] = mapped_column(Integer, default=1)


class Lot(Base):
    """A batch of one SKU with an expiry date (GS1 AI 10 and 17)."""

    __tablename__ = "lots"
    __table_args__ = (UniqueConstraint("product_id", "lot_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    lot_number: Mapped[str] = mapped_column(String(64))
    expiry_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
