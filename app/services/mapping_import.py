"""Saving the mappings of a mapping file (read by ``app.importers.mapping_file``): channels and
SKUs checked, good mappings saved, bad rows reported by row number, and the held orders the new
mappings match mapped and checked again. The service is ``listing_mappings.import_mappings``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from app.db.models import Channel
from app.db.uow import UnitOfWork
from app.domain.errors import ValidationError
from app.domain.listings import Mapping, match_key
from app.domain.users import Actor
from app.importers import mapping_file as mf
from app.importers.records import ProblemKind, RowProblem
from app.services.access import step
from app.services.listing_apply import Applied, apply_mappings
from app.services.listing_store import domain_mapping, save
from app.services.order_checks import resolve_skus


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
    """Save the file's mappings inside the caller's unit of work (the caller commits)."""
    s = uow.session
    channels: dict[str, int] = {}
    for cid, code, name in s.execute(select(Channel.id, Channel.code, Channel.name)):
        channels.setdefault(match_key(name), cid)
        channels.setdefault(match_key(code), cid)
    products = resolve_skus(s, {p.sku for m in items for p in m.parts if p.sku})
    problems: list[RowProblem] = []
    saved: dict[tuple[int | None, str, str], int] = {}
    news: list[Mapping] = []
    added = updated = 0
    for m in items:
        channel_id = channels.get(match_key(m.channel)) if m.channel.strip() else None
        bad = list(m.problems) + _refs(m, channel_id, products)
        if not bad:
            try:
                parts = [(products[p.sku], p.units) for p in m.parts]
                row, is_new = save(uow, actor, channel_id, m.match_kind, m.listing, parts, None)
            except ValidationError as exc:
                bad = [RowProblem(m.rows[0], exc.template, _params(exc), ProblemKind.REJECTED)]
        if bad:
            problems += _with_rest(m, bad)
            continue
        key = (channel_id, m.match_kind, match_key(m.listing))
        if key in saved:
            problems.append(
                RowProblem(m.rows[0], mf.REPEATED, {"first": saved[key]}, ProblemKind.WARNING)
            )
        saved.setdefault(key, m.rows[0])
        added += is_new
        updated += not is_new
        news.append(domain_mapping(s, row))
    applied = apply_mappings(uow, actor, news) if news else Applied()
    uow.audit(
        actor,
        "mapping.import",
        "listing_mapping",
        file,
        after={
            "added": added,
            "updated": updated,
            "problems": len(problems),
            "rechecked": applied.rechecked,
            "released": applied.released,
        },
    )
    problems.sort(key=lambda p: p.row)
    return ImportDone(added, updated, tuple(problems), applied)


def _params(exc: ValidationError) -> dict[str, object]:
    return {k: v for k, v in exc.params.items() if k != "detail"}


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
