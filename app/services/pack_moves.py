"""Stock moves of packing, inside the caller's unit of work.

When a parcel is labelled, its units leave the tote (or the bin, for an order packed straight
from allocation) as ledger lines (reason ``ship``, ``ref_type`` ``parcel``): the order line's
reservation there is consumed. ``unpack_back`` reverses them exactly (unpacking a parcel, h8):
the units go back into the location they came from (or another), reserved again for their
order lines.
"""

from __future__ import annotations

from app.db.uow import UnitOfWork
from app.domain.users import Actor
from app.services.access import step

PARCEL_REF = "parcel"


@step
def move_out(uow: UnitOfWork, actor: Actor, parcel_id: int) -> int:
    """The parcel's units leave the locations they are reserved at (tote or bin) for the
    parcel; returns the units moved."""
    raise NotImplementedError


@step
def unpack_back(
    uow: UnitOfWork, actor: Actor, parcel_id: int, *, to_location_id: int | None = None
) -> int:
    """Reverse ``move_out`` for a parcel: its units go back (into ``to_location_id``, or where
    they came from), reserved again for their order lines; returns the units moved back. The
    caller voids the parcel and its pack items."""
    raise NotImplementedError
