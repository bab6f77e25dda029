"""Shipping labels print the recipient after the sales channel's masking policy."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.domain.privacy import MASKED_REST
from app.labels import shipping
from app.labels.model import Text

SHOP = shipping.Party("Packdesk 旗舰店", "0571-88886666", street="文一西路998号")
BUYER = shipping.Party(
    "张三丰",
    "13812345678",
    province="广东省",
    city="深圳市",
    district="南山区",
    street="科技园南路88号3栋1单元502室",
    street2="近地铁站B口",
)
DATA = shipping.ShippingLabelData("SF", "标快", "SF1403526873451", "PD00000001", SHOP, BUYER)


def printed(data: shipping.ShippingLabelData, **kw: bool) -> str:
    label = shipping.shipping_label(data, "100x150mm", 203, **kw)
    return "\n".join(e.text for e in label.elements if isinstance(e, Text))


def test_the_ewaybill_policy_prints_road_and_house_number_only() -> None:
    text = printed(DATA)
    assert f"广东省深圳市南山区科技园南路88号{MASKED_REST}{MASKED_REST}" in text
    assert "张*丰" in text and "138******78" in text
    assert "502" not in text and "张三丰" not in text and "地铁" not in text


def test_the_full_name_policy_prints_the_name_and_hides_phone_and_room() -> None:
    text = printed(replace(DATA, mask_policy="full_name"))
    assert "张三丰" in text and "13812345678" not in text and "502" not in text


@pytest.mark.parametrize(
    ("data", "mask"), [(replace(DATA, mask_policy="none"), True), (DATA, False)]
)
def test_nothing_is_hidden_for_b2b_or_when_asked(
    data: shipping.ShippingLabelData, mask: bool
) -> None:
    text = printed(data, mask=mask)
    assert "张三丰" in text and "13812345678" in text and "科技园南路88号3栋1单元502室" in text
