"""Rows of a CSV file or an Excel sheet, numbered as a spreadsheet numbers them, read lazily."""

from __future__ import annotations

import csv
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from app.importers.encoding import FileText
from app.importers.errors import CannotOpen, EmptyFile, MalformedCsv, NotXlsx, UnknownSheet
from app.importers.values import clean


class Table(Protocol):
    """A header row and numbered data rows (the header is row 1)."""

    file: str
    headers: list[str]
    #: how many rows there are, roughly (for a progress bar)
    total_rows: int
    #: the number of the last row handed out
    row: int

    def rows(self) -> Iterator[tuple[int, list[str]]]: ...

    def close(self) -> None: ...


class CsvError(Exception):
    """A row that the csv module cannot read; the rows after it are not read."""

    def __init__(self, row: int, reason: str) -> None:
        super().__init__(reason)
        self.row = row
        self.reason = reason


def sniff_delimiter(first_line: str) -> str:
    """Comma unless the header has more semicolons or tabs (European Excel, some platforms)."""
    counts = {d: first_line.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


class CsvTable:
    """A CSV file in a known encoding; blank rows are counted and skipped by the parsers."""

    def __init__(self, path: Path, text: FileText, delimiter: str | None = None) -> None:
        self.file = path.name
        self.total_rows = max(text.lines - 1, 1)
        self.row = 1
        try:
            self._f = path.open("r", encoding=text.encoding, newline="")
        except OSError as exc:
            raise CannotOpen(file=path.name, reason=exc.strerror or str(exc)) from None
        try:
            first = self._f.readline()
            if not first.strip():
                raise EmptyFile(file=path.name)
            delim = delimiter or sniff_delimiter(first)
            self._f.seek(0)
            self._reader = csv.reader(self._f, delimiter=delim, strict=True)
            try:
                header = next(self._reader)
            except csv.Error as exc:
                raise MalformedCsv(row=1, file=path.name, reason=str(exc)) from None
        except BaseException:
            self._f.close()
            raise
        self.headers = [h.strip().lstrip("\ufeff").strip() for h in header]

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        n = 1
        while True:
            try:
                cells = next(self._reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise CsvError(n + 1, str(exc)) from None
            n += 1
            self.row = n
            yield n, cells

    def close(self) -> None:
        self._f.close()


class XlsxTable:
    """One sheet of an .xlsx workbook, read with openpyxl in read-only mode."""

    def __init__(self, path: Path, sheet: str = "") -> None:
        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException

        self.file = path.name
        self.row = 1
        try:
            with warnings.catch_warnings():
                # workbooks written by other programs make openpyxl warn about styles it drops
                warnings.simplefilter("ignore")
                self._wb = load_workbook(path, read_only=True, data_only=True)
        except FileNotFoundError as exc:
            raise CannotOpen(file=path.name, reason=exc.strerror or str(exc)) from None
        except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
            raise NotXlsx(file=path.name, reason=str(exc) or type(exc).__name__) from None
        try:
            if sheet:
                if sheet not in self._wb.sheetnames:
                    raise UnknownSheet(
                        file=path.name, sheet=sheet, sheets=", ".join(self._wb.sheetnames)
                    )
                ws: Any = self._wb[sheet]
            else:
                ws = self._wb.worksheets[0]
            self.total_rows = max((ws.max_row or 2) - 1, 1)
            self._rows = ws.iter_rows(values_only=True)
            header = next(self._rows, None)
            if header is None or not any(clean(v) for v in header):
                raise EmptyFile(file=path.name)
        except BaseException:
            self._wb.close()
            raise
        self.headers = [clean(h) for h in header]

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        n = 1
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for values in self._rows:
                n += 1
                self.row = n
                yield n, [clean(v) for v in values]

    def close(self) -> None:
        self._wb.close()

    @staticmethod
    def sheet_names(path: Path) -> list[str]:
        t = XlsxTable(path)
        try:
            return list(t._wb.sheetnames)
        finally:
            t.close()


class Columns:
    """Finds columns by header name, ignoring case and surrounding spaces."""

    def __init__(self, headers: list[str]) -> None:
        self.index: dict[str, int] = {}
        for i, h in enumerate(headers):
            self.index.setdefault(h.strip().lower(), i)

    def find(self, *names: str) -> int | None:
        for n in names:
            i = self.index.get(n.lower())
            if i is not None:
                return i
        return None

    def missing(self, *required: tuple[str, ...]) -> list[str]:
        """The first name of each required column (given with its aliases) that is absent."""
        return [names[0] for names in required if self.find(*names) is None]


def cell(cells: list[str], i: int | None) -> str:
    """The stripped cell ``i`` of a row ('' when the row is short or the column is absent)."""
    if i is None or i >= len(cells):
        return ""
    return cells[i].strip()
