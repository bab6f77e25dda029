"""Reading files: encodings, malformed and empty files (one clear error), big files streamed."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app.domain.errors import ImportFileError
from app.importers import encoding
from app.importers.errors import (
    BadEncodingLine,
    CannotOpen,
    EmptyFile,
    NotText,
    NotXlsx,
    UnknownEncoding,
)
from app.importers.records import OrderRecord, ProblemKind, RowProblem
from app.importers.sources import open_source
from tests.data.make_samples import SHOPIFY_HEADER

DATA = Path(__file__).resolve().parents[1] / "data"
UTC = ZoneInfo("UTC")


def test_utf8_with_and_without_bom_and_gb18030_are_told_apart() -> None:
    assert encoding.detect(DATA / "shopify_orders_export.csv").encoding == "utf-8"
    bom = encoding.detect(DATA / "shopify_orders_export_bom.csv")
    assert (bom.encoding, bom.how) == ("utf-8-sig", "BOM")
    assert encoding.detect(DATA / "taobao_orders_gb18030.csv").encoding == "gb18030"


def test_western_text_is_not_taken_for_chinese_and_can_be_chosen(tmp_path: Path) -> None:
    path = tmp_path / "cp1252.csv"
    path.write_bytes("Name,City\nRené Müller,Zürich\nJosé Núñez,Málaga\n".encode("cp1252"))
    with pytest.raises(NotText) as err:
        encoding.detect(path)
    assert "cp1252.csv" in err.value.message and "Choose its encoding" in err.value.message
    chosen = encoding.check(path, "cp1252")
    assert (chosen.encoding, chosen.how) == ("cp1252", "chosen")


def test_a_wrongly_chosen_encoding_names_the_first_bad_line() -> None:
    with pytest.raises(BadEncodingLine) as err:
        encoding.check(DATA / "taobao_orders_gb18030.csv", "utf-8")
    assert err.value.message.startswith("Line 1 of taobao_orders_gb18030.csv is not valid utf-8")


def test_an_unknown_encoding_name_is_refused_plainly() -> None:
    with pytest.raises(UnknownEncoding, match=r"klingon is not an encoding"):
        encoding.check(DATA / "shopify_orders_export.csv", "klingon")


@pytest.mark.parametrize(
    ("name", "error", "words"),
    [
        ("binary.csv", NotText, "neither UTF-8 nor GB18030"),
        ("not_really.xlsx", NotXlsx, "is not an Excel workbook"),
        ("missing.csv", CannotOpen, "cannot be opened"),
    ],
)
def test_a_file_that_cannot_be_read_gives_one_clear_error(
    name: str, error: type[ImportFileError], words: str
) -> None:
    with pytest.raises(error) as err:
        open_source(DATA / name)
    assert words in err.value.message and name in err.value.message


def test_an_empty_file_says_it_is_empty(tmp_path: Path) -> None:
    for content in (b"", b"\n\n"):
        path = tmp_path / "empty.csv"
        path.write_bytes(content)
        with pytest.raises(EmptyFile, match=r"empty\.csv is empty"):
            open_source(path)


def test_a_file_with_only_a_header_holds_no_orders_and_no_problems(tmp_path: Path) -> None:
    path = tmp_path / "header.csv"
    path.write_text(",".join(SHOPIFY_HEADER) + "\n", encoding="utf-8")
    with open_source(path) as src:
        assert list(src.items) == []


def test_a_quote_left_open_stops_reading_there_with_the_row_named() -> None:
    with open_source(DATA / "shopify_unclosed_quote.csv", local=UTC) as src:
        items = list(src.items)
    orders = [i for i in items if isinstance(i, OrderRecord)]
    problems = [i for i in items if isinstance(i, RowProblem)]
    assert [o.external_id for o in orders] == ["#1001"]
    assert len(orders[0].lines) == 2
    assert [(p.row, p.kind) for p in problems] == [(4, ProblemKind.REJECTED)]
    assert "not valid CSV" in problems[0].reason


def _big_file(path: Path, orders: int) -> int:
    """A Shopify-shaped file of ``orders`` orders of two lines each, written fast."""
    idx = {h: i for i, h in enumerate(SHOPIFY_HEADER)}
    lines = [",".join(SHOPIFY_HEADER)]
    for i in range(orders):
        first = [""] * len(SHOPIFY_HEADER)
        for k, v in {
            "Name": f"#{i}",
            "Financial Status": "paid",
            "Created at": "2026-11-20 09:15:02 -0500",
            "Lineitem quantity": "1",
            "Lineitem name": "Mug",
            "Lineitem sku": "MUG-1",
            "Shipping Zip": "'02108",
        }.items():
            first[idx[k]] = v
        second = [""] * len(SHOPIFY_HEADER)
        for k, v in {"Name": f"#{i}", "Lineitem quantity": "2", "Lineitem sku": "LID-1"}.items():
            second[idx[k]] = v
        lines += [",".join(first), ",".join(second)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines) - 1


def test_a_100000_line_file_is_read_as_a_stream(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    assert _big_file(path, 50_000) == 100_000
    with open_source(path, local=UTC) as src:
        assert src.total_rows >= 100_000
        first = [next(src.items) for _ in range(10)]
        # ten orders read: the reader is twenty rows in, not at the end of the file
        assert src.row < 100
        assert all(isinstance(o, OrderRecord) and len(o.lines) == 2 for o in first)
        rest = sum(1 for _ in src.items)
        assert rest == 50_000 - 10
        assert src.row == 100_001
