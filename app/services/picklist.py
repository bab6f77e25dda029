"""The data of a wave's printed pick list: its batches, their tasks in route order (location,
SKU, barcodes, quantity, lot, tote slot) and the map of each walk; and the PDF itself
(``app.labels.picklist``).

Only a released wave has a pick list (released, picking or picked): a planned wave may still be
re-planned, and its tasks do not exist yet.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import (
    Cart,
    Location,
    Lot,
    PickBatch,
    PickTask,
    Product,
    ProductBarcode,
    Warehouse,
    Wave,
    WaveOrder,
)
from app.db.uow import UnitOfWork
from app.domain.errors import NotFound, ValidationError
from app.domain.routing import Stop, route_length, walk_path
from app.domain.users import Actor, Permission
from app.domain.waves import BatchStatus, TaskStatus, WaveStatus
from app.labels.picklist import BatchSheet, PickLine, PickListData, RouteMap, pick_list_pdf
from app.services.access import reads
from app.services.layout_store import access_points, load_layout

PRINTABLE = (WaveStatus.RELEASED.value, WaveStatus.PICKING.value, WaveStatus.PICKED.value)


class WaveNotReleased(ValidationError):
    template = (
        "Wave {wave} is {status}, not released: it has no pick list yet. "
        "Release the wave first, then print its pick list."
    )


def _find_wave(s: Session, wave: str) -> Wave:
    text = wave.strip()
    row = s.scalar(select(Wave).where(Wave.number == text))
    if row is None and text.isdigit():
        row = s.scalar(select(Wave).where(Wave.number == f"W{int(text):06d}"))
    if row is None:
        raise NotFound(what="Wave", key=text)
    if row.status not in PRINTABLE:
        raise WaveNotReleased(wave=row.number, status=row.status)
    return row


def _barcodes(s: Session, product_ids: set[int]) -> dict[int, str]:
    """The first barcode of each product (EAN/GTIN before internal codes)."""
    out: dict[int, str] = {}
    rows = s.execute(
        select(ProductBarcode.product_id, ProductBarcode.barcode, ProductBarcode.kind)
        .where(ProductBarcode.product_id.in_(product_ids))
        .order_by(ProductBarcode.product_id, ProductBarcode.id)
    ).all()
    for pid, code, _kind in sorted(rows, key=lambda r: (r[0], r[2] == "internal")):
        out.setdefault(pid, code)
    return out


def _lines(s: Session, batch_id: int) -> list[tuple[PickLine, int]]:
    """The batch's open and done tasks in route order (numbered 1, 2, 3... as printed), with
    each task's location id."""
    rows = s.execute(
        select(PickTask, Location, Product, Lot)
        .join(Location, Location.id == PickTask.location_id)
        .join(Product, Product.id == PickTask.product_id)
        .outerjoin(Lot, Lot.id == PickTask.lot_id)
        .where(PickTask.batch_id == batch_id, PickTask.status != TaskStatus.CANCELLED.value)
        .order_by(PickTask.seq, PickTask.id)
    ).all()
    codes = _barcodes(s, {p.id for _, _, p, _ in rows})
    totes = _tote_codes(s, batch_id)
    out = []
    for number, (task, loc, product, lot) in enumerate(rows, start=1):
        line = PickLine(
            seq=number,
            location=loc.code,
            location_barcode=loc.barcode,
            sku=product.sku,
            product_barcode=codes.get(product.id, product.sku),
            name=product.name,
            qty=task.qty,
            lot=lot.lot_number if lot else "",
            tote_slot=task.tote_slot,
            tote_code=totes.get(task.tote_slot, "") if task.tote_slot is not None else "",
        )
        out.append((line, loc.id))
    return out


def _tote_codes(s: Session, batch_id: int) -> dict[int, str]:
    return {
        slot: code
        for slot, code in s.execute(
            select(WaveOrder.tote_slot, WaveOrder.tote_code).where(
                WaveOrder.batch_id == batch_id, WaveOrder.tote_slot.is_not(None)
            )
        ).tuples()
        if code and slot is not None
    }


def _route(
    uow: UnitOfWork, warehouse_id: int, lines: list[tuple[PickLine, int]]
) -> RouteMap | None:
    """The walk through the tasks' locations in their route order (each location once, numbered
    by its first task), drawn on the layout; None when the warehouse has no layout."""
    layout = load_layout(uow, warehouse_id)
    if layout is None or not lines:
        return None
    points = access_points(uow, warehouse_id, [loc for _, loc in lines])
    stops: list[Stop] = []
    numbers: list[int] = []
    seen: set[int] = set()
    for line, loc in lines:
        if loc in seen or loc not in points:
            continue
        seen.add(loc)
        stops.append(Stop(line.location, points[loc]))
        numbers.append(line.seq)
    depot = layout.depot_point()
    return RouteMap(
        aisles=tuple((a.code, a.x, a.y_from, a.y_to) for a in layout.aisles),
        cross_aisles=layout.cross_aisles,
        depot=(depot.x, depot.y),
        path=tuple(walk_path(layout, stops)),
        stops=tuple((n, st.point.x, st.point.y) for n, st in zip(numbers, stops, strict=True)),
        length_m=round(route_length(layout, stops), 1),
    )


@reads
def pick_list(uow: UnitOfWork, actor: Actor, wave: str) -> PickListData:
    """What a released wave's pick list shows: one section per batch (not cancelled)."""
    with uow:
        uow.require(actor, Permission.VIEW_ORDERS)
        s = uow.session
        row = _find_wave(s, wave)
        warehouse = s.scalar(select(Warehouse.code).where(Warehouse.id == row.warehouse_id))
        sheets = []
        for batch in s.scalars(
            select(PickBatch)
            .where(PickBatch.wave_id == row.id, PickBatch.status != BatchStatus.CANCELLED.value)
            .order_by(PickBatch.number)
        ):
            lines = _lines(s, batch.id)
            cart = s.scalar(select(Cart.code).where(Cart.id == batch.cart_id)) or ""
            count = len(
                s.scalars(select(WaveOrder.order_id).where(WaveOrder.batch_id == batch.id)).all()
            )
            sheets.append(
                BatchSheet(
                    label=f"{row.number}-{batch.number}",
                    method=row.pick_method,
                    cart=cart,
                    bulk_tote=batch.bulk_tote,
                    orders=count,
                    lines=tuple(line for line, _ in lines),
                    route=_route(uow, row.warehouse_id, lines),
                )
            )
        if not sheets:
            raise WaveNotReleased(wave=row.number, status=row.status)
        return PickListData(row.number, warehouse or "", tuple(sheets))


@reads
def pick_list_document(uow: UnitOfWork, actor: Actor, wave: str) -> tuple[bytes, PickListData, int]:
    """The pick list as a PDF, with its data and its number of pages."""
    data = pick_list(uow, actor, wave)
    document, pages = pick_list_pdf(data)
    return document, data, pages
