"""Products' tags (the words shipping rules match: "fragile, liquid"), read and changed on a
screen: the Products dialog of the Shipping rules screen. Changing them is a shipping setting
(MANAGE_SHIPPING) and audited with the tags before and after."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from app.db.models import Product
from app.db.uow import UnitOfWork
from app.domain.errors import NotFound, ValidationError
from app.domain.users import Actor, Permission
from app.services.access import reads, writes
from app.services.shipping_choice import split_tags

#: the most products one search lists (type more of the SKU or name to narrow it)
LIMIT = 200
MAX_TAGS_CHARS = 500


@dataclass(frozen=True)
class ProductTags:
    product_id: int
    sku: str
    name: str
    #: the tags as stored, "fragile, liquid" ("" none)
    tags: str
    active: bool


def _row(p: Product) -> ProductTags:
    return ProductTags(p.id, p.sku, p.name, p.tags or "", p.active)


@reads
def list_product_tags(
    uow: UnitOfWork, actor: Actor, search: str = "", *, limit: int = LIMIT
) -> tuple[ProductTags, ...]:
    """Products whose SKU, name or tags contain ``search`` (all when empty), by SKU."""
    with uow:
        uow.require(actor, Permission.MANAGE_SHIPPING)
        q = select(Product).order_by(Product.sku).limit(limit)
        text = search.strip().lower()
        if text:
            like = f"%{text}%"
            q = q.where(
                or_(
                    func.lower(Product.sku).like(like),
                    func.lower(Product.name).like(like),
                    func.lower(Product.tags).like(like),
                )
            )
        return tuple(_row(p) for p in uow.session.scalars(q))


def normalise_tags(text: str) -> str:
    """The tags as stored: split on commas (also "，", "、", ";"), trimmed, each once, joined
    by ", "."""
    tags = ", ".join(dict.fromkeys(split_tags(text)))
    if len(tags) > MAX_TAGS_CHARS:
        raise ValidationError(
            "A product's tags are at most {most} characters long.", most=MAX_TAGS_CHARS
        )
    return tags


@writes(Permission.MANAGE_SHIPPING)
def set_product_tags(uow: UnitOfWork, actor: Actor, product_id: int, tags: str) -> ProductTags:
    """Replace the product's tags (audited: ``product.tags``, before and after)."""
    with uow:
        actor = uow.require(actor, Permission.MANAGE_SHIPPING)
        product = uow.session.get(Product, product_id)
        if product is None:
            raise NotFound(what="Product", key=str(product_id))
        new = normalise_tags(tags)
        before = product.tags or ""
        if new != before:
            product.tags = new
            uow.audit(
                actor, "product.tags", "product", product.sku, {"tags": before}, {"tags": new}
            )
        out = _row(product)
        uow.commit()
        return out
