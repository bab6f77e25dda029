"""After packing: reprint a parcel's label (补打), and void / unpack a parcel.

**Reprint** (``reprint_label``, permission REPRINT, audited): the parcel's label is made again
from the parcel as it is (same tracking number, parcel n of m, weight, sorting code...) with the
reprint mark printed on it, and queued as a new print job linked to the first one
(``print_jobs.reprint_of_id``); ``parcels.reprints`` counts them. A label made elsewhere (an
attached PDF/ZPL) is printed again as it is. Refused for a voided parcel (its number is dead)
and for a parcel with no label yet.

**Void / unpack** (``void_parcel``, permission VOID_PARCELS, audited), for a parcel that is
labelled, or not labelled yet and stopped at the scale (or closed):

- a labelled parcel's units go back where they were packed from (the tote, or their bin for an
  order packed straight from allocation) as ledger movements, reserved again for their order
  lines (``pack_moves.unpack_back``); a closed parcel's units never left: nothing moves;
- its ``pack_items`` are voided: their serials are free again, and the units must be scanned
  again to be packed;
- its tracking number is voided: the parcel keeps it (status ``voided``; the unique constraint
  means it is never given again); a pool number becomes ``void`` (listed for the carrier in the
  void report); a plug-in carrier is asked to void it (``carrier_ship.void_tracking``: its
  plug-in's ``void``);
- the parcel's waiting weight exceptions are resolved as ``voided``;
- the order: while a pack session of it is still open at a station, it stays ``packing`` (the
  packer goes on and packs the units again). Otherwise it goes back to where packing started
  (``picked``, or ``allocated`` for a shop without picking; a ``packed`` order passes through
  ``packing`` in its history): ``packing`` means a station has it open, and nobody has. Its
  voided units are in the tote (or bin) again; its other parcels stay labelled. Opening it at a
  station (its tote, number or pick list) shows those parcels' units as verified and asks for
  the voided ones only: they get a new parcel and a new number.

Refused for a shipped parcel (it is with the carrier: that is a return), one on an open carrier
handover (take it off first), an already voided one,
and one still being filled at a station and not stopped at the scale (release the order there
instead).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.db.models import (
    Carrier,
    Handover,
    HandoverParcel,
    Order,
    PackException,
    PackItem,
    PackSession,
    Parcel,
    PrintJob,
    Station,
    utcnow,
)
from app.db.models import TrackingNumber as Number
from app.db.uow import UnitOfWork
from app.devices.station_config import StationDevicesConfig
from app.domain.errors import NotFound, ValidationError
from app.domain.handover import OnHandoverNoVoid
from app.domain.orders import OrderStatus
from app.domain.users import Actor, Permission
from app.labels import render
from app.labels.shipping import ShippingLabelData, shipping_label
from app.services import carrier_ship, pack_finish, pack_state
from app.services import orders as order_service
from app.services.access import step, writes
from app.services.pack_exceptions import WAITING_KINDS
from app.services.pack_moves import unpack_back

#: parcel statuses that hold a label the carrier may receive
LABELLED = ("labelled", "shipped")


@dataclass(frozen=True)
class VoidReport:
    parcel_id: int
    parcel_seq: int
    order_id: int
    order_number: str
    #: the parcel's number, voided (never given again); "" when it had none
    tracking_number: str
    #: units moved back to the tote or bin (0: the parcel was not labelled, nothing had left)
    units_back: int
    #: the order's status now (packing, picked, allocated)
    order_status: str
    #: pool (the number is void in the pool) | plugin (the carrier was asked) | none
    carrier_void: str


class ParcelShipped(ValidationError):
    template = (
        "Parcel {seq} of order {order} was handed to the carrier: it cannot be voided. "
        "Book it in as a return when it comes back."
    )


class ParcelAlreadyVoided(ValidationError):
    template = "Parcel {seq} of order {order} is already voided. Nothing was changed."


class ParcelStillOpen(ValidationError):
    template = (
        "Parcel {seq} of order {order} is still being packed at a station. Finish it, or "
        "release the order at that station instead."
    )


class VoidNeedsReason(ValidationError):
    template = "Say why parcel {seq} of order {order} is voided: the reason is kept."


class NoLabelToReprint(ValidationError):
    template = (
        "Parcel {seq} of order {order} has no label yet ({status}): there is nothing to "
        "reprint. Finish packing it first."
    )


class VoidedNoReprint(ValidationError):
    template = (
        "Parcel {seq} of order {order} was voided: its label must not be used. Pack the "
        "order again for a new label."
    )


def _locked_parcel(uow: UnitOfWork, parcel_id: int) -> tuple[Parcel, Order]:
    s = uow.session
    parcel = s.scalar(
        select(Parcel)
        .where(Parcel.id == parcel_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if parcel is None:
        raise NotFound(what="Parcel", key=str(parcel_id))
    return parcel, s.get_one(Order, parcel.order_id)


@writes(Permission.VOID_PARCELS)
def void_parcel(uow: UnitOfWork, actor: Actor, parcel_id: int, reason: str) -> VoidReport:
    """Void / unpack a parcel (see the module): units back, items and number voided, the order
    back to where packing started (still packing while a station has it open); audited.
    Refused for a shipped (a return), voided or still open parcel, and without a reason."""
    with uow:
        current = uow.require(actor, Permission.VOID_PARCELS)
        report = void_in_uow(uow, current, parcel_id, reason)
        uow.commit()
        return report


@step
def void_in_uow(uow: UnitOfWork, actor: Actor, parcel_id: int, reason: str) -> VoidReport:
    """``void_parcel`` inside the caller's unit of work (the caller checked VOID_PARCELS)."""
    s = uow.session
    parcel, order = _locked_parcel(uow, parcel_id)
    words = {"seq": parcel.seq, "order": order.number}
    if parcel.status == "shipped":
        raise ParcelShipped(**words)
    if parcel.status == "voided":
        raise ParcelAlreadyVoided(**words)
    _check_not_handed_over(uow, parcel, order)
    if parcel.status == "open" and not _stopped(uow, parcel.id):
        raise ParcelStillOpen(**words)
    if not reason.strip():
        raise VoidNeedsReason(**words)
    before = {"status": parcel.status, "tracking": parcel.tracking_number or ""}
    units = unpack_back(uow, actor, parcel.id) if parcel.status == "labelled" else 0
    now = utcnow()
    s.execute(
        update(PackItem)
        .where(PackItem.parcel_id == parcel.id, PackItem.voided_at.is_(None))
        .values(voided_at=now)
        .execution_options(synchronize_session=False)
    )
    carrier_void = _void_number(uow, parcel, reason) if parcel.tracking_number else "none"
    parcel.status, parcel.voided_at = "voided", now
    parcel.voided_by, parcel.void_reason = actor.user_id, reason.strip()
    _resolve_waiting(uow, actor, parcel.id)
    s.flush()
    _order_back(uow, actor, order, parcel)
    uow.audit(
        actor, "parcel.void", "parcel", parcel.id, before=before,
        after={"status": "voided", "order": order.number, "units_back": units,
               "order_status": order.status, "carrier_void": carrier_void},
        note=reason.strip(),
    )  # fmt: skip
    return VoidReport(
        parcel.id,
        parcel.seq,
        order.id,
        order.number,
        parcel.tracking_number or "",
        units,
        order.status,
        carrier_void,
    )


def _check_not_handed_over(uow: UnitOfWork, parcel: Parcel, order: Order) -> None:
    """A parcel scanned onto a handover is the carrier's to take: refused until taken off."""
    on = uow.session.scalar(
        select(Handover.number)
        .join(HandoverParcel, HandoverParcel.handover_id == Handover.id)
        .where(HandoverParcel.parcel_id == parcel.id)
    )
    if on is not None:
        tracking = parcel.tracking_number or ""
        raise OnHandoverNoVoid(tracking=tracking, order=order.number, handover=on)


def _void_number(uow: UnitOfWork, parcel: Parcel, reason: str) -> str:
    """The parcel's number is dead: a pool number becomes ``void`` (reported to the carrier in
    the void report); a plug-in carrier is asked to void it."""
    s = uow.session
    voided = s.execute(
        update(Number)
        .where(Number.parcel_id == parcel.id, Number.status != "void")
        .values(status="void", voided_at=utcnow(), void_reason=reason.strip())
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    carrier = s.get(Carrier, parcel.carrier_id) if parcel.carrier_id else None
    if carrier is not None and carrier.plugin != "pool":
        carrier_ship.void_tracking(s, parcel.id, reason.strip())  # the carrier's API voids it
        return "plugin"
    return "pool" if voided else "none"


def _stopped(uow: UnitOfWork, parcel_id: int) -> bool:
    """Is the parcel stopped at the scale (a weight exception waits for a supervisor)?"""
    return (
        uow.session.scalar(
            select(PackException.id).where(
                PackException.parcel_id == parcel_id,
                PackException.resolved_at.is_(None),
                PackException.kind.in_(WAITING_KINDS),
            )
        )
        is not None
    )


def _resolve_waiting(uow: UnitOfWork, actor: Actor, parcel_id: int) -> None:
    uow.session.execute(
        update(PackException)
        .where(
            PackException.parcel_id == parcel_id,
            PackException.resolved_at.is_(None),
            PackException.kind.in_(WAITING_KINDS),
        )
        .values(resolved_at=utcnow(), resolved_by=actor.user_id, resolution="voided")
        .execution_options(synchronize_session=False)
    )


def _order_back(uow: UnitOfWork, actor: Actor, order: Order, parcel: Parcel) -> None:
    """Where the order goes once a parcel is voided (see the module)."""
    s = uow.session
    open_here = s.scalar(
        select(PackSession.id).where(PackSession.order_id == order.id, PackSession.status == "open")
    )
    if open_here is not None or order.status not in ("packed", "packing"):
        return
    note = f"parcel {parcel.seq} voided"
    if order.status == "packed":
        order_service.transition(uow, actor, order, OrderStatus.PACKING, note=note)
    started = s.scalar(select(PackSession.from_status).where(PackSession.id == parcel.session_id))
    back = OrderStatus.ALLOCATED if started == "allocated" else OrderStatus.PICKED
    order_service.transition(uow, actor, order, back, note=note)


# --- reprint (补打) ---------------------------------------------------------------------------

#: a label job not printed yet: resend it rather than print it twice
UNSENT = ("queued", "sending", "waiting", "failed")


class LabelNotPrintedYet(ValidationError):
    template = (
        "The label of parcel {seq} of order {order} has not printed yet ({job_status}). "
        "Resend it from the print jobs instead of reprinting it."
    )


def reprint_label_data(s: Session, parcel: Parcel) -> ShippingLabelData:
    """The parcel's label as it was printed (number, parcel n of m, weight, sorting code and
    hub, master number, cash on delivery), marked as a reprint."""
    st = pack_state.load(s, parcel.session_id) if parcel.session_id else None
    if st is None:
        raise NotFound(what="Pack session", key=str(parcel.id))
    total = s.scalar(
        select(func.count(Parcel.id)).where(
            Parcel.order_id == parcel.order_id, Parcel.status != "voided"
        )
    )
    labelled = parcel.labelled_at.date() if parcel.labelled_at else date.today()
    count = pack_finish.parcel_total(
        st, max(int(total or 0), parcel.seq), final=st.ps.status != "open"
    )
    data = pack_finish.label_data(s, st, parcel, count, pack_finish.hub_of(s, st, parcel), labelled)
    return replace(data, reprint=True)


@writes(Permission.REPRINT)
def reprint_label(uow: UnitOfWork, actor: Actor, parcel_id: int, reason: str = "") -> int:
    """Print a parcel's label again (see the module): a new print job linked to the first
    (``reprint_of_id``), the label marked as a reprint; ``parcels.reprints`` counts it; audited.
    Returns the new job's id. Refused for a voided parcel, one with no label yet (not labelled,
    or a pickup parcel) and one whose label has not printed yet (resend that instead)."""
    with uow:
        actor = uow.require(actor, Permission.REPRINT)
        s = uow.session
        parcel, order = _locked_parcel(uow, parcel_id)
        words = {"seq": parcel.seq, "order": order.number}
        if parcel.status == "voided":
            raise VoidedNoReprint(**words)
        original = s.get(PrintJob, parcel.label_job_id) if parcel.label_job_id else None
        if parcel.status not in LABELLED or original is None:
            status = "pickup" if parcel.label_source == "none" else parcel.status
            raise NoLabelToReprint(**words, status=status)
        if original.status in UNSENT:
            raise LabelNotPrintedYet(**words, job_status=original.status)
        fmt, payload = original.format, original.payload
        if parcel.label_source == "pool":
            fmt, payload = _rendered(s, actor, reprint_label_data(s, parcel), original.format)
        job = PrintJob(
            station_id=actor.station_id if actor.station_id is not None else original.station_id,
            printer=original.printer,
            format=fmt,
            kind=original.kind,
            reference=original.reference,
            payload=payload,
            status="queued",
            error="",
            attempts=0,
            reprint_of_id=original.id,
            created_by=actor.user_id,
            updated_at=utcnow(),
        )
        s.add(job)
        parcel.reprints += 1
        s.flush()
        uow.audit(
            actor, "parcel.reprint", "parcel", parcel.id, {"reprints": parcel.reprints - 1},
            {"reprints": parcel.reprints, "job": job.id, "reprint_of": original.id,
             "order": order.number, "tracking": parcel.tracking_number or ""},
            note=reason,
        )  # fmt: skip
        uow.commit()
        return job.id


def _rendered(
    s: Session, actor: Actor, data: ShippingLabelData, fallback_fmt: str
) -> tuple[str, bytes]:
    """The label for the reprinting station's printer (size, resolution, language)."""
    station = s.get(Station, actor.station_id) if actor.station_id else None
    printer = StationDevicesConfig.from_json(station.devices if station else {}).printer
    fmt = printer.language if printer.enabled else fallback_fmt
    label = shipping_label(data, printer.label_size, printer.dpi)
    return fmt, render.render(label, fmt, compact=printer.transport == "serial")
