"""The Ship screen's whole picture in one read: the reconciliation of the carrier it shows, the
handover closed last (what Reopen acts on) and the cut-off board."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.db.uow import UnitOfWork
from app.domain import handover as rules
from app.domain.users import Actor, Permission
from app.services.access import reads
from app.services.handover_cutoffs import CutoffRow, cutoff_rows
from app.services.handover_views import LastClosed, Reconciliation, last_closed, reconcile_in


@dataclass(frozen=True)
class ShipBoard:
    #: None when no carrier is shown yet ("by parcel" before the first scan)
    reconciliation: Reconciliation | None
    last_closed: LastClosed | None
    cutoffs: tuple[CutoffRow, ...]


@reads
def ship_board(uow: UnitOfWork, actor: Actor, carrier_id: int | None, now: datetime) -> ShipBoard:
    """What the Ship screen shows for ``carrier_id`` at ``now`` (the local day of ``now``)."""
    with uow:
        uow.require(actor, Permission.SHIP)
        day = rules.as_local(now).date()
        rec = reconcile_in(uow.session, carrier_id, day) if carrier_id is not None else None
        closed = last_closed(uow.session, carrier_id, day) if carrier_id is not None else None
        board = cutoff_rows(uow.session, now)
        return ShipBoard(rec, closed, board)
