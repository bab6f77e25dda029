"""The notices' pure rules: templates and their placeholders, the language, the link, the
retry schedule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.domain.errors import ValidationError
from app.domain.notices import (
    DEFAULT_TEMPLATES,
    MAX_ATTEMPTS,
    NoticeValues,
    Template,
    check_template,
    language_for,
    next_attempt,
    render,
    tracking_link,
)

VALUES = NoticeValues("王小明", "PD00000007", "TB777", "中通快递 ZTO Express", "73100000001",
                      "https://www.zto.com/?num=73100000001", "悦享百货")  # fmt: skip


def test_every_default_template_passes_its_own_check_and_renders_every_placeholder_it_uses() -> (
    None
):
    assert len(DEFAULT_TEMPLATES) == 4
    for t in DEFAULT_TEMPLATES.values():
        check_template(t.kind, t.language, t.subject, t.body)
        subject, body = render(t, VALUES)
        assert "{" not in subject + body and "TB777" in subject and "73100000001" in body


def test_a_template_with_an_unknown_placeholder_or_a_broken_brace_is_refused_with_the_reason() -> (
    None
):
    with pytest.raises(ValidationError, match=r"Unknown placeholder \{phone\}, \{street\}"):
        check_template("shipped", "en", "Hi {phone}", "{street} {phone}")
    with pytest.raises(ValidationError, match="brace"):
        check_template("shipped", "en", "Hi", "Order {order_number")
    with pytest.raises(ValidationError, match="one line"):
        check_template("shipped", "en", "Hi\nBcc: x@example.com", "text")
    with pytest.raises(ValidationError, match="not a notice kind"):
        check_template("returned", "en", "Hi", "text")
    check_template("delivered", "zh", "{{感谢}}{shop_name}", "{customer_name}")


def test_a_subject_is_one_line_whatever_a_value_holds() -> None:
    odd = NoticeValues("Eve\r\nBcc: x@example.com", "PD1", "A\nB", "", "", "", "Shop")
    subject, _ = render(Template("shipped", "en", "{channel_order} for {customer_name}", "x"), odd)
    assert "\n" not in subject and "\r" not in subject


@pytest.mark.parametrize(
    ("country", "platform", "language"),
    [("CN", "shopify", "zh"), ("HK", "", "zh"), ("GB", "taobao", "en"), ("us", "jd", "en"),
     ("", "taobao", "zh"), (None, "douyin", "zh"), ("", "shopify", "en"), (None, None, "en")],
)  # fmt: skip
def test_the_language_follows_the_address_country_then_the_channel_s_platform(
    country: str | None, platform: str | None, language: str
) -> None:
    assert language_for(country, platform) == language


def test_the_tracking_link_fills_the_number_into_the_carrier_s_page_or_the_generic_one() -> None:
    assert tracking_link("https://t.example/{tracking}", "SF1") == "https://t.example/SF1"
    assert tracking_link("https://t.example/?n={number}", "SF1") == "https://t.example/?n=SF1"
    assert tracking_link("", "YT9") == "https://www.kuaidi100.com/chaxun?nu=YT9"
    assert tracking_link("https://t.example/{tracking}", "") == ""


def test_a_failed_send_is_tried_again_after_1_5_15_60_minutes_then_never() -> None:
    now = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
    waits = [next_attempt(n, now) for n in range(1, MAX_ATTEMPTS + 1)]
    assert waits[:-1] == [now + timedelta(minutes=m) for m in (1, 5, 15, 60)]
    assert waits[-1] is None
