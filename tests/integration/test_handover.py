"""Carrier handover on SQLite and PostgreSQL, over orders packed through the real station:
scanning parcels onto the day's open handover, the refusals, reconciling, closing (orders
shipped, stock out of the dock, the manifest written) and reopening."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from app.bootstrap import Services
from app.db.models import (
    AuditEntry,
    Handover,
    Location,
    Order,
    OrderStatusChange,
    Parcel,
    StockLedger,
    StockLevel,
)
from app.domain import handover as rules
from app.domain.errors import PermissionDenied
from app.domain.users import Actor
from app.services import handover, pack_after, stock
from tests.handover_fixtures import ship_ready

TODAY = rules.local_now().date()


def _status(services: Services, number: str) -> str:
    with services.uow() as uow:
        return uow.session.scalar(select(Order.status).where(Order.number == number)) or ""


def _dock_on_hand(services: Services) -> int:
    with services.uow() as uow:
        return int(
            uow.session.scalar(
                select(func.coalesce(func.sum(StockLevel.on_hand), 0))
                .join(Location, Location.id == StockLevel.location_id)
                .where(Location.kind == "dock")
            )
            or 0
        )


def test_the_first_scan_opens_the_carriers_handover_for_the_day_and_the_next_join_it(
    services: Services, admin: Actor
) -> None:
    setup = ship_ready(services, admin)
    first = services.run(handover.scan_parcel, setup.shipper, setup.tracking["PD1"])
    assert first.handover_number == f"HO-{TODAY:%Y%m%d}-SF-1"
    assert (first.order_number, first.carrier_code, first.already) == ("PD1", "SF", False)
    assert (first.scanned, first.expected) == (1, 2)
    second = services.run(handover.scan_parcel, setup.shipper, f"  {setup.tracking['PD2']} ")
    assert second.handover_id == first.handover_id
    assert (second.scanned, second.expected) == (2, 2)
    again = services.run(handover.scan_parcel, setup.shipper, setup.tracking["PD1"])
    assert again.already and again.message == handover.ALREADY_HERE
    assert (again.scanned, again.expected) == (2, 2)


def test_a_parcel_is_refused_with_its_reason(
    services: Services, admin: Actor, tmp_path: Path
) -> None:
    setup = ship_ready(services, admin)
    with pytest.raises(rules.UnknownParcelNumber) as unknown:
        services.run(handover.scan_parcel, setup.shipper, "SF9999999999")
    assert "SF9999999999" in unknown.value.message
    from tests.pack_fixtures import add_carrier

    other_id, _, _ = add_carrier(services, numbers=0, code="ZTO")
    with pytest.raises(rules.OtherCarrier) as other:
        services.run(
            handover.scan_parcel, setup.shipper, setup.tracking["PD1"], carrier_id=other_id
        )
    assert "SF" in other.value.message and "ZTO" in other.value.message
    first = services.run(handover.scan_parcel, setup.shipper, setup.tracking["PD1"])
    services.run(handover.close_handover, setup.shipper, first.handover_id, manifest_dir=tmp_path)
    with pytest.raises(rules.AlreadyHandedOver) as twice:
        services.run(handover.scan_parcel, setup.shipper, setup.tracking["PD1"])
    assert first.handover_number in twice.value.message
    with services.uow() as uow:
        uow.session.execute(update(Order).where(Order.number == "PD2").values(status="on_hold"))
        uow.commit()
    with pytest.raises(rules.OrderNotPacked) as held:
        services.run(handover.scan_parcel, setup.shipper, setup.tracking["PD2"])
    assert "on_hold" in held.value.message and "PD2" in held.value.message


def test_closing_ships_the_orders_writes_the_manifest_and_takes_the_units_out_of_the_dock(
    services: Services, admin: Actor, tmp_path: Path
) -> None:
    setup = ship_ready(services, admin)
    assert _dock_on_hand(services) == 6  # 2 cups + 1 tea + 3 pens wait at the dock
    with services.uow() as uow:
        ships = uow.session.scalar(
            select(func.count(StockLedger.id)).where(StockLedger.reason == "ship")
        )
        assert ships == 0  # labelling moved them to the dock; nothing left stock yet
    scan = services.run(handover.scan_parcel, setup.shipper, setup.tracking["PD1"])
    services.run(handover.scan_parcel, setup.shipper, setup.tracking["PD2"])
    closed = services.run(
        handover.close_handover, setup.shipper, scan.handover_id, manifest_dir=tmp_path
    )
    assert (closed.number, closed.parcels, closed.orders_shipped) == (scan.handover_number, 2, 2)
    assert closed.units_shipped == 6 and closed.missing == 0
    assert Path(closed.manifest_path) == tmp_path / f"{scan.handover_number}.pdf"
    assert Path(closed.manifest_path).read_bytes().startswith(b"%PDF")
    assert (_status(services, "PD1"), _status(services, "PD2")) == ("shipped", "shipped")
    assert _dock_on_hand(services) == 0
    with services.uow() as uow:
        s = uow.session
        shipped = s.execute(
            select(StockLedger.qty_delta, StockLedger.ref_type, Location.kind)
            .join(Location, Location.id == StockLedger.location_id)
            .where(StockLedger.reason == "ship")
        ).all()
        assert sorted(shipped) == [(-3, "parcel", "dock"), (-2, "parcel", "dock"),
                                   (-1, "parcel", "dock")]  # fmt: skip
        assert set(s.scalars(select(Parcel.status))) == {"shipped"}
        assert all(s.scalars(select(Parcel.shipped_at)))
        note = s.scalar(
            select(OrderStatusChange.note).where(OrderStatusChange.to_status == "shipped").limit(1)
        )
        assert note == f"handed over to SF on {scan.handover_number}"
        assert s.scalar(select(Handover.status)) == "closed"
        assert s.scalar(select(AuditEntry.id).where(AuditEntry.action == "handover.close"))
    assert services.run(stock.check_stock_invariants) == []
    with pytest.raises(rules.HandoverNotOpen):
        services.run(
            handover.scan_parcel, setup.shipper, setup.tracking["PD1"],
            handover_id=scan.handover_id,
        )  # fmt: skip


def test_the_dock_holds_exactly_the_units_of_labelled_parcels_not_yet_handed_over(
    services: Services, admin: Actor, tmp_path: Path
) -> None:
    setup = ship_ready(services, admin)
    scan = services.run(handover.scan_parcel, setup.shipper, setup.tracking["PD2"])
    services.run(handover.close_handover, setup.shipper, scan.handover_id, manifest_dir=tmp_path)
    assert _dock_on_hand(services) == 3  # PD1's parcel waits: 2 cups and a tea
    with pytest.raises(pack_after.ParcelShipped):
        with services.uow() as uow:
            pid = uow.session.scalar(
                select(Parcel.id).where(Parcel.tracking_number == setup.tracking["PD2"])
            )
        services.run(pack_after.void_parcel, setup.supervisor, pid, "crushed")
    with services.uow() as uow:
        pd1 = uow.session.scalar(
            select(Parcel.id).where(Parcel.tracking_number == setup.tracking["PD1"])
        )
    report = services.run(pack_after.void_parcel, setup.supervisor, pd1, "label smudged")
    assert report.units_back == 3
    assert _dock_on_hand(services) == 0
    assert services.run(stock.check_stock_invariants) == []
    with services.uow() as uow:
        back = uow.session.execute(
            select(Location.code, func.sum(StockLevel.on_hand), func.sum(StockLevel.reserved))
            .join(Location, Location.id == StockLevel.location_id)
            .where(Location.code == "TOTE-0001")
            .group_by(Location.code)
        ).one()
        assert tuple(back) == ("TOTE-0001", 3, 3)


def test_a_parcel_on_an_open_handover_cannot_be_voided_until_it_is_taken_off(
    services: Services, admin: Actor
) -> None:
    setup = ship_ready(services, admin, pack_two=False)
    scan = services.run(handover.scan_parcel, setup.shipper, setup.tracking["PD1"])
    with pytest.raises(rules.OnHandoverNoVoid) as refused:
        services.run(pack_after.void_parcel, setup.supervisor, scan.parcel_id, "wrong box")
    assert scan.handover_number in refused.value.message
    off = services.run(
        handover.remove_parcel, setup.shipper, scan.handover_id, setup.tracking["PD1"]
    )
    assert off.scanned == 0 and off.expected == 1
    report = services.run(pack_after.void_parcel, setup.supervisor, scan.parcel_id, "wrong box")
    assert report.units_back == 3


def test_reconciling_lists_the_missing_parcels_with_order_station_and_packer_and_older_ones(
    services: Services, admin: Actor
) -> None:
    setup = ship_ready(services, admin)
    scan = services.run(handover.scan_parcel, setup.shipper, setup.tracking["PD1"])
    yesterday = datetime.now().astimezone() - timedelta(days=1)
    with services.uow() as uow:
        uow.session.execute(
            update(Parcel)
            .where(Parcel.tracking_number == setup.tracking["PD2"])
            .values(labelled_at=yesterday)
        )
        uow.commit()
    rec = services.run(handover.reconcile, setup.shipper, scan.carrier_id, TODAY)
    assert (rec.carrier_code, rec.packed, rec.scanned) == ("SF", 1, 1)
    assert (rec.open_handover, rec.on_open, rec.expected) == (scan.handover_number, 1, 2)
    [missing] = rec.missing
    assert (missing.order_number, missing.tracking, missing.earlier) == (
        "PD2", setup.tracking["PD2"], True,
    )  # fmt: skip
    assert missing.station and missing.packer == setup.pack.packer.username
    before = services.run(handover.reconcile, setup.shipper, scan.carrier_id, TODAY - timedelta(2))
    assert (before.packed, before.missing) == (0, ())


def test_reopening_needs_the_permission_and_a_reason_and_puts_the_orders_back_to_packed(
    services: Services, admin: Actor, tmp_path: Path
) -> None:
    setup = ship_ready(services, admin)
    scan = services.run(handover.scan_parcel, setup.shipper, setup.tracking["PD1"])
    services.run(handover.scan_parcel, setup.shipper, setup.tracking["PD2"])
    services.run(handover.close_handover, setup.shipper, scan.handover_id, manifest_dir=tmp_path)
    with services.uow() as uow:  # PD2 was delivered since: it keeps its status
        uow.session.execute(update(Order).where(Order.number == "PD2").values(status="delivered"))
        uow.commit()
    with pytest.raises(PermissionDenied):
        services.run(handover.reopen_handover, setup.shipper, scan.handover_id, "driver left")
    with pytest.raises(rules.ReopenNeedsReason):
        services.run(handover.reopen_handover, setup.supervisor, scan.handover_id, "  ")
    report = services.run(
        handover.reopen_handover, setup.supervisor, scan.handover_id, "driver left without it"
    )
    assert (report.orders_back, report.orders_kept, report.units_back) == (("PD1",), ("PD2",), 3)
    assert (_status(services, "PD1"), _status(services, "PD2")) == ("packed", "delivered")
    assert _dock_on_hand(services) == 3
    assert services.run(stock.check_stock_invariants) == []
    with services.uow() as uow:
        audit = uow.session.scalar(select(AuditEntry).where(AuditEntry.action == "handover.reopen"))
        assert audit is not None and audit.note == "driver left without it"
    again = services.run(
        handover.close_handover, setup.shipper, scan.handover_id, manifest_dir=tmp_path
    )
    assert (again.orders_shipped, again.units_shipped) == (1, 3)
    assert _status(services, "PD1") == "shipped" and _dock_on_hand(services) == 0
    assert services.run(stock.check_stock_invariants) == []


def test_a_second_handover_the_same_day_gets_the_next_number(
    services: Services, admin: Actor, tmp_path: Path
) -> None:
    setup = ship_ready(services, admin)
    first = services.run(handover.scan_parcel, setup.shipper, setup.tracking["PD1"])
    services.run(handover.close_handover, setup.shipper, first.handover_id, manifest_dir=tmp_path)
    second = services.run(handover.scan_parcel, setup.shipper, setup.tracking["PD2"])
    assert second.handover_number == f"HO-{TODAY:%Y%m%d}-SF-2"
    assert (second.scanned, second.expected) == (1, 1)
    rows = services.run(handover.list_handovers, setup.shipper, day=TODAY)
    assert [(r.number[-4:], r.status, r.parcels) for r in rows] == [
        ("SF-2", "open", 1), ("SF-1", "closed", 1),
    ]  # fmt: skip
    with pytest.raises(rules.AnotherHandoverOpen):
        services.run(handover.reopen_handover, setup.supervisor, first.handover_id, "recount")


def test_cut_offs_are_validated_and_the_board_counts_what_waits(
    services: Services, admin: Actor
) -> None:
    setup = ship_ready(services, admin)
    with pytest.raises(rules.BadCutoff):
        services.run(handover.set_cutoff, admin, "SF", "25:00")
    with pytest.raises(PermissionDenied):
        services.run(handover.set_cutoff, setup.shipper, "SF", "17:30")
    assert services.run(handover.set_cutoff, admin, "sf", "9:05") == "09:05"
    now = datetime.now().astimezone().replace(hour=8, minute=50, second=0, microsecond=0)
    [row] = services.run(handover.cutoff_board, setup.shipper, now)
    assert (row.carrier_code, row.cutoff, row.packed_not_handed) == ("SF", "09:05", 2)
    assert (row.seconds_left, row.urgency) == (15 * 60, "soon")
    services.run(handover.scan_parcel, setup.shipper, setup.tracking["PD1"])
    [row] = services.run(handover.cutoff_board, setup.shipper, now + timedelta(hours=1))
    assert (row.packed_not_handed, row.urgency) == (1, "late")
