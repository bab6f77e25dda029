"""What every parser shares: the rows of one order taken together, and an order put together
value by value with its problems noted against their rows."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, tzinfo
from decimal import Decimal

from app.importers import records as r
from app.importers.records import LineRecord, ProblemKind, RowProblem
from app.importers.tabular import CsvError, Table
from app.importers.values import BadValue, parse_datetime, parse_money, parse_qty

Row = tuple[int, list[str]]


def order_runs(
    table: Table, key_of: Callable[[list[str]], str]
) -> Iterator[tuple[str, list[Row]] | RowProblem]:
    """Consecutive rows with the same order key, as (key, rows). Blank rows are skipped; a row
    without a key, and an order whose rows are not together, become problems."""
    seen: dict[str, int] = {}
    key = ""
    run: list[Row] = []
    scattered: set[str] = set()
    try:
        for row_no, cells in table.rows():
            if not any(c.strip() for c in cells):
                continue
            k = key_of(cells)
            if not k:
                yield RowProblem(row_no, r.NO_ORDER_ID)
                continue
            if k == key:
                run.append((row_no, cells))
                continue
            if run:
                yield key, run
            key, run = k, []
            if k in seen:
                if k not in scattered:
                    scattered.add(k)
                    yield RowProblem(row_no, r.SCATTERED, {"order": k, "first": seen[k]}, order=k)
                key = ""
                continue
            seen[k] = row_no
            run = [(row_no, cells)]
    except CsvError as exc:
        if run:
            yield key, run
        yield RowProblem(exc.row, r.BAD_CSV_ROW, {"reason": exc.reason})
        return
    if run:
        yield key, run


class Draft:
    """An order being read: values are parsed here so every problem names its row."""

    def __init__(self, external_id: str, first_row: int, local: tzinfo) -> None:
        self.external_id = external_id
        self.row = first_row
        self.local = local
        self.lines: list[LineRecord] = []
        self.warnings: list[RowProblem] = []
        self.rejection: RowProblem | None = None
        self.skip: RowProblem | None = None

    # -- values that only warn ------------------------------------------------------------
    def money(self, text: str, row: int) -> Decimal:
        try:
            return parse_money(text)
        except BadValue:
            self.warn(row, r.BAD_MONEY, value=text)
            return Decimal("0.00")

    def when(self, text: str, row: int) -> datetime | None:
        if not text.strip():
            return None
        try:
            return parse_datetime(text, self.local)
        except BadValue:
            self.warn(row, r.BAD_DATE, value=text)
            return None

    def warn(self, row: int, template: str, **params: object) -> None:
        self.warnings.append(
            RowProblem(row, template, dict(params), ProblemKind.WARNING, self.external_id)
        )

    # -- what makes the order whole or not ------------------------------------------------
    def reject(self, row: int, template: str, **params: object) -> None:
        if self.rejection is None:
            self.rejection = RowProblem(
                row,
                template,
                {"order": self.external_id, **params},
                ProblemKind.REJECTED,
                self.external_id,
            )

    def skip_order(self, row: int, template: str) -> None:
        if self.skip is None:
            self.skip = RowProblem(
                row, template, {"order": self.external_id}, ProblemKind.SKIPPED, self.external_id
            )

    def line(
        self,
        row: int,
        sku: str,
        qty_text: str,
        *,
        name: str = "",
        price: Decimal = Decimal("0.00"),
        requires_shipping: bool = True,
        line_id: str = "",
        partly_fulfilled: bool = False,
        listing_id: str = "",
    ) -> None:
        if not qty_text.strip():
            self.reject(row, r.NO_QTY)
            return
        try:
            qty = parse_qty(qty_text)
        except BadValue:
            self.reject(row, r.BAD_QTY, value=qty_text)
            return
        # a blank SKU is for a reviewer to fix: the order goes in and is held (order_checks)
        self.lines.append(
            LineRecord(
                row, sku, qty, name, price, requires_shipping, line_id, partly_fulfilled, listing_id
            )
        )

    def verdict(self) -> tuple[list[RowProblem], bool]:
        """The problems to report, and whether the order goes in (its lines are ``lines``).
        A reason to skip the whole order (fulfilled or cancelled in the channel) is the one that
        matters: it comes before any problem of its lines."""
        if self.skip is not None:
            return [self.skip], False
        if self.rejection is not None:
            return [self.rejection], False
        if not self.lines:
            return [
                RowProblem(
                    self.row, r.NO_LINES, {"order": self.external_id}, order=self.external_id
                )
            ], False
        if not any(ln.requires_shipping for ln in self.lines):
            skip = RowProblem(
                self.row,
                r.NOTHING_TO_SHIP,
                {"order": self.external_id},
                ProblemKind.SKIPPED,
                self.external_id,
            )
            return [skip], False
        return list(self.warnings), True
