"""The rules of returns without a database: what may come back, what a scan means at the
returns bench, the return label, and the order's status after a full or partial return."""

from __future__ import annotations

import pytest

from app.domain.errors import ValidationError
from app.domain.returns import (
    BenchAction,
    LineBalance,
    ScanMeaning,
    bench_code,
    check_order_returnable,
    check_returnable,
    meaning,
    order_number_of_label,
    partly_returned,
    reason_barcode,
    reasons_text,
    return_label,
    status_after,
)


def test_no_more_than_shipped_minus_returned_may_come_back() -> None:
    line = LineBalance(1, "CUP-1", shipped=3, returned=1)
    check_returnable(line, 2)
    with pytest.raises(ValidationError) as err:
        check_returnable(line, 3)
    assert err.value.params == {
        "detail": err.value.template,
        "left": 2,
        "sku": "CUP-1",
        "shipped": 3,
        "returned": 1,
    }
    with pytest.raises(ValidationError):
        check_returnable(line, 0)
    assert LineBalance(1, "CUP-1", shipped=1, returned=4).returnable == 0


@pytest.mark.parametrize(
    ("status", "words"),
    [("packed", "not shipped"), ("returned", "come back already"), ("cancelled", "not shipped")],
)
def test_only_shipped_or_delivered_orders_take_returns(status: str, words: str) -> None:
    check_order_returnable("PD1", "shipped")
    check_order_returnable("PD1", "delivered")
    with pytest.raises(ValidationError) as err:
        check_order_returnable("PD1", status)
    assert words in err.value.message


def test_the_order_is_returned_only_when_everything_shipped_is_back() -> None:
    part = status_after("delivered", shipped_total=3, returned_before=0, units_now=2)
    assert (part.target, part.partly_returned, part.returned_total) == (None, True, 2)
    rest = status_after("delivered", shipped_total=3, returned_before=2, units_now=1)
    assert (rest.target, rest.partly_returned) == ("returned", False)
    assert partly_returned("shipped", 3, 1) and not partly_returned("returned", 3, 3)
    assert not partly_returned("shipped", 3, 0)


def test_return_labels_and_bench_cards_are_read_back() -> None:
    assert return_label("PD1") == "RT-PD1" and order_number_of_label(" rt-PD1 ") == "PD1"
    assert order_number_of_label("RT-") is None and order_number_of_label("PD1") is None
    assert bench_code("pd-ret-quarantine") == (BenchAction.QUARANTINE, "")
    assert bench_code("PD-RET-WRITE-OFF") == (BenchAction.WRITE_OFF, "")
    assert bench_code(reason_barcode("wrong_size")) == (BenchAction.REASON, "WRONG_SIZE")
    assert bench_code("PD-CMD-CONFIRM") is None


def test_a_scan_means_what_the_bench_is_waiting_for() -> None:
    assert meaning("tracking", has_return=False, pending=False) is ScanMeaning.OPEN
    assert meaning("product", has_return=False, pending=False) is ScanMeaning.REFUSE
    assert meaning("product", has_return=True, pending=True) is ScanMeaning.ADD_UNIT
    assert meaning("location", has_return=True, pending=False) is ScanMeaning.REFUSE
    assert meaning("location", has_return=True, pending=True) is ScanMeaning.RESTOCK
    assert meaning("write_off", has_return=True, pending=True) is ScanMeaning.WRITE_OFF
    assert meaning("confirm", has_return=True, pending=True) is ScanMeaning.FINISH
    assert meaning("reason", has_return=False, pending=False) is ScanMeaning.REASON


def test_a_returns_reasons_are_named_once_each_in_the_order_met() -> None:
    assert reasons_text(["wrong size", "defective", "wrong size", ""]) == "wrong size, defective"
