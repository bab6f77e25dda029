"""Product mapping files (CSV or XLSX): one row per part of a mapping.

Columns (the header names in English or Chinese, any case):

- ``channel`` (渠道): the channel's name or code; blank = every channel;
- ``match`` (匹配方式): ``sku``, ``listing_id`` or ``title`` (also 编码, 商品ID, 标题);
- ``listing`` (平台货品): the channel's SKU, listing id or title to match;
- ``sku`` (货品编码): our product's SKU;
- ``units`` (数量): units of the product per listing unit, a whole number above 0 (blank: 1).

Consecutive rows with the same channel, match and listing make one mapping with several parts
(a kit, 组合装). No database here: channels and SKUs are checked by the service.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from app.domain.listings import MATCH_KINDS, MATCH_TEXT_MAX, match_key
from app.importers.errors import NotAMappingFile
from app.importers.records import ProblemKind, RowProblem
from app.importers.sources import is_excel, open_table
from app.importers.tabular import Columns, CsvError, Table, cell

#: the columns and the header names each is found by
COLUMNS: dict[str, tuple[str, ...]] = {
    "channel": ("channel", "渠道", "店铺", "平台", "channel name"),
    "match": ("match", "匹配方式", "匹配", "match by", "match kind"),
    "listing": ("listing", "平台货品", "平台商品", "平台编码", "listing text"),
    "sku": ("sku", "货品编码", "商品编码", "我方sku", "product sku"),
    "units": ("units", "数量", "件数", "units per listing"),
}
#: what a ``match`` cell may say, and the kind it means
MATCH_ALIASES: dict[str, str] = {
    "sku": "sku",
    "编码": "sku",
    "平台sku": "sku",
    "listing_id": "listing_id",
    "listing id": "listing_id",
    "variant id": "listing_id",
    "id": "listing_id",
    "商品id": "listing_id",
    "title": "title",
    "name": "title",
    "标题": "title",
    "名称": "title",
}
#: the header written by ``write_rows`` (the first name of each column)
HEADER = list(COLUMNS)

#: the problems a mapping file's rows can have, as English templates (collected for
#: translation as operator messages; screens translate a RowProblem's template with them)
MAPPING_FILE_MESSAGES = {
    "no_listing": "The listing is empty; write the channel's SKU, id or title.",
    "bad_match": "The match {value!r} is not one of sku, listing_id or title.",
    "no_sku": "The SKU is empty; write our product's SKU.",
    "bad_units": "The units {value!r} are not a whole number above 0.",
    "too_long": "The listing is longer than {limit} characters.",
    "kit_left_out": "Left out with the rest of its mapping: row {row} of the same mapping has a "
    "problem.",
    "unknown_sku": "The SKU {sku} is not a product.",
    "unknown_channel": "There is no channel called {channel}.",
    "same_product": "The SKU {sku} is in this mapping twice (rows {first} and {row}); give it "
    "once with the total units.",
    "bad_csv": "This row is not valid CSV ({reason}); the rows after it were not read.",
    "repeated": "This mapping was given already at row {first}; the rows from here replace it.",
}
_M = MAPPING_FILE_MESSAGES
NO_LISTING = _M["no_listing"]
BAD_MATCH = _M["bad_match"]
NO_SKU = _M["no_sku"]
BAD_UNITS = _M["bad_units"]
TOO_LONG = _M["too_long"]
KIT_LEFT_OUT = _M["kit_left_out"]
UNKNOWN_SKU = _M["unknown_sku"]
UNKNOWN_CHANNEL = _M["unknown_channel"]
SAME_PRODUCT = _M["same_product"]
BAD_CSV = _M["bad_csv"]
REPEATED = _M["repeated"]


@dataclass(frozen=True)
class PartRow:
    row: int
    sku: str
    units: int


@dataclass(frozen=True)
class MappingRows:
    """One mapping as the file gives it: the rows of its parts, and their problems."""

    channel: str
    match_kind: str
    listing: str
    parts: tuple[PartRow, ...]
    problems: tuple[RowProblem, ...] = ()

    @property
    def rows(self) -> tuple[int, ...]:
        return tuple(p.row for p in self.parts)


def problem(at: int, template: str, /, **params: object) -> RowProblem:
    return RowProblem(at, template, dict(params), ProblemKind.REJECTED)


def read(path: Path) -> list[MappingRows]:
    """The mappings of the file, in file order (encoding found as for orders)."""
    table, _, _ = open_table(path)
    try:
        return list(_mappings(table))
    finally:
        table.close()


def _mappings(table: Table) -> Iterator[MappingRows]:
    cols = Columns(table.headers)
    missing = cols.missing(*(COLUMNS[k] for k in ("match", "listing", "sku")))
    if missing:
        raise NotAMappingFile(file=table.file, columns=", ".join(missing))
    idx = {k: cols.find(*names) for k, names in COLUMNS.items()}
    current: MappingRows | None = None
    try:
        for n, cells in table.rows():
            if not any(c.strip() for c in cells):
                continue
            one = _row(n, {k: cell(cells, i) for k, i in idx.items()})
            if current is not None and _same(current, one):
                current = MappingRows(
                    current.channel,
                    current.match_kind,
                    current.listing,
                    current.parts + one.parts,
                    current.problems + one.problems,
                )
                continue
            if current is not None:
                yield current
            current = one
    except CsvError as exc:
        if current is not None:
            yield current
        current = None
        bad = (problem(exc.row, BAD_CSV, reason=exc.reason),)
        yield MappingRows("", "", "", (PartRow(exc.row, "", 0),), bad)
    if current is not None:
        yield current


def _same(a: MappingRows, b: MappingRows) -> bool:
    return (match_key(a.channel), a.match_kind, match_key(a.listing)) == (
        match_key(b.channel),
        b.match_kind,
        match_key(b.listing),
    ) and bool(a.listing.strip())


def _row(n: int, v: dict[str, str]) -> MappingRows:
    problems: list[RowProblem] = []
    kind = MATCH_ALIASES.get(match_key(v["match"]).replace("-", "_"), "")
    if not kind and match_key(v["match"]) in MATCH_KINDS:
        kind = match_key(v["match"])
    if not kind:
        problems.append(problem(n, BAD_MATCH, value=v["match"]))
    listing = v["listing"]
    if not listing:
        problems.append(problem(n, NO_LISTING))
    elif len(listing) > MATCH_TEXT_MAX:
        problems.append(problem(n, TOO_LONG, limit=MATCH_TEXT_MAX))
    if not v["sku"]:
        problems.append(problem(n, NO_SKU))
    units = _units(v["units"])
    if units is None:
        problems.append(problem(n, BAD_UNITS, value=v["units"]))
    return MappingRows(
        v["channel"], kind, listing, (PartRow(n, v["sku"], units or 0),), tuple(problems)
    )


def _units(text: str) -> int | None:
    t = text.strip()
    if not t:
        return 1
    try:
        value = float(t)
    except ValueError:
        return None
    if not value.is_integer() or value < 1 or value > 100_000:
        return None
    return int(value)


def write(path: Path, rows: list[list[str]]) -> None:
    """Save rows as a mapping file: Excel for .xlsx, else CSV in UTF-8 with a BOM (which Excel
    opens with Chinese intact)."""
    if is_excel(path):
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("mappings")
        for r in rows:
            ws.append(r)
        wb.save(path)
        return
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)


def write_rows(mappings: list[tuple[str, str, str, list[tuple[str, int]]]]) -> list[list[str]]:
    """Rows of a mapping file (header first) for (channel, match, listing, [(sku, units)])."""
    out = [HEADER]
    for channel, kind, listing, parts in mappings:
        out += [[channel, kind, listing, sku, str(units)] for sku, units in parts]
    return out
