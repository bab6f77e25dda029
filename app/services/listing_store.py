"""Product mappings as stored: their DTOs, saving one with its parts (audited), reading them
back. Used by ``listing_mappings`` (the services) and ``mapping_import`` (mapping files)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.db.models import Channel, ListingMappingPart, Product, utcnow
from app.db.models import ListingMapping as MappingRow
from app.db.uow import UnitOfWork
from app.domain.errors import NotFound, ValidationError
from app.domain.listings import MATCH_KINDS, MATCH_TEXT_MAX, Mapping, Part, match_key
from app.domain.users import Actor
from app.services.access import step


@dataclass(frozen=True)
class MappingPart:
    product_id: int
    sku: str
    name: str
    units: int


@dataclass(frozen=True)
class ListingMapping:
    id: int
    channel_id: int | None
    #: "" = every channel
    channel_name: str
    match_kind: str
    match_text: str
    parts: tuple[MappingPart, ...]
    updated_at: datetime


def check_parts(s: Session, parts: Sequence[tuple[int, int]]) -> dict[int, Product]:
    """The parts' products; a ValidationError naming what to fix."""
    if not parts:
        raise ValidationError("A mapping needs at least one product. Choose the product.")
    products = {
        p.id: p for p in s.scalars(select(Product).where(Product.id.in_([pid for pid, _ in parts])))
    }
    seen: set[int] = set()
    for pid, units in parts:
        p = products.get(pid)
        if p is None:
            raise NotFound(what="Product", key=str(pid))
        if not p.active:
            raise ValidationError(
                "The product {sku} is no longer sold; choose another product.", sku=p.sku
            )
        if not isinstance(units, int) or isinstance(units, bool) or units < 1:
            raise ValidationError(
                "The units of {sku} must be a whole number above 0 (a 6-pack: 6).", sku=p.sku
            )
        if pid in seen:
            raise ValidationError(
                "The product {sku} is in the mapping twice; give it once with the total units.",
                sku=p.sku,
            )
        seen.add(pid)
    return products


@step
def save(
    uow: UnitOfWork,
    actor: Actor,
    channel_id: int | None,
    match_kind: str,
    match_text: str,
    parts: Sequence[tuple[int, int]],
    mapping_id: int | None,
) -> tuple[MappingRow, bool]:
    """Insert or change a mapping and its parts, audited; (the row, True when added)."""
    s = uow.session
    text = match_text.strip()
    key = match_key(text)
    if match_kind not in MATCH_KINDS:
        raise ValidationError(
            "The match {kind} is not one of sku, listing_id or title.", kind=match_kind
        )
    if not key:
        raise ValidationError("The listing to match is empty; write its SKU, id or title.")
    if len(text) > MATCH_TEXT_MAX:
        raise ValidationError(
            "The listing to match is longer than {limit} characters.", limit=MATCH_TEXT_MAX
        )
    if channel_id is not None and s.get(Channel, channel_id) is None:
        raise NotFound(what="Channel", key=str(channel_id))
    check_parts(s, parts)
    same = s.scalar(
        select(MappingRow).where(
            MappingRow.channel_id.is_(None)
            if channel_id is None
            else MappingRow.channel_id == channel_id,
            MappingRow.match_kind == match_kind,
            MappingRow.match_key == key,
        )
    )
    row: MappingRow | None = None
    if mapping_id is not None:
        row = s.get(MappingRow, mapping_id)
        if row is None:
            raise NotFound(what="Product mapping", key=str(mapping_id))
        if same is not None and same.id != row.id:
            raise ValidationError(
                "Another mapping already matches {text} for this channel; change that one.",
                text=text,
            )
    else:
        row = same
    added = row is None
    before = None if row is None else audit_json(dtos(s, [row])[0])
    now = utcnow()
    if row is None:
        row = MappingRow(created_by=actor.user_id, created_at=now)
        s.add(row)
    row.channel_id = channel_id
    row.match_kind = match_kind
    row.match_text = text
    row.match_key = key
    row.updated_at = now
    row.updated_by = actor.user_id
    s.flush()
    s.execute(delete(ListingMappingPart).where(ListingMappingPart.mapping_id == row.id))
    s.add_all(ListingMappingPart(mapping_id=row.id, product_id=p, units=u) for p, u in parts)
    s.flush()
    after = audit_json(dtos(s, [row])[0])
    action = "mapping.add" if added else "mapping.change"
    uow.audit(actor, action, "listing_mapping", row.id, before=before, after=after)
    return row, added


def audit_json(m: ListingMapping) -> dict[str, object]:
    return {
        "channel": m.channel_name,
        "match": m.match_kind,
        "listing": m.match_text,
        "parts": [[p.sku, p.units] for p in m.parts],
    }


def domain_mapping(s: Session, row: MappingRow) -> Mapping:
    dto = dtos(s, [row])[0]
    return Mapping(
        row.id,
        row.channel_id,
        row.match_kind,
        row.match_key,
        tuple(Part(p.product_id, p.sku, p.name, p.units) for p in dto.parts),
    )


def dtos(s: Session, rows: Sequence[MappingRow]) -> list[ListingMapping]:
    ids = [r.id for r in rows]
    parts: dict[int, list[MappingPart]] = {}
    for i in range(0, len(ids), 500):
        for mid, pid, sku, name, units in s.execute(
            select(
                ListingMappingPart.mapping_id,
                Product.id,
                Product.sku,
                Product.name,
                ListingMappingPart.units,
            )
            .join(Product, Product.id == ListingMappingPart.product_id)
            .where(ListingMappingPart.mapping_id.in_(ids[i : i + 500]))
            .order_by(ListingMappingPart.id)
        ):
            parts.setdefault(mid, []).append(MappingPart(pid, sku, name, units))
    names = dict(s.execute(select(Channel.id, Channel.name)).tuples().all())
    return [
        ListingMapping(
            id=r.id,
            channel_id=r.channel_id,
            channel_name=names.get(r.channel_id, "") if r.channel_id is not None else "",
            match_kind=r.match_kind,
            match_text=r.match_text,
            parts=tuple(parts.get(r.id, [])),
            updated_at=r.updated_at,
        )
        for r in rows
    ]
