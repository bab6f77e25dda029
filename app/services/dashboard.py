"""The supervisor's KPI dashboard: today's figures of the whole warehouse, read in one
read-only unit of work (each panel one statement counted by the database: see
``app.services.dashboard_sql`` for the statements and the indexes they use).

"Today" is the local day of the warehouse (the station's time zone unless one is given) and the
hours are local hours (``app.domain.dashboard``). The panels:

- **orders now**: orders in each open status (new ... packed), what is still to do; and
  **orders today**: orders that moved into each status today (packed, shipped, delivered,
  returned, cancelled...: what the day has done);
- **packed per hour**: orders and parcels labelled each hour (parcels not voided), by station
  and by packer (the user who packed the parcel);
- **pick walk**: per hour, the metres walked by the batches finished then, against the S-shape
  walk of the same stops, and the saving (``app.services.dashboard_walk``);
- **exceptions per hour**: refused scans at the pack stations (mis-scans), parcels stopped at
  the scale (weight) and refused scans at the pick screen;
- **cut-offs**: per carrier, parcels packed but not handed over and the time to its cut-off
  (the handover's ``cutoff_board``);
- **returns by reason**: units returned today by reason (the returns' lines).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from app.db.models import utcnow
from app.db.uow import UnitOfWork
from app.domain.dashboard import Day, bucket_of, hour_span, local_day, local_hour, saving_pct
from app.domain.users import Actor, Permission
from app.services import dashboard_sql as q
from app.services.access import reads
from app.services.dashboard_more import CutoffFigure, ReturnFigure, cutoff_figures, returns_today
from app.services.dashboard_walk import BatchWalk, batch_walks


@dataclass(frozen=True)
class PackedFigure:
    """Orders and parcels labelled in one local hour at one station by one packer."""

    hour: int
    station: str
    packer: str
    orders: int
    parcels: int


@dataclass(frozen=True)
class WalkFigure:
    """The pick batches finished in one local hour: metres walked, S-shape and planned."""

    hour: int
    batches: int
    walked_m: float
    s_shape_m: float
    planned_m: float

    @property
    def saving_pct(self) -> float | None:
        return saving_pct(self.walked_m, self.s_shape_m)


@dataclass(frozen=True)
class ExceptionFigure:
    """Refused scans and weight stops in one local hour."""

    hour: int
    mis_scans: int
    weight: int
    pick_refused: int


@dataclass(frozen=True)
class Dashboard:
    """Everything the dashboard shows, for one local day up to ``generated_at``."""

    day: str
    #: the UTC offset the hours are in, ``+08:00``
    utc_offset: str
    generated_at: datetime
    #: the local hours the per-hour panels cover (first figure, or now, to now)
    hours: tuple[int, ...]
    orders_now: dict[str, int]
    orders_today: dict[str, int]
    packed: tuple[PackedFigure, ...]
    walk: tuple[WalkFigure, ...]
    exceptions: tuple[ExceptionFigure, ...]
    cutoffs: tuple[CutoffFigure, ...]
    returns: tuple[ReturnFigure, ...]

    # --- totals the screen shows in big type -----------------------------------------------
    @property
    def packed_today(self) -> int:
        return sum(p.orders for p in self.packed)

    @property
    def walked_m(self) -> float:
        return round(sum(w.walked_m for w in self.walk), 1)

    @property
    def s_shape_m(self) -> float:
        return round(sum(w.s_shape_m for w in self.walk), 1)

    @property
    def saving_pct(self) -> float | None:
        return saving_pct(self.walked_m, self.s_shape_m)

    def by(self, key: str) -> dict[str, dict[int, int]]:
        """Orders packed per hour by ``station`` or ``packer``: {name: {hour: orders}}."""
        out: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        for p in self.packed:
            out[getattr(p, key)][p.hour] += p.orders
        return {k: dict(v) for k, v in sorted(out.items())}

    def as_dict(self) -> dict[str, Any]:
        from app.services.dashboard_export import as_json

        return as_json(self)


def _walk(walks: list[BatchWalk], day: Day) -> tuple[WalkFigure, ...]:
    acc: dict[int, list[float]] = defaultdict(lambda: [0, 0.0, 0.0, 0.0])
    for w in walks:
        a = acc[local_hour(w.bucket, day)]
        a[0] += 1
        a[1] += w.walked_m
        a[2] += w.s_shape_m
        a[3] += w.planned_m
    return tuple(
        WalkFigure(h, int(a[0]), round(a[1], 1), round(a[2], 1), round(a[3], 1))
        for h, a in sorted(acc.items())
    )


def _exceptions(rows: list[tuple[int, str, int]], day: Day) -> tuple[ExceptionFigure, ...]:
    acc: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for bucket, kind, n in rows:
        acc[local_hour(bucket, day)][kind] += n
    return tuple(
        ExceptionFigure(h, k["mis_scans"], k["weight"], k["pick_refused"])
        for h, k in sorted(acc.items())
    )


@reads
def dashboard(
    uow: UnitOfWork, actor: Actor, *, now: datetime | None = None, tz: tzinfo | None = None
) -> Dashboard:
    """Today's figures (see the module). ``now`` and ``tz`` default to the station's clock."""
    now = now or utcnow()
    zone = tz or now.astimezone().tzinfo
    assert zone is not None
    day = local_day(now, zone)
    with uow:
        uow.require(actor, Permission.VIEW_DASHBOARD)
        s = uow.session
        database = s.get_bind().engine.url.render_as_string(hide_password=True)
        now_counts, today = q.orders_now(s), q.orders_today(s, day)
        packed = tuple(
            PackedFigure(local_hour(b, day), st, u, o, p)
            for b, st, u, o, p in q.packed_rows(s, day)
        )
        walk = _walk(batch_walks(uow, day, database), day)
        exceptions = _exceptions(q.exception_rows(s, day), day)
        returns = returns_today(uow, day)
    cutoffs = cutoff_figures(uow, actor, now)
    seen = [p.hour for p in packed] + [w.hour for w in walk] + [e.hour for e in exceptions]
    offset = now.astimezone(zone).strftime("%z")
    return Dashboard(
        day=day.day.isoformat(),
        utc_offset=f"{offset[:3]}:{offset[3:]}",
        generated_at=now,
        hours=hour_span(seen, local_hour(bucket_of(now, day), day)),
        orders_now=now_counts,
        orders_today=today,
        packed=packed,
        walk=walk,
        exceptions=exceptions,
        cutoffs=cutoffs,
        returns=returns,
    )
