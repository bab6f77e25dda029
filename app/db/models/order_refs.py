"""The channel's own order and line ids behind our order lines, kept through merge and split.

A line on the order it was imported with needs no row here: the order's ``external_id`` and the
line's ``external_line_id`` say everything. A line that moves to another order (merged into it,
or split off into a new part) gets a row (the channel order id, the channel line id and how many
of that channel line's units our line carries) that then travels with it; when a line is split
in two, the new half gets a row too and a stored row of the old half loses those units. So a
write-back to the channel (shipped, tracking number) reads, for any of our orders, which channel
orders and lines -- and how many units of each -- it stands for.

Also here: the index behind searching orders by customer name (exact or prefix, any case).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base, utcnow
from app.db.models.orders import Address


class OrderExternalRef(Base):
    """One line of ours standing for (part of) one line of a channel order."""

    __tablename__ = "order_external_refs"
    __table_args__ = (Index("ix_order_external_refs_external", "external_id", "channel_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the order that carries the line now
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    order_line_id: Mapped[int] = mapped_column(
        ForeignKey("order_lines.id", ondelete="CASCADE"), index=True
    )
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id"))
    #: the channel's order id, as imported
    external_id: Mapped[str] = mapped_column(String(64))
    #: the channel's line id ("" when the channel gave none)
    external_line_id: Mapped[str] = mapped_column(String(64), default="")
    #: units of the channel line that our line carries
    qty: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


Index("ix_addresses_name_lower", func.lower(Address.name))
