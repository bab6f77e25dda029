"""Sorting a picked pick-then-sort batch at the sort wall (播种墙), one unit of work per scan.

Opening the wall for a batch (scan its bulk tote, or choose it from the list) gives each of its
orders a slot, the oldest order the first slot (``wave_orders.wall_slot``), and makes the
slots' ``locations`` rows (kind ``tote``) where they are missing. Then, scan by scan:

- a **unit** (a product barcode, its SKU, or GS1 with the lot): the slot of the oldest order
  still needing it, kept on the batch (``pick_batches.sort_hand``) so a crash resumes it;
- the **slot's barcode**: the unit moves from the bulk tote into the slot (stock ledger and
  reservation, ``pick_task_parts.qty_sorted``); a wrong slot is refused and nothing moves;
- ``PD-CMD-CANCEL``: the unit goes back, the hand is empty.

A slot is complete when every unit picked for its order is in it: ``wave_orders.sorted_at`` is
set and the order goes ``picking -> picked``. When every order of the wave is done and all its
batches are picked, the wave is ``picked``.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.models import (
    Location,
    Lot,
    Order,
    PickBatch,
    PickTask,
    PickTaskPart,
    Product,
    Wave,
    WaveOrder,
    utcnow,
)
from app.db.uow import UnitOfWork
from app.domain.errors import NotFound, ValidationError
from app.domain.orders import OrderStatus
from app.domain.scans import Command, ScanEvent, ScanKind
from app.domain.sort_wall import (
    Need,
    NotAWallSlot,
    NoUnitInHand,
    UnitNotNeeded,
    WallSettings,
    assign_slots,
    check_slot,
    slot_complete,
    target,
)
from app.domain.users import Actor, Permission
from app.domain.waves import BatchStatus, PickMethod, WaveStatus
from app.services import orders as order_service
from app.services.access import reads, writes
from app.services.sort_wall_moves import move_unit, slot_locations
from app.services.sort_wall_settings import read_wall_settings
from app.services.sort_wall_view import Outcome, SortableBatch, WallView, batch_label, build_view

__all__ = [
    "Outcome",
    "SortableBatch",
    "WallView",
    "find_batch",
    "open_wall",
    "sort_scan",
    "sortable_batches",
    "wall_view",
]


class BatchNotSortable(ValidationError):
    template = (
        "Batch {batch} cannot be sorted at the wall: {why}. Choose a picked pick-then-sort batch."
    )


#: why a batch cannot be sorted (collected for translation)
NOT_SORTABLE_WORDS = {
    "method": "it is not picked to be sorted (pick then sort)",
    "status": "it is not picked yet",
    "done": "every order of it is already sorted",
}


def _find_batch(s: Session, ref: int | str) -> PickBatch:
    if isinstance(ref, int):
        batch = s.get(PickBatch, ref)
    else:
        text = ref.strip()
        waiting = (
            select(WaveOrder.id)
            .where(WaveOrder.batch_id == PickBatch.id, WaveOrder.sorted_at.is_(None))
            .exists()
        )
        batch = s.scalar(
            select(PickBatch)
            .join(Wave, Wave.id == PickBatch.wave_id)
            .where(
                PickBatch.bulk_tote == text,
                PickBatch.status == BatchStatus.PICKED.value,
                Wave.pick_method == PickMethod.PICK_SORT.value,
                waiting,
            )
            .order_by(PickBatch.finished_at, PickBatch.id)
            .limit(1)
        )
        if batch is None and "-" in text:
            number, _, n = text.rpartition("-")
            if n.isdigit():
                batch = s.scalar(
                    select(PickBatch)
                    .join(Wave, Wave.id == PickBatch.wave_id)
                    .where(Wave.number == number, PickBatch.number == int(n))
                )
    if batch is None:
        raise NotFound(what="Batch", key=str(ref))
    return batch


def _lock_batch(s: Session, batch_id: int) -> PickBatch:
    batch = s.scalar(
        select(PickBatch)
        .where(PickBatch.id == batch_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if batch is None:
        raise NotFound(what="Batch", key=str(batch_id))
    return batch


def _started(s: Session, batch: PickBatch) -> bool:
    """Sorting has begun: a unit is in hand or in a slot (the slots may no longer change)."""
    if batch.sort_hand:
        return True
    done = s.scalar(
        select(func.coalesce(func.sum(PickTaskPart.qty_sorted), 0))
        .join(PickTask, PickTask.id == PickTaskPart.task_id)
        .where(PickTask.batch_id == batch.id)
    )
    return bool(done)


def _check_sortable(s: Session, batch: PickBatch) -> Wave:
    wave = s.get_one(Wave, batch.wave_id)
    label = batch_label(wave.number, batch.number)
    if wave.pick_method != PickMethod.PICK_SORT.value:
        raise BatchNotSortable(batch=label, why=NOT_SORTABLE_WORDS["method"])
    if batch.status != BatchStatus.PICKED.value:
        raise BatchNotSortable(batch=label, why=NOT_SORTABLE_WORDS["status"])
    return wave


def _needs(s: Session, batch_id: int) -> list[Need]:
    rows = s.execute(
        select(
            PickTaskPart.id,
            PickTaskPart.order_id,
            WaveOrder.wall_slot,
            PickTask.product_id,
            PickTask.lot_id,
            PickTaskPart.qty_picked,
            PickTaskPart.qty_sorted,
        )
        .join(PickTask, PickTask.id == PickTaskPart.task_id)
        .join(PickBatch, PickBatch.id == PickTask.batch_id)
        .join(
            WaveOrder,
            (WaveOrder.wave_id == PickBatch.wave_id)
            & (WaveOrder.order_id == PickTaskPart.order_id),
        )
        .where(PickTask.batch_id == batch_id, WaveOrder.wall_slot.is_not(None))
    ).all()
    return [Need(r[0], r[1], int(r[2]), r[3], r[4], r[5], r[6]) for r in rows]


@reads
def sortable_batches(uow: UnitOfWork, actor: Actor) -> list[SortableBatch]:
    """Picked pick-then-sort batches with orders still to sort, oldest first."""
    with uow:
        uow.require(actor, Permission.PICK)
        s = uow.session
        rows = s.execute(
            select(
                PickBatch.id,
                Wave.number,
                PickBatch.number,
                PickBatch.bulk_tote,
                func.count(WaveOrder.id),
                func.count(WaveOrder.wall_slot),
            )
            .join(Wave, Wave.id == PickBatch.wave_id)
            .join(WaveOrder, WaveOrder.batch_id == PickBatch.id)
            .where(
                Wave.pick_method == PickMethod.PICK_SORT.value,
                PickBatch.status == BatchStatus.PICKED.value,
                WaveOrder.sorted_at.is_(None),
            )
            .group_by(PickBatch.id, Wave.number, PickBatch.number, PickBatch.bulk_tote)
            .order_by(PickBatch.finished_at, PickBatch.id)
        ).all()
        return [
            SortableBatch(bid, batch_label(w, n), tote, int(left), int(slotted) > 0)
            for bid, w, n, tote, left, slotted in rows
        ]


@reads
def find_batch(uow: UnitOfWork, actor: Actor, code: str) -> int:
    """The batch a scanned or typed code names: its bulk tote (the newest picked batch using
    it) or its label ``W000123-2``."""
    with uow:
        uow.require(actor, Permission.PICK)
        return _find_batch(uow.session, code).id


@writes(Permission.PICK)
def open_wall(uow: UnitOfWork, actor: Actor, batch_id: int) -> WallView:
    """Start (or resume) sorting a batch: its orders get their slots, oldest first, the first
    time."""
    with uow:
        uow.require(actor, Permission.PICK)
        s = uow.session
        row = _lock_batch(s, batch_id)
        wave = _check_sortable(s, row)
        settings = read_wall_settings(s)
        members = s.scalars(
            select(WaveOrder)
            .join(Order, Order.id == WaveOrder.order_id)
            .where(WaveOrder.batch_id == row.id)
            .order_by(Order.placed_at, Order.id)
        ).all()
        if not members:
            raise BatchNotSortable(
                batch=batch_label(wave.number, row.number), why=NOT_SORTABLE_WORDS["done"]
            )
        if not _started(s, row):
            slots = assign_slots([m.order_id for m in members], settings.slots)
            if any(m.wall_slot != slots[m.order_id] for m in members):
                for m in members:
                    m.wall_slot = slots[m.order_id]
                uow.audit(
                    actor, "sort_wall.open", "pick_batch", batch_label(wave.number, row.number),
                    after={"slots": {str(m.order_id): m.wall_slot for m in members}},
                )  # fmt: skip
        codes = [settings.slot_code(m.wall_slot) for m in members if m.wall_slot is not None]
        slot_locations(s, wave.warehouse_id, codes)
        s.flush()
        view = build_view(s, row, wave, settings, _needs(s, row.id))
        uow.commit()
        return view


@reads
def wall_view(uow: UnitOfWork, actor: Actor, batch_id: int) -> WallView:
    """The wall of a batch as it stands: slots, units sorted and needed, the unit in hand."""
    with uow:
        uow.require(actor, Permission.PICK)
        s = uow.session
        batch = s.get(PickBatch, batch_id)
        if batch is None:
            raise NotFound(what="Batch", key=str(batch_id))
        wave = s.get_one(Wave, batch.wave_id)
        return build_view(s, batch, wave, read_wall_settings(s), _needs(s, batch.id))


@writes(Permission.PICK)
def sort_scan(uow: UnitOfWork, actor: Actor, batch_id: int, event: ScanEvent) -> Outcome:
    """One scan at the wall of a batch: a unit (shows its slot), a slot (puts the unit in hand
    there) or CANCEL. A refusal raises a ``SortRefused`` and changes nothing."""
    with uow:
        uow.require(actor, Permission.PICK)
        s = uow.session
        batch = _lock_batch(s, batch_id)
        wave = _check_sortable(s, batch)
        settings = read_wall_settings(s)
        needs = _needs(s, batch.id)
        scan = event
        slot = settings.slot_of(scan.text)
        if slot is not None:
            kind, order = _put(uow, actor, batch, wave, settings, needs, slot)
        elif scan.kind is ScanKind.COMMAND and scan.command is Command.CANCEL:
            kind, order, slot = "cancelled", "", None
            batch.sort_hand = None
        elif scan.kind is ScanKind.PRODUCT and scan.entity_id is not None:
            kind, order, slot = "unit", *_take(s, batch, needs, scan)
        elif scan.text.strip() in (batch.bulk_tote, batch_label(wave.number, batch.number)):
            kind, order = "opened", ""
        elif scan.error is not None:
            raise scan.error
        else:
            raise NotAWallSlot(code=scan.text)
        s.flush()
        view = build_view(s, batch, wave, settings, _needs(s, batch.id))
        uow.commit()
        return Outcome(kind, slot, order, view)


def _take(s: Session, batch: PickBatch, needs: list[Need], scan: ScanEvent) -> tuple[str, int]:
    """A unit scanned: the slot of the oldest order still needing it goes into the hand."""
    product = s.get_one(Product, scan.entity_id)
    lot_id: int | None = None
    if scan.gs1 is not None and scan.gs1.lot:
        lot_id = s.scalar(
            select(Lot.id).where(Lot.product_id == product.id, Lot.lot_number == scan.gs1.lot)
        )
        if lot_id is None:
            raise UnitNotNeeded(sku=f"{product.sku} (lot {scan.gs1.lot})")
    need = target(needs, product.id, lot_id)
    if need is None:
        raise UnitNotNeeded(sku=product.sku)
    batch.sort_hand = {
        "part_id": need.part_id,
        "product_id": product.id,
        "lot_id": need.lot_id,
        "slot": need.slot,
    }
    number = s.scalar(select(Order.number).where(Order.id == need.order_id)) or ""
    return number, need.slot


def _put(
    uow: UnitOfWork,
    actor: Actor,
    batch: PickBatch,
    wave: Wave,
    settings: WallSettings,
    needs: list[Need],
    slot: int,
) -> tuple[str, str]:
    """The slot scanned: the unit in hand goes into it if it is the right one."""
    s = uow.session
    hand = batch.sort_hand
    if not hand:
        raise NoUnitInHand()
    product = s.get_one(Product, hand["product_id"])
    check_slot(int(hand["slot"]), slot, product.sku)
    part = s.get_one(PickTaskPart, hand["part_id"])
    order = s.get_one(Order, part.order_id)
    code = settings.slot_code(slot)
    location_id = slot_locations(s, wave.warehouse_id, [code])[code]
    tote = s.scalar(
        select(Location).where(
            Location.warehouse_id == wave.warehouse_id, Location.code == batch.bulk_tote
        )
    )
    if tote is None:
        raise NotFound(what="Location", key=batch.bulk_tote)
    part.reservation_id = move_unit(
        uow, actor, part.order_line_id, product.id, tote.id, location_id, batch.id,
        product.sku, order.number, code, lot_id=hand.get("lot_id"),
    )  # fmt: skip
    part.qty_sorted += 1
    batch.sort_hand = None
    after = [
        Need(n.part_id, n.order_id, n.slot, n.product_id, n.lot_id, n.picked, n.sorted + 1)
        if n.part_id == part.id
        else n
        for n in needs
    ]
    if not slot_complete(after, order.id):
        return "sorted", order.number
    member = s.scalars(
        select(WaveOrder).where(WaveOrder.wave_id == wave.id, WaveOrder.order_id == order.id)
    ).one()
    member.sorted_at = utcnow()
    order_service.transition(
        uow, actor, order, OrderStatus.PICKED, note=f"sorted into wall slot {slot}"
    )
    if not all(n.open <= 0 for n in after):
        return "slot_complete", order.number
    if _wave_done(s, wave):
        wave.status = WaveStatus.PICKED.value
        wave.finished_at = utcnow()
    return "wall_done", order.number


def _wave_done(s: Session, wave: Wave) -> bool:
    """Every batch of the wave picked (or cancelled) and every order sorted."""
    s.flush()
    open_batches = s.scalar(
        select(func.count(PickBatch.id)).where(
            PickBatch.wave_id == wave.id,
            PickBatch.status.not_in([BatchStatus.PICKED.value, BatchStatus.CANCELLED.value]),
        )
    )
    unsorted = s.scalar(
        select(func.count(WaveOrder.id)).where(
            WaveOrder.wave_id == wave.id,
            WaveOrder.batch_id.is_not(None),
            WaveOrder.sorted_at.is_(None),
        )
    )
    return not open_batches and not unsorted
