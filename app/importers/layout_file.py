"""Warehouse layout files (TOML or CSV) -> layout records and numbered problems. No database.

TOML (``docs/layout.md``)::

    [warehouse]
    code = "WH1"
    [[aisle]]
    code = "01"
    x = 2.0
    y_from = 1.5
    y_to = 29.5
    [[cross_aisle]]
    y = 1.5
    name = "front"
    [[depot]]
    code = "PACK"
    name = "Pack benches"
    x = 10.0
    y = 1.5
    default = true
    [[zone]]
    code = "P"
    name = "Pick face"
    colour = "#0072B2"
    [[location]]            # optional: move existing locations
    code = "P01-01-1A"
    aisle = "01"
    y = 3.0
    x = 1.0                 # optional

CSV: a header row, then one row per thing, its ``kind`` column saying which (``aisle``,
``cross_aisle``, ``depot``, ``zone``, ``location``, and optionally ``warehouse``); columns
``code x y y_from y_to name colour aisle`` (and ``default`` for depots), unused ones empty.

A problem's ``row`` is the CSV row (the header is row 1) or the TOML line of the entry's
``[[...]]`` header; row 0 speaks of the whole file. The file's shape (the rules the database
is not needed for) is checked here: numbers, duplicates, aisle ends, cross aisles, depots on
cross aisles, locations within their aisle.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import math
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.domain.errors import ImportFileError
from app.importers import encoding
from app.importers.errors import CannotOpen, MalformedCsv, NotText
from app.importers.records import RowProblem

KINDS = ("warehouse", "aisle", "cross_aisle", "depot", "zone", "location")
COLUMNS = ("kind", "code", "x", "y", "y_from", "y_to", "name", "colour", "aisle", "default")
#: the longest codes and names the tables hold
CODE_LENGTH = {"aisle": 16, "depot": 32, "zone": 16, "location": 64, "warehouse": 32}
#: metres within which a depot counts as standing on a cross aisle
ON_CROSS_AISLE = 0.05

#: the problems a layout file can have, as English templates (collected for translation as
#: operator messages; screens translate a RowProblem's template with them)
LAYOUT_FILE_MESSAGES = {
    "bad_colour": "The colour {colour} of zone {code} is not #rrggbb (e.g. #0072B2).",
    "no_aisle_named": "The location {code} names no aisle. Give its aisle code.",
    "empty": "The file is empty: it has no header row.",
    "no_kind_column": "The header row has no 'kind' column. The columns are: {columns}.",
    "few_cross": (
        "The layout has {count} cross aisles; it needs at least two (a front and a back one). Add"
        " the missing ones."
    ),
    "no_aisle": "The layout has no aisle. Add at least one.",
    "no_depot": "The layout has no depot (where walks start and end). Add one.",
    "two_defaults": "Depot {code} is the default too; only one depot can be. Mark one.",
    "no_number": "The {kind} has no {field}. Give it a number in metres.",
    "too_long": "The {field} {value} of the {kind} is longer than {limit} characters.",
    "no_code": "The {kind} has no code. Give it one.",
    "unknown_kind": (
        "{kind!r} is not a kind of layout entry. Use aisle, cross_aisle, depot, zone or location."
    ),
    "y_order": "Aisle {code}: y_from {y_from:g} must be less than y_to {y_to:g}. Swap them.",
    "duplicate": "The {kind} {code} is given twice (first at {first}). Keep one of them.",
    "reach": (
        "Aisle {code} runs from y {y_from:g} to {y_to:g} but must reach the front and back cross "
        "aisles (y {low:g} and {high:g}). Extend it."
    ),
    "depot_off": (
        "Depot {code} at y {y:g} is not on a cross aisle (they are at y {crosses}). Put it on one."
    ),
    "unknown_aisle": "Location {code}: aisle {aisle} is not in the layout. Add the aisle.",
    "not_number": "The {field} of the {kind} is {value!r}, not a number. Write metres, e.g. 2.5.",
    "not_toml_part": (
        "{key!r} is not part of a layout file. Use [warehouse], [[aisle]], [[cross_aisle]], "
        "[[depot]], [[zone]] and [[location]]."
    ),
    "outside_aisle": (
        "Location {code}: y {y:g} is outside aisle {aisle} (y {y_from:g} to {y_to:g}). Correct "
        "its y or its aisle."
    ),
}
_M = LAYOUT_FILE_MESSAGES
#: the kinds of entry as messages name them (translated on screen)
LAYOUT_WORDS = {
    "aisle": "aisle",
    "cross_aisle": "cross aisle",
    "cross aisle": "cross aisle",
    "depot": "depot",
    "zone": "zone",
    "location": "location",
    "warehouse": "warehouse",
}


class BadToml(ImportFileError):
    template = (
        "The layout file {file} is not valid TOML: {reason}. Fix that line and load it again."
    )


class NotALayoutFile(ImportFileError):
    template = "The file {file} is neither a .toml nor a .csv layout file. Choose one of those."


@dataclass(frozen=True, slots=True)
class AisleRecord:
    row: int
    code: str
    x: float
    y_from: float
    y_to: float


@dataclass(frozen=True, slots=True)
class CrossAisleRecord:
    row: int
    y: float
    name: str = ""


@dataclass(frozen=True, slots=True)
class DepotRecord:
    row: int
    code: str
    name: str
    x: float
    y: float
    default: bool = False


@dataclass(frozen=True, slots=True)
class ZoneRecord:
    row: int
    code: str
    name: str = ""
    colour: str = ""


@dataclass(frozen=True, slots=True)
class LocationRecord:
    row: int
    code: str
    aisle: str
    y: float
    x: float | None = None


@dataclass(frozen=True, slots=True)
class LayoutFile:
    """What a layout file says, and every problem found in it (a file with problems must
    change nothing). ``row_word`` is "row" for CSV and "line" for TOML."""

    name: str
    row_word: str
    warehouse: str = ""
    aisles: tuple[AisleRecord, ...] = ()
    cross_aisles: tuple[CrossAisleRecord, ...] = ()
    depots: tuple[DepotRecord, ...] = ()
    zones: tuple[ZoneRecord, ...] = ()
    locations: tuple[LocationRecord, ...] = ()
    problems: tuple[RowProblem, ...] = field(default=())

    @property
    def default_depot(self) -> str:
        marked = [d.code for d in self.depots if d.default]
        return marked[0] if marked else (self.depots[0].code if self.depots else "")


def read(path: Path | str) -> LayoutFile:
    """Parse ``path`` by its extension (``.toml`` or ``.csv``) and check its shape."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".toml":
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise CannotOpen(file=path.name, reason=exc.strerror or str(exc)) from None
        except UnicodeDecodeError:
            raise NotText(file=path.name) from None
        return parse_toml(text, path.name)
    if suffix == ".csv":
        found = encoding.detect(path)
        with path.open(encoding=found.encoding, newline="") as f:
            return parse_csv(f.read(), path.name)
    raise NotALayoutFile(file=path.name)


# --- reading entries -----------------------------------------------------------------------


class _Entries:
    """Collects records and problems entry by entry."""

    def __init__(self, name: str, row_word: str) -> None:
        self.name, self.row_word = name, row_word
        self.warehouse = ""
        self.records: dict[str, list[Any]] = {k: [] for k in KINDS}
        self.problems: list[RowProblem] = []

    def problem(self, row: int, template: str, **params: Any) -> None:
        self.problems.append(RowProblem(row, template, params))

    def number(self, row: int, kind: str, entry: Mapping[str, Any], key: str) -> float | None:
        value = entry.get(key)
        if value is None or value == "":
            self.problem(
                row,
                _M["no_number"],
                kind=LAYOUT_WORDS.get(kind, kind),
                field=key,
            )
            return None
        try:
            if isinstance(value, bool):
                raise ValueError
            number = float(str(value).strip()) if isinstance(value, str) else float(value)
            if not math.isfinite(number):
                raise ValueError
        except (TypeError, ValueError):
            self.problem(
                row,
                _M["not_number"],
                kind=LAYOUT_WORDS.get(kind, kind),
                field=key,
                value=str(value),
            )
            return None
        return number

    def text(self, row: int, kind: str, entry: Mapping[str, Any], key: str, limit: int) -> str:
        value = entry.get(key)
        out = "" if value is None else str(value).strip()
        if len(out) > limit:
            self.problem(
                row,
                _M["too_long"],
                kind=LAYOUT_WORDS.get(kind, kind),
                field=key,
                value=out,
                limit=limit,
            )
        return out

    def code(self, row: int, kind: str, entry: Mapping[str, Any]) -> str:
        code = self.text(row, kind, entry, "code", CODE_LENGTH.get(kind, 64))
        if not code:
            self.problem(row, _M["no_code"], kind=LAYOUT_WORDS.get(kind, kind))
        return code

    def add(self, row: int, kind: str, entry: Mapping[str, Any]) -> None:
        reader = _READERS.get(kind)
        if reader is None:
            self.problem(
                row,
                _M["unknown_kind"],
                kind=kind,
            )
            return
        record = reader(self, row, entry)
        if record is not None:
            self.records[kind].append(record)

    def alone(self) -> LayoutFile:
        """The problems so far, without checking the layout's shape (nothing was read)."""
        return LayoutFile(self.name, self.row_word, problems=tuple(self.problems))

    def result(self) -> LayoutFile:
        r = self.records
        layout = LayoutFile(
            name=self.name,
            row_word=self.row_word,
            warehouse=self.warehouse,
            aisles=tuple(r["aisle"]),
            cross_aisles=tuple(sorted(r["cross_aisle"], key=lambda c: c.y)),
            depots=tuple(r["depot"]),
            zones=tuple(r["zone"]),
            locations=tuple(r["location"]),
        )
        problems = [*self.problems, *check(layout)]
        problems.sort(key=lambda p: p.row)
        return dataclasses.replace(layout, problems=tuple(problems))


def _aisle(e: _Entries, row: int, entry: Mapping[str, Any]) -> AisleRecord | None:
    code = e.code(row, "aisle", entry)
    x, y0, y1 = (e.number(row, "aisle", entry, k) for k in ("x", "y_from", "y_to"))
    if not code or x is None or y0 is None or y1 is None:
        return None
    return AisleRecord(row, code, x, y0, y1)


def _cross(e: _Entries, row: int, entry: Mapping[str, Any]) -> CrossAisleRecord | None:
    y = e.number(row, "cross_aisle", entry, "y")
    name = e.text(row, "cross_aisle", entry, "name", 64)
    return None if y is None else CrossAisleRecord(row, y, name)


def _depot(e: _Entries, row: int, entry: Mapping[str, Any]) -> DepotRecord | None:
    code = e.code(row, "depot", entry)
    name = e.text(row, "depot", entry, "name", 200)
    x, y = (e.number(row, "depot", entry, k) for k in ("x", "y"))
    default = _truth(entry.get("default"))
    if not code or x is None or y is None:
        return None
    return DepotRecord(row, code, name, x, y, default)


def _zone(e: _Entries, row: int, entry: Mapping[str, Any]) -> ZoneRecord | None:
    code = e.code(row, "zone", entry)
    name = e.text(row, "zone", entry, "name", 200)
    colour = e.text(row, "zone", entry, "colour", 7)
    if colour and not re.fullmatch(r"#[0-9A-Fa-f]{6}", colour):
        e.problem(
            row,
            _M["bad_colour"],
            colour=colour,
            code=code,
        )
        colour = ""
    return ZoneRecord(row, code, name, colour) if code else None


def _location(e: _Entries, row: int, entry: Mapping[str, Any]) -> LocationRecord | None:
    code = e.code(row, "location", entry)
    aisle = e.text(row, "location", entry, "aisle", 16)
    y = e.number(row, "location", entry, "y")
    x = None
    if entry.get("x") not in (None, ""):
        x = e.number(row, "location", entry, "x")
    if not aisle:
        e.problem(
            row,
            _M["no_aisle_named"],
            code=code,
        )
    if not code or not aisle or y is None:
        return None
    return LocationRecord(row, code, aisle, y, x)


def _warehouse(e: _Entries, row: int, entry: Mapping[str, Any]) -> None:
    e.warehouse = e.code(row, "warehouse", entry)


_READERS: dict[str, Callable[[_Entries, int, Mapping[str, Any]], Any]] = {
    "aisle": _aisle,
    "cross_aisle": _cross,
    "depot": _depot,
    "zone": _zone,
    "location": _location,
    "warehouse": _warehouse,
}


def _truth(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in ("1", "yes", "true", "y", "x", "是", "默认")


# --- TOML ----------------------------------------------------------------------------------

_HEADER = re.compile(r"^\s*\[\[\s*([A-Za-z_]+)\s*\]\]")


def parse_toml(text: str, name: str = "layout.toml") -> LayoutFile:
    """Read a TOML layout; a problem's row is the line of its entry's ``[[kind]]`` header."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BadToml(file=name, reason=str(exc)) from None
    lines: dict[str, list[int]] = {}
    for n, line in enumerate(text.splitlines(), 1):
        m = _HEADER.match(line)
        if m:
            lines.setdefault(m.group(1), []).append(n)
    e = _Entries(name, "line")
    for key, value in data.items():
        if key == "warehouse" and isinstance(value, dict):
            e.add(_line_of(text, "[warehouse]"), "warehouse", value)
        elif key in KINDS and isinstance(value, list):
            for i, entry in enumerate(value):
                row = lines.get(key, [])[i] if i < len(lines.get(key, [])) else 0
                e.add(row, key, entry if isinstance(entry, dict) else {})
        else:
            e.problem(
                _line_of(text, key),
                _M["not_toml_part"],
                key=key,
            )
    return e.result()


def _line_of(text: str, needle: str) -> int:
    for n, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return n
    return 0


# --- CSV -----------------------------------------------------------------------------------


def parse_csv(text: str, name: str = "layout.csv") -> LayoutFile:
    """Read a CSV layout: a header row (any order of ``COLUMNS``), one row per entry."""
    e = _Entries(name, "row")
    reader = csv.reader(io.StringIO(text), strict=True)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise MalformedCsv(row=reader.line_num, file=name, reason=str(exc)) from None
    if not rows:
        e.problem(0, _M["empty"])
        return e.alone()
    header = [h.strip().lower() for h in rows[0]]
    if "kind" not in header:
        e.problem(
            1,
            _M["no_kind_column"],
            columns=", ".join(COLUMNS),
        )
        return e.alone()
    for n, values in enumerate(rows[1:], 2):
        if not any(v.strip() for v in values):
            continue
        entry = {h: v.strip() for h, v in zip(header, values, strict=False) if h}
        e.add(n, entry.get("kind", "").lower(), entry)
    return e.result()


# --- the shape of the whole layout -----------------------------------------------------------


def check(layout: LayoutFile) -> list[RowProblem]:
    """What is wrong with the layout as a whole (each problem at the row that must change)."""
    out: list[RowProblem] = []

    def problem(row: int, template: str, **params: Any) -> None:
        out.append(RowProblem(row, template, params))

    _duplicates(problem, "aisle", ((a.row, a.code) for a in layout.aisles))
    _duplicates(problem, "depot", ((d.row, d.code) for d in layout.depots))
    _duplicates(problem, "zone", ((z.row, z.code) for z in layout.zones))
    _duplicates(problem, "location", ((loc.row, loc.code) for loc in layout.locations))
    _duplicates(problem, "cross aisle", ((c.row, f"y = {c.y:g}") for c in layout.cross_aisles))
    for a in layout.aisles:
        if a.y_from >= a.y_to:
            problem(
                a.row,
                _M["y_order"],
                code=a.code,
                y_from=a.y_from,
                y_to=a.y_to,
            )
    if len(layout.cross_aisles) < 2:
        problem(
            0,
            _M["few_cross"],
            count=len(layout.cross_aisles),
        )
    else:
        _reach(problem, layout)
    if not layout.aisles:
        problem(0, _M["no_aisle"])
    _depots(problem, layout)
    _locations(problem, layout)
    return out


def _duplicates(problem: Callable[..., None], kind: str, rows: Iterable[tuple[int, str]]) -> None:
    first: dict[str, int] = {}
    for row, code in rows:
        if code in first:
            problem(
                row,
                _M["duplicate"],
                kind=kind,
                code=code,
                first=first[code],
            )
        else:
            first[code] = row


def _reach(problem: Callable[..., None], layout: LayoutFile) -> None:
    low, high = layout.cross_aisles[0].y, layout.cross_aisles[-1].y
    for a in layout.aisles:
        if a.y_from < a.y_to and (a.y_from > low or a.y_to < high):
            problem(
                a.row,
                _M["reach"],
                code=a.code,
                y_from=a.y_from,
                y_to=a.y_to,
                low=low,
                high=high,
            )


def _depots(problem: Callable[..., None], layout: LayoutFile) -> None:
    if not layout.depots:
        problem(
            0,
            _M["no_depot"],
        )
    crosses = [c.y for c in layout.cross_aisles]
    for d in layout.depots:
        if crosses and min(abs(d.y - y) for y in crosses) > ON_CROSS_AISLE:
            problem(
                d.row,
                _M["depot_off"],
                code=d.code,
                y=d.y,
                crosses=", ".join(f"{y:g}" for y in crosses),
            )
    defaults = [d for d in layout.depots if d.default]
    for d in defaults[1:]:
        problem(
            d.row,
            _M["two_defaults"],
            code=d.code,
        )


def _locations(problem: Callable[..., None], layout: LayoutFile) -> None:
    aisles = {a.code: a for a in layout.aisles}
    for loc in layout.locations:
        aisle = aisles.get(loc.aisle)
        if aisle is None:
            problem(
                loc.row,
                _M["unknown_aisle"],
                code=loc.code,
                aisle=loc.aisle,
            )
        elif not aisle.y_from <= loc.y <= aisle.y_to:
            problem(
                loc.row,
                _M["outside_aisle"],
                code=loc.code,
                y=loc.y,
                aisle=loc.aisle,
                y_from=aisle.y_from,
                y_to=aisle.y_to,
            )
