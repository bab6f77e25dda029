"""Property: for any Shopify file, every order in it is either read (perhaps to be held) or
reported with a reason, never lost silently; and it is rejected only for what cannot be
represented (a quantity that is not a number), never for a missing SKU."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from app.importers.records import FULFILLED, NOTHING_TO_SHIP, OrderRecord, ProblemKind
from app.importers.sources import open_source
from tests.data.make_samples import SHOPIFY_HEADER, shopify_order

LINE = st.tuples(
    st.sampled_from(["1", "2", "two", ""]),
    st.sampled_from(["", "SKU-1", "SKU-2"]),
    st.sampled_from(["true", "false"]),
)
ORDER = st.tuples(
    st.sampled_from(["unfulfilled", "fulfilled", "partial"]),
    st.lists(LINE, min_size=1, max_size=3),
)


def expected(fulfillment: str, lines: list[tuple[str, str, str]]) -> str:
    if fulfillment == "fulfilled":
        return FULFILLED
    if any(not qty.isdigit() for qty, _, _ in lines):
        return "rejected"
    if not any(requires == "true" for _, _, requires in lines):
        return NOTHING_TO_SHIP
    return "read"


@settings(max_examples=60, deadline=None)
@given(st.lists(ORDER, min_size=1, max_size=8))
def test_every_order_of_a_file_is_read_or_reported_with_the_reason_that_matters(
    orders: list[tuple[str, list[tuple[str, str, str]]]],
) -> None:
    rows = [SHOPIFY_HEADER]
    for n, (fulfillment, lines) in enumerate(orders, start=1):
        rows += shopify_order(
            f"#{n}",
            f"c{n}@example.com",
            [(qty, f"Item {i}", "5.00", sku, req) for i, (qty, sku, req) in enumerate(lines)],
            fulfillment=fulfillment,
        )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "orders.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows(rows)
        got: dict[str, str] = {}
        with open_source(path, None, local=ZoneInfo("UTC")) as src:
            for item in src.items:
                if isinstance(item, OrderRecord):
                    got[item.external_id] = "read"
                elif item.kind == ProblemKind.REJECTED:
                    assert item.reason
                    got[item.order] = "rejected"
                elif item.kind == ProblemKind.SKIPPED:
                    got[item.order] = item.template
    assert got == {
        f"#{n}": expected(fulfillment, lines) for n, (fulfillment, lines) in enumerate(orders, 1)
    }
