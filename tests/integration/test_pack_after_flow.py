"""After packing, on SQLite and PostgreSQL: reprinting a labelled parcel's label (补打), and
voiding / unpacking it (units back to the tote, number voided and never given again, the order
back where packing started), for orders packed through the real station services."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, update

from app.bootstrap import Services
from app.db.models import (
    Address,
    AuditEntry,
    Location,
    Order,
    OrderLine,
    PackItem,
    Parcel,
    PrintJob,
    Reservation,
    StockLevel,
    TrackingNumber,
)
from app.domain.errors import PermissionDenied
from app.domain.users import Actor, Role
from app.services import pack_after, packing, sorting_codes, stock
from tests.conftest import make_actor
from tests.pack_fixtures import PackSetup, drawn, pack_ready, tea
from tests.pick_fixtures import BARCODES, add_order

PEN = BARCODES["PEN-1"]


def _pack_pd2(services: Services, setup: PackSetup) -> int:
    """PD2 (3 pens in TOTE-0002) packed at the station; returns its parcel's id."""
    view = services.run(packing.open_for_packing, setup.packer, "TOTE-0002")
    for _ in range(3):
        out = services.run(packing.scan, setup.packer, view.session_id, PEN)
    assert out.view.current_parcel is not None
    expected = out.view.current_parcel.expected_g
    assert expected is not None
    done = services.run(packing.weigh, setup.packer, view.session_id, expected)
    assert done.kind == "packed", (done.message, done.params)
    return done.view.parcels[0].id


def _printed(services: Services, job_id: int | None) -> None:
    with services.uow() as uow:
        uow.session.execute(update(PrintJob).where(PrintJob.id == job_id).values(status="sent"))
        uow.commit()


def _tote_stock(services: Services, code: str) -> tuple[int, int]:
    with services.uow() as uow:
        row = uow.session.execute(
            select(StockLevel.on_hand, StockLevel.reserved)
            .join(Location, Location.id == StockLevel.location_id)
            .where(Location.code == code)
        ).one()
        return int(row[0]), int(row[1])


def test_a_reprint_is_the_same_label_marked_as_a_reprint_in_a_new_linked_job(
    services: Services, admin: Actor
) -> None:
    setup = pack_ready(services, admin)
    parcel_id = _pack_pd2(services, setup)
    with services.uow() as uow:
        first = uow.session.get_one(Parcel, parcel_id)
        original_id, tracking = first.label_job_id, first.tracking_number
    with pytest.raises(pack_after.LabelNotPrintedYet):  # still queued: resend, not reprint
        services.run(pack_after.reprint_label, setup.packer, parcel_id)
    _printed(services, original_id)

    job_id = services.run(pack_after.reprint_label, setup.packer, parcel_id, "torn label")

    with services.uow() as uow:
        s = uow.session
        job, original = s.get_one(PrintJob, job_id), s.get_one(PrintJob, original_id)
        assert job.reprint_of_id == original.id and job.id != original.id
        assert (job.kind, job.printer, job.format, job.reference, job.status) == (
            original.kind,
            original.printer,
            original.format,
            original.reference,
            "queued",
        )
        assert tracking is not None and tracking.encode() in job.payload
        parcel = s.get_one(Parcel, parcel_id)
        assert parcel.reprints == 1
        data = pack_after.reprint_label_data(s, parcel)
        assert data.reprint and data.tracking_number == tracking
        assert (data.order_number, data.parcel_seq, data.parcel_count) == ("PD2", 1, 1)
        assert data.weight_grams == parcel.weight_g
        audit = s.scalars(select(AuditEntry).where(AuditEntry.action == "parcel.reprint")).one()
        assert (audit.user_id, audit.note) == (setup.packer.user_id, "torn label")
        assert audit.after is not None and audit.after["reprint_of"] == original.id
    services.run(pack_after.reprint_label, setup.packer, parcel_id)
    with services.uow() as uow:
        assert uow.session.get_one(Parcel, parcel_id).reprints == 2


def test_void_puts_the_units_back_in_the_tote_voids_the_number_and_the_order_is_packed_again(
    services: Services, admin: Actor
) -> None:
    setup = pack_ready(services, admin)
    parcel_id = _pack_pd2(services, setup)
    assert _tote_stock(services, "TOTE-0002") == (0, 0)
    supervisor = setup.supervisor

    report = services.run(pack_after.void_parcel, supervisor, parcel_id, "label smudged")

    assert (report.order_number, report.units_back, report.carrier_void) == ("PD2", 3, "pool")
    assert report.tracking_number == setup.numbers[0]
    assert report.order_status == "picked"  # no parcel left labelled: pack it from the start
    assert _tote_stock(services, "TOTE-0002") == (3, 3)  # back in the tote, reserved again
    assert services.run(stock.check_stock_invariants) == []
    with services.uow() as uow:
        s = uow.session
        parcel = s.get_one(Parcel, parcel_id)
        assert (parcel.status, parcel.tracking_number) == ("voided", setup.numbers[0])
        number = s.scalars(
            select(TrackingNumber).where(TrackingNumber.number == setup.numbers[0])
        ).one()
        assert (number.status, number.void_reason) == ("void", "label smudged")
        assert all(i.voided_at is not None for i in s.scalars(select(PackItem)))
        history = s.scalar(select(Order.status).where(Order.number == "PD2"))
        assert history == "picked"
        audit = s.scalars(select(AuditEntry).where(AuditEntry.action == "parcel.void")).one()
        assert audit.after is not None and audit.after["units_back"] == 3
    with pytest.raises(pack_after.VoidedNoReprint):
        services.run(pack_after.reprint_label, setup.packer, parcel_id)
    with pytest.raises(pack_after.ParcelAlreadyVoided):
        services.run(pack_after.void_parcel, supervisor, parcel_id, "again")

    # packed again from the tote: a new number, never the voided one
    again = _pack_pd2(services, setup)
    with services.uow() as uow:
        parcel = uow.session.get_one(Parcel, again)
        assert (parcel.seq, parcel.tracking_number) == (2, setup.numbers[1])
    assert _tote_stock(services, "TOTE-0002") == (0, 0)
    assert services.run(stock.check_stock_invariants) == []


def test_a_shipped_parcel_is_a_return_not_a_void_and_packers_may_not_void(
    services: Services, admin: Actor
) -> None:
    setup = pack_ready(services, admin)
    parcel_id = _pack_pd2(services, setup)
    packer = make_actor(services, admin, Role.PACKER, "packer-2")
    with pytest.raises(PermissionDenied):
        services.run(pack_after.void_parcel, packer, parcel_id, "oops")
    with services.uow() as uow:
        uow.session.execute(update(Parcel).where(Parcel.id == parcel_id).values(status="shipped"))
        uow.commit()

    with pytest.raises(pack_after.ParcelShipped) as refused:
        services.run(pack_after.void_parcel, setup.supervisor, parcel_id, "customer cancelled")

    assert "return" in refused.value.message
    assert _tote_stock(services, "TOTE-0002") == (0, 0)


def _weigh_current(services: Services, setup: PackSetup, session_id: int) -> object:
    view = services.run(packing.pack_view, setup.packer, session_id)
    assert view.current_parcel is not None and view.current_parcel.expected_g is not None
    return services.run(packing.weigh, setup.packer, session_id, view.current_parcel.expected_g)


def test_voiding_one_of_two_parcels_keeps_the_other_and_only_its_units_are_packed_again(
    services: Services, admin: Actor
) -> None:
    setup = pack_ready(services, admin)
    packer = setup.packer
    sid = services.run(packing.open_for_packing, packer, "TOTE-0001").session_id
    services.run(packing.scan, packer, sid, BARCODES["CUP-1"])
    _weigh_current(services, setup, sid)
    first = services.run(packing.scan, packer, sid, "PD-CMD-NEXTPARCEL")
    assert first.ok, (first.message, first.params)
    services.run(packing.scan, packer, sid, BARCODES["CUP-1"])
    services.run(packing.scan, packer, sid, tea("L1"))
    done = _weigh_current(services, setup, sid)
    assert getattr(done, "kind", "") == "packed"
    parcels = services.run(packing.pack_view, packer, sid).parcels
    assert [p.status for p in parcels] == ["labelled", "labelled"]

    report = services.run(pack_after.void_parcel, setup.supervisor, parcels[1].id, "crushed")

    assert (report.units_back, report.order_status) == (2, "picked")
    again = services.run(packing.open_for_packing, packer, "TOTE-0001")
    assert [(ln.sku, ln.verified) for ln in again.lines] == [("CUP-1", 1), ("TEA-1", 0)]
    assert [p.status for p in again.parcels if p.status != "open"] == ["labelled"]
    services.run(packing.scan, packer, again.session_id, BARCODES["CUP-1"])
    services.run(packing.scan, packer, again.session_id, tea("L1"))
    repacked = _weigh_current(services, setup, again.session_id)
    assert getattr(repacked, "kind", "") == "packed"
    with services.uow() as uow:
        numbers = uow.session.scalars(
            select(Parcel.tracking_number).where(Parcel.status == "labelled").order_by(Parcel.seq)
        ).all()
    assert numbers == [setup.numbers[0], setup.numbers[2]]
    assert services.run(stock.check_stock_invariants) == []


def test_an_order_packed_straight_from_its_bin_goes_back_to_the_bin_and_to_allocated(
    services: Services, admin: Actor
) -> None:
    setup = pack_ready(services, admin)
    oid = add_order(services, "PDA1", [("CUP-1", 1)])
    with services.uow() as uow:
        s = uow.session
        line_id = s.scalar(select(OrderLine.id).where(OrderLine.order_id == oid))
        level = s.scalars(
            select(StockLevel)
            .join(Location, Location.id == StockLevel.location_id)
            .where(Location.code == "R-01")
        ).one()
        s.add(Reservation(order_line_id=line_id, stock_level_id=level.id, qty=1))
        level.reserved += 1
        s.execute(
            update(Order)
            .where(Order.id == oid)
            .values(status="allocated", carrier_service_id=setup.service_id)
        )
        uow.commit()
    before = _tote_stock(services, "R-01")
    sid = services.run(packing.open_for_packing, setup.packer, "PDA1").session_id
    services.run(packing.scan, setup.packer, sid, BARCODES["CUP-1"])
    done = _weigh_current(services, setup, sid)
    assert getattr(done, "kind", "") == "packed"
    assert _tote_stock(services, "R-01") == (before[0] - 1, before[1] - 1)
    parcel_id = services.run(packing.pack_view, setup.packer, sid).parcels[0].id

    report = services.run(pack_after.void_parcel, setup.supervisor, parcel_id, "wrong address")

    assert (report.units_back, report.order_status) == (1, "allocated")
    assert _tote_stock(services, "R-01") == before
    assert services.run(stock.check_stock_invariants) == []


def test_a_reprint_keeps_the_sorting_code_and_the_hub_of_the_first_label(
    services: Services, admin: Actor, tmp_path: Path
) -> None:
    setup = pack_ready(services, admin)
    table = tmp_path / "sf.csv"
    table.write_text(
        "country,province,city,district,postal_prefix,code,hub\n"
        "CN,浙江省,,,,571-ZJ,ZJ-HUB\n"
        "CN,浙江省,杭州市,,,571-HZ,HZ-HUB\n",
        encoding="utf-8",
    )
    services.run(sorting_codes.load_sorting_codes, admin, "SF", table)
    with services.uow() as uow:
        s = uow.session
        address = Address(name="李四", phone="13900000000", province="浙江省", city="杭州市")
        s.add(address)
        s.flush()
        s.execute(update(Order).where(Order.number == "PD2").values(ship_address_id=address.id))
        uow.commit()
    parcel_id = _pack_pd2(services, setup)
    with services.uow() as uow:
        s = uow.session
        first = s.get_one(Parcel, parcel_id)
        assert first.sorting_code == "571-HZ"
        original = first.label_job_id
        label = drawn(s, s.get_one(PrintJob, original))
    assert b"571-HZ" in label and b"HZ-HUB" in label
    _printed(services, original)

    job_id = services.run(pack_after.reprint_label, setup.packer, parcel_id, "rained on")

    with services.uow() as uow:
        again = drawn(uow.session, uow.session.get_one(PrintJob, job_id))
    assert b"571-HZ" in again and b"HZ-HUB" in again
