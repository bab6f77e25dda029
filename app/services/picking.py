"""Picking a batch: what the pick screen shows, and one unit of work per scan.

``pick_view`` is the batch in hand as the screen shows it: the current task (the open or
skipped task with the lowest ``seq``), progress, the distance walked of the planned distance,
and the walk for the map. ``pick_scan`` feeds one scan (or a button: skip, short, a reason) to
the scan sequence (``app.domain.picking``), writes what it decided (state on the task, stock
moves, a short pick, a skip) and, when nothing is left to pick, closes the batch: ``picked``,
its orders ``picking -> picked`` (pick to tote and single-unit batches; pick-then-sort orders
wait for the sort wall), and the wave ``picked`` once all its batches are.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from app.db.models import (
    Location,
    Lot,
    PickBatch,
    PickTask,
    Product,
    StockLevel,
    Wave,
    WaveOrder,
    utcnow,
)
from app.db.uow import UnitOfWork
from app.domain.errors import ValidationError
from app.domain.layout import Layout, Point, walk_distance
from app.domain.picking import (
    NEW_TOTE_STEP,
    PICK_MESSAGES,
    Effect,
    LotOption,
    PickInput,
    Rules,
    TaskState,
    accept,
    parse_reason,
    prompt,
)
from app.domain.routing import Stop, route_length, walk_path
from app.domain.scans import ScanEvent, ScanKind
from app.domain.users import Actor, Permission
from app.domain.waves import BatchStatus, PickMethod, TaskStatus
from app.services.access import reads, writes
from app.services.allocation import local_today, read_rules
from app.services.layout_store import load_layout, located_points
from app.services.layout_views import LayoutView, RouteStopView
from app.services.layouts import read_layout_view
from app.services.pick_done import finish_if_done
from app.services.pick_moves import TOTE_KIND, put_units, swap_lot
from app.services.pick_short import record_short
from app.services.pick_totes import change_tote, tote_taken

OPEN = (TaskStatus.OPEN.value, TaskStatus.SKIPPED.value)


@dataclass(frozen=True)
class TaskView:
    task_id: int
    seq: int
    location: str
    sku: str
    name: str
    qty: int
    qty_picked: int
    held_qty: int
    lot: str
    expiry: str
    tote: str
    tote_slot: int | None
    step: str
    skipped: bool
    image_path: str
    #: what to scan next: a key of PICK_MESSAGES and its values
    prompt: str
    prompt_params: dict[str, Any]

    @property
    def prompt_template(self) -> str:
        return PICK_MESSAGES[self.prompt]


@dataclass(frozen=True)
class PickView:
    batch_id: int
    #: W000123-2
    label: str
    pick_method: str
    status: str
    task: TaskView | None
    tasks_done: int
    tasks_total: int
    walked_m: float
    planned_m: float
    started_at: datetime | None
    layout: Layout | None
    #: the walk still to come, current task first (location code, access point)
    route: tuple[Stop, ...]
    #: the stops done, in the order they were done
    done_stops: tuple[Stop, ...]
    #: the walk still to come drawn on the map: from the depot through the stops to come,
    #: numbered from 1, and back
    map_path: tuple[tuple[float, float], ...] = ()
    map_stops: tuple[RouteStopView, ...] = ()
    warehouse_id: int = 0

    @property
    def done(self) -> bool:
        return self.status == BatchStatus.PICKED.value

    @property
    def to_sort_wall(self) -> bool:
        return self.pick_method == PickMethod.PICK_SORT.value


@dataclass(frozen=True)
class ScanResult:
    accepted: bool
    #: a key of PICK_MESSAGES and its values
    message: str
    params: dict[str, Any]
    refusal: str
    view: PickView

    @property
    def template(self) -> str:
        return PICK_MESSAGES[self.message]


# --- reading ------------------------------------------------------------------------------------


def _batch(uow: UnitOfWork, actor: Actor, batch_id: int) -> PickBatch:
    batch = uow.session.get(PickBatch, batch_id)
    if batch is None:
        raise ValidationError("Batch {batch} does not exist: press Get work.", batch=batch_id)
    if batch.claimed_by != actor.user_id and batch.status == BatchStatus.PICKING.value:
        raise ValidationError(
            "Batch {batch} is being picked by someone else: press Get work.", batch=batch_id
        )
    return batch


def _current(uow: UnitOfWork, batch_id: int) -> PickTask | None:
    return uow.session.scalar(
        select(PickTask)
        .where(PickTask.batch_id == batch_id, PickTask.status.in_(OPEN))
        .order_by(PickTask.seq, PickTask.id)
        .limit(1)
    )


def _tote_of(uow: UnitOfWork, batch: PickBatch, task: PickTask) -> str:
    s = uow.session
    if task.tote_slot is not None:
        code = s.scalar(
            select(WaveOrder.tote_code).where(
                WaveOrder.batch_id == batch.id, WaveOrder.tote_slot == task.tote_slot
            )
        )
        if code:
            return code
    if batch.bulk_tote:
        return batch.bulk_tote
    raise ValidationError(
        "Batch {batch} has no tote for this task: ask a supervisor to plan the wave again.",
        batch=batch.id,
    )


def _state(uow: UnitOfWork, batch: PickBatch, task: PickTask) -> TaskState:
    s = uow.session
    product = s.get_one(Product, task.product_id)
    lot = s.get(Lot, task.lot_id) if task.lot_id else None
    return TaskState(
        location_id=task.location_id,
        location=s.get_one(Location, task.location_id).code,
        product_id=product.id,
        sku=product.sku,
        qty=task.qty,
        qty_picked=task.qty_picked,
        tote=_tote_of(uow, batch, task),
        lot_id=task.lot_id,
        lot=lot.lot_number if lot else "",
        lot_tracked=product.lot_tracked,
        expiry_tracked=product.expiry_tracked,
        serial_tracked=product.serial_tracked,
        step=task.step,
        held_qty=task.held_qty,
        held_lot_id=task.held_lot_id,
        serials=tuple(str(x) for x in task.serials or ()),
        bulk=task.tote_slot is None,
    )


def _task_view(uow: UnitOfWork, batch: PickBatch, task: PickTask) -> TaskView:
    s = uow.session
    state = _state(uow, batch, task)
    product = s.get_one(Product, task.product_id)
    lot = s.get(Lot, task.lot_id) if task.lot_id else None
    key, params = prompt(state)
    return TaskView(
        task.id,
        task.seq,
        state.location,
        product.sku,
        product.name,
        task.qty,
        task.qty_picked,
        task.held_qty,
        state.lot,
        f"{lot.expiry_date:%Y-%m-%d}" if lot and lot.expiry_date else "",
        state.tote,
        task.tote_slot,
        task.step,
        task.status == TaskStatus.SKIPPED.value,
        product.image_path,
        key,
        params,
    )


def _places(
    uow: UnitOfWork, wh: int, layout: Layout | None, tasks: list[PickTask]
) -> dict[int, Stop]:
    """Each task location's stop (its code and access point), in one statement."""
    found = located_points(uow, wh, [t.location_id for t in tasks], layout)
    return {loc_id: Stop(code, point) for loc_id, (code, point) in found.items()}


def _stops(places: dict[int, Stop], tasks: list[PickTask]) -> list[Stop]:
    return [places[t.location_id] for t in tasks if t.location_id in places]


def _walked(layout: Layout | None, stops: list[Stop]) -> float:
    if layout is None or not stops:
        return 0.0
    here: Point = layout.depot_point()
    total = 0.0
    for stop in stops:
        total += walk_distance(layout, here, stop.point)
        here = stop.point
    return round(total, 1)


def _view(uow: UnitOfWork, batch: PickBatch) -> PickView:
    """The batch as the pick screen shows it (inside the caller's unit of work)."""
    s = uow.session
    wave = s.get_one(Wave, batch.wave_id)
    tasks = list(
        s.scalars(
            select(PickTask)
            .where(PickTask.batch_id == batch.id, PickTask.status != TaskStatus.CANCELLED.value)
            .order_by(PickTask.seq, PickTask.id)
        )
    )
    finished = [t for t in tasks if t.status not in OPEN]
    finished.sort(key=lambda t: (t.done_at or datetime.min, t.seq))
    todo = [t for t in tasks if t.status in OPEN]
    layout = load_layout(uow, wave.warehouse_id)
    places = _places(uow, wave.warehouse_id, layout, tasks)
    done_stops = _stops(places, finished)
    route = _stops(places, todo)
    planned = batch.planned_m
    if not planned and layout is not None:
        planned = route_length(layout, _stops(places, tasks))
    current = todo[0] if todo else None
    visits = list({st.key: st for st in route}.values())  # two orders' tasks at one place
    path = walk_path(layout, visits) if layout is not None and visits else []
    stops = tuple(
        RouteStopView(n, st.key, st.point.x, st.point.y, st.point.aisle)
        for n, st in enumerate(visits, 1)
    )
    return PickView(
        batch.id,
        f"{wave.number}-{batch.number}",
        wave.pick_method,
        batch.status,
        _task_view(uow, batch, current) if current else None,
        len(finished),
        len(tasks),
        _walked(layout, done_stops),
        round(planned, 1),
        batch.started_at,
        layout,
        tuple(route),
        tuple(done_stops),
        tuple(path),
        stops,
        wave.warehouse_id,
    )


@reads
def pick_map(uow: UnitOfWork, actor: Actor, batch_id: int) -> LayoutView:
    """The layout of the batch's warehouse with its locations, for the pick screen's map."""
    with uow:
        uow.require(actor, Permission.PICK)
        wave = uow.session.get_one(Wave, _batch(uow, actor, batch_id).wave_id)
        return read_layout_view(uow, wave.warehouse_id)


@reads
def pick_view(uow: UnitOfWork, actor: Actor, batch_id: int) -> PickView:
    """The batch in hand: the current task, progress and the walk."""
    with uow:
        uow.require(actor, Permission.PICK)
        return _view(uow, _batch(uow, actor, batch_id))


# --- a scan -------------------------------------------------------------------------------------


def _lot_option(uow: UnitOfWork, task: PickTask, lot_number: str) -> LotOption | None:
    s = uow.session
    lot = s.scalar(
        select(Lot).where(Lot.product_id == task.product_id, Lot.lot_number == lot_number)
    )
    if lot is None:
        return None
    free = s.scalar(
        select(func.coalesce(func.sum(StockLevel.on_hand - StockLevel.reserved), 0)).where(
            StockLevel.location_id == task.location_id,
            StockLevel.product_id == task.product_id,
            StockLevel.lot_id == lot.id,
        )
    )
    return LotOption(lot.id, lot.lot_number, int(free or 0), lot.expiry_date)


def _to_input(
    uow: UnitOfWork, event: ScanEvent, batch: PickBatch, task: PickTask, tote: str
) -> PickInput:
    """A classified scan as the scan sequence reads it: a tote location or the expected tote's
    code is a tote; GS1 lot and serial come along; a reason barcode is a reason."""
    kind, code = event.kind, event.code
    if kind is ScanKind.LOCATION and event.entity_id is not None:
        loc_kind = uow.session.scalar(select(Location.kind).where(Location.id == event.entity_id))
        if loc_kind == TOTE_KIND:
            kind = ScanKind.TOTE
    elif kind is ScanKind.UNKNOWN and event.text.strip().upper() == tote.strip().upper():
        kind, code = ScanKind.TOTE, event.text.strip()
    lot = event.gs1.lot if event.gs1 else ""
    option = _lot_option(uow, task, lot) if lot and kind is ScanKind.PRODUCT else None
    taken = (
        task.step == NEW_TOTE_STEP
        and kind is ScanKind.TOTE
        and tote_taken(uow.session, batch, task, code or event.text)
    )
    return PickInput(
        kind,
        event.text,
        event.entity_id,
        code,
        event.command,
        event.quantity,
        lot,
        event.gs1.serial if event.gs1 else "",
        option,
        parse_reason(event.text),
        taken,
    )


def _save_state(task: PickTask, state: TaskState) -> None:
    task.step, task.held_qty, task.held_lot_id = state.step, state.held_qty, state.held_lot_id
    task.serials = list(state.serials) or None


def _skip(uow: UnitOfWork, task: PickTask) -> None:
    last = uow.session.scalar(
        select(func.max(PickTask.seq)).where(PickTask.batch_id == task.batch_id)
    )
    task.seq = int(last or 0) + 1
    task.status = TaskStatus.SKIPPED.value


@writes(Permission.PICK)
def pick_scan(
    uow: UnitOfWork, actor: Actor, batch_id: int, scan: ScanEvent | PickInput
) -> ScanResult:
    """One scan (or button) for the batch in hand: decided by the scan sequence, its effects
    written, refusals audited as ``pick.refused`` with what was scanned."""
    with uow:
        uow.require(actor, Permission.PICK)
        batch = _batch(uow, actor, batch_id)
        if batch.status != BatchStatus.PICKING.value:
            raise ValidationError(
                "Batch {batch} is not being picked: press Get work.", batch=batch_id
            )
        task = _current(uow, batch.id)
        if task is None:
            raise ValidationError("Batch {batch} has nothing left to pick.", batch=batch_id)
        if batch.started_at is None:
            batch.started_at = utcnow()
        state = _state(uow, batch, task)
        given = (
            scan if isinstance(scan, PickInput) else _to_input(uow, scan, batch, task, state.tote)
        )
        rules = read_rules(uow.session)
        outcome = accept(state, given, Rules(local_today(), rules.min_shelf_life_days))
        if not outcome.accepted:
            uow.audit(
                actor,
                "pick.refused",
                "pick_task",
                task.id,
                {"step": task.step, "held": task.held_qty},
                {
                    "refusal": str(outcome.refusal),
                    "scanned": given.code or given.text,
                    "kind": given.kind.value,
                },
            )
            uow.commit()
            return ScanResult(
                False, outcome.message, outcome.params, str(outcome.refusal), _view(uow, batch)
            )
        assert outcome.state is not None
        _apply(uow, actor, batch, task, outcome.effect, outcome, state)
        finish_if_done(uow, actor, batch)
        uow.session.flush()
        view = _view(uow, batch)
        uow.commit()
        return ScanResult(True, outcome.message, outcome.params, "", view)


def _apply(
    uow: UnitOfWork,
    actor: Actor,
    batch: PickBatch,
    task: PickTask,
    effect: Effect,
    outcome: Any,
    before: TaskState,
) -> None:
    new: TaskState = outcome.state
    if effect is Effect.SWAP_LOT:
        swap_lot(uow, actor, task, outcome.lot_id)
    if effect is Effect.PUT:
        wh = uow.session.get_one(Wave, batch.wave_id).warehouse_id
        put_units(uow, actor, task, outcome.put_qty, before.tote, wh)
        if task.qty_picked >= task.qty:
            task.status, task.done_at, task.done_by = TaskStatus.DONE.value, utcnow(), actor.user_id
        elif task.status == TaskStatus.SKIPPED.value:
            task.status = TaskStatus.OPEN.value
        uow.audit(
            actor,
            "pick.put",
            "pick_task",
            task.id,
            {"qty_picked": before.qty_picked},
            {"qty_picked": task.qty_picked, "tote": before.tote},
        )
    if effect is Effect.NEW_TOTE:
        change_tote(uow, actor, batch, task, before.tote, outcome.tote)
    if effect is Effect.SKIP:
        old_seq = task.seq
        _skip(uow, task)
        uow.audit(actor, "pick.skip", "pick_task", task.id, {"seq": old_seq}, {"seq": task.seq})
    if effect is Effect.SHORT:
        _save_state(task, replace(new, step="location"))
        record_short(uow, actor, batch, task, outcome.reason)
        return
    _save_state(task, new)
