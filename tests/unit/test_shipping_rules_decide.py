"""Shipping rules decide a carrier service, a package or a hold, and say why for every rule."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from app.domain.place_names import place_key
from app.domain.shipping_rules import (
    HOLD,
    SET,
    STOP,
    TRACE_MESSAGES,
    OrderFacts,
    RuleSpec,
    decide,
)

FACTS = OrderFacts(
    order_number="PD00000001",
    weight_g=1250,
    country="CN",
    province="广东省",
    city="深圳市",
    postal_code="518000",
    value=Decimal("99.50"),
    channel="taobao",
    skus=frozenset({"CUP-1", "CASE-2"}),
    tags=frozenset({"fragile"}),
    shipping_method="SF Express 顺丰标快",
    currency="CNY",
    own_service="ZTO / Standard",
)


def rule(rid: int, conditions: dict[str, Any], **kw: Any) -> RuleSpec:
    kw.setdefault("action", SET)
    if kw["action"] == SET:
        kw.setdefault("carrier_service_id", 100 + rid)
        kw.setdefault("service_label", f"S{rid}")
    return RuleSpec(rid, f"rule {rid}", conditions, **kw)


def test_a_weight_above_the_rule_says_both_weights_with_thousands_separated() -> None:
    d = decide([rule(1, {"weight_max_g": 1000})], FACTS)
    [line, last] = d.trace
    assert not line.matched
    assert line.text == "Weight 1,250 g is above the rule's 1,000 g."
    assert line.reason == TRACE_MESSAGES["weight_above"]
    assert line.params == {"value": "1,250", "limit": "1,000"}
    assert last.rule_id == 0 and "keeps its own from intake, ZTO / Standard" in last.text
    assert d.carrier_service_id is None


def test_the_first_matching_set_rule_with_stop_decides_and_later_rules_are_not_tried() -> None:
    rules = [
        rule(1, {"weight_min_g": 2000}),
        rule(2, {"provinces": ["广东"]}, package_type_id=7, package_label="BOX-S"),
        rule(3, {}),
    ]
    d = decide(rules, FACTS)
    assert (d.carrier_service_id, d.package_type_id, d.decided_by) == (102, 7, (2,))
    assert [t.matched for t in d.trace] == [False, True, False]
    assert d.trace[0].text == "Weight 1,250 g is below the rule's 2,000 g."
    assert d.trace[1].text == "Matched: ships with S2 in BOX-S." and d.trace[1].stopped
    assert d.trace[2].text == "Not tried: rule “rule 2” ended the search."
    assert not d.trace[2].tried


def test_a_set_rule_without_stop_lets_a_later_rule_set_what_it_left_unset_but_not_change_it() -> (
    None
):
    rules = [
        rule(1, {}, carrier_service_id=None, package_type_id=5, package_label="BAG", stop=False),
        rule(2, {}, package_type_id=6, package_label="BOX"),
    ]
    d = decide(rules, FACTS)
    assert (d.carrier_service_id, d.package_type_id) == (102, 5)
    assert d.decided_by == (1, 2)
    assert d.trace[0].text == "Matched: packs in BAG." and not d.trace[0].stopped
    assert d.trace[1].text == "Matched: ships with S2."


def test_a_later_rule_whose_choices_are_all_taken_says_it_changed_nothing() -> None:
    rules = [rule(1, {}, stop=False), rule(2, {})]
    d = decide(rules, FACTS)
    assert d.carrier_service_id == 101 and d.decided_by == (1,)
    assert d.trace[1].reason == TRACE_MESSAGES["set_taken"]


def test_a_hold_rule_holds_with_its_reason_and_ends_the_search() -> None:
    rules = [
        rule(1, {}, stop=False),
        rule(2, {"tags": ["FRAGILE"]}, action=HOLD, hold_reason="Wrap glass twice"),
        rule(3, {}),
    ]
    d = decide(rules, FACTS)
    assert d.held and d.hold_reason == "Wrap glass twice" and d.decided_by == (1, 2)
    assert d.trace[1].text == "Matched: the order is held: Wrap glass twice"
    assert not d.trace[2].tried


def test_a_stop_rule_ends_the_search_keeping_what_was_set_before() -> None:
    rules = [rule(1, {}, stop=False), rule(2, {"channels": ["TAOBAO"]}, action=STOP), rule(3, {})]
    d = decide(rules, FACTS)
    assert d.carrier_service_id == 101 and not d.held
    assert d.trace[1].text == "Matched: the search stops here."
    assert [t.tried for t in d.trace] == [True, True, False]


def test_a_switched_off_rule_is_skipped_and_says_so() -> None:
    d = decide([rule(1, {}, active=False), rule(2, {})], FACTS)
    assert d.carrier_service_id == 102
    assert d.trace[0].text == "Switched off: not tried."


@pytest.mark.parametrize(
    ("conditions", "expected"),
    [
        ({"value_min": "100"}, "Order value 99.50 CNY is below the rule's 100.00."),
        ({"value_max": "50"}, "Order value 99.50 CNY is above the rule's 50.00."),
        ({"countries": ["US", "CA"]}, "Country CN is not one of US, CA."),
        ({"provinces": ["浙江"]}, "Province 广东省 is not one of 浙江."),
        ({"cities": ["广州"]}, "City 深圳市 is not one of 广州."),
        ({"postal_prefixes": ["10", "20"]}, "Postal code 518000 does not start with 10, 20."),
        ({"channels": ["jd"]}, "Channel taobao is not one of jd."),
        ({"skus": ["PEN-9"]}, "No item's SKU is one of PEN-9 (the order has CASE-2, CUP-1)."),
        ({"tags": ["liquid"]}, "No item is tagged liquid (the items' tags: fragile)."),
        (
            {"shipping_methods": ["EMS"]},
            "Shipping method “SF Express 顺丰标快” contains none of EMS.",
        ),
    ],
)
def test_each_condition_that_fails_says_the_orders_value_and_the_rules(
    conditions: dict[str, Any], expected: str
) -> None:
    [line, _] = decide([rule(1, conditions)], FACTS).trace
    assert not line.matched and line.text == expected


@pytest.mark.parametrize(
    "conditions",
    [
        {"weight_min_g": 1250, "weight_max_g": 1250},
        {"value_min": "99.50", "value_max": "99.50"},
        {"countries": ["ｃｎ"]},
        {"provinces": ["广东"]},
        {"provinces": ["Zhejiang", "广东省"]},
        {"cities": ["深圳"]},
        {"postal_prefixes": ["5180"]},
        {"postal_prefixes": ["５１８"]},
        {"channels": ["TaoBao"]},
        {"skus": ["cup-1"]},
        {"tags": ["Fragile"]},
        {"shipping_methods": ["sf express"]},
        {"shipping_methods": ["顺丰"]},
    ],
)
def test_each_condition_holds_when_the_order_meets_it_in_another_spelling(
    conditions: dict[str, Any],
) -> None:
    d = decide([rule(1, conditions)], FACTS)
    assert d.trace[0].matched and d.carrier_service_id == 101
    assert d.trace[0].text == "Matched: ships with S1."
    # and the same rule does not hold for an order that differs in everything
    other = replace(
        FACTS,
        weight_g=99_999,
        country="US",
        province="Ohio",
        city="Dayton",
        postal_code="45402",
        value=Decimal("0.01"),
        channel="shopify",
        skus=frozenset({"PEN-9"}),
        tags=frozenset(),
        shipping_method="Ground",
    )
    assert not decide([rule(1, conditions)], other).trace[0].matched


def test_every_given_condition_must_hold_and_the_first_failing_one_is_named() -> None:
    conditions = {"provinces": ["广东"], "weight_max_g": 5000, "channels": ["jd"]}
    [line, _] = decide([rule(1, conditions)], FACTS).trace
    assert line.reason == TRACE_MESSAGES["channel"]


def test_an_order_without_a_service_from_intake_is_told_to_get_one() -> None:
    d = decide([], replace(FACTS, own_service=""))
    [line] = d.trace
    assert line.reason == TRACE_MESSAGES["keeps_none"]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("广东", "广东省"),
        ("广西", "广西壮族自治区"),
        ("新疆", "新疆维吾尔自治区"),
        ("内蒙古", "内蒙古自治区"),
        ("香港", "香港特别行政区"),
        ("北京", "北京市"),
        ("南山", "南山区"),
        ("ＳＨＥＮＺＨＥＮ", "Shenzhen"),
        ("Guangdong Province", "guangdong"),
    ],
)
def test_place_names_compare_without_their_suffixes_case_or_width(a: str, b: str) -> None:
    assert place_key(a) == place_key(b)


def test_a_one_character_name_keeps_its_suffix() -> None:
    assert place_key("沙市") == "沙市"
    assert place_key("沙市") != place_key("沙")
