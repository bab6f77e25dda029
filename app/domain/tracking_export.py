"""Tracking files for the shops: which rows each format writes (pure; the service reads the
parcels and writes the file).

The input is one ``ExportParcel`` per parcel **and** channel order: a merged order's parcel
stands for each channel order whose lines it carries, and a split part's parcel is written under
the channel order it was split from. Formats:

- ``shopify``: CSV, one row per channel order and tracking number (Shopify fulfils per tracking
  number): order name, tracking number, tracking company (Shopify's spelling), tracking URL,
  notify customer.
- ``woocommerce``: CSV for the Shipment Tracking extension, one row per tracking number:
  ``order_id, tracking_provider, custom_tracking_provider, tracking_number,
  custom_tracking_link, date_shipped`` (YYYY-MM-DD).
- ``taobao``, ``jd``, ``pinduoduo``, ``douyin``: the bulk-ship (批量发货) sheets, XLSX, one row
  per channel order; the numbers of a multi-parcel order joined by a comma.
- ``generic``: CSV or XLSX through a saved mapping (a list of columns, each a field of
  ``FIELDS`` under a header of the user's choosing), one row per channel order and parcel.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from app.domain.errors import ValidationError
from app.domain.tracking_export_names import (
    WOOCOMMERCE_PROVIDERS,
    cn_company,
    shopify_company,
)

CSV = "csv"
XLSX = "xlsx"


@dataclass(frozen=True)
class ExportLine:
    """A channel line the parcel carries (what an upload fulfils)."""

    external_line_id: str
    sku: str
    qty: int


@dataclass(frozen=True)
class ExportParcel:
    parcel_id: int
    order_id: int
    order_number: str
    #: the channel order this row is written under
    channel_order_id: str
    tracking: str
    carrier_code: str
    carrier_name: str
    service: str
    shipped_at: datetime | None
    weight_g: int | None
    tracking_url: str
    lines: tuple[ExportLine, ...] = field(default=())


@dataclass(frozen=True)
class Sheet:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    file_type: str


@dataclass(frozen=True)
class CnTemplate:
    """A Chinese platform's bulk-ship sheet: its three columns and how several numbers of one
    order are joined."""

    order_header: str
    company_header: str
    tracking_header: str
    separator: str = ","


#: the bulk-ship (批量发货) sheets; see docs/tracking-export.md for where each came from
CN_TEMPLATES: dict[str, CnTemplate] = {
    "taobao": CnTemplate("订单编号", "物流公司", "运单号"),
    "jd": CnTemplate("订单号", "物流公司", "运单号"),
    "pinduoduo": CnTemplate("订单号", "快递公司", "快递单号"),
    "douyin": CnTemplate("订单编号", "物流公司", "运单号"),
}

#: the formats ``export_tracking`` writes
FORMATS = ("shopify", "woocommerce", *CN_TEMPLATES, "generic")

#: a channel's platform -> its default format (other platforms: generic needs a mapping)
PLATFORM_FORMATS = {f: f for f in FORMATS if f != "generic"}

#: the fields a generic mapping may use
FIELDS = (
    "order_number",
    "channel_order_id",
    "tracking",
    "carrier_code",
    "carrier_name",
    "carrier_name_cn",
    "service",
    "shipped_at",
    "shipped_date",
    "weight_kg",
    "tracking_url",
)


def _date(at: datetime | None) -> str:
    return at.strftime("%Y-%m-%d") if at else ""


def field_value(p: ExportParcel, name: str) -> str:
    """One field of a generic mapping, as text."""
    if name == "shipped_at":
        return p.shipped_at.strftime("%Y-%m-%d %H:%M:%S") if p.shipped_at else ""
    if name == "shipped_date":
        return _date(p.shipped_at)
    if name == "carrier_name_cn":
        return cn_company(p.carrier_code, p.carrier_name)
    if name == "weight_kg":
        return "" if p.weight_g is None else f"{p.weight_g / 1000:.3f}"
    value = getattr(p, name)
    return str(value)


def shopify_sheet(parcels: Sequence[ExportParcel], *, notify: bool = True) -> Sheet:
    headers = (
        "Order Name",
        "Tracking Number",
        "Tracking Company",
        "Tracking URL",
        "Notify Customer",
    )
    rows = tuple(
        (
            p.channel_order_id,
            p.tracking,
            shopify_company(p.carrier_code, p.carrier_name),
            p.tracking_url,
            "TRUE" if notify else "FALSE",
        )
        for p in parcels
    )
    return Sheet(headers, rows, CSV)


def woocommerce_sheet(parcels: Sequence[ExportParcel]) -> Sheet:
    headers = (
        "order_id",
        "tracking_provider",
        "custom_tracking_provider",
        "tracking_number",
        "custom_tracking_link",
        "date_shipped",
    )
    rows = []
    for p in parcels:
        provider = WOOCOMMERCE_PROVIDERS.get(p.carrier_code.upper(), "")
        custom = "" if provider else p.carrier_name
        link = "" if provider else p.tracking_url
        rows.append((p.channel_order_id, provider, custom, p.tracking, link, _date(p.shipped_at)))
    return Sheet(headers, tuple(rows), CSV)


def _by_channel_order(parcels: Iterable[ExportParcel]) -> dict[str, list[ExportParcel]]:
    out: dict[str, list[ExportParcel]] = {}
    for p in parcels:
        out.setdefault(p.channel_order_id, []).append(p)
    return out


def cn_sheet(platform: str, parcels: Sequence[ExportParcel]) -> Sheet:
    """One row per channel order; several numbers joined by the template's separator. Parcels
    of one order with different carriers write one row per carrier."""
    t = CN_TEMPLATES[platform]
    rows: list[tuple[str, ...]] = []
    for order_id, group in _by_channel_order(parcels).items():
        companies: dict[str, list[str]] = {}
        for p in group:
            name = cn_company(p.carrier_code, p.carrier_name)
            numbers = companies.setdefault(name, [])
            if p.tracking not in numbers:
                numbers.append(p.tracking)
        for name, numbers in companies.items():
            rows.append((order_id, name, t.separator.join(numbers)))
    return Sheet((t.order_header, t.company_header, t.tracking_header), tuple(rows), XLSX)


@dataclass(frozen=True)
class Column:
    header: str
    field: str


@dataclass(frozen=True)
class ExportMapping:
    """A saved generic mapping: its columns and its file type."""

    name: str
    columns: tuple[Column, ...]
    file_type: str = CSV

    def to_json(self) -> dict[str, object]:
        return {
            "columns": [[c.header, c.field] for c in self.columns],
            "file_type": self.file_type,
        }

    @classmethod
    def from_json(cls, name: str, data: dict[str, object]) -> ExportMapping:
        raw = data.get("columns", [])
        cols = tuple(Column(str(h), str(f)) for h, f in raw) if isinstance(raw, list) else ()
        return cls(name, cols, str(data.get("file_type", CSV)))


def parse_columns(specs: Sequence[str]) -> tuple[Column, ...]:
    """``FIELD`` or ``Header=FIELD`` per column; refuses an unknown field naming the known."""
    if not specs:
        raise ValidationError("A mapping needs at least one column: name the fields to write.")
    out = []
    for spec in specs:
        header, sep, name = spec.partition("=")
        if not sep:
            header, name = spec, spec
        name = name.strip()
        if name not in FIELDS:
            raise ValidationError(
                "{field} is not a field of a tracking file. Use one of: {fields}.",
                field=name,
                fields=", ".join(FIELDS),
            )
        out.append(Column(header.strip() or name, name))
    return tuple(out)


def generic_sheet(mapping: ExportMapping, parcels: Sequence[ExportParcel]) -> Sheet:
    headers = tuple(c.header for c in mapping.columns)
    rows = tuple(tuple(field_value(p, c.field) for c in mapping.columns) for p in parcels)
    return Sheet(headers, rows, mapping.file_type)


def file_type_of(fmt: str, mapping: ExportMapping | None = None) -> str:
    """ "csv" or "xlsx": the kind of file a format writes."""
    if fmt == "generic" and mapping is not None:
        return mapping.file_type
    return XLSX if fmt in CN_TEMPLATES else CSV


def build_sheet(
    fmt: str,
    parcels: Sequence[ExportParcel],
    *,
    mapping: ExportMapping | None = None,
    notify: bool = True,
) -> Sheet:
    """The rows of ``fmt`` for these parcels (a generic format needs its mapping)."""
    if fmt == "shopify":
        return shopify_sheet(parcels, notify=notify)
    if fmt == "woocommerce":
        return woocommerce_sheet(parcels)
    if fmt in CN_TEMPLATES:
        return cn_sheet(fmt, parcels)
    if fmt == "generic" and mapping is not None:
        return generic_sheet(mapping, parcels)
    raise ValidationError(
        "{format} is not a tracking file format. Use one of: {formats}.",
        format=fmt,
        formats=", ".join(FORMATS),
    )
