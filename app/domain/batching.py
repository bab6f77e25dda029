"""Batching: which orders share one walk with a cart, so that one walk serves them well.

FOUNDATION STUB: the signatures stay; the bodies are replaced by the batching work (seed or
Clarke-Wright savings on route distances).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.domain.layout import Layout, Point
from app.domain.routing import Stop


@dataclass(frozen=True, slots=True)
class CartLimits:
    """What one cart takes; 0 means no limit (tote_slots is always a limit for pick to tote)."""

    tote_slots: int
    max_orders: int = 0
    max_lines: int = 0
    max_weight_g: int = 0
    max_volume_cm3: int = 0


@dataclass(frozen=True, slots=True)
class OrderToBatch:
    """An order as batching sees it: its stops and its size."""

    key: int
    stops: tuple[Stop, ...]
    lines: int = 1
    units: int = 1
    weight_g: int = 0
    volume_cm3: int = 0


def fcfs_batches(orders: Sequence[OrderToBatch], limits: CartLimits) -> list[list[int]]:
    """First come, first served: orders in the given order, a new batch when the cart is full."""
    out: list[list[int]] = []
    for o in orders:
        if not out or len(out[-1]) >= limits.tote_slots:
            out.append([])
        out[-1].append(o.key)
    return out


def plan_batches(
    layout: Layout,
    orders: Sequence[OrderToBatch],
    limits: CartLimits,
    depot: Point | None = None,
) -> list[list[int]]:
    """Batches (lists of order keys) that fit the cart and keep the total walk short."""
    return fcfs_batches(orders, limits)
