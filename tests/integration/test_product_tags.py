"""Products' tags changed on a screen's service: normalised, audited with before and after, for
those who manage shipping only, and matched by the shipping rules at once."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.bootstrap import Services
from app.db.models import AuditEntry, Product
from app.domain.errors import PermissionDenied, ValidationError
from app.domain.users import Actor, Role
from app.services import product_tags, shipping_choice
from tests.conftest import make_actor
from tests.shipping_rule_fixtures import build_shop


def _sku_b(services: Services) -> int:
    with services.uow() as uow:
        return int(uow.session.scalar(select(Product.id).where(Product.sku == "SKU-B")) or 0)


def test_tags_saved_on_a_product_are_normalised_audited_and_listed_by_search(
    services: Services, admin: Actor
) -> None:
    build_shop(services)
    pid = _sku_b(services)
    saved = services.run(product_tags.set_product_tags, admin, pid, " battery，liquid、battery ;")
    assert (saved.sku, saved.tags) == ("SKU-B", "battery, liquid")
    found = services.run(product_tags.list_product_tags, admin, "LIQUID")
    assert [p.sku for p in found] == ["SKU-B"]
    assert [p.sku for p in services.run(product_tags.list_product_tags, admin)] == [
        "SKU-A",
        "SKU-B",
    ]
    with services.uow() as uow:
        entry = uow.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "product.tags")
        ).one()
        assert (entry.entity_id, entry.before, entry.after) == (
            "SKU-B",
            {"tags": ""},
            {"tags": "battery, liquid"},
        )
    with pytest.raises(ValidationError):
        services.run(product_tags.set_product_tags, admin, pid, "x" * 600)


def test_a_tag_given_on_the_screen_is_what_the_rules_see_and_packers_may_not_change_tags(
    services: Services, admin: Actor
) -> None:
    shop = build_shop(services)
    pid = _sku_b(services)
    services.run(product_tags.set_product_tags, admin, pid, "magnetic")
    with services.uow() as uow:
        facts = shipping_choice.order_facts(uow.session, shop.order_ids[0], 0)
    assert "magnetic" in facts.tags
    packer = make_actor(services, admin, Role.PACKER)
    with pytest.raises(PermissionDenied):
        services.run(product_tags.set_product_tags, packer, pid, "")
    with pytest.raises(PermissionDenied):
        services.run(product_tags.list_product_tags, packer)
