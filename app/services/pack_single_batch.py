"""Single-unit batches at the pack station: finding the batch a scan names, and the batch as the
station shows it (orders packed and left, orders left per SKU, the last label printed).

See ``app.services.pack_single`` for the scan that packs and labels one order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.db.models import Order, OrderLine, PackSession, Parcel, PickBatch, Product, Wave, WaveOrder
from app.db.uow import UnitOfWork
from app.domain.errors import NotFound, ValidationError
from app.domain.orders import OrderStatus
from app.domain.users import Actor, Permission
from app.domain.waves import BatchStatus, PickMethod
from app.services.access import reads, writes

SINGLE = "single_unit"
PICKED = OrderStatus.PICKED.value
#: orders of a batch that count as packed
PACKED = ("packed", "shipped", "delivered")


@dataclass(frozen=True)
class SkuLeft:
    product_id: int
    sku: str
    name: str
    #: orders of the batch still waiting for a unit of it
    orders_left: int


@dataclass(frozen=True)
class LastLabel:
    order_number: str
    tracking_number: str
    label_job_id: int | None
    at: datetime | None


@dataclass(frozen=True)
class SingleUnitView:
    batch_id: int
    #: the batch as printed and scanned: W000123-2
    batch: str
    tote: str
    orders: int
    packed: int
    #: orders still to pack (``picked``)
    left: int
    #: orders open at a station now (waiting for a weight, a badge, a number)
    in_progress: int
    skus: tuple[SkuLeft, ...]
    last: LastLabel | None


class NotSingleUnitBatch(ValidationError):
    template = (
        "Batch {batch} is not a picked single-unit batch ({why}). Scan the bulk tote or pick "
        "list of a picked single-unit batch, or pack its orders one by one."
    )


class BatchAllPacked(ValidationError):
    template = "Every order of batch {batch} is packed. Scan the next batch's tote or pick list."


#: why a batch is not a picked single-unit batch (collected for translation)
WHY_WORDS = {
    "method": "it is not picked as single-unit orders",
    "status": "it is not picked yet",
}


def batch_label(wave_number: str, number: int) -> str:
    return f"{wave_number}-{number}"


# --- finding the batch -------------------------------------------------------------------------


def _waiting(batch_id: object) -> Select[tuple[int]]:
    return (
        select(WaveOrder.id)
        .join(Order, Order.id == WaveOrder.order_id)
        .where(WaveOrder.batch_id == batch_id, Order.status == PICKED)
    )


def find_batch(s: Session, text: str) -> PickBatch:
    """The batch a scanned code names: its bulk tote (the oldest picked single-unit batch in it
    with orders still to pack) or its pick-list barcode ``W000123-2``."""
    code = text.strip()
    batch = s.scalar(
        select(PickBatch)
        .join(Wave, Wave.id == PickBatch.wave_id)
        .where(
            PickBatch.bulk_tote == code,
            PickBatch.status == BatchStatus.PICKED.value,
            Wave.pick_method == PickMethod.SINGLE_UNIT.value,
            _waiting(PickBatch.id).exists(),
        )
        .order_by(PickBatch.finished_at, PickBatch.id)
        .limit(1)
    )
    if batch is None and "-" in code:
        wave, _, n = code.rpartition("-")
        if n.isdigit():
            batch = s.scalar(
                select(PickBatch)
                .join(Wave, Wave.id == PickBatch.wave_id)
                .where(Wave.number == wave, PickBatch.number == int(n))
            )
    if batch is None:
        raise NotFound(what="Batch", key=code)
    return batch


def check_batch(s: Session, batch: PickBatch) -> Wave:
    wave = s.get_one(Wave, batch.wave_id)
    label = batch_label(wave.number, batch.number)
    if wave.pick_method != PickMethod.SINGLE_UNIT.value:
        raise NotSingleUnitBatch(batch=label, why=WHY_WORDS["method"])
    if batch.status != BatchStatus.PICKED.value:
        raise NotSingleUnitBatch(batch=label, why=WHY_WORDS["status"])
    return wave


# --- the view ----------------------------------------------------------------------------------


def build_view(s: Session, batch: PickBatch, wave: Wave) -> SingleUnitView:
    """Orders packed, left per SKU, the last label: three statements."""
    counts = dict(
        s.execute(
            select(Order.status, func.count(Order.id))
            .join(WaveOrder, WaveOrder.order_id == Order.id)
            .where(WaveOrder.batch_id == batch.id)
            .group_by(Order.status)
        )
        .tuples()
        .all()
    )
    skus = s.execute(
        select(Product.id, Product.sku, Product.name, func.count(func.distinct(Order.id)))
        .join(OrderLine, OrderLine.product_id == Product.id)
        .join(Order, Order.id == OrderLine.order_id)
        .join(WaveOrder, WaveOrder.order_id == Order.id)
        .where(WaveOrder.batch_id == batch.id, Order.status == PICKED)
        .group_by(Product.id, Product.sku, Product.name)
        .order_by(func.count(func.distinct(Order.id)).desc(), Product.sku)
    ).all()
    last = s.execute(
        select(Order.number, Parcel.tracking_number, Parcel.label_job_id, Parcel.labelled_at)
        .join(Order, Order.id == Parcel.order_id)
        .join(WaveOrder, WaveOrder.order_id == Order.id)
        .where(WaveOrder.batch_id == batch.id, Parcel.status.in_(("labelled", "shipped")))
        .order_by(Parcel.labelled_at.desc(), Parcel.id.desc())
        .limit(1)
    ).first()
    return SingleUnitView(
        batch_id=batch.id,
        batch=batch_label(wave.number, batch.number),
        tote=batch.bulk_tote,
        orders=sum(counts.values()),
        packed=sum(n for st, n in counts.items() if st in PACKED),
        left=counts.get(PICKED, 0),
        in_progress=counts.get(OrderStatus.PACKING.value, 0),
        skus=tuple(SkuLeft(int(p), sku, name, int(n)) for p, sku, name, n in skus),
        last=LastLabel(last[0], last[1] or "", last[2], last[3]) if last else None,
    )


@writes(Permission.PACK)
def open_single_unit(uow: UnitOfWork, actor: Actor, text: str) -> SingleUnitView:
    """Start (or go on with) a single-unit batch at the station: ``text`` is its bulk tote or
    its pick-list barcode. Refused for a batch that is not a picked single-unit batch, or whose
    orders are all packed. Audited."""
    with uow:
        actor = uow.require(actor, Permission.PACK)
        s = uow.session
        batch = find_batch(s, text)
        wave = check_batch(s, batch)
        view = build_view(s, batch, wave)
        if view.left == 0 and view.in_progress == 0:
            raise BatchAllPacked(batch=view.batch)
        uow.audit(
            actor, "pack.single_unit.open", "pick_batch", view.batch, None,
            {"scanned": text.strip()[:128], "left": view.left},
        )  # fmt: skip
        uow.commit()
        return view


@reads
def single_unit_view(uow: UnitOfWork, actor: Actor, batch_id: int) -> SingleUnitView:
    """The batch as it stands: orders packed and left, orders left per SKU, the last label."""
    with uow:
        uow.require(actor, Permission.PACK)
        s = uow.session
        batch = s.get(PickBatch, batch_id)
        if batch is None:
            raise NotFound(what="Batch", key=str(batch_id))
        return build_view(s, batch, s.get_one(Wave, batch.wave_id))


@reads
def resume_single_unit(uow: UnitOfWork, actor: Actor) -> SingleUnitView | None:
    """The single-unit batch this station worked last, when it still has orders to pack."""
    with uow:
        uow.require(actor, Permission.PACK)
        s = uow.session
        batch_id = s.scalar(
            select(PackSession.batch_id)
            .where(
                PackSession.station_id == actor.station_id,
                PackSession.mode == SINGLE,
                PackSession.batch_id.is_not(None),
            )
            .order_by(PackSession.id.desc())
            .limit(1)
        )
        batch = s.get(PickBatch, batch_id) if batch_id is not None else None
        if batch is None:
            return None
        view = build_view(s, batch, s.get_one(Wave, batch.wave_id))
        return view if view.left or view.in_progress else None
