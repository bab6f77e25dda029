"""The demo warehouse's pack bench: cartons with their barcodes, pools of tracking numbers for
the Chinese carriers, a shipping rule, and the packing settings with the demo shop as sender
(so a demo order packs and prints a label with nothing else set up)."""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

from app.domain.pack_settings import SETTINGS_KEY, PackSettings

Row = dict[str, Any]

#: code, name, kind, barcode, inner length/width/height (mm), tare (g), most weight (g)
PACKAGES = (
    ("BOX-S", "小号纸箱 Small box", "box", "PD-PKG-BOX-S", 250, 200, 150, 120, 5_000),
    ("BOX-M", "中号纸箱 Medium box", "box", "PD-PKG-BOX-M", 350, 250, 200, 220, 10_000),
    ("BOX-L", "大号纸箱 Large box", "box", "PD-PKG-BOX-L", 450, 350, 300, 380, 20_000),
    ("BAG", "快递袋 Polybag", "polybag", "PD-PKG-BAG", 0, 0, 0, 15, 3_000),
    ("ENV", "文件袋 Envelope", "envelope", "PD-PKG-ENV", 320, 230, 10, 20, 500),
)
#: free numbers loaded per carrier
POOL_SIZE = 300
#: carrier code -> (number prefix, digits after it)
POOL_FORMATS = {"SF": ("SF", 13), "ZTO": ("7", 11), "YTO": ("YT", 13), "JD": ("JDV", 12)}
#: the demo UPS account (1Z, shipper number, service 03) and DHL Express ranges carry their
#: published check digits
UPS_SHIPPER = "8A7X41"
#: SF links an order's parcels as master and children (子母件)
MASTER_CHILD = frozenset({"SF"})

SHOP = PackSettings(
    sender_name="茶杯小店 Packdesk demo shop",
    sender_phone="0571-8888 6666",
    sender_country="CN",
    sender_province="浙江省",
    sender_city="杭州市",
    sender_district="西湖区",
    sender_street="文三路 90 号 3 号仓库",
    sender_postal_code="310012",
    return_instructions=(
        "7 天无理由退货：请保留包装，联系客服后寄回发件地址。 "
        "Returns within 7 days: keep the packaging and contact us first."
    ),
    tolerance_pct=5.0,
    tolerance_floor_g=20,
)


def package_rows(first_id: int) -> list[Row]:
    return [
        {
            "id": first_id + i,
            "code": code,
            "name": name,
            "kind": kind,
            "barcode": barcode,
            "inner_length_mm": length,
            "inner_width_mm": width,
            "inner_height_mm": height,
            "tare_g": tare,
            "max_weight_g": most,
            "active": True,
        }
        for i, (code, name, kind, barcode, length, width, height, tare, most) in enumerate(PACKAGES)
    ]


def pool_rows(
    first_id: int, carriers: dict[str, int], rng: random.Random, now: datetime
) -> list[Row]:
    """``POOL_SIZE`` free numbers for each carrier with a pool, as an e-waybill account hands
    out a range: consecutive from a random start."""
    rows: list[Row] = []
    for code in (*POOL_FORMATS, "UPS", "DHL"):
        cid = carriers.get(code)
        if cid is None:
            continue
        for number in _numbers(code, rng):
            rows.append(
                {
                    "id": first_id + len(rows),
                    "carrier_id": cid,
                    "carrier_service_id": None,
                    "number": number,
                    "status": "free",
                    "source": "demo pool",
                    "loaded_at": now,
                    "parcel_id": None,
                    "used_at": None,
                    "voided_at": None,
                    "void_reason": "",
                    "reported_at": None,
                }
            )
    return rows


def _numbers(code: str, rng: random.Random) -> list[str]:
    if code == "UPS":
        start = rng.randrange(1_000_000, 8_000_000)
        return [_ups(f"{UPS_SHIPPER}03{start + k:07d}") for k in range(POOL_SIZE)]
    if code == "DHL":
        start = rng.randrange(100_000_000, 800_000_000)
        return [f"{start + k}{(start + k) % 7}" for k in range(POOL_SIZE)]
    prefix, digits = POOL_FORMATS[code]
    start = rng.randrange(10 ** (digits - 1), 9 * 10 ** (digits - 1))
    return [f"{prefix}{start + k:0{digits}d}" for k in range(POOL_SIZE)]


def _ups(data: str) -> str:
    """1Z and the 15 characters with UPS's check digit: letters count (A=2, B=3...) mod 10,
    every second character doubled, the digit that makes the sum a multiple of 10."""
    values = [int(c) if c.isdigit() else (ord(c) - ord("A") + 2) % 10 for c in data]
    total = sum(v * (2 if i % 2 else 1) for i, v in enumerate(values))
    return f"1Z{data}{(10 - total % 10) % 10}"


def rule_rows(first_id: int, services: dict[str, int], now: datetime) -> list[Row]:
    """Heavy parcels (over 5 kg) go with ZTO in the large box; the rest keep the service the
    order came with."""
    return [
        {
            "id": first_id,
            "position": 1,
            "name": "重货走中通 Heavy parcels by ZTO",
            "active": True,
            "conditions": {"weight_min_g": 5000},
            "action": "set",
            "carrier_service_id": services.get("ZTO-STD"),
            "package_type_id": None,
            "hold_reason": "",
            "stop": True,
            "updated_at": now,
        }
    ]


def settings_row(now: datetime) -> Row:
    return {"key": SETTINGS_KEY, "value": SHOP.to_json(), "updated_at": now}
