"""Bulk inserts of many rows through Core ``insert()``, fast on SQLite too.

SQLAlchemy's executemany prepares every row on its own (a parameter dict, then each value's type
processor), which costs more than SQLite takes to store the row. Here the statement is compiled
once and the same type processors run a column at a time; the rows then go to the driver's
``executemany`` in the connection's transaction. Other databases take the ordinary Core path,
where the driver batches the rows itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table, insert


def bulk_insert(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> int:
    """Insert ``rows`` (dicts with the same keys, one per column to set) into ``table``.
    Column defaults are not applied on the fast path: give every column a value."""
    if not rows:
        return 0
    if conn.dialect.name != "sqlite":
        conn.execute(insert(table), list(rows))
        return len(rows)
    dialect = conn.dialect
    keys = list(rows[0])
    compiled = insert(table).compile(dialect=dialect, column_keys=keys)
    order = list(compiled.positiontup or keys)
    # the processors Core itself would use: the type as adapted to this dialect (on SQLite a
    # DateTime becomes SQLite's DATETIME, stored as text without an offset)
    columns: list[Any] = []
    for key in order:
        values = map(itemgetter(key), rows)
        process = table.c[key].type.dialect_impl(dialect).bind_processor(dialect)
        columns.append(list(map(process, values) if process else values))
    params = list(zip(*columns, strict=True))
    conn.exec_driver_sql(compiled.string, params)
    return len(rows)
