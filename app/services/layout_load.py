"""Loading a layout file: the warehouse's aisles, cross aisles, depots and zones are replaced
in one unit of work, and the file's ``[[location]]`` rows move existing locations. A file with
any problem changes nothing and every problem is listed (by row, or TOML line)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, insert, select, update

from app.db.models import LayoutAisle, LayoutCrossAisle, LayoutDepot, LayoutZone, Location
from app.db.uow import UnitOfWork
from app.domain.errors import NotFound
from app.domain.users import Actor, Permission
from app.importers import layout_file
from app.importers.layout_file import LayoutFile
from app.importers.records import RowProblem
from app.services.access import writes
from app.services.layouts import find_warehouse

#: problems only the database can find (collected for translation like the file's own)
LAYOUT_LOAD_MESSAGES = {
    "unknown_location": (
        "Location {code} is not a location of warehouse {warehouse}. Correct the code, or "
        "create the location first."
    ),
    "unknown_warehouse": (
        "The file is for warehouse {code}, which is not a warehouse here. Correct the "
        "[warehouse] code."
    ),
}

_L = LAYOUT_LOAD_MESSAGES
_TABLES = (LayoutAisle, LayoutCrossAisle, LayoutDepot, LayoutZone)
_BY_NAME = {t.__tablename__: t for t in _TABLES}


@dataclass(frozen=True, slots=True)
class LayoutLoadReport:
    """What loading a file did: counts written (all 0 when it had problems, and then nothing
    changed), and every problem; ``row_word`` is "row" (CSV) or "line" (TOML)."""

    file: str
    warehouse: str
    aisles: int
    cross_aisles: int
    depots: int
    zones: int
    locations: int
    problems: tuple[RowProblem, ...]
    row_word: str = "row"

    @property
    def loaded(self) -> bool:
        return not self.problems


@writes(Permission.MANAGE_SETTINGS)
def load_layout_file(
    uow: UnitOfWork, actor: Actor, path: Path | str, warehouse: str | None = None
) -> LayoutLoadReport:
    """Replace the layout of ``warehouse`` (the file's ``[warehouse]``, else the first
    warehouse) with the file at ``path``; a file that cannot be read raises ImportFileError."""
    with uow:
        uow.require(actor, Permission.MANAGE_SETTINGS)
        parsed = layout_file.read(path)
        problems = list(parsed.problems)
        try:
            warehouse_id, code = find_warehouse(uow, warehouse or parsed.warehouse or None)
        except NotFound:
            code = warehouse or parsed.warehouse
            problems.append(RowProblem(0, _L["unknown_warehouse"], {"code": code}))
            return _report(parsed, code, problems)
        locations = _location_ids(uow, warehouse_id, code, parsed, problems)
        if problems:
            return _report(parsed, code, problems)
        before = _counts(uow, warehouse_id)
        _replace(uow, warehouse_id, parsed, locations)
        uow.audit(
            actor,
            "layout.load",
            "warehouse",
            warehouse_id,
            before=before,
            after={**_counts(uow, warehouse_id), "file": parsed.name},
        )
        uow.commit()
        return _report(parsed, code, [])


def _report(parsed: LayoutFile, warehouse: str, problems: list[RowProblem]) -> LayoutLoadReport:
    ok = not problems
    return LayoutLoadReport(
        file=parsed.name,
        warehouse=warehouse,
        aisles=len(parsed.aisles) if ok else 0,
        cross_aisles=len(parsed.cross_aisles) if ok else 0,
        depots=len(parsed.depots) if ok else 0,
        zones=len(parsed.zones) if ok else 0,
        locations=len(parsed.locations) if ok else 0,
        problems=tuple(sorted(problems, key=lambda p: p.row)),
        row_word=parsed.row_word,
    )


def _location_ids(
    uow: UnitOfWork, warehouse_id: int, code: str, parsed: LayoutFile, problems: list[RowProblem]
) -> dict[str, int]:
    """The ids of the file's locations; an unknown code is a problem at its row."""
    wanted = [loc.code for loc in parsed.locations]
    found: dict[str, int] = {}
    for i in range(0, len(wanted), 1000):
        found.update(
            uow.session.execute(
                select(Location.code, Location.id).where(
                    Location.warehouse_id == warehouse_id, Location.code.in_(wanted[i : i + 1000])
                )
            )
            .tuples()
            .all()
        )
    for loc in parsed.locations:
        if loc.code not in found:
            problems.append(
                RowProblem(loc.row, _L["unknown_location"], {"code": loc.code, "warehouse": code})
            )
    return found


def _counts(uow: UnitOfWork, warehouse_id: int) -> dict[str, int]:
    return {
        t.__tablename__: uow.session.scalar(
            select(func.count()).select_from(t).where(t.warehouse_id == warehouse_id)
        )
        or 0
        for t in _TABLES
    }


def _replace(
    uow: UnitOfWork, warehouse_id: int, parsed: LayoutFile, locations: dict[str, int]
) -> None:
    s = uow.session
    for table in _TABLES:
        s.execute(delete(table).where(table.warehouse_id == warehouse_id))
    for name, rows in layout_rows(parsed, warehouse_id).items():
        if rows:
            s.execute(insert(_BY_NAME[name]), rows)
    for loc in parsed.locations:
        values: dict[str, object] = {"aisle": loc.aisle, "y": loc.y}
        if loc.x is not None:
            values["x"] = loc.x
        s.execute(update(Location).where(Location.id == locations[loc.code]).values(**values))


def layout_rows(layout: LayoutFile, warehouse_id: int) -> dict[str, list[dict[str, Any]]]:
    """Rows per layout table for ``warehouse_id`` (ids left to the database)."""
    default = layout.default_depot
    return {
        "layout_aisles": [
            {"warehouse_id": warehouse_id, "code": a.code, "x": a.x, "y_from": a.y_from,
             "y_to": a.y_to}
            for a in layout.aisles
        ],
        "layout_cross_aisles": [
            {"warehouse_id": warehouse_id, "y": c.y, "name": c.name} for c in layout.cross_aisles
        ],
        "layout_depots": [
            {"warehouse_id": warehouse_id, "code": d.code, "name": d.name, "x": d.x, "y": d.y,
             "is_default": d.code == default}
            for d in layout.depots
        ],
        "layout_zones": [
            {"warehouse_id": warehouse_id, "code": z.code, "name": z.name, "colour": z.colour}
            for z in layout.zones
        ],
    }  # fmt: skip
