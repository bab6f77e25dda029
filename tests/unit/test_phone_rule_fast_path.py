"""The phone rule's quicker validity check gives the verdict ``phonenumbers.is_valid_number``
gives, number for number: numbers of the regions that share a calling code (+1, +7, +44, +39,
+61, +47...) and of some that have theirs alone, valid ones and ones a digit or a length off."""

from __future__ import annotations

import random

import phonenumbers
from phonenumbers import PhoneNumberType

from app.domain.holds import hold
from app.domain.order_rules import is_valid_number, phone_problem

UNREADABLE = hold("bad_phone", "phone_unreadable", phone="").template

REGIONS = (
    "US", "CA", "PR", "JM", "AG", "GU",  # +1
    "RU", "KZ", "GB", "GG", "IM", "JE", "IT", "VA", "AU", "CC", "CX", "NO", "SJ",
    "FI", "AX", "MA", "EH", "RE", "YT", "GP", "BL", "CW", "BQ", "SH",
    "DE", "FR", "JP", "BR", "IN", "HK", "SG", "NZ", "MX",
)  # fmt: skip
TYPES = (
    PhoneNumberType.FIXED_LINE,
    PhoneNumberType.MOBILE,
    PhoneNumberType.TOLL_FREE,
    PhoneNumberType.PREMIUM_RATE,
    PhoneNumberType.VOIP,
    PhoneNumberType.PAGER,
    PhoneNumberType.UAN,
)


def _numbers(seed: int) -> list[tuple[str, str]]:
    """(text, country): each region's example numbers as they are, with digits changed at
    random, one digit more or less, written in international and national form."""
    rnd = random.Random(seed)
    out: list[tuple[str, str]] = []
    for region in REGIONS:
        cc = phonenumbers.country_code_for_region(region)
        for kind in TYPES:
            example = phonenumbers.example_number_for_type(region, kind)
            if example is None:
                continue
            nsn = phonenumbers.national_significant_number(example)
            for _ in range(40):
                digits = list(nsn)
                for _ in range(rnd.randint(0, 3)):
                    digits[rnd.randrange(len(digits))] = str(rnd.randint(0, 9))
                change = rnd.random()
                if change < 0.1:
                    digits.append(str(rnd.randint(0, 9)))
                elif change < 0.2:
                    digits.pop()
                text = "".join(digits)
                out.append((f"+{cc} {text}", rnd.choice((region, ""))))
                out.append((text, region))
    return out


def _full_check(text: str, country: str) -> bool | None:
    """The library's own verdict (None: the text cannot be read as a number)."""
    try:
        num = phonenumbers.parse(text, country or None)
    except phonenumbers.NumberParseException:
        return None
    return bool(phonenumbers.is_valid_number(num))


def test_the_quick_check_agrees_with_phonenumbers_on_every_generated_number() -> None:
    numbers = _numbers(seed=20261206)
    verdicts = {True: 0, False: 0}
    for text, country in numbers:
        try:
            num = phonenumbers.parse(text, country or None)
        except phonenumbers.NumberParseException:
            continue
        expected = bool(phonenumbers.is_valid_number(num))
        assert is_valid_number(num) is expected, (text, country)
        verdicts[expected] += 1
    # both verdicts are well represented, in the shared calling codes too
    assert verdicts[True] > 2000 and verdicts[False] > 2000, verdicts


def test_the_phone_rule_holds_exactly_the_numbers_phonenumbers_finds_invalid() -> None:
    # (a number without a country whose digits look like a Chinese mobile is judged as one)
    for text, country in _numbers(seed=7):
        if not country:
            continue
        problem = phone_problem(text, country)
        verdict = _full_check(text, country)
        if verdict is None:
            assert problem is not None and problem.template == UNREADABLE, text
        else:
            assert (problem is None) is verdict, (text, country)
