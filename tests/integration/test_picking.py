"""Picking a batch scan by scan, on SQLite and PostgreSQL: units move from the location into the
tote on the ledger with their reservations, refusals are logged and change nothing, skipped
tasks come round again, short picks re-allocate or follow the shortage policy, and the batch,
its orders and the wave close when nothing is left."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.bootstrap import Services
from app.db.models import (
    AuditEntry,
    Location,
    Order,
    OrderHold,
    OrderLine,
    PickBatch,
    PickException,
    PickTask,
    Product,
    RecountTask,
    Reservation,
    StockLedger,
    StockLevel,
    Wave,
)
from app.domain.errors import ValidationError
from app.domain.picking import PickInput
from app.domain.scans import GS, Command, ScanKind
from app.domain.users import Actor, Role
from app.domain.waves import ShortReason
from app.services import allocation, pick_claim, picking, scanning, stock
from app.services.picking import ScanResult
from tests.conftest import make_actor
from tests.pick_fixtures import BARCODES, SOON, PickSetup, picking_batch
from tests.wave_fixtures import build_wave


def scan(services: Services, picker: Actor, setup: PickSetup, text: str) -> ScanResult:
    event = services.run(scanning.classify, text)
    return services.run(picking.pick_scan, picker, setup.batch_id, event)


def scans(services: Services, picker: Actor, setup: PickSetup, *texts: str) -> list[ScanResult]:
    return [scan(services, picker, setup, t) for t in texts]


def tea(lot: str) -> str:
    return f"]C101{BARCODES['TEA-1'].zfill(14)}10{lot}{GS}17{SOON:%y%m%d}"


def pick_all(services: Services, picker: Actor, setup: PickSetup) -> list[ScanResult]:
    return scans(
        services,
        picker,
        setup,
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
    )


def level(services: Services, loc: str, sku: str) -> tuple[int, int]:
    """On hand and reserved of a SKU at a location (all lots)."""
    with services.uow() as uow:
        on_hand, reserved = uow.session.execute(
            select(
                func.coalesce(func.sum(StockLevel.on_hand), 0),
                func.coalesce(func.sum(StockLevel.reserved), 0),
            )
            .join(Location, Location.id == StockLevel.location_id)
            .join(Product, Product.id == StockLevel.product_id)
            .where(Location.code == loc, Product.sku == sku)
        ).one()
        return int(on_hand), int(reserved)


def test_a_cluster_batch_is_picked_into_its_totes_and_closes_with_its_orders_and_wave(
    services: Services, admin: Actor
) -> None:
    picker = make_actor(services, admin, Role.PICKER)
    setup = picking_batch(services, admin, picker)
    results = pick_all(services, picker, setup)
    assert [r.accepted for r in results] == [True] * len(results), [r.params for r in results]
    view = results[-1].view
    assert view.done and view.task is None and view.tasks_done == view.tasks_total == 3
    assert view.walked_m > 0 and view.planned_m > 0
    assert level(services, "A-01", "CUP-1") == (3, 0)
    assert level(services, "TOTE-0001", "CUP-1") == (2, 2)  # reserved for PD1 on the tote
    assert level(services, "TOTE-0001", "TEA-1") == (1, 1)
    assert level(services, "TOTE-0002", "PEN-1") == (3, 3)
    with services.uow() as uow:
        s = uow.session
        assert set(s.scalars(select(Order.status).where(Order.id.in_(setup.order_ids)))) == {
            "picked"
        }
        assert s.get_one(PickBatch, setup.batch_id).status == "picked"
        assert s.get_one(Wave, setup.wave_id).status == "picked"
        assert s.scalar(select(Location.kind).where(Location.code == "TOTE-0001")) == "tote"
        picks = s.scalars(select(StockLedger.qty_delta).where(StockLedger.reason == "pick")).all()
        assert sorted(picks) == [-3, -2, -1, 1, 2, 3]
        held = s.scalars(
            select(Reservation.qty)
            .join(StockLevel, StockLevel.id == Reservation.stock_level_id)
            .join(Location, Location.id == StockLevel.location_id)
            .where(Location.kind == "tote")
        ).all()
        assert sorted(held) == [1, 2, 3]
    assert services.run(stock.check_stock_invariants) == []


def test_wrong_location_product_tote_and_too_many_are_refused_logged_and_change_nothing(
    services: Services, admin: Actor
) -> None:
    picker = make_actor(services, admin, Role.PICKER)
    setup = picking_batch(services, admin, picker)
    wrong = scans(
        services,
        picker,
        setup,
        "LOC-B-01",
        "LOC-A-01",
        BARCODES["PEN-1"],
        BARCODES["CUP-1"],
        "PD-CMD-QTY-3",
        "PD-CMD-QTY-2",
        "TOTE-0002",
    )
    assert [(r.accepted, r.refusal) for r in wrong] == [
        (False, "wrong_location"),
        (True, ""),
        (False, "wrong_product"),
        (True, ""),
        (False, "too_many"),
        (True, ""),
        (False, "wrong_tote"),
    ]
    assert "TOTE-0002" in wrong[-1].template.format(**wrong[-1].params)
    assert wrong[-1].view.task is not None and wrong[-1].view.task.held_qty == 2
    assert level(services, "A-01", "CUP-1") == (5, 2)
    with services.uow() as uow:
        logged = uow.session.scalars(
            select(AuditEntry.after)
            .where(AuditEntry.action == "pick.refused")
            .order_by(AuditEntry.id)
        ).all()
    assert [a["scanned"] for a in logged if a] == ["B-01", "PEN-1", "PD-CMD-QTY-3", "TOTE-0002"]


def test_the_scan_sequence_resumes_exactly_from_the_database(
    services: Services, admin: Actor
) -> None:
    picker = make_actor(services, admin, Role.PICKER)
    setup = picking_batch(services, admin, picker)
    scans(services, picker, setup, "LOC-A-01", BARCODES["CUP-1"])
    again = services.run(picking.pick_view, picker, setup.batch_id)  # another station
    assert again.task is not None and again.task.step == "qty" and again.task.held_qty == 1
    assert scan(services, picker, setup, BARCODES["CUP-1"]).view.task.step == "tote"  # type: ignore[union-attr]


def test_a_skipped_task_comes_round_again_and_the_batch_waits_for_it(
    services: Services, admin: Actor
) -> None:
    picker = make_actor(services, admin, Role.PICKER)
    setup = picking_batch(services, admin, picker)
    skipped = scan(services, picker, setup, "PD-CMD-SKIP")
    assert skipped.accepted and skipped.view.task is not None
    assert skipped.view.task.location == "A-02"
    rest = scans(
        services,
        picker,
        setup,
        "LOC-A-02",
        tea("L1"),
        "TOTE-0001",
        "LOC-B-01",
        BARCODES["PEN-1"],
        "PD-CMD-QTY-3",
        "TOTE-0002",
    )
    assert all(r.accepted for r in rest)
    view = rest[-1].view
    assert not view.done and view.task is not None and view.task.location == "A-01"
    assert view.task.skipped
    last = scans(
        services, picker, setup, "LOC-A-01", BARCODES["CUP-1"], "PD-CMD-QTY-2", "TOTE-0001"
    )
    assert last[-1].view.done


def test_a_short_pick_is_reallocated_elsewhere_as_a_new_stop_and_a_recount_is_recorded(
    services: Services, admin: Actor
) -> None:
    picker = make_actor(services, admin, Role.PICKER)
    setup = picking_batch(services, admin, picker)
    out = scans(
        services,
        picker,
        setup,
        "LOC-A-01",
        BARCODES["CUP-1"],
        "TOTE-0001",
        "PD-CMD-SHORT",
        "PD-REASON-EMPTY",
    )
    assert [r.accepted for r in out] == [True] * 5
    with services.uow() as uow:
        s = uow.session
        new = s.scalars(select(PickTask).where(PickTask.replaces_task_id.is_not(None))).one()
        where = s.get_one(Location, new.location_id).code
        assert (where, new.qty, new.replaces_task_id) == ("R-01", 1, setup.task_ids[0])
        order = s.scalars(
            select(PickTask.id)
            .where(PickTask.batch_id == setup.batch_id, PickTask.status.in_(["open", "skipped"]))
            .order_by(PickTask.seq)
        ).all()
        # R-01 is at the back of aisle B: on the way from A-02 over the back cross aisle to B-01
        assert order == [setup.task_ids[1], new.id, setup.task_ids[2]]
        assert s.scalars(select(RecountTask.reason)).all() == ["empty"]
        assert s.scalar(select(func.count(PickException.id))) == 0
    assert level(services, "A-01", "CUP-1") == (4, 0)
    assert level(services, "R-01", "CUP-1") == (20, 1)
    rest = scans(
        services,
        picker,
        setup,
        "LOC-A-02",
        tea("L1"),
        "TOTE-0001",
        "LOC-R-01",
        BARCODES["CUP-1"],
        "TOTE-0001",
        "LOC-B-01",
        BARCODES["PEN-1"],
        "PD-CMD-QTY-3",
        "TOTE-0002",
    )
    assert all(r.accepted for r in rest) and rest[-1].view.done
    assert level(services, "TOTE-0001", "CUP-1") == (2, 2)
    assert services.run(stock.check_stock_invariants) == []


def test_a_short_pick_with_no_stock_elsewhere_holds_the_order_or_backorders_the_line(
    services: Services, admin: Actor
) -> None:
    picker = make_actor(services, admin, Role.PICKER)
    setup = picking_batch(services, admin, picker)
    scans(
        services,
        picker,
        setup,
        "LOC-A-01",
        BARCODES["CUP-1"],
        BARCODES["CUP-1"],
        "TOTE-0001",
        "LOC-A-02",
    )
    # TEA-1 has 6 free units of lot L2 at A-02 only: nothing elsewhere
    short = services.run(
        picking.pick_scan,
        picker,
        setup.batch_id,
        PickInput(ScanKind.COMMAND, command=Command.SHORT),
    )
    assert short.accepted and short.message == "choose_reason"
    done = services.run(
        picking.pick_scan,
        picker,
        setup.batch_id,
        PickInput(ScanKind.UNKNOWN, reason=ShortReason.DAMAGED),
    )
    assert done.accepted
    with services.uow() as uow:
        s = uow.session
        exc = s.scalars(select(PickException)).one()
        assert (exc.qty_short, exc.reason, exc.outcome) == (1, "damaged", "held")
        assert s.get_one(Order, setup.order_ids[0]).status == "on_hold"
        assert s.scalars(select(OrderHold.code)).all() == ["short_stock"]
    services.run(allocation.set_allocation_settings, admin, shortage_policy="backorder")
    rest = scans(
        services,
        picker,
        setup,
        "LOC-B-01",
        BARCODES["PEN-1"],
        "PD-CMD-QTY-2",
        "TOTE-0002",
        "PD-CMD-SHORT",
        "PD-REASON-NOTFOUND",
    )
    assert all(r.accepted for r in rest) and rest[-1].view.done
    with services.uow() as uow:
        s = uow.session
        line = s.scalars(select(OrderLine).where(OrderLine.order_id == setup.order_ids[1])).one()
        assert line.qty_backordered == 1
        outcomes = s.scalars(select(PickException.outcome).order_by(PickException.id)).all()
        assert outcomes == ["held", "backordered"]
        # the held order stays held; the other one is picked
        assert s.get_one(Order, setup.order_ids[1]).status == "picked"
    assert services.run(stock.check_stock_invariants) == []


def test_another_lot_is_taken_only_when_the_rules_allow_and_the_reservation_moves(
    services: Services, admin: Actor
) -> None:
    picker = make_actor(services, admin, Role.PICKER)
    setup = picking_batch(
        services,
        admin,
        picker,
        orders={"PD1": [("TEA-1", 2)]},
        tasks=[("A-02", "TEA-1", "L1", [("PD1", 2)])],
    )
    services.run(allocation.set_allocation_settings, admin, min_shelf_life_days=500)
    out = scans(services, picker, setup, "LOC-A-02", tea("L2"))
    assert out[-1].refusal == "wrong_lot"  # L2 expires within the minimum shelf life
    services.run(allocation.set_allocation_settings, admin, min_shelf_life_days=0)
    swapped = scan(services, picker, setup, tea("L2"))
    assert swapped.accepted and swapped.message == "lot_swapped"
    assert swapped.view.task is not None and swapped.view.task.lot == "L2"
    with services.uow() as uow:
        lots = uow.session.execute(
            select(StockLevel.lot_id, StockLevel.reserved)
            .order_by(StockLevel.lot_id)
            .where(StockLevel.product_id == setup.products["TEA-1"])
        ).all()
    assert [r for _, r in lots] == [0, 2]
    assert not scan(services, picker, setup, tea("L1")).accepted  # no mixing lots in hand
    done = scans(services, picker, setup, tea("L2"), "TOTE-0001")
    assert done[-1].accepted and done[-1].view.done
    assert services.run(stock.check_stock_invariants) == []


def test_a_pick_then_sort_batch_leaves_its_orders_picking_for_the_sort_wall(
    services: Services, admin: Actor
) -> None:
    picker = make_actor(services, admin, Role.PICKER)
    setup = picking_batch(
        services,
        admin,
        picker,
        method="pick_sort",
        orders={"PD1": [("PEN-1", 1)], "PD2": [("PEN-1", 2)]},
        tasks=[("B-01", "PEN-1", None, [("PD1", 1), ("PD2", 2)])],
    )
    out = scans(
        services,
        picker,
        setup,
        "LOC-B-01",
        BARCODES["PEN-1"],
        "PD-CMD-QTY-3",
        "TOTE-0001",
        "TOTE-0900",
    )
    assert [r.refusal for r in out] == ["", "", "", "wrong_tote", ""]
    assert out[-1].view.done and out[-1].view.to_sort_wall
    with services.uow() as uow:
        s = uow.session
        assert set(s.scalars(select(Order.status).where(Order.id.in_(setup.order_ids)))) == {
            "picking"
        }
        # the wave is picked when its orders are: the sort wall closes it
        assert s.get_one(Wave, setup.wave_id).status == "picking"
    assert level(services, "TOTE-0900", "PEN-1") == (3, 3)


def test_only_the_picker_who_claimed_the_batch_may_scan_into_it(
    services: Services, admin: Actor
) -> None:
    picker = make_actor(services, admin, Role.PICKER)
    other = make_actor(services, admin, Role.PICKER, "picker-2")
    setup = picking_batch(services, admin, picker)
    with pytest.raises(ValidationError, match="someone else"):
        scan(services, other, setup, "LOC-A-01")


def work_the_batch(services: Services, picker: Actor, batch_id: int) -> list[ScanResult]:
    """Scan every task of the batch as the screen says: location, SKU, quantity, tote."""
    out: list[ScanResult] = []
    view = services.run(picking.pick_view, picker, batch_id)
    while view.task is not None:
        task = view.task
        for text in (f"LOC-{task.location}", task.sku, f"PD-CMD-QTY-{task.qty}", task.tote):
            if text == f"PD-CMD-QTY-{task.qty}" and task.qty == 1:
                continue
            event = services.run(scanning.classify, text)
            out.append(services.run(picking.pick_scan, picker, batch_id, event))
            assert out[-1].accepted, (text, out[-1].template.format(**out[-1].params))
        view = out[-1].view
    return out


@pytest.mark.parametrize("method", ["cluster", "single_unit", "pick_sort"])
def test_a_released_wave_claimed_with_get_work_is_picked_to_the_end(
    services: Services, admin: Actor, method: str
) -> None:
    picker = make_actor(services, admin, Role.PICKER)
    wave = build_wave(services, admin, method=method)
    claimed = services.run(pick_claim.get_work, picker)
    assert claimed is not None and claimed.batch_id == wave.batch_id
    results = work_the_batch(services, picker, claimed.batch_id)
    assert results[-1].view.done
    want = "picking" if method == "pick_sort" else "picked"
    with services.uow() as uow:
        statuses = uow.session.scalars(select(Order.status).where(Order.id.in_(wave.order_ids)))
        assert set(statuses) == {want}
        assert uow.session.get_one(Wave, wave.wave_id).status == want  # sort wall: not yet
    assert services.run(stock.check_stock_invariants) == []
