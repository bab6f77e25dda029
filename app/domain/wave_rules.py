"""Which allocated orders go into a wave, and the barcodes of a cart's totes: pure rules.

A wave rule's criteria are ANDed; an empty criterion matches every order:

- ``carrier_id``: the carrier of the order's carrier service;
- ``priority``: the order's priority;
- ``channel_id``: the order's sales channel;
- ``zone``: every location the order's stock is reserved at is in that zone;
- ``unit_kind``: ``single`` (exactly one unit in all), ``multi`` (more than one) or ``any``.

Priorities are never mixed: the chosen orders are grouped by warehouse and priority, highest
priority first, oldest order first within a group, and a group larger than ``max_orders`` (0:
no limit) is cut into several waves.

Tote barcodes: slot ``n`` of a cart of type ``CODE`` holds the tote labelled ``CODE-nn`` (two
digits at least: ``C12-03``); the one tote a batch picked in bulk goes into (single-unit orders,
pick then sort) is ``CODE-BULK``. Release writes them to ``wave_orders.tote_code`` and
``pick_batches.bulk_tote``; the pick screen checks the scanned tote against them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from app.domain.waves import UnitKind


def tote_code(cart_code: str, slot: int) -> str:
    """The barcode of the tote in slot ``slot`` (1-based) of a cart of type ``cart_code``."""
    return f"{cart_code}-{slot:02d}"


def bulk_tote_code(cart_code: str) -> str:
    """The barcode of the one tote a bulk-picked batch goes into."""
    return f"{cart_code}-BULK"


@dataclass(frozen=True, slots=True)
class OrderFacts:
    """What selection needs to know of an allocated order."""

    order_id: int
    warehouse_id: int
    priority: int
    placed_at: datetime
    units: int
    zones: frozenset[str]
    carrier_id: int | None = None
    channel_id: int | None = None


@dataclass(frozen=True, slots=True)
class Criteria:
    """A wave rule's criteria (None / empty: any)."""

    carrier_id: int | None = None
    priority: int | None = None
    channel_id: int | None = None
    zone: str = ""
    unit_kind: str = UnitKind.ANY


def matches(c: Criteria, o: OrderFacts) -> bool:
    """Does the order satisfy every criterion of the rule?"""
    if c.carrier_id is not None and o.carrier_id != c.carrier_id:
        return False
    if c.priority is not None and o.priority != c.priority:
        return False
    if c.channel_id is not None and o.channel_id != c.channel_id:
        return False
    if c.zone and o.zones != frozenset({c.zone}):
        return False
    if c.unit_kind == UnitKind.SINGLE and o.units != 1:
        return False
    return not (c.unit_kind == UnitKind.MULTI and o.units <= 1)


def group_waves(orders: Iterable[OrderFacts], max_orders: int = 0) -> list[list[OrderFacts]]:
    """The orders grouped into waves: one group per warehouse and priority (highest priority
    first, then oldest order first), each cut into parts of at most ``max_orders`` (0: no
    limit)."""
    groups: dict[tuple[int, int], list[OrderFacts]] = {}
    for o in sorted(orders, key=lambda o: (-o.priority, o.placed_at, o.order_id)):
        groups.setdefault((o.priority, o.warehouse_id), []).append(o)
    out: list[list[OrderFacts]] = []
    for key in sorted(groups, key=lambda k: (-k[0], k[1])):
        members = groups[key]
        size = max_orders if max_orders > 0 else len(members)
        out.extend(members[i : i + size] for i in range(0, len(members), size))
    return out


def select_orders(
    orders: Sequence[OrderFacts], criteria: Criteria, max_orders: int = 0
) -> list[list[OrderFacts]]:
    """The waves a rule makes of these orders."""
    return group_waves((o for o in orders if matches(criteria, o)), max_orders)
