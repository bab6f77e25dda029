"""Shipped orders for the delivery tracking tests: PD1 and PD2 of the pack fixtures packed at the
station (real scans, real weights, real labels), then handed over: each order moved ``packed ->
shipped`` through the order state machine and its parcels marked shipped (``shipped_at``), as the
handover's close does. PD1 can get a second parcel (``second_parcel``) for the tests of an order
in several boxes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import insert, select

from app.bootstrap import Services
from app.db.models import Order, Parcel, utcnow
from app.domain.orders import OrderStatus
from app.domain.users import Actor
from app.services import packing
from app.services.orders import transition
from tests.pack_fixtures import PD1_WEIGHT, PackSetup, pack_ready, tea
from tests.pick_fixtures import BARCODES


@dataclass
class Shipped:
    setup: PackSetup
    #: order number -> id
    orders: dict[str, int]
    #: order number -> its first parcel's tracking number
    tracking: dict[str, str]
    #: order number -> its first parcel's id
    parcels: dict[str, int]


def pack_both(services: Services, setup: PackSetup) -> None:
    packer = setup.packer
    sid = services.run(packing.open_for_packing, packer, "TOTE-0001").session_id
    for text in (BARCODES["CUP-1"], BARCODES["CUP-1"], "PKG-BOX-S", tea("L1")):
        services.run(packing.scan, packer, sid, text)
    done = services.run(packing.weigh, packer, sid, PD1_WEIGHT)
    assert done.kind == "packed", (done.message, done.params)
    view = services.run(packing.open_for_packing, packer, "TOTE-0002")
    for _ in range(3):
        out = services.run(packing.scan, packer, view.session_id, BARCODES["PEN-1"])
    assert out.view.current_parcel is not None and out.view.current_parcel.expected_g
    done = services.run(packing.weigh, packer, view.session_id, out.view.current_parcel.expected_g)
    assert done.kind == "packed", (done.message, done.params)


def mark_shipped(
    services: Services, actor: Actor, numbers: list[str], at: datetime | None = None
) -> None:
    """What closing a handover does to the orders: shipped, their parcels shipped at ``at``."""
    when = at or utcnow()
    with services.uow() as uow:
        s = uow.session
        for order in s.scalars(select(Order).where(Order.number.in_(numbers))):
            transition(uow, actor, order, OrderStatus.SHIPPED, "handed over")
            for parcel in s.scalars(select(Parcel).where(Parcel.order_id == order.id)):
                if parcel.status == "labelled":
                    parcel.status, parcel.shipped_at = "shipped", when
        uow.commit()


def shipped_orders(
    services: Services, admin: Actor, *, ship: tuple[str, ...] = ("PD1", "PD2"), days_ago: int = 0
) -> Shipped:
    """PD1 and PD2 packed; those in ``ship`` shipped ``days_ago`` days ago."""
    setup = pack_ready(services, admin)
    pack_both(services, setup)
    if ship:
        mark_shipped(services, admin, list(ship), utcnow() - timedelta(days=days_ago))
    with services.uow() as uow:
        rows = uow.session.execute(
            select(Order.number, Order.id, Parcel.id, Parcel.tracking_number)
            .join(Parcel, Parcel.order_id == Order.id)
            .where(Order.number.in_(("PD1", "PD2")))
            .order_by(Parcel.seq)
        ).all()
    return Shipped(
        setup,
        {n: oid for n, oid, _, _ in rows},
        {n: t for n, _, _, t in rows},
        {n: pid for n, _, pid, _ in rows},
    )


def second_parcel(services: Services, shipped: Shipped, number: str, tracking: str) -> int:
    """A second labelled and shipped parcel of order ``number``, with its own tracking number."""
    with services.uow() as uow:
        first = uow.session.get_one(Parcel, shipped.parcels[number])
        pid = uow.session.execute(
            insert(Parcel).returning(Parcel.id),
            [
                {
                    "order_id": first.order_id,
                    "seq": 2,
                    "status": "shipped",
                    "carrier_id": first.carrier_id,
                    "carrier_service_id": first.carrier_service_id,
                    "tracking_number": tracking,
                    "weight_g": 500,
                    "labelled_at": first.labelled_at,
                    "shipped_at": first.shipped_at,
                }
            ],
        ).scalar_one()
        uow.commit()
        return int(pid)
