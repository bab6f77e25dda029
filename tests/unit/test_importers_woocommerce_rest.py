"""WooCommerce's REST API order list (GET /wp-json/wc/v3/orders, JSON), read from the sample a
shop owner's curl gives and from files written here with the same order objects."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from app.domain.payments import COD_METHODS, PICKUP_PATTERNS, matches_any
from app.importers.errors import MalformedJson, NotAnOrderList, ShopAnswered
from app.importers.records import FULFILLED, OrderRecord, ProblemKind, RowProblem
from app.importers.sources import open_source, preview
from tests.data.make_woocommerce_samples import rest_order, sales
from tests.import_helpers import read_orders

DATA = Path(__file__).resolve().parents[1] / "data"
SAMPLE = DATA / "woocommerce_rest_orders.json"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def read(path: Path, fmt: str | None = None) -> tuple[dict[str, OrderRecord], list[RowProblem]]:
    return read_orders(path, fmt, local=SHANGHAI, expect="woocommerce_rest")


def write(path: Path, content: Any) -> Path:
    text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return path


def order(n: int, **changes: Any) -> dict[str, Any]:
    """Sample order ``n`` (1-based, see make_woocommerce_samples) with some fields changed."""
    return {**rest_order(sales()[n - 1]), **changes}


def test_an_order_is_read_with_its_lines_address_money_and_the_time_it_was_placed() -> None:
    orders, _ = read(SAMPLE)
    o = orders["7101"]
    assert [(ln.sku, ln.qty, ln.unit_price, ln.name, ln.external_line_id) for ln in o.lines] == [
        ("BOTTLE-500-BL", 2, Decimal("24.50"), "Insulated bottle 500ml - Blue", "71011"),
        ("LID-BAMBOO", 1, Decimal("6.00"), "Bamboo lid", "71012"),
    ]
    assert (o.currency, o.total, o.email, o.note) == (
        "CNY",
        Decimal("60.00"),
        "wang.li@example.com",
        "请放在门卫处",
    )
    a = o.address
    assert (a.name, a.street, a.city, a.province, a.postal_code, a.country, a.phone) == (
        "王丽",  # family name first
        "徐汇区漕溪北路88号圣爱大厦1203室",
        "上海市",
        "SH",
        "200030",
        "CN",
        "+86 138 0013 8000",
    )
    # date_created_gmt is UTC; the shop's own time would be read in the station's zone
    assert o.placed_at == datetime(2026, 11, 20, 2, 15, tzinfo=UTC)
    assert o.row == o.last_row == 1


def test_the_list_is_found_from_its_content_even_without_the_json_suffix(tmp_path: Path) -> None:
    path = tmp_path / "orders.txt"
    path.write_bytes(b"\xef\xbb\xbf\n  " + SAMPLE.read_bytes())
    orders, _ = read(path)
    assert len(orders) == 13


def test_statuses_mean_what_woocommerce_means_by_them() -> None:
    orders, problems = read(SAMPLE)
    assert orders["7101"].payment_status == "paid"  # processing: paid, to ship
    assert orders["7108"].payment_status == "pending"  # on-hold: waiting for a bank transfer
    assert orders["7104"].cancelled and orders["7114"].cancelled  # cancelled, failed
    assert orders["7111"].payment_status == "refunded"
    assert "7110" not in orders  # completed: shipped already
    skipped = [(p.order, p.template) for p in problems if p.kind == ProblemKind.SKIPPED]
    assert skipped == [("7110", FULFILLED)]
    assert orders["7108"].channel_status == "on-hold"


def test_cash_on_delivery_is_processing_in_woocommerce_but_read_as_to_be_collected() -> None:
    orders, _ = read(SAMPLE)
    cod = orders["7102"]
    assert (cod.payment_method, cod.payment_status) == ("Kapıda Ödeme", "pending")
    assert matches_any(cod.payment_method, COD_METHODS)
    assert orders["7106"].payment_method == "Cash on delivery"


def test_the_cod_gateway_under_a_title_of_the_shops_own_is_still_cash_on_delivery(
    tmp_path: Path,
) -> None:
    o = order(2, payment_method_title="Pay the courier")
    orders, _ = read(write(tmp_path / "o.json", [o]))
    rec = orders["7102"]
    assert rec.payment_method == "Pay the courier (cod)"
    assert matches_any(rec.payment_method, COD_METHODS) and rec.payment_status == "pending"


def test_pickup_is_read_from_the_shipping_method_id_when_the_title_does_not_say_so() -> None:
    orders, _ = read(SAMPLE)
    assert orders["7106"].shipping_method == "Local pickup"
    assert orders["7109"].shipping_method == "门店取货 (local pickup)"
    for ext in ("7106", "7109"):
        assert matches_any(orders[ext].shipping_method, PICKUP_PATTERNS)
    assert not matches_any(orders["7101"].shipping_method, PICKUP_PATTERNS)


def test_lines_without_a_sku_are_kept_for_a_reviewer() -> None:
    orders, problems = read(SAMPLE)
    assert [(ln.sku, ln.qty) for ln in orders["7103"].lines] == [("", 1), ("", 2)]
    assert not [p for p in problems if p.order == "7103"]


def test_the_variation_id_or_else_the_product_id_is_the_listing_of_a_line() -> None:
    orders, _ = read(SAMPLE)
    assert [ln.listing_id for ln in orders["7101"].lines] == ["36", "40"]
    six = orders["7107"].lines[0]
    assert (six.sku, six.name, six.listing_id) == (
        "TEE-6PK",
        "Cotton tee 6-pack - White / L",
        "4711",
    )


def test_an_order_with_refunds_not_refunded_in_full_is_partly_refunded() -> None:
    orders, _ = read(SAMPLE)
    assert orders["7105"].payment_status == "partially_refunded"
    # the order object does not say which items: the quantities stay as ordered for the reviewer
    assert [(ln.sku, ln.qty) for ln in orders["7105"].lines] == [("TEE-BLK-M", 3), ("CAP-RED", 1)]


def test_postal_codes_are_kept_as_written_placeholders_and_streets_included() -> None:
    orders, _ = read(SAMPLE)
    codes = {ext: orders[ext].address.postal_code for ext in ("7105", "7106", "7107", "7108")}
    assert codes == {"7105": "-", "7106": "0", "7107": "N/A", "7108": "无"}
    assert orders["7112"].address.postal_code == "Calle de Alcalá 45, 3º izq"
    assert {orders[e].address.country for e in orders} >= {"CN", "TR", "ES", "ZA", "AR", "EG", "BD"}


def test_the_billing_address_is_used_when_no_shipping_address_was_given(tmp_path: Path) -> None:
    o = order(1)
    o["shipping"] = {k: "" for k in o["shipping"]}
    orders, _ = read(write(tmp_path / "o.json", [o]))
    a = orders["7101"].address
    assert (a.street, a.country, a.phone) == (
        "徐汇区漕溪北路88号圣爱大厦1203室",
        "CN",
        "+86 138 0013 8000",
    )


def test_the_shops_own_time_is_read_in_the_stations_zone_without_the_gmt_one(
    tmp_path: Path,
) -> None:
    o = order(1)
    del o["date_created_gmt"]
    orders, _ = read(write(tmp_path / "o.json", [o]))
    assert orders["7101"].placed_at == datetime(2026, 11, 20, 2, 15, tzinfo=UTC)


def test_pages_saved_one_after_the_other_and_an_orders_object_are_read_and_overlaps_noted(
    tmp_path: Path,
) -> None:
    page1 = [order(1), order(2)]
    page2 = [order(2), order(3)]  # an order came in between the two downloads
    text = json.dumps(page1) + "\n" + json.dumps(page2) + json.dumps({"orders": [order(5)]})
    orders, problems = read(write(tmp_path / "pages.json", text))
    assert sorted(orders) == ["7101", "7102", "7103", "7105"]
    assert [(p.row, p.kind, p.order) for p in problems] == [(3, ProblemKind.WARNING, "7102")]
    assert problems[0].reason == (
        "Order 7102 is in the file again (first as order 2: pages downloaded while orders came "
        "in overlap); the first copy was read."
    )


def test_entries_that_are_not_orders_are_reported_by_their_position(tmp_path: Path) -> None:
    nameless = order(3)
    del nameless["number"], nameless["id"]
    orders, problems = read(write(tmp_path / "o.json", [order(1), "oops", nameless]))
    assert list(orders) == ["7101"]
    assert [(p.row, p.kind, p.reason) for p in problems] == [
        (
            2,
            ProblemKind.REJECTED,
            "Entry 2 of the file is not an order (it is 'oops'); it was left out.",
        ),
        (3, ProblemKind.REJECTED, "Order 3 of the file has no number and no id; it was left out."),
    ]


def test_progress_counts_orders(tmp_path: Path) -> None:
    with open_source(SAMPLE, local=SHANGHAI) as src:
        assert src.total_rows == 14
        seen = []
        for _ in src.items:
            seen.append(src.row)
        assert seen[-1] == 14 and src.row == 14


def test_a_file_cut_short_is_refused_saying_where_and_what_to_do(tmp_path: Path) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    path = write(tmp_path / "cut.json", text[: len(text) // 2])
    with pytest.raises(MalformedJson) as err:
        open_source(path, local=SHANGHAI)
    assert err.value.message.startswith("The file cut.json is not valid JSON (line ")
    assert "download the orders again and import the new file" in err.value.message


def test_the_shops_error_answer_is_shown_instead_of_orders(tmp_path: Path) -> None:
    answer = {
        "code": "woocommerce_rest_cannot_view",
        "message": "Sorry, you cannot list resources.",
        "data": {"status": 401},
    }
    with pytest.raises(ShopAnswered) as err:
        open_source(write(tmp_path / "o.json", answer), local=SHANGHAI)
    assert err.value.message == (
        "The file o.json holds the shop's answer instead of orders: woocommerce_rest_cannot_view: "
        "Sorry, you cannot list resources.. Check the API key and the shop's address, then "
        "download the orders again."
    )
    with pytest.raises(NotAnOrderList) as other:
        open_source(write(tmp_path / "p.json", {"products": []}), local=SHANGHAI)
    assert "it holds an object with the keys products" in other.value.message


def test_a_csv_file_given_as_the_json_format_is_refused_plainly() -> None:
    with pytest.raises(MalformedJson):
        open_source(DATA / "shopify_orders_export.csv", "woocommerce_rest", local=SHANGHAI)


def test_the_preview_shows_one_order_a_row() -> None:
    p = preview(SAMPLE, rows=3)
    assert p.detected_format == "woocommerce_rest" and p.encoding == "utf-8"
    assert p.headers[:3] == ["number", "status", "date_created"]
    assert p.rows[0][:2] == ["7101", "processing"]
    assert p.rows[0][-1] == "BOTTLE-500-BL × 2; LID-BAMBOO × 1"
    assert len(p.rows) == 3
