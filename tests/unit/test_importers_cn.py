"""The Chinese platforms' exports are recognised from their header and read trap by trap."""

from __future__ import annotations

import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app.importers.cn_platforms import detect, text
from app.importers.errors import TaobaoListMissing
from app.importers.records import (
    LINE_FULFILLED,
    TAOBAO_NO_ITEMS_FILE,
    OrderRecord,
    ProblemKind,
    RowProblem,
)
from app.importers.sources import preview
from tests.data import make_cn_samples as m
from tests.import_helpers import read_orders

DATA = Path(__file__).resolve().parents[1] / "data"
SH = ZoneInfo("Asia/Shanghai")


def read(path: Path, fmt: str | None = None) -> tuple[dict[str, OrderRecord], list[RowProblem]]:
    return read_orders(path, fmt, local=SH)


@pytest.mark.parametrize(
    ("header", "platform"),
    [
        (m.TAOBAO_HEADER, "taobao"),
        (m.TAOBAO_ITEMS_HEADER, "taobao_items"),
        (m.JD_HEADER, "jd"),
        (m.PDD_HEADER, "pinduoduo"),
        (m.DOUYIN_HEADER, "douyin"),
        (["订单编号", "买家会员名", "收货人姓名", "收货地址", "商品信息"], ""),
        (["Name", "Email", "Lineitem quantity"], ""),
    ],
)
def test_each_platform_is_recognised_from_its_header_row(header: list[str], platform: str) -> None:
    assert detect(header) == platform


@pytest.mark.parametrize(
    ("name", "fmt", "encoding"),
    [
        ("cn_taobao_orders.csv", "taobao", "gb18030"),
        ("cn_jd_orders.xlsx", "jd", ""),
        ("cn_pinduoduo_orders.csv", "pinduoduo", "utf-8-sig"),
        ("cn_douyin_orders.csv", "douyin", "utf-8-sig"),
    ],
)
def test_the_samples_are_found_by_format_and_encoding(name: str, fmt: str, encoding: str) -> None:
    p = preview(DATA / name)
    assert (p.detected_format, p.encoding) == (fmt, encoding)


def test_a_generic_taobao_like_file_stays_a_generic_file() -> None:
    assert preview(DATA / "taobao_orders_utf8.csv").detected_format == "csv"


def test_taobao_orders_take_their_skus_from_the_items_file_beside_the_list() -> None:
    records, problems = read(DATA / "cn_taobao_orders.csv")
    first = records["3876543210987601"]
    assert [(ln.sku, ln.qty) for ln in first.lines] == [("BOTTLE-500-BL", 2), ("LID-BAMBOO", 1)]
    assert first.address.province == "浙江省" and first.address.postal_code == "310012"
    assert records["3876543210987602"].lines[0].sku == ""
    assert records["3876543210987603"].payment_method == "货到付款"
    assert records["3876543210987604"].cancelled
    assert records["3876543210987607"].shipping_method == "自提"
    assert records["3876543210987608"].address.postal_code == ""  # (000000) is no postal code
    assert records["3876543210987609"].address.postal_code == "51805712345"
    assert records["3876543210987612"].payment_status == "pending"
    partial = records["3876543210987606"]
    assert [(ln.sku, ln.partly_fulfilled) for ln in partial.lines] == [("LID-BAMBOO", True)]
    assert any(p.template == LINE_FULFILLED and p.order == partial.external_id for p in problems)
    assert not any(p.kind == ProblemKind.REJECTED for p in problems)


def test_a_taobao_order_list_without_its_items_file_reads_the_titles_and_says_why(
    tmp_path: Path,
) -> None:
    shutil.copy(DATA / "cn_taobao_orders.csv", tmp_path / "ExportOrderList202611211020.csv")
    records, problems = read(tmp_path / "ExportOrderList202611211020.csv")
    first = records["3876543210987601"]
    assert [(ln.sku, ln.qty, ln.name) for ln in first.lines] == [("", 3, "保温杯500ml")]
    assert sum(p.template == TAOBAO_NO_ITEMS_FILE for p in problems) == len(records)


def test_a_taobao_items_file_is_imported_through_its_order_list(tmp_path: Path) -> None:
    shutil.copy(DATA / "cn_taobao_orders.csv", tmp_path / "ExportOrderList202611211020.csv")
    items = tmp_path / "ExportOrderDetailList202611211020.csv"
    shutil.copy(DATA / "cn_taobao_orders_detail.csv", items)
    records, _ = read(items)
    assert records["3876543210987601"].lines[1].sku == "LID-BAMBOO"
    (tmp_path / "ExportOrderList202611211020.csv").unlink()
    with pytest.raises(TaobaoListMissing):
        read(items)


def test_jd_pinduoduo_and_douyin_lines_carry_the_listing_id_and_six_packs_stay_one_unit() -> None:
    jd, _ = read(DATA / "cn_jd_orders.xlsx")
    pdd, _ = read(DATA / "cn_pinduoduo_orders.csv")
    dy, _ = read(DATA / "cn_douyin_orders.csv")
    six = (jd["290000000008"], pdd["261121-000000000000008"], dy["6917926768823640007"])
    assert [(r.lines[0].sku, r.lines[0].qty) for r in six] == [("WATER-500-6PK", 1)] * 3
    assert [r.lines[0].listing_id for r in six] == [
        "100099999906",
        "1160000000006",
        "3600000000000001",
    ]
    assert pdd["261121-000000000000007"].shipping_method == "门店自提"
    assert pdd["261121-000000000000011"].payment_status == "refunded"
    assert jd["290000000001"].total == 177 and len(jd["290000000001"].lines) == 2


def test_douyin_numbers_lose_the_tab_written_to_keep_them_whole_and_ciphertext_is_kept() -> None:
    dy, _ = read(DATA / "cn_douyin_orders.csv")
    first = dy["6917926768823640001"]
    assert first.lines[0].external_line_id == "69179267688236400011"
    assert first.address.name == "#Q7eRx0lUbmSg#"
    assert first.address.phone == "$MTM4MDAxMzgwMDB4eXo=$"
    assert first.total == 118


def test_a_file_that_lacks_a_platforms_columns_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    m.write_csv(path, [["订单号", "备注"], ["1", "x"]], "utf-8")
    with pytest.raises(Exception, match="Pinduoduo"):
        read(path, "pinduoduo")


def test_cells_written_to_keep_long_numbers_are_read_as_the_number() -> None:
    assert text('="3876543210987601"') == "3876543210987601"
    assert text("\t6917926768823640001") == "6917926768823640001"
    assert text("'0571") == "0571"
    assert text("-") == ""


def test_an_oaid_or_encryption_column_with_a_value_flags_the_recipient_as_protected(
    tmp_path: Path,
) -> None:
    header = [*m.TAOBAO_HEADER, "收货人oaid"]
    rows = [
        header,
        [*m.taobao_order("3876543210987701"), "1Qr7bSdLhPzKx9Tm0Aa2Bb3Cc4Dd5Ee"],
        [*m.taobao_order("3876543210987702"), ""],
    ]
    m.write_csv(tmp_path / "ExportOrderList1.csv", rows, "gb18030")
    records, _ = read(tmp_path / "ExportOrderList1.csv")
    assert records["3876543210987701"].recipient_protected
    assert not records["3876543210987702"].recipient_protected


#: per sample: (blank SKU, COD, cancelled, shipped, partly shipped, pickup, 6-pack, unpaid)
TRAPS = {
    "cn_taobao_orders.csv": (
        "3876543210987602", "3876543210987603", "3876543210987604", "3876543210987605",
        "3876543210987606", "3876543210987607", "3876543210987610", "3876543210987612",
    ),
    "cn_jd_orders.xlsx": (
        "290000000002", "290000000003", "290000000004", "290000000005",
        "290000000006", "290000000007", "290000000008", "290000000010",
    ),
    "cn_pinduoduo_orders.csv": (
        "261121-000000000000002", "261121-000000000000003", "261121-000000000000004",
        "261121-000000000000005", "261121-000000000000006", "261121-000000000000007",
        "261121-000000000000008", None,
    ),
    "cn_douyin_orders.csv": (
        "6917926768823640001", "6917926768823640002", "6917926768823640003",
        "6917926768823640004", "6917926768823640005", "6917926768823640006",
        "6917926768823640007", "6917926768823640008",
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(TRAPS))
def test_every_trap_of_each_platform_sample_is_read_right(name: str) -> None:
    blank, cod, cancelled, shipped, partly, pickup, six, unpaid = TRAPS[name]
    records, problems = read(DATA / name)
    assert "" in [ln.sku for ln in records[blank].lines]
    assert records[cod].payment_method == "货到付款" and records[cod].payment_status == "pending"
    assert records[cancelled].cancelled
    assert shipped not in records
    assert any(p.order == shipped and p.kind == ProblemKind.SKIPPED for p in problems)
    assert any(ln.partly_fulfilled for ln in records[partly].lines)
    assert "自提" in records[pickup].shipping_method
    assert [(ln.sku, ln.qty) for ln in records[six].lines] == [("WATER-500-6PK", 1)]
    if unpaid is not None:
        assert records[unpaid].payment_status == "pending"
        assert "货到付款" not in records[unpaid].payment_method
    assert not any(p.kind == ProblemKind.REJECTED for p in problems)
