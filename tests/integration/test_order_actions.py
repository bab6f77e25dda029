"""Release, hold, cancel and deallocate, one order or many: a result per order, permissions
checked by the services, history and audit written, reservations given back."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.bootstrap import Services
from app.db.models import AuditEntry, OrderHold, OrderStatusChange
from app.domain.errors import IllegalTransition, PackdeskError, PermissionDenied, ValidationError
from app.domain.orders import OrderStatus
from app.domain.users import Actor, Role
from app.services import order_actions, orders
from tests.conftest import make_actor
from tests.order_action_fixtures import (
    add_location,
    add_order,
    add_products,
    level,
    receive,
    status_of,
    stock_invariant_violations,
)


@pytest.fixture
def cups(services: Services, admin: Actor) -> int:
    """20 cups in a pickable bin; returns the stock level id."""
    add_products(services, "CUP")
    add_location(services, "A-01")
    return receive(services, admin, "A-01", "CUP", 20)


def _allocated_order(services: Services, admin: Actor, qty: int = 3) -> int:
    oid = add_order(services, [("CUP", qty)])
    report = services.run(order_actions.allocate, admin, [oid])
    assert report.results[0].outcome == "allocated"
    return oid


def test_release_moves_held_orders_on_and_resolves_their_reasons(
    services: Services, admin: Actor, cups: int
) -> None:
    held = add_order(services, [("CUP", 1)], status="on_hold")
    with services.uow() as uow:
        uow.session.add(OrderHold(order_id=held, code="bad_phone", reason="Phone not valid."))
        uow.commit()
    new = add_order(services, [("CUP", 1)], status="new")
    report = services.run(order_actions.release, admin, [held, new], "phone checked by call")
    assert [r.ok for r in report.results] == [True, True]
    assert (report.done, report.refused) == (2, 0)
    assert status_of(services, held) == status_of(services, new) == "released"
    detail = services.run(orders.order_detail, admin, held)
    [hold] = detail.holds
    assert hold.resolved_at is not None and hold.resolved_by == "admin"
    assert detail.history[-1].note == "phone checked by call"


def test_a_bulk_action_reports_every_order_and_does_the_legal_ones(
    services: Services, admin: Actor, cups: int
) -> None:
    allocated = _allocated_order(services, admin)
    new = add_order(services, [("CUP", 1)], status="new")
    report = services.run(order_actions.release, admin, [allocated, new, 424242])
    assert [(r.ok, r.order_id) for r in report.results] == [
        (False, allocated),
        (True, new),
        (False, 424242),
    ]
    assert "is allocated; only new or held orders can be released" in report.results[0].message
    assert report.results[2].message == "Order #424242 was not found."
    assert status_of(services, allocated) == "allocated"


def test_holding_an_allocated_order_gives_its_stock_back(
    services: Services, admin: Actor, cups: int
) -> None:
    oid = _allocated_order(services, admin, 5)
    assert level(services, cups) == (20, 5)
    report = services.run(order_actions.hold, admin, [oid], "customer asked to wait")
    assert report.results[0].ok
    assert "5 reserved units were given back" in report.results[0].message
    assert level(services, cups) == (20, 0)
    assert status_of(services, oid) == "on_hold"
    detail = services.run(orders.order_detail, admin, oid)
    assert [(h.code, h.reason, h.created_by) for h in detail.holds] == [
        ("manual", "customer asked to wait", "admin")
    ]
    assert detail.allocations == ()
    # a second hold adds its reason to the order already on hold
    again = services.run(order_actions.hold, admin, [oid], "address to confirm")
    assert again.results[0].ok and "already on hold" in again.results[0].message
    assert len(services.run(orders.order_detail, admin, oid).holds) == 2
    assert stock_invariant_violations(services) == []


def test_a_hold_needs_a_reason(services: Services, admin: Actor, cups: int) -> None:
    oid = add_order(services, [("CUP", 1)])
    with pytest.raises(ValidationError):
        services.run(order_actions.hold, admin, [oid], "   ")
    assert status_of(services, oid) == "released"


def test_cancelling_releases_reservations_and_final_orders_are_refused(
    services: Services, admin: Actor, cups: int
) -> None:
    allocated = _allocated_order(services, admin, 4)
    new = add_order(services, [("CUP", 1)], status="new")
    shipped = add_order(services, [("CUP", 1)], status="shipped")
    report = services.run(order_actions.cancel, admin, [allocated, new, shipped], "customer")
    assert [r.ok for r in report.results] == [True, True, False]
    assert "4 reserved units were given back" in report.results[0].message
    assert "it can no longer be cancelled" in report.results[2].message
    assert level(services, cups) == (20, 0)
    assert status_of(services, allocated) == status_of(services, new) == "cancelled"
    assert status_of(services, shipped) == "shipped"
    assert stock_invariant_violations(services) == []


def test_deallocating_returns_orders_to_released(
    services: Services, admin: Actor, cups: int
) -> None:
    oid = _allocated_order(services, admin, 2)
    released = add_order(services, [("CUP", 1)])
    report = services.run(order_actions.deallocate, admin, [oid, released])
    assert [r.ok for r in report.results] == [True, False]
    assert status_of(services, oid) == "released"
    assert level(services, cups) == (20, 0)
    # and it can be allocated again
    services.run(order_actions.allocate, admin, [oid])
    assert level(services, cups) == (20, 2)


def test_every_change_is_historied_and_audited_with_the_station(
    services: Services, admin: Actor, cups: int
) -> None:
    oid = add_order(services, [("CUP", 1)])
    services.run(order_actions.hold, admin, [oid], "check stock")
    services.run(order_actions.release, admin, [oid])
    services.run(order_actions.cancel, admin, [oid], "duplicate")
    with services.uow() as uow:
        moves = uow.session.execute(
            select(
                OrderStatusChange.from_status,
                OrderStatusChange.to_status,
                OrderStatusChange.station_id,
            )
            .where(OrderStatusChange.order_id == oid)
            .order_by(OrderStatusChange.id)
        ).all()
        audited = uow.session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "order.status", AuditEntry.username == "admin")
        )
    assert [(a, b) for a, b, _ in moves][-3:] == [
        ("released", "on_hold"),
        ("on_hold", "released"),
        ("released", "cancelled"),
    ]
    assert {st for _, _, st in moves[-3:]} == {services.station_id}
    assert audited == 3


@pytest.mark.parametrize(
    ("action", "args"),
    [
        (order_actions.release, ()),
        (order_actions.hold, ("why",)),
        (order_actions.cancel, ()),
        (order_actions.allocate, ()),
        (order_actions.deallocate, ()),
    ],
)
def test_roles_without_the_permission_are_refused_by_the_service(
    services: Services, admin: Actor, cups: int, action: object, args: tuple[str, ...]
) -> None:
    packer = make_actor(services, admin, Role.PACKER)
    oid = add_order(services, [("CUP", 1)], status="new")
    with pytest.raises(PermissionDenied) as err:
        services.run(action, packer, [oid], *args)  # type: ignore[arg-type]
    assert "packer" in err.value.message
    assert status_of(services, oid) == "new"


def test_a_bulk_status_change_refuses_orders_changed_since_they_were_read(
    services: Services, admin: Actor, cups: int
) -> None:
    a = add_order(services, [("CUP", 1)])
    b = add_order(services, [("CUP", 1)])
    moves = [
        orders.StatusMove(a, "A", "released", 1),
        orders.StatusMove(b, "B", "released", 7),  # read long ago: the order is at version 1
    ]
    with (
        pytest.raises(PackdeskError, match="Someone else changed this record"),
        services.uow() as uow,
    ):
        orders.transition_many(uow, admin, moves, OrderStatus.ALLOCATED)
        uow.commit()
    assert status_of(services, a) == status_of(services, b) == "released"
    with pytest.raises(IllegalTransition), services.uow() as uow:
        orders.transition_many(
            uow, admin, [orders.StatusMove(a, "A", "released", 1)], OrderStatus.PACKED
        )
