"""Turning the channel's lines into our order lines through product mappings, for many orders
at once (intake's hot path and the review's "apply to held orders").

A line whose SKU is a product's SKU (or barcode) stays one line of that product. Otherwise the
mappings are tried (``app.domain.listings``): a mapped line becomes one order line per part of
the mapping -- the part's SKU, name and product, the listing's quantity times the part's units
-- and each keeps the channel's line id and what the channel sold (listing SKU, id, title and
quantity) so the channel still sees its listing. A line nothing matches keeps the channel's SKU
and name, without a product: the checks hold it ("no SKU", "unknown SKU").

The mappings a batch needs are read in one query per kind of match and 500 keys (the lines'
texts), never one per line.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from app.db.models import ListingMapping, ListingMappingPart, Product
from app.domain.listings import MATCH_KINDS, Listing, Mapping, MappingIndex, Part, part_prices
from app.importers.records import LineRecord
from app.services.sku_lookup import resolve_skus

_CHUNK = 500


@dataclass(frozen=True, slots=True)
class PlannedLine:
    """One order line to write: ours (sku, name, product, qty) and the channel's listing."""

    sku: str
    name: str
    qty: int
    unit_price: Decimal
    product_id: int | None
    requires_shipping: bool
    external_line_id: str
    listing_sku: str
    listing_id: str
    listing_title: str
    listing_qty: int
    mapping_id: int | None = None
    partly_fulfilled: bool = False

    @property
    def known(self) -> bool:
        return self.product_id is not None

    def row(self, order_id: int, line_no: int) -> dict[str, Any]:
        """The ``order_lines`` row, every column given (bulk inserts apply no defaults)."""
        return {
            "order_id": order_id,
            "line_no": line_no,
            "sku": self.sku,
            "product_id": self.product_id,
            "name": self.name[:300],
            "qty": self.qty,
            "unit_price": self.unit_price,
            "requires_shipping": self.requires_shipping,
            "qty_backordered": 0,
            "external_line_id": self.external_line_id,
            "listing_sku": self.listing_sku,
            "listing_id": self.listing_id[:64],
            "listing_title": self.listing_title[:300],
            "listing_qty": self.listing_qty,
            "mapping_id": self.mapping_id,
            "channel_partly_fulfilled": self.partly_fulfilled,
        }


def listing_of(ln: LineRecord) -> Listing:
    return Listing(ln.sku, ln.listing_id, ln.name)


def load_index(s: Session, channel_ids: Iterable[int], listings: Iterable[Listing]) -> MappingIndex:
    """The mappings that may match ``listings`` on these channels (theirs and every-channel
    ones). A mapping with a part whose product was retired is left out: its lines stay held."""
    wanted: dict[str, set[str]] = {k: set() for k in MATCH_KINDS}
    for listing in listings:
        for kind, key in listing.match_keys():
            wanted[kind].add(key)
    scope = sorted(set(channel_ids))
    where_scope = or_(ListingMapping.channel_id.is_(None), ListingMapping.channel_id.in_(scope))
    parts: dict[int, list[Part]] = {}
    heads: dict[int, tuple[int | None, str, str]] = {}
    retired: set[int] = set()
    for kind, keys in wanted.items():
        ordered = sorted(keys)
        for i in range(0, len(ordered), _CHUNK):
            rows = s.execute(
                select(
                    ListingMapping.id,
                    ListingMapping.channel_id,
                    ListingMapping.match_key,
                    ListingMappingPart.product_id,
                    ListingMappingPart.units,
                    Product.sku,
                    Product.name,
                    Product.active,
                )
                .join(ListingMappingPart, ListingMappingPart.mapping_id == ListingMapping.id)
                .join(Product, Product.id == ListingMappingPart.product_id)
                .where(
                    where_scope,
                    and_(
                        ListingMapping.match_kind == kind,
                        ListingMapping.match_key.in_(ordered[i : i + _CHUNK]),
                    ),
                )
                .order_by(ListingMapping.id, ListingMappingPart.id)
            )
            for mid, cid, key, pid, units, sku, name, active in rows:
                heads[mid] = (cid, kind, key)
                parts.setdefault(mid, []).append(Part(pid, sku, name, units))
                if not active:
                    retired.add(mid)
    return MappingIndex(
        Mapping(mid, cid, kind, key, tuple(parts[mid]))
        for mid, (cid, kind, key) in heads.items()
        if mid not in retired
    )


def expand(
    m: Mapping | None,
    ln: LineRecord,
    product_id: int | None,
) -> list[PlannedLine]:
    """The order lines for the channel's line ``ln``: itself (with ``product_id``, None when
    unknown), or one per part of the mapping ``m``."""
    if m is None:
        return [
            PlannedLine(
                sku=ln.sku,
                name=ln.name,
                qty=ln.qty,
                unit_price=ln.unit_price,
                product_id=product_id,
                requires_shipping=ln.requires_shipping,
                external_line_id=ln.external_line_id,
                listing_sku=ln.sku,
                listing_id=ln.listing_id,
                listing_title=ln.name,
                listing_qty=ln.qty,
                partly_fulfilled=ln.partly_fulfilled,
            )
        ]
    prices = part_prices(ln.unit_price, m.parts)
    return [
        PlannedLine(
            sku=p.sku,
            name=p.name,
            qty=ln.qty * p.units,
            unit_price=price,
            product_id=p.product_id,
            requires_shipping=ln.requires_shipping,
            external_line_id=ln.external_line_id,
            listing_sku=ln.sku,
            listing_id=ln.listing_id,
            listing_title=ln.name,
            listing_qty=ln.qty,
            mapping_id=m.id,
            partly_fulfilled=ln.partly_fulfilled,
        )
        for p, price in zip(m.parts, prices, strict=True)
    ]


def plan_lines(
    s: Session, channel_id: int, lines_of: Sequence[Sequence[LineRecord]]
) -> list[list[PlannedLine]]:
    """The order lines of each order (given by its channel lines), products found by SKU
    first and by the mappings then: two to five queries for the whole batch."""
    products = resolve_skus(s, {ln.sku for lines in lines_of for ln in lines})
    unknown = [listing_of(ln) for lines in lines_of for ln in lines if ln.sku not in products]
    index = load_index(s, [channel_id], unknown) if unknown else MappingIndex()
    out: list[list[PlannedLine]] = []
    for lines in lines_of:
        planned: list[PlannedLine] = []
        for ln in lines:
            pid = products.get(ln.sku)
            m = None if pid is not None else index.find(channel_id, listing_of(ln))
            planned += expand(m, ln, pid)
        out.append(planned)
    return out
