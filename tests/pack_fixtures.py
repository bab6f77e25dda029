"""A picked warehouse ready to pack: the pick fixtures' batch picked into its totes (PD1 in
TOTE-0001: 2 CUP-1 and 1 TEA-1 of lot L1; PD2 in TOTE-0002: 3 PEN-1), a carrier with a pool of
tracking numbers and a service the orders ship with, cartons, catalogue weights, packing
settings with the shop as sender, and a packer and a supervisor with a badge."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from app.bootstrap import Services
from app.db.models import (
    Base,
    Carrier,
    CarrierService,
    Order,
    PackageType,
    PrintJob,
    Product,
    TrackingNumber,
)
from app.domain.pack_settings import PackSettings
from app.domain.scans import GS
from app.domain.users import Actor, Role
from app.services import auth, pack_settings, picking, print_drawing, scanning
from tests.conftest import make_actor
from tests.pick_fixtures import BARCODES, SOON, PickSetup, picking_batch

WEIGHTS = {"CUP-1": 350, "TEA-1": 110, "PEN-1": 20}
DIMS = {"CUP-1": (80, 80, 200), "TEA-1": (100, 60, 40), "PEN-1": (150, 10, 10)}
BOX_TARE = 120
BADGE = "BADGE-SUP-1"
#: PD1 in the small box: two cups, a tea and the carton
PD1_WEIGHT = 2 * WEIGHTS["CUP-1"] + WEIGHTS["TEA-1"] + BOX_TARE


@dataclass
class PackSetup:
    pick: PickSetup
    packer: Actor
    supervisor: Actor
    carrier_id: int
    service_id: int
    numbers: list[str] = field(default_factory=list)


def tea(lot: str, serial: str = "") -> str:
    """A GS1-128 scan of the tea with its lot (and serial)."""
    tail = f"{GS}21{serial}" if serial else ""
    return f"]C101{BARCODES['TEA-1'].zfill(14)}10{lot}{GS}17{SOON:%y%m%d}{tail}"


def pick_everything(services: Services, picker: Actor, setup: PickSetup) -> None:
    for text in (
        "LOC-A-01",
        BARCODES["CUP-1"],
        BARCODES["CUP-1"],
        "TOTE-0001",
        "LOC-A-02",
        tea("L1"),
        "TOTE-0001",
        "LOC-B-01",
        BARCODES["PEN-1"],
        "PD-CMD-QTY-3",
        "TOTE-0002",
    ):
        event = services.run(scanning.classify, text)
        result = services.run(picking.pick_scan, picker, setup.batch_id, event)
        assert result.accepted, (text, result.params)


def add_carrier(
    services: Services, *, numbers: int = 5, master_child: bool = False, code: str = "SF"
) -> tuple[int, int, list[str]]:
    """A pool carrier with a service and ``numbers`` free numbers (SF0000000001...)."""
    with services.uow() as uow:
        s = uow.session
        cid = s.execute(
            insert(Carrier).returning(Carrier.id),
            [
                {
                    "code": code,
                    "name": f"{code} Express",
                    "plugin": "pool",
                    "master_child": master_child,
                    "pool_low_warning": 3,
                }
            ],
        ).scalar_one()
        sid = s.execute(
            insert(CarrierService).returning(CarrierService.id),
            [{"carrier_id": cid, "code": "STD", "name": "Standard"}],
        ).scalar_one()
        uow.commit()
    return cid, sid, load_numbers(services, cid, numbers)


def load_numbers(services: Services, carrier_id: int, n: int, start: int = 1) -> list[str]:
    nums = [f"SF{start + i:010d}" for i in range(n)]
    if nums:
        with services.uow() as uow:
            uow.session.execute(
                insert(TrackingNumber),
                [{"carrier_id": carrier_id, "number": x, "status": "free"} for x in nums],
            )
            uow.commit()
    return nums


def catalogue(services: Services) -> None:
    """Weights and sizes of the products, and two cartons and a polybag."""
    with services.uow() as uow:
        s = uow.session
        for sku, w in WEIGHTS.items():
            length, width, height = DIMS[sku]
            s.execute(
                update(Product)
                .where(Product.sku == sku)
                .values(weight_g=w, length_mm=length, width_mm=width, height_mm=height)
            )
        s.execute(
            insert(PackageType),
            [
                {
                    "code": "BOX-S",
                    "name": "Small box",
                    "kind": "box",
                    "barcode": "PKG-BOX-S",
                    "inner_length_mm": 250,
                    "inner_width_mm": 200,
                    "inner_height_mm": 150,
                    "tare_g": BOX_TARE,
                },
                {
                    "code": "BOX-L",
                    "name": "Large box",
                    "kind": "box",
                    "barcode": "PKG-BOX-L",
                    "inner_length_mm": 400,
                    "inner_width_mm": 300,
                    "inner_height_mm": 300,
                    "tare_g": 300,
                },
                {
                    "code": "BAG",
                    "name": "Polybag",
                    "kind": "polybag",
                    "barcode": "PKG-BAG",
                    "tare_g": 10,
                },
            ],
        )
        uow.commit()


def pack_ready(
    services: Services,
    admin: Actor,
    *,
    settings: PackSettings | None = None,
    numbers: int = 5,
    master_child: bool = False,
) -> PackSetup:
    picker = make_actor(services, admin, Role.PICKER)
    setup = picking_batch(services, admin, picker)
    pick_everything(services, picker, setup)
    cid, sid, nums = add_carrier(services, numbers=numbers, master_child=master_child)
    with services.uow() as uow:
        uow.session.execute(
            update(Order).where(Order.id.in_(setup.order_ids)).values(carrier_service_id=sid)
        )
        uow.commit()
    catalogue(services)
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
    return PackSetup(setup, packer, supervisor, cid, sid, nums)


def counts(services: Services) -> dict[str, Any]:
    """Rows of every table (the refusal tests compare before and after)."""
    with services.uow() as uow:
        return {
            t.name: uow.session.scalar(select(func.count()).select_from(t)) or 0
            for t in Base.metadata.sorted_tables
        }


def drawn(s: Session, job: PrintJob) -> bytes:
    """A job's bytes as its print worker sends them: a label or slip queued as what to draw
    (``print_jobs.draw``) is drawn from the committed rows, as the worker does."""
    return job.payload or print_drawing.draw(s, job.draw or {}, job.format, job.reference)
