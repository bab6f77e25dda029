"""Carrier status files read from real CSV (GB18030, UTF-8 with a BOM) and XLSX files written by
tests/data/make_tracking_status_samples.py: columns found from Chinese or English headers or a
saved mapping, row-numbered problems for the bad rows, the rest kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from app.domain.delivery import DeliveryStatus
from app.importers.errors import NoMapping, ProfileColumnsMissing
from app.importers.tracking_status_file import StatusMapping, read

DATA = Path(__file__).resolve().parents[1] / "data"
CN = DATA / "tracking_status_cn_gb18030.csv"
EN = DATA / "tracking_status_en.xlsx"
DETAIL = DATA / "tracking_status_detail.csv"
SHANGHAI = timezone(timedelta(hours=8))
D = DeliveryStatus


def test_a_gb18030_file_with_chinese_headers_is_read_with_its_columns_found() -> None:
    rows, _, mapping = read(CN, local=SHANGHAI)
    assert mapping.columns == {
        "tracking": "运单号",
        "status": "物流状态",
        "time": "扫描时间",
        "place": "所在城市",
        "detail": "物流信息",
    }
    pd1 = [
        (r.row, r.status, r.raw_status, r.place) for r in rows if r.tracking_number.endswith("1")
    ]
    assert pd1 == [
        (2, D.IN_TRANSIT, "已揽收", "杭州市"),
        (4, D.IN_TRANSIT, "运输中", "杭州市"),
        (6, D.OUT_FOR_DELIVERY, "派送中", "上海市"),
        (7, D.OUT_FOR_DELIVERY, "派送中", "上海市"),
        (8, D.DELIVERED, "已签收", "上海市"),
    ]
    # a time without a zone is the station's: 11:32 in Shanghai is 03:32 UTC
    assert rows[6].at == datetime(2026, 12, 2, 3, 32, tzinfo=UTC)
    assert [r.status for r in rows if r.tracking_number == "SF0000000002"][-1] == D.DAMAGED


def test_bad_rows_are_numbered_problems_and_the_other_rows_are_kept() -> None:
    rows, problems, _ = read(CN, local=SHANGHAI)
    assert [(p.row, p.template.split(" ")[1]) for p in problems] == [
        (11, "tracking"),
        (12, "time"),
        (13, "status"),
    ]
    assert "'昨天下午'" in problems[1].reason and "'哈哈'" in problems[2].reason
    assert len(rows) == 9 and max(r.row for r in rows) == 10


def test_an_excel_file_with_english_headers_and_date_cells_is_read() -> None:
    rows, problems, mapping = read(EN, local=UTC)
    assert problems == []
    assert mapping.columns["time"] == "Event Time" and mapping.columns["place"] == "Location"
    assert [(r.tracking_number, r.status, r.at) for r in rows][2] == (
        "SF0000000001",
        D.DELIVERED,
        datetime(2026, 12, 2, 11, 32, tzinfo=UTC),
    )
    assert rows[-1].status == D.RETURNED_TO_SENDER
    assert rows[-1].raw_status == "Return to sender: refused"


def test_without_a_status_column_the_status_is_read_from_the_description() -> None:
    rows, problems, mapping = read(DETAIL, local=SHANGHAI)
    assert problems == [] and "status" not in mapping.columns
    assert [(r.tracking_number, r.status) for r in rows] == [
        ("SF0000000001", D.DELIVERED),
        ("SF0000000002", D.IN_TRANSIT),
    ]
    assert rows[0].raw_status == "【上海市】已签收，签收人凭取货码签收"


def test_a_saved_mapping_names_the_columns_whatever_their_headers_say() -> None:
    mapping = StatusMapping(
        columns={"tracking": "运单号", "status": "物流信息", "time": "扫描时间"}
    )
    rows, problems, used = read(CN, mapping, local=SHANGHAI)
    assert used is mapping
    assert rows[0].raw_status == "顺丰速运 已收取快件" and rows[0].place == ""
    # row 13's description is empty: its status cell was not mapped, so nothing says what it is
    assert 13 in [p.row for p in problems]


def test_a_mapping_whose_columns_the_file_lacks_is_refused_before_any_row() -> None:
    with pytest.raises(ProfileColumnsMissing) as caught:
        read(
            CN,
            StatusMapping(
                columns={"tracking": "Waybill", "status": "物流状态", "time": "扫描时间"}
            ),
        )
    assert "Waybill" in str(caught.value)
    with pytest.raises(NoMapping):
        read(CN, StatusMapping(columns={"tracking": "运单号"}))


def test_a_mapping_survives_its_round_trip_through_the_settings() -> None:
    m = StatusMapping(columns={"tracking": "A", "status": "B", "time": "C", "junk": "D"}, sheet="S")
    back = StatusMapping.from_json(m.to_json())
    assert back.columns == {"tracking": "A", "status": "B", "time": "C"} and back.sheet == "S"
