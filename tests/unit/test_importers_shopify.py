"""Shopify's orders export, read from sample files written the way Shopify writes them."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app.importers.errors import MissingColumns
from app.importers.records import OrderRecord, ProblemKind, RowProblem
from app.importers.sources import open_source
from tests.data.make_samples import SHOPIFY_HEADER, shopify_order
from tests.import_helpers import read_orders

DATA = Path(__file__).resolve().parents[1] / "data"
SAMPLE = DATA / "shopify_orders_export.csv"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def read(path: Path, fmt: str | None = None) -> tuple[dict[str, OrderRecord], list[RowProblem]]:
    return read_orders(path, fmt, local=SHANGHAI, expect="shopify")


def write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    return path


def test_an_order_is_read_whole_from_its_rows_with_the_order_fields_of_its_first_row() -> None:
    orders, _ = read(SAMPLE)
    o = orders["#1001"]
    assert (o.row, o.last_row) == (2, 3)
    assert [(ln.row, ln.sku, ln.qty, ln.unit_price) for ln in o.lines] == [
        (2, "BOTTLE-500-BL", 2, Decimal("24.50")),
        (3, "LID-BAMBOO", 1, Decimal("6.00")),
    ]
    assert o.email == "ada@example.com" and o.currency == "USD" and o.total == Decimal("55.00")
    assert o.payment_status == "paid" and not o.cancelled
    assert o.note == "Leave at the door"
    a = o.address
    assert (a.name, a.street, a.street2, a.city, a.province, a.country) == (
        "Ada Lovelace",
        "12 Beacon Street",
        "Apt 4",
        "Boston",
        "Massachusetts",
        "US",
    )


def test_zip_codes_and_phones_lose_the_apostrophe_shopify_puts_before_them() -> None:
    orders, _ = read(SAMPLE)
    assert orders["#1001"].address.postal_code == "02108"
    assert orders["#1001"].address.phone == "+1 617-555-0142"
    assert orders["#1006"].address.postal_code == "310012"


def test_times_keep_their_offset_and_come_back_in_utc() -> None:
    orders, _ = read(SAMPLE)
    assert orders["#1001"].placed_at == datetime(2026, 11, 20, 14, 15, 2, tzinfo=UTC)
    assert orders["#1006"].placed_at == datetime(2026, 11, 21, 0, 2, 11, tzinfo=UTC)


def test_blank_trailing_lines_give_no_problems() -> None:
    assert SAMPLE.read_bytes().endswith(b"\n\n\n")
    _, problems = read(SAMPLE)
    assert max(p.row for p in problems) < 16


def test_cancelled_and_refunded_orders_are_read_with_what_the_channel_said() -> None:
    orders, _ = read(SAMPLE.parent / "shopify_traps.csv")
    assert orders["#2005"].cancelled and orders["#2005"].payment_status == "voided"
    assert orders["#2006"].payment_status == "refunded" and not orders["#2006"].cancelled
    orders, _ = read(SAMPLE)
    assert orders["#1002"].payment_status == "partially_refunded"
    assert orders["#1003"].payment_status == "partially_refunded"
    assert not orders["#1003"].cancelled
    assert orders["#1008"].payment_status == "pending"


def test_a_line_that_needs_no_shipping_is_kept_flagged_and_an_order_of_only_such_is_skipped() -> (
    None
):
    orders, problems = read(SAMPLE)
    gift = orders["#1003"].lines[1]
    assert (gift.sku, gift.requires_shipping) == ("", False)
    assert "#1004" not in orders
    skip = next(p for p in problems if p.order == "#1004")
    assert (skip.row, skip.kind) == (7, ProblemKind.SKIPPED)
    assert "needs shipping" in skip.reason


def test_fulfilled_orders_are_skipped_and_fulfilled_lines_of_a_partial_order_left_out() -> None:
    orders, problems = read(SAMPLE)
    assert "#1005" not in orders
    p = next(p for p in problems if p.order == "#1005")
    assert p.kind == ProblemKind.SKIPPED and "already fulfilled" in p.reason
    assert [ln.sku for ln in orders["#1009"].lines] == ["LID-BAMBOO"]
    warn = next(p for p in problems if p.order == "#1009")
    assert (warn.row, warn.kind) == (14, ProblemKind.WARNING)


def test_a_quantity_that_is_not_a_number_leaves_the_whole_order_out_naming_its_row() -> None:
    orders, problems = read(SAMPLE)
    assert "#1007" not in orders
    p = next(p for p in problems if p.order == "#1007")
    assert (p.row, p.kind) == (11, ProblemKind.REJECTED)
    assert p.reason == "The quantity 'two' is not a whole number; order #1007 was left out."


def test_the_bom_file_reads_the_same_as_the_plain_one() -> None:
    plain, plain_problems = read(SAMPLE)
    bom, bom_problems = read(DATA / "shopify_orders_export_bom.csv")
    assert bom == plain
    assert bom_problems == plain_problems


def test_the_newer_spellings_of_the_columns_are_read_too(tmp_path: Path) -> None:
    header = [
        {"Lineitem sku": "Lineitem SKU", "Cancelled at": "Canceled at"}.get(h, h)
        for h in SHOPIFY_HEADER
    ]
    rows = shopify_order(
        "#2001",
        "a@example.com",
        [("1", "Mug", "9.00", "MUG-1", "true")],
        cancelled="2026-11-20 11:00:00 -0500",
    )
    orders, _ = read(write(tmp_path / "new.csv", [header, *rows]))
    assert orders["#2001"].lines[0].sku == "MUG-1"
    assert orders["#2001"].cancelled


def test_rows_of_one_order_that_are_not_together_are_refused_with_a_reason(
    tmp_path: Path,
) -> None:
    a = shopify_order(
        "#3001",
        "a@example.com",
        [("1", "Mug", "9.00", "MUG-1", "true"), ("1", "Lid", "2.00", "LID-1", "true")],
    )
    b = shopify_order("#3002", "b@example.com", [("1", "Mug", "9.00", "MUG-1", "true")])
    orders, problems = read(write(tmp_path / "sorted.csv", [SHOPIFY_HEADER, a[0], *b, a[1]]))
    assert [ln.sku for ln in orders["#3001"].lines] == ["MUG-1"]
    p = next(p for p in problems if p.order == "#3001")
    assert p.row == 4 and "appeared already at row 2" in p.reason


def test_a_file_that_is_not_a_shopify_export_names_the_missing_columns() -> None:
    with pytest.raises(MissingColumns) as err:
        open_source(DATA / "woocommerce_orders.csv", "shopify")
    assert "Name, Lineitem quantity, Lineitem sku, Lineitem name" in err.value.message
    assert "woocommerce_orders.csv" in err.value.message
