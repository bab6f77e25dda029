"""What was sent back to the shops: one row per parcel and channel order written to a tracking
file (``kind`` "file") or uploaded through a channel plug-in (``kind`` "upload").

A parcel is written once per format: the next export of that format leaves it out unless asked
again (``--again``), which adds a new row. An upload is recorded the same way (its ``format`` is
the plug-in's name, its ``remote_id`` what the shop answered), so it is never sent twice.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base, utcnow


class TrackingExport(Base):
    __tablename__ = "tracking_exports"
    __table_args__ = (Index("ix_tracking_exports_parcel_format", "parcel_id", "format"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    parcel_id: Mapped[int] = mapped_column(ForeignKey("parcels.id"))
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id"))
    #: the channel's own order id the row was written under (a merged order has several)
    channel_order_id: Mapped[str] = mapped_column(String(64))
    #: "file" or "upload"
    kind: Mapped[str] = mapped_column(String(16), default="file")
    #: shopify, woocommerce, taobao, jd, pinduoduo, douyin, generic:<mapping>; or the plug-in
    format: Mapped[str] = mapped_column(String(64))
    #: the file written (its full path) or "" for an upload
    file: Mapped[str] = mapped_column(String(500), default="")
    #: what the shop answered an upload (its fulfilment id)
    remote_id: Mapped[str] = mapped_column(String(200), default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
