"""Supervisors edit the ordered shipping rules; the pack station's choice and "test on an order"
apply them to an order's real facts, on SQLite and PostgreSQL."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import event, select

from app.bootstrap import Services
from app.db.models import AuditEntry, Order
from app.domain.errors import NotFound, PermissionDenied, ValidationError
from app.domain.shipping_rules import HOLD, STOP, TRACE_MESSAGES
from app.domain.users import Actor, Role
from app.services import shipping_choice, shipping_rules
from app.services.shipping_rules import RuleDraft
from tests.conftest import make_actor
from tests.shipping_rule_fixtures import Shop, build_shop


@pytest.fixture
def shop(services: Services) -> Shop:
    return build_shop(services)


def _save(services: Services, actor: Actor, **kw: object) -> int:
    return services.run(shipping_rules.save_rule, actor, RuleDraft(**kw))  # type: ignore[arg-type]


def test_a_saved_rule_is_listed_with_its_service_and_package_names_and_audited(
    services: Services, admin: Actor, shop: Shop
) -> None:
    rid = _save(
        services,
        admin,
        name="  Heavy to SF  ",
        conditions={"weight_min_g": "2000", "provinces": "广东, 广西 ,", "value_max": ""},
        carrier_service_id=shop.sf_standard,
        package_type_id=shop.box_s,
    )
    [info] = services.run(shipping_rules.list_rules, admin)
    assert (info.id, info.position, info.name) == (rid, 1, "Heavy to SF")
    assert info.conditions == {"weight_min_g": 2000, "provinces": ["广东", "广西"]}
    assert (info.service, info.package) == ("SF / Standard", "BOX-S")
    with services.uow() as uow:
        entry = uow.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "shipping_rule.save")
        ).one()
        assert entry.after is not None and entry.after["name"] == "Heavy to SF"


@pytest.mark.parametrize(
    ("draft", "message"),
    [
        ({"name": "", "action": STOP}, "name of 1 to 200"),
        ({"name": "x", "action": "ship"}, "set, hold or stop"),
        ({"name": "x"}, "sets nothing"),
        ({"name": "x", "action": HOLD}, "write the reason"),
        ({"name": "x", "carrier_service_id": 99999}, "no carrier service 99999"),
        ({"name": "x", "package_type_id": 99999}, "no package type 99999"),
        ({"name": "x", "action": STOP, "conditions": {"colour": ["red"]}}, "colour is not"),
        ({"name": "x", "action": STOP, "conditions": {"weight_max_g": "-1"}}, "0 or more"),
        (
            {"name": "x", "action": STOP, "conditions": {"weight_min_g": 9, "weight_max_g": 3}},
            "Swap them",
        ),
        (
            {"name": "x", "action": STOP, "conditions": {"value_min": "9", "value_max": "3.5"}},
            "Swap them",
        ),
    ],
)
def test_a_rule_that_makes_no_sense_is_refused_and_nothing_is_saved(
    services: Services, admin: Actor, shop: Shop, draft: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        _save(services, admin, **draft)
    assert services.run(shipping_rules.list_rules, admin) == []


def test_a_packer_may_test_an_order_but_not_change_the_rules(
    services: Services, admin: Actor, shop: Shop
) -> None:
    packer = make_actor(services, admin, Role.PACKER)
    with pytest.raises(PermissionDenied):
        _save(services, packer, name="x", action=STOP)
    report = services.run(shipping_choice.test_on_order, packer, "PD00000001")
    assert report.order_number == "PD00000001"


def test_rules_move_up_and_down_and_deleting_one_closes_the_gap(
    services: Services, admin: Actor, shop: Shop
) -> None:
    a, b, c = (_save(services, admin, name=n, action=STOP) for n in "abc")
    assert services.run(shipping_rules.move_rule, admin, c, "up") == 2
    assert services.run(shipping_rules.move_rule, admin, a, "up") == 1  # already first
    names = [r.name for r in services.run(shipping_rules.list_rules, admin)]
    assert names == ["a", "c", "b"]
    services.run(shipping_rules.delete_rule, admin, a)
    rows = services.run(shipping_rules.list_rules, admin)
    assert [(r.name, r.position) for r in rows] == [("c", 1), ("b", 2)]
    with pytest.raises(NotFound):
        services.run(shipping_rules.move_rule, admin, a, "down")
    assert b in {r.id for r in rows}


def test_test_on_an_order_uses_catalogue_weight_tags_and_names_the_rule_that_matched(
    services: Services, admin: Actor, shop: Shop
) -> None:
    _save(
        services,
        admin,
        name="Heavy",
        conditions={"weight_min_g": 2000},
        carrier_service_id=shop.sf_economy,
    )
    _save(
        services,
        admin,
        name="Glass to Guangdong by SF",
        conditions={"tags": ["GLASS"], "provinces": ["广东"], "skus": ["SKU-A"]},
        carrier_service_id=shop.sf_standard,
        package_type_id=shop.box_s,
    )
    report = services.run(shipping_choice.test_on_order, admin, "PD00000003")
    assert report.weight_from_catalogue and report.facts.weight_g == 600  # 300 + 2 x 150
    assert report.facts.tags == frozenset({"fragile", "glass"})
    assert (report.facts.province, report.facts.channel) == ("广东省", "taobao")
    assert report.decided_by == ("Glass to Guangdong by SF",)
    assert (report.service, report.package) == ("SF / Standard", "BOX-S")
    assert report.decision.trace[0].text == "Weight 600 g is below the rule's 2,000 g."
    # at a typed weight, and by the channel's order id, the first rule wins
    heavy = services.run(shipping_choice.test_on_order, admin, "TB9000003", weight_g=2500)
    assert not heavy.weight_from_catalogue and heavy.decided_by == ("Heavy",)
    assert heavy.service == "SF / Economy"
    # Zhejiang: no rule matches, the order keeps ZTO from intake
    other = services.run(shipping_choice.test_on_order, admin, "PD00000001")
    assert other.decision.carrier_service_id is None and other.service == "ZTO / Standard"
    assert other.decision.trace[-1].reason == TRACE_MESSAGES["keeps_own"]
    with pytest.raises(NotFound):
        services.run(shipping_choice.test_on_order, admin, "PD404")


def test_choose_holds_an_order_a_hold_rule_matches_with_the_rules_reason(
    services: Services, admin: Actor, shop: Shop
) -> None:
    _save(
        services,
        admin,
        name="London by hand",
        action=HOLD,
        conditions={"cities": ["london"]},
        hold_reason="Ask the office which courier",
    )
    with services.uow() as uow:
        d = shipping_choice.choose(uow.session, shop.order_ids[1], 700)
        assert d.held and d.hold_reason == "Ask the office which courier"
        assert not shipping_choice.choose(uow.session, shop.order_ids[0], 700).held


def test_choose_with_30_rules_takes_two_queries_and_well_under_2_ms(
    services: Services, admin: Actor, shop: Shop
) -> None:
    for n in range(29):
        _save(
            services,
            admin,
            name=f"rule {n}",
            conditions={"postal_prefixes": [f"{n + 100}"], "weight_max_g": 30000},
            carrier_service_id=shop.sf_economy,
        )
    _save(
        services,
        admin,
        name="Guangdong",
        conditions={"provinces": ["广东省"]},
        carrier_service_id=shop.sf_standard,
    )
    with services.uow() as uow:
        order_id = uow.session.scalar(select(Order.id).where(Order.number == "PD00000003"))
        assert order_id is not None
        statements: list[str] = []
        engine = uow.session.get_bind()
        listen = lambda *a: statements.append(a[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listen)
        try:
            d = shipping_choice.choose(uow.session, order_id, 800)
        finally:
            event.remove(engine, "before_cursor_execute", listen)
        assert d.carrier_service_id == shop.sf_standard and len(d.trace) == 30
        assert len(statements) == 2
        runs = []
        for _ in range(50):
            t0 = time.perf_counter()
            shipping_choice.choose(uow.session, order_id, 800)
            runs.append(time.perf_counter() - t0)
        runs.sort()
        median, best = runs[25] * 1000, runs[0] * 1000
        print(
            f"choose, 30 rules, {engine.dialect.name}: best {best:.2f} ms, median {median:.2f} ms"
        )
        if engine.dialect.name == "sqlite":
            # the best run: the machine's other work (a shared CI box) only ever adds time
            assert runs[0] < 0.002
