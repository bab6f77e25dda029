"""Pool files: numbers one per row or as ranges, from CSV, TXT, XLSX or text, each number checked
against the carrier's format, every problem at its spreadsheet row."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from app.domain import tracking
from app.domain.errors import ImportFileError
from app.importers import tracking_file
from app.importers.tracking_file import TRACKING_FILE_MESSAGES, read


def _rows(problems: list[object]) -> list[tuple[int, str]]:
    return [(p.row, p.template) for p in problems]  # type: ignore[attr-defined]


def test_a_header_and_blank_rows_are_skipped_and_rows_keep_their_spreadsheet_numbers() -> None:
    parsed = read("运单号\nRR473124829CN\n\n  rr 4731 2483 2 cn \n", "UPU S10")
    assert parsed.numbers == [(2, "RR473124829CN"), (4, "RR473124832CN")]
    assert parsed.problems == []


def test_an_s10_range_counts_the_serials_and_computes_each_check_digit() -> None:
    parsed = read("RR473124829CN-RR473124850CN\n", "UPU S10")
    numbers = [n for _, n in parsed.numbers]
    assert numbers == [
        tracking.with_check_digit("UPU S10", f"RR{serial}CN")
        for serial in range(47312482, 47312486)
    ]
    assert all(tracking.check_tracking_number(n, "UPU S10").valid for n in numbers)
    assert {row for row, _ in parsed.numbers} == {1}


def test_a_range_in_two_cells_or_with_a_tilde_is_a_range_too() -> None:
    two_cells = read("start,end\n73100066666698,73100066666702\n", "ZTO")
    assert [n for _, n in two_cells.numbers] == [
        "73100066666698",
        "73100066666699",
        "73100066666700",
        "73100066666701",
        "73100066666702",
    ]
    tilde = read("SF0000000000098 ~ SF0000000000101\n", "SF")
    assert [n for _, n in tilde.numbers] == [
        "SF0000000000098",
        "SF0000000000099",
        "SF0000000000100",
        "SF0000000000101",
    ]


def test_a_fedex_range_recomputes_the_check_digit_of_every_number() -> None:
    parsed = read("986578788855,986578788888\n", "FedEx 12")
    assert parsed.problems == []  # both ends are valid FedEx numbers (986578788855 is published)
    numbers = [n for _, n in parsed.numbers]
    assert [n[:11] for n in numbers] == ["98657878885", "98657878886", "98657878887", "98657878888"]
    assert all(tracking.check_tracking_number(n, "FedEx 12").valid for n in numbers)


def test_an_invalid_number_is_a_problem_at_its_row_and_the_others_are_kept() -> None:
    parsed = read("RR473124829CN\nRR473124828CN\n1Z5R89390357567127\n", "UPU S10")
    assert parsed.numbers == [(1, "RR473124829CN")]
    assert _rows(parsed.problems) == [
        (2, tracking.TRACKING_MESSAGES["check_digit"]),
        (3, tracking.TRACKING_MESSAGES["other_format"]),
    ]


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("73100066666702,73100066666698", "range_order"),
        ("73100000000000-73110000000000", "range_size"),
    ],
)
def test_a_range_that_cannot_be_counted_is_refused_whole(line: str, key: str) -> None:
    parsed = read(line + "\n", "ZTO")
    assert parsed.numbers == []
    assert _rows(parsed.problems) == [(1, TRACKING_FILE_MESSAGES[key])]


def test_a_range_with_an_invalid_end_is_refused_with_that_ends_reason() -> None:
    parsed = read("RR473124829CN-RR473124851CN\n", "UPU S10")
    assert parsed.numbers == []
    assert _rows(parsed.problems) == [(1, tracking.TRACKING_MESSAGES["check_digit"])]


def test_the_ends_of_a_range_must_have_the_same_letters() -> None:
    parsed = read("RR473124829CN,RA473124850CN\n", "UPU S10")
    assert _rows(parsed.problems) == [(1, TRACKING_FILE_MESSAGES["range_shape"])]


def test_a_dashed_number_is_one_number_not_a_range() -> None:
    parsed = read("9400-1112-0620-6406-2607-87\n", "USPS IMpb")
    assert parsed.numbers == [(1, "9400111206206406260787")]


def test_an_xlsx_sheet_is_read_with_numbers_stored_as_numbers(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Tracking number"])
    ws.append([73100066666698])
    ws.append([None])
    ws.append(["73100066666699", "73100066666700"])
    path = tmp_path / "pool.xlsx"
    wb.save(path)
    parsed = read(path, "ZTO")
    assert parsed.name == "pool.xlsx"
    assert parsed.numbers == [
        (2, "73100066666698"),
        (4, "73100066666699"),
        (4, "73100066666700"),
    ]


def test_a_gb18030_csv_with_a_chinese_header_is_read(tmp_path: Path) -> None:
    path = tmp_path / "中通单号.csv"
    path.write_bytes("面单号,备注\n73100066666698,第一批\n".encode("gb18030"))
    parsed = read(path, "ZTO")
    assert parsed.numbers == [(2, "73100066666698")]


def test_a_txt_file_of_one_number_per_line_is_read(tmp_path: Path) -> None:
    path = tmp_path / "numbers.txt"
    path.write_text("SF1234567890123\r\nSF1234567890124\r\n", encoding="utf-8-sig")
    assert [n for _, n in read(path, "SF").numbers] == ["SF1234567890123", "SF1234567890124"]
    assert tracking_file.read(str(path), "SF").name == "numbers.txt"


def test_a_missing_file_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError):
        read(tmp_path / "gone.csv", "ZTO")


def test_a_file_that_is_not_a_workbook_cannot_be_read(tmp_path: Path) -> None:
    path = tmp_path / "pool.xlsx"
    path.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(ImportFileError):
        read(path, "ZTO")
