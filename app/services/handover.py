"""Carrier handover (交接): scanning parcels onto the open handover of their carrier for the day.

A shipper scans a parcel's label (its tracking number; a child parcel's own number or the master
number of a multi-parcel order are tracking numbers of those parcels). The parcel goes onto the
**open handover of its carrier for today** (the warehouse's local day), created by the day's
first scan: ``HO-20261206-SF-1``, then ``-2`` for one opened after the first was closed. The
parcel is refused, with the reason, when its number is unknown, it is another carrier's than the
one the screen works, it is on a handover already, it was voided, its order is not ``packed`` or
it is a pickup order (no carrier). Scanning a parcel already on this open handover again at the
same station is a friendly no-op; the same parcel scanned at another station (a second shipper,
a duplicate label) is refused as already handed over, naming the handover.

A parcel is on one handover only: the parcel's row is locked first, and ``handover_parcels``
has a unique ``parcel_id``, so of two shippers scanning the same parcel at once one puts it on,
the other is told it is already handed over. Closing and reopening are in
``handover_close.py``, the reconciliation and the cut-off board in ``handover_views.py`` and
``handover_cutoffs.py`` (names re-exported here: the handover's API is this module).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.db.models import Carrier, Handover, HandoverParcel, Order, Parcel, utcnow
from app.db.uow import UnitOfWork
from app.domain import handover as rules
from app.domain.handover import AlreadyHandedOver, ParcelFacts, UnknownParcelNumber
from app.domain.users import Actor, Permission
from app.services.access import writes
from app.services.handover_close import (
    HandoverClosed,
    ReopenReport,
    close_handover,
    reopen_handover,
)
from app.services.handover_cutoffs import CutoffRow, cutoff_board, set_cutoff
from app.services.handover_views import (
    HandoverRow,
    MissingParcel,
    Reconciliation,
    count_missing,
    list_handovers,
    reconcile,
)

__all__ = [
    "CutoffRow",
    "HandoverClosed",
    "HandoverRow",
    "HandoverScan",
    "MissingParcel",
    "Reconciliation",
    "ReopenReport",
    "close_handover",
    "cutoff_board",
    "list_handovers",
    "reconcile",
    "remove_parcel",
    "reopen_handover",
    "scan_parcel",
    "set_cutoff",
]

#: the answers to a scan that was not refused (the screen shows them translated); "already_here":
#: a rescan of a parcel already on this handover, a friendly no-op
HANDOVER_MESSAGES = {
    "on": "Parcel {tracking} (order {order}) is on handover {handover}.",
    "already_here": "Parcel {tracking} is already on this handover ({handover}).",
    "off": "Parcel {tracking} was taken off handover {handover}.",
}
ON_HANDOVER = HANDOVER_MESSAGES["on"]
ALREADY_HERE = HANDOVER_MESSAGES["already_here"]
TAKEN_OFF = HANDOVER_MESSAGES["off"]


@dataclass(frozen=True)
class HandoverScan:
    """A parcel scanned onto a handover: the handover, the parcel and the counts after it."""

    handover_id: int
    handover_number: str
    carrier_code: str
    parcel_id: int
    order_number: str
    tracking: str
    #: parcels on the handover now
    scanned: int
    #: parcels on it plus the carrier's labelled parcels not handed over yet
    expected: int
    #: the parcel was on this handover already: nothing changed
    already: bool = False
    message: str = ON_HANDOVER
    params: dict[str, Any] = field(default_factory=dict)
    carrier_id: int = 0


def _find_parcel(uow: UnitOfWork, text: str, carrier_id: int | None) -> Parcel:
    """The parcel with this tracking number, locked (another station scanning it waits)."""
    rows = uow.session.scalars(
        select(Parcel)
        .where(Parcel.tracking_number == text)
        .order_by(Parcel.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    if not rows:
        raise UnknownParcelNumber(scan=text)
    mine = [p for p in rows if carrier_id is not None and p.carrier_id == carrier_id]
    live = [p for p in rows if p.status != "voided"]
    return (mine or live or rows)[0]


def _facts(uow: UnitOfWork, parcel: Parcel) -> tuple[ParcelFacts, Order, Handover | None]:
    s = uow.session
    order = s.get_one(Order, parcel.order_id)
    on = s.scalar(
        select(Handover)
        .join(HandoverParcel, HandoverParcel.handover_id == Handover.id)
        .where(HandoverParcel.parcel_id == parcel.id)
    )
    code = s.get_one(Carrier, parcel.carrier_id).code if parcel.carrier_id else ""
    facts = ParcelFacts(
        tracking=parcel.tracking_number or "",
        order=order.number,
        order_status=order.status,
        parcel_status=parcel.status,
        carrier_id=parcel.carrier_id,
        carrier_code=code,
        handover=on.number if on is not None else None,
        handover_open=on is not None and on.status == rules.OPEN,
    )
    return facts, order, on


def _scanned_here(uow: UnitOfWork, parcel: Parcel, station_id: int | None) -> bool:
    """Was the parcel put on its handover at this station (or not at all)? A rescan there is a
    no-op; the same parcel scanned at another station is a second parcel with the same label,
    or one handled twice: refused as already handed over."""
    on = uow.session.execute(
        select(HandoverParcel.station_id).where(HandoverParcel.parcel_id == parcel.id)
    ).first()
    return on is None or on[0] == station_id


def _open_for(uow: UnitOfWork, carrier_id: int, day: date) -> Handover | None:
    return uow.session.scalar(
        select(Handover).where(
            Handover.carrier_id == carrier_id, Handover.day == day, Handover.status == rules.OPEN
        )
    )


def _open_new(uow: UnitOfWork, actor: Actor, carrier: Carrier, day: date) -> Handover:
    """The day's open handover of the carrier, created now (or by a station that just did)."""
    s = uow.session
    seq = (
        s.scalar(
            select(func.max(Handover.seq)).where(
                Handover.carrier_id == carrier.id, Handover.day == day
            )
        )
        or 0
    ) + 1
    row = Handover(
        number=rules.handover_number(day, carrier.code, seq),
        carrier_id=carrier.id,
        day=day,
        seq=seq,
        status=rules.OPEN,
        opened_by=actor.user_id,
        station_id=actor.station_id,
    )
    try:
        with s.begin_nested():
            s.add(row)
            s.flush()
    except IntegrityError:  # another station opened it first
        found = _open_for(uow, carrier.id, day)
        if found is None:
            raise
        return found
    uow.audit(actor, "handover.open", "handover", row.number, None, {"carrier": carrier.code})
    return row


def _counts(uow: UnitOfWork, handover: Handover) -> tuple[int, int]:
    s = uow.session
    scanned = (
        s.scalar(
            select(func.count(HandoverParcel.id)).where(HandoverParcel.handover_id == handover.id)
        )
        or 0
    )
    return scanned, scanned + count_missing(s, handover.carrier_id, handover.day)


@writes(Permission.SHIP)
def scan_parcel(
    uow: UnitOfWork,
    actor: Actor,
    scan: str,
    *,
    station_id: int | None = None,
    carrier_id: int | None = None,
    handover_id: int | None = None,
    day: date | None = None,
) -> HandoverScan:
    """Put the scanned parcel on its carrier's open handover for today (see the module).

    ``carrier_id``: the carrier the screen works (a parcel of another is refused); without it
    the parcel's carrier decides. ``handover_id``: a particular handover (refused once closed).
    ``day``: the handover's day, the warehouse's local today by default."""
    with uow:
        current = uow.require(actor, Permission.SHIP)
        s = uow.session
        text = scan.strip()
        parcel = _find_parcel(uow, text, carrier_id)
        facts, order, _on = _facts(uow, parcel)
        here = station_id or current.station_id
        chosen = s.get(Handover, handover_id) if handover_id is not None else None
        if chosen is not None and chosen.status != rules.OPEN:
            raise rules.HandoverNotOpen(handover=chosen.number)
        working = chosen.carrier_id if chosen is not None else carrier_id
        work = (working, s.get_one(Carrier, working).code) if working is not None else None
        the_day = day or rules.local_now().date()
        target = chosen or (
            _open_for(uow, parcel.carrier_id, the_day) if parcel.carrier_id else None
        )
        into = target.number if target is not None and _scanned_here(uow, parcel, here) else None
        already = rules.check_scannable(facts, work, into)
        assert parcel.carrier_id is not None
        carrier = s.get_one(Carrier, parcel.carrier_id)
        if target is None:
            target = _open_new(uow, current, carrier, the_day)
        if not already:
            _put_on(uow, current, target, parcel, facts, text, station_id)
        scanned, expected = _counts(uow, target)
        words = {"tracking": facts.tracking, "order": order.number, "handover": target.number}
        out = HandoverScan(
            target.id, target.number, carrier.code, parcel.id, order.number, facts.tracking,
            scanned, expected, already, ALREADY_HERE if already else ON_HANDOVER, words,
            carrier.id,
        )  # fmt: skip
        uow.commit()
        return out


def _put_on(
    uow: UnitOfWork,
    actor: Actor,
    handover: Handover,
    parcel: Parcel,
    facts: ParcelFacts,
    text: str,
    station_id: int | None,
) -> None:
    s = uow.session
    try:
        with s.begin_nested():
            s.add(
                HandoverParcel(
                    handover_id=handover.id,
                    parcel_id=parcel.id,
                    scanned=text[:128],
                    scanned_at=utcnow(),
                    scanned_by=actor.user_id,
                    station_id=station_id or actor.station_id,
                )
            )
            s.flush()
    except IntegrityError:  # the unique parcel_id: another station has just handed it over
        other = s.scalar(
            select(Handover.number)
            .join(HandoverParcel, HandoverParcel.handover_id == Handover.id)
            .where(HandoverParcel.parcel_id == parcel.id)
        )
        raise AlreadyHandedOver(
            tracking=facts.tracking, order=facts.order, handover=other or "?"
        ) from None
    uow.audit(
        actor, "handover.scan", "handover", handover.number, None,
        {"parcel": parcel.id, "tracking": facts.tracking, "order": facts.order},
    )  # fmt: skip


@writes(Permission.SHIP)
def remove_parcel(uow: UnitOfWork, actor: Actor, handover_id: int, scan: str) -> HandoverScan:
    """Take a parcel off an open handover (scanned by mistake, or its order was stopped);
    audited. Refused once the handover is closed."""
    with uow:
        current = uow.require(actor, Permission.SHIP)
        s = uow.session
        handover = s.get(Handover, handover_id)
        if handover is None:
            raise rules.HandoverNotFound(key=str(handover_id))
        if handover.status != rules.OPEN:
            raise rules.HandoverNotOpen(handover=handover.number)
        parcel = _find_parcel(uow, scan.strip(), handover.carrier_id)
        link = s.scalar(
            select(HandoverParcel).where(
                HandoverParcel.parcel_id == parcel.id, HandoverParcel.handover_id == handover.id
            )
        )
        order = s.get_one(Order, parcel.order_id)
        if link is None:
            raise rules.NotOnHandover(tracking=scan.strip(), handover=handover.number)
        s.delete(link)
        s.flush()
        uow.audit(
            current, "handover.remove", "handover", handover.number,
            {"parcel": parcel.id, "tracking": parcel.tracking_number}, None,
        )  # fmt: skip
        scanned, expected = _counts(uow, handover)
        carrier = s.get_one(Carrier, handover.carrier_id)
        words = {"tracking": parcel.tracking_number or "", "handover": handover.number}
        out = HandoverScan(
            handover.id, handover.number, carrier.code, parcel.id, order.number,
            parcel.tracking_number or "", scanned, expected, False, TAKEN_OFF, words, carrier.id,
        )  # fmt: skip
        uow.commit()
        return out
