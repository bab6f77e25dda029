"""Carrier status files (CSV or XLSX) -> tracking events with their row numbers, and row problems.

Not to be confused with ``tracking_file`` (the pools of numbers carriers hand out ahead of time):
these files come back from the carrier, or from a tracking aggregator's batch query (批量查询),
and say where each parcel is. One row per event: the tracking number, its status, when, and
optionally where; a file with only each parcel's latest status is the same with one row each.

Columns are found through a mapping (saved by name in the settings, like the order files'
column profiles): without one, the header words are guessed in English or Chinese
(运单号, 物流状态, 时间, 地点...). A status column that is empty or not understood is read from
the description column when there is one ("【杭州市】已签收，签收人凭取货码签收").

Rows without a number, with a time that cannot be read, or with status words that mean nothing
known are row problems (the row as a spreadsheet numbers it); the other rows are kept. No
database here: matching numbers to parcels is the service's work.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from app.domain import tracking
from app.domain.delivery import DeliveryStatus, read_status
from app.importers.errors import MalformedCsv, NoMapping, ProfileColumnsMissing
from app.importers.generic import Field, guess
from app.importers.records import QT_TRANSLATE_NOOP as T
from app.importers.records import RowProblem
from app.importers.sources import local_zone, open_table
from app.importers.tabular import Columns, CsvError, Table, cell
from app.importers.values import BadValue, parse_datetime

FIELDS: tuple[Field, ...] = (
    Field(
        "tracking",
        T("ImportField", "Tracking number"),
        (
            "tracking number",
            "tracking no",
            "tracking",
            "tracking_number",
            "waybill",
            "waybill no",
            "awb",
            "运单号",
            "快递单号",
            "物流单号",
            "运单编号",
            "邮件号",
            "单号",
        ),
    ),
    Field(
        "status",
        T("ImportField", "Status"),
        (
            "status",
            "tracking status",
            "event",
            "物流状态",
            "快递状态",
            "运单状态",
            "签收状态",
            "状态",
        ),
    ),
    Field(
        "time",
        T("ImportField", "Time"),
        (
            "time",
            "event time",
            "scan time",
            "date",
            "timestamp",
            "时间",
            "扫描时间",
            "操作时间",
            "物流时间",
            "签收时间",
            "更新时间",
            "最新时间",
        ),
    ),
    Field(
        "place",
        T("ImportField", "Place"),
        ("place", "location", "city", "地点", "所在地", "扫描网点", "网点", "当前城市", "城市"),
    ),
    Field(
        "detail",
        T("ImportField", "Description"),
        (
            "description",
            "details",
            "detail",
            "物流信息",
            "最新物流信息",
            "物流详情",
            "轨迹",
            "描述",
        ),
    ),
)
FIELD_KEYS = tuple(f.key for f in FIELDS)
REQUIRED = ("tracking", "time")

#: problems of a row (English templates, values apart; collected for translation)
TRACKING_STATUS_MESSAGES = {
    "no_number": "The tracking number is empty; this row was not read.",
    "bad_time": "The time {value!r} cannot be read; write it as 2026-12-06 14:30.",
    "unknown_status": (
        "The status {value!r} is not one Packdesk understands; this row was not read. "
        "Tell whoever set up Packdesk which status it means."
    ),
    "no_status": "The status is empty; this row was not read.",
    "bad_csv": "This row is not valid CSV ({reason}); the rows after it were not read.",
}
_M = TRACKING_STATUS_MESSAGES


@dataclass(frozen=True)
class StatusMapping:
    """Which column holds which field of a status file, and how to read the file."""

    columns: dict[str, str] = field(default_factory=dict)
    #: "" = detect
    encoding: str = ""
    #: "" = from the header row
    delimiter: str = ""
    #: Excel sheet; "" = the first
    sheet: str = ""

    def missing(self) -> list[str]:
        """The fields without a column (a status or a description column is needed)."""
        out = [k for k in REQUIRED if not self.columns.get(k)]
        if not self.columns.get("status") and not self.columns.get("detail"):
            out.append("status")
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "columns": {k: v for k, v in self.columns.items() if k in FIELD_KEYS and v},
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "sheet": self.sheet,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StatusMapping:
        cols = data.get("columns") or {}
        return cls(
            columns={str(k): str(v) for k, v in cols.items() if k in FIELD_KEYS and v},
            encoding=str(data.get("encoding", "")),
            delimiter=str(data.get("delimiter", "")),
            sheet=str(data.get("sheet", "")),
        )


@dataclass(frozen=True, slots=True)
class StatusRow:
    """One event of a status file."""

    row: int
    tracking_number: str
    status: DeliveryStatus
    raw_status: str
    at: datetime
    place: str = ""


def guess_mapping(headers: list[str]) -> StatusMapping:
    """The mapping the header words suggest."""
    return StatusMapping(columns=guess(headers, FIELDS))


def read(
    path: Path, mapping: StatusMapping | None = None, local: tzinfo | None = None
) -> tuple[list[StatusRow], list[RowProblem], StatusMapping]:
    """Every event of the file, the rows' problems, and the mapping used (guessed from the
    header when none was given). ImportFileError when the file cannot be read at all."""
    m = mapping or StatusMapping()
    table, _, _ = open_table(path, encoding_name=m.encoding, delimiter=m.delimiter, sheet=m.sheet)
    try:
        if mapping is None:
            m = guess_mapping(table.headers)
        rows: list[StatusRow] = []
        problems: list[RowProblem] = []
        for item in parse(table, m, local or local_zone()):
            if isinstance(item, RowProblem):
                problems.append(item)
            else:
                rows.append(item)
        return rows, problems, m
    finally:
        table.close()


def parse(table: Table, mapping: StatusMapping, local: tzinfo) -> Iterator[StatusRow | RowProblem]:
    missing = mapping.missing()
    if missing:
        raise NoMapping(missing=", ".join(missing))
    cols = Columns(table.headers)
    idx = {k: cols.find(v) for k, v in mapping.columns.items()}
    absent = [v for k, v in mapping.columns.items() if idx[k] is None]
    if absent:
        raise ProfileColumnsMissing(file=table.file, columns=", ".join(sorted(set(absent))))
    try:
        for n, cells in table.rows():
            if not any(c.strip() for c in cells):
                continue
            yield _row(n, {k: cell(cells, i) for k, i in idx.items()}, local)
    except CsvError as exc:
        if exc.row <= 2:
            raise MalformedCsv(row=exc.row, file=table.file, reason=exc.reason) from None
        yield RowProblem(exc.row, _M["bad_csv"], {"reason": exc.reason})


def _row(n: int, v: dict[str, str], local: tzinfo) -> StatusRow | RowProblem:
    number = tracking.normalise(v.get("tracking", "").lstrip("'"))
    if not number:
        return RowProblem(n, _M["no_number"])
    raw = v.get("status", "") or v.get("detail", "")
    if not raw:
        return RowProblem(n, _M["no_status"])
    status = read_status(v.get("status", "")) or read_status(v.get("detail", ""))
    if status is None:
        return RowProblem(n, _M["unknown_status"], {"value": raw})
    try:
        at = parse_datetime(v.get("time", ""), local)
    except BadValue:
        return RowProblem(n, _M["bad_time"], {"value": v.get("time", "")})
    return StatusRow(n, number, status, raw, at, v.get("place", ""))
