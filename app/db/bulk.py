"""Bulk inserts of many rows through Core ``insert()``, fast on SQLite too.

SQLAlchemy's executemany prepares every row on its own (a parameter dict, then each value's type
processor), which costs more than SQLite takes to store the row. Here the statement is compiled
once and the same type processors run a column at a time; the rows then go to the driver's
``executemany`` in the connection's transaction. Other databases take the ordinary Core path,
where the driver batches the rows itself.
"""

from __future__ import annotations

from collections.abc import Sequence
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
    keys = list(rows[0])
    compiled = insert(table).compile(dialect=conn.dialect, column_keys=keys)
    order = compiled.positiontup or keys
    columns: list[list[Any]] = []
    for key in order:
        values = [row[key] for row in rows]
        process = table.c[key].type.bind_processor(conn.dialect)
        if process is not None:
            values = [process(v) for v in values]
        columns.append(values)
    conn.exec_driver_sql(compiled.string, list(zip(*columns, strict=True)))
    return len(rows)
