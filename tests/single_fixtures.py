"""A picked single-unit batch (一单一品) ready at the pack bench: four orders of one unit each,
picked in bulk into the batch's tote TOTE-0900 (S1, S3, S4: one CUP-1 each; S2: one PEN-1),
placed S3 first, then S1, S2, S4; a carrier with a pool, cartons, catalogue weights, packing
settings, a packer and a supervisor with a badge (as tests/pack_fixtures.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from app.bootstrap import Services
from app.db.models import Order, PackageType, PickBatch
from app.domain.pack_settings import PackSettings
from app.domain.users import Actor, Role
from app.services import auth, pack_settings, picking, scanning
from tests.conftest import make_actor
from tests.pack_fixtures import BADGE, WEIGHTS, add_carrier, catalogue
from tests.pick_fixtures import BARCODES, picking_batch

TOTE = "TOTE-0900"
#: order number -> its one SKU, in the order they were placed
PLACED = {"S3": "CUP-1", "S1": "CUP-1", "S2": "PEN-1", "S4": "CUP-1"}
#: a polybag's tare (the carton suggested for one unit of either product)
BAG_TARE = 10


@dataclass
class SingleSetup:
    batch_id: int
    orders: dict[str, int]
    packer: Actor
    supervisor: Actor
    carrier_id: int
    service_id: int
    numbers: list[str] = field(default_factory=list)


def weight_of(sku: str) -> int:
    return WEIGHTS[sku] + BAG_TARE


def single_ready(
    services: Services,
    admin: Actor,
    *,
    settings: PackSettings | None = None,
    numbers: int = 6,
) -> SingleSetup:
    picker = make_actor(services, admin, Role.PICKER)
    setup = picking_batch(
        services,
        admin,
        picker,
        method="single_unit",
        orders={n: [(sku, 1)] for n, sku in sorted(PLACED.items())},
        tasks=[
            ("A-01", "CUP-1", None, [("S1", 1), ("S3", 1), ("S4", 1)]),
            ("B-01", "PEN-1", None, [("S2", 1)]),
        ],
    )
    t0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    with services.uow() as uow:
        s = uow.session
        ids = dict(s.execute(select(Order.number, Order.id)).tuples().all())
        for i, number in enumerate(PLACED):
            s.execute(
                update(Order)
                .where(Order.id == ids[number])
                .values(placed_at=t0 + timedelta(minutes=i))
            )
        uow.commit()
    for text in (
        "LOC-A-01", BARCODES["CUP-1"], "PD-CMD-QTY-3", TOTE,
        "LOC-B-01", BARCODES["PEN-1"], TOTE,
    ):  # fmt: skip
        event = services.run(scanning.classify, text)
        result = services.run(picking.pick_scan, picker, setup.batch_id, event)
        assert result.accepted, (text, result.params)
    with services.uow() as uow:
        batch = uow.session.get_one(PickBatch, setup.batch_id)
        assert batch.status == "picked"
    cid, sid, nums = add_carrier(services, numbers=numbers)
    with services.uow() as uow:
        uow.session.execute(
            update(Order).where(Order.id.in_(ids.values())).values(carrier_service_id=sid)
        )
        uow.commit()
    catalogue(services)
    with services.uow() as uow:  # single units ship in polybags here: the boxes are put away
        uow.session.execute(
            update(PackageType).where(PackageType.kind == "box").values(active=False)
        )
        uow.commit()
    services.run(
        pack_settings.save_pack_settings,
        admin,
        settings or PackSettings(sender_name="茶杯小店", sender_city="杭州", sender_phone="0571"),
    )
    packer = make_actor(services, admin, Role.PACKER)
    services.run(
        auth.create_user, admin, "boss", Role.SUPERVISOR, "secret-pass-1", badge=BADGE, pin="4821"
    )
    supervisor = services.run(auth.login, "boss", "secret-pass-1", services.station_id)
    return SingleSetup(setup.batch_id, ids, packer, supervisor, cid, sid, nums)
