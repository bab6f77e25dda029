"""Carrier status words (English and Chinese) read as our delivery statuses, and the "no scan for
N days" rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.domain.delivery import (
    DEFAULT_STALE_DAYS,
    DeliveryStatus,
    all_delivered,
    is_stale,
    read_status,
    stale_days,
)

D = DeliveryStatus


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("已签收", D.DELIVERED),
        ("签收", D.DELIVERED),
        ("妥投", D.DELIVERED),
        ("【上海市】已签收，签收人凭取货码签收", D.DELIVERED),
        ("Delivered", D.DELIVERED),
        ("DELIVERED - front door", D.DELIVERED),
        ("运输中", D.IN_TRANSIT),
        ("在途", D.IN_TRANSIT),
        ("已揽收", D.IN_TRANSIT),
        ("顺丰速运 已收取快件", D.IN_TRANSIT),
        ("Picked up", D.IN_TRANSIT),
        ("in_transit", D.IN_TRANSIT),
        ("派送中", D.OUT_FOR_DELIVERY),
        ("派件中", D.OUT_FOR_DELIVERY),
        ("Out for delivery", D.OUT_FOR_DELIVERY),
        ("已放入丰巢快递柜", D.AT_PICKUP_POINT),
        ("疑难件", D.EXCEPTION),
        ("问题件", D.EXCEPTION),
        ("Delivery attempted - no one home", D.EXCEPTION),
        ("退回", D.RETURNED_TO_SENDER),
        ("退件", D.RETURNED_TO_SENDER),
        ("拒收", D.RETURNED_TO_SENDER),
        ("Return to sender", D.RETURNED_TO_SENDER),
        ("丢失", D.LOST),
        ("遗失", D.LOST),
        ("Lost in transit", D.LOST),
        ("破损", D.DAMAGED),
        ("快件破损", D.DAMAGED),
        ("Damaged", D.DAMAGED),
        ("退签", D.RETURNED_TO_SENDER),
        ("收件人拒签", D.RETURNED_TO_SENDER),
        ("转单", D.IN_TRANSIT),
        ("清关中", D.IN_TRANSIT),
        ("清关异常", D.EXCEPTION),
        ("超时未自提", D.EXCEPTION),
        ("到达待取", D.AT_PICKUP_POINT),
    ],
)
def test_a_carriers_status_words_are_read_as_our_status(text: str, status: DeliveryStatus) -> None:
    assert read_status(text) == status


@pytest.mark.parametrize(
    "text", ["未签收", "签收失败", "Not delivered", "Undeliverable address", "undelivered"]
)
def test_a_failed_delivery_is_a_problem_not_a_delivery(text: str) -> None:
    assert read_status(text) == D.EXCEPTION


def test_a_parcel_refused_and_signed_for_by_the_sender_is_returned_not_delivered() -> None:
    assert read_status("退件已签收") == D.RETURNED_TO_SENDER
    assert read_status("拒收退回") == D.RETURNED_TO_SENDER


@pytest.mark.parametrize("text", ["", "   ", "哈哈", "ok"])
def test_words_that_mean_nothing_known_are_not_guessed(text: str) -> None:
    assert read_status(text) is None


NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def test_a_parcel_is_silent_after_n_days_without_an_event() -> None:
    assert is_stale(NOW - timedelta(days=3, minutes=1), None, NOW, 3)
    assert not is_stale(NOW - timedelta(days=2, hours=23), None, NOW, 3)


def test_without_any_event_the_days_count_from_its_shipping() -> None:
    assert is_stale(None, NOW - timedelta(days=4), NOW, 3)
    assert not is_stale(None, NOW - timedelta(days=1), NOW, 3)
    assert not is_stale(None, None, NOW, 3)


def test_the_last_event_counts_not_the_shipping() -> None:
    assert not is_stale(NOW - timedelta(days=1), NOW - timedelta(days=9), NOW, 3)


def test_n_from_the_settings_falls_back_to_three_days_when_it_makes_no_sense() -> None:
    assert stale_days(5) == 5 and stale_days("7") == 7
    assert stale_days(None) == stale_days(0) == stale_days("x") == DEFAULT_STALE_DAYS == 3


def test_an_order_is_delivered_only_when_every_parcel_is() -> None:
    assert all_delivered([D.DELIVERED, D.DELIVERED])
    assert not all_delivered([D.DELIVERED, D.IN_TRANSIT])
    assert not all_delivered([D.DELIVERED, None])
    assert not all_delivered([])
