"""The pickup counter (自提柜台): the customer of a pickup order comes to collect it.

A packed pickup order waits on the pickup shelf in its slot (``pack_pickup``). At the counter
the clerk scans the pickup slip (its barcode is the order number) or types the order number or
the channel's order id: ``find_pickup`` shows the order, its slot and the recipient (masked by
the channel's policy, as on the slip) so the parcel can be fetched and the customer checked.
``collect_pickup`` hands it over (permission SHIP; audited): its parcels become ``shipped``,
their units leave stock out of the outbound dock (``pack_moves.ship_from_dock``, reason
``ship``), and the order goes ``packed -> shipped -> delivered`` with a status-history note
naming the slot. The slot is free again for the next pickup order. No shipped or delivered
notice is queued: the customer is standing at the counter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from app.db.models import Address, Channel, Order, OrderStatusChange, Parcel, utcnow
from app.db.uow import UnitOfWork
from app.domain import pickup_shelf as rules
from app.domain.orders import OrderStatus, status_note
from app.domain.privacy import mask_recipient
from app.domain.users import Actor, Permission
from app.services import orders as order_service
from app.services import pack_moves
from app.services.access import reads, writes
from app.services.pack_state import P_LABELLED, P_VOIDED

#: how many waiting orders the counter lists at most (the oldest first)
LIST_LIMIT = 500


@dataclass(frozen=True)
class WaitingPickup:
    """A packed pickup order on the shelf."""

    order_id: int
    order_number: str
    external_id: str
    channel: str
    slot: str
    #: the recipient as the channel's policy lets the counter show them
    name: str
    phone: str
    parcels: int
    packed_at: datetime | None

    def as_dict(self) -> dict[str, object]:
        return {
            "order": self.order_number,
            "external_id": self.external_id,
            "channel": self.channel,
            "slot": self.slot,
            "name": self.name,
            "phone": self.phone,
            "parcels": self.parcels,
            "packed_at": self.packed_at.isoformat() if self.packed_at else None,
        }


@dataclass(frozen=True)
class PickupCollected:
    order_id: int
    order_number: str
    slot: str
    parcels: int
    units: int
    collected_at: datetime

    def as_dict(self) -> dict[str, object]:
        return {
            "order": self.order_number,
            "slot": self.slot,
            "parcels": self.parcels,
            "units": self.units,
            "collected_at": self.collected_at.isoformat(),
        }


def _waiting_query() -> Select[tuple[Order, Channel, Address]]:  # Address: None when no row
    return (
        select(Order, Channel, Address)
        .join(Channel, Channel.id == Order.channel_id)
        .outerjoin(Address, Address.id == Order.ship_address_id)
        .where(Order.pickup, Order.status == OrderStatus.PACKED.value)
    )


def _views(s: Session, rows: list[tuple[Order, Channel, Address | None]]) -> list[WaitingPickup]:
    ids = [o.id for o, _, _ in rows]
    facts: dict[int, tuple[str, int, datetime | None]] = {}
    if ids:
        for oid, slot, n, packed in s.execute(
            select(
                Parcel.order_id,
                func.max(Parcel.pickup_slot),
                func.count(Parcel.id),
                func.max(Parcel.labelled_at),
            )
            .where(Parcel.order_id.in_(ids), Parcel.status != P_VOIDED)
            .group_by(Parcel.order_id)
        ):
            facts[oid] = (slot or "", int(n), packed)
    out = []
    for o, ch, addr in rows:
        who = mask_recipient(
            ch.mask_policy, addr.name if addr else "", addr.phone if addr else "", ""
        )
        slot, n, packed = facts.get(o.id, ("", 0, None))
        out.append(
            WaitingPickup(
                o.id, o.number, o.external_id, ch.code, slot, who.name, who.phone, n, packed
            )
        )
    return out


@reads
def waiting_pickups(uow: UnitOfWork, actor: Actor) -> tuple[WaitingPickup, ...]:
    """The packed pickup orders on the shelf, the longest waiting first."""
    with uow:
        uow.require(actor, Permission.SHIP)
        rows = uow.session.execute(
            _waiting_query().order_by(Order.updated_at, Order.id).limit(LIST_LIMIT)
        ).all()
        views = _views(uow.session, [(o, c, a) for o, c, a in rows])
        return tuple(sorted(views, key=lambda v: (v.packed_at or datetime.max, v.order_number)))


def _find(s: Session, scan: str) -> Order:
    text = scan.strip()
    found = s.scalars(
        select(Order)
        .where(or_(Order.number == text, Order.external_id == text))
        .order_by(Order.number != text, Order.id)
    ).all()
    if not found:
        raise rules.UnknownPickup(scan=text)
    pickups = [o for o in found if o.pickup]
    if not pickups:
        raise rules.NotAPickup(order=found[0].number)
    order = next((o for o in pickups if o.status == OrderStatus.PACKED.value), pickups[0])
    if order.status in (OrderStatus.SHIPPED.value, OrderStatus.DELIVERED.value):
        when = s.scalar(
            select(func.max(OrderStatusChange.at)).where(
                OrderStatusChange.order_id == order.id,
                OrderStatusChange.to_status == OrderStatus.SHIPPED.value,
            )
        )
        if when is not None and when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        shown = when.astimezone().strftime("%Y-%m-%d %H:%M") if when else "?"
        raise rules.AlreadyCollected(order=order.number, when=shown)
    if order.status != OrderStatus.PACKED.value:
        raise rules.PickupNotReady(order=order.number, status=order.status)
    return order


@reads
def find_pickup(uow: UnitOfWork, actor: Actor, scan: str) -> WaitingPickup:
    """The waiting pickup order the scan names (its slot, its recipient), or why not."""
    with uow:
        uow.require(actor, Permission.SHIP)
        order = _find(uow.session, scan)
        row = uow.session.execute(_waiting_query().where(Order.id == order.id)).one()
        return _views(uow.session, [(row[0], row[1], row[2])])[0]


@writes(Permission.SHIP)
def collect_pickup(uow: UnitOfWork, actor: Actor, scan: str) -> PickupCollected:
    """Hand the scanned pickup order to its customer (see the module)."""
    with uow:
        current = uow.require(actor, Permission.SHIP)
        s = uow.session
        order = _find(s, scan)
        s.refresh(order, with_for_update=True)  # two clerks scanning it at once: one wins
        if order.status != OrderStatus.PACKED.value:
            order = _find(s, scan)  # says what the other clerk did
        parcels = list(
            s.scalars(
                select(Parcel)
                .where(Parcel.order_id == order.id, Parcel.status == P_LABELLED)
                .order_by(Parcel.seq)
            )
        )
        slot = next((p.pickup_slot for p in parcels if p.pickup_slot), None) or ""
        now = utcnow()
        for p in parcels:
            p.status, p.shipped_at = "shipped", now
        s.flush()
        units = pack_moves.ship_from_dock(uow, current, [p.id for p in parcels])
        note = status_note("collected", slot=slot or "-")
        order_service.transition(uow, current, order, OrderStatus.SHIPPED, note)
        order_service.transition(uow, current, order, OrderStatus.DELIVERED, note)
        uow.audit(
            current, "pickup.collect", "order", order.number, {"status": "packed"},
            {"status": "delivered", "slot": slot, "parcels": len(parcels), "units": units},
        )  # fmt: skip
        out = PickupCollected(order.id, order.number, slot, len(parcels), units, now)
        uow.commit()
        return out
