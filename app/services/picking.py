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
    StockLevel,
    Wave,
    utcnow,
)
from app.db.uow import UnitOfWork
from app.devices.base import RawScan
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
from app.services import scanning
from app.services.access import reads, writes
from app.services.allocation import local_today
from app.services.layout_store import access_point, aisle_lines, load_layout
from app.services.layout_views import LayoutView, RouteStopView
from app.services.layouts import read_layout_view
from app.services.pick_done import finish_if_done
from app.services.pick_load import OPEN, Head, TaskFacts, read_head, read_tasks
from app.services.pick_moves import TOTE_KIND, put_units, swap_lot
from app.services.pick_short import record_short
from app.services.pick_totes import change_tote, tote_taken


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


def _tote_of(batch: PickBatch, task: PickTask, facts: TaskFacts) -> str:
    if task.tote_slot is not None and facts.tote_code:
        return facts.tote_code
    if batch.bulk_tote:
        return batch.bulk_tote
    raise ValidationError(
        "Batch {batch} has no tote for this task: ask a supervisor to plan the wave again.",
        batch=batch.id,
    )


def _state(batch: PickBatch, task: PickTask, facts: TaskFacts) -> TaskState:
    return TaskState(
        location_id=task.location_id,
        location=facts.location,
        product_id=task.product_id,
        sku=facts.sku,
        qty=task.qty,
        qty_picked=task.qty_picked,
        tote=_tote_of(batch, task, facts),
        lot_id=task.lot_id,
        lot=facts.lot,
        lot_tracked=facts.lot_tracked,
        expiry_tracked=facts.expiry_tracked,
        serial_tracked=facts.serial_tracked,
        step=task.step,
        held_qty=task.held_qty,
        held_lot_id=task.held_lot_id,
        serials=tuple(str(x) for x in task.serials or ()),
        bulk=task.tote_slot is None,
    )


def _task_view(batch: PickBatch, task: PickTask, facts: TaskFacts) -> TaskView:
    state = _state(batch, task, facts)
    key, params = prompt(state)
    return TaskView(
        task.id,
        task.seq,
        state.location,
        facts.sku,
        facts.name,
        task.qty,
        task.qty_picked,
        task.held_qty,
        state.lot,
        f"{facts.expiry:%Y-%m-%d}" if facts.expiry else "",
        state.tote,
        task.tote_slot,
        task.step,
        task.status == TaskStatus.SKIPPED.value,
        facts.image_path,
        key,
        params,
    )


def _stops(layout: Layout | None, rows: list[tuple[PickTask, TaskFacts]]) -> dict[int, Stop]:
    """Each task location's stop (its code and access point); none without a layout, and none
    for a location whose aisle is not in it."""
    if layout is None:
        return {}
    aisles = aisle_lines(layout)
    out: dict[int, Stop] = {}
    for task, f in rows:
        point = access_point(aisles, f.aisle, f.y)
        if point is not None:
            out[task.location_id] = Stop(f.location, point)
    return out


def _walked(layout: Layout | None, stops: list[Stop]) -> float:
    if layout is None or not stops:
        return 0.0
    here: Point = layout.depot_point()
    total = 0.0
    for stop in stops:
        total += walk_distance(layout, here, stop.point)
        here = stop.point
    return round(total, 1)


def _view(
    uow: UnitOfWork,
    batch: PickBatch,
    wave: Wave,
    rows: list[tuple[PickTask, TaskFacts]] | None = None,
) -> PickView:
    """The batch as the pick screen shows it (inside the caller's unit of work); ``rows`` are
    its tasks when the caller read them already (``pick_load.read_tasks``)."""
    if rows is None:
        rows = read_tasks(uow.session, batch.id)
    finished = [r for r in rows if r[0].status not in OPEN]
    finished.sort(key=lambda r: (r[0].done_at or datetime.min, r[0].seq))
    todo = [r for r in rows if r[0].status in OPEN]
    layout = load_layout(uow, wave.warehouse_id)
    places = _stops(layout, rows)

    def stops(part: list[tuple[PickTask, TaskFacts]]) -> list[Stop]:
        return [places[t.location_id] for t, _ in part if t.location_id in places]

    done_stops = stops(finished)
    route = stops(todo)
    planned = batch.planned_m
    if not planned and layout is not None:
        planned = route_length(layout, stops(rows))
    current = todo[0] if todo else None
    visits = list({st.key: st for st in route}.values())  # two orders' tasks at one place
    path = walk_path(layout, visits) if layout is not None and visits else []
    map_stops = tuple(
        RouteStopView(n, st.key, st.point.x, st.point.y, st.point.aisle)
        for n, st in enumerate(visits, 1)
    )
    return PickView(
        batch.id,
        f"{wave.number}-{batch.number}",
        wave.pick_method,
        batch.status,
        _task_view(batch, *current) if current else None,
        len(finished),
        len(rows),
        _walked(layout, done_stops),
        round(planned, 1),
        batch.started_at,
        layout,
        tuple(route),
        tuple(done_stops),
        tuple(path),
        map_stops,
        wave.warehouse_id,
    )


def _head(uow: UnitOfWork, actor: Actor, batch_id: int, scan_text: str | None = None) -> Head:
    """The batch in hand with its current task (``pick_load.HEAD``), the actor checked for
    ``PICK`` against the user row read in the same statement."""
    head = read_head(uow.session, batch_id, actor.user_id, scan_text)
    if head is None or actor.user_id is None:
        uow.require(actor, Permission.PICK)
    else:
        uow.require_read(actor, Permission.PICK, *head.user_row)
    if head is None:
        raise ValidationError("Batch {batch} does not exist: press Get work.", batch=batch_id)
    batch = head.batch
    if batch.claimed_by != actor.user_id and batch.status == BatchStatus.PICKING.value:
        raise ValidationError(
            "Batch {batch} is being picked by someone else: press Get work.", batch=batch_id
        )
    return head


@reads
def pick_map(uow: UnitOfWork, actor: Actor, batch_id: int) -> LayoutView:
    """The layout of the batch's warehouse with its locations, for the pick screen's map."""
    with uow:
        return read_layout_view(uow, _head(uow, actor, batch_id).wave.warehouse_id)


@reads
def pick_view(uow: UnitOfWork, actor: Actor, batch_id: int) -> PickView:
    """The batch in hand: the current task, progress and the walk."""
    with uow:
        head = _head(uow, actor, batch_id)
        return _view(uow, head.batch, head.wave)


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
    uow: UnitOfWork,
    event: ScanEvent,
    batch: PickBatch,
    task: PickTask,
    tote: str,
    loc_kind: str | None,
) -> PickInput:
    """A classified scan as the scan sequence reads it: a tote location (``loc_kind``: the
    kind of the location it named, read with the batch) or the expected tote's code is a tote;
    GS1 lot and serial come along; a reason barcode is a reason."""
    kind, code = event.kind, event.code
    if kind is ScanKind.LOCATION and event.entity_id is not None:
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


def _scanned_text(scan: ScanEvent | PickInput) -> str | None:
    """The text whose location (if any) the batch's statement reads the kind of."""
    if isinstance(scan, ScanEvent) and scan.kind is ScanKind.LOCATION:
        return scan.text
    return None


@writes(Permission.PICK)
def pick_scan(
    uow: UnitOfWork,
    actor: Actor,
    batch_id: int,
    scan: ScanEvent | PickInput | RawScan | str,
) -> ScanResult:
    """One scan (or button) for the batch in hand: decided by the scan sequence, its effects
    written, refusals audited as ``pick.refused`` with what was scanned.

    ``scan`` is a classified scan (``scanning.classify``), a button, or the scan as read (text
    or ``RawScan``): then it is classified here, in this unit of work, its look-up one more
    statement. A location, product or tote scan costs three statements besides the stock
    moves of a put: the batch with its current task, the task's update, and the batch's tasks
    for the screen (``pick_load``), with the layout."""
    with uow:
        given_scan: ScanEvent | PickInput
        if isinstance(scan, (str, RawScan)):
            prepared = scanning.prepare_scan(scan)
            looked_up: Any = ()
            if prepared.event is None:
                looked_up = uow.session.execute(scanning.LOOKUP, prepared.lookup).all()
            head = _head(uow, actor, batch_id, prepared.text if prepared.event is None else None)
            given_scan = scanning.decide_scan(prepared, looked_up, head.patterns)
        else:
            head = _head(uow, actor, batch_id, _scanned_text(scan))
            given_scan = scan
        batch, task, facts = head.batch, head.task, head.facts
        if batch.status != BatchStatus.PICKING.value:
            raise ValidationError(
                "Batch {batch} is not being picked: press Get work.", batch=batch_id
            )
        if task is None or facts is None:
            raise ValidationError("Batch {batch} has nothing left to pick.", batch=batch_id)
        if batch.started_at is None:
            batch.started_at = utcnow()
        state = _state(batch, task, facts)
        given = (
            given_scan
            if isinstance(given_scan, PickInput)
            else _to_input(uow, given_scan, batch, task, state.tote, head.scanned_location_kind)
        )
        outcome = accept(state, given, Rules(local_today(), head.rules.min_shelf_life_days))
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
            uow.session.flush()
            view = _view(uow, batch, head.wave)
            uow.commit()
            return ScanResult(False, outcome.message, outcome.params, str(outcome.refusal), view)
        assert outcome.state is not None
        _apply(
            uow, actor, batch, task, outcome.effect, outcome, state, head.wave,
            head.scanned_location,
        )  # fmt: skip
        uow.session.flush()
        rows = read_tasks(uow.session, batch.id)
        if not any(t.status in OPEN for t, _ in rows):
            finish_if_done(uow, actor, batch, left=0)
            uow.session.flush()
        view = _view(uow, batch, head.wave, rows)
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
    wave: Wave,
    scanned: Location | None = None,
) -> None:
    new: TaskState = outcome.state
    if effect is Effect.SWAP_LOT:
        swap_lot(uow, actor, task, outcome.lot_id)
    if effect is Effect.PUT:
        put_units(
            uow, actor, task, outcome.put_qty, before.tote, wave.warehouse_id, scanned=scanned
        )
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
