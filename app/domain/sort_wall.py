"""The sort wall (播种墙), without a database: which slot a unit goes to, when a slot is
complete, and the refusals.

A pick-then-sort batch is picked in bulk by SKU into one tote; at the wall every order of the
batch has a slot (the oldest order the first slot). The sorter scans a unit: it goes to the
slot of the **oldest order still needing that SKU**; the sorter puts it there and scans the
slot's barcode to confirm. A slot is complete when every unit of its order is in it.

Slot barcodes are the wall's prefix and the slot number, zero-padded to the width of the
largest number (at least two digits): ``WALL-01`` .. ``WALL-24``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.domain.errors import PackdeskError, ValidationError

DEFAULT_ROWS = 4
DEFAULT_COLUMNS = 6
DEFAULT_PREFIX = "WALL-"
MAX_SLOTS = 200


class SortRefused(PackdeskError):
    """A scan the wall refuses: nothing moved."""


class UnitNotNeeded(SortRefused):
    template = (
        "No order on this wall needs {sku} any more: put the unit aside and tell a supervisor."
    )


class WrongSlot(SortRefused):
    template = (
        "Wrong slot: this {sku} goes into slot {expected}, not slot {scanned}. "
        "Take it out of slot {scanned}, put it into slot {expected} and scan that slot."
    )


class NoUnitInHand(SortRefused):
    template = "Scan a unit first, then the slot it goes into."


class NotAWallSlot(SortRefused):
    template = "{code} is not a slot of this wall. Scan a unit, or the barcode of a slot."


class WallTooSmall(SortRefused):
    template = (
        "This batch has {orders} orders but the wall has only {slots} slots. "
        "Ask a supervisor to split the wave or make the wall larger."
    )


@dataclass(frozen=True, slots=True)
class WallSettings:
    """The wall's size and the text of its slot barcodes."""

    rows: int = DEFAULT_ROWS
    columns: int = DEFAULT_COLUMNS
    prefix: str = DEFAULT_PREFIX

    def __post_init__(self) -> None:
        for name, value in (("rows", self.rows), ("columns", self.columns)):
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 50:
                raise ValidationError(
                    "The sort wall's {name} must be a whole number from 1 to 50, not {value!r}.",
                    name=name,
                    value=value,
                )
        if self.slots > MAX_SLOTS:
            raise ValidationError(
                "A sort wall has at most {max_slots} slots, not {slots}.",
                max_slots=MAX_SLOTS,
                slots=self.slots,
            )
        prefix = self.prefix
        if not prefix or not all(c.isascii() and (c.isalnum() or c in "-_.") for c in prefix):
            raise ValidationError(
                "The slot barcode prefix {prefix!r} must be letters, digits, '-', '_' or '.'.",
                prefix=prefix,
            )
        if len(prefix) > 20:
            raise ValidationError("The slot barcode prefix is at most 20 characters long.")

    @property
    def slots(self) -> int:
        return self.rows * self.columns

    @property
    def width(self) -> int:
        return max(2, len(str(self.slots)))

    def slot_code(self, slot: int) -> str:
        """The barcode text of slot ``slot`` (1-based)."""
        return f"{self.prefix}{slot:0{self.width}d}"

    def slot_codes(self) -> list[str]:
        return [self.slot_code(n) for n in range(1, self.slots + 1)]

    def slot_of(self, code: str) -> int | None:
        """The slot number a scanned code names, or None when it is not one of this wall's."""
        text = code.strip().upper()
        prefix = self.prefix.upper()
        if not text.startswith(prefix):
            return None
        number = text[len(prefix) :]
        if not (number.isascii() and number.isdigit()) or len(number) != self.width:
            return None
        slot = int(number)
        return slot if 1 <= slot <= self.slots else None

    def position(self, slot: int) -> tuple[int, int]:
        """(row, column), 0-based, of a slot on the wall: slot 1 top left, row by row."""
        return (slot - 1) // self.columns, (slot - 1) % self.columns


def assign_slots(order_ids_oldest_first: Sequence[int], slots: int) -> dict[int, int]:
    """Slot numbers for the orders of a batch: the oldest order gets slot 1."""
    if len(order_ids_oldest_first) > slots:
        raise WallTooSmall(orders=len(order_ids_oldest_first), slots=slots)
    return {oid: i for i, oid in enumerate(order_ids_oldest_first, start=1)}


@dataclass(frozen=True, slots=True)
class Need:
    """Units of one product (and lot) an order's slot is waiting for, from one pick task part."""

    part_id: int
    order_id: int
    slot: int
    product_id: int
    lot_id: int | None
    #: units picked for the order (what the slot must get)
    picked: int
    sorted: int

    @property
    def open(self) -> int:
        return self.picked - self.sorted


def target(needs: Iterable[Need], product_id: int, lot_id: int | None = None) -> Need | None:
    """Where a unit of ``product_id`` goes: the lowest slot (the oldest order) still needing it;
    with ``lot_id`` (a GS1 scan) only parts of that lot count. None: no order needs it."""
    open_needs = [
        n
        for n in needs
        if n.product_id == product_id and n.open > 0 and (lot_id is None or n.lot_id == lot_id)
    ]
    return min(open_needs, key=lambda n: (n.slot, n.part_id), default=None)


def check_slot(expected: int, scanned: int, sku: str) -> None:
    """Refuse a unit put into another slot than the one shown."""
    if scanned != expected:
        raise WrongSlot(sku=sku, expected=expected, scanned=scanned)


def slot_complete(needs: Iterable[Need], order_id: int) -> bool:
    """Every unit picked for the order is in its slot."""
    mine = [n for n in needs if n.order_id == order_id]
    return bool(mine) and all(n.open <= 0 for n in mine)
