"""The weight gate without a database: the catalogue band (percentage with a floor), the learned
band from earlier parcels (mean +/- 2 sample standard deviations, with a floor on the spread),
flagging only outside both, and the contents key parcels are grouped by."""

from __future__ import annotations

import pytest

from app.domain.weight_check import LEARN_AFTER, Tolerance, contents_key, expectation, judge

TOL = Tolerance(pct=5.0, floor_g=20)


def test_the_catalogue_band_is_the_items_plus_the_tare_within_the_percentage_or_the_floor() -> None:
    exp = expectation(1800, 200, TOL)
    assert (exp.expected_g, exp.low_g, exp.high_g, exp.history_n) == (2000, 1900, 2100, 0)
    assert exp.bands() == [(1900, 2100)] and not exp.learned
    assert judge(exp, 2100).ok and judge(exp, 1900).ok
    assert judge(exp, 2101).direction == "over" and judge(exp, 1899).direction == "under"
    light = expectation(150, 50, TOL)  # 5 % of 200 g is 10 g: the floor's 20 g applies
    assert light.bands() == [(180, 220)]


def test_fewer_than_three_earlier_parcels_teach_nothing() -> None:
    exp = expectation(300, 150, TOL, [530] * (LEARN_AFTER - 1))
    assert not exp.learned and exp.history_n == 0
    assert not judge(exp, 530).ok


def test_a_wrong_catalogue_weight_is_rescued_by_a_consistent_history() -> None:
    # the catalogue says 300 g, the mug weighs 380 g: every parcel weighs about 530 g
    exp = expectation(300, 150, TOL, [530, 532, 528])
    assert exp.learned and exp.history_n == 3 and exp.mean_g == pytest.approx(530)
    assert (exp.band_low_g, exp.band_high_g) == (428, 472)
    # sd 2 g is floored to 1 % of the mean (5.3 g): 530 +/- 10.6 g
    assert exp.sd_g == pytest.approx(5.3)
    assert (exp.learned_low_g, exp.learned_high_g) == (519, 541)
    assert judge(exp, 531).ok
    # the same parcel without its mug is outside both
    verdict = judge(exp, 150)
    assert not verdict.ok and verdict.direction == "under"
    # between the two bands: outside both, nearer the learned one
    assert judge(exp, 510).direction == "under" and judge(exp, 490).direction == "over"


def test_a_parcel_is_flagged_only_outside_both_bands() -> None:
    history = [1000, 1100, 1050, 950, 1020]  # sd about 57 g: learned band about 909 to 1139
    exp = expectation(980, 20, TOL, history)
    assert judge(exp, 1130).ok  # outside 950..1050, inside the history
    assert judge(exp, 955).ok  # inside both
    assert not judge(exp, 1200).ok and not judge(exp, 880).ok


def test_the_sample_standard_deviation_is_used() -> None:
    exp = expectation(1000, 0, TOL, [900, 1000, 1100, 1000])
    assert exp.sd_g == pytest.approx(81.6496580927726)  # sample (n - 1), not population (70.7)


def test_identical_history_is_floored_by_the_scale_resolution_when_that_is_larger() -> None:
    exp = expectation(100, 0, TOL, [200, 200, 200], resolution_g=5)
    assert exp.sd_g == 5 and (exp.learned_low_g, exp.learned_high_g) == (190, 210)
    tiny = expectation(100, 0, TOL, [200, 200, 200])
    assert tiny.sd_g == pytest.approx(2.0)  # 1 % of the mean


def test_the_contents_key_adds_up_a_product_and_sorts_by_product_number() -> None:
    assert contents_key([(12, 1), (7, 1), (7, 1), (3, 0)]) == "7:2,12:1"
    assert contents_key([(7, 2), (12, 1)]) == contents_key([(12, 1), (7, 1), (7, 1)])
    assert contents_key([]) == ""
