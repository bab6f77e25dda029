"""Closing a handover (the driver takes the parcels) and reopening a closed one.

**Close** (permission SHIP; audited): the manifest PDF is written to the manifests folder
(``data/manifests/HO-....pdf`` by default) and queued for the station's document printer; each
parcel on it becomes ``shipped`` (``shipped_at``) and its units leave stock out of the dock
(``pack_moves.ship_from_dock``: ``ship`` lines, reference the parcel); each order whose parcels
(voided ones aside) are now all shipped becomes ``shipped`` with a status-history note naming
the handover, and ``order_events.orders_shipped`` is called for them in the same transaction.
Parcels still missing do not stop the close (the screen asks first). A handover whose parcel's
order was stopped since (held, cancelled) is refused: take that parcel off first.

**Reopen** (permission REOPEN_HANDOVER, supervisors; a reason; audited): the handover is open
again (and takes scans); its parcels are ``labelled`` again and their units come back into the
dock (``pack_moves.back_to_dock``). An order goes back to ``packed`` only while it is still
``shipped`` with nothing after: an order delivered or returned since keeps its status, and its
parcels stay shipped (they are with the carrier, whatever the manifest says). Refused while
another handover of the carrier is open for that day (close that one first).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from app.config import default_paths
from app.db.models import Carrier, Handover, HandoverParcel, Order, Parcel, User, utcnow
from app.db.uow import UnitOfWork
from app.domain import handover as rules
from app.domain.orders import OrderStatus, status_note
from app.domain.users import Actor, Permission
from app.labels.manifest import ManifestData, ManifestLine, manifest_pdf
from app.services import document_jobs, order_events, pack_moves, pack_settings
from app.services import orders as order_service
from app.services.access import writes

MANIFEST_KIND = "handover_manifest"


@dataclass(frozen=True)
class HandoverClosed:
    handover_id: int
    number: str
    parcels: int
    orders_shipped: int
    weight_kg: float
    manifest_path: str
    carrier_code: str = ""
    #: the manifest's print job (None when the station prints no documents)
    manifest_job_id: int | None = None
    #: the carrier's labelled parcels still on no handover when it was closed
    missing: int = 0
    units_shipped: int = 0


@dataclass(frozen=True)
class ReopenReport:
    handover_id: int
    number: str
    #: orders back to ``packed``
    orders_back: tuple[str, ...]
    #: orders that moved on since (delivered, returned): left as they are
    orders_kept: tuple[str, ...]
    units_back: int


def _locked(uow: UnitOfWork, handover_id: int) -> Handover:
    row = uow.session.scalar(
        select(Handover)
        .where(Handover.id == handover_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if row is None:
        raise rules.HandoverNotFound(key=str(handover_id))
    return row


def _parcels_of(uow: UnitOfWork, handover_id: int) -> list[Parcel]:
    return list(
        uow.session.scalars(
            select(Parcel)
            .join(HandoverParcel, HandoverParcel.parcel_id == Parcel.id)
            .where(HandoverParcel.handover_id == handover_id)
            .order_by(HandoverParcel.id)
            .with_for_update()
        )
    )


@writes(Permission.SHIP)
def close_handover(
    uow: UnitOfWork,
    actor: Actor,
    handover_id: int,
    *,
    manifest_dir: Path | None = None,
    station_id: int | None = None,
) -> HandoverClosed:
    """Close the handover (see the module): manifest written and queued, parcels and orders
    shipped, stock out of the dock."""
    with uow:
        current = uow.require(actor, Permission.SHIP)
        s = uow.session
        handover = _locked(uow, handover_id)
        if handover.status != rules.OPEN:
            raise rules.HandoverNotOpen(handover=handover.number)
        parcels = _parcels_of(uow, handover.id)
        if not parcels:
            raise rules.HandoverEmpty(handover=handover.number)
        orders = {
            o.id: o
            for o in s.scalars(select(Order).where(Order.id.in_({p.order_id for p in parcels})))
        }
        for p in parcels:
            if p.status == "labelled" and orders[p.order_id].status != OrderStatus.PACKED.value:
                raise rules.StoppedOnHandover(
                    tracking=p.tracking_number or "", order=orders[p.order_id].number,
                    status=orders[p.order_id].status, handover=handover.number,
                )  # fmt: skip
        carrier = s.get_one(Carrier, handover.carrier_id)
        now = utcnow()
        leaving = [p for p in parcels if p.status == "labelled"]
        for p in leaving:
            p.status, p.shipped_at = "shipped", now
        s.flush()
        units = pack_moves.ship_from_dock(uow, current, [p.id for p in leaving])
        packed = [o for o in orders.values() if o.status == OrderStatus.PACKED.value]
        shipped = _ship_orders(uow, current, packed, carrier.code, handover.number)
        handover.status, handover.closed_at, handover.closed_by = rules.CLOSED, now, current.user_id
        handover.parcels = len(parcels)
        handover.weight_g = sum(p.weight_g or 0 for p in parcels)
        pdf = manifest_pdf(_manifest_data(uow, current, handover, carrier, parcels))
        path = (manifest_dir or default_paths().data_dir / "manifests") / f"{handover.number}.pdf"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pdf)
        handover.manifest_path = str(path)
        job = document_jobs.enqueue_document(
            uow, current, MANIFEST_KIND, handover.number, pdf, station_id or current.station_id
        )
        handover.manifest_job_id = job
        order_events.orders_shipped(uow, current, shipped)
        missing = _missing_count(uow, handover)
        uow.audit(
            current, "handover.close", "handover", handover.number, {"status": "open"},
            {"status": "closed", "parcels": len(parcels), "orders_shipped": len(shipped),
             "weight_g": handover.weight_g, "missing": missing, "manifest": str(path)},
        )  # fmt: skip
        out = HandoverClosed(
            handover.id, handover.number, len(parcels), len(shipped),
            round(handover.weight_g / 1000, 3), str(path), carrier.code, job, missing, units,
        )  # fmt: skip
        uow.commit()
        return out


def _missing_count(uow: UnitOfWork, handover: Handover) -> int:
    from app.services.handover_views import count_missing

    return count_missing(uow.session, handover.carrier_id, handover.day)


def _ship_orders(
    uow: UnitOfWork, actor: Actor, orders: list[Order], carrier: str, number: str
) -> list[int]:
    """The orders all of whose parcels are shipped now become ``shipped``."""
    s = uow.session
    statuses: dict[int, list[str]] = {o.id: [] for o in orders}
    for oid, status in s.execute(
        select(Parcel.order_id, Parcel.status).where(Parcel.order_id.in_(list(statuses)))
    ):
        statuses[oid].append(status)
    done = rules.shipped_orders(statuses)
    note = status_note("handed_over", carrier=carrier, handover=number)
    by_id = {o.id: o for o in orders}
    for oid in done:
        order_service.transition(uow, actor, by_id[oid], OrderStatus.SHIPPED, note)
    return done


def _manifest_data(
    uow: UnitOfWork, actor: Actor, handover: Handover, carrier: Carrier, parcels: list[Parcel]
) -> ManifestData:
    s = uow.session
    numbers = dict(
        s.execute(select(Order.id, Order.number).where(Order.id.in_({p.order_id for p in parcels})))
        .tuples()
        .all()
    )
    counts: dict[int, int] = {}
    for oid, status in s.execute(
        select(Parcel.order_id, Parcel.status).where(Parcel.order_id.in_(list(numbers)))
    ):
        if status != "voided":
            counts[oid] = counts.get(oid, 0) + 1
    who = s.get(User, actor.user_id) if actor.user_id else None
    closed = rules.as_local(handover.closed_at or utcnow())
    lines = tuple(
        ManifestLine(p.tracking_number or "", numbers[p.order_id], p.seq,
                     max(counts.get(p.order_id, 1), p.seq), p.weight_g)
        for p in parcels
    )  # fmt: skip
    return ManifestData(
        handover.number, carrier.code, carrier.name, f"{handover.day:%Y-%m-%d}",
        f"{closed:%Y-%m-%d %H:%M}", (who.display_name or who.username) if who else actor.username,
        pack_settings.settings_in(s).sender_name, lines,
    )  # fmt: skip


@writes(Permission.REOPEN_HANDOVER)
def reopen_handover(uow: UnitOfWork, actor: Actor, handover_id: int, reason: str) -> ReopenReport:
    """Reopen a closed handover (see the module); audited with the reason."""
    with uow:
        current = uow.require(actor, Permission.REOPEN_HANDOVER)
        s = uow.session
        handover = _locked(uow, handover_id)
        if handover.status != rules.CLOSED:
            raise rules.HandoverNotClosed(handover=handover.number)
        if not reason.strip():
            raise rules.ReopenNeedsReason(handover=handover.number)
        other = s.scalar(
            select(Handover.number).where(
                Handover.carrier_id == handover.carrier_id,
                Handover.day == handover.day,
                Handover.status == rules.OPEN,
            )
        )
        if other is not None:
            carrier = s.get_one(Carrier, handover.carrier_id).code
            raise rules.AnotherHandoverOpen(other=other, carrier=carrier, handover=handover.number)
        parcels = _parcels_of(uow, handover.id)
        orders = {
            o.id: o
            for o in s.scalars(select(Order).where(Order.id.in_({p.order_id for p in parcels})))
        }
        back = [o for o in orders.values() if o.status == OrderStatus.SHIPPED.value]
        waiting = (OrderStatus.SHIPPED.value, OrderStatus.PACKED.value)
        kept = [o for o in orders.values() if o.status not in waiting]
        kept_ids = {o.id for o in kept}
        moving = [p for p in parcels if p.order_id not in kept_ids and p.status == "shipped"]
        for p in moving:
            p.status, p.shipped_at = "labelled", None
        s.flush()
        units = pack_moves.back_to_dock(uow, current, [p.id for p in moving])
        note = status_note("handover_reopened", handover=handover.number, reason=reason.strip())
        for o in sorted(back, key=lambda o: o.id):
            order_service.transition(uow, current, o, OrderStatus.PACKED, note)
        handover.status, handover.reopened_at = rules.OPEN, utcnow()
        handover.reopened_by, handover.reopen_reason = current.user_id, reason.strip()
        handover.closed_at = handover.closed_by = None
        uow.audit(
            current, "handover.reopen", "handover", handover.number, {"status": "closed"},
            {"status": "open", "orders_back": [o.number for o in back],
             "orders_kept": [o.number for o in kept], "units_back": units},
            note=reason.strip(),
        )  # fmt: skip
        out = ReopenReport(
            handover.id, handover.number, tuple(sorted(o.number for o in back)),
            tuple(sorted(o.number for o in kept)), units,
        )  # fmt: skip
        uow.commit()
        return out
