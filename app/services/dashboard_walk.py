"""Pick distance for the dashboard: what each batch finished today walked, against the S-shape
walk of the same stops.

**Walked** is the route the picker's scans took: the batch's done and short tasks in the order
they were done (``pick_tasks.done_at``), from the depot and back, on the warehouse layout
(``app.services.wave_walk.walk_for``: the drawn layout, or the one made up from the locations'
coordinates). **S-shape** is the classic heuristic over the same stops
(``app.domain.routing.s_shape_route``): every aisle with a pick walked through. **Planned** is
the route the wave planner gave the batch (``pick_batches.planned_m``). Routing a finished batch
never changes, so each batch's two lengths are kept in a small cache per process, keyed by the
batch and when it started and finished (microseconds: a database made again, with the same
batch numbers, is not mistaken for the old one): a refresh every minute routes only the
batches finished since.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.db.models import PickBatch, PickTask, Wave
from app.db.uow import UnitOfWork
from app.domain.dashboard import Day, bucket_of
from app.domain.routing import route_length, s_shape_route
from app.domain.waves import BatchStatus, TaskStatus
from app.services.access import step
from app.services.dashboard_sql import within
from app.services.wave_walk import walk_for

#: finished batches whose lengths are remembered (about a busy week of batches)
CACHE_SIZE = 5000
_cache: OrderedDict[tuple[str, int, datetime | None, datetime], tuple[float, float]] = OrderedDict()
_lock = threading.Lock()


@dataclass(frozen=True)
class BatchWalk:
    """One batch finished today: its local hour number, and its three lengths in metres."""

    batch_id: int
    bucket: int
    walked_m: float
    s_shape_m: float
    planned_m: float


Finished = tuple[int, int, datetime, float, datetime | None]


def _finished(uow: UnitOfWork, day: Day) -> list[Finished]:
    rows = uow.session.execute(
        select(
            PickBatch.id,
            Wave.warehouse_id,
            PickBatch.finished_at,
            PickBatch.planned_m,
            PickBatch.started_at,
        )
        .join(Wave, Wave.id == PickBatch.wave_id)
        .where(within(PickBatch.finished_at, day), PickBatch.status == BatchStatus.PICKED.value)
        .order_by(PickBatch.finished_at, PickBatch.id)
    ).tuples()
    return [(int(b), int(w), f, float(p or 0.0), st) for b, w, f, p, st in rows if f is not None]


def _stops_done(uow: UnitOfWork, batch_ids: list[int]) -> dict[int, list[int]]:
    """Each batch's locations in the order their tasks were done."""
    out: dict[int, list[int]] = defaultdict(list)
    for i in range(0, len(batch_ids), 500):
        rows = uow.session.execute(
            select(PickTask.batch_id, PickTask.location_id)
            .where(
                PickTask.batch_id.in_(batch_ids[i : i + 500]),
                PickTask.status.in_((TaskStatus.DONE.value, TaskStatus.SHORT.value)),
                PickTask.done_at.is_not(None),
            )
            .order_by(PickTask.batch_id, PickTask.done_at, PickTask.seq, PickTask.id)
        ).tuples()
        for batch, location in rows:
            out[int(batch)].append(int(location))
    return out


def _route(
    uow: UnitOfWork, warehouse_id: int, todo: dict[int, list[int]]
) -> dict[int, tuple[float, float]]:
    """(walked, S-shape) metres of each batch of one warehouse, on one walk model."""
    walk = walk_for(uow, warehouse_id, {x for locs in todo.values() for x in locs})
    out: dict[int, tuple[float, float]] = {}
    for batch, locations in todo.items():
        stops = [walk.stop(x) for x in locations if x in walk.points]
        if not stops:
            out[batch] = (0.0, 0.0)
            continue
        walked = route_length(walk.layout, stops)
        out[batch] = (round(walked, 1), round(s_shape_route(walk.layout, stops).length_m, 1))
    return out


@step
def batch_walks(uow: UnitOfWork, day: Day, database: str) -> list[BatchWalk]:
    """The batches finished on ``day`` with their lengths (inside the caller's unit of work);
    ``database`` names the database so two databases never share cached lengths."""
    batches = _finished(uow, day)
    keys = {b: (database, b, st, f) for b, _, f, _, st in batches}
    with _lock:
        known = {b: _cache[k] for b, k in keys.items() if k in _cache}
    missing = [b for b, *_ in batches if b not in known]
    by_wh: dict[int, dict[int, list[int]]] = defaultdict(dict)
    if missing:
        stops = _stops_done(uow, missing)
        for b, wh, *_ in batches:
            if b not in known:
                by_wh[wh][b] = stops.get(b, [])
    fresh: dict[int, tuple[float, float]] = {}
    for wh, todo in by_wh.items():
        fresh.update(_route(uow, wh, todo))
    with _lock:
        for b, k in keys.items():
            if b in fresh:
                _cache[k] = fresh[b]
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    lengths = known | fresh
    return [
        BatchWalk(b, bucket_of(f, day), lengths[b][0], lengths[b][1], round(p, 1))
        for b, _, f, p, _ in batches
    ]
