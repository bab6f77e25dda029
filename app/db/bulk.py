"""Bulk inserts of many rows through Core ``insert()``, fast on SQLite too.

SQLAlchemy's executemany prepares every row on its own (a parameter dict, then each value's type
processor), which costs more than SQLite takes to store the row. Here the statement is compiled
once (per table and columns) and the same type processors run a column at a time, once for a run
of the same object; the rows then go to the driver's ``executemany`` in the connection's
transaction. Other databases take the ordinary Core path, where the driver batches the rows
itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Dialect, Table, insert


def bulk_insert(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> int:
    """Insert ``rows`` (dicts with the same keys, one per column to set) into ``table``.
    Column defaults are not applied on the fast path: give every column a value."""
    if not rows:
        return 0
    if conn.dialect.name != "sqlite":
        conn.execute(insert(table), list(rows))
        return len(rows)
    keys = tuple(rows[0])
    sql, order, processors = _statement(table, keys, conn.dialect)
    columns: list[Any] = []
    for key, process in zip(order, processors, strict=True):
        values = map(itemgetter(key), rows)
        columns.append(_processed(process, values) if process else list(values))
    params = list(zip(*columns, strict=True))
    conn.exec_driver_sql(sql, params)
    return len(rows)


@lru_cache(maxsize=128)
def _statement(
    table: Table, keys: tuple[str, ...], dialect: Dialect
) -> tuple[str, list[str], list[Any]]:
    """The statement compiled once, its parameters' keys in order and their processors: the ones
    Core itself would use, the type as adapted to this dialect (on SQLite a DateTime becomes
    SQLite's DATETIME, stored as text without an offset)."""
    compiled = insert(table).compile(dialect=dialect, column_keys=list(keys))
    order = list(compiled.positiontup or keys)
    processors = [table.c[key].type.dialect_impl(dialect).bind_processor(dialect) for key in order]
    return compiled.string, order, processors


def _processed(process: Any, values: Iterable[Any]) -> list[Any]:
    """``process`` applied to each value, once for a run of the same object (an import writes
    one time on every row of a batch)."""
    out: list[Any] = []
    last: Any = _NOTHING
    done: Any = None
    for v in values:
        if v is not last:
            last, done = v, process(v)
        out.append(done)
    return out


_NOTHING = object()
