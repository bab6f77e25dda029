"""The parcels of orders as ``packdesk orders list --json`` gives them (a contract: these keys).

Each order that has been packed (or is being packed in several parcels and has one closed)
carries ``parcels``: one entry per parcel in its order (``seq``), ``{"tracking", "carrier",
"service", "weight_kg", "status"}``. ``weight_kg`` is the weighed weight in kilograms rounded
to 3 decimals (``None`` before weighing); ``tracking``, ``carrier`` and ``service`` are ``None``
until the parcel has them. A voided parcel is listed with status ``voided`` and keeps its
number (never given again). A parcel still ``open`` (the box being filled) is not listed.

All of it is ONE query whatever the number of orders: the parcels of the orders the export
selects, read through the same selection as a subquery.
"""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.db.models import Carrier, CarrierService, Parcel

#: the keys of one parcel (a contract: add, never rename)
PARCEL_KEYS = ("tracking", "carrier", "service", "weight_kg", "status")
#: parcel statuses the export lists (an open parcel is still being filled)
LISTED = ("closed", "labelled", "voided", "shipped")


def weight_kg(weight_g: int | None) -> float | None:
    """Grams as kilograms with 3 decimals (a JSON number), or ``None`` when not weighed."""
    return None if weight_g is None else round(weight_g / 1000, 3)


def parcels_of(
    session: Session, order_ids: Select[tuple[int]]
) -> dict[int, list[dict[str, object]]]:
    """Each selected order's parcels, in order, keyed by order id (orders with none absent)."""
    stmt = (
        select(
            Parcel.order_id,
            Parcel.tracking_number,
            Carrier.code,
            CarrierService.code,
            Parcel.weight_g,
            Parcel.status,
        )
        .outerjoin(Carrier, Carrier.id == Parcel.carrier_id)
        .outerjoin(CarrierService, CarrierService.id == Parcel.carrier_service_id)
        .where(Parcel.order_id.in_(order_ids), Parcel.status.in_(LISTED))
        .order_by(Parcel.order_id, Parcel.seq)
    )
    out: dict[int, list[dict[str, object]]] = {}
    for oid, tracking, carrier, service, grams, status in session.execute(stmt):
        out.setdefault(oid, []).append(
            {
                "tracking": tracking or None,
                "carrier": carrier,
                "service": service,
                "weight_kg": weight_kg(grams),
                "status": status,
            }
        )
    return out
