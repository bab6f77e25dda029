"""The CSV of "Advanced Order Export For WooCommerce" in its default field set: one row per
product, the plug-in's own column labels."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook

from app.domain.payments import COD_METHODS, PICKUP_PATTERNS, matches_any
from app.importers.errors import MissingColumns
from app.importers.records import FULFILLED, REFUNDED_SKIP, OrderRecord, ProblemKind, RowProblem
from app.importers.sources import open_source, preview
from app.importers.woocommerce_common import status_of, status_slug
from tests.data.make_woocommerce_samples import AOE_HEADER, Item, aoe_rows, sales, write_aoe
from tests.import_helpers import read_orders

DATA = Path(__file__).resolve().parents[1] / "data"
SAMPLE = DATA / "woocommerce_aoe_orders.csv"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def read(path: Path, fmt: str | None = None) -> tuple[dict[str, OrderRecord], list[RowProblem]]:
    return read_orders(path, fmt, local=SHANGHAI, expect="woocommerce_aoe")


def test_the_export_is_found_from_its_header_and_its_rows_make_whole_orders() -> None:
    assert preview(SAMPLE).detected_format == "woocommerce_aoe"
    orders, _ = read(SAMPLE)
    o = orders["8101"]
    assert (o.row, o.last_row) == (2, 3)
    assert [(ln.row, ln.sku, ln.qty, ln.unit_price, ln.name) for ln in o.lines] == [
        (2, "BOTTLE-500-BL", 2, Decimal("24.50"), "Insulated bottle 500ml - Blue"),
        (3, "LID-BAMBOO", 1, Decimal("6.00"), "Bamboo lid"),
    ]
    assert (o.total, o.email, o.note, o.currency) == (
        Decimal("60.00"),
        "wang.li@example.com",
        "请放在门卫处",
        "",  # the default field set has no currency
    )
    a = o.address
    assert (a.name, a.street, a.city, a.province, a.postal_code, a.country, a.phone) == (
        "王丽",
        "徐汇区漕溪北路88号圣爱大厦1203室",
        "上海市",
        "SH",
        "200030",
        "CN",
        "+86 138 0013 8000",
    )
    # the shop's time, without a zone, is read in the station's zone
    assert o.placed_at == datetime(2026, 11, 20, 2, 15, tzinfo=UTC)


def test_statuses_are_read_from_the_names_the_plugin_writes_in_english_or_chinese() -> None:
    orders, problems = read(SAMPLE)
    assert orders["8101"].payment_status == "paid"
    assert orders["8108"].payment_status == "pending"  # On hold: waiting for a bank transfer
    assert orders["8104"].cancelled and orders["8114"].cancelled  # Cancelled, Failed
    assert orders["8111"].payment_status == "refunded"
    assert ("8110", FULFILLED) in [(p.order, p.template) for p in problems]
    assert [
        status_slug(s) for s in ("处理中", "保留", "等待付款", "已完成", "Pending payment")
    ] == [
        "processing",
        "on-hold",
        "pending",
        "completed",
        "pending",
    ]
    assert status_of("已取消").cancelled and status_of("已完成").fulfilled


def test_cash_on_delivery_and_pickup_come_from_the_method_titles() -> None:
    orders, _ = read(SAMPLE)
    assert (orders["8102"].payment_method, orders["8102"].payment_status) == (
        "Kapıda Ödeme",
        "pending",
    )
    assert matches_any(orders["8106"].payment_method, COD_METHODS)
    assert matches_any(orders["8106"].shipping_method, PICKUP_PATTERNS)
    # the default field set has only the title: a pickup titled in the shop's own words is
    # not recognised (add it to the pickup methods in the check settings)
    assert orders["8109"].shipping_method == "门店取货"


def test_lines_without_a_sku_the_6_pack_and_placeholder_postal_codes_are_kept() -> None:
    orders, _ = read(SAMPLE)
    assert [(ln.sku, ln.qty) for ln in orders["8103"].lines] == [("", 1), ("", 2)]
    assert [(ln.sku, ln.name) for ln in orders["8107"].lines] == [
        ("TEE-6PK", "Cotton tee 6-pack - White / L")
    ]
    codes = {e: orders[e].address.postal_code for e in ("8105", "8106", "8107", "8108", "8113")}
    assert codes == {"8105": "-", "8106": "0", "8107": "N/A", "8108": "无", "8113": "0"}
    assert orders["8112"].address.postal_code == "Calle de Alcalá 45, 3º izq"


def test_what_is_left_after_refunds_is_what_ships_and_the_order_is_partly_refunded() -> None:
    orders, problems = read(SAMPLE)
    o = orders["8105"]
    assert o.payment_status == "partially_refunded"
    assert [(ln.sku, ln.qty) for ln in o.lines] == [("TEE-BLK-M", 2)]
    [note] = [p for p in problems if p.order == "8105"]
    assert (note.row, note.kind, note.reason) == (
        9,
        ProblemKind.WARNING,
        "This item of order 8105 was refunded in the channel (nothing left to ship); it was left "
        "out.",
    )


def test_with_the_quantity_column_a_partly_refunded_line_holds_to_check_what_ships(
    tmp_path: Path,
) -> None:
    header = [*AOE_HEADER, "Quantity", "Variation Id", "Product Id"]
    sale = sales()[4]  # 3 tees, 1 refunded; the cap refunded
    rows = aoe_rows(sale)
    rows[0] += ["3", "61", "60"]
    rows[1] += ["1", "0", "62"]
    path = tmp_path / "with_qty.csv"
    write_aoe(path, rows, header)
    orders, _ = read(path)
    [tee] = orders["8105"].lines
    assert (tee.qty, tee.partly_fulfilled, tee.listing_id) == (2, True, "61")


def test_an_order_whose_every_item_was_refunded_is_skipped_as_refunded(tmp_path: Path) -> None:
    sale = sales()[2]
    sale.items = [Item("Servilleta de lino", "", 2, "8.00", refunded=2)]
    path = tmp_path / "refunded.csv"
    write_aoe(path, aoe_rows(sale))
    orders, problems = read(path)
    assert orders == {}
    assert [(p.kind, p.template) for p in problems if p.kind == ProblemKind.SKIPPED] == [
        (ProblemKind.SKIPPED, REFUNDED_SKIP)
    ]


def test_the_orders_fields_on_its_first_row_only_are_read_for_all_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "first_row_only.csv"
    write_aoe(path, aoe_rows(sales()[0], every_row=False))
    orders, problems = read(path)
    assert problems == []
    o = orders["8101"]
    assert len(o.lines) == 2 and o.address.city == "上海市" and o.total == Decimal("60.00")


def test_a_file_that_is_not_this_export_names_the_missing_columns(tmp_path: Path) -> None:
    with pytest.raises(MissingColumns) as err:
        open_source(DATA / "shopify_orders_export.csv", "woocommerce_aoe", local=SHANGHAI)
    assert err.value.message == (
        "The file shopify_orders_export.csv is not a WooCommerce (Advanced Order Export) "
        "export: the columns Order Number, Quantity (- Refund) are missing. Choose the right "
        "format, or set up the columns for a generic file."
    )


def test_a_generic_file_with_an_order_number_column_is_not_taken_for_this_export(
    tmp_path: Path,
) -> None:
    path = tmp_path / "own.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([["Order Number", "SKU", "Quantity"], ["1", "A", "2"]])
    assert preview(path).detected_format == "csv"
    assert preview(DATA / "woocommerce_orders.csv").detected_format == "woocommerce"


def test_the_plugins_excel_export_with_the_same_columns_is_read_the_same(tmp_path: Path) -> None:
    with SAMPLE.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    path = tmp_path / "orders.xlsx"
    wb.save(path)
    from_excel, _ = read(path)
    from_csv, _ = read(SAMPLE)
    assert from_excel == from_csv
