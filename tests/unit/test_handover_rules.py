"""Handover rules without a database: what may be scanned, the handover's number, cut-off times
as typed, the time left and its colour, and which orders a close ships."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.domain import handover as rules
from app.domain.handover import ParcelFacts

PACKED = ParcelFacts("SF0000000001", "PD1", "packed", "labelled", 1, "SF")


def test_a_labelled_parcel_of_a_packed_order_may_go_on_its_carriers_handover() -> None:
    assert rules.check_scannable(PACKED) is False
    assert rules.check_scannable(PACKED, (1, "SF"), "HO-20261206-SF-1") is False


@pytest.mark.parametrize(
    ("facts", "working", "error", "words"),
    [
        (PACKED, (2, "ZTO"), rules.OtherCarrier, ["SF", "ZTO", "PD1"]),
        (
            ParcelFacts("SF1", "PD1", "packed", "labelled", 1, "SF", "HO-20261205-SF-1", False),
            None,
            rules.AlreadyHandedOver,
            ["HO-20261205-SF-1"],
        ),
        (ParcelFacts("SF1", "PD1", "packed", "voided", 1, "SF"), None, rules.ParcelVoided, []),
        (
            ParcelFacts("SF1", "PD1", "on_hold", "labelled", 1, "SF"),
            None,
            rules.OrderNotPacked,
            ["on_hold"],
        ),
        (ParcelFacts("", "PD1", "packed", "labelled", None, ""), None, rules.PickupParcel, []),
    ],
)
def test_a_parcel_that_may_not_go_on_is_refused_with_its_reason(
    facts: ParcelFacts, working: tuple[int, str] | None, error: type, words: list[str]
) -> None:
    with pytest.raises(error) as refused:
        rules.check_scannable(facts, working, "HO-20261206-SF-1")
    for word in [facts.order, *words]:
        assert word in refused.value.message


def test_a_parcel_already_on_the_handover_it_would_go_on_is_a_friendly_no_op() -> None:
    on_it = ParcelFacts("SF1", "PD1", "packed", "labelled", 1, "SF", "HO-20261206-SF-1", True)
    assert rules.check_scannable(on_it, None, "HO-20261206-SF-1") is True


def test_the_number_names_the_day_the_carrier_and_the_count() -> None:
    assert rules.handover_number(date(2026, 12, 6), "SF", 1) == "HO-20261206-SF-1"
    assert rules.handover_number(date(2026, 1, 2), "j&t", 2) == "HO-20260102-JT-2"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("17:30", "17:30"), ("9:05", "09:05"), (" 17：30 ", "17:30"), ("18.00", "18:00"), ("", "")],
)
def test_a_cut_off_is_read_as_typed(typed: str, stored: str) -> None:
    assert rules.parse_cutoff(typed) == stored


@pytest.mark.parametrize("typed", ["24:00", "17:60", "5pm", "1730", "7.5"])
def test_a_cut_off_that_is_no_time_of_day_is_refused(typed: str) -> None:
    with pytest.raises(rules.BadCutoff) as refused:
        rules.parse_cutoff(typed)
    assert typed.strip() in refused.value.message


def test_time_left_is_amber_under_half_an_hour_and_red_once_past() -> None:
    now = datetime(2026, 12, 6, 16, 45).astimezone()
    assert rules.seconds_left("17:30", now) == 45 * 60
    assert rules.urgency(rules.seconds_left("17:30", now)) == "ok"
    assert rules.urgency(rules.seconds_left("17:00", now)) == "soon"
    assert rules.urgency(rules.seconds_left("16:30", now)) == "late"
    assert rules.seconds_left("", now) is None and rules.urgency(None) == "none"
    assert rules.time_left_text(65 * 60) == "1:05" and rules.time_left_text(-12 * 60) == "-0:12"


def test_an_order_ships_when_all_its_live_parcels_are_shipped() -> None:
    got = rules.shipped_orders(
        {1: ["shipped", "voided"], 2: ["shipped", "labelled"], 3: ["voided"], 4: ["shipped"]}
    )
    assert got == [1, 4]
