"""Orders list pages, filters, search, detail and transitions, on both backends."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.bootstrap import Services
from app.db.models import AuditEntry, Order, OrderStatusChange
from app.domain.errors import IllegalTransition, PermissionDenied
from app.domain.orders import OrderStatus
from app.domain.users import Actor, Role
from app.services import orders
from app.services.orders import OrderQuery
from tests.conftest import make_actor
from tests.factories import add_orders


def test_pages_are_newest_first_and_keyset_paging_sees_every_order_once(
    services: Services, admin: Actor
) -> None:
    add_orders(services, 25)
    seen, after = [], None
    while True:
        page = services.run(orders.list_orders, admin, OrderQuery(), after_id=after, limit=10)
        if not page:
            break
        seen += [r.number for r in page]
        after = page[-1].id
    assert seen == [f"PD{i:08d}" for i in range(25, 0, -1)]
    assert services.run(orders.count_orders, admin, OrderQuery()) == (25, False)


def test_rows_mask_personal_data_and_carry_line_counts(services: Services, admin: Actor) -> None:
    add_orders(services, 1)
    (row,) = services.run(orders.list_orders, admin, OrderQuery())
    assert row.phone == "138******01" and row.customer == "李*"
    assert (row.lines, row.units, row.channel) == (2, 3, "taobao")


def test_status_filter_and_search_by_number_prefix_external_id_and_phone(
    services: Services, admin: Actor
) -> None:
    add_orders(services, 12)
    add_orders(services, 3, status="on_hold", start=13)
    held = services.run(orders.list_orders, admin, OrderQuery(status="on_hold"))
    assert [r.number for r in held] == ["PD00000015", "PD00000014", "PD00000013"]
    assert held[0].hold_reasons == "The phone number is not valid."

    def search(text: str) -> list[str]:
        return [r.number for r in services.run(orders.list_orders, admin, OrderQuery(search=text))]

    assert search("PD0000001") == [
        "PD00000015",
        "PD00000014",
        "PD00000013",
        "PD00000012",
        "PD00000011",
        "PD00000010",
    ]
    assert search("TB9000007") == ["PD00000007"]
    assert search("138 0000 0009") == ["PD00000009"]
    assert search("nothing-like-this") == []
    assert services.run(
        orders.count_orders, admin, OrderQuery(status="on_hold", search="PD00000014")
    ) == (1, False)


def test_count_stops_at_the_cap(services: Services, admin: Actor) -> None:
    add_orders(services, 12)
    assert services.run(orders.count_orders, admin, OrderQuery(), cap=10) == (10, True)


def test_detail_is_masked_and_revealing_needs_the_permission_and_is_audited(
    services: Services, admin: Actor
) -> None:
    (oid,) = add_orders(services, 1)
    masked = services.run(orders.order_detail, admin, oid)
    assert masked.address is not None and masked.address.masked
    assert "502室" not in masked.address.street and masked.address.phone == "138******01"
    assert [ln.sku for ln in masked.lines] == ["SKU-A", "SKU-B"]
    assert [h.to_status for h in masked.history] == ["new"]

    packer = make_actor(services, admin, Role.PACKER)
    with pytest.raises(PermissionDenied):
        services.run(orders.order_detail, packer, oid, reveal=True)
    full = services.run(orders.order_detail, admin, oid, reveal=True)
    assert full.address is not None and full.address.phone == "13800000001"
    assert "502室" in full.address.street
    with services.uow() as uow:
        actions = uow.session.scalars(select(AuditEntry.action)).all()
    assert "order.reveal_personal_data" in actions


def test_transition_is_validated_historied_and_audited(services: Services, admin: Actor) -> None:
    (oid,) = add_orders(services, 1)
    with services.uow() as uow:
        order = uow.session.get(Order, oid)
        assert order is not None
        orders.transition(uow, admin, order, OrderStatus.RELEASED, "all checks passed")
        uow.commit()
    with services.uow() as uow:
        order = uow.session.get(Order, oid)
        assert order is not None and order.status == "released"
        with pytest.raises(IllegalTransition) as err:
            orders.transition(uow, admin, order, OrderStatus.SHIPPED)
        assert "released" in err.value.message and "shipped" in err.value.message
        hist = uow.session.scalars(
            select(OrderStatusChange.to_status)
            .where(OrderStatusChange.order_id == oid)
            .order_by(OrderStatusChange.id)
        ).all()
        assert hist == ["new", "released"]
        audit = uow.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "order.status")
        ).one()
        assert (audit.before, audit.after, audit.station_id) == (
            {"status": "new"},
            {"status": "released"},
            services.station_id,
        )


def test_orders_for_export_lists_lines_and_hold_reasons(services: Services, admin: Actor) -> None:
    add_orders(services, 1, status="on_hold")
    (o,) = services.run(orders.orders_for_export, admin)
    assert o["number"] == "PD00000001" and o["status"] == "on_hold" and o["channel"] == "taobao"
    assert o["lines"] == [
        {"sku": "SKU-A", "qty": 1, "requires_shipping": True},
        {"sku": "SKU-B", "qty": 2, "requires_shipping": True},
    ]
    assert o["hold_reasons"] == ["The phone number is not valid."]
