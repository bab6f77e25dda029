"""Packing an order at the station through its scans and its weight, on SQLite and PostgreSQL:
the order opens from its tote, each unit is verified, a weight inside the expectation finishes
it without a click (number, label and slip queued, units out of the tote, order packed)."""

from __future__ import annotations

from sqlalchemy import func, select

from app.bootstrap import Services
from app.db.models import (
    AuditEntry,
    Location,
    Order,
    OrderStatusChange,
    PackSession,
    Parcel,
    PrintJob,
    StockLedger,
    TrackingNumber,
)
from app.domain.users import Actor
from app.labels.preview import render_png
from app.services import packing, stock
from tests.pack_fixtures import PD1_WEIGHT, drawn, pack_ready, tea
from tests.pick_fixtures import BARCODES


def test_a_picked_order_opens_from_its_tote_and_is_packed_by_its_scans_and_weight(
    services: Services, admin: Actor
) -> None:
    setup = pack_ready(services, admin)
    packer = setup.packer
    view = services.run(packing.open_for_packing, packer, "TOTE-0001")
    assert view.order_number == "PD1" and view.next_step == "scan_item"
    assert [(ln.sku, ln.qty, ln.verified, ln.lot) for ln in view.lines] == [
        ("CUP-1", 2, 0, ""),
        ("TEA-1", 1, 0, "L1"),
    ]
    assert view.suggested_package is not None and view.suggested_package.code == "BOX-S"
    sid = view.session_id
    first = services.run(packing.scan, packer, sid, BARCODES["CUP-1"])
    assert first.ok and first.kind == "verified" and first.view.lines[0].verified == 1
    services.run(packing.scan, packer, sid, BARCODES["CUP-1"])
    box = services.run(packing.scan, packer, sid, "PKG-BOX-S")
    assert box.ok and box.kind == "package" and box.view.current_parcel.package_code == "BOX-S"
    last = services.run(packing.scan, packer, sid, tea("L1"))
    assert last.ok and last.view.all_verified and last.view.next_step == "weigh"
    done = services.run(packing.weigh, packer, sid, PD1_WEIGHT + 5)
    assert done.ok and done.kind == "packed", (done.message, done.params)
    assert done.weight_verdict is not None and done.weight_verdict.ok
    assert done.tracking_number == setup.numbers[0]
    assert done.label_job_id and done.slip_job_id
    assert done.view.next_step == "done" and done.view.status == "done"
    [parcel] = done.view.parcels
    assert (parcel.status, parcel.tracking_number, parcel.weight_g) == (
        "labelled",
        setup.numbers[0],
        PD1_WEIGHT + 5,
    )
    with services.uow() as uow:
        s = uow.session
        assert s.scalar(select(Order.status).where(Order.number == "PD1")) == "packed"
        history = s.scalars(
            select(OrderStatusChange.to_status)
            .join(Order, Order.id == OrderStatusChange.order_id)
            .where(Order.number == "PD1")
            .order_by(OrderStatusChange.id)
        ).all()
        assert history[-2:] == ["packing", "packed"]
        number = s.scalar(select(TrackingNumber).where(TrackingNumber.number == setup.numbers[0]))
        assert number is not None and number.status == "used"
        label = s.get_one(PrintJob, done.label_job_id)
        slip = s.get_one(PrintJob, done.slip_job_id)
        assert (label.printer, label.format, label.kind) == ("label", "zpl", "shipping_label")
        assert (slip.printer, slip.format, slip.kind) == ("document", "pdf", "packing_slip")
        assert drawn(s, slip).startswith(b"%PDF")
        moves = s.execute(
            select(StockLedger.reason, Location.kind, StockLedger.qty_delta)
            .join(Location, Location.id == StockLedger.location_id)
            .where(StockLedger.ref_type == "parcel")
        ).all()
        # out of the tote into the outbound dock: they leave stock when the handover closes
        assert sorted(moves) == [
            ("move_in", "dock", 1), ("move_in", "dock", 2),
            ("move_out", "tote", -2), ("move_out", "tote", -1),
        ]  # fmt: skip
        actions = set(s.scalars(select(AuditEntry.action).where(AuditEntry.action.like("pack.%"))))
        assert {"pack.open", "pack.label", "pack.packed"} <= actions
        assert s.scalar(select(func.count(PackSession.id)).where(PackSession.status == "open")) == 0
        assert s.scalar(select(Parcel.label_source)) == "pool"
        payload = drawn(s, label)
    assert services.run(stock.check_stock_invariants) == []
    assert setup.numbers[0].encode() in payload
    assert render_png(payload, "zpl").startswith(b"\x89PNG")


def test_unpacking_a_parcel_puts_its_units_back_in_the_tote_reserved_for_their_lines(
    services: Services, admin: Actor
) -> None:
    from app.db.models import Location, Reservation, StockLevel
    from app.services import pack_moves

    setup = pack_ready(services, admin)
    packer = setup.packer
    sid = services.run(packing.open_for_packing, packer, "TOTE-0001").session_id
    for text in (BARCODES["CUP-1"], BARCODES["CUP-1"], "PKG-BOX-S", tea("L1")):
        services.run(packing.scan, packer, sid, text)
    done = services.run(packing.weigh, packer, sid, PD1_WEIGHT)
    [parcel] = done.view.parcels

    def in_tote() -> list[tuple[int, int]]:
        with services.uow() as uow:
            rows = uow.session.execute(
                select(StockLevel.on_hand, StockLevel.reserved)
                .join(Location, Location.id == StockLevel.location_id)
                .where(Location.code == "TOTE-0001")
                .order_by(StockLevel.id)
            ).all()
            return [(int(a), int(b)) for a, b in rows]

    assert in_tote() == [(0, 0), (0, 0)]
    with services.uow() as uow:
        assert pack_moves.unpack_back(uow, packer, parcel.id) == 3
        again = pack_moves.unpack_back(uow, packer, parcel.id)
        uow.commit()
    assert again == 0  # what came back once does not come back twice
    assert in_tote() == [(2, 2), (1, 1)]
    with services.uow() as uow:
        held = uow.session.scalar(select(func.sum(Reservation.qty)))
        assert held and held >= 3
    assert services.run(stock.check_stock_invariants) == []
