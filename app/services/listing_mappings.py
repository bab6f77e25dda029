"""Product mappings (平台货品对应): list, search the catalogue, map a held line, save, delete,
import a mapping file. How lines are matched: ``app.domain.listings``; how a mapping changes
orders waiting in review: ``app.services.listing_apply``; at import: ``listing_match``.

Writes need EDIT_ORDERS, reads VIEW_ORDERS; every save, delete and import is audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from app.db.models import (
    Channel,
    ListingMappingPart,
    Order,
    OrderLine,
    Product,
    ProductBarcode,
)
from app.db.models import ListingMapping as MappingRow
from app.db.uow import UnitOfWork
from app.domain.errors import NotFound, ValidationError
from app.domain.listings import MATCH_KINDS, Listing, Mapping, match_key
from app.domain.users import Actor, Permission
from app.importers import mapping_file
from app.importers.records import RowProblem
from app.services import mapping_import
from app.services.access import reads, require_now, writes
from app.services.listing_apply import (
    WAITING,
    Applied,
    apply_mappings,
    count_waiting_orders,
    line_listing,
)
from app.services.listing_store import (
    ListingMapping,
    MappingPart,
    audit_json,
    domain_mapping,
    dtos,
    save,
)

__all__ = [
    "LineListing",
    "ListingMapping",
    "MapResult",
    "MappingImportResult",
    "MappingPart",
    "ProductHit",
]


@dataclass(frozen=True)
class ProductHit:
    product_id: int
    sku: str
    name: str
    #: the barcode that matched, or ""
    barcode: str


@dataclass(frozen=True)
class LineListing:
    """What Review shows for a held line it wants to map."""

    order_id: int
    line_id: int
    channel_id: int
    channel_name: str
    sku: str
    listing_id: str
    title: str
    qty: int
    #: the kind the dialog should propose: 'sku' if the line has one, else 'listing_id' if
    #: any, else 'title'
    match_kind: str
    match_text: str
    #: held orders (this one included) that have the same listing
    held_orders_with_listing: int


@dataclass(frozen=True)
class MapResult:
    mapping: ListingMapping
    rechecked: int
    released: int
    still_held: int


@dataclass(frozen=True)
class MappingImportResult:
    added: int
    updated: int
    problems: tuple[RowProblem, ...]
    rechecked: int
    released: int


# --- reads ----------------------------------------------------------------------------------


@reads
def list_mappings(
    uow: UnitOfWork, actor: Actor, search: str = "", channel_id: int | None = None
) -> list[ListingMapping]:
    """The mappings, by channel and listing. ``search`` finds the listing text or a part's SKU
    or name (any case); ``channel_id`` keeps the mappings that apply to that channel (its own
    and the every-channel ones)."""
    with uow:
        uow.require(actor, Permission.VIEW_ORDERS)
        q = select(MappingRow)
        if channel_id is not None:
            q = q.where(or_(MappingRow.channel_id == channel_id, MappingRow.channel_id.is_(None)))
        key = match_key(search)
        if key:
            part_hit = (
                select(ListingMappingPart.mapping_id)
                .join(Product, Product.id == ListingMappingPart.product_id)
                .where(
                    or_(
                        func.lower(Product.sku).contains(key, autoescape=True),
                        func.lower(Product.name).contains(key, autoescape=True),
                    )
                )
            )
            q = q.where(
                or_(
                    MappingRow.match_key.contains(key, autoescape=True),
                    MappingRow.id.in_(part_hit),
                )
            )
        rows = list(uow.session.scalars(q.order_by(MappingRow.match_key, MappingRow.id)))
        return dtos(uow.session, rows)


@reads
def search_products(uow: UnitOfWork, actor: Actor, text: str, limit: int = 20) -> list[ProductHit]:
    """Active products for the mapping dialog: an exact barcode or SKU first (a scan), then
    the SKUs and names that contain the text (any case, Chinese too)."""
    with uow:
        uow.require(actor, Permission.VIEW_ORDERS)
        s = uow.session
        t = text.strip()
        if not t:
            return []
        hits: list[ProductHit] = []
        seen: set[int] = set()

        def add(pid: int, sku: str, name: str, barcode: str = "") -> None:
            if pid not in seen and len(hits) < limit:
                seen.add(pid)
                hits.append(ProductHit(pid, sku, name, barcode))

        for pid, sku, name, code in s.execute(
            select(Product.id, Product.sku, Product.name, ProductBarcode.barcode)
            .join(ProductBarcode, ProductBarcode.product_id == Product.id)
            .where(ProductBarcode.barcode == t, Product.active)
        ):
            add(pid, sku, name, code)
        for pid, sku, name in s.execute(
            select(Product.id, Product.sku, Product.name)
            .where(func.upper(Product.sku) == t.upper(), Product.active)
            .order_by(Product.sku)
        ):
            add(pid, sku, name)
        low = t.lower()
        for pid, sku, name in s.execute(
            select(Product.id, Product.sku, Product.name)
            .where(
                Product.active,
                or_(
                    func.lower(Product.sku).contains(low, autoescape=True),
                    func.lower(Product.name).contains(low, autoescape=True),
                ),
            )
            .order_by(func.length(Product.sku), Product.sku)
            .limit(limit)
        ):
            add(pid, sku, name)
        return hits


@reads
def listing_of_line(uow: UnitOfWork, actor: Actor, order_id: int, line_id: int) -> LineListing:
    """What the channel sold on a line, and how a mapping of it would match."""
    with uow:
        uow.require(actor, Permission.VIEW_ORDERS)
        order, ln = _order_line(uow.session, order_id, line_id)
        return _line_listing(uow.session, order, ln)


@reads
def export_rows(uow: UnitOfWork, actor: Actor) -> list[list[str]]:
    """The whole table as the rows of a mapping file (header first): importing them back gives
    the same mappings."""
    with uow:
        uow.require(actor, Permission.VIEW_ORDERS)
        rows = list(uow.session.scalars(select(MappingRow).order_by(MappingRow.id)))
        return mapping_file.write_rows(
            [
                (m.channel_name, m.match_kind, m.match_text, [(p.sku, p.units) for p in m.parts])
                for m in dtos(uow.session, rows)
            ]
        )


# --- writes ---------------------------------------------------------------------------------


@writes(Permission.EDIT_ORDERS)
def save_mapping(
    uow: UnitOfWork,
    actor: Actor,
    channel_id: int | None,
    match_kind: str,
    match_text: str,
    parts: Sequence[tuple[int, int]],
    mapping_id: int | None = None,
    apply_to_held: bool = True,
) -> MapResult:
    """Add a mapping, or change one (``mapping_id``; a mapping with the same channel, match
    and listing is changed too). With ``apply_to_held`` the held orders with that listing are
    mapped and checked again in the same unit of work."""
    with uow:
        uow.require(actor, Permission.EDIT_ORDERS)
        s = uow.session
        row, _ = save(uow, actor, channel_id, match_kind, match_text, parts, mapping_id)
        applied = (
            apply_mappings(uow, actor, [domain_mapping(s, row)]) if apply_to_held else Applied()
        )
        dto = dtos(s, [row])[0]
        uow.commit()
        return MapResult(dto, applied.rechecked, applied.released, applied.still_held)


@writes(Permission.EDIT_ORDERS)
def map_line(
    uow: UnitOfWork,
    actor: Actor,
    order_id: int,
    line_id: int,
    parts: Sequence[tuple[int, int]],
    match_kind: str | None = None,
    apply_to_held: bool = True,
) -> MapResult:
    """Map a held order's line: save the mapping of its listing for its channel (matched by
    ``match_kind``, by default its SKU, else its listing id, else its title), map this order's
    lines and, with ``apply_to_held``, those of every held order with the same listing, and
    check them again. One unit of work."""
    with uow:
        uow.require(actor, Permission.EDIT_ORDERS)
        s = uow.session
        order, ln = _order_line(s, order_id, line_id)
        if order.status not in WAITING:
            raise ValidationError(
                "Order {number} is {status}; only new or held orders can be mapped.",
                number=order.number,
                status=order.status,
            )
        if ln.product_id is not None:
            raise ValidationError(
                "Line {line} of order {number} is already the product {sku}; edit the order "
                "to change it.",
                line=ln.line_no,
                number=order.number,
                sku=ln.sku,
            )
        listing = line_listing(ln)
        kind = match_kind or listing.proposed()[0]
        text = _text_of(listing, kind)
        if not match_key(text):
            raise ValidationError(
                "Line {line} has no {kind} to match on; choose another match.",
                line=ln.line_no,
                kind=kind,
            )
        row, _ = save(uow, actor, order.channel_id, kind, text, parts, None)
        m = domain_mapping(s, row)
        applied = apply_mappings(uow, actor, [m], None if apply_to_held else [order.id])
        dto = dtos(s, [row])[0]
        uow.commit()
        return MapResult(dto, applied.rechecked, applied.released, applied.still_held)


@writes(Permission.EDIT_ORDERS)
def delete_mapping(uow: UnitOfWork, actor: Actor, mapping_id: int) -> None:
    """Delete a mapping. Orders mapped by it keep their products; later imports of the
    listing are held again."""
    with uow:
        uow.require(actor, Permission.EDIT_ORDERS)
        s = uow.session
        row = s.get(MappingRow, mapping_id)
        if row is None:
            raise NotFound(what="Product mapping", key=str(mapping_id))
        before = audit_json(dtos(s, [row])[0])
        s.execute(update(OrderLine).where(OrderLine.mapping_id == row.id).values(mapping_id=None))
        s.execute(delete(ListingMappingPart).where(ListingMappingPart.mapping_id == row.id))
        s.delete(row)
        uow.audit(actor, "mapping.delete", "listing_mapping", mapping_id, before=before)
        uow.commit()


@writes(Permission.EDIT_ORDERS)
def import_mappings(uow: UnitOfWork, actor: Actor, path: Path | str) -> MappingImportResult:
    """Read a mapping file (CSV or XLSX), save its good mappings, report its bad rows by row
    number, and map and check again the held orders the new mappings match. A file that
    cannot be read at all raises ``ImportFileError`` before anything is written."""
    actor = require_now(uow, actor, Permission.EDIT_ORDERS)
    path = Path(path)
    items = mapping_file.read(path)  # the slow part, before the unit of work
    with uow:
        uow.require(actor, Permission.EDIT_ORDERS)
        done = mapping_import.save_all(uow, actor, items, file=path.name)
        uow.commit()
    return MappingImportResult(
        done.added, done.updated, done.problems, done.applied.rechecked, done.applied.released
    )


# --- helpers -------------------------------------------------------------------------------


def _line_listing(s: Session, order: Order, ln: OrderLine) -> LineListing:
    channel = s.get(Channel, order.channel_id)
    listing = line_listing(ln)
    kind, text = listing.proposed()
    probe = Mapping(0, order.channel_id, kind, match_key(text), ())
    held = count_waiting_orders(s, probe) if probe.key else 0
    return LineListing(
        order_id=order.id,
        line_id=ln.id,
        channel_id=order.channel_id,
        channel_name=channel.name if channel else "",
        sku=listing.sku,
        listing_id=listing.listing_id,
        title=listing.title,
        qty=ln.qty,
        match_kind=kind,
        match_text=text,
        held_orders_with_listing=max(held, 1 if ln.product_id is None else 0),
    )


def _order_line(s: Session, order_id: int, line_id: int) -> tuple[Order, OrderLine]:
    order = s.get(Order, order_id)
    if order is None:
        raise NotFound(what="Order", key=str(order_id))
    ln = s.get(OrderLine, line_id)
    if ln is None or ln.order_id != order.id:
        raise NotFound(what="Order line", key=str(line_id))
    return order, ln


def _text_of(listing: Listing, kind: str) -> str:
    if kind not in MATCH_KINDS:
        raise ValidationError("The match {kind} is not one of sku, listing_id or title.", kind=kind)
    return {"sku": listing.sku, "listing_id": listing.listing_id, "title": listing.title}[
        kind
    ].strip()
