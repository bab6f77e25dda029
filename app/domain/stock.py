"""Stock invariants, without a database.

On-hand at a (location, product, lot) is the sum of its ledger movements; reserved never exceeds
on-hand; neither goes below zero. Services keep a ``StockPosition`` per bucket in step with the
ledger and call these functions to move it, so the rules live in one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from app.domain.errors import NegativeStock, OverReservation, StockError


class MovementReason(StrEnum):
    """Why a ledger line exists."""

    RECEIPT = "receipt"
    ADJUSTMENT = "adjustment"
    COUNT = "count"
    MOVE_OUT = "move_out"
    MOVE_IN = "move_in"
    PICK = "pick"
    SHIP = "ship"
    RETURN = "return"
    SCRAP = "scrap"


@dataclass(frozen=True, slots=True)
class StockPosition:
    """On-hand and reserved quantity of one SKU (and lot) at one location."""

    on_hand: int = 0
    reserved: int = 0

    @property
    def free(self) -> int:
        return self.on_hand - self.reserved

    def check(self) -> None:
        if self.on_hand < 0 or self.reserved < 0 or self.reserved > self.on_hand:
            raise StockError(
                "Stock position out of bounds: {on_hand} on hand, {reserved} reserved.",
                on_hand=self.on_hand,
                reserved=self.reserved,
            )


def apply_movement(
    pos: StockPosition, delta: int, *, sku: str = "", location: str = ""
) -> StockPosition:
    """A ledger movement of ``delta`` units; it may not take on-hand below the reserved quantity
    unless the reserved units themselves are consumed (use ``consume_reserved`` for picks)."""
    new_on_hand = pos.on_hand + delta
    if new_on_hand < 0:
        raise NegativeStock(sku=sku, location=location, on_hand=pos.on_hand, delta=delta)
    if new_on_hand < pos.reserved:
        raise OverReservation(
            qty=pos.reserved,
            sku=sku,
            location=location,
            free=max(new_on_hand, 0),
            on_hand=new_on_hand,
            reserved=pos.reserved,
        )
    return StockPosition(new_on_hand, pos.reserved)


def reserve(pos: StockPosition, qty: int, *, sku: str = "", location: str = "") -> StockPosition:
    """Promise ``qty`` free units to an order line."""
    if qty <= 0:
        raise StockError("A reservation must be for a positive quantity, not {qty}.", qty=qty)
    if qty > pos.free:
        raise OverReservation(
            qty=qty,
            sku=sku,
            location=location,
            free=pos.free,
            on_hand=pos.on_hand,
            reserved=pos.reserved,
        )
    return StockPosition(pos.on_hand, pos.reserved + qty)


def unreserve(pos: StockPosition, qty: int) -> StockPosition:
    """Give back ``qty`` reserved units (order cancelled, held or split)."""
    if qty <= 0 or qty > pos.reserved:
        raise StockError(
            "Cannot release {qty} reserved units: only {reserved} are reserved.",
            qty=qty,
            reserved=pos.reserved,
        )
    return StockPosition(pos.on_hand, pos.reserved - qty)


def consume_reserved(pos: StockPosition, qty: int) -> StockPosition:
    """Reserved units leave the location (picked): on-hand and reserved drop together."""
    if qty <= 0 or qty > pos.reserved:
        raise StockError(
            "Cannot pick {qty} units: only {reserved} are reserved here.",
            qty=qty,
            reserved=pos.reserved,
        )
    return StockPosition(pos.on_hand - qty, pos.reserved - qty)


def on_hand_from_ledger(deltas: Iterable[int]) -> int:
    """On-hand is always the sum of the ledger."""
    return sum(deltas)
