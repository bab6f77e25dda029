"""The demo's product mappings (平台货品对应): a 6-pack sold by its own SKU, a kit (组合装)
sold under a listing id, a "Buy 1 Get 1 FREE" listing known by its title, and a two-pack title
for every channel. Rows ready for bulk inserts, every column given."""

from __future__ import annotations

from datetime import datetime

from app.domain.listings import match_key
from app.services.demo.catalog import Catalog, NextId, Row


def mapping_rows(
    ids: NextId, catalog: Catalog, channels: dict[str, int], now: datetime
) -> tuple[list[Row], list[Row]]:
    """(listing_mappings rows, listing_mapping_parts rows)."""
    product = {p["id"]: p for p in catalog.products}
    cn, en = catalog.cn_pool, catalog.en_pool
    first, second = product[cn[0]], product[cn[1]]
    wanted: list[tuple[int | None, str, str, list[tuple[int, int]]]] = [
        (channels["taobao"], "sku", f"{first['sku']}-6PK", [(cn[0], 6)]),
        (channels["douyin"], "listing_id", "3579246801", [(cn[1], 1), (cn[2], 1), (cn[3], 2)]),
        (channels["shopify"], "title", f"{product[en[0]]['name']} (Buy 1 Get 1 FREE)",
         [(en[0], 2)]),
        (None, "title", f"{second['name']} 两件装", [(cn[1], 2)]),
    ]  # fmt: skip
    mappings: list[Row] = []
    parts: list[Row] = []
    for channel_id, kind, text, items in wanted:
        mid = ids.take("listing_mappings")
        mappings.append(
            {
                "id": mid,
                "channel_id": channel_id,
                "match_kind": kind,
                "match_text": text[:300],
                "match_key": match_key(text[:300]),
                "created_at": now,
                "created_by": None,
                "updated_at": now,
                "updated_by": None,
            }
        )
        for pid, units in items:
            parts.append(
                {
                    "id": ids.take("listing_mapping_parts"),
                    "mapping_id": mid,
                    "product_id": pid,
                    "units": units,
                }
            )
    return mappings, parts
