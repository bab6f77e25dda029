"""Where an order's lines came from, for Review: the line's id and, for a line a product mapping
made, the channel's listing it was (its SKU, listing or variant id, title and quantity). Review
shows it next to the product, and picks the line to map by it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.db.models import OrderLine
from app.db.uow import UnitOfWork
from app.domain.users import Actor, Permission
from app.services.access import reads


@dataclass(frozen=True)
class LineSource:
    line_id: int
    line_no: int
    sku: str
    #: the line is a product of ours
    known: bool
    listing_sku: str
    listing_id: str
    listing_title: str
    listing_qty: int
    #: a product mapping made this line from the channel's listing
    mapped: bool

    @property
    def listing(self) -> str:
        """The listing as the channel named it: its title, else its SKU, else its id."""
        return self.listing_title or self.listing_sku or self.listing_id


@reads
def line_sources(uow: UnitOfWork, actor: Actor, order_id: int) -> list[LineSource]:
    """The order's lines in line order (empty for an order that does not exist)."""
    with uow:
        uow.require(actor, Permission.VIEW_ORDERS)
        lines = uow.session.scalars(
            select(OrderLine).where(OrderLine.order_id == order_id).order_by(OrderLine.line_no)
        )
        return [
            LineSource(
                line_id=ln.id,
                line_no=ln.line_no,
                sku=ln.sku,
                known=ln.product_id is not None,
                listing_sku=ln.listing_sku,
                listing_id=ln.listing_id,
                listing_title=ln.listing_title,
                listing_qty=ln.listing_qty,
                mapped=ln.mapping_id is not None,
            )
            for ln in lines
        ]
