"""A packed pickup order goes on the pickup shelf (自提货架) in the lowest free slot of the
packing settings' list, named big on the pickup slip; the slot is free again once the order is
collected; with every slot taken the packer is told to put the parcel aside."""

from __future__ import annotations

import pypdfium2 as pdfium
from sqlalchemy import update

from app.bootstrap import Services
from app.db.models import Order, PrintJob
from app.domain.pack_settings import PackSettings
from app.domain.users import Actor
from app.services import pack_pickup, pack_settings, packing
from tests.pack_fixtures import drawn, pack_ready, tea
from tests.pick_fixtures import BARCODES


def _slip_text(services: Services, job_id: int | None) -> str:
    with services.uow() as uow:
        job = uow.session.get_one(PrintJob, job_id)
        assert job.kind == "pickup_slip"
        pdf = pdfium.PdfDocument(drawn(uow.session, job))
    return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))


def _slots(services: Services, admin: Actor, text: str) -> None:
    old = services.run(pack_settings.get_pack_settings)
    new = PackSettings(**{**old.to_json(), "pickup_slots": text})
    services.run(pack_settings.save_pack_settings, admin, new)


def test_pickup_orders_take_the_lowest_free_shelf_slot_named_on_the_slip_freed_when_collected(
    services: Services, admin: Actor
) -> None:
    setup = pack_ready(services, admin)
    with services.uow() as uow:
        uow.session.execute(update(Order).values(pickup=True))
        uow.commit()
    _slots(services, admin, "S-07..S-07")
    p = setup.packer
    sid = services.run(packing.open_for_packing, p, "TOTE-0002").session_id
    for _ in range(3):
        done = services.run(packing.scan, p, sid, BARCODES["PEN-1"])
    assert done.ok and done.kind == "packed_pickup", (done.message, done.params)
    assert done.params["slot"] == "S-07" and "S-07" in done.message.format(**done.params)
    assert [x.pickup_slot for x in done.view.parcels] == ["S-07"]
    assert "S-07" in _slip_text(services, done.slip_job_id)

    sid = services.run(packing.open_for_packing, p, "TOTE-0001").session_id  # the shelf is full
    for t in (BARCODES["CUP-1"], BARCODES["CUP-1"], tea("L1")):
        full = services.run(packing.scan, p, sid, t)
    assert full.ok and full.kind == "packed_pickup_no_slot", (full.message, full.params)
    assert [x.pickup_slot for x in full.view.parcels] == [""]

    with services.uow() as uow:
        assert pack_pickup.taken_slots(uow.session) == {"S-07"}
        uow.session.execute(  # the customer collected PD2 (handed over as shipped)
            update(Order).where(Order.number == "PD2").values(status="shipped")
        )
        uow.commit()
    with services.uow() as uow:
        assert pack_pickup.taken_slots(uow.session) == set()
