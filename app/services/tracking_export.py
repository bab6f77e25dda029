"""Writing the tracking of shipped orders back to a shop as a file it uploads (``packdesk
tracking export``, the Ship screen's "Export tracking" dialog).

``export_tracking`` picks the channel's parcels not yet written in the format
(``app.services.tracking_parcels``), builds the format's rows (``app.domain.tracking_export``),
writes the file and records each parcel and channel order written (``tracking_exports``), all in
one unit of work: a parcel is never written twice in a format unless asked (``again``). With
nothing new to write, no file is written (``written`` is false).

Generic mappings (a list of columns over our fields) are saved by name in the settings
(``save_export_mapping``); carriers' tracking pages with ``set_tracking_url``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.db.models import Carrier, Channel, SettingRow, TrackingExport
from app.db.uow import UnitOfWork
from app.domain.errors import ValidationError
from app.domain.tracking_export import (
    CSV,
    FORMATS,
    PLATFORM_FORMATS,
    XLSX,
    ExportMapping,
    build_sheet,
    file_type_of,
    parse_columns,
)
from app.domain.users import Actor, Permission
from app.services.access import reads, writes
from app.services.tracking_export_files import write_sheet
from app.services.tracking_parcels import find_channel, select_parcels

#: the settings row that keeps the generic mappings by name
MAPPINGS_KEY = "tracking_export.mappings"


@dataclass(frozen=True)
class TrackingExportResult:
    path: Path
    format: str
    #: rows written (a Chinese sheet has one per order; Shopify one per number)
    rows: int
    #: parcels written
    parcels: int
    #: parcels left out because they were written in this format before
    skipped: int
    written: bool = True
    channel: str = ""
    orders: int = 0


@dataclass(frozen=True)
class ChannelChoice:
    code: str
    name: str
    platform: str
    #: the format the channel's platform uploads ("" when it has none: generic)
    default_format: str


@dataclass(frozen=True)
class ExportChoices:
    channels: tuple[ChannelChoice, ...]
    formats: tuple[str, ...]
    mappings: tuple[str, ...]
    #: each saved mapping's file type ("csv" or "xlsx"), in the order of ``mappings``
    mapping_types: tuple[str, ...] = ()


def _mappings(s: Session) -> dict[str, Any]:
    row = s.get(SettingRow, MAPPINGS_KEY)
    return dict(row.value) if row is not None and isinstance(row.value, dict) else {}


def _mapping(s: Session, name: str | None) -> ExportMapping:
    saved = _mappings(s)
    if not name or name not in saved:
        raise ValidationError(
            "The generic format needs a saved mapping: {name} is not one. Saved mappings: "
            "{names}. Save one with: packdesk tracking mapping save NAME FIELD...",
            name=name or "-",
            names=", ".join(sorted(saved)) or "-",
        )
    return ExportMapping.from_json(name, saved[name])


def _format_for(channel: Channel, fmt: str | None, mapping: str | None) -> str:
    chosen = (fmt or "").strip().lower() or ("generic" if mapping else "")
    chosen = chosen or PLATFORM_FORMATS.get(channel.platform, "")
    if not chosen:
        raise ValidationError(
            "The channel {channel} ({platform}) has no tracking file of its own. Choose a "
            "format: {formats}.",
            channel=channel.code,
            platform=channel.platform,
            formats=", ".join(FORMATS),
        )
    if chosen not in FORMATS:
        raise ValidationError(
            "{format} is not a tracking file format. Use one of: {formats}.",
            format=chosen,
            formats=", ".join(FORMATS),
        )
    return chosen


def _notify(s: Session, channel: Channel) -> bool:
    row = s.get(SettingRow, f"channels.{channel.code}")
    value = row.value if row is not None and isinstance(row.value, dict) else {}
    return bool(value.get("notify_customer", True))


@writes(Permission.SHIP)
def export_tracking(
    uow: UnitOfWork,
    actor: Actor,
    channel: str,
    *,
    out: Path,
    fmt: str | None = None,
    since: date | None = None,
    again: bool = False,
    mapping: str | None = None,
) -> TrackingExportResult:
    """Write the channel's new tracking to ``out`` in ``fmt`` (default: its platform's)."""
    with uow:
        uow.require(actor, Permission.SHIP)
        s = uow.session
        ch = find_channel(s, channel)
        chosen = _format_for(ch, fmt, mapping)
        saved = _mapping(s, mapping) if chosen == "generic" else None
        key = f"generic:{saved.name}" if saved else chosen
        ext = file_type_of(chosen, saved)
        if out.suffix.lower() != f".{ext}":
            raise ValidationError(
                "A {format} file is .{ext}: name the file {name}.",
                format=key,
                ext=ext,
                name=out.with_suffix(f".{ext}").name,
            )
        picked = select_parcels(s, ch.id, key, since=since, again=again)
        parcel_ids = {p.parcel_id for p in picked.parcels}
        if not picked.parcels:
            return TrackingExportResult(out, key, 0, 0, picked.skipped, False, ch.code, 0)
        sheet = build_sheet(chosen, picked.parcels, mapping=saved, notify=_notify(s, ch))
        write_sheet(sheet, out, bom=chosen == "generic")
        s.execute(
            insert(TrackingExport),
            [
                {
                    "parcel_id": p.parcel_id,
                    "order_id": p.order_id,
                    "channel_id": ch.id,
                    "channel_order_id": p.channel_order_id,
                    "kind": "file",
                    "format": key,
                    "file": str(out),
                    "remote_id": "",
                    "user_id": actor.user_id,
                }
                for p in picked.parcels
            ],
        )
        orders = len({p.order_id for p in picked.parcels})
        uow.audit(
            actor,
            "tracking.export",
            "channel",
            ch.code,
            after={"format": key, "file": str(out), "parcels": len(parcel_ids), "again": again},
        )
        uow.commit()
        return TrackingExportResult(
            out, key, len(sheet.rows), len(parcel_ids), picked.skipped, True, ch.code, orders
        )


@reads
def export_choices(uow: UnitOfWork, actor: Actor) -> ExportChoices:
    """The channels (with their default format), formats and saved mappings the dialog offers."""
    with uow:
        uow.require(actor, Permission.VIEW_ORDERS)
        s = uow.session
        channels = tuple(
            ChannelChoice(c.code, c.name, c.platform, PLATFORM_FORMATS.get(c.platform, ""))
            for c in s.scalars(select(Channel).where(Channel.active).order_by(Channel.code))
        )
        saved = _mappings(s)
        names = tuple(sorted(saved))
        types = tuple(ExportMapping.from_json(n, saved[n]).file_type for n in names)
        return ExportChoices(channels, FORMATS, names, types)


@writes(Permission.MANAGE_SETTINGS)
def save_export_mapping(
    uow: UnitOfWork, actor: Actor, name: str, fields: list[str], *, file_type: str = CSV
) -> ExportMapping:
    """Save (or replace) a generic mapping: ``FIELD`` or ``Header=FIELD`` per column."""
    with uow:
        uow.require(actor, Permission.MANAGE_SETTINGS)
        clean = name.strip()
        if not clean:
            raise ValidationError("A mapping needs a name.")
        if file_type not in (CSV, XLSX):
            raise ValidationError(
                "{file_type} is not a file type: use csv or xlsx.", file_type=file_type
            )
        made = ExportMapping(clean, parse_columns(fields), file_type)
        s = uow.session
        row = s.get(SettingRow, MAPPINGS_KEY)
        saved = _mappings(s)
        before = saved.get(clean)
        saved[clean] = made.to_json()
        if row is None:
            s.add(SettingRow(key=MAPPINGS_KEY, value=saved))
        else:
            row.value = saved
        uow.audit(actor, "tracking.mapping", "setting", clean, before=before, after=made.to_json())
        uow.commit()
        return made


@writes(Permission.MANAGE_SHIPPING)
def set_tracking_url(uow: UnitOfWork, actor: Actor, carrier_code: str, template: str) -> str:
    """Set a carrier's tracking page (``{tracking}`` stands for the number; "" for the
    built-in one)."""
    with uow:
        uow.require(actor, Permission.MANAGE_SHIPPING)
        url = template.strip()
        if url and (not url.startswith(("http://", "https://")) or "{tracking}" not in url):
            raise ValidationError(
                "A tracking page is a web address starting with https:// with {{tracking}} "
                "where the number goes; {url} is not one.",
                url=url,
            )
        carrier = uow.session.scalar(select(Carrier).where(Carrier.code == carrier_code))
        if carrier is None:
            raise ValidationError("There is no carrier {carrier}.", carrier=carrier_code)
        before = carrier.tracking_url
        carrier.tracking_url = url
        uow.audit(
            actor, "carrier.tracking_url", "carrier", carrier_code,
            before={"tracking_url": before}, after={"tracking_url": url},
        )  # fmt: skip
        uow.commit()
        return url


@reads
def mapping_file_type(uow: UnitOfWork, name: str) -> str:
    """The file type ("csv" or "xlsx") of a saved mapping ("csv" when there is none)."""
    with uow:
        saved = _mappings(uow.session).get(name)
        return ExportMapping.from_json(name, saved).file_type if saved else CSV


def default_export_path(data_dir: Path, channel: str, fmt: str, ext: str, day: date) -> Path:
    """``<data>/exports/tracking-<channel>-<format>-<yyyymmdd>.<ext>``, with ``-2``, ``-3``...
    when that name is taken (an earlier export of the day is never overwritten)."""
    folder = data_dir / "exports"
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in f"{channel}-{fmt}")
    stem = f"tracking-{safe}-{day:%Y%m%d}"
    path = folder / f"{stem}.{ext}"
    n = 2
    while path.exists():
        path = folder / f"{stem}-{n}.{ext}"
        n += 1
    return path
