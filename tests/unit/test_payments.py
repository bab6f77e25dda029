"""Cash on delivery and pickup are read from the channel's own words, in any language."""

from __future__ import annotations

from decimal import Decimal

from app.domain.payments import COD_METHODS, PICKUP_PATTERNS, cod_amount, matches_any


def test_cash_on_delivery_is_recognised_in_the_words_of_several_channels() -> None:
    for method in (
        "Cash on Delivery (COD)",
        "cod",
        "Kapıda Ödeme",
        "Contra reembolso",
        "货到付款",
        "选择货到付款",
    ):
        assert matches_any(method, COD_METHODS), method


def test_a_name_matches_only_as_a_word_of_its_own() -> None:
    assert not matches_any("Barcode payments", COD_METHODS)
    assert not matches_any("Shopify Payments", COD_METHODS)
    assert not matches_any("", COD_METHODS)


def test_pickup_is_read_from_the_shipping_method() -> None:
    assert matches_any("Local Pickup", PICKUP_PATTERNS)
    assert matches_any("门店自提", PICKUP_PATTERNS)
    assert not matches_any("Standard", PICKUP_PATTERNS)


def test_only_an_unpaid_cash_on_delivery_order_has_an_amount_to_collect() -> None:
    total = Decimal("32.00")
    assert cod_amount("Cash on Delivery (COD)", COD_METHODS, total, paid=False) == total
    assert cod_amount("Cash on Delivery (COD)", COD_METHODS, total, paid=True) is None
    assert cod_amount("Bank Deposit", COD_METHODS, total, paid=False) is None
