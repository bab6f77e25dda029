"""Allocation on SQLite and PostgreSQL: FEFO/FIFO at real locations, shelf life, shortage policies,
oldest orders first, and two stations allocating at the same moment without overselling."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.bootstrap import Services
from app.db.models import AuditEntry, Order, OrderHold, OrderLine
from app.domain.allocation import ShortagePolicy
from app.domain.errors import PermissionDenied, ValidationError
from app.domain.users import Actor, Role
from app.services import allocation, order_actions, orders
from tests.conftest import make_actor
from tests.order_action_fixtures import (
    TODAY,
    add_location,
    add_order,
    add_products,
    level,
    receive,
    reserved_by_line,
    status_of,
    stock_invariant_violations,
)
from tests.race import Race, hold_the_lock


@pytest.fixture
def shop(services: Services, admin: Actor) -> dict[str, int]:
    """Products CUP (plain), TEA (expiry tracked), a pickable bin and a storage bay."""
    ids = add_products(services, "CUP", "TEA", "LID", expiry=["TEA"])
    add_location(services, "A-01", "pickable", sequence=1)
    add_location(services, "A-02", "pickable", sequence=2)
    add_location(services, "S-01", "storage", sequence=50)
    add_location(services, "R-01", "receiving", sequence=90)
    return ids


def _allocate(services: Services, actor: Actor, *ids: int) -> order_actions.AllocationReport:
    return services.run(order_actions.allocate, actor, list(ids) if ids else None)


def test_fifo_takes_pickable_stock_first_and_the_detail_shows_where(
    services: Services, admin: Actor, shop: dict[str, int]
) -> None:
    storage = receive(services, admin, "S-01", "CUP", 10)  # received first, but in storage
    pick = receive(services, admin, "A-01", "CUP", 3)
    receive(services, admin, "R-01", "CUP", 50)  # still at receiving: not allocatable
    oid = add_order(services, [("CUP", 5)])
    report = _allocate(services, admin)
    assert [r.number for r in report.allocated] == [report.results[0].number]
    assert status_of(services, oid) == "allocated"
    assert level(services, pick) == (3, 3)
    assert level(services, storage) == (10, 2)
    detail = services.run(orders.order_detail, admin, oid)
    assert [(a.location, a.qty) for a in detail.allocations] == [("A-01", 3), ("S-01", 2)]
    assert stock_invariant_violations(services) == []


def test_fefo_takes_the_earliest_expiry_and_skips_short_shelf_life(
    services: Services, admin: Actor, shop: dict[str, int]
) -> None:
    services.run(allocation.set_allocation_settings, admin, min_shelf_life_days=30)
    late = receive(services, admin, "A-01", "TEA", 10, lot="L-LATE", expiry=TODAY + timedelta(400))
    early = receive(services, admin, "S-01", "TEA", 4, lot="L-EARLY", expiry=TODAY + timedelta(90))
    near = receive(services, admin, "A-02", "TEA", 9, lot="L-NEAR", expiry=TODAY + timedelta(20))
    oid = add_order(services, [("TEA", 6)])
    _allocate(services, admin)
    assert level(services, early) == (4, 4)
    assert level(services, late) == (10, 2)
    assert level(services, near) == (9, 0)  # 20 days left, 30 required
    detail = services.run(orders.order_detail, admin, oid)
    # the detail lists them in walk order: the pickable bin first
    assert [(a.location, a.lot, a.expiry, a.qty) for a in detail.allocations] == [
        ("A-01", "L-LATE", TODAY + timedelta(400), 2),
        ("S-01", "L-EARLY", TODAY + timedelta(90), 4),
    ]


def test_an_expired_lot_is_never_allocated(
    services: Services, admin: Actor, shop: dict[str, int]
) -> None:
    receive(services, admin, "A-01", "TEA", 5, lot="OLD", expiry=TODAY + timedelta(3))
    oid = add_order(services, [("TEA", 1)])
    # a week later the lot has expired
    report = services.run(order_actions.allocate, admin, today=TODAY + timedelta(7))
    assert [r.order_id for r in report.held] == [oid]
    assert "TEA: 1 wanted, 0 available, 1 short" in report.held[0].message


def test_hold_policy_holds_the_whole_order_naming_sku_and_shortfall(
    services: Services, admin: Actor, shop: dict[str, int]
) -> None:
    cups = receive(services, admin, "A-01", "CUP", 10)
    receive(services, admin, "A-01", "LID", 2)
    oid = add_order(services, [("CUP", 4), ("LID", 5)])
    report = _allocate(services, admin)
    assert [r.order_id for r in report.held] == [oid]
    assert status_of(services, oid) == "on_hold"
    assert level(services, cups) == (10, 0)  # nothing reserved for a held order
    detail = services.run(orders.order_detail, admin, oid)
    [hold] = [h for h in detail.holds if h.resolved_at is None]
    assert hold.code == "short_stock"
    assert "LID: 5 wanted, 2 available, 3 short" in hold.reason
    assert detail.history[-1].to_status == "on_hold"
    assert stock_invariant_violations(services) == []


def test_backorder_policy_ships_what_is_there_and_splits_off_the_rest(
    services: Services, admin: Actor, shop: dict[str, int]
) -> None:
    services.run(allocation.set_allocation_settings, admin, shortage_policy="backorder")
    receive(services, admin, "A-01", "CUP", 10)
    lids = receive(services, admin, "A-01", "LID", 2)
    oid = add_order(services, [("CUP", 4), ("LID", 5)])
    report = _allocate(services, admin)
    [res] = report.results
    assert (res.outcome, res.reserved_units, res.backordered_units) == ("partial", 6, 3)
    assert status_of(services, oid) == "allocated"
    assert reserved_by_line(services, oid) == {1: 4, 2: 2}
    with services.uow() as uow:
        part = uow.session.scalars(select(Order).where(Order.split_from_id == oid)).one()
        part_id, part_number, part_status = part.id, part.number, part.status
        part_lines = [
            (ln.sku, ln.qty, ln.qty_backordered, ln.external_line_id)
            for ln in uow.session.scalars(select(OrderLine).where(OrderLine.order_id == part.id))
        ]
        original = uow.session.get_one(Order, oid)
        number, external_id = original.number, original.external_id
        original_line = uow.session.scalars(
            select(OrderLine).where(OrderLine.order_id == oid, OrderLine.sku == "LID")
        ).one()
        lid_line_ext = original_line.external_line_id
    assert part_number == f"{number}-2" == res.backorder_number
    assert part_status == "released"
    assert part_lines == [("LID", 3, 3, lid_line_ext)]
    # the channel's order and line ids stay with both parts, with the units each carries
    assert services.run(_refs, admin, part_id) == [("LID", external_id, lid_line_ext, 3)]
    assert ("LID", external_id, lid_line_ext, 2) in services.run(_refs, admin, oid)
    # stock arrives: the next run allocates the backorder, which then waits for nothing
    receive(services, admin, "A-01", "LID", 3)
    again = _allocate(services, admin)
    assert [r.order_id for r in again.allocated] == [part_id]
    assert level(services, lids) == (5, 5)
    with services.uow() as uow:
        assert (
            uow.session.scalar(
                select(OrderLine.qty_backordered).where(OrderLine.order_id == part_id)
            )
            == 0
        )
    assert stock_invariant_violations(services) == []


def _refs(uow: object, actor: Actor, order_id: int) -> list[tuple[str, str, str, int]]:
    from app.services import merge_split

    return [
        (r.sku, r.external_id, r.external_line_id, r.qty)
        for r in merge_split.external_refs(uow, actor, order_id)  # type: ignore[arg-type]
    ]


def test_backorder_policy_keeps_an_order_with_nothing_in_stock_released_and_waiting(
    services: Services, admin: Actor, shop: dict[str, int]
) -> None:
    services.run(allocation.set_allocation_settings, admin, shortage_policy="backorder")
    oid = add_order(services, [("CUP", 2)])
    report = _allocate(services, admin)
    assert [r.order_id for r in report.backordered] == [oid]
    assert report.backordered[0].backordered_units == 2
    assert status_of(services, oid) == "released"
    with services.uow() as uow:
        assert (
            uow.session.scalar(select(OrderLine.qty_backordered).where(OrderLine.order_id == oid))
            == 2
        )


def test_lines_that_need_no_shipping_need_no_stock(
    services: Services, admin: Actor, shop: dict[str, int]
) -> None:
    receive(services, admin, "A-01", "CUP", 1)
    oid = add_order(services, [("CUP", 1), ("GIFT-CARD", 1)], shipping=[True, False])
    report = _allocate(services, admin)
    assert [r.order_id for r in report.allocated] == [oid]
    assert reserved_by_line(services, oid) == {1: 1}


def test_the_oldest_order_gets_the_last_units(
    services: Services, admin: Actor, shop: dict[str, int]
) -> None:
    receive(services, admin, "A-01", "CUP", 3)
    newer = add_order(services, [("CUP", 3)])
    older = add_order(services, [("CUP", 3)], placed_at=orders.utcnow() - timedelta(days=400))
    report = _allocate(services, admin)
    assert [r.order_id for r in report.allocated] == [older]
    assert [r.order_id for r in report.held] == [newer]


def test_only_released_orders_are_allocated_and_the_others_are_reported(
    services: Services, admin: Actor, shop: dict[str, int]
) -> None:
    receive(services, admin, "A-01", "CUP", 5)
    new = add_order(services, [("CUP", 1)], status="new")
    ok = add_order(services, [("CUP", 1)])
    report = _allocate(services, admin, new, ok, 999_999)
    assert [(r.order_id, r.ok) for r in report.results] == [
        (new, False),
        (ok, True),
        (999_999, False),
    ]
    assert "is new; only released orders are allocated" in report.results[0].message
    assert "#999999 was not found" in report.results[2].message
    assert status_of(services, new) == "new"


def test_allocation_and_its_settings_need_their_permissions(
    services: Services, admin: Actor, shop: dict[str, int]
) -> None:
    picker = make_actor(services, admin, Role.PICKER)
    with pytest.raises(PermissionDenied):
        services.run(order_actions.allocate, picker)
    with pytest.raises(PermissionDenied):
        services.run(allocation.set_allocation_settings, picker, shortage_policy="backorder")
    with pytest.raises(ValidationError):
        services.run(allocation.set_allocation_settings, admin, shortage_policy="sometimes")
    with pytest.raises(ValidationError):
        services.run(allocation.set_allocation_settings, admin, min_shelf_life_days=-1)
    rules = services.run(
        allocation.set_allocation_settings,
        admin,
        shortage_policy="backorder",
        min_shelf_life_days=14,
    )
    assert (rules.shortage_policy, rules.min_shelf_life_days) == (ShortagePolicy.BACKORDER, 14)
    assert services.run(allocation.allocation_settings, picker) == rules
    with services.uow() as uow:
        before, after = uow.session.execute(
            select(AuditEntry.before, AuditEntry.after).where(
                AuditEntry.action == "settings.change"
            )
        ).one()
    assert before == {"shortage_policy": "hold", "min_shelf_life_days": 0}
    assert after == {"shortage_policy": "backorder", "min_shelf_life_days": 14}


def test_an_allocation_run_is_audited_and_each_order_gets_history(
    services: Services, admin: Actor, shop: dict[str, int]
) -> None:
    receive(services, admin, "A-01", "CUP", 5)
    oid = add_order(services, [("CUP", 2)])
    _allocate(services, admin)
    detail = services.run(orders.order_detail, admin, oid)
    last = detail.history[-1]
    assert (last.from_status, last.to_status, last.user) == ("released", "allocated", "admin")
    with services.uow() as uow:
        after = uow.session.scalars(
            select(AuditEntry.after).where(AuditEntry.action == "order.allocate_run")
        ).one()
    assert after is not None and after["allocated"] == 1 and after["reserved_units"] == 2


def test_two_stations_allocating_at_once_never_oversell(
    services: Services, admin: Actor, shop: dict[str, int]
) -> None:
    cups = receive(services, admin, "A-01", "CUP", 10)
    first = [add_order(services, [("CUP", 2)]) for _ in range(5)]
    second = [add_order(services, [("CUP", 2)]) for _ in range(5)]
    # a third transaction holds the stock rows (PostgreSQL) or the write lock (SQLite); both
    # stations must be seen waiting behind it before it lets go (see tests/race.py)
    race = Race(
        services, hold_the_lock(services, "SELECT id FROM stock_levels ORDER BY id FOR UPDATE")
    )
    race.start(
        lambda uow: order_actions.allocate(uow, admin, first),
        lambda uow: order_actions.allocate(uow, admin, second),
    )
    race.assert_all_waiting(2)
    race.release()
    results = race.results()
    errors = [r for r in results if isinstance(r, BaseException)]
    reports: list[order_actions.AllocationReport] = [r for r in results if r not in errors]
    assert errors == []
    allocated = [r for rep in reports for r in rep.allocated]
    held = [r for rep in reports for r in rep.held]
    assert len(allocated) == 5 and len(held) == 5
    assert level(services, cups) == (10, 10)
    assert stock_invariant_violations(services) == []
    with services.uow() as uow:
        holds = uow.session.scalars(
            select(OrderHold.code).where(OrderHold.resolved_at.is_(None))
        ).all()
    assert holds == ["short_stock"] * 5
