"""A carrier's sorting-code file (大头笔 / 集包地) is read from CSV or XLSX, English or Chinese
headers, and each bad row is rejected with its spreadsheet row number and reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from app.importers import sorting_code_file
from app.importers.sorting_code_file import NotASortingFile

CHINESE = (
    "国家,省,市,区,邮编前缀,大头笔,集包地\n"
    "CN,广东省,深圳市,南山区,,755-A01,深圳集包\n"
    "ｃｎ,广东,,,,700-GD,广州集包\n"
    ",,,,518,755-P,深圳集包\n"
    "CN,广东省,,,,700-XX,重复\n"
    "CN,浙江省,杭州市,,,,杭州集包\n"
    "CN,,,,,571-ZJ,\n"
    ",,,,,999-ANY,\n"
    "中国,,,,51-8,755-BAD,\n"
    "Chinaa,,,,,1,\n"
)


def test_a_csv_with_chinese_headers_loads_its_good_rows_and_names_the_bad_ones(
    tmp_path: Path,
) -> None:
    path = tmp_path / "sto.csv"
    path.write_text(CHINESE, encoding="utf-8")
    parsed = sorting_code_file.read(path)
    assert [(r.row, r.country, r.province, r.code, r.hub) for r in parsed.rows] == [
        (2, "CN", "广东省", "755-A01", "深圳集包"),
        (3, "CN", "广东", "700-GD", "广州集包"),
        (4, "", "", "755-P", "深圳集包"),
        (7, "CN", "", "571-ZJ", ""),
        (9, "CN", "", "755-BAD", ""),
    ]
    assert parsed.rows[4].postal_prefix == "518"  # "51-8": dashes dropped
    assert [(p.row, p.reason) for p in parsed.problems] == [
        (5, "The same destination is given on row 3. Keep one of the two rows."),
        (6, "The row has no sorting code (大头笔). Write the code or delete the row."),
        (
            8,
            "The row gives no destination: write at least a country, province, city, district "
            "or postal-code prefix.",
        ),
        (10, "The country Chinaa is not a two-letter code such as CN."),
    ]


def test_an_xlsx_with_english_headers_in_another_order_loads(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Code", "Hub", "Province", "City", "Country"])
    ws.append(["021-SH", "上海集包", "上海", "上海市", "CN"])
    ws.append([100, None, "Ｂｅｉｊｉｎｇ", None, "CN"])
    path = tmp_path / "zto.xlsx"
    wb.save(path)
    parsed = sorting_code_file.read(path)
    assert parsed.problems == []
    assert [(r.province, r.city, r.code, r.hub) for r in parsed.rows] == [
        ("上海", "上海市", "021-SH", "上海集包"),
        ("Beijing", "", "100", ""),
    ]


def test_a_file_without_a_code_column_is_refused_as_a_whole(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text("省,市\n广东,深圳\n", encoding="utf-8")
    with pytest.raises(NotASortingFile, match="no sorting-code column"):
        sorting_code_file.read(path)
