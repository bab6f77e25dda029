"""Carriers' cut-off times (the last pick-up of the day) and the board the Ship screen and the
supervisor watch: per carrier, the parcels packed and not yet handed over, the cut-off and the
time left (amber under 30 minutes, red once past: ``app.domain.handover.urgency``).

A cut-off is ``carriers.cutoff_time``, "HH:MM" on the warehouse's clock, or "" for none; set on
the Carriers screen or with ``packdesk carriers cutoff CARRIER HH:MM``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.models import Carrier, Parcel
from app.db.uow import UnitOfWork
from app.domain import handover as rules
from app.domain.users import Actor, Permission
from app.services.access import reads, writes
from app.services.handover_views import _not_handed


@dataclass(frozen=True)
class CutoffRow:
    carrier_id: int
    carrier_code: str
    carrier_name: str
    #: "HH:MM" or ""
    cutoff: str
    #: labelled parcels of the carrier on no handover yet
    packed_not_handed: int
    #: seconds to today's cut-off, negative once past; None without a cut-off
    seconds_left: int | None

    @property
    def urgency(self) -> str:
        return rules.urgency(self.seconds_left)


@reads
def cutoff_board(uow: UnitOfWork, actor: Actor, now: datetime) -> tuple[CutoffRow, ...]:
    """Every active carrier: parcels packed and not handed over, its cut-off and the time left
    at ``now``; the most urgent first (past cut-offs with parcels waiting, then the nearest)."""
    with uow:
        uow.require(actor, Permission.VIEW_ORDERS)
        return cutoff_rows(uow.session, now)


def cutoff_rows(s: Session, now: datetime) -> tuple[CutoffRow, ...]:
    """``cutoff_board`` inside an open session."""
    waiting = dict(
        s.execute(
            select(Parcel.carrier_id, func.count(Parcel.id))
            .where(Parcel.status == "labelled", Parcel.carrier_id.is_not(None), _not_handed())
            .group_by(Parcel.carrier_id)
        )
        .tuples()
        .all()
    )
    rows = [
        CutoffRow(
            c.id,
            c.code,
            c.name,
            c.cutoff_time or "",
            int(waiting.get(c.id, 0)),
            rules.seconds_left(c.cutoff_time or "", now),
        )
        for c in s.scalars(select(Carrier).where(Carrier.active.is_(True)))
    ]
    return tuple(sorted(rows, key=_most_urgent))


def _most_urgent(row: CutoffRow) -> tuple[int, int, str]:
    if row.seconds_left is None:
        return (2, 0, row.carrier_code)
    return (0 if row.packed_not_handed else 1, row.seconds_left, row.carrier_code)


@writes(Permission.MANAGE_SHIPPING)
def set_cutoff(uow: UnitOfWork, actor: Actor, carrier_code: str, cutoff: str) -> str:
    """Set a carrier's cut-off ("HH:MM", or "" for none); returns it as stored. Audited."""
    with uow:
        current = uow.require(actor, Permission.MANAGE_SHIPPING)
        value = rules.parse_cutoff(cutoff)
        carrier = uow.session.scalar(
            select(Carrier).where(func.upper(Carrier.code) == carrier_code.strip().upper())
        )
        if carrier is None:
            raise rules.UnknownCarrier(carrier=carrier_code.strip())
        before = carrier.cutoff_time
        carrier.cutoff_time = value
        uow.audit(
            current,
            "carrier.cutoff",
            "carrier",
            carrier.code,
            {"cutoff": before},
            {"cutoff": value},
        )
        uow.commit()
        return value
