"""What the pack station refuses, on SQLite and PostgreSQL: each refused scan changes nothing
but its logged exception row; a serial ships once; opening refuses orders that are not ready."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select, update

from app.bootstrap import Services
from app.db.models import Order, OrderHold, PackException, Product
from app.domain.errors import PackdeskError
from app.domain.users import Actor
from app.services import packing
from tests.pack_fixtures import counts, pack_ready, tea
from tests.pick_fixtures import BARCODES


def _only_one_more_exception(before: dict[str, Any], after: dict[str, Any]) -> None:
    assert after["pack_exceptions"] == before["pack_exceptions"] + 1
    assert {k: v for k, v in after.items() if k != "pack_exceptions"} == {
        k: v for k, v in before.items() if k != "pack_exceptions"
    }


@pytest.mark.parametrize(
    ("text", "refusal", "kind"),
    [
        (BARCODES["PEN-1"], "other_order", "other_order"),
        ("NOT-A-REAL-CODE", "unknown", "wrong_item"),
        (tea("L2"), "wrong_lot", "wrong_lot"),
    ],
)
def test_a_refused_scan_changes_nothing_but_its_logged_exception(
    services: Services, admin: Actor, text: str, refusal: str, kind: str
) -> None:
    setup = pack_ready(services, admin)
    view = services.run(packing.open_for_packing, setup.packer, "PD1")
    services.run(packing.scan, setup.packer, view.session_id, BARCODES["CUP-1"])
    before = counts(services)
    out = services.run(packing.scan, setup.packer, view.session_id, text)
    assert not out.ok and out.refusal == refusal, (out.message, out.params)
    assert out.view.lines[0].verified == 1 and out.view.lines[1].verified == 0
    _only_one_more_exception(before, counts(services))
    with services.uow() as uow:
        row = uow.session.scalars(select(PackException).order_by(PackException.id.desc())).first()
        assert row is not None and row.kind == kind and row.resolution == "logged"
        assert row.station_id == services.station_id and row.scanned and row.scanned in text
    if refusal == "other_order":
        assert out.params["other"] == "PD2"
    if refusal == "wrong_lot":
        assert (out.params["lot"], out.params["expected"]) == ("L2", "L1")


def test_one_too_many_is_refused_and_a_product_not_in_any_order_is_a_wrong_item(
    services: Services, admin: Actor
) -> None:
    setup = pack_ready(services, admin)
    with services.uow() as uow:
        uow.session.execute(update(Order).where(Order.number == "PD2").values(status="shipped"))
        uow.commit()
    sid = services.run(packing.open_for_packing, setup.packer, "TOTE-0001").session_id
    for _ in range(2):
        assert services.run(packing.scan, setup.packer, sid, BARCODES["CUP-1"]).ok
    before = counts(services)
    over = services.run(packing.scan, setup.packer, sid, BARCODES["CUP-1"])
    assert over.refusal == "over_scan" and over.params == {"sku": "CUP-1", "qty": 2, "order": "PD1"}
    wrong = services.run(packing.scan, setup.packer, sid, BARCODES["PEN-1"])
    assert wrong.refusal == "wrong_item"
    after = counts(services)
    assert after["pack_exceptions"] == before["pack_exceptions"] + 2
    assert after["pack_items"] == before["pack_items"]


def test_a_serial_is_asked_for_and_never_shipped_twice(services: Services, admin: Actor) -> None:
    setup = pack_ready(services, admin)
    with services.uow() as uow:
        uow.session.execute(
            update(Product).where(Product.sku == "PEN-1").values(serial_tracked=True)
        )
        uow.commit()
    sid = services.run(packing.open_for_packing, setup.packer, "TOTE-0002").session_id
    asked = services.run(packing.scan, setup.packer, sid, BARCODES["PEN-1"])
    assert asked.kind == "serial_wanted" and asked.view.next_step == "scan_serial"
    assert asked.view.serial_for == "PEN-1" and asked.view.lines[0].verified == 0
    again = services.run(packing.scan, setup.packer, sid, BARCODES["PEN-1"])
    assert again.refusal == "not_serial"
    first = services.run(packing.scan, setup.packer, sid, "SN-0001")
    assert first.ok and first.view.lines[0].serials == ("SN-0001",)
    assert first.view.lines[0].verified == 1 and first.view.next_step == "scan_item"
    services.run(packing.scan, setup.packer, sid, BARCODES["PEN-1"])
    before = counts(services)
    repeat = services.run(packing.scan, setup.packer, sid, "SN-0001")
    assert repeat.refusal == "serial_repeat" and repeat.params["other"] == "PD2"
    _only_one_more_exception(before, counts(services))
    assert repeat.view.next_step == "scan_serial"
    assert services.run(packing.scan, setup.packer, sid, "SN-0002").ok


def test_opening_refuses_orders_on_hold_cancelled_not_picked_packed_or_open_elsewhere(
    services: Services, admin: Actor
) -> None:
    setup = pack_ready(services, admin)
    ids = dict(zip(["PD1", "PD2"], setup.pick.order_ids, strict=True))

    def refused(text: str) -> str:
        before = counts(services)
        with pytest.raises(PackdeskError) as err:
            services.run(packing.open_for_packing, setup.packer, text)
        assert counts(services) == before
        return err.value.message

    def status(number: str, value: str) -> None:
        with services.uow() as uow:
            uow.session.execute(update(Order).where(Order.number == number).values(status=value))
            uow.commit()

    assert "Nothing to pack is known by NOPE-1" in refused("NOPE-1")
    status("PD2", "cancelled")
    assert "PD2 is cancelled" in refused("PD2")
    status("PD2", "on_hold")
    with services.uow() as uow:
        uow.session.add(OrderHold(order_id=ids["PD2"], code="x", reason="Address unclear."))
        uow.commit()
    assert "PD2 is on hold: Address unclear." in refused("PD2")
    status("PD2", "released")
    assert "not picked yet (it is released)" in refused("PD2")
    status("PD2", "packed")
    assert "already packed" in refused("PD2")
    status("PD2", "picking")
    assert "being picked in wave W000001" in refused("PD2")
    # open at another station (the same user elsewhere): named
    with services.uow() as uow:
        from app.db.models import PackSession, Station

        other = Station(code="BENCH-2", name="Bench 2")
        uow.session.add(other)
        uow.session.flush()
        uow.session.add(PackSession(order_id=ids["PD1"], station_id=other.id, status="open"))
        uow.session.execute(update(Order).where(Order.id == ids["PD1"]).values(status="packing"))
        uow.commit()
    assert "being packed at station Bench 2" in refused("TOTE-0001")
