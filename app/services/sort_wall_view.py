"""What the sort wall screen shows, as plain data: the slots (order, units sorted of needed,
complete), the unit in the sorter's hand and its slot, and the outcome of a scan."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import Order, PickBatch, Product, Wave, WaveOrder
from app.domain.sort_wall import Need, WallSettings


def batch_label(wave_number: str, batch_number: int) -> str:
    """How a batch is printed and scanned: ``W000123-2``."""
    return f"{wave_number}-{batch_number}"


@dataclass(frozen=True)
class WallSlot:
    slot: int
    code: str
    order_id: int
    order_number: str
    needed: int
    sorted: int
    complete: bool


@dataclass(frozen=True)
class Hand:
    """The unit scanned and not yet put into its slot."""

    slot: int
    code: str
    sku: str
    name: str
    order_number: str


@dataclass(frozen=True)
class WallView:
    batch_id: int
    label: str
    bulk_tote: str
    rows: int
    columns: int
    slots: tuple[WallSlot, ...]
    hand: Hand | None

    @property
    def needed(self) -> int:
        return sum(s.needed for s in self.slots)

    @property
    def sorted(self) -> int:
        return sum(s.sorted for s in self.slots)

    @property
    def done(self) -> bool:
        return bool(self.slots) and all(s.complete for s in self.slots)

    def slot(self, number: int) -> WallSlot | None:
        return next((s for s in self.slots if s.slot == number), None)


@dataclass(frozen=True)
class Outcome:
    """What one scan did. ``kind``: ``unit`` (its slot is shown), ``sorted`` (put in, the slot
    still waits for more), ``slot_complete``, ``wall_done`` (the last slot of the batch),
    ``cancelled`` (the hand emptied) or ``opened`` (the batch's tote scanned again)."""

    kind: str
    slot: int | None
    order_number: str
    wall: WallView


@dataclass(frozen=True)
class SortableBatch:
    batch_id: int
    label: str
    bulk_tote: str
    #: orders still to sort
    orders: int
    #: slots assigned already (sorting was started)
    started: bool


def build_view(
    s: Session, batch: PickBatch, wave: Wave, settings: WallSettings, needs: list[Need]
) -> WallView:
    members = s.execute(
        select(WaveOrder.wall_slot, WaveOrder.order_id, Order.number, WaveOrder.sorted_at)
        .join(Order, Order.id == WaveOrder.order_id)
        .where(WaveOrder.batch_id == batch.id, WaveOrder.wall_slot.is_not(None))
        .order_by(WaveOrder.wall_slot)
    ).all()
    picked: dict[int, int] = defaultdict(int)
    done: dict[int, int] = defaultdict(int)
    for n in needs:
        picked[n.order_id] += n.picked
        done[n.order_id] += n.sorted
    slots = tuple(
        WallSlot(
            int(slot),
            settings.slot_code(int(slot)),
            oid,
            number,
            picked[oid],
            done[oid],
            sorted_at is not None,
        )
        for slot, oid, number, sorted_at in members
    )
    hand = None
    if batch.sort_hand:
        slot = int(batch.sort_hand["slot"])
        product = s.get_one(Product, batch.sort_hand["product_id"])
        owner = next((m for m in slots if m.slot == slot), None)
        hand = Hand(
            slot,
            settings.slot_code(slot),
            product.sku,
            product.name,
            owner.order_number if owner else "",
        )
    return WallView(
        batch.id,
        batch_label(wave.number, batch.number),
        batch.bulk_tote,
        settings.rows,
        settings.columns,
        slots,
        hand,
    )
