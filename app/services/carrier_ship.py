"""Getting a parcel its tracking number and (for API carriers) its label, through the
carrier's plug-in; voiding numbers.

FOUNDATION STUB: ``ship_parcel`` takes a number from the carrier's pool (the built-in ``pool``
plug-in's behaviour) without the plug-in registry; the carriers helper replaces the body
(signature fixed).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.carriers.base import CarrierLabel
from app.db.models import Carrier, Parcel
from app.services.tracking_pool import take_number


def ship_parcel(session: Session, parcel_id: int) -> CarrierLabel:
    """Ask the parcel's carrier for its number (and label). The parcel must have its carrier,
    service, weight and package set; the caller stores the answer on the parcel."""
    parcel = session.get(Parcel, parcel_id)
    assert parcel is not None and parcel.carrier_id is not None
    carrier = session.get(Carrier, parcel.carrier_id)
    assert carrier is not None
    number = take_number(session, carrier.id, parcel.carrier_service_id, parcel.id)
    return CarrierLabel(number)
