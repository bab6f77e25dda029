"""Single-unit batches at the pack bench (一单一品, 扫描即打), on SQLite and PostgreSQL: each unit
scanned packs and labels the oldest order of the batch still needing it, in one unit of work."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.bootstrap import Services
from app.db.models import Order, PackException, PackSession, Parcel, PrintJob, StockLedger
from app.domain.errors import UnknownBarcode
from app.domain.pack_settings import PackSettings
from app.domain.users import Actor
from app.services import pack_settings, pack_single, pack_single_batch, packing, stock
from tests.pack_fixtures import BADGE, counts, drawn, pack_ready
from tests.pick_fixtures import BARCODES
from tests.single_fixtures import TOTE, single_ready, weight_of

CUP, PEN, TEA = BARCODES["CUP-1"], BARCODES["PEN-1"], BARCODES["TEA-1"]


def _status(services: Services, number: str) -> str:
    with services.uow() as uow:
        return str(uow.session.scalar(select(Order.status).where(Order.number == number)))


def test_the_batch_opens_from_its_bulk_tote_or_pick_list_and_shows_what_is_left(
    services: Services, admin: Actor
) -> None:
    setup = single_ready(services, admin)

    view = services.run(pack_single.open_single_unit, setup.packer, TOTE)
    again = services.run(pack_single.open_single_unit, setup.packer, "W000001-1")

    assert view == again
    assert (view.batch, view.tote, view.orders, view.packed, view.left) == (
        "W000001-1",
        TOTE,
        4,
        0,
        4,
    )
    assert [(k.sku, k.orders_left) for k in view.skus] == [("CUP-1", 3), ("PEN-1", 1)]
    assert view.last is None


def test_each_unit_packs_and_labels_the_oldest_order_needing_it_at_once(
    services: Services, admin: Actor
) -> None:
    setup = single_ready(services, admin)
    packer, batch = setup.packer, setup.batch_id
    services.run(pack_single.open_single_unit, packer, TOTE)

    first = services.run(pack_single.single_scan, packer, batch, CUP, weight_of("CUP-1"))
    assert first.ok and first.kind == "packed", (first.message, first.params)
    assert first.view.order_number == "S3"  # placed first
    assert first.view.mode == "single_unit" and first.view.next_step == "done"
    assert first.tracking_number == setup.numbers[0] and first.label_job_id
    pen = services.run(pack_single.single_scan, packer, batch, PEN, weight_of("PEN-1") - 3)
    second = services.run(pack_single.single_scan, packer, batch, CUP, weight_of("CUP-1") + 4)

    assert (pen.view.order_number, second.view.order_number) == ("S2", "S1")
    assert [_status(services, n) for n in ("S3", "S1", "S2", "S4")] == [
        "packed",
        "packed",
        "packed",
        "picked",
    ]
    view = services.run(pack_single.single_unit_view, packer, batch)
    assert (view.packed, view.left, view.in_progress) == (3, 1, 0)
    assert [(k.sku, k.orders_left) for k in view.skus] == [("CUP-1", 1)]
    assert view.last is not None
    assert (view.last.order_number, view.last.tracking_number) == ("S1", setup.numbers[2])
    with services.uow() as uow:
        s = uow.session
        label = s.get_one(PrintJob, second.label_job_id)
        assert (label.kind, label.printer) == ("shipping_label", "label")
        assert setup.numbers[2].encode() in drawn(s, label)
        sessions = s.scalars(select(PackSession.mode).where(PackSession.status == "done")).all()
        assert sessions == ["single_unit"] * 3
        to_dock = s.scalar(
            select(func.count(StockLedger.id)).where(
                StockLedger.ref_type == "parcel", StockLedger.reason == "move_out"
            )
        )
        assert to_dock == 3
        assert s.scalar(select(Parcel.package_source).limit(1)) == "suggested"
    assert services.run(stock.check_stock_invariants) == []


def test_a_unit_no_order_of_the_batch_needs_is_refused_plainly_and_logged(
    services: Services, admin: Actor
) -> None:
    setup = single_ready(services, admin)
    before = counts(services)

    with pytest.raises(pack_single.UnitNotNeeded) as refused:
        services.run(pack_single.single_scan, setup.packer, setup.batch_id, TEA, 120)

    assert refused.value.params["sku"] == "TEA-1"
    assert refused.value.params["batch"] == "W000001-1"
    after = counts(services)
    assert after.pop("pack_exceptions") == before.pop("pack_exceptions") + 1
    assert after == before
    with services.uow() as uow:
        row = uow.session.scalars(select(PackException)).one()
        assert (row.kind, row.station_id, row.resolution) == (
            "wrong_item",
            services.station_id,
            "logged",
        )
    with pytest.raises(UnknownBarcode):
        services.run(pack_single.single_scan, setup.packer, setup.batch_id, "NO-SUCH-CODE", 120)
    with pytest.raises(pack_single.NotAUnit):  # a command is no unit, and no mis-scan
        services.run(pack_single.single_scan, setup.packer, setup.batch_id, "PD-CMD-READ", 120)
    with services.uow() as uow:
        kinds = uow.session.scalars(select(PackException.scanned).order_by(PackException.id))
        assert list(kinds) == [TEA, "NO-SUCH-CODE"]


def test_when_every_cup_order_is_packed_the_next_cup_is_refused(
    services: Services, admin: Actor
) -> None:
    setup = single_ready(services, admin)
    for _ in range(3):
        done = services.run(
            pack_single.single_scan, setup.packer, setup.batch_id, CUP, weight_of("CUP-1")
        )
        assert done.kind == "packed"
    with pytest.raises(pack_single.UnitNotNeeded):
        services.run(pack_single.single_scan, setup.packer, setup.batch_id, CUP, 360)
    services.run(pack_single.single_scan, setup.packer, setup.batch_id, PEN, weight_of("PEN-1"))
    with pytest.raises(pack_single.BatchAllPacked):
        services.run(pack_single.open_single_unit, setup.packer, "W000001-1")
    assert services.run(pack_single.resume_single_unit, setup.packer) is None


def test_a_wrong_weight_stops_the_order_until_a_supervisor_accepts_it(
    services: Services, admin: Actor
) -> None:
    setup = single_ready(services, admin)
    packer, batch = setup.packer, setup.batch_id

    stopped = services.run(pack_single.single_scan, packer, batch, CUP, 900)

    assert not stopped.ok and stopped.kind == "weight_stopped"
    assert stopped.view.order_number == "S3" and stopped.view.next_step == "override"
    assert stopped.label_job_id is None
    with pytest.raises(pack_single.OrderOpenHere) as waiting:
        services.run(pack_single.single_scan, packer, batch, CUP, weight_of("CUP-1"))
    assert waiting.value.params["order"] == "S3"
    assert services.run(pack_single.resume_single_unit, packer) is not None
    view = services.run(pack_single.single_unit_view, packer, batch)
    assert (view.in_progress, view.left) == (1, 3)

    accepted = services.run(packing.override_weight, packer, stopped.view.session_id, BADGE)
    assert accepted.ok and accepted.kind == "packed"
    nxt = services.run(pack_single.single_scan, packer, batch, CUP, weight_of("CUP-1"))
    assert nxt.kind == "packed" and nxt.view.order_number == "S1"


def test_without_a_scale_reading_the_order_waits_for_its_weight_or_packs_at_once(
    services: Services, admin: Actor
) -> None:
    setup = single_ready(services, admin)
    packer, batch = setup.packer, setup.batch_id

    waits = services.run(pack_single.single_scan, packer, batch, CUP)
    assert waits.ok and waits.view.next_step == "weigh"
    done = services.run(packing.weigh, packer, waits.view.session_id, weight_of("CUP-1"))
    assert done.kind == "packed" and done.view.order_number == "S3"

    services.run(
        pack_settings.save_pack_settings,
        admin,
        PackSettings(require_weight=False, sender_name="茶杯小店"),
    )
    at_once = services.run(pack_single.single_scan, packer, batch, CUP)
    assert at_once.kind == "packed" and at_once.view.order_number == "S1"


def test_a_batch_not_picked_single_unit_is_refused(services: Services, admin: Actor) -> None:
    setup = pack_ready(services, admin)
    with pytest.raises(pack_single.NotSingleUnitBatch) as refused:
        services.run(pack_single.open_single_unit, setup.packer, "W000001-1")
    assert refused.value.params["why"] == pack_single_batch.WHY_WORDS["method"]
    with pytest.raises(pack_single.NotSingleUnitBatch):
        services.run(pack_single.single_scan, setup.packer, setup.pick.batch_id, CUP, 360)
