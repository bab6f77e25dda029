"""Tracking-number pool files -> numbers with their row numbers, and row problems. No database.

Accepted (``docs/tracking-numbers.md``):

- CSV or TXT (UTF-8 or GB18030; comma, semicolon, tab or spaces between cells) or XLSX (the
  first sheet);
- one number per row, in the first cell; spaces and dashes inside a number are dropped;
- a range per row: ``start,end`` in two cells, or ``start-end`` / ``start~end`` in one, both ends
  complete numbers of the same shape (the same letters around the same count of digits). The
  digits count up from start to end; for a format with a check digit (UPU S10, EMS, FedEx 12,
  DHL Express, USPS IMpb) the last digit of each end is its check digit, and every number's
  is computed again; the ends themselves must be valid;
- a first row that is not a number (``tracking_number``, ``运单号``...) is a header and skipped;
  blank rows are skipped.

Row numbers are the rows a spreadsheet shows (the first row is row 1). Each number is checked
against the carrier's format by ``app.domain.tracking``; an invalid one is a problem at its row.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from app.domain import tracking
from app.importers import encoding
from app.importers.errors import CannotOpen
from app.importers.records import RowProblem
from app.importers.tabular import XlsxTable

#: at most this many numbers from one range row
MAX_RANGE = 1_000_000

#: problems of a row (English templates; values apart)
TRACKING_FILE_MESSAGES = {
    "range_shape": (
        "The two ends of the range {start} and {end} differ in their letters or length: "
        "write both ends as complete numbers of the same carrier."
    ),
    "range_order": "The range ends at {end}, before its start {start}. Swap the two ends.",
    "range_size": (
        "The range {start} to {end} holds {count} numbers; at most {max} are loaded from one "
        "row. Split it into smaller ranges."
    ),
    "range_letters": (
        "A range of {format} numbers cannot be counted ({start}): list the numbers one per row."
    ),
}
_M = TRACKING_FILE_MESSAGES

_CELL_SPLIT = re.compile(r"[,;\t]")
_RANGE_SPLIT = re.compile(r"\s*[~～至]\s*|(?<=[0-9A-Za-z])\s*-\s*(?=[0-9A-Za-z])")
#: letters, then digits, then letters: the shape a range end must have
_SHAPE = re.compile(r"^([A-Z]*)(\d+)([A-Z]*)$")
#: formats whose last digit is a check digit recomputed in ranges
_CHECKED = {tracking.S10, tracking.EMS, tracking.FEDEX12, tracking.DHL, tracking.USPS}


@dataclass(frozen=True, slots=True)
class PoolFile:
    """The numbers of a pool file, valid for the carrier's format, and the rows' problems."""

    name: str
    #: (row, number) of every valid number, in file order
    numbers: list[tuple[int, str]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


def read(source: Path | str, carrier_format: str = "") -> PoolFile:
    """Parse a pool file (a ``Path``, or a ``str`` path ending .csv/.txt/.xlsx) or, for any
    other ``str``, the text itself (one number or range per line)."""
    if isinstance(source, str) and not _looks_like_path(source):
        return parse_rows(_text_rows(source), "text", carrier_format)
    path = Path(source)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        table = XlsxTable(path)
        try:
            rows = [(1, table.headers), *table.rows()]
        finally:
            table.close()
        return parse_rows(iter(rows), path.name, carrier_format)
    if not path.is_file():
        raise CannotOpen(file=path.name, reason="there is no such file")
    found = encoding.detect(path)
    with path.open(encoding=found.encoding, newline="") as f:
        text = f.read()
    return parse_rows(_text_rows(text), path.name, carrier_format)


def _looks_like_path(source: str) -> bool:
    return "\n" not in source and source.lower().endswith((".csv", ".txt", ".xlsx", ".xlsm"))


def _text_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    for i, line in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        cells = [c.strip().strip('"') for c in _CELL_SPLIT.split(line)]
        yield i, cells


def parse_rows(
    rows: Iterator[tuple[int, list[str]]], name: str, carrier_format: str = ""
) -> PoolFile:
    """Numbers and problems of ``rows`` ((row number, cells), the first row may be a header)."""
    out = PoolFile(name)
    for row, cells in rows:
        cells = [c for c in (str(v).strip() for v in cells) if c]
        if not cells:
            continue
        if row == 1 and _is_header(cells[0]):
            continue
        ends = _range_ends(cells)
        if ends is None:
            _one(out, row, cells[0], carrier_format)
        else:
            _range(out, row, ends[0], ends[1], carrier_format)
    return out


def _is_header(cell: str) -> bool:
    """A first cell without a digit is a header (``tracking_number``, ``运单号``)."""
    return not any(ch.isdigit() for ch in cell)


def _range_ends(cells: list[str]) -> tuple[str, str] | None:
    """The two ends when the row is a range (two cells of the same shape, or one cell
    ``start-end``), else None."""
    if len(cells) == 1 and cells[0].isalnum():
        return None
    if len(cells) >= 2 and _same_shape(cells[0], cells[1]):
        return tracking.normalise(cells[0]), tracking.normalise(cells[1])
    parts = _RANGE_SPLIT.split(cells[0])
    if len(parts) == 2 and len(tracking.normalise(parts[0])) >= 8:
        a, b = tracking.normalise(parts[0]), tracking.normalise(parts[1])
        if len(a) == len(b):
            return a, b
    return None


def _same_shape(a: str, b: str) -> bool:
    ma, mb = _SHAPE.match(tracking.normalise(a)), _SHAPE.match(tracking.normalise(b))
    return bool(ma and mb and len(ma.group(2)) == len(mb.group(2)))


def _one(out: PoolFile, row: int, cell: str, carrier_format: str) -> None:
    verdict = tracking.check_tracking_number(cell, carrier_format)
    if verdict.valid:
        out.numbers.append((row, verdict.number))
    else:
        out.problems.append(RowProblem(row, verdict.template, dict(verdict.params)))


def _range(out: PoolFile, row: int, start: str, end: str, carrier_format: str) -> None:
    first = tracking.check_tracking_number(start, carrier_format)
    last = tracking.check_tracking_number(end, carrier_format)
    for verdict in (first, last):
        if not verdict.valid:
            out.problems.append(RowProblem(row, verdict.template, dict(verdict.params)))
            return
    ma, mb = _SHAPE.match(start), _SHAPE.match(end)
    if not ma or not mb or ma.group(1, 3) != mb.group(1, 3) or len(start) != len(end):
        if first.format == tracking.UPS:
            out.problems.append(RowProblem(row, _M["range_letters"], {"format": first.format}))
        else:
            out.problems.append(RowProblem(row, _M["range_shape"], {"start": start, "end": end}))
        return
    fmt = first.format
    checked = fmt in _CHECKED
    prefix, digits, suffix = ma.group(1), ma.group(2), ma.group(3)
    width = len(digits) - (1 if checked else 0)
    lo, hi = int(digits[:width]), int(mb.group(2)[:width])
    params = {"start": start, "end": end}
    if hi < lo:
        out.problems.append(RowProblem(row, _M["range_order"], params))
        return
    if hi - lo + 1 > MAX_RANGE:
        count = {"count": str(hi - lo + 1), "max": str(MAX_RANGE)}
        out.problems.append(RowProblem(row, _M["range_size"], {**params, **count}))
        return
    if not checked:
        out.numbers.extend((row, f"{prefix}{i:0{width}d}{suffix}") for i in range(lo, hi + 1))
        return
    for i in range(lo, hi + 1):
        data = f"{prefix}{i:0{width}d}{suffix}"
        out.numbers.append((row, tracking.with_check_digit(fmt, data)))
