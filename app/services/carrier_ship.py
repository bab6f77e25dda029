"""Getting a parcel its tracking number (and, from API carriers, its label) through the
carrier's plug-in, and voiding a parcel's number.

The parcel's carrier names its plug-in (``carriers.plugin``, entry-point group
``packdesk.carriers``). The built-in ``pool`` plug-in takes the next free number of the
carrier's pool; a plug-in that talks to the carrier's API gets the number and the carrier's own
label, which is kept as the order's attached label for this parcel (``order_labels``) and
printed as it is. The carrier sees the real address (a label is for the courier); screens and
our own labels mask it by the channel's policy.

The plug-in is called inside the caller's unit of work, so the parcel, the number and the label
are stored together or not at all; a plug-in failure is a ``CarrierError`` the packer reads
("try again"), and nothing is half-written.
"""

from __future__ import annotations

import logging
from decimal import Decimal

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.carriers import registry
from app.carriers.base import Address as CarrierAddress
from app.carriers.base import CarrierError, CarrierLabel, CarrierPlugin, ParcelRequest
from app.db.models import (
    Address,
    Carrier,
    CarrierService,
    Order,
    OrderLabel,
    PackageType,
    Parcel,
    TrackingNumber,
    utcnow,
)
from app.domain.errors import PackdeskError
from app.services.pack_settings import settings_in
from app.services.tracking_pool import FREE, USED, VOID, take_number

log = logging.getLogger(__name__)

#: parcels that count for "n of m" and the master number
_LIVE = ("open", "closed", "labelled", "shipped")


def carrier_plugin(session: Session, carrier: Carrier) -> CarrierPlugin:
    return registry.plugin(carrier.plugin or "pool", carrier.name)


def _recipient(session: Session, order: Order) -> CarrierAddress:
    a = session.get(Address, order.ship_address_id) if order.ship_address_id else None
    if a is None:
        return CarrierAddress("", "", "", "", "", "", "", "", "")
    return CarrierAddress(
        a.name,
        a.phone,
        a.country,
        a.province,
        a.city,
        a.district,
        a.street,
        a.street2,
        a.postal_code,
        a.company,
    )


def _sender(session: Session) -> CarrierAddress:
    s = settings_in(session)
    return CarrierAddress(
        s.sender_name,
        s.sender_phone,
        s.sender_country,
        s.sender_province,
        s.sender_city,
        s.sender_district,
        s.sender_street,
        "",
        s.sender_postal_code,
    )


def master_number(session: Session, parcel: Parcel) -> str:
    """The first live parcel's number of the order, when this parcel is not that one."""
    first = session.execute(
        select(Parcel.id, Parcel.tracking_number)
        .where(
            Parcel.order_id == parcel.order_id,
            Parcel.status.in_(_LIVE),
            Parcel.tracking_number.is_not(None),
        )
        .order_by(Parcel.seq)
        .limit(1)
    ).first()
    if first is None or first.id == parcel.id:
        return ""
    return str(first.tracking_number)


def parcel_request(
    session: Session, parcel: Parcel, carrier: Carrier, *, details: bool = True
) -> ParcelRequest:
    """What the plug-in is asked with; ``details`` False (a plug-in that does not read them:
    ``needs_parcel_details``) leaves the recipient and sender empty and the count at the
    parcel's number, and spares their three reads."""
    order = session.get(Order, parcel.order_id)
    assert order is not None
    service = (
        session.get(CarrierService, parcel.carrier_service_id)
        if parcel.carrier_service_id
        else None
    )
    package = session.get(PackageType, parcel.package_type_id) if parcel.package_type_id else None
    count = (
        session.scalar(
            select(func.count(Parcel.id)).where(
                Parcel.order_id == order.id, Parcel.status.in_(_LIVE)
            )
        )
        if details
        else 0
    )
    nobody = CarrierAddress("", "", "", "", "", "", "", "", "")
    return ParcelRequest(
        carrier_code=carrier.code,
        service_code=service.code if service else "",
        order_number=order.number,
        parcel_seq=parcel.seq,
        parcel_count=max(int(count or 0), parcel.seq),
        weight_g=int(parcel.weight_g or 0),
        length_mm=package.inner_length_mm if package else 0,
        width_mm=package.inner_width_mm if package else 0,
        height_mm=package.inner_height_mm if package else 0,
        recipient=_recipient(session, order) if details else nobody,
        sender=_sender(session) if details else nobody,
        cod_amount=Decimal(order.cod_amount) if order.cod_amount is not None else None,
        currency=order.currency,
        master_tracking=master_number(session, parcel) if carrier.master_child else "",
        config=dict(carrier.plugin_config or {}),
        take_pool_number=lambda: take_number(
            session, carrier.id, parcel.carrier_service_id, parcel.id
        ),
    )


def ship_parcel(session: Session, parcel_id: int) -> CarrierLabel:
    """Ask the parcel's carrier for its number (and label). The parcel must have its carrier,
    service, weight and package set; the caller stores the number on the parcel. A label the
    carrier made is kept as the order's attached label for this parcel."""
    parcel = session.get(Parcel, parcel_id)
    assert parcel is not None and parcel.carrier_id is not None
    carrier = session.get(Carrier, parcel.carrier_id)
    assert carrier is not None
    plugin = carrier_plugin(session, carrier)
    details = bool(getattr(plugin, "needs_parcel_details", True))
    if details:  # the count is read from the table: the caller's changes are written first
        session.flush()
    request = parcel_request(session, parcel, carrier, details=details)
    try:
        answer = plugin.ship(request)
    except PackdeskError:
        raise
    except Exception as exc:  # a plug-in's network or parsing failure
        log.exception("carrier plug-in %s failed for parcel %s", carrier.plugin, parcel_id)
        raise CarrierError(carrier=carrier.name, detail=str(exc) or type(exc).__name__) from exc
    if not answer.tracking_number:
        raise CarrierError(carrier=carrier.name, detail="it gave no tracking number.")
    if answer.label is not None:
        session.add(
            OrderLabel(
                order_id=parcel.order_id,
                format=answer.label_format or "pdf",
                filename=f"{carrier.plugin}:{answer.tracking_number}",
                data=answer.label,
                tracking_number=answer.tracking_number,
                parcel_id=parcel.id,
            )
        )
    return answer


def void_tracking(session: Session, parcel_id: int, reason: str) -> str:
    """Void the parcel's number: a pool number becomes ``void`` (never given again, listed for
    the carrier); an API carrier's plug-in is asked to void it. Returns the number ("" when the
    parcel had none)."""
    parcel = session.get(Parcel, parcel_id)
    assert parcel is not None
    number = parcel.tracking_number or ""
    if not number or parcel.carrier_id is None:
        return number
    carrier = session.get(Carrier, parcel.carrier_id)
    assert carrier is not None
    pooled = session.execute(
        update(TrackingNumber)
        .where(
            TrackingNumber.carrier_id == carrier.id,
            TrackingNumber.number == number,
            TrackingNumber.status.in_((FREE, USED)),
        )
        .values(status=VOID, voided_at=utcnow(), void_reason=reason)
        .execution_options(synchronize_session=False)
    )
    if (carrier.plugin or "pool") != "pool":
        plugin = carrier_plugin(session, carrier)
        try:
            plugin.void([number], dict(carrier.plugin_config or {}))
        except PackdeskError:
            raise
        except Exception as exc:
            log.exception("carrier plug-in %s failed to void %s", carrier.plugin, number)
            raise CarrierError(carrier=carrier.name, detail=str(exc) or type(exc).__name__) from exc
    elif not pooled.rowcount:  # type: ignore[attr-defined]
        log.info("voided number %s of %s was not from a pool", number, carrier.code)
    return number
