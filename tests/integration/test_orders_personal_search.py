"""Searching orders by customer name or phone needs the personal-data permission, and is
audited; search by order number or channel order id is for everyone. Both backends."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Row, select, update

from app.bootstrap import Services
from app.db.models import AuditEntry, User
from app.domain.errors import PermissionDenied
from app.domain.users import Actor, Role
from app.services import orders
from app.services.orders import OrderQuery
from tests.conftest import make_actor
from tests.factories import add_orders

NAME, PHONE = "李四", "138 0000 0001"  # order PD00000001's customer (tests/factories.py)


def _numbers(services: Services, actor: Actor, text: str, **kw: Any) -> list[str]:
    rows = services.run(orders.list_orders, actor, OrderQuery(search=text), **kw)
    return [r.number for r in rows]


def _searches(services: Services) -> list[Row[Any]]:
    with services.uow() as uow:
        return list(
            uow.session.execute(
                select(AuditEntry.username, AuditEntry.station_id, AuditEntry.after)
                .where(AuditEntry.action == "order.search_personal")
                .order_by(AuditEntry.id)
            )
        )


def test_without_the_permission_a_name_or_phone_finds_nothing_but_a_number_still_does(
    services: Services, admin: Actor
) -> None:
    add_orders(services, 12)
    packer = make_actor(services, admin, Role.PACKER)
    assert _numbers(services, packer, NAME) == []
    assert _numbers(services, packer, PHONE) == []
    assert services.run(orders.count_orders, packer, OrderQuery(search=NAME)) == (0, False)
    assert _numbers(services, packer, "PD00000001") == ["PD00000001"]
    assert _numbers(services, packer, "TB9000001") == ["PD00000001"]
    assert _searches(services) == []


def test_with_the_permission_a_name_or_phone_search_finds_the_customer_and_is_audited(
    services: Services, admin: Actor
) -> None:
    add_orders(services, 12)
    boss = make_actor(services, admin, Role.SUPERVISOR, "boss")
    assert _numbers(services, boss, NAME) == ["PD00000007", "PD00000001"]
    assert _numbers(services, boss, PHONE) == ["PD00000001"]
    assert services.run(orders.count_orders, boss, OrderQuery(search=NAME)) == (2, False)
    rows = _searches(services)
    assert [(r.username, r.after) for r in rows] == [
        ("boss", {"search": NAME}),
        ("boss", {"search": PHONE}),
    ]
    assert all(r.station_id == services.station_id for r in rows)


def test_only_a_first_page_that_finds_someone_by_name_or_phone_is_audited(
    services: Services, admin: Actor
) -> None:
    add_orders(services, 12)
    boss = make_actor(services, admin, Role.SUPERVISOR, "boss")
    assert _numbers(services, boss, "PD00000001") == ["PD00000001"]  # a number: nobody found
    assert _numbers(services, boss, NAME, after_id=10**9, limit=1) == ["PD00000007"]
    assert _searches(services) == []
    _numbers(services, boss, NAME, limit=1)
    assert len(_searches(services)) == 1


def test_a_user_who_lost_the_permission_is_refused_a_personal_search(
    services: Services, admin: Actor
) -> None:
    add_orders(services, 2)
    boss = make_actor(services, admin, Role.SUPERVISOR, "boss")
    with services.uow() as uow:
        uow.session.execute(update(User).where(User.id == boss.user_id).values(role="packer"))
        uow.commit()
    with pytest.raises(PermissionDenied):
        services.run(orders.list_orders, boss, OrderQuery(search=NAME))
    with pytest.raises(PermissionDenied):
        services.run(orders.count_orders, boss, OrderQuery(search=NAME))
    assert _searches(services) == []
