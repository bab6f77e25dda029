"""Saving the mappings of a mapping file (read by ``app.importers.mapping_file``): channels and
SKUs checked, good mappings saved, bad rows reported by row number, and the held orders the new
mappings match mapped and checked again. The service is ``listing_mappings.import_mappings``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, delete, insert, select
from sqlalchemy.orm import Session

from app.db.models import Channel, ListingMappingPart, Product, utcnow
from app.db.models import ListingMapping as MappingRow
from app.db.uow import UnitOfWork
from app.domain.listings import Mapping, Part, match_key
from app.domain.users import Actor
from app.importers import mapping_file as mf
from app.importers.records import ProblemKind, RowProblem
from app.services.access import step
from app.services.listing_apply import Applied, apply_mappings
from app.services.sku_lookup import resolve_skus

#: (channel id or None, match kind, match key)
Key = tuple[int | None, str, str]
_CHUNK = 500
#: listings named in the import's audit row
AUDITED = 500
_parts = cast(Table, ListingMappingPart.__table__)


@dataclass(frozen=True)
class ImportDone:
    added: int
    updated: int
    problems: tuple[RowProblem, ...]
    applied: Applied


@step
def save_all(
    uow: UnitOfWork, actor: Actor, items: Sequence[mf.MappingRows], file: str = ""
) -> ImportDone:
    """Save the file's mappings inside the caller's unit of work (the caller commits): a few
    queries for the whole file, not per mapping."""
    s = uow.session
    channels: dict[str, int] = {}
    for cid, code, name in s.execute(select(Channel.id, Channel.code, Channel.name)):
        channels.setdefault(match_key(name), cid)
        channels.setdefault(match_key(code), cid)
    products = resolve_skus(s, {p.sku for m in items for p in m.parts if p.sku})
    problems: list[RowProblem] = []
    good: dict[Key, tuple[int, str, list[tuple[int, int]]]] = {}
    for m in items:
        channel_id = channels.get(match_key(m.channel)) if m.channel.strip() else None
        bad = list(m.problems) + _refs(m, channel_id, products)
        if bad:
            problems += _with_rest(m, bad)
            continue
        key = (channel_id, m.match_kind, match_key(m.listing))
        if key in good:
            first = {"first": good[key][0]}
            problems.append(RowProblem(m.rows[0], mf.REPEATED, first, ProblemKind.WARNING))
        good[key] = (m.rows[0], m.listing.strip(), [(products[p.sku], p.units) for p in m.parts])
    rows, added = _write(s, actor, good)
    news = _domain(s, rows, good)
    applied = apply_mappings(uow, actor, news) if news else Applied()
    uow.audit(
        actor,
        "mapping.import",
        "listing_mapping",
        file,
        after={
            "added": added,
            "updated": len(good) - added,
            "problems": len(problems),
            "rechecked": applied.rechecked,
            "released": applied.released,
            "mappings": [[k[0], k[1], text] for k, (_, text, _) in list(good.items())[:AUDITED]],
        },
    )
    problems.sort(key=lambda p: p.row)
    return ImportDone(added, len(good) - added, tuple(problems), applied)


def _write(
    s: Session, actor: Actor, good: dict[Key, tuple[int, str, list[tuple[int, int]]]]
) -> tuple[dict[Key, MappingRow], int]:
    """Insert or change the mappings and replace their parts; (rows by key, how many new)."""
    existing = _existing(s, list(good))
    now = utcnow()
    rows: dict[Key, MappingRow] = {}
    for key, (_, text, _) in good.items():
        row = existing.get(key)
        if row is None:
            row = MappingRow(
                channel_id=key[0],
                match_kind=key[1],
                match_key=key[2],
                created_at=now,
                created_by=actor.user_id,
            )
            s.add(row)
        row.match_text = text
        row.updated_at = now
        row.updated_by = actor.user_id
        rows[key] = row
    s.flush()
    old = sorted(r.id for r in existing.values())
    for i in range(0, len(old), _CHUNK):
        s.execute(
            delete(ListingMappingPart).where(ListingMappingPart.mapping_id.in_(old[i : i + _CHUNK]))
        )
    parts = [
        {"mapping_id": rows[key].id, "product_id": pid, "units": units}
        for key, (_, _, items) in good.items()
        for pid, units in items
    ]
    if parts:
        s.execute(insert(_parts), parts)
    return rows, len(good) - len(existing)


def _existing(s: Session, keys: list[Key]) -> dict[Key, MappingRow]:
    out: dict[Key, MappingRow] = {}
    wanted = set(keys)
    for kind in {k[1] for k in keys}:
        texts = sorted({k[2] for k in keys if k[1] == kind})
        for i in range(0, len(texts), _CHUNK):
            for row in s.scalars(
                select(MappingRow).where(
                    MappingRow.match_kind == kind, MappingRow.match_key.in_(texts[i : i + _CHUNK])
                )
            ):
                key = (row.channel_id, row.match_kind, row.match_key)
                if key in wanted:
                    out[key] = row
    return out


def _domain(
    s: Session, rows: dict[Key, MappingRow], good: dict[Key, tuple[int, str, list[tuple[int, int]]]]
) -> list[Mapping]:
    ids = sorted({pid for _, _, items in good.values() for pid, _ in items})
    info: dict[int, tuple[str, str]] = {}
    for i in range(0, len(ids), _CHUNK):
        for pid, sku, name in s.execute(
            select(Product.id, Product.sku, Product.name).where(Product.id.in_(ids[i : i + _CHUNK]))
        ):
            info[pid] = (sku, name)
    return [
        Mapping(
            rows[key].id,
            key[0],
            key[1],
            key[2],
            tuple(Part(pid, *info[pid], units) for pid, units in items),
        )
        for key, (_, _, items) in good.items()
    ]


def _refs(m: mf.MappingRows, channel_id: int | None, products: dict[str, int]) -> list[RowProblem]:
    """Problems with what the rows name: the channel, the SKUs, a product given twice."""
    out: list[RowProblem] = []
    if m.channel.strip() and channel_id is None:
        out.append(mf.problem(m.rows[0], mf.UNKNOWN_CHANNEL, channel=m.channel))
    first: dict[int, int] = {}
    for p in m.parts:
        if not p.sku:
            continue
        pid = products.get(p.sku)
        if pid is None:
            out.append(mf.problem(p.row, mf.UNKNOWN_SKU, sku=p.sku))
        elif pid in first:
            out.append(mf.problem(p.row, mf.SAME_PRODUCT, sku=p.sku, first=first[pid], row=p.row))
        else:
            first[pid] = p.row
    return out


def _with_rest(m: mf.MappingRows, bad: list[RowProblem]) -> list[RowProblem]:
    """The problems, and a "left out with its mapping" for each other row of the mapping."""
    rows = {p.row for p in bad}
    first = min(rows)
    rest = [mf.problem(r, mf.KIT_LEFT_OUT, row=first) for r in m.rows if r not in rows]
    return bad + rest
