"""Property: for any file in WooCommerce's REST API layout (JSON) or Advanced Order Export's CSV,
every order in it is either read (perhaps to be held) or reported with the reason that matters,
never lost silently; and it is never rejected for a missing SKU."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from app.importers.records import (
    FULFILLED,
    REFUNDED_SKIP,
    OrderRecord,
    ProblemKind,
)
from app.importers.sources import open_source
from tests.data.make_woocommerce_samples import (
    AOE_HEADER,
    BD,
    CN,
    ES,
    Item,
    Sale,
    aoe_rows,
    rest_order,
    write_aoe,
)

STATUSES = ["processing", "on-hold", "pending", "completed", "cancelled", "refunded", "failed"]
LINE = st.tuples(st.sampled_from(["1", "2", "two", "", "0"]), st.sampled_from(["", "SKU-1"]))
ORDER = st.tuples(
    st.sampled_from(STATUSES),
    st.lists(LINE, min_size=0, max_size=3),
    st.sampled_from([("cod", "Cash on delivery"), ("stripe", "Card")]),
    st.sampled_from([CN, ES, BD]),
)
Order = tuple[str, list[tuple[str, str]], tuple[str, str], object]


def sale(
    n: int, status: str, lines: list[tuple[str, str]], payment: tuple[str, str], where: object
) -> Sale:
    items = [Item(f"Item {i}", sku, 1, "5.00", 100 + i) for i, (_, sku) in enumerate(lines)]
    return Sale(n, status, where, items, f"c{n}@example.com", payment)  # type: ignore[arg-type]


def outcomes(path: Path) -> dict[str, str]:
    got: dict[str, str] = {}
    with open_source(path, None, local=ZoneInfo("UTC")) as src:
        for item in src.items:
            if isinstance(item, OrderRecord):
                assert item.external_id not in got
                got[item.external_id] = "read"
            elif item.kind == ProblemKind.REJECTED:
                assert item.reason and item.order not in got
                got[item.order] = "rejected"
            elif item.kind == ProblemKind.SKIPPED:
                assert item.reason and item.order not in got
                got[item.order] = item.template
    return got


def rest_expected(status: str, lines: list[tuple[str, str]]) -> str:
    if status == "completed":
        return FULFILLED
    if not lines or any(not qty.isdigit() for qty, _ in lines):
        return "rejected"  # no item, or a quantity that is not a number
    return "read"  # a cancelled or refunded order is read; intake skips it with that reason


def aoe_expected(status: str, lines: list[tuple[str, str]]) -> str:
    if status == "completed":
        return FULFILLED
    left = [qty for qty, _ in lines if qty not in ("0",)]
    if not [q for q in left if q.isdigit()] and "0" in [q for q, _ in lines]:
        return REFUNDED_SKIP  # every item refunded (or unreadable beside refunded ones)
    if not lines or any(not qty.isdigit() for qty in left):
        return "rejected"
    return "read"


@settings(max_examples=60, deadline=None)
@given(st.lists(ORDER, min_size=1, max_size=8))
def test_every_order_of_a_rest_api_list_is_read_or_reported_with_its_reason(
    orders: list[Order],
) -> None:
    data = []
    for n, (status, lines, payment, where) in enumerate(orders, start=1):
        o = rest_order(sale(n, status, lines, payment, where))
        for item, (qty, _) in zip(o["line_items"], lines, strict=True):
            item["quantity"] = int(qty) if qty.isdigit() else qty
        data.append(o)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "orders.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        got = outcomes(path)
    assert got == {
        str(7100 + n): rest_expected(status, lines)
        for n, (status, lines, _, _) in enumerate(orders, start=1)
    }


@settings(max_examples=60, deadline=None)
@given(st.lists(ORDER, min_size=1, max_size=8), st.booleans())
def test_every_order_of_an_advanced_order_export_is_read_or_reported_with_its_reason(
    orders: list[Order], every_row: bool
) -> None:
    rows: list[list[str]] = []
    wanted: dict[str, str] = {}
    qty_col = AOE_HEADER.index("Quantity (- Refund)")
    for n, (status, lines, payment, where) in enumerate(orders, start=1):
        if not lines:
            continue  # the export writes no row for an order without items
        order_rows = aoe_rows(sale(n, status, lines, payment, where), every_row=every_row)
        for row, (qty, _) in zip(order_rows, lines, strict=True):
            row[qty_col] = qty
        rows += order_rows
        wanted[str(8100 + n)] = aoe_expected(status, lines)
    if not rows:
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "orders.csv"
        write_aoe(path, rows)
        assert outcomes(path) == wanted
