"""Where returned units go, inside the caller's unit of work: ledger lines with ``ref_type``
``return`` (``ref_id`` the return).

- **restock**: into the scanned location (pickable or storage: allocation takes from it), reason
  ``return``. A restocked serial is free to ship again: its pack item is marked voided (the
  return line keeps the link).
- **quarantine**: into the warehouse's quarantine location (kind ``quarantine``, made on first
  use: code ``QUARANTINE``, barcode ``QUARANTINE-<warehouse code>``), reason ``return``.
  Allocation never takes from it.
- **write off**: into quarantine (``return``), then out of it (``scrap``): the ledger shows
  both what came back and what was thrown away.

Units coming back are new stock entering: where they once left from does not matter.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.db.models import Location, PackItem, Product, ReturnLine, Station, Warehouse, utcnow
from app.db.uow import UnitOfWork
from app.domain.allocation import ALLOCATABLE_KINDS
from app.domain.errors import ValidationError
from app.domain.returns import QUARANTINE_KIND, Disposition
from app.domain.stock import MovementReason
from app.domain.users import Actor
from app.services.access import step
from app.services.stock import find_location, lock_bucket, move_locked

RETURN_REF = "return"
QUARANTINE_CODE = "QUARANTINE"


def restock_location(s: Session, ref: str) -> Location:
    """The location a clerk scanned to restock into: active, pickable or storage."""
    loc = find_location(s, ref)
    if not loc.active or loc.kind not in ALLOCATABLE_KINDS:
        raise ValidationError(
            "{location} is a {kind} location: restock into a pickable or storage location, "
            "or scan QUARANTINE.",
            location=loc.code,
            kind=loc.kind if loc.active else "closed",
        )
    return loc


def quarantine_location(s: Session, actor: Actor) -> Location:
    """The quarantine location of the station's warehouse (the first warehouse when the
    station has none), made on first use."""
    wid = None
    if actor.station_id is not None:
        station = s.get(Station, actor.station_id)
        wid = station.warehouse_id if station else None
    if wid is None:
        wid = s.scalar(select(Warehouse.id).order_by(Warehouse.id).limit(1))
    if wid is None:
        raise ValidationError("There is no warehouse yet: set one up before receiving returns.")
    loc = s.scalar(
        select(Location).where(Location.warehouse_id == wid, Location.kind == QUARANTINE_KIND)
    )
    if loc is None:
        code = s.get_one(Warehouse, wid).code
        loc = Location(
            warehouse_id=wid,
            code=QUARANTINE_CODE,
            barcode=f"{QUARANTINE_CODE}-{code}",
            zone="Q",
            kind=QUARANTINE_KIND,
            sequence=999999,
        )
        s.add(loc)
        s.flush()
    return loc


@step
def put_away(
    uow: UnitOfWork, actor: Actor, line_id: int, disposition: str, location_id: int
) -> None:
    """Move one inspected return line's units to the location as ``disposition`` says."""
    s = uow.session
    line = s.get_one(ReturnLine, line_id)
    location = s.get_one(Location, location_id)
    how = Disposition(disposition)
    sku = s.get_one(Product, line.product_id).sku
    level = lock_bucket(s, location.id, line.product_id, line.lot_id, create=True)
    assert level is not None
    moves = [(line.qty, MovementReason.RETURN)]
    if how is Disposition.WRITE_OFF:
        moves.append((-line.qty, MovementReason.SCRAP))
    for delta, reason in moves:
        move_locked(
            uow,
            actor,
            level,
            delta,
            reason,
            sku=sku,
            location=location.code,
            ref_type=RETURN_REF,
            ref_id=line.return_id,
        )
    if how is Disposition.RESTOCK and line.pack_item_id is not None:
        s.execute(
            update(PackItem)
            .where(PackItem.id == line.pack_item_id, PackItem.voided_at.is_(None))
            .values(voided_at=utcnow())
        )
    line.disposition = how.value
    line.location_id = location.id
    line.inspected_at = utcnow()
    line.inspected_by = actor.user_id
