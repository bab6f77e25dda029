"""What ``make_bench_db.py --big`` adds to a demo database, and its copy to PostgreSQL.

- ``add_shipping(path)``: demo data makes orders in every state but no parcels; a big database
  needs them (the handover, the tracking export, delivery, returns and the Orders search by
  tracking number all read parcels). One parcel per packed, shipped, delivered or returned order
  that ships with a carrier (labelled, or shipped), with a tracking number unique per carrier;
  two tracking events for each shipped parcel (three when delivered); an open delivery
  exception for one shipped parcel in 500. Set-based ``INSERT ... SELECT`` in SQLite itself:
  seconds, not minutes.
- ``copy_to_postgres(path, url)``: the same rows in a PostgreSQL database, migrated by the app
  itself, then filled table by table with ``COPY`` (psycopg), sequences moved past the copied
  ids and ``ANALYZE``: the planner knows the tables' sizes before the first query.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from app.bootstrap import bootstrap
from app.config import Paths, Settings
from app.db.models import Base

#: setting that marks a database whose parcels were added (the value: the parcels' count)
MARK = "bench_big_shipping"

_PARCELS = """
INSERT INTO parcels (order_id, seq, status, package_source, weight_g, weight_source,
    contents_key, carrier_id, carrier_service_id, tracking_number, master_tracking,
    sorting_code, label_source, reprints, created_at, closed_at, labelled_at, void_reason,
    shipped_at)
SELECT o.id, 1, CASE o.status WHEN 'packed' THEN 'labelled' ELSE 'shipped' END, 'suggested',
    300 + (o.id * 37) % 4000, 'scale', '', cs.carrier_id, o.carrier_service_id,
    upper(c.code) || printf('%012d', o.id), '', '', 'pool', 0, o.updated_at, o.updated_at,
    o.updated_at, '', CASE o.status WHEN 'packed' THEN NULL ELSE o.updated_at END
FROM orders o
JOIN carrier_services cs ON cs.id = o.carrier_service_id
JOIN carriers c ON c.id = cs.carrier_id
WHERE o.status IN ('packed', 'shipped', 'delivered', 'returned') AND o.pickup = 0
ORDER BY o.id
"""

_EVENTS = """
INSERT INTO tracking_events (parcel_id, tracking_number, status, raw_status, event_at, place,
    source, imported_at)
SELECT p.id, p.tracking_number, e.status, e.raw, datetime(p.shipped_at, e.later), e.place,
    'bench', datetime(p.shipped_at, e.later)
FROM parcels p
JOIN orders o ON o.id = p.order_id
JOIN (SELECT 'in_transit' AS status, '已揽收 Picked up' AS raw, '+2 hours' AS later,
             '杭州转运中心' AS place, 0 AS delivered_only
      UNION ALL SELECT 'in_transit', '运输中 In transit', '+1 day', '上海转运中心', 0
      UNION ALL SELECT 'delivered', '已签收 Delivered', '+3 days', '上海', 1) e
  ON e.delivered_only = 0 OR o.status IN ('delivered', 'returned')
WHERE p.status = 'shipped'
"""

_EXCEPTIONS = """
INSERT INTO delivery_exceptions (parcel_id, order_id, kind, since, detail, status, created_at,
    resolution_note)
SELECT p.id, p.order_id, 'no_scan', datetime(p.shipped_at, '+1 day'), 'bench', 'open',
    datetime(p.shipped_at, '+6 days'), ''
FROM parcels p JOIN orders o ON o.id = p.order_id
WHERE p.status = 'shipped' AND o.status = 'shipped' AND p.id % 500 = 0
"""


def add_shipping(path: Path) -> int:
    """Parcels, tracking events and a few delivery exceptions for a demo database (once)."""
    conn = sqlite3.connect(path)
    try:
        done = conn.execute("SELECT value FROM settings WHERE key = ?", (MARK,)).fetchone()
        if done is not None:
            return int(done[0])
        with conn:
            conn.execute(_PARCELS)
            conn.execute(_EVENTS)
            conn.execute(_EXCEPTIONS)
            n = conn.execute("SELECT count(*) FROM parcels").fetchone()[0]
            conn.execute(
                "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, datetime('now'))",
                (MARK, str(n)),
            )
        conn.execute("ANALYZE")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return int(n)
    finally:
        conn.close()


def copy_to_postgres(path: Path, url: str, home: Path) -> float:
    """Copy every table of the SQLite file ``path`` into the empty database at ``url`` (the app
    migrates it first); seconds taken."""
    started = time.perf_counter()
    services = bootstrap(
        Settings(db_url=url, station="bench"),
        Paths(home / "config", home / "data", home / "logs"),
    )
    services.close()
    engine = create_engine(url)
    src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        with engine.begin() as conn:
            tables = [t for t in Base.metadata.sorted_tables if t.name != "alembic_version"]
            names = ", ".join(t.name for t in tables)
            conn.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
            conn.exec_driver_sql("SET LOCAL timezone = 'UTC'")
            raw = conn.connection.driver_connection
            assert raw is not None
            for table in tables:
                _copy_table(src, raw, table.name, [c.name for c in table.c])
            for table in tables:
                if "id" in table.c and table.c.id.autoincrement is not False:
                    conn.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                            f"coalesce((SELECT max(id) FROM {table.name}), 0) + 1, false)"
                        )
                    )
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM (ANALYZE)")
    finally:
        src.close()
        engine.dispose()
    return time.perf_counter() - started


def _copy_table(src: sqlite3.Connection, raw: object, name: str, columns: list[str]) -> None:
    cols = ", ".join(f'"{c}"' for c in columns)
    rows = src.execute(f"SELECT {cols} FROM {name}")
    with raw.cursor() as cur, cur.copy(f"COPY {name} ({cols}) FROM STDIN") as copy:  # type: ignore[attr-defined]
        while batch := rows.fetchmany(10_000):
            for row in batch:
                copy.write_row(row)
