"""A carrier's sorting-code table (大头笔 / 集包地) from a CSV or XLSX file. No database.

Columns (a header row; English or Chinese names, any case, any order):

==============  ===========================  =============================================
column          also                         what
==============  ===========================  =============================================
country         国家                         ISO 3166-1 alpha-2 ("CN"); empty: any
province        省, 省份                     province or state; empty: any
city            市, 城市                     empty: any
district        区, 区县                     empty: any
postal_prefix   邮编前缀, 邮编               the postal code starts with it; empty: any
code            大头笔, 分拣码, sorting_code the routing code printed big on the label
hub             集包地, 集包                 the hub the parcel is bagged for (may be empty)
==============  ===========================  =============================================

A row needs a code and at least one destination column. A row whose destination (compared as
``app.domain.place_names`` compares places) was given before is rejected. Each problem is a
``RowProblem`` with the spreadsheet's row number (the header is row 1).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from app.domain.errors import ImportFileError
from app.domain.place_names import country_key, place_key, postal_key
from app.importers.records import RowProblem
from app.importers.sources import open_table
from app.importers.tabular import Columns, cell

#: each column with the header names it may have
HEADERS: dict[str, tuple[str, ...]] = {
    "country": ("country", "国家", "country_code"),
    "province": ("province", "省", "省份", "state"),
    "city": ("city", "市", "城市"),
    "district": ("district", "区", "区县", "县区"),
    "postal_prefix": ("postal_prefix", "邮编前缀", "邮编", "postal code prefix"),
    "code": ("code", "大头笔", "分拣码", "sorting_code", "sorting code"),
    "hub": ("hub", "集包地", "集包"),
}
LIMITS = {"province": 100, "city": 100, "district": 100, "postal_prefix": 16, "code": 64, "hub": 64}
#: country names sorting tables are often written with
_COUNTRY_NAMES = {"中国": "CN", "CHINA": "CN", "中国大陆": "CN", "香港": "HK", "台湾": "TW"}

SORTING_FILE_MESSAGES = {
    "no_code": "The row has no sorting code (大头笔). Write the code or delete the row.",
    "no_destination": "The row gives no destination: write at least a country, province, city, "
    "district or postal-code prefix.",
    "bad_country": "The country {country} is not a two-letter code such as CN.",
    "bad_postal": "The postal-code prefix {prefix} has characters other than letters and digits.",
    "too_long": "The {column} {value} is longer than {limit} characters.",
    "duplicate": "The same destination is given on row {first}. Keep one of the two rows.",
}
_M = SORTING_FILE_MESSAGES


class NotASortingFile(ImportFileError):
    template = (
        "The file {file} has no sorting-code column (code or 大头笔). Its header row needs the "
        "columns country, province, city, district, postal_prefix, code and hub."
    )


@dataclass(frozen=True, slots=True)
class SortingRow:
    row: int
    country: str
    province: str
    city: str
    district: str
    postal_prefix: str
    code: str
    hub: str


@dataclass
class SortingFile:
    file: str
    rows: list[SortingRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


def _country(text: str) -> str:
    key = country_key(text)
    return _COUNTRY_NAMES.get(key, key)


def _name(text: str) -> str:
    """Half-width and single-spaced, as typed otherwise (the lookup compares by place_key)."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _row(n: int, values: dict[str, str]) -> SortingRow | RowProblem:
    if not values["code"]:
        return RowProblem(n, _M["no_code"])
    if not any(values[k] for k in ("country", "province", "city", "district", "postal_prefix")):
        return RowProblem(n, _M["no_destination"])
    country = _country(values["country"]) if values["country"] else ""
    if country and not re.fullmatch(r"[A-Z]{2}", country):
        return RowProblem(n, _M["bad_country"], {"country": values["country"]})
    prefix = postal_key(values["postal_prefix"])
    if prefix and not re.fullmatch(r"[0-9A-Z]+", prefix):
        return RowProblem(n, _M["bad_postal"], {"prefix": values["postal_prefix"]})
    for column, limit in LIMITS.items():
        if len(values[column]) > limit:
            params = {"column": column, "value": values[column], "limit": limit}
            return RowProblem(n, _M["too_long"], params)
    return SortingRow(
        n,
        country,
        _name(values["province"]),
        _name(values["city"]),
        _name(values["district"]),
        prefix,
        values["code"],
        values["hub"],
    )


def destination_key(r: SortingRow) -> tuple[str, ...]:
    """What a row is for, as compared: two rows with the same key are the same destination."""
    return (
        r.country,
        place_key(r.province),
        place_key(r.city),
        place_key(r.district),
        r.postal_prefix,
    )


def read(path: Path | str) -> SortingFile:
    """The rows of a sorting-code file and the problems of the rows it rejected."""
    path = Path(path)
    table, _, _ = open_table(path)
    out = SortingFile(path.name)
    try:
        cols = Columns(table.headers)
        if cols.find(*HEADERS["code"]) is None:
            raise NotASortingFile(file=path.name)
        index = {k: cols.find(*names) for k, names in HEADERS.items()}
        seen: dict[tuple[str, ...], int] = {}
        for n, cells in table.rows():
            if not any(c.strip() for c in cells):
                continue
            values = {k: cell(cells, i) for k, i in index.items()}
            got = _row(n, values)
            if isinstance(got, RowProblem):
                out.problems.append(got)
                continue
            key = destination_key(got)
            if key in seen:
                out.problems.append(RowProblem(n, _M["duplicate"], {"first": seen[key]}))
                continue
            seen[key] = n
            out.rows.append(got)
    finally:
        table.close()
    return out
