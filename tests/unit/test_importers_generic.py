"""Generic CSV and Excel files read through a column mapping; Chinese platform exports."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook

from app.importers.errors import NoMapping, ProfileColumnsMissing, UnknownSheet
from app.importers.generic import Mapping, guess, read_status
from app.importers.records import OrderRecord, RowProblem
from app.importers.sources import open_source, preview
from app.importers.values import (
    BadValue,
    country_code,
    parse_datetime,
    parse_money,
    parse_qty,
    split_cn_address,
)

DATA = Path(__file__).resolve().parents[1] / "data"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def read(
    path: Path, mapping: Mapping | None = None, fmt: str | None = None
) -> tuple[dict[str, OrderRecord], list[RowProblem]]:
    orders: dict[str, OrderRecord] = {}
    problems: list[RowProblem] = []
    with open_source(path, fmt, mapping=mapping, local=SHANGHAI) as src:
        for item in src.items:
            if isinstance(item, OrderRecord):
                orders[item.external_id] = item
            else:
                problems.append(item)
    return orders, problems


def test_a_gb18030_taobao_export_is_detected_and_read_with_its_chinese_headers() -> None:
    with open_source(DATA / "taobao_orders_gb18030.csv", "csv", local=SHANGHAI) as src:
        assert (src.encoding, src.encoding_how, src.guessed) == ("gb18030", "detected", True)
        assert src.mapping is not None
        assert src.mapping.columns["order_id"] == "订单编号"
        assert src.mapping.columns["full_address"] == "收货地址"
    orders, problems = read(DATA / "taobao_orders_gb18030.csv", fmt="csv")
    assert problems == []
    o = orders["3876543210987654"]
    a = o.address
    assert (a.name, a.phone, a.country) == ("张三丰", "13812345678", "CN")
    assert (a.province, a.city, a.district) == ("浙江省", "杭州市", "西湖区")
    assert a.street == "文三路90号东部软件园3号楼502室"
    assert [(ln.sku, ln.qty) for ln in o.lines] == [("BOTTLE-500-BL", 2)]
    assert o.total == Decimal("118.00") and o.payment_status == "paid"
    assert o.placed_at == datetime(2026, 11, 21, 2, 20, 30, tzinfo=UTC)
    assert o.note == "请尽快发货"
    two = orders["3876543210987655"]
    assert [(ln.sku, ln.qty) for ln in two.lines] == [("BOTTLE-500-BL", 1), ("LID-BAMBOO", 1)]
    assert orders["3876543210987656"].payment_status == "pending"


def test_the_utf8_and_the_gb18030_file_give_the_same_orders() -> None:
    assert read(DATA / "taobao_orders_utf8.csv", fmt="csv") == read(
        DATA / "taobao_orders_gb18030.csv", fmt="csv"
    )


def test_a_saved_mapping_reads_a_file_with_a_row_per_item(tmp_path: Path) -> None:
    path = tmp_path / "erp.csv"
    path.write_text(
        "Order No;Item;Count;Recipient;Tel;Country;State;Town;Address;ZIP\n"
        "A-1;SKU-1;2;Ann Lee;+1 617 555 0100;US;MA;Boston;1 Main St;'02108\n"
        "A-1;SKU-2;1;Ann Lee;+1 617 555 0100;US;MA;Boston;1 Main St;'02108\n"
        "A-2;SKU-1;0;Bo Chen;13812345678;;;;;\n",
        encoding="utf-8",
    )
    m = Mapping(
        columns={
            "order_id": "Order No",
            "sku": "Item",
            "qty": "Count",
            "customer_name": "Recipient",
            "phone": "Tel",
            "country": "Country",
            "province": "State",
            "city": "Town",
            "street": "Address",
            "postal_code": "ZIP",
        },
        default_country="CN",
    )
    orders, problems = read(path, m)
    assert problems == []
    assert [(ln.row, ln.sku, ln.qty) for ln in orders["A-1"].lines] == [
        (2, "SKU-1", 2),
        (3, "SKU-2", 1),
    ]
    assert orders["A-1"].address.postal_code == "02108"
    # zero quantities are read; the checks hold the order
    assert orders["A-2"].lines[0].qty == 0
    assert orders["A-2"].address.country == "CN"


def test_an_excel_workbook_is_read_in_read_only_mode_with_numbers_as_text(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "订单"
    ws.append(["订单编号", "商家编码", "数量", "收货人", "手机", "省", "市", "区", "详细地址"])
    ws.append(["TB-1", "SKU-1", 2, "张三", 13812345678, "浙江省", "杭州市", "西湖区", "文三路1号"])
    ws.append([])
    ws.append(
        ["TB-2", "SKU-2", 1.0, "李四", "13998765432", "广东省", "深圳市", "南山区", "科技路1号"]
    )
    path = tmp_path / "orders.xlsx"
    wb.save(path)
    orders, problems = read(path)
    assert problems == []
    assert orders["TB-1"].address.phone == "13812345678"
    assert orders["TB-2"].row == 4  # the blank row keeps its number
    assert orders["TB-2"].lines[0].qty == 1
    with open_source(path) as src:
        assert src.format == "xlsx"


def test_the_sheet_of_a_profile_must_exist(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.append(["id"])
    path = tmp_path / "one.xlsx"
    wb.save(path)
    with pytest.raises(UnknownSheet) as err:
        open_source(path, mapping=Mapping(columns={"order_id": "id", "items": "id"}, sheet="X"))
    assert "Sheet" in err.value.message


def test_a_profile_naming_columns_the_file_lacks_says_which() -> None:
    m = Mapping(columns={"order_id": "订单编号", "sku": "SKU", "qty": "件数"})
    with pytest.raises(ProfileColumnsMissing) as err:
        read(DATA / "taobao_orders_utf8.csv", m)
    assert "SKU, 件数" in err.value.message


def test_a_file_whose_columns_cannot_be_guessed_asks_for_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("foo,bar\n1,2\n", encoding="utf-8")
    with pytest.raises(NoMapping) as err:
        read(path)
    assert "Order id" in err.value.message


def test_the_mapping_preview_shows_the_first_rows_and_a_guess() -> None:
    p = preview(DATA / "taobao_orders_gb18030.csv", rows=2)
    assert p.encoding == "gb18030" and p.headers[0] == "订单编号"
    assert len(p.rows) == 2 and p.rows[0][0] == "3876543210987654"
    assert p.guessed["phone"] == "联系手机"
    assert preview(DATA / "shopify_orders_export.csv").detected_format == "shopify"


def test_a_mapping_survives_being_saved_as_json() -> None:
    m = Mapping(columns={"order_id": "A", "items": "B", "bogus": "C"}, delimiter=";")
    again = Mapping.from_json(m.to_json())
    assert again.columns == {"order_id": "A", "items": "B"}
    assert again.delimiter == ";" and again.default_country == "CN"


def test_guessing_uses_english_and_chinese_header_words() -> None:
    assert guess(["Order ID", "SKU", "Qty", "Zip"]) == {
        "order_id": "Order ID",
        "sku": "SKU",
        "qty": "Qty",
        "postal_code": "Zip",
    }
    assert guess(["买家实付金额", "订单编号"]) == {"order_id": "订单编号", "total": "买家实付金额"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("买家已付款，等待卖家发货", ("paid", False, False)),
        ("等待买家付款", ("pending", False, False)),
        ("交易关闭", ("pending", True, False)),
        ("交易成功", ("paid", False, True)),
        ("部分退款", ("partially_refunded", False, False)),
        ("", ("paid", False, False)),
    ],
)
def test_status_words_of_chinese_platforms_are_understood(
    text: str, expected: tuple[str, bool, bool]
) -> None:
    assert read_status(text) == expected


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("浙江省 杭州市 西湖区 文三路90号", ("浙江省", "杭州市", "西湖区", "文三路90号")),
        ("广东省深圳市南山区科技园南路15号", ("广东省", "深圳市", "南山区", "科技园南路15号")),
        ("北京朝阳区建国路88号", ("北京市", "北京市", "朝阳区", "建国路88号")),
        (
            "湖北省恩施土家族苗族自治州恩施市舞阳大道1号",
            ("湖北省", "恩施土家族苗族自治州", "恩施市", "舞阳大道1号"),
        ),
        ("文三路90号", ("", "", "", "文三路90号")),
    ],
)
def test_a_chinese_address_in_one_column_is_split_into_its_parts(
    text: str, parts: tuple[str, str, str, str]
) -> None:
    assert split_cn_address(text) == parts


def test_cell_values_are_read_strictly_where_it_matters() -> None:
    assert parse_qty("2") == 2 and parse_qty("2.0") == 2 and parse_qty("-1") == -1
    for bad in ("1.5", "two", ""):
        with pytest.raises(BadValue):
            parse_qty(bad)
    assert parse_money("¥1,299.9") == Decimal("1299.90")
    assert parse_money("59.90元") == Decimal("59.90")
    assert country_code("中国") == "CN" and country_code("us") == "US"
    assert country_code("Narnia") == ""
    assert parse_datetime("9/6/2016 6:29:00", UTC) == datetime(2016, 9, 6, 6, 29, tzinfo=UTC)
    assert parse_datetime("2026年11月21日 10:20", SHANGHAI).hour == 2
