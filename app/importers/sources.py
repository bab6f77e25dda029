"""Opening a file for import: which table (CSV or Excel) or JSON order list, which encoding,
which format; and a preview of the first rows for the column-mapping editor.

Formats, found from the header row (or, for JSON, from the content): ``shopify``,
``woocommerce`` (WebToffee's export), ``woocommerce_aoe`` (Advanced Order Export For
WooCommerce), ``woocommerce_rest`` (the REST API's order list, JSON), the Chinese platforms'
own exports ``taobao`` (with its items file beside it), ``jd``, ``pinduoduo``, ``douyin``;
anything else is a generic ``csv``/``xlsx`` read through a column mapping."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path

from app.importers import (
    cn_platforms,
    encoding,
    generic,
    shopify,
    woocommerce,
    woocommerce_aoe,
    woocommerce_rest,
)
from app.importers.errors import MalformedCsv, TaobaoListMissing, UnknownFormat
from app.importers.generic import Mapping
from app.importers.jsonfile import JsonOrders, is_json
from app.importers.records import ImportItem
from app.importers.tabular import CsvError, CsvTable, Table, XlsxTable

FORMATS = (
    "shopify",
    "woocommerce",
    "woocommerce_aoe",
    "woocommerce_rest",
    *cn_platforms.PLATFORMS,
    "csv",
    "xlsx",
)
#: the sales platform of each format (the rest are generic files)
PLATFORMS = {
    "shopify": "shopify",
    "woocommerce": "woocommerce",
    "woocommerce_aoe": "woocommerce",
    "woocommerce_rest": "woocommerce",
    **{key: key for key in cn_platforms.PLATFORMS},
}
EXCEL_SUFFIXES = (".xlsx", ".xlsm")


def local_zone() -> tzinfo:
    """The station's time zone, for export times written without one."""
    zone = datetime.now().astimezone().tzinfo
    assert zone is not None
    return zone


def is_excel(path: Path) -> bool:
    return path.suffix.lower() in EXCEL_SUFFIXES


@dataclass
class Source:
    """An open file being read: its format, encoding and the orders it holds (lazily)."""

    path: Path
    format: str
    #: "" for Excel files
    encoding: str
    #: "BOM", "detected" or "chosen" ("" for Excel)
    encoding_how: str
    table: Table
    items: Iterator[ImportItem]
    #: the mapping used for a generic file (guessed from the header when no profile was given)
    mapping: Mapping | None = None
    guessed: bool = False

    @property
    def platform(self) -> str:
        """The sales platform the file comes from ("csv" for a generic file)."""
        return PLATFORMS.get(self.format, "csv")

    @property
    def default_channel(self) -> str:
        """The channel orders go to when none is named: one per platform, so the same shop's
        orders are found again whichever of its exports is imported."""
        return PLATFORMS.get(self.format, self.format)

    @property
    def total_rows(self) -> int:
        return self.table.total_rows

    @property
    def row(self) -> int:
        return self.table.row

    def close(self) -> None:
        self.table.close()

    def __enter__(self) -> Source:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_table(
    path: Path, *, encoding_name: str = "", delimiter: str = "", sheet: str = ""
) -> tuple[Table, str, str]:
    """The table of ``path`` with its encoding and how it was decided."""
    if is_excel(path):
        return XlsxTable(path, sheet), "", ""
    text = encoding.check(path, encoding_name) if encoding_name else encoding.detect(path)
    return CsvTable(path, text, delimiter or None), text.encoding, text.how


def open_source(
    path: Path,
    fmt: str | None = None,
    *,
    mapping: Mapping | None = None,
    encoding_name: str = "",
    local: tzinfo | None = None,
) -> Source:
    """Open ``path`` for import. ``fmt`` None finds the format from the header row; a generic
    file without a ``mapping`` is read with the mapping guessed from its header."""
    local = local or local_zone()
    m = mapping or Mapping()
    if fmt == "woocommerce_rest" or (fmt is None and mapping is None and is_json(path)):
        return _open_json(path, encoding_name or m.encoding, local)
    table, enc, how = open_table(
        path,
        encoding_name=encoding_name or m.encoding,
        delimiter=m.delimiter,
        sheet=m.sheet,
    )
    try:
        chosen = fmt or _detect(table.headers, mapping)
        if chosen == "csv" and is_excel(path):
            chosen = "xlsx"
        if chosen == "taobao_items":
            table.close()
            listing = cn_platforms.taobao_companion(path, want_items=False)
            if listing is None:
                raise TaobaoListMissing(file=path.name)
            return open_source(listing, "taobao", encoding_name=encoding_name, local=local)
        if chosen in cn_platforms.PLATFORMS:
            items = _platform_items(path, chosen, table, local, encoding_name)
        elif chosen == "shopify":
            items = shopify.parse(table, local)
        elif chosen == "woocommerce":
            items = woocommerce.parse(table, local)
        elif chosen == "woocommerce_aoe":
            items = woocommerce_aoe.parse(table, local)
        elif chosen in ("csv", "xlsx"):
            guessed = mapping is None
            if mapping is None:
                m = Mapping(columns=generic.guess(table.headers))
            items = generic.parse(table, m, local)
            src = Source(path, chosen, enc, how, table, items, m, guessed)
            _prime(src)
            return src
        else:
            raise UnknownFormat(file=path.name)
        src = Source(path, chosen, enc, how, table, items)
        _prime(src)
        return src
    except BaseException:
        table.close()
        raise


def _open_json(path: Path, encoding_name: str, local: tzinfo) -> Source:
    """A JSON order list (WooCommerce's REST API): read whole, checked before any write."""
    orders = JsonOrders(path, encoding_name)
    items = woocommerce_rest.parse(orders, local)
    src = Source(path, "woocommerce_rest", orders.encoding, orders.encoding_how, orders, items)
    _prime(src)
    return src


def _platform_items(
    path: Path, key: str, table: Table, local: tzinfo, encoding_name: str
) -> Iterator[ImportItem]:
    """A Chinese platform's orders; Taobao's with the items file found beside the list."""
    other = cn_platforms.taobao_companion(path, want_items=True) if key == "taobao" else None
    if other is None:
        return cn_platforms.parse(table, key, local)
    items_table, _, _ = open_table(other, encoding_name=encoding_name)
    try:
        by_order = cn_platforms.read_items(items_table)
    finally:
        items_table.close()
    return cn_platforms.parse(table, key, local, items=(items_table, by_order))


def _detect(headers: list[str], mapping: Mapping | None) -> str:
    if mapping is not None:
        return "csv"
    platform = cn_platforms.detect(headers)
    if platform:
        return platform
    if shopify.looks_like(headers):
        return "shopify"
    if woocommerce.looks_like(headers):
        return "woocommerce"
    if woocommerce_aoe.looks_like(headers):
        return "woocommerce_aoe"
    return "csv"


def _prime(src: Source) -> None:
    """Run the parser up to its first item, so missing columns fail here, before any write."""
    first = next(src.items, None)
    rest = src.items

    def chained() -> Iterator[ImportItem]:
        if first is not None:
            yield first
        yield from rest

    src.items = chained()


@dataclass(frozen=True)
class Preview:
    """The first rows of a file as text, for the mapping editor."""

    headers: list[str]
    rows: list[list[str]]
    encoding: str
    encoding_how: str
    #: shopify | woocommerce | woocommerce_aoe | woocommerce_rest | taobao | taobao_items | jd |
    #: pinduoduo | douyin | csv (generic)
    detected_format: str
    guessed: dict[str, str] = field(default_factory=dict)
    sheets: list[str] = field(default_factory=list)


def preview(
    path: Path, *, encoding_name: str = "", delimiter: str = "", sheet: str = "", rows: int = 20
) -> Preview:
    if is_json(path):
        orders = JsonOrders(path, encoding_name)
        return Preview(
            headers=list(woocommerce_rest.PREVIEW_HEADERS),
            rows=woocommerce_rest.preview_rows(orders.orders, rows),
            encoding=orders.encoding,
            encoding_how=orders.encoding_how,
            detected_format="woocommerce_rest",
        )
    table, enc, how = open_table(
        path, encoding_name=encoding_name, delimiter=delimiter, sheet=sheet
    )
    try:
        first: list[list[str]] = []
        try:
            for _, cells in table.rows():
                first.append(cells)
                if len(first) >= rows:
                    break
        except CsvError as exc:
            if not first:
                raise MalformedCsv(row=exc.row, file=path.name, reason=exc.reason) from None
        sheets = XlsxTable.sheet_names(path) if is_excel(path) else []
        return Preview(
            headers=table.headers,
            rows=first,
            encoding=enc,
            encoding_how=how,
            detected_format=_detect(table.headers, None),
            guessed=generic.guess(table.headers),
            sheets=sheets,
        )
    finally:
        table.close()
