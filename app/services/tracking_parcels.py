"""The parcels a channel's tracking write-back covers, one ``ExportParcel`` per parcel and
channel order (read by ``tracking_export`` for files and ``channel_upload`` for shop APIs).

Which: orders of the channel that are shipped or later (delivered, returned), their parcels not
voided and with a tracking number, shipped on or after ``since`` (the day the parcel was
shipped; labelled, for one with no ship time), not yet recorded under ``done_key`` (a file
format or an upload plug-in) unless ``again``.

Under which channel order: the channel order of each packed line (its ``order_external_refs``
row when it left the order it was imported with, through a merge or a split; else its order's
own ``external_id``). A merged order's parcel is written once per channel order it carries; a
split part's under the order it was split from. A parcel with no packed lines on record stands
for all its order's lines.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import ColumnElement, Exists, func, select
from sqlalchemy.orm import Session

from app.db.models import (
    Carrier,
    CarrierService,
    Channel,
    Order,
    OrderExternalRef,
    OrderLine,
    PackItem,
    Parcel,
    TrackingExport,
)
from app.domain.errors import ValidationError
from app.domain.orders import OrderStatus
from app.domain.tracking_export import ExportLine, ExportParcel
from app.domain.tracking_export_names import tracking_url
from app.services.allocation import chunks

#: order statuses whose parcels are written back
SHIPPED_OR_LATER = (
    OrderStatus.SHIPPED.value,
    OrderStatus.DELIVERED.value,
    OrderStatus.RETURNED.value,
)


@dataclass(frozen=True)
class Selection:
    parcels: tuple[ExportParcel, ...]
    #: parcels left out because they were recorded already
    skipped: int


def find_channel(s: Session, name: str) -> Channel:
    """The channel with this code, else this name (any case)."""
    key = name.strip()
    found = s.scalar(select(Channel).where(Channel.code == key))
    if found is None:
        found = s.scalar(select(Channel).where(func.lower(Channel.name) == key.lower()))
    if found is None:
        codes = ", ".join(s.scalars(select(Channel.code).order_by(Channel.code)))
        raise ValidationError(
            "There is no sales channel {channel}. Use one of: {channels}.",
            channel=name,
            channels=codes or "-",
        )
    return found


def _since(day: date | None) -> datetime | None:
    return None if day is None else datetime.combine(day, time.min, tzinfo=UTC)


def _written(done_key: str) -> Exists:
    return (
        select(TrackingExport.id)
        .where(TrackingExport.parcel_id == Parcel.id, TrackingExport.format == done_key)
        .exists()
    )


def _parcel_filter(channel_id: int, since: date | None) -> list[ColumnElement[bool]]:
    shipped = func.coalesce(Parcel.shipped_at, Parcel.labelled_at)
    out: list[ColumnElement[bool]] = [
        Order.channel_id == channel_id,
        Order.status.in_(SHIPPED_OR_LATER),
        Parcel.voided_at.is_(None),
        Parcel.status != "voided",
        Parcel.tracking_number.is_not(None),
        Parcel.tracking_number != "",
    ]
    start = _since(since)
    if start is not None:
        out.append(shipped >= start)
    return out


def _skipped(s: Session, channel_id: int, since: date | None, done_key: str) -> int:
    stmt = (
        select(func.count(Parcel.id))
        .join(Order, Order.id == Parcel.order_id)
        .where(*_parcel_filter(channel_id, since), _written(done_key))
    )
    return int(s.scalar(stmt) or 0)


def _parcel_rows(
    s: Session, channel_id: int, since: date | None, done_key: str, again: bool
) -> list[tuple]:  # type: ignore[type-arg]
    shipped = func.coalesce(Parcel.shipped_at, Parcel.labelled_at)
    stmt = (
        select(
            Parcel.id,
            Parcel.order_id,
            Order.number,
            Order.external_id,
            Parcel.tracking_number,
            Carrier.code,
            Carrier.name,
            Carrier.tracking_url,
            CarrierService.code,
            shipped,
            Parcel.weight_g,
        )
        .join(Order, Order.id == Parcel.order_id)
        .join(Carrier, Carrier.id == Parcel.carrier_id)
        .outerjoin(CarrierService, CarrierService.id == Parcel.carrier_service_id)
        .where(*_parcel_filter(channel_id, since))
        .order_by(Order.number, Parcel.seq, Parcel.id)
    )
    if not again:
        stmt = stmt.where(~_written(done_key))
    return list(s.execute(stmt).tuples())


def _packed_lines(
    s: Session, parcel_ids: Sequence[int], order_ids: Sequence[int]
) -> tuple[dict[int, dict[int, int]], dict[int, list[tuple[int, int]]]]:
    """(parcel -> {line id: units packed}, order -> [(line id, qty)] of all its lines)."""
    packed: dict[int, dict[int, int]] = defaultdict(dict)
    for part in chunks(parcel_ids):
        for pid, line_id, qty in s.execute(
            select(PackItem.parcel_id, PackItem.order_line_id, func.sum(PackItem.qty))
            .where(PackItem.parcel_id.in_(part), PackItem.voided_at.is_(None))
            .group_by(PackItem.parcel_id, PackItem.order_line_id)
        ).tuples():
            packed[pid][line_id] = int(qty or 0)
    lines: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for part in chunks(order_ids):
        for oid, line_id, qty in s.execute(
            select(OrderLine.order_id, OrderLine.id, OrderLine.qty)
            .where(OrderLine.order_id.in_(part))
            .order_by(OrderLine.order_id, OrderLine.line_no)
        ).tuples():
            lines[oid].append((line_id, qty))
    return packed, lines


def _line_refs(
    s: Session, order_ids: Sequence[int], own: dict[int, str]
) -> dict[int, list[tuple[str, str, str, int]]]:
    """line id -> [(channel order id, channel line id, sku, units)]: its refs, else its own."""
    out: dict[int, list[tuple[str, str, str, int]]] = defaultdict(list)
    for part in chunks(order_ids):
        refs = s.execute(
            select(
                OrderExternalRef.order_line_id,
                OrderExternalRef.external_id,
                OrderExternalRef.external_line_id,
                OrderLine.sku,
                OrderExternalRef.qty,
            )
            .join(OrderLine, OrderLine.id == OrderExternalRef.order_line_id)
            .where(OrderExternalRef.order_id.in_(part))
            .order_by(OrderExternalRef.id)
        ).tuples()
        for line_id, ext, ext_line, sku, qty in refs:
            out[line_id].append((ext, ext_line, sku, qty))
    for part in chunks(order_ids):
        own_lines = s.execute(
            select(OrderLine.id, OrderLine.order_id, OrderLine.external_line_id, OrderLine.sku,
                   OrderLine.qty)
            .where(OrderLine.order_id.in_(part))
        ).tuples()  # fmt: skip
        for line_id, oid, ext_line, sku, qty in own_lines:
            if line_id not in out:
                out[line_id].append((own[oid], ext_line, sku, qty))
    return out


def _per_channel_order(
    units: dict[int, int], refs: dict[int, list[tuple[str, str, str, int]]], fallback: str
) -> dict[str, list[ExportLine]]:
    """The parcel's packed units spread over the channel orders and lines they stand for."""
    out: dict[str, list[ExportLine]] = {}
    for line_id, qty in units.items():
        left = qty
        for ext, ext_line, sku, ref_qty in refs.get(line_id, []):
            take = min(left, ref_qty)
            if take > 0:
                out.setdefault(ext, []).append(ExportLine(ext_line, sku, take))
                left -= take
    return out or {fallback: []}


def select_parcels(
    s: Session, channel_id: int, done_key: str, *, since: date | None, again: bool
) -> Selection:
    todo = _parcel_rows(s, channel_id, since, done_key, again)
    skipped = 0 if again else _skipped(s, channel_id, since, done_key)
    if not todo:
        return Selection((), skipped)
    order_ids = sorted({r[1] for r in todo})
    own = {r[1]: r[3] for r in todo}
    packed, lines = _packed_lines(s, [r[0] for r in todo], order_ids)
    refs = _line_refs(s, order_ids, own)
    out: list[ExportParcel] = []
    for pid, oid, number, ext, tracking, ccode, cname, url, svc, at, grams in todo:
        units = packed.get(pid) or dict(lines.get(oid, []))
        # one row per channel order, in the order of their ids on every backend
        for channel_order, export_lines in sorted(_per_channel_order(units, refs, ext).items()):
            out.append(
                ExportParcel(
                    parcel_id=pid,
                    order_id=oid,
                    order_number=number,
                    channel_order_id=channel_order,
                    tracking=tracking,
                    carrier_code=ccode,
                    carrier_name=cname,
                    service=svc or "",
                    shipped_at=at,
                    weight_g=grams,
                    tracking_url=tracking_url(url, ccode, tracking),
                    lines=tuple(export_lines),
                )
            )
    return Selection(tuple(out), skipped)
