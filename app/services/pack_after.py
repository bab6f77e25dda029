"""After packing: reprint a parcel's label (补打), and void / unpack a parcel.

**Reprint** (``reprint_label``, permission REPRINT, audited): the parcel's label is made again
from the parcel as it is (same tracking number, parcel n of m, weight, sorting code...) with the
reprint mark printed on it, and queued as a new print job linked to the first one
(``print_jobs.reprint_of_id``); ``parcels.reprints`` counts them. A label made elsewhere (an
attached PDF/ZPL) is printed again as it is. Refused for a voided parcel (its number is dead)
and for a parcel with no label yet.

**Void / unpack** (``void_parcel``, permission VOID_PARCELS, audited), for a parcel that is
labelled (or closed, stopped before its label):

- a labelled parcel's units go back where they were packed from (the tote, or their bin for an
  order packed straight from allocation) as ledger movements, reserved again for their order
  lines (``pack_moves.unpack_back``); a closed parcel's units never left: nothing moves;
- its ``pack_items`` are voided: their serials are free again, and the units must be scanned
  again to be packed;
- its tracking number is voided: the parcel keeps it (status ``voided``; the unique constraint
  means it is never given again); a pool number becomes ``void`` (listed for the carrier in the
  void report); a plug-in carrier is asked to void it through ``carrier_ship.void_parcel`` once
  that exists (``_void_at_carrier``: the hook);
- the parcel's waiting weight exceptions are resolved as ``voided``;
- the order: while a pack session of it is still open at a station, it stays ``packing`` (the
  packer goes on); when another parcel of it is still labelled, it goes back to ``packing``
  (open it at a station to pack the voided parcel's units again); when no parcel of it is
  labelled any more, it goes back to where packing started (``picked``, or ``allocated`` for a
  shop without picking): its units are in the tote (or bin) again, ready to be packed from the
  start, exactly like an order that was never packed.

Refused for a shipped parcel (it is with the carrier: that is a return), an already voided one,
and one still being filled at a station (release the order there instead).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update

from app.db.models import Carrier, Order, PackException, PackItem, PackSession, Parcel, utcnow
from app.db.models import TrackingNumber as Number
from app.db.uow import UnitOfWork
from app.domain.errors import NotFound, ValidationError
from app.domain.orders import OrderStatus
from app.domain.users import Actor, Permission
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
    back to packing (or where packing started when no parcel is left labelled); audited.
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
    if parcel.status == "open":
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
        _void_at_carrier(uow, parcel)
        return "plugin"
    return "pool" if voided else "none"


def _void_at_carrier(uow: UnitOfWork, parcel: Parcel) -> None:
    """HOOK: a carrier with an API voids the number at its end (``CarrierPlugin.void``). The
    carriers work adds ``carrier_ship.void_parcel(session, parcel_id)``; until then the voided
    parcel (status, number, reason) is what the carrier's void report lists."""
    from app.services import carrier_ship

    void = getattr(carrier_ship, "void_parcel", None)
    if void is not None:
        void(uow.session, parcel.id)


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
    still = s.scalar(
        select(Parcel.id).where(
            Parcel.order_id == order.id, Parcel.status.in_(LABELLED), Parcel.id != parcel.id
        )
    )
    if still is not None:
        return
    started = s.scalar(select(PackSession.from_status).where(PackSession.id == parcel.session_id))
    back = OrderStatus.ALLOCATED if started == "allocated" else OrderStatus.PICKED
    order_service.transition(uow, actor, order, back, note=note)
