"""A generic file read through a column profile: what its traps say (cash on delivery, a pickup,
an order partly shipped) is read, not lost."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from app.importers.generic import Mapping, guess, read_status
from app.importers.records import OrderRecord, RowProblem
from tests.data.make_generic_samples import HEADER, PROFILE
from tests.import_helpers import read_orders

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "generic_traps.csv"


def read(path: Path) -> tuple[dict[str, OrderRecord], list[RowProblem]]:
    return read_orders(
        path, local=ZoneInfo("Asia/Shanghai"), mapping=Mapping(columns=dict(PROFILE))
    )


def test_the_payment_and_shipping_methods_are_fields_of_a_profile_and_are_guessed() -> None:
    guessed = guess(HEADER)
    assert (guessed["payment_method"], guessed["shipping_method"]) == ("支付方式", "配送方式")
    assert guessed["payment_status"] == "订单状态"
    assert guess(["Order ID", "Payment Status", "Payment Method", "Shipping Method"]) == {
        "order_id": "Order ID",
        "payment_status": "Payment Status",
        "payment_method": "Payment Method",
        "shipping_method": "Shipping Method",
    }


def test_cash_on_delivery_to_ship_is_read_as_not_paid_yet_with_its_payment_method() -> None:
    orders, _ = read(SAMPLE)
    assert (orders["SO-1002"].payment_status, orders["SO-1002"].payment_method) == (
        "pending",
        "货到付款",
    )
    assert (orders["SO-1001"].payment_status, orders["SO-1001"].payment_method) == (
        "paid",
        "微信支付",
    )
    assert orders["SO-1006"].shipping_method == "门店自提"


def test_an_order_partly_shipped_is_paid_and_each_of_its_lines_partly_fulfilled() -> None:
    orders, _ = read(SAMPLE)
    o = orders["SO-1005"]
    assert o.payment_status == "paid" and not o.cancelled
    assert [(ln.sku, ln.partly_fulfilled) for ln in o.lines] == [
        ("BOTTLE-500-BL", True),
        ("LID-BAMBOO", True),
    ]
    assert not any(ln.partly_fulfilled for ln in orders["SO-1001"].lines)


def test_partly_shipped_is_not_taken_for_shipped_nor_for_unpaid() -> None:
    assert read_status("部分已发货") == ("paid", False, False)
    assert read_status("部分发货") == ("paid", False, False)
    assert read_status("Partially shipped") == ("paid", False, False)
    assert read_status("已发货") == ("paid", False, True)
    assert read_status("部分退款") == ("partially_refunded", False, False)
