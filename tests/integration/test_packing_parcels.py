"""Several parcels, cash on delivery, pickup, a shop without picking, giving an order up, force
verify and ship partial, on SQLite and PostgreSQL; two stations racing for one order."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from sqlalchemy import select, text, update

from app.bootstrap import Services
from app.db.models import (
    AuditEntry,
    Location,
    Order,
    OrderLine,
    PackItem,
    PackSession,
    PrintJob,
    Reservation,
    StockLedger,
    StockLevel,
)
from app.domain.errors import PackdeskError, PermissionDenied
from app.domain.pack_settings import PackSettings
from app.domain.users import Actor, Role
from app.labels.preview import render_png
from app.services import allocation, pack_settings, packing, stock
from tests.conftest import make_actor
from tests.pack_fixtures import WEIGHTS, add_carrier, catalogue, drawn, pack_ready, tea
from tests.pick_fixtures import BARCODES, add_order, build_shop

CUP = WEIGHTS["CUP-1"]


def test_several_parcels_each_get_a_number_and_label_and_children_carry_the_master(
    services: Services, admin: Actor
) -> None:
    setup = pack_ready(services, admin, master_child=True)
    p = setup.packer
    sid = services.run(packing.open_for_packing, p, "TOTE-0001").session_id
    services.run(packing.scan, p, sid, BARCODES["CUP-1"])
    services.run(packing.scan, p, sid, "PKG-BAG")
    services.run(packing.weigh, p, sid, CUP + 10)
    first = services.run(packing.scan, p, sid, "PD-CMD-NEXTPARCEL")
    assert first.ok and first.kind == "next_parcel" and first.label_job_id
    assert first.tracking_number == setup.numbers[0]
    assert [(x.seq, x.status) for x in first.view.parcels] == [(1, "labelled"), (2, "open")]
    services.run(packing.scan, p, sid, BARCODES["CUP-1"])
    services.run(packing.scan, p, sid, tea("L1"))
    services.run(packing.scan, p, sid, "PKG-BAG")
    done = services.run(packing.weigh, p, sid, CUP + WEIGHTS["TEA-1"] + 10)
    assert done.ok and done.kind == "packed", (done.message, done.params)
    one, two = done.view.parcels
    assert (one.tracking_number, one.master_tracking) == (setup.numbers[0], "")
    assert (two.tracking_number, two.master_tracking) == (setup.numbers[1], setup.numbers[0])
    assert (one.items, two.items) == (1, 2)
    with services.uow() as uow:
        s = uow.session
        jobs = s.scalars(select(PrintJob).order_by(PrintJob.id)).all()
        assert [(j.kind, j.printer) for j in jobs] == [
            ("shipping_label", "label"),
            ("shipping_label", "label"),
            ("packing_slip", "document"),
        ]
        second = drawn(s, jobs[1])
    assert setup.numbers[1].encode() in second and render_png(second, "zpl")
    assert services.run(stock.check_stock_invariants) == []


def test_next_parcel_needs_items_and_a_weight(services: Services, admin: Actor) -> None:
    setup = pack_ready(services, admin)
    sid = services.run(packing.open_for_packing, setup.packer, "PD1").session_id
    empty = services.run(packing.scan, setup.packer, sid, "PD-CMD-NEXTPARCEL")
    assert empty.refusal == "no_items"
    services.run(packing.scan, setup.packer, sid, BARCODES["CUP-1"])
    unweighed = services.run(packing.scan, setup.packer, sid, "PD-CMD-NEXTPARCEL")
    assert unweighed.refusal == "no_weight" and len(unweighed.view.parcels) == 1


def test_cash_on_delivery_goes_on_the_first_label_and_a_pickup_order_gets_a_slip_only(
    services: Services, admin: Actor
) -> None:
    setup = pack_ready(services, admin)
    with services.uow() as uow:
        s = uow.session
        s.execute(update(Order).where(Order.number == "PD1").values(cod_amount=Decimal("88.50")))
        s.execute(update(Order).where(Order.number == "PD2").values(pickup=True))
        uow.commit()
    p = setup.packer
    sid = services.run(packing.open_for_packing, p, "PD1").session_id
    assert services.run(packing.pack_view, p, sid).cod_amount == Decimal("88.50")
    for t in (BARCODES["CUP-1"], BARCODES["CUP-1"], "PKG-BOX-S", tea("L1")):
        services.run(packing.scan, p, sid, t)
    cod = services.run(packing.weigh, p, sid, 2 * CUP + WEIGHTS["TEA-1"] + 120)
    assert cod.kind == "packed"
    [parcel] = cod.view.parcels
    with services.uow() as uow:
        from app.db.models import Parcel

        assert uow.session.get_one(Parcel, parcel.id).cod_amount == Decimal("88.50")
    pid = services.run(packing.open_for_packing, p, "TOTE-0002").session_id
    services.run(packing.scan, p, pid, BARCODES["PEN-1"])
    pickup = services.run(packing.scan, p, pid, "PD-CMD-QTY-2")
    assert pickup.refusal == "command"  # a quantity means nothing here: scan each unit
    services.run(packing.scan, p, pid, BARCODES["PEN-1"])
    done = services.run(packing.scan, p, pid, BARCODES["PEN-1"])
    assert done.ok and done.kind == "packed_pickup", (done.message, done.params)
    [parcel] = done.view.parcels
    assert (parcel.label_source, parcel.tracking_number, parcel.label_job_id) == ("none", "", None)
    with services.uow() as uow:
        slip = uow.session.get_one(PrintJob, done.slip_job_id)
        assert (slip.kind, slip.format) == ("pickup_slip", "pdf")


def _shop_without_picking(services: Services, admin: Actor) -> tuple[Actor, int]:
    """An allocated order in no wave: 2 cups reserved at A-01."""
    build_shop(services, admin)
    oid = add_order(services, "PD9", [("CUP-1", 2)])
    with services.uow() as uow:
        s = uow.session
        level = s.scalars(
            select(StockLevel)
            .join(Location, Location.id == StockLevel.location_id)
            .where(Location.code == "A-01")
        ).one()
        line = s.scalar(select(OrderLine.id).where(OrderLine.order_id == oid))
        s.add(Reservation(order_line_id=line, stock_level_id=level.id, qty=2))
        level.reserved += 2
        s.execute(update(Order).where(Order.id == oid).values(status="allocated"))
        uow.commit()
    _, sid, _ = add_carrier(services, numbers=2)
    with services.uow() as uow:
        uow.session.execute(update(Order).where(Order.id == oid).values(carrier_service_id=sid))
        uow.commit()
    catalogue(services)
    return make_actor(services, admin, Role.PACKER), oid


def test_an_allocated_order_of_a_shop_without_picking_is_packed_from_its_bin(
    services: Services, admin: Actor
) -> None:
    packer, _ = _shop_without_picking(services, admin)
    view = services.run(packing.open_for_packing, packer, "PD9")
    assert view.order_status == "packing"
    for _ in range(2):
        services.run(packing.scan, packer, view.session_id, BARCODES["CUP-1"])
    done = services.run(packing.weigh, packer, view.session_id, 2 * CUP + 120)
    assert done.ok and done.kind == "packed", (done.message, done.params)
    with services.uow() as uow:
        s = uow.session
        moved = s.execute(
            select(Location.code, StockLedger.reason, StockLedger.qty_delta)
            .join(Location, Location.id == StockLedger.location_id)
            .where(StockLedger.reason.in_(("ship", "move_out", "move_in")))
            .order_by(StockLedger.id)
        ).all()
        # out of the bin into the dock: stock leaves when the handover closes
        assert moved == [("A-01", "move_out", -2), ("DOCK-OUT", "move_in", 2)]
    assert services.run(stock.check_stock_invariants) == []


def test_releasing_gives_the_order_back_as_it_was_and_sets_the_units_aside(
    services: Services, admin: Actor
) -> None:
    packer, _ = _shop_without_picking(services, admin)
    sid = services.run(packing.open_for_packing, packer, "PD9").session_id
    services.run(packing.scan, packer, sid, BARCODES["CUP-1"])
    view = services.run(packing.release, packer, sid)
    assert view.status == "released" and view.order_status == "allocated"
    assert view.lines[0].verified == 0
    with services.uow() as uow:
        s = uow.session
        assert s.scalar(select(PackItem.voided_at)) is not None
        assert s.scalar(select(AuditEntry.id).where(AuditEntry.action == "pack.release"))
    again = services.run(packing.open_for_packing, packer, "PD9")
    assert again.session_id != sid and again.lines[0].verified == 0


def test_force_verify_is_a_permission_audited_and_the_setting_can_refuse_the_label(
    services: Services, admin: Actor
) -> None:
    setup = pack_ready(services, admin)
    sid = services.run(packing.open_for_packing, setup.packer, "TOTE-0002").session_id
    line = services.run(packing.pack_view, setup.packer, sid).lines[0]
    with pytest.raises(PermissionDenied):
        services.run(packing.force_verify, setup.packer, sid, line.line_id)
    services.run(
        pack_settings.save_pack_settings,
        admin,
        PackSettings(labels_need_full_scan=True, require_weight=False),
    )
    out = services.run(packing.force_verify, setup.supervisor, sid, line.line_id)
    assert not out.ok and out.refusal == "full_scan" and out.params["forced"] == 3
    assert out.view.lines[0].forced == 3 and out.view.order_status == "packing"
    services.run(pack_settings.save_pack_settings, admin, PackSettings(require_weight=False))
    done = services.run(packing.finish_now, setup.supervisor, sid)
    assert done.ok and done.kind == "packed"
    with services.uow() as uow:
        assert uow.session.scalar(
            select(AuditEntry.id).where(AuditEntry.action == "pack.force_verify")
        )


def test_ship_partial_needs_its_permission_and_sends_the_rest_to_the_backorder_policy(
    services: Services, admin: Actor
) -> None:
    setup = pack_ready(services, admin)
    services.run(allocation.set_allocation_settings, admin, shortage_policy="backorder")
    sid = services.run(packing.open_for_packing, setup.packer, "TOTE-0002").session_id
    services.run(packing.scan, setup.packer, sid, BARCODES["PEN-1"])
    refused = services.run(packing.scan, setup.packer, sid, "PD-CMD-SHIPPARTIAL")
    assert refused.refusal == "not_permitted"
    out = services.run(packing.scan, setup.supervisor, sid, "PD-CMD-SHIPPARTIAL")
    assert out.ok and out.kind == "partial", (out.message, out.params)
    assert out.params["units"] == 2 and out.view.all_verified and out.view.next_step == "weigh"
    assert [(ln.qty, ln.verified) for ln in out.view.lines] == [(1, 1)]
    with services.uow() as uow:
        s = uow.session
        new = s.scalars(select(Order).where(Order.number == out.params["new"])).one()
        assert new.status == "released"
        assert s.scalar(select(OrderLine.qty_backordered).where(OrderLine.order_id == new.id)) == 2
    done = services.run(packing.weigh, setup.packer, sid, WEIGHTS["PEN-1"] + 120)
    assert done.ok and done.kind == "packed", (done.message, done.params)
    assert services.run(stock.check_stock_invariants) == []


def test_two_stations_racing_for_one_order_one_wins_and_the_other_is_told_which(
    pg_only_services: Services,
) -> None:
    services = pg_only_services
    from app.services import auth

    services.run(auth.create_first_admin, "admin", "correct-horse-9", services.station_id)
    admin = services.run(auth.login, "admin", "correct-horse-9", services.station_id, "bench-1")
    setup = pack_ready(services, admin)
    from app.db.models import Station

    with services.uow() as uow:
        bench2 = Station(code="bench-2", name="Bench 2")
        uow.session.add(bench2)
        uow.commit()
        bench2_id = bench2.id
    from dataclasses import replace

    other = replace(setup.packer, station_id=bench2_id, station_code="bench-2")
    # the first station's unit of work holds its open session, uncommitted, while the second
    # tries: the second INSERT waits on the unique index, then is refused naming the first
    first = services.uow()
    first.__enter__()
    s = first.session
    order_id = setup.pick.order_ids[0]
    s.add(PackSession(order_id=order_id, station_id=services.station_id, status="open"))
    s.flush()
    result: dict[str, object] = {}

    def second() -> None:
        try:
            services.run(packing.open_for_packing, other, "PD1")
        except PackdeskError as exc:
            result["error"] = exc.message

    t = threading.Thread(target=second)
    t.start()
    with services.uow() as watcher:
        for _ in range(200):
            waiting = watcher.session.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND query ILIKE 'INSERT INTO pack_sessions%'"
                )
            )
            if waiting:
                break
            watcher.session.rollback()
            threading.Event().wait(0.05)
        assert waiting, "the second station never waited on the first's open session"
    first.commit()
    first.__exit__(None, None, None)
    t.join(30)
    assert "being packed at station test-station" in str(result.get("error"))
