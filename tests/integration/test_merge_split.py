"""Merge and split on SQLite and PostgreSQL: suggestions, the channel's order and line ids kept
for write-back, audit, and the refusals a reviewer reads."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from app.bootstrap import Services
from app.db.models import AuditEntry, Order, OrderHold, OrderLine
from app.domain.errors import PermissionDenied, ValidationError
from app.domain.users import Actor, Role
from app.services import merge_split, order_actions, orders
from tests.conftest import make_actor
from tests.order_action_fixtures import (
    Person,
    add_location,
    add_order,
    add_products,
    receive,
    reserved_by_line,
    status_of,
    stock_invariant_violations,
)

ZHANG = Person()
EMMA = Person(
    "Emma Wilson", "+44 7700 900123", "London", "221B Baker Street", "GB", "", "", "NW1 6XE"
)


@pytest.fixture
def catalog(services: Services, admin: Actor) -> None:
    add_products(services, "CUP", "LID", "TEA")
    add_location(services, "A-01")


def _order(services: Services, oid: int) -> dict[str, object]:
    with services.uow() as uow:
        o = uow.session.get_one(Order, oid)
        lines = uow.session.scalars(
            select(OrderLine).where(OrderLine.order_id == oid).order_by(OrderLine.line_no)
        ).all()
        return {
            "number": o.number,
            "external_id": o.external_id,
            "status": o.status,
            "total": o.total,
            "merged_into_id": o.merged_into_id,
            "split_from_id": o.split_from_id,
            "lines": [(ln.id, ln.line_no, ln.sku, ln.qty, ln.external_line_id) for ln in lines],
        }


def _refs(services: Services, admin: Actor, oid: int) -> list[tuple[str, str, str, int]]:
    return [
        (r.sku, r.external_id, r.external_line_id, r.qty)
        for r in services.run(merge_split.external_refs, admin, oid)
    ]


def test_orders_to_one_person_at_one_address_are_suggested_for_merging(
    services: Services, admin: Actor, catalog: None
) -> None:
    a = add_order(services, [("CUP", 1)])
    b = add_order(services, [("LID", 2)], status="on_hold")
    add_order(services, [("TEA", 1)], person=EMMA)  # someone else
    add_order(services, [("TEA", 1)], channel="other-shop")  # another channel
    add_order(services, [("TEA", 1)], status="shipped")  # too late
    c = add_order(
        services, [("TEA", 1)], person=Person(name="张三丰 ", street="科技园南路1号3栋502室 ")
    )
    [suggestion] = services.run(merge_split.suggest_merges, admin)
    assert suggestion.order_ids == (a, b, c)
    assert suggestion.customer == "张*丰"  # masked for the screen
    assert suggestion.channel == "shop"


def test_merging_moves_lines_into_the_oldest_order_and_keeps_the_channel_ids(
    services: Services, admin: Actor, catalog: None
) -> None:
    a = add_order(services, [("CUP", 1)])
    b = add_order(services, [("LID", 2), ("TEA", 1)])
    before_a, before_b = _order(services, a), _order(services, b)
    result = services.run(merge_split.merge, admin, [b, a])
    assert (result.number, result.merged) == (before_a["number"], (before_b["number"],))
    after_a, after_b = _order(services, a), _order(services, b)
    # the lines themselves moved (same ids), numbered on after the target's own
    assert [(lid, no, sku) for lid, no, sku, _, _ in after_a["lines"]] == [  # type: ignore[attr-defined]
        (before_a["lines"][0][0], 1, "CUP"),  # type: ignore[index]
        (before_b["lines"][0][0], 2, "LID"),  # type: ignore[index]
        (before_b["lines"][1][0], 3, "TEA"),  # type: ignore[index]
    ]
    assert after_a["total"] == Decimal("40.00")
    assert (after_b["status"], after_b["merged_into_id"], after_b["lines"]) == ("cancelled", a, [])
    assert _refs(services, admin, a) == [
        ("CUP", before_a["external_id"], before_a["lines"][0][4], 1),  # type: ignore[index]
        ("LID", before_b["external_id"], before_b["lines"][0][4], 2),  # type: ignore[index]
        ("TEA", before_b["external_id"], before_b["lines"][1][4], 1),  # type: ignore[index]
    ]
    detail = services.run(orders.order_detail, admin, b)
    assert detail.history[-1].note == f"merged into {before_a['number']}"
    with services.uow() as uow:
        audit = uow.session.execute(
            select(AuditEntry.entity_id, AuditEntry.after).where(AuditEntry.action == "order.merge")
        ).one()
    assert audit == (before_a["number"], {"merged": [before_b["number"]]})


def test_a_merged_order_is_found_by_any_of_its_channel_order_ids(
    services: Services, admin: Actor, catalog: None
) -> None:
    a = add_order(services, [("CUP", 1)])
    b = add_order(services, [("LID", 1)])
    ext_b = _order(services, b)["external_id"]
    services.run(merge_split.merge, admin, [a, b])
    found = services.run(orders.list_orders, admin, orders.OrderQuery(search=str(ext_b)))
    assert sorted(r.id for r in found) == [a, b]  # the merged order, and the cancelled original


def test_merging_brings_hold_reasons_along(services: Services, admin: Actor, catalog: None) -> None:
    a = add_order(services, [("CUP", 1)])
    b = add_order(services, [("LID", 1)], status="on_hold")
    with services.uow() as uow:
        uow.session.add(OrderHold(order_id=b, code="bad_phone", reason="Phone not valid."))
        uow.commit()
    services.run(merge_split.merge, admin, [a, b])
    detail = services.run(orders.order_detail, admin, a)
    assert detail.status == "on_hold"
    assert [h.code for h in detail.holds if h.resolved_at is None] == ["bad_phone"]


def test_orders_that_differ_or_are_allocated_are_not_merged(
    services: Services, admin: Actor, catalog: None
) -> None:
    receive(services, admin, "A-01", "CUP", 5)
    a = add_order(services, [("CUP", 1)])
    emma = add_order(services, [("CUP", 1)], person=EMMA)
    other_channel = add_order(services, [("CUP", 1)], channel="other-shop")
    with pytest.raises(ValidationError, match="same channel to the same person"):
        services.run(merge_split.merge, admin, [a, emma])
    with pytest.raises(ValidationError, match="same channel to the same person"):
        services.run(merge_split.merge, admin, [a, other_channel])
    b = add_order(services, [("CUP", 1)])
    services.run(order_actions.allocate, admin, [b])
    with pytest.raises(ValidationError, match="is allocated"):
        services.run(merge_split.merge, admin, [a, b])
    with pytest.raises(ValidationError, match="at least two"):
        services.run(merge_split.merge, admin, [a])
    assert status_of(services, a) == "released"


def test_splitting_by_lines_and_quantities_makes_a_numbered_part(
    services: Services, admin: Actor, catalog: None
) -> None:
    oid = add_order(services, [("CUP", 5), ("LID", 2), ("TEA", 1)])
    before = _order(services, oid)
    result = services.run(merge_split.split, admin, oid, {1: 2, 2: 2})
    assert result.new_number == f"{before['number']}-2"
    assert result.moved_units == 4
    after, part = _order(services, oid), _order(services, result.new_order_id)
    assert [(no, sku, qty) for _, no, sku, qty, _ in after["lines"]] == [  # type: ignore[attr-defined]
        (1, "CUP", 3),
        (2, "TEA", 1),
    ]
    assert [(no, sku, qty) for _, no, sku, qty, _ in part["lines"]] == [  # type: ignore[attr-defined]
        (1, "CUP", 2),
        (2, "LID", 2),
    ]
    # the whole LID line moved with its id; the CUP line was divided
    assert part["lines"][1][0] == before["lines"][1][0]  # type: ignore[index]
    assert (part["status"], part["split_from_id"]) == ("released", oid)
    assert (after["total"], part["total"]) == (Decimal("40.00"), Decimal("40.00"))
    ext, cup_ext, lid_ext = (
        before["external_id"],
        before["lines"][0][4],  # type: ignore[index]
        before["lines"][1][4],  # type: ignore[index]
    )
    assert _refs(services, admin, result.new_order_id) == [
        ("CUP", ext, cup_ext, 2),
        ("LID", ext, lid_ext, 2),
    ]
    assert _refs(services, admin, oid)[0] == ("CUP", ext, cup_ext, 3)
    # a second split numbers on from the first order, whichever part is split
    again = services.run(merge_split.split, admin, result.new_order_id, {1: 1})
    assert again.new_number == f"{before['number']}-3"
    with services.uow() as uow:
        notes = uow.session.scalars(
            select(AuditEntry.note).where(AuditEntry.action == "order.split")
        ).all()
    assert notes == ["split by lines", "split by lines"]


def test_a_split_that_would_leave_nothing_or_names_no_line_is_refused(
    services: Services, admin: Actor, catalog: None
) -> None:
    oid = add_order(services, [("CUP", 2), ("LID", 1)])
    with pytest.raises(ValidationError, match=r"leave order .* empty"):
        services.run(merge_split.split, admin, oid, {1: 2, 2: 1})
    with pytest.raises(ValidationError, match="cannot move 3"):
        services.run(merge_split.split, admin, oid, {1: 3})
    with pytest.raises(ValidationError, match="has no line 9"):
        services.run(merge_split.split, admin, oid, {9: 1})
    with pytest.raises(ValidationError, match="at least one line"):
        services.run(merge_split.split, admin, oid, {})
    assert len(_order(services, oid)["lines"]) == 2  # type: ignore[arg-type]


def test_splitting_by_availability_leaves_what_can_ship(
    services: Services, admin: Actor, catalog: None
) -> None:
    receive(services, admin, "A-01", "CUP", 3)
    receive(services, admin, "A-01", "LID", 10)
    oid = add_order(services, [("CUP", 5), ("LID", 2), ("TEA", 1)])
    result = services.run(merge_split.split_by_availability, admin, oid)
    part = _order(services, result.new_order_id)
    assert [(sku, qty) for _, _, sku, qty, _ in part["lines"]] == [("CUP", 2), ("TEA", 1)]  # type: ignore[attr-defined]
    with services.uow() as uow:
        waiting = uow.session.scalars(
            select(OrderLine.qty_backordered)
            .where(OrderLine.order_id == result.new_order_id)
            .order_by(OrderLine.line_no)
        ).all()
    assert waiting == [2, 1]
    # what stayed can now be allocated in full
    report = services.run(order_actions.allocate, admin, [oid])
    assert report.results[0].outcome == "allocated"
    assert reserved_by_line(services, oid) == {1: 3, 2: 2}
    assert stock_invariant_violations(services) == []
    with pytest.raises(ValidationError, match="nothing to split off"):
        services.run(merge_split.split_by_availability, admin, add_order(services, [("LID", 1)]))


def test_allocated_orders_are_not_split_and_merge_split_need_edit_rights(
    services: Services, admin: Actor, catalog: None
) -> None:
    receive(services, admin, "A-01", "CUP", 5)
    oid = add_order(services, [("CUP", 2), ("CUP", 1)])
    services.run(order_actions.allocate, admin, [oid])
    with pytest.raises(ValidationError, match="Deallocate it first"):
        services.run(merge_split.split, admin, oid, {1: 1})
    picker = make_actor(services, admin, Role.PICKER)
    with pytest.raises(PermissionDenied):
        services.run(merge_split.split, picker, oid, {1: 1})
    with pytest.raises(PermissionDenied):
        services.run(merge_split.merge, picker, [oid, oid + 1])
