"""Our products for the SKUs a channel wrote: by SKU code, by barcode, or by SKU code ignoring
case and spaces."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.models import Product, ProductBarcode


def resolve_skus(session: Session, skus: Iterable[str]) -> dict[str, int]:
    """Active products for the SKUs as the channel wrote them: by SKU code, then by any of the
    product's barcodes, then by SKU code ignoring case and surrounding spaces."""
    wanted = sorted({s for s in skus if s})
    found: dict[str, int] = {}
    for chunk in _chunks_str(wanted, 500):
        for sku, pid in session.execute(
            select(Product.sku, Product.id).where(Product.sku.in_(chunk), Product.active)
        ):
            found[sku] = pid
    rest = [s for s in wanted if s not in found]
    for chunk in _chunks_str(rest, 500):
        for code, pid in session.execute(
            select(ProductBarcode.barcode, ProductBarcode.product_id)
            .join(Product, Product.id == ProductBarcode.product_id)
            .where(ProductBarcode.barcode.in_(chunk), Product.active)
        ):
            found[code] = pid
    rest = [s for s in wanted if s not in found]
    if rest:
        folded = {s.strip().upper(): s for s in rest}
        for chunk in _chunks_str(sorted(folded), 500):
            for sku, pid in session.execute(
                select(func.upper(Product.sku), Product.id).where(
                    func.upper(Product.sku).in_(chunk), Product.active
                )
            ):
                found[folded[sku]] = pid
    return found


def _chunks_str(items: list[str], n: int) -> list[list[str]]:
    return [items[i : i + n] for i in range(0, len(items), n)]
