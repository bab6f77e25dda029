"""Single-unit batches at the pack station (一单一品, 扫描即打): scan a unit, its label prints.

A single-unit wave picks orders of exactly one unit in bulk: each batch's units lie in one bulk
tote (``pick_batches.bulk_tote``, a cart's ``CODE-BULK``), reserved there for their orders. At
the bench the packer **opens the batch** (``open_single_unit``: scan its bulk tote or its
pick-list barcode ``W000123-2``), then **each unit scanned** (``single_scan``):

1. picks the OLDEST order of the batch (by ``placed_at``, then id) that still needs that SKU and
   is still ``picked`` (with a GS1 lot, one whose unit was picked in that lot); on PostgreSQL
   that order's row is taken ``FOR UPDATE SKIP LOCKED``, so two stations working the same
   batch and scanning the same SKU never pack the same order: the second one skips to the
   next order instead of waiting; on SQLite the write lock serialises the scans;
2. opens it (a ``pack_sessions`` row, mode ``single_unit``), verifies the unit into parcel 1
   with the carton suggested for it, and
3. with the stable weight the screen passed (``weight_g``: the station has a scale) judges it
   like any parcel: inside the expectation, the order finishes at once (the pack core's
   ``pack_finish.finish``: rules, number, label and slip queued, units out of the tote,
   ``packed``); outside, the parcel is stopped (no label, a weight exception, the supervisor's
   badge), exactly as at a normal station. Without a weight: a station that must weigh
   (``require_weight``) answers "put it on the scale" and the order waits for its weight;
   otherwise the order finishes at once.

All of it is ONE unit of work per scan. While an order is open at the station (stopped at the
scale, waiting for its weight, the pool empty), ``single_scan`` refuses the next unit and names
that order: the screen sends the weight, the badge or the retry to ``packing.weigh`` /
``packing.scan`` / ``packing.override_weight`` / ``pack_finish.finish_now`` with the view's
``session_id`` as for any order, then goes on with ``single_scan``.

A unit no order of the batch still needs is refused plainly and logged (a mis-scan of the
station's shift).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import (
    Lot,
    Order,
    OrderLine,
    PackException,
    PackSession,
    Parcel,
    PickBatch,
    Reservation,
    StockLevel,
    WaveOrder,
    utcnow,
)
from app.db.uow import UnitOfWork
from app.domain import packing as rules
from app.domain.errors import NotFound, PackdeskError, ValidationError
from app.domain.orders import OrderStatus
from app.domain.scans import ScanEvent, ScanKind
from app.domain.users import Actor, Permission
from app.domain.weight_check import judge
from app.services import pack_finish, pack_state, package_types
from app.services.access import writes
from app.services.orders import transition
from app.services.pack_dto import ScanOutcome, WeightVerdict
from app.services.pack_open import new_parcel
from app.services.pack_scan import add_item, answer
from app.services.pack_single_batch import (
    PICKED,
    SINGLE,
    BatchAllPacked,
    LastLabel,
    NotSingleUnitBatch,
    SingleUnitView,
    SkuLeft,
    batch_label,
    check_batch,
    find_batch,
    open_single_unit,
    resume_single_unit,
    single_unit_view,
)
from app.services.pack_state import OPEN, State
from app.services.scanning import classify_in


class UnitNotNeeded(ValidationError):
    template = (
        "No order of batch {batch} still needs {sku}. Put the unit aside and tell a supervisor."
    )


class NotAUnit(ValidationError):
    template = "{code} is not a product. Scan a unit from the tote of batch {batch}."


class OrderOpenHere(ValidationError):
    template = (
        "Order {order} is still open at this station: {step}. Finish it first, then scan the "
        "next unit."
    )


#: what the order open at the station waits for (collected for translation)
STEP_WORDS = {
    "weigh": "put it on the scale",
    "override": "its weight is wrong: repack and weigh again, or a supervisor scans their badge",
    "retry": "its label could not be made: scan READ to try again",
    "scan_serial": "scan the serial number on the unit",
    "held": "it is held: put it aside for a supervisor",
    "other": "finish packing it, or release it",
}


__all__ = [
    "BatchAllPacked",
    "LastLabel",
    "NotSingleUnitBatch",
    "SingleUnitView",
    "SkuLeft",
    "find_batch",
    "open_single_unit",
    "resume_single_unit",
    "single_scan",
    "single_unit_view",
]

# --- a unit scanned ----------------------------------------------------------------------------


def _candidate(
    s: Session, batch_id: int, product_id: int, lot_id: int | None
) -> tuple[int, int] | None:
    """(order id, line id) of the oldest order of the batch still needing the product, its row
    locked; an order another station is taking (locked) is skipped, not waited for."""
    stmt = (
        select(Order.id, OrderLine.id)
        .join(WaveOrder, WaveOrder.order_id == Order.id)
        .join(OrderLine, OrderLine.order_id == Order.id)
        .where(
            WaveOrder.batch_id == batch_id,
            Order.status == PICKED,
            OrderLine.product_id == product_id,
        )
        .order_by(Order.placed_at, Order.id)
        .limit(1)
        .with_for_update(of=Order, skip_locked=True)
    )
    if lot_id is not None:
        in_lot = (
            select(Reservation.id)
            .join(StockLevel, StockLevel.id == Reservation.stock_level_id)
            .where(Reservation.order_line_id == OrderLine.id, StockLevel.lot_id == lot_id)
            .exists()
        )
        stmt = stmt.where(in_lot)
    row = s.execute(stmt).first()
    return (int(row[0]), int(row[1])) if row else None


def _open_here(s: Session, actor: Actor) -> PackSession | None:
    return s.scalar(
        select(PackSession).where(
            PackSession.station_id == actor.station_id, PackSession.status == OPEN
        )
    )


def _log_refusal(
    uow: UnitOfWork, actor: Actor, kind: str, error: PackdeskError, scanned: str
) -> None:
    """The refused unit is a mis-scan of the station's shift: logged, committed."""
    now = utcnow()
    uow.session.add(
        PackException(
            kind=kind,
            station_id=actor.station_id,
            user_id=actor.user_id,
            scanned=scanned[:128],
            message=error.template,
            params=dict(error.params),
            created_at=now,
            resolved_at=now,
            resolution="logged",
        )
    )
    uow.commit()


@writes(Permission.PACK)
def single_scan(
    uow: UnitOfWork, actor: Actor, batch_id: int, text: str, weight_g: int | None = None
) -> ScanOutcome:
    """A unit scanned at a station working single-unit batch ``batch_id`` (see the module):
    the oldest order still needing it is opened, verified, weighed (``weight_g``: the stable
    weight the screen read with the scan) and, inside the expectation, labelled and packed, in
    one unit of work. Raises (a ``PackdeskError``, logged as a mis-scan where it is one) for a
    scan that is not a product, a unit no order of the batch needs, and while an order is still
    open at the station."""
    with uow:
        actor = uow.require(actor, Permission.PACK)
        s = uow.session
        waiting = _open_here(s, actor)
        if waiting is not None:
            st = pack_state.load(s, waiting.id)
            step = STEP_WORDS.get(pack_state.view(s, st).next_step, STEP_WORDS["other"])
            raise OrderOpenHere(order=st.order.number, step=step)
        batch = s.get(PickBatch, batch_id)
        if batch is None:
            raise NotFound(what="Batch", key=str(batch_id))
        wave = check_batch(s, batch)
        label = batch_label(wave.number, batch.number)
        event = classify_in(uow, actor, text)
        if event.kind is not ScanKind.PRODUCT or event.entity_id is None:
            error = event.error or NotAUnit(code=event.text, batch=label)
            if event.kind is not ScanKind.COMMAND:
                _log_refusal(uow, actor, rules.WRONG_ITEM, error, event.text)
            raise error
        lot = event.gs1.lot if event.gs1 and event.gs1.lot else ""
        lot_id = _lot_id(s, event.entity_id, lot)
        found = _candidate(s, batch.id, event.entity_id, lot_id) if lot_id != -1 else None
        if found is None:
            error = UnitNotNeeded(batch=label, sku=event.code + (f" ({lot})" if lot else ""))
            _log_refusal(uow, actor, rules.WRONG_ITEM, error, event.text)
            raise error
        return _pack(uow, actor, batch, found, event, weight_g)


def _lot_id(s: Session, product_id: int, lot: str) -> int | None:
    """The scanned lot's id; None when no lot was scanned; -1 when the lot is unknown."""
    if not lot:
        return None
    found = s.scalar(select(Lot.id).where(Lot.product_id == product_id, Lot.lot_number == lot))
    return -1 if found is None else int(found)


def _pack(
    uow: UnitOfWork,
    actor: Actor,
    batch: PickBatch,
    found: tuple[int, int],
    event: ScanEvent,
    weight_g: int | None,
) -> ScanOutcome:
    s = uow.session
    order_id, line_id = found
    order = s.get_one(Order, order_id)
    ps = PackSession(
        order_id=order.id,
        station_id=actor.station_id,
        user_id=actor.user_id,
        status=OPEN,
        mode=SINGLE,
        batch_id=batch.id,
        from_status=order.status,
        opened_by_scan=event.text[:128],
    )
    s.add(ps)
    s.flush()
    parcel = new_parcel(s, actor, ps)
    transition(uow, actor, order, OrderStatus.PACKING, note="single-unit batch")
    st = pack_state.load(s, ps.id)
    serial = event.gs1.serial if event.gs1 and event.gs1.serial else None
    lot = event.gs1.lot if event.gs1 and event.gs1.lot else _picked_lot(st, line_id)
    add_item(uow, actor, st, line_id, int(event.entity_id or 0), lot, 1, serial, False, event.text)
    carton = package_types.suggest(s, pack_state.item_boxes(st, parcel.id))
    if carton is not None and carton.package_type_id is not None:
        parcel.package_type_id, parcel.package_source = carton.package_type_id, "suggested"
    params = {"sku": event.code, "done": 1, "qty": 1, "order": order.number}
    if st.pending_serial is not None:
        uow.commit()
        return answer(s, st, True, "serial_wanted", "serial_wanted", {"sku": event.code})
    if weight_g is not None:
        return _weigh(uow, actor, st, parcel, weight_g)
    if st.settings.require_weight and not order.pickup:
        uow.commit()
        return answer(s, st, True, "verified", "verified_last", params)
    done = pack_finish.finish(uow, actor, st)
    uow.commit()
    return _outcome(s, st, done)


def _picked_lot(st: State, line_id: int) -> str:
    line = st.line(line_id)
    return next(iter(line.lots), "") if line is not None and line.lots else ""


def _weigh(uow: UnitOfWork, actor: Actor, st: State, parcel: Parcel, weight_g: int) -> ScanOutcome:
    """The weight read with the scan, judged as the pack core judges any parcel."""
    s = uow.session
    key, exp = pack_state.weight_expected(s, st, parcel)
    v = judge(exp, weight_g)
    wv = WeightVerdict(
        v.ok, exp.expected_g, exp.low_g, exp.high_g, weight_g, v.direction, exp.history_n
    )
    parcel.weight_g, parcel.expected_g, parcel.weight_source = weight_g, exp.expected_g, "scale"
    parcel.contents_key = key
    params = {
        "actual": weight_g,
        "expected": exp.expected_g,
        "low": exp.low_g,
        "high": exp.high_g,
        "history_n": exp.history_n,
        "seq": parcel.seq,
    }
    if not v.ok:
        stop = PackException(
            kind="weight",
            order_id=st.order.id,
            parcel_id=parcel.id,
            session_id=st.ps.id,
            station_id=actor.station_id,
            user_id=actor.user_id,
            expected_g=exp.expected_g,
            actual_g=weight_g,
            message=rules.PACK_MESSAGES["weight_stopped"],
            params=params,
        )
        s.add(stop)
        s.flush()
        st.stopped[parcel.id] = stop
        uow.commit()
        return answer(
            s, st, False, "weight_stopped", "weight_stopped", params,
            refusal="weight", weight_verdict=wv,
        )  # fmt: skip
    done = pack_finish.finish(uow, actor, st)
    uow.commit()
    return _outcome(s, st, done, weight_verdict=wv)


def _outcome(s: Session, st: State, done: pack_finish.Finished, **extra: Any) -> ScanOutcome:
    """``pack_finish.outcome_of`` without reading the order again: the state in hand is the
    one the finish changed (objects are not expired on commit), one round of reads less per
    scan."""
    carrier = next((p.carrier_id for p in reversed(st.parcels) if p.carrier_id), None)
    view = pack_state.view(s, st, warnings=pack_state.pool_warnings(s, carrier))
    return ScanOutcome(
        ok=done.ok,
        kind=done.key if done.ok else ("held" if done.refusal == "held" else "refused"),
        message=rules.PACK_MESSAGES[done.key],
        params=done.params,
        view=view,
        refusal="" if done.ok else done.refusal,
        label_job_id=done.label_job_id,
        slip_job_id=done.slip_job_id,
        tracking_number=done.tracking,
        **extra,
    )
