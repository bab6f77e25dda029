"""Tracking numbers' check digits and formats, against published examples.

Sources of the examples (cited per list below):

- UPU S10: the worked example of the check digit (serial 47312482: S = 200, 11 - 200 % 11 = 9),
  as given in the Wikipedia article "S10 (UPU standard)", and the examples of the open test
  suite jkeen/tracking_number_data (``couriers/s10.json``: "RB123456785GB" valid,
  "RB123456786US" (check digit) and "RB123456785XX" (country) invalid).
- UPS, FedEx, USPS, DHL Express: jkeen/tracking_number_data ``couriers/ups.json``,
  ``couriers/fedex.json`` ("FedEx Express (12)"), ``couriers/usps.json`` ("USPS 20", "USPS IMpb
  N", "USPS IMpb C"), ``couriers/dhl.json`` ("DHL Express"), commit b79ce4bf (2026-08), the
  data the Ruby ``tracking_number`` gem and the PyPI ``tracking-numbers`` package are tested
  with.

Every valid example is also mutated one digit at a time: the rule must refuse each mutation
(a check digit exists to catch exactly that typo), except where the published rule itself
cannot (listed, with why).
"""

from __future__ import annotations

import pytest

from app.domain import tracking
from app.domain.tracking import check_tracking_number

# couriers/s10.json, plus the worked example (serial 47312482, check digit 9)
S10_VALID = ["RB123456785GB", "RB123456785US", "RB123456785CV", "RB123456785CF", "RR473124829CN"]
# couriers/ups.json
UPS_VALID = ["1Z5R89390357567127", "1Z879E930346834440", "1Z410E7W0392751591", "1Z8V92A70367203024"]
# couriers/fedex.json, "FedEx Express (12)"
FEDEX_VALID = ["986578788855", "477179081230", "799531274483", "790535312317", "974367662710"]
# couriers/usps.json: "USPS 20", "USPS IMpb N", "USPS IMpb C" (with and without 420 + ZIP)
USPS_VALID = [
    "03071790000523483741",
    "71123456789123456787",
    "420787459400111206206406260787",
    "9400111206206406260787",
    "9400111201080805483016",
    "9405803699300124287899",
    "9434611206206406227577",
    "9505511069605048600624",
    "92748931507708513018050063",
    "4201002334249200190132607600833457",
    "4201028200009261290113185417468510",
]
# couriers/dhl.json, "DHL Express"
DHL_VALID = ["3318810025", "73891051146", "8487135506", "1099255990", "3821724944"]

PUBLISHED_VALID = [
    *((n, tracking.S10) for n in S10_VALID),
    *((n, tracking.UPS) for n in UPS_VALID),
    *((n, tracking.FEDEX12) for n in FEDEX_VALID),
    *((n, tracking.USPS) for n in USPS_VALID),
    *((n, tracking.DHL) for n in DHL_VALID),
]

# the same files' "invalid" lists, with the format they must be refused as
PUBLISHED_INVALID = [
    ("RB123456786US", tracking.S10),
    ("RB123456785XX", tracking.S10),
    ("2Z5R89390357567127", tracking.UPS),
    ("1A5R89390357567127", tracking.UPS),
    ("1Z1111111111111111", tracking.UPS),
    ("996578788855", tracking.FEDEX12),
    ("03071790000523483742", tracking.USPS),
    ("9434611206206407667131", tracking.USPS),
    ("9434611306206407667222", tracking.USPS),
    ("4201028200009261290113185417468511", tracking.USPS),
    ("3318810010", tracking.DHL),
    ("3318810034", tracking.DHL),
    ("3318810011", tracking.DHL),
]


@pytest.mark.parametrize(("number", "fmt"), PUBLISHED_VALID)
def test_a_published_valid_number_is_recognised_and_valid(number: str, fmt: str) -> None:
    assert check_tracking_number(number) == tracking.TrackingCheck(number, True, fmt)
    assert check_tracking_number(number, fmt).valid


@pytest.mark.parametrize(("number", "fmt"), PUBLISHED_INVALID)
def test_a_published_invalid_number_is_refused_as_a_number_of_its_carrier(
    number: str, fmt: str
) -> None:
    verdict = check_tracking_number(number, fmt)
    assert not verdict.valid
    assert verdict.reason and verdict.template
    assert verdict.reason == verdict.template.format(**verdict.params)


def _mutations(number: str) -> list[str]:
    """``number`` with each digit in turn replaced by the next digit (9 -> 0)."""
    return [
        number[:i] + str((int(c) + 1) % 10) + number[i + 1 :]
        for i, c in enumerate(number)
        if c.isdigit()
    ]


def _mod11_remainder(number: str, fmt: str) -> int:
    """The weighted sum's remainder before the mod 11 rules fold it onto one digit."""
    if fmt == tracking.S10:
        weights, digits = (8, 6, 4, 2, 3, 5, 9, 7), number[2:10]
    else:
        weights, digits = (3, 1, 7) * 4, number[:11]
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11


def _blind(number: str, fmt: str, mutated: str) -> bool:
    """A change the published rule cannot see: a digit of the "420" + ZIP routing prefix,
    which the IMpb check digit does not cover; or, in the mod 11 rules, a remainder that folds
    onto the same check digit as the original's (S10: remainders 0 and 6 both give 5; FedEx:
    0 and 10 both give 0)."""
    if fmt == tracking.USPS and number.startswith("420") and len(number) in (30, 34):
        first_changed = next(
            i for i, (a, b) in enumerate(zip(number, mutated, strict=True)) if a != b
        )
        return first_changed < 12
    if fmt in (tracking.S10, tracking.FEDEX12):
        folded = {tracking.S10: {0, 6}, tracking.FEDEX12: {0, 10}}[fmt]
        pair = {_mod11_remainder(number, fmt), _mod11_remainder(mutated, fmt)}
        return pair == folded
    return False


@pytest.mark.parametrize(("number", "fmt"), PUBLISHED_VALID)
def test_every_one_digit_mutation_of_a_valid_number_is_refused(number: str, fmt: str) -> None:
    missed = [
        m
        for m in _mutations(number)
        if check_tracking_number(m, fmt).valid and not _blind(number, fmt, m)
    ]
    assert missed == []


def test_the_s10_check_digit_follows_the_weights_and_the_two_special_cases() -> None:
    assert tracking.s10_check_digit("47312482") == "9"  # S = 200; 11 - 200 % 11 = 9
    assert tracking.s10_check_digit("00000000") == "5"  # S % 11 = 0: 11 becomes 5
    assert tracking.s10_check_digit("00060000") == "0"  # S = 12, S % 11 = 1: 10 becomes 0


def test_a_number_is_read_without_spaces_dashes_or_lower_case() -> None:
    assert check_tracking_number(" rr 4731 2482 9 cn ").number == "RR473124829CN"
    assert check_tracking_number("0414-4176-0228-964", tracking.FEDEX12).number == (
        "041441760228964"
    )


@pytest.mark.parametrize(
    ("number", "fmt"),
    [
        ("SF1234567890123", tracking.SF),
        ("SF123456789012", tracking.SF),
        ("YT6532110211454", tracking.YTO),
        ("JDVA12345678901", tracking.JD),
        ("JD0012345678901", tracking.JD),
        ("EE473124829CN", tracking.EMS),
    ],
)
def test_chinese_numbers_with_a_carrier_prefix_are_recognised_by_their_format(
    number: str, fmt: str
) -> None:
    assert check_tracking_number(number) == tracking.TrackingCheck(number, True, fmt)


@pytest.mark.parametrize(
    ("number", "fmt", "valid"),
    [
        ("73100066666666", tracking.ZTO, True),
        ("7310006666666", tracking.ZTO, True),
        ("77301234567890", tracking.STO, True),
        ("4312345678901", tracking.YUNDA, True),
        ("431234567890123", tracking.YUNDA, True),
        ("43123456789012", tracking.YUNDA, False),
        ("7310006666", tracking.ZTO, False),
        ("SF12345678901", tracking.SF, False),
        ("YT123456789012", tracking.YTO, False),
    ],
)
def test_digits_only_chinese_numbers_are_checked_by_the_carriers_format(
    number: str, fmt: str, valid: bool
) -> None:
    verdict = check_tracking_number(number, fmt)
    assert (verdict.valid, verdict.format) == (valid, fmt)
    if not valid:
        assert verdict.template == tracking.TRACKING_MESSAGES["shape"]
        assert verdict.params["shape"] == tracking.TRACKING_SHAPE_WORDS[fmt]


def test_ems_is_s10_with_the_e_service_letter_and_its_check_digit() -> None:
    assert check_tracking_number("EE473124829CN", "EMS").valid
    wrong = check_tracking_number("EE473124828CN", "EMS")
    assert (wrong.valid, wrong.params) == (False, {"format": "EMS", "expected": "9", "found": "8"})
    assert check_tracking_number("RR473124829CN", "EMS").format == tracking.S10


def test_the_carriers_format_refuses_a_valid_number_of_another_format_naming_it() -> None:
    verdict = check_tracking_number("1Z5R89390357567127", "SF")
    assert not verdict.valid
    assert verdict.format == tracking.UPS
    assert verdict.params == {"found": "UPS 1Z", "expected": "SF"}
    assert "UPS 1Z" in verdict.reason and "SF" in verdict.reason


def test_a_wrong_check_digit_names_the_right_one() -> None:
    verdict = check_tracking_number("RR473124827CN")
    assert (verdict.valid, verdict.format) == (False, tracking.S10)
    assert verdict.params == {"format": "UPU S10", "expected": "9", "found": "7"}


def test_an_s10_number_must_end_in_a_country_code() -> None:
    verdict = check_tracking_number("RR473124829XX")
    assert not verdict.valid and verdict.params["country"] == "XX"


def test_a_number_of_no_known_format_is_unknown_and_only_its_characters_are_checked() -> None:
    assert check_tracking_number("ABCD12345678X") == tracking.TrackingCheck(
        "ABCD12345678X", True, tracking.UNKNOWN
    )
    for bad in ("1234567", "ABC/12345678", "运单12345678", "X" * 41):
        verdict = check_tracking_number(bad)
        assert (verdict.valid, verdict.format) == (False, tracking.UNKNOWN)
        assert verdict.template == tracking.TRACKING_MESSAGES["characters"]


def test_an_unknown_carrier_format_is_refused_listing_the_known_ones() -> None:
    verdict = check_tracking_number("RR473124829CN", "Pigeon")
    assert not verdict.valid and "UPU S10" in verdict.params["formats"]


def test_format_names_are_found_in_any_case() -> None:
    assert tracking.format_named("ups 1z") == "UPS 1Z"
    assert tracking.format_named("yunda") == "Yunda"
    assert tracking.format_named("nope") is None


def test_a_carrier_without_a_format_has_the_one_its_code_names() -> None:
    assert tracking.carrier_format("", "zto") == "ZTO"
    assert tracking.carrier_format("", "UPS") == "UPS 1Z"
    assert tracking.carrier_format("EMS", "CHINAPOST") == "EMS"
    assert tracking.carrier_format("", "LOCAL-VAN") == ""


@pytest.mark.parametrize(
    ("fmt", "data", "number"),
    [
        (tracking.S10, "RR47312482CN", "RR473124829CN"),
        (tracking.FEDEX12, "98657878885", "986578788855"),
        (tracking.DHL, "331881002", "3318810025"),
        (tracking.USPS, "940011120620640626078", "9400111206206406260787"),
        (tracking.UPS, "1Z5R8939035756712", "1Z5R89390357567127"),
        (tracking.ZTO, "73100066666666", "73100066666666"),
    ],
)
def test_a_number_is_completed_with_its_check_digit(fmt: str, data: str, number: str) -> None:
    assert tracking.with_check_digit(fmt, data) == number
