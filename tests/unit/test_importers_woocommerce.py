"""WooCommerce exports (WebToffee's "Order Export & Order Import for WooCommerce" layout)."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app.importers.errors import MissingColumns
from app.importers.records import OrderRecord, ProblemKind, RowProblem
from app.importers.sources import open_source
from app.importers.woocommerce import item_fields
from tests.data.make_samples import WOO_HEADER, woo_row
from tests.import_helpers import read_orders

DATA = Path(__file__).resolve().parents[1] / "data"
PARIS = ZoneInfo("Europe/Paris")


def read(path: Path) -> tuple[dict[str, OrderRecord], list[RowProblem]]:
    return read_orders(path, local=PARIS, expect="woocommerce")


def test_items_come_from_the_line_item_columns_with_unit_prices_from_their_totals() -> None:
    orders, _ = read(DATA / "woocommerce_orders.csv")
    o = orders["5123"]
    assert [(ln.sku, ln.qty, ln.unit_price, ln.external_line_id) for ln in o.lines] == [
        ("HOODIE-BL-L", 2, Decimal("30.00"), "41"),
        ("BEANIE", 1, Decimal("18.00"), "42"),
    ]
    assert o.total == Decimal("78.00") and o.currency == "EUR"
    assert o.lines[0].name == "Hoodie - Blue, L"
    assert (o.address.name, o.address.postal_code, o.address.country) == (
        "Marie Curie",
        "75005",
        "FR",
    )
    assert o.email == "marie@example.com"


def test_the_site_time_without_a_zone_is_read_in_the_stations_zone() -> None:
    orders, _ = read(DATA / "woocommerce_orders.csv")
    assert orders["5123"].placed_at is not None
    assert orders["5123"].placed_at.isoformat() == "2026-11-19T13:03:27+00:00"


def test_woocommerce_statuses_become_payment_cancelled_and_fulfilled() -> None:
    orders, problems = read(DATA / "woocommerce_orders.csv")
    assert orders["5123"].payment_status == "paid"
    assert orders["5124"].payment_status == "pending"  # on-hold: awaiting payment
    assert orders["5126"].cancelled
    assert orders["5127"].payment_status == "paid"  # wc-processing
    assert "5125" not in orders  # completed: shipped already
    assert [(p.order, p.kind) for p in problems] == [("5125", ProblemKind.SKIPPED)]


def test_a_pipe_inside_an_item_name_stays_in_the_name() -> None:
    orders, _ = read(DATA / "woocommerce_orders.csv")
    assert orders["5127"].lines[0].name == "Cap | limited"
    assert orders["5127"].lines[0].sku == "CAP-LTD"
    assert orders["5127"].address.phone == "+49 551 39 7000"


def test_item_fields_are_read_by_key_whatever_their_order() -> None:
    assert item_fields("sku:A-1|quantity:3|name:Tea|total:9.00") == {
        "sku": "A-1",
        "quantity": "3",
        "name": "Tea",
        "total": "9.00",
    }


def test_an_order_repeated_on_consecutive_rows_is_one_order(tmp_path: Path) -> None:
    rows = [
        woo_row(
            order_id="7001", status="processing", line_item_1="name:A|sku:A|quantity:1|total:5"
        ),
        woo_row(
            order_id="7001", status="processing", line_item_1="name:B|sku:B|quantity:2|total:8"
        ),
    ]
    path = tmp_path / "per_item.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([WOO_HEADER, *rows])
    orders, problems = read(path)
    assert problems == []
    assert [(ln.row, ln.sku, ln.qty) for ln in orders["7001"].lines] == [(2, "A", 1), (3, "B", 2)]
    assert orders["7001"].lines[1].unit_price == Decimal("4.00")


def test_an_item_without_a_quantity_leaves_its_order_out(tmp_path: Path) -> None:
    path = tmp_path / "noqty.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(
            [WOO_HEADER, woo_row(order_id="7002", status="processing", line_item_1="name:A|sku:A")]
        )
    orders, problems = read(path)
    assert orders == {}
    assert problems[0].row == 2 and problems[0].reason == (
        "The quantity is empty; order 7002 was left out."
    )


def test_a_file_without_item_columns_is_not_taken_for_woocommerce(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text("order_id,status\n1,processing\n", encoding="utf-8")
    with pytest.raises(MissingColumns) as err:
        open_source(path, "woocommerce")
    assert "line_item_1" in err.value.message
