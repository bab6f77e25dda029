"""The dashboard's panels that come from shipping and after-sales: the carriers' cut-off
countdown (the handover's ``cutoff_board``: parcels labelled and on no handover yet, the time to
each carrier's cut-off) and today's returns by reason (the lines of the returns finished today,
found by ``ix_returns_finished_at``; a return still being inspected counts once it is done)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from app.db.models import Return, ReturnLine, ReturnReason, utcnow
from app.db.uow import UnitOfWork
from app.domain.dashboard import Day
from app.domain.users import Actor, Permission
from app.services.access import reads, step
from app.services.dashboard_sql import within
from app.services.handover import cutoff_board


@dataclass(frozen=True)
class CutoffFigure:
    """One carrier: parcels packed but not handed over, its cut-off and the time left."""

    carrier: str
    name: str
    #: ``HH:MM`` local time, empty: the carrier has none
    cutoff: str
    packed_not_handed: int
    #: seconds to the cut-off (negative once passed); None without a cut-off
    seconds_left: int | None


@dataclass(frozen=True)
class ReturnFigure:
    """Units returned today for one reason."""

    reason: str
    name: str
    units: int
    #: returns (parcels that came back) with units for this reason
    returns: int
    #: the reason's Chinese name (``name`` is the English one)
    name_zh: str = ""


@reads
def cutoff_figures(
    uow: UnitOfWork, actor: Actor, now: datetime | None = None
) -> tuple[CutoffFigure, ...]:
    """The cut-off board at ``now`` (default: the clock), in its own read-only unit of work."""
    now = now or utcnow()
    with uow:
        uow.require(actor, Permission.VIEW_DASHBOARD)
    return tuple(
        CutoffFigure(r.carrier_code, r.carrier_name, r.cutoff, r.packed_not_handed, r.seconds_left)
        for r in cutoff_board(uow, actor, now)
    )


@step
def returns_today(uow: UnitOfWork, day: Day) -> tuple[ReturnFigure, ...]:
    """Units returned on ``day`` by reason, most first (inside the caller's unit of work)."""
    units = func.sum(ReturnLine.qty)
    rows = uow.session.execute(
        select(
            ReturnLine.reason_code,
            func.max(ReturnReason.name_en),
            func.max(ReturnReason.name_zh),
            units,
            func.count(func.distinct(ReturnLine.return_id)),
        )
        .join(Return, Return.id == ReturnLine.return_id)
        .outerjoin(ReturnReason, ReturnReason.code == ReturnLine.reason_code)
        .where(within(Return.finished_at, day), Return.status == "done")
        .group_by(ReturnLine.reason_code)
        .order_by(units.desc(), ReturnLine.reason_code)
    ).tuples()
    return tuple(
        ReturnFigure(str(code), en or str(code), int(n or 0), int(count), zh or "")
        for code, en, zh, n, count in rows
    )
