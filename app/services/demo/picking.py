"""The demo warehouse's pick carts and wave rules (the Waves screen has something to choose)."""

from __future__ import annotations

from typing import Any

Row = dict[str, Any]

#: code, name, tote slots, most orders, most lines, most weight (g), most volume (cm3)
CARTS = (
    ("C12", "12 格拣货车 12-tote cart", 12, 0, 60, 60_000, 0),
    ("C24", "24 格拣货车 24-tote cart", 24, 0, 96, 90_000, 0),
    ("B1", "单箱拣货车 bulk cart (one big tote)", 1, 60, 0, 40_000, 120_000),
)


def cart_rows(first_id: int) -> list[Row]:
    return [
        {
            "id": first_id + i,
            "code": code,
            "name": name,
            "tote_slots": slots,
            "max_orders": orders,
            "max_lines": lines,
            "max_weight_g": weight,
            "max_volume_cm3": volume,
            "active": True,
        }
        for i, (code, name, slots, orders, lines, weight, volume) in enumerate(CARTS)
    ]


def wave_rule_rows(first_id: int, carts: dict[str, int], carriers: dict[str, int]) -> list[Row]:
    """SF orders before the 16:30 pick-up, single-unit orders in bulk (一单一品), the rest
    picked then sorted (先拣后播)."""
    base = {"priority": None, "channel_id": None, "zone": "", "active": True}
    return [
        {
            **base,
            "id": first_id,
            "name": "顺丰 16:30 SF cut-off",
            "carrier_id": carriers.get("SF"),
            "cutoff": "16:30",
            "unit_kind": "any",
            "pick_method": "cluster",
            "cart_id": carts["C12"],
            "max_orders": 48,
        },
        {
            **base,
            "id": first_id + 1,
            "name": "一单一品 single-unit",
            "carrier_id": None,
            "cutoff": "",
            "unit_kind": "single",
            "pick_method": "single_unit",
            "cart_id": carts["B1"],
            "max_orders": 120,
        },
        {
            **base,
            "id": first_id + 2,
            "name": "先拣后播 pick then sort",
            "carrier_id": None,
            "cutoff": "",
            "unit_kind": "multi",
            "pick_method": "pick_sort",
            "cart_id": carts["C24"],
            "max_orders": 96,
        },
    ]
