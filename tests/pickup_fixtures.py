"""A pickup shop: the pack fixtures' two orders are pickup orders (PD2 with a recipient and the
channel order id TB-778899) and the pickup shelf has slots S-07 and S-08; ``pack_pd1``/``pack_pd2``
pack them through the real station."""

from __future__ import annotations

from sqlalchemy import insert, update

from app.bootstrap import Services
from app.db.models import Address, Order
from app.domain.pack_settings import PackSettings
from app.domain.users import Actor
from app.services import pack_settings, packing
from tests.pack_fixtures import PackSetup, pack_ready, tea
from tests.pick_fixtures import BARCODES


def pickup_shop(services: Services, admin: Actor) -> PackSetup:
    """PD1 and PD2 are pickup orders; PD2 has a recipient and the channel order id TB-778899."""
    setup = pack_ready(services, admin)
    with services.uow() as uow:
        s = uow.session
        aid = s.execute(
            insert(Address).returning(Address.id),
            [{"name": "张三丰", "phone": "13812345678", "street": "1 Road", "city": "杭州"}],
        ).scalar_one()  # fmt: skip
        s.execute(update(Order).values(pickup=True))
        s.execute(
            update(Order)
            .where(Order.number == "PD2")
            .values(ship_address_id=aid, external_id="TB-778899")
        )
        uow.commit()
    old = services.run(pack_settings.get_pack_settings)
    services.run(
        pack_settings.save_pack_settings,
        admin,
        PackSettings(**{**old.to_json(), "pickup_slots": "S-07..S-08"}),
    )
    return setup


def pack_pd2(services: Services, setup: PackSetup) -> None:
    sid = services.run(packing.open_for_packing, setup.packer, "TOTE-0002").session_id
    for _ in range(3):
        done = services.run(packing.scan, setup.packer, sid, BARCODES["PEN-1"])
    assert done.ok and done.kind == "packed_pickup", (done.message, done.params)


def pack_pd1(services: Services, setup: PackSetup) -> None:
    sid = services.run(packing.open_for_packing, setup.packer, "TOTE-0001").session_id
    for text in (BARCODES["CUP-1"], BARCODES["CUP-1"], tea("L1")):
        done = services.run(packing.scan, setup.packer, sid, text)
    assert done.ok and done.kind == "packed_pickup", (done.message, done.params)
