"""Which carton fits: a first-fit packing of the items' boxes, with rotations, not just volume.

FOUNDATION STUB: ``suggest_carton`` compares volumes and longest sides until the cartons
helper's work is merged. Signatures and dataclasses are fixed (fields may be added at the end
with defaults).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ItemBox:
    """``qty`` units of one product, each a box of these outer dimensions (mm) and weight."""

    length_mm: int
    width_mm: int
    height_mm: int
    weight_g: int = 0
    qty: int = 1


@dataclass(frozen=True, slots=True)
class Carton:
    """A package type: inner dimensions (all 0 for a polybag: no fixed size), tare and limit."""

    code: str
    kind: str
    length_mm: int
    width_mm: int
    height_mm: int
    tare_g: int = 0
    #: 0: no limit
    max_weight_g: int = 0
    package_type_id: int | None = None

    @property
    def flexible(self) -> bool:
        return self.kind == "polybag" or not (self.length_mm and self.width_mm and self.height_mm)

    @property
    def volume_mm3(self) -> int:
        return self.length_mm * self.width_mm * self.height_mm


def fits(items: Sequence[ItemBox], carton: Carton) -> bool:
    """True when every unit goes into the carton (and the weight limit holds)."""
    weight = sum(i.weight_g * i.qty for i in items)
    if carton.max_weight_g and weight + carton.tare_g > carton.max_weight_g:
        return False
    if carton.flexible:
        return True
    volume = sum(i.length_mm * i.width_mm * i.height_mm * i.qty for i in items)
    longest = max((max(i.length_mm, i.width_mm, i.height_mm) for i in items), default=0)
    inner = max(carton.length_mm, carton.width_mm, carton.height_mm)
    return volume <= carton.volume_mm3 and longest <= inner


def suggest_carton(items: Sequence[ItemBox], cartons: Sequence[Carton]) -> Carton | None:
    """The smallest carton (by inner volume; polybags after boxes of equal fit) the items fit
    into, or None when none does."""
    boxes = sorted((c for c in cartons if not c.flexible), key=lambda c: c.volume_mm3)
    for c in boxes:
        if fits(items, c):
            return c
    for c in cartons:
        if c.flexible and fits(items, c):
            return c
    return None
