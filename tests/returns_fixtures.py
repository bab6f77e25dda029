"""Shipped orders to take back: the pack fixtures' orders packed at the station (PD1: 2 CUP-1
and 1 TEA-1 of lot L1 in one parcel; PD2: 3 PEN-1, optionally serial-tracked SN-1..SN-3), then
made ``shipped`` through the order state machine with their parcels marked shipped, as the
carrier handover will do. A returns clerk is made too."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update

from app.bootstrap import Services
from app.db.models import Order, Parcel, Product, utcnow
from app.domain.orders import OrderStatus
from app.domain.users import Actor, Role
from app.services import orders, packing
from tests.conftest import make_actor
from tests.pack_fixtures import PD1_WEIGHT, PackSetup, pack_ready, tea
from tests.pick_fixtures import BARCODES

CUP, PEN = BARCODES["CUP-1"], BARCODES["PEN-1"]
SERIALS = ("SN-1", "SN-2", "SN-3")


@dataclass
class ShippedSetup:
    pack: PackSetup
    clerk: Actor
    admin: Actor
    #: order number -> its parcel's tracking number
    tracking: dict[str, str]
    order_ids: dict[str, int]


def _pack(
    services: Services, packer: Actor, tote: str, scans: list[str], weight: int | None
) -> str:
    view = services.run(packing.open_for_packing, packer, tote)
    out = None
    for text in scans:
        out = services.run(packing.scan, packer, view.session_id, text)
        assert out.ok, (text, out.params)
    assert out is not None and out.view.current_parcel is not None
    grams = weight if weight is not None else out.view.current_parcel.expected_g
    assert grams is not None
    done = services.run(packing.weigh, packer, view.session_id, grams)
    assert done.kind == "packed", (done.message, done.params)
    tracking = done.view.parcels[0].tracking_number
    assert tracking
    return tracking


def mark_shipped(services: Services, actor: Actor, order_ids: list[int]) -> None:
    """Orders ``shipped`` through the state machine, their labelled parcels ``shipped``."""
    with services.uow() as uow:
        s = uow.session
        for order in s.scalars(select(Order).where(Order.id.in_(order_ids))):
            orders.transition(uow, actor, order, OrderStatus.SHIPPED, "handed to the carrier")
        s.execute(
            update(Parcel)
            .where(Parcel.order_id.in_(order_ids), Parcel.status == "labelled")
            .values(status="shipped", shipped_at=utcnow())
        )
        uow.commit()


def shipped_orders(services: Services, admin: Actor, *, serials: bool = False) -> ShippedSetup:
    setup = pack_ready(services, admin)
    if serials:
        with services.uow() as uow:
            uow.session.execute(
                update(Product).where(Product.sku == "PEN-1").values(serial_tracked=True)
            )
            uow.commit()
    pd1 = _pack(services, setup.packer, "TOTE-0001", [CUP, CUP, "PKG-BOX-S", tea("L1")], PD1_WEIGHT)
    pens = [x for s in SERIALS for x in (PEN, s)] if serials else [PEN, PEN, PEN]
    pd2 = _pack(services, setup.packer, "TOTE-0002", pens, None)
    ids = dict(zip(["PD1", "PD2"], setup.pick.order_ids, strict=True))
    mark_shipped(services, admin, list(ids.values()))
    clerk = make_actor(services, admin, Role.RETURNS_CLERK)
    return ShippedSetup(setup, clerk, admin, {"PD1": pd1, "PD2": pd2}, ids)
