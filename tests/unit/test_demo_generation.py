"""The demo generator's rules, without a database: legal status walks, a realistic status mix,
valid phone numbers and postcodes for every made-up customer."""

from __future__ import annotations

import random
import re
from collections import Counter

import phonenumbers
import pytest

from app.domain.orders import OrderStatus
from app.services.demo.people import chinese_person, english_person
from app.services.demo.statuses import STATUS_MIX, final_statuses, is_legal, path_to


@pytest.mark.parametrize("final", list(OrderStatus))
def test_every_walk_to_a_final_status_is_legal_and_ends_there(final: OrderStatus) -> None:
    rng = random.Random(final.value)
    walks = {tuple(path_to(final, rng)) for _ in range(300)}
    for walk in walks:
        assert is_legal(list(walk)) and walk[-1] is final, walk
    if final in (OrderStatus.RELEASED, OrderStatus.CANCELLED, OrderStatus.RETURNED):
        assert len(walks) > 1  # some went through a hold, or took another way


def test_is_legal_refuses_a_skipped_step() -> None:
    assert not is_legal([OrderStatus.NEW, OrderStatus.PICKING])
    assert not is_legal([OrderStatus.RELEASED, OrderStatus.ALLOCATED])


def test_the_status_mix_follows_the_weights_and_older_orders_are_further_along() -> None:
    finals = final_statuses(random.Random(7), 20_000)
    counts = Counter(finals)
    total = sum(STATUS_MIX.values())
    for status, weight in STATUS_MIX.items():
        assert abs(counts[status] / 20_000 - weight / total) < 0.01, status
    oldest, newest = Counter(finals[:2000]), Counter(finals[-2000:])
    assert oldest[OrderStatus.DELIVERED] > 1500 and oldest[OrderStatus.NEW] == 0
    assert newest[OrderStatus.NEW] > 300 and newest[OrderStatus.DELIVERED] < 100


def test_made_up_customers_have_valid_phones_and_postcodes() -> None:
    rng = random.Random(1)
    for _ in range(3000):
        for person in (chinese_person(rng), english_person(rng)):
            number = phonenumbers.parse(person.phone, person.country)
            assert phonenumbers.is_valid_number(number), person
            if person.country == "CN":
                assert re.fullmatch(r"(86)?1[3-9]\d{9}", person.phone_digits)
                assert re.fullmatch(r"\d{6}", person.postal_code)
            assert person.phone_digits == re.sub(r"\D", "", person.phone)
