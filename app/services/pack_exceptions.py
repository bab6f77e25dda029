"""The pack exceptions list for supervisors: parcels the weight gate stopped, waiting.

A parcel whose weight is outside its expectation is stopped at the station (no label) and a
``pack_exceptions`` row of kind ``weight`` (or ``scale``) waits, unresolved, until:

- a supervisor scans their badge at the station (``packing.override_weight``: resolution
  ``override``, written by the pack core);
- the packer repacks and the parcel is weighed again, or a supervisor marks it so here
  (``resolve_exception(..., "repacked")``: the parcel stays, the station weighs it again);
- the parcel is unpacked (``resolve_exception(..., "voided")`` voids the parcel through
  ``pack_after.void_parcel``'s routine, or ``void_parcel`` itself resolves its open exceptions).

Mis-scans (wrong item, another order's item, one too many, another lot, a repeated serial) are
logged as they happen (resolution ``logged``) and are the shift's figures, not this list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.db.models import Order, PackException, Parcel, Station, User, utcnow
from app.db.uow import UnitOfWork
from app.domain.errors import NotFound, ValidationError
from app.domain.users import Actor, Permission
from app.services.access import reads, writes

#: the kinds that wait on the list for a supervisor
WAITING_KINDS = ("weight", "scale")
#: what a supervisor may resolve one as here (``override`` is the badge at the station)
RESOLUTIONS = ("repacked", "voided")


@dataclass(frozen=True)
class OpenException:
    id: int
    kind: str
    order_id: int | None
    order_number: str
    parcel_id: int | None
    parcel_seq: int | None
    station: str
    packer: str
    expected_g: int | None
    actual_g: int | None
    created_at: datetime
    #: seconds since it was stopped
    age_s: int
    #: the operator message as it was shown (English template and values)
    message: str
    params: dict[str, object]


class ExceptionResolved(ValidationError):
    template = "This exception was already resolved ({resolution}) by {user}. Refresh the list."


class BadResolution(ValidationError):
    template = "A pack exception is resolved as repacked or voided, not {resolution}."


@reads
def open_exceptions(
    uow: UnitOfWork, actor: Actor, *, now: datetime | None = None
) -> list[OpenException]:
    """Stopped parcels waiting for a supervisor, oldest first: order, station, packer, both
    weights and how long it has waited."""
    stmt = (
        select(PackException, Order.number, Parcel.seq, Station.code, User.username)
        .outerjoin(Order, Order.id == PackException.order_id)
        .outerjoin(Parcel, Parcel.id == PackException.parcel_id)
        .outerjoin(Station, Station.id == PackException.station_id)
        .outerjoin(User, User.id == PackException.user_id)
        .where(PackException.resolved_at.is_(None), PackException.kind.in_(WAITING_KINDS))
        .order_by(PackException.created_at, PackException.id)
    )
    with uow:
        uow.require(actor, Permission.OVERRIDE_WEIGHT)
        now = now or utcnow()
        return [
            OpenException(
                id=e.id,
                kind=e.kind,
                order_id=e.order_id,
                order_number=number or "",
                parcel_id=e.parcel_id,
                parcel_seq=seq,
                station=station or "",
                packer=packer or "",
                expected_g=e.expected_g,
                actual_g=e.actual_g,
                created_at=e.created_at,
                age_s=max(int((now - e.created_at).total_seconds()), 0),
                message=e.message,
                params=dict(e.params or {}),
            )
            for e, number, seq, station, packer in uow.session.execute(stmt)
        ]


@writes(Permission.OVERRIDE_WEIGHT)
def resolve_exception(
    uow: UnitOfWork, actor: Actor, exception_id: int, resolution: str, note: str = ""
) -> None:
    """Resolve a waiting exception as ``repacked`` (the parcel is weighed again at the station)
    or ``voided`` (the parcel is unpacked: its units are to be packed again; needs
    VOID_PARCELS too). Refused when it is already resolved; audited."""
    with uow:
        current = uow.require(actor, Permission.OVERRIDE_WEIGHT)
        if resolution not in RESOLUTIONS:
            raise BadResolution(resolution=resolution)
        row = uow.session.scalar(
            select(PackException).where(PackException.id == exception_id).with_for_update()
        )
        if row is None:
            raise NotFound(what="Pack exception", key=str(exception_id))
        if row.resolved_at is not None:
            who = uow.session.get(User, row.resolved_by) if row.resolved_by else None
            raise ExceptionResolved(
                resolution=row.resolution, user=who.username if who else "the system"
            )
        if resolution == "voided" and row.parcel_id is not None:
            from app.services.pack_after import void_in_uow

            current.require(Permission.VOID_PARCELS)
            void_in_uow(uow, current, row.parcel_id, note or "weight exception")
        mark_resolved(row, current, resolution)
        uow.audit(
            current,
            "pack_exception.resolve",
            "pack_exception",
            row.id,
            before={"resolution": ""},
            after={"resolution": resolution, "order_id": row.order_id},
            note=note,
        )
        uow.commit()


def mark_resolved(row: PackException, actor: Actor, resolution: str) -> None:
    row.resolved_at = utcnow()
    row.resolved_by = actor.user_id
    row.resolution = resolution
