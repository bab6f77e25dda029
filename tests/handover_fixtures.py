"""Two orders packed through the real station services, ready to hand over: PD1 (2 cups and a
tea, TOTE-0001) and PD2 (3 pens, TOTE-0002), each one labelled parcel of the SF pool carrier,
and a shipper (the pack fixtures' packer and supervisor are there too)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.bootstrap import Services
from app.db.models import Parcel
from app.domain.users import Actor, Role
from app.services import packing
from tests.conftest import make_actor
from tests.pack_fixtures import PD1_WEIGHT, PackSetup, pack_ready, tea
from tests.pick_fixtures import BARCODES


@dataclass
class ShipSetup:
    pack: PackSetup
    shipper: Actor
    #: order number -> its parcel's tracking number
    tracking: dict[str, str]

    @property
    def supervisor(self) -> Actor:
        return self.pack.supervisor


def pack_pd1(services: Services, setup: PackSetup) -> None:
    sid = services.run(packing.open_for_packing, setup.packer, "TOTE-0001").session_id
    for text in (BARCODES["CUP-1"], BARCODES["CUP-1"], "PKG-BOX-S", tea("L1")):
        services.run(packing.scan, setup.packer, sid, text)
    done = services.run(packing.weigh, setup.packer, sid, PD1_WEIGHT)
    assert done.kind == "packed", (done.message, done.params)


def pack_pd2(services: Services, setup: PackSetup) -> None:
    view = services.run(packing.open_for_packing, setup.packer, "TOTE-0002")
    for _ in range(3):
        out = services.run(packing.scan, setup.packer, view.session_id, BARCODES["PEN-1"])
    assert out.view.current_parcel is not None and out.view.current_parcel.expected_g
    done = services.run(
        packing.weigh, setup.packer, view.session_id, out.view.current_parcel.expected_g
    )
    assert done.kind == "packed", (done.message, done.params)


def ship_ready(services: Services, admin: Actor, *, pack_two: bool = True) -> ShipSetup:
    setup = pack_ready(services, admin)
    pack_pd1(services, setup)
    if pack_two:
        pack_pd2(services, setup)
    shipper = make_actor(services, admin, Role.SHIPPER)
    return ShipSetup(setup, shipper, trackings(services))


def trackings(services: Services) -> dict[str, str]:
    from app.db.models import Order

    with services.uow() as uow:
        rows = uow.session.execute(
            select(Order.number, Parcel.tracking_number)
            .join(Parcel, Parcel.order_id == Order.id)
            .where(Parcel.tracking_number.is_not(None))
            .order_by(Parcel.id)
        ).all()
    return {n: t for n, t in rows if t}
