"""WebToffee's WooCommerce CSV: what its traps say is read as the other WooCommerce layouts read
it (cash on delivery from the gateway id, pickups from ``shipping_items``, the order's refunds
from ``refund_items``, a failed order as cancelled)."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from app.importers.records import OrderRecord, RowProblem
from tests.import_helpers import read_orders

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "woocommerce_webtoffee_traps.csv"


def read(path: Path) -> tuple[dict[str, OrderRecord], list[RowProblem]]:
    return read_orders(path, local=ZoneInfo("Asia/Shanghai"), expect="woocommerce")


def test_a_processing_cash_on_delivery_order_is_read_as_not_paid_yet() -> None:
    orders, _ = read(SAMPLE)
    assert (orders["9102"].payment_status, orders["9102"].payment_method) == (
        "pending",
        "Kapıda Ödeme",
    )
    # the shop's own title for the cod gateway keeps the gateway id so it is recognised
    assert (orders["9115"].payment_status, orders["9115"].payment_method) == (
        "pending",
        "Pay the courier (cod)",
    )
    assert orders["9101"].payment_status == "paid"  # Alipay


def test_the_shipping_method_comes_from_shipping_items_and_a_pickup_id_says_so() -> None:
    orders, _ = read(SAMPLE)
    assert orders["9106"].shipping_method == "Local pickup"
    assert orders["9109"].shipping_method == "门店取货 (local pickup)"
    assert orders["9101"].shipping_method == "Flat rate"


def test_an_order_with_refunds_that_is_not_refunded_in_full_is_read_as_partly_refunded() -> None:
    orders, _ = read(SAMPLE)
    assert orders["9105"].payment_status == "partially_refunded"
    assert [(ln.sku, ln.qty) for ln in orders["9105"].lines] == [("TEE-BLK-M", 3), ("CAP-RED", 1)]


def test_a_failed_order_is_read_as_cancelled_like_a_cancelled_one() -> None:
    orders, _ = read(SAMPLE)
    assert (orders["9114"].cancelled, orders["9114"].channel_status) == (True, "failed")
    assert (orders["9104"].cancelled, orders["9104"].channel_status) == (True, "cancelled")
    assert not orders["9108"].cancelled  # on hold: waiting for a bank transfer
