"""Country names in hold sentences, in the operator's language (CLDR, through babel)."""

from __future__ import annotations

import pytest

from app.domain.addresses import country_rules
from app.domain.country_names import country_in, country_name


@pytest.mark.parametrize(
    "written,chinese",
    [
        ("Germany (DE)", "德国 (DE)"),
        ("United States (US)", "美国 (US)"),
        ("DE", "德国 (DE)"),
        ("JP", "日本 (JP)"),
    ],
)
def test_a_country_in_a_hold_sentence_is_named_in_chinese(written: str, chinese: str) -> None:
    assert country_in(written, "zh_CN") == chinese


def test_english_sentences_keep_the_country_as_written() -> None:
    assert country_in("Germany (DE)", "en") == "Germany (DE)"
    assert country_in("DE", "en") == "DE"


def test_a_country_the_customer_wrote_that_is_not_a_code_is_left_as_written() -> None:
    for written in ("Germny", "德国", "(none)", "XZ"):
        assert country_in(written, "zh_CN") == written


def test_every_country_the_address_rules_display_has_a_chinese_name() -> None:
    for code in ("CN", "HK", "TW", "GB", "IT", "AR", "ZA", "AE"):
        shown = country_in(country_rules(code).display, "zh_CN")
        assert shown.endswith(f" ({code})") and shown != country_rules(code).display
        assert country_name(code, "zh_CN") not in ("", code)
