"""The demo warehouse's building, catalogue and opening stock, as rows ready for bulk inserts.

Pure generation: a seeded ``random.Random`` in, lists of dicts out. Ids are assigned here (from the
first free id of each table) so rows can point at each other without a round trip.
"""

from __future__ import annotations

import math
import random
from bisect import bisect
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import accumulate
from typing import Any

from app.domain.barcodes import with_check_digit
from app.services.demo.words import CATEGORIES, GS1_PREFIX_BY_MARKET, Category

Row = dict[str, Any]

AISLES, BAYS, LEVELS, BINS = 12, 20, 4, "ABC"
RESERVE_AISLES, RESERVE_BAYS, RESERVE_LEVELS = 4, 10, 3
#: (code, kind, name) of the areas outside the racks
AREAS = (
    ("RECV-01", "receiving"),
    ("RECV-02", "receiving"),
    ("PACK-01", "staging"),
    ("PACK-02", "staging"),
    ("PACK-03", "staging"),
    ("SHIP-01", "staging"),
    ("SHIP-02", "staging"),
    ("RET-01", "staging"),
    ("QC-01", "staging"),
    ("DOCK-01", "staging"),
)
PRODUCTS = 2000
#: how popular the n-th best seller is: 1 / (n + 1) ** ZIPF
ZIPF = 0.9
_KIND_RANK = {"pickable": 0, "storage": 1}


class NextId:
    """The next free id of each table, handed out in blocks."""

    def __init__(self, first: dict[str, int]) -> None:
        self._next = dict(first)

    def take(self, table: str, n: int = 1) -> int:
        start = self._next[table]
        self._next[table] = start + n
        return start


@dataclass(eq=False)
class Bucket:
    """Stock of one product (and lot) at one location while the demo is being generated."""

    id: int
    location_id: int
    kind: str
    product_id: int
    lot_id: int | None
    expiry: date | None
    received_at: datetime
    on_hand: int = 0
    reserved: int = 0
    new: bool = False

    @property
    def free(self) -> int:
        return self.on_hand - self.reserved

    def row(self) -> Row:
        return {
            "id": self.id,
            "location_id": self.location_id,
            "product_id": self.product_id,
            "lot_id": self.lot_id,
            "on_hand": self.on_hand,
            "reserved": self.reserved,
            "first_received_at": self.received_at,
        }


@dataclass
class Catalog:
    """Everything the order generator needs to know about the warehouse and its goods."""

    warehouse: Row
    locations: list[Row]
    products: list[Row]
    barcodes: list[Row]
    price: dict[int, Decimal]
    #: product ids of Chinese-market and cross-border goods, best sellers first, and their
    #: cumulative popularity weights for bisect
    cn_pool: list[int]
    cn_cum: list[float]
    en_pool: list[int]
    en_cum: list[float]
    location_id: dict[str, int] = field(default_factory=dict)

    def pick(self, rng: random.Random, english: bool) -> int:
        pool, cum = (self.en_pool, self.en_cum) if english else (self.cn_pool, self.cn_cum)
        return pool[bisect(cum, rng.random() * cum[-1])]

    def share(self, english: bool) -> dict[int, float]:
        pool, cum = (self.en_pool, self.en_cum) if english else (self.cn_pool, self.cn_cum)
        prev, out = 0.0, {}
        for pid, c in zip(pool, cum, strict=True):
            out[pid] = (c - prev) / cum[-1]
            prev = c
        return out


def _side(bay: int) -> float:
    """Odd bays stand left of the aisle's centre line, even ones right (1 m off it)."""
    return -1.0 if bay % 2 else 1.0


def build_locations(ids: NextId, warehouse_id: int) -> list[Row]:
    """Twelve aisles of pick racks walked in a serpentine, reserve racks behind, and areas.
    Pick aisles are "01".."12" and reserve aisles "R1".."R4", as in the demo layout
    (``resources/layouts/demo.toml``); a location's x is its rack's, either side of the aisle."""
    rows: list[Row] = []
    seq = 0

    def add(code: str, zone: str, kind: str, x: float, y: float, **parts: str) -> None:
        nonlocal seq
        seq += 10
        rows.append(
            {
                "id": ids.take("locations"),
                "warehouse_id": warehouse_id,
                "code": code,
                "barcode": f"LOC-{code}",
                "zone": zone,
                "aisle": parts.get("aisle", ""),
                "bay": parts.get("bay", ""),
                "level": parts.get("level", ""),
                "bin": parts.get("bin", ""),
                "kind": kind,
                "x": round(x, 2),
                "y": round(y, 2),
                "sequence": seq if kind in ("pickable", "storage") else 0,
                "active": True,
            }
        )

    for a in range(1, AISLES + 1):
        bays = range(1, BAYS + 1) if a % 2 else range(BAYS, 0, -1)
        for b in bays:
            for lv in range(1, LEVELS + 1):
                for i, bn in enumerate(BINS):
                    add(
                        f"P{a:02d}-{b:02d}-{lv}{bn}", "P", "pickable",
                        2.0 + (a - 1) * 3.0 + _side(b), 3.0 + (b - 1) * 1.3 + i * 0.4,
                        aisle=f"{a:02d}", bay=f"{b:02d}", level=str(lv), bin=bn,
                    )  # fmt: skip
    for a in range(1, RESERVE_AISLES + 1):
        for b in range(1, RESERVE_BAYS + 1):
            for lv in range(1, RESERVE_LEVELS + 1):
                add(
                    f"R{a:02d}-{b:02d}-{lv}", "R", "storage",
                    40.0 + (a - 1) * 4.0 + _side(b), 3.0 + (b - 1) * 2.7,
                    aisle=f"R{a}", bay=f"{b:02d}", level=str(lv),
                )  # fmt: skip
    for i, (code, kind) in enumerate(AREAS):
        add(code, code.split("-")[0], kind, 2.0 + i * 4.0, 0.0)
    return rows


def _gtin_maker(rng: random.Random) -> Any:
    """Per brand a made-up GS1 company prefix; item references count up within it."""
    prefixes: dict[str, str] = {}
    used: set[str] = set()
    counters: dict[str, int] = {}

    def make(brand: str, english: bool, second: bool = False) -> str:
        if brand not in prefixes:
            while True:
                market = GS1_PREFIX_BY_MARKET["en" if english else "cn"]
                head = rng.choice(market)
                prefix = head + "".join(str(rng.randrange(10)) for _ in range(7 - len(head)))
                if prefix[-5:] not in used:  # UPC-As reuse the last five digits
                    used.add(prefix[-5:])
                    prefixes[brand] = prefix
                    break
        n = counters.get(brand, 0) + 1
        counters[brand] = n
        ref = n + (50_000 if second else 0)
        return with_check_digit(f"{prefixes[brand]}{ref:05d}")

    return make


def build_products(rng: random.Random, ids: NextId) -> tuple[list[Row], list[Row], dict[int, Any]]:
    """About 2,000 SKUs with weights, sizes and tracking flags, and their barcodes."""
    combos = [
        (ci, brand, item, variant)
        for ci, cat in enumerate(CATEGORIES)
        for brand in cat.brands
        for item in cat.items
        for variant in cat.variants
    ]
    rng.shuffle(combos)
    chosen = sorted(combos[:PRODUCTS])
    gtin = _gtin_maker(rng)
    products: list[Row] = []
    barcodes: list[Row] = []
    meta: dict[int, Any] = {}
    per_cat: dict[str, int] = {}
    for ci, brand, item, variant in chosen:
        cat = CATEGORIES[ci]
        per_cat[cat.code] = n = per_cat.get(cat.code, 0) + 1
        pid = ids.take("products")
        name = f"{brand} {item}, {variant}" if cat.english else f"{brand} {item} {variant}"
        products.append(_product_row(rng, cat, pid, f"{cat.code}-{n:04d}", name))
        meta[pid] = (cat, _price(rng, cat))
        ean = gtin(brand, cat.english)
        barcodes.append(_barcode(ids, pid, ean, "ean13", 1))
        if rng.random() < 0.08:  # new packaging, new EAN; the old one still scans
            barcodes.append(_barcode(ids, pid, gtin(brand, cat.english, True), "ean13", 1))
        if cat.english and variant == "US plug":
            upc = with_check_digit("0" + ean[2:12])
            barcodes.append(_barcode(ids, pid, upc, "upc", 1))
        if rng.random() < 0.35:  # a case of the product carries a GTIN-14
            case = with_check_digit("1" + ean[:-1])
            barcodes.append(_barcode(ids, pid, case, "gtin14", rng.choice(cat.case_qty)))
    return products, barcodes, meta


def _product_row(rng: random.Random, cat: Category, pid: int, sku: str, name: str) -> Row:
    lo, hi = cat.weight
    size = [max(10, round(d * rng.uniform(0.75, 1.3))) for d in cat.dims]
    return {
        "id": pid,
        "sku": sku,
        "name": name,
        "unit": cat.unit,
        "weight_g": int(round(rng.uniform(lo, hi) / 5) * 5),
        "length_mm": size[0],
        "width_mm": size[1],
        "height_mm": size[2],
        "lot_tracked": cat.lot,
        "expiry_tracked": cat.shelf_days > 0,
        "serial_tracked": cat.serial,
        "image_path": "",
        "active": True,
    }


def _price(rng: random.Random, cat: Category) -> Decimal:
    lo, hi = cat.price
    yuan = int(math.exp(rng.uniform(math.log(lo), math.log(hi))))
    return Decimal(yuan) + (Decimal("0.90") if rng.random() < 0.6 else Decimal("0.00"))


def _barcode(ids: NextId, pid: int, code: str, kind: str, pack_qty: int) -> Row:
    return {
        "id": ids.take("product_barcodes"),
        "product_id": pid,
        "barcode": code,
        "kind": kind,
        "pack_qty": pack_qty,
    }


def popularity(rng: random.Random, products: list[Row], meta: dict[int, Any]) -> tuple[
    list[int], list[float], list[int], list[float]
]:  # fmt: skip
    """Best sellers first, per market, with cumulative Zipf weights."""
    cn = [p["id"] for p in products if not meta[p["id"]][0].english]
    en = [p["id"] for p in products if meta[p["id"]][0].english]
    rng.shuffle(cn)
    rng.shuffle(en)
    cum_cn = list(accumulate(1.0 / (r + 1) ** ZIPF for r in range(len(cn))))
    cum_en = list(accumulate(1.0 / (r + 1) ** ZIPF for r in range(len(en))))
    return cn, cum_cn, en, cum_en


def build_catalog(rng: random.Random, ids: NextId, now: datetime) -> Catalog:
    wid = ids.take("warehouses")
    warehouse = {"id": wid, "code": "SZ-01", "name": "深圳龙华仓 Shenzhen Longhua DC"}
    locations = build_locations(ids, wid)
    products, barcodes, meta = build_products(rng, ids)
    cn, cum_cn, en, cum_en = popularity(rng, products, meta)
    cat = Catalog(
        warehouse,
        locations,
        products,
        barcodes,
        {pid: m[1] for pid, m in meta.items()},
        cn,
        cum_cn,
        en,
        cum_en,
    )
    cat.location_id = {loc["code"]: loc["id"] for loc in locations}
    return cat


@dataclass
class StockPlan:
    """Opening stock: buckets, lots and the receipts that put the stock there."""

    buckets: list[Bucket]
    lots: list[Row]
    receipts: list[Row]


def build_stock(
    rng: random.Random,
    ids: NextId,
    catalog: Catalog,
    demand: dict[int, float],
    now: datetime,
    user_id: int | None,
) -> StockPlan:
    """Enough stock for the expected demand (plus a margin) across pick bins, reserve racks and
    lots: some lots close to expiry, a few already expired."""
    by_id = {p["id"]: p for p in catalog.products}
    pick_bins = [loc for loc in catalog.locations if loc["kind"] == "pickable"]
    reserve = [loc for loc in catalog.locations if loc["kind"] == "storage"]
    by_rank = [pid for pair in _interleave(catalog.cn_pool, catalog.en_pool) for pid in pair]
    plan = StockPlan([], [], [])
    today = now.date()
    for rank, pid in enumerate(by_rank):
        product = by_id[pid]
        total = math.ceil(demand.get(pid, 0.0) * 1.15) + rng.randint(6, 60)
        spots = [pick_bins[rank]]
        if rank < len(by_rank) // 4:  # best sellers also have a pallet in the reserve racks
            spots.append(reserve[rank % len(reserve)])
        received = now - timedelta(days=rng.randint(75, 100), minutes=rng.randint(0, 600))
        if product["expiry_tracked"]:
            _lots(rng, ids, plan, product, spots, total, received, today, user_id)
        else:
            shares = _split(rng, total, len(spots))
            for loc, qty in zip(spots, shares, strict=True):
                _bucket(ids, plan, loc, pid, None, None, received, qty, user_id)
    return plan


def _interleave(a: list[int], b: list[int]) -> list[tuple[int, ...]]:
    """Best sellers of both markets side by side, so both get the front pick bins."""
    out: list[tuple[int, ...]] = []
    ratio = max(1, round(len(a) / max(1, len(b))))
    ib = 0
    for ia in range(0, len(a), ratio):
        out.append(tuple(a[ia : ia + ratio]) + ((b[ib],) if ib < len(b) else ()))
        ib += 1
    out += [(pid,) for pid in b[ib:]]
    return out


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    if parts == 1:
        return [total]
    first = max(1, round(total * rng.uniform(0.3, 0.5)))
    return [first, total - first] if total - first > 0 else [total, 0]


def _lots(
    rng: random.Random,
    ids: NextId,
    plan: StockPlan,
    product: Row,
    spots: list[Row],
    total: int,
    received: datetime,
    today: date,
    user_id: int | None,
) -> None:
    shelf = next(c.shelf_days for c in CATEGORIES if product["sku"].startswith(c.code + "-"))
    n = rng.choices((1, 2, 3), (30, 45, 25))[0]
    # made before it was received: at most shelf life - days on our shelves - a few days left
    latest = shelf - (today - received.date()).days - 7
    expiries = sorted(today + timedelta(days=rng.randint(shelf // 4, latest)) for _ in range(n))
    if n > 1 and rng.random() < 0.3:  # the oldest lot is close to its date
        expiries[0] = today + timedelta(days=rng.randint(5, 30))
    shares = [max(1, total // n)] * n
    shares[-1] = max(1, total - sum(shares[:-1]))
    if n > 1 and expiries[0] - today < timedelta(days=31):
        shift = shares[0] // 2
        shares[0] -= shift
        shares[-1] += shift
    lots = [(e, q) for e, q in zip(expiries, shares, strict=True)]
    if rng.random() < 0.08:  # an expired lot still on the shelf, waiting to be scrapped
        lots.insert(0, (today - timedelta(days=rng.randint(1, 60)), rng.randint(2, 15)))
    for i, (expiry, qty) in enumerate(lots):
        lot_id = ids.take("lots")
        made = expiry - timedelta(days=shelf)
        plan.lots.append(
            {
                "id": lot_id,
                "product_id": product["id"],
                "lot_number": f"L{made:%y%m%d}{'ABCDEFGH'[i]}",
                "expiry_date": expiry,
                "received_at": received,
            }
        )
        # the earliest lots face the pickers; the latest waits in the reserve rack
        loc = spots[-1] if i == len(lots) - 1 and len(spots) > 1 else spots[0]
        _bucket(ids, plan, loc, product["id"], lot_id, expiry, received, qty, user_id)


def _bucket(
    ids: NextId,
    plan: StockPlan,
    loc: Row,
    pid: int,
    lot_id: int | None,
    expiry: date | None,
    received: datetime,
    qty: int,
    user_id: int | None,
) -> None:
    if qty <= 0:
        return
    bucket = Bucket(
        ids.take("stock_levels"), loc["id"], loc["kind"], pid, lot_id, expiry, received, qty
    )
    plan.buckets.append(bucket)
    plan.receipts.append(
        ledger_row(ids, bucket, qty, "receipt", received, "receipt", None, user_id, None)
    )


def ledger_row(
    ids: NextId,
    bucket: Bucket,
    delta: int,
    reason: str,
    at: datetime,
    ref_type: str,
    ref_id: int | None,
    user_id: int | None,
    station_id: int | None,
) -> Row:
    return {
        "id": ids.take("stock_ledger"),
        "at": at,
        "location_id": bucket.location_id,
        "product_id": bucket.product_id,
        "lot_id": bucket.lot_id,
        "qty_delta": delta,
        "reason": reason,
        "ref_type": ref_type,
        "ref_id": ref_id,
        "user_id": user_id,
        "station_id": station_id,
    }


def preference(buckets: list[Bucket], today: date) -> dict[int, list[Bucket]]:
    """Per product, the buckets orders take from: first-expired-first-out for dated goods,
    else first-in-first-out; pick bins before reserve racks; never an expired lot."""
    out: dict[int, list[Bucket]] = {}
    for b in buckets:
        if b.kind in _KIND_RANK and (b.expiry is None or b.expiry >= today):
            out.setdefault(b.product_id, []).append(b)
    for lst in out.values():
        lst.sort(key=lambda b: (b.expiry or date.max, _KIND_RANK[b.kind], b.received_at, b.id))
    return out
