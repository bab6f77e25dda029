"""The station store: the station's own SQLite file with a copy of what it needs to go on
packing while the shared database is away, and its offline journal (``app.offline.journal``).

The copy has the shared database's tables (made from the same models, so the same pack
services run on it) and the same ids. It holds the open orders of the batches this station
claimed and of its open pack sessions, with everything the pack services read for them (lines,
addresses, picks, their products with barcodes, lots and stock, the station's tracking numbers
kept for outages) and the small tables whole (settings, users, stations, carriers, cartons,
rules, locations...).
Logs (audit, history, ledger, print jobs) are not copied: they are written again when the
journal is replayed on the shared database.

The file is written with ``synchronous=FULL`` (a journal entry survives a power cut once its
action answered) and without foreign-key checks (it is a partial copy)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Table,
    delete,
    event,
    func,
    or_,
    select,
)
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.db.engine import make_engine
from app.db.models import Base, Order, PackSession, PickBatch, TrackingNumber, WaveOrder
from app.domain.orders import OrderStatus as S
from app.offline.journal import journal_metadata, meta

#: never copied: logs the replay writes again, and what packing never reads
SKIP = frozenset(
    {
        "applied_actions",
        "audit_log",
        "customer_keys",
        "delivery_exceptions",
        "handover_parcels",
        "handovers",
        "import_batches",
        "import_profiles",
        "listing_mapping_parts",
        "listing_mappings",
        "login_throttle",
        "notice_templates",
        "notices",
        "order_imports",
        "order_status_history",
        "pick_exceptions",
        "print_jobs",
        "recount_tasks",
        "return_lines",
        "returns",
        "stock_ledger",
        "tracking_events",
        "tracking_exports",
    }
)
#: copied for the kept orders only (see ``_scoped``)
SCOPED = frozenset(
    {
        "addresses",
        "customers",
        "order_external_refs",
        "order_holds",
        "order_labels",
        "order_lines",
        "orders",
        "pack_exceptions",
        "pack_items",
        "pack_sessions",
        "parcels",
        "pick_batches",
        "pick_task_parts",
        "pick_tasks",
        "product_barcodes",
        "products",
        "lots",
        "reservations",
        "stock_levels",
        "tracking_numbers",
        "wave_orders",
        "waves",
    }
)
#: orders the station may go on packing offline
KEPT_STATUSES = (S.PICKING.value, S.PICKED.value, S.PACKING.value)
#: pack sessions opened offline get ids from here up, never one the shared database uses
LOCAL_ID_BASE = 1_000_000_000_000
CHUNK = 500


def data_tables() -> list[Table]:
    """The copied tables, parents first."""
    return [t for t in Base.metadata.sorted_tables if t.name not in SKIP]


def open_store(path: Path) -> Engine:
    """The station store's engine: the file made (or brought to this version's tables)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _store_pragmas(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=OFF")
        cur.close()

    with engine.begin() as conn:
        journal_metadata.create_all(conn)
        schema = _schema_mark()
        if conn.scalar(select(meta.c.value).where(meta.c.key == "schema")) != schema:
            Base.metadata.drop_all(conn)  # a copy: made again from the shared database
            Base.metadata.create_all(conn)
            put_meta(conn, schema=schema)
    return engine


def _schema_mark() -> str:
    """What the copied tables look like (their columns): a newer Packdesk makes them again."""
    return str(sum(len(t.columns) * (i + 1) for i, t in enumerate(data_tables())))


def put_meta(conn: Connection, **values: str) -> None:
    for key, value in values.items():
        stmt = sqlite_insert(meta).values(key=key, value=value)
        conn.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"value": value}))


def get_meta(conn: Connection, key: str) -> str:
    return conn.scalar(select(meta.c.value).where(meta.c.key == key)) or ""


def kept_orders(s: Session, station_id: int, user_ids: Iterable[int]) -> set[int]:
    """The open orders of the batches this station (or its users) claimed, and of its open
    pack sessions."""
    users = list(user_ids)
    claimed = or_(
        PickBatch.claimed_station_id == station_id,
        PickBatch.claimed_by.in_(users or [-1]),
    )
    found = set(
        s.scalars(
            select(WaveOrder.order_id)
            .join(PickBatch, PickBatch.id == WaveOrder.batch_id)
            .join(Order, Order.id == WaveOrder.order_id)
            .where(claimed, Order.status.in_(KEPT_STATUSES))
        )
    )
    found.update(
        s.scalars(
            select(PackSession.order_id).where(
                PackSession.station_id == station_id, PackSession.status == "open"
            )
        )
    )
    return found


def _chunks(values: Sequence[Any]) -> Iterator[list[Any]]:
    for i in range(0, len(values), CHUNK):
        yield list(values[i : i + CHUNK])


def _rows(s: Session, table: Table, column: str, values: Iterable[Any]) -> list[dict[str, Any]]:
    wanted = sorted({v for v in values if v is not None})
    out: list[dict[str, Any]] = []
    for part in _chunks(wanted):
        out.extend(
            dict(r) for r in s.execute(select(table).where(table.c[column].in_(part))).mappings()
        )
    return out


def _scoped(s: Session, station_id: int, order_ids: set[int]) -> dict[str, list[dict[str, Any]]]:
    """The rows of the scoped tables for ``order_ids``, read from the shared database."""
    t = Base.metadata.tables
    got: dict[str, list[dict[str, Any]]] = {}
    got["orders"] = _rows(s, t["orders"], "id", order_ids)
    for name in (
        "order_lines",
        "order_holds",
        "order_labels",
        "order_external_refs",
        "wave_orders",
        "pack_sessions",
        "parcels",
        "pack_exceptions",
        "pick_task_parts",
    ):
        got[name] = _rows(s, t[name], "order_id", order_ids)
    got["pack_items"] = _rows(
        s, t["pack_items"], "session_id", (r["id"] for r in got["pack_sessions"])
    )
    got["pick_tasks"] = _rows(
        s, t["pick_tasks"], "id", (r["task_id"] for r in got["pick_task_parts"])
    )
    got["reservations"] = _rows(
        s, t["reservations"], "order_line_id", (r["id"] for r in got["order_lines"])
    )
    batches = [r["batch_id"] for r in got["wave_orders"] + got["pack_sessions"]]
    got["pick_batches"] = _rows(s, t["pick_batches"], "id", batches)
    got["waves"] = _rows(s, t["waves"], "id", (r["wave_id"] for r in got["wave_orders"]))
    got["addresses"] = _rows(s, t["addresses"], "id", (r["ship_address_id"] for r in got["orders"]))
    got["customers"] = _rows(s, t["customers"], "id", (r["customer_id"] for r in got["orders"]))
    products = {r["product_id"] for r in got["order_lines"]}
    got["products"] = _rows(s, t["products"], "id", products)
    got["product_barcodes"] = _rows(s, t["product_barcodes"], "product_id", products)
    got["lots"] = _rows(s, t["lots"], "product_id", products)
    got["stock_levels"] = _rows(
        s, t["stock_levels"], "product_id", (r["product_id"] for r in got["order_lines"])
    )
    used = _rows(s, t["tracking_numbers"], "parcel_id", (r["id"] for r in got["parcels"]))
    kept = [
        dict(r)
        for r in s.execute(
            select(t["tracking_numbers"]).where(
                TrackingNumber.reserved_station_id == station_id, TrackingNumber.status == "free"
            )
        ).mappings()
    ]
    for row in kept:
        row["reserved_station_id"] = None  # the store holds only this station's: all usable
    got["tracking_numbers"] = used + kept
    return got


def _write(store: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    for part in _chunks(rows):
        store.execute(sqlite_insert(table).prefix_with("OR REPLACE"), part)


Rows = dict[str, list[dict[str, Any]]]


def read_all(s: Session, station_id: int, order_ids: set[int]) -> Rows:
    """Everything the store keeps, read from the shared database: the small tables whole and
    the kept orders' rows."""
    rows = _scoped(s, station_id, order_ids)
    for table in data_tables():
        if table.name not in SCOPED:
            rows[table.name] = [dict(r) for r in s.execute(select(table)).mappings()]
    return rows


def write_all(store: Connection, rows: Rows) -> int:
    """Make the store's copy again from ``read_all``; returns the rows written. ``store`` is in
    a transaction."""
    for table in reversed(data_tables()):
        store.execute(delete(table))
    total = 0
    for table in data_tables():
        _write(store, table, rows.get(table.name, []))
        total += len(rows.get(table.name, []))
    return total


def read_orders(s: Session, station_id: int, order_ids: set[int]) -> Rows:
    """Some orders' rows, read from the shared database (after this station acted on them)."""
    return _scoped(s, station_id, order_ids) if order_ids else {}


def write_orders(store: Connection, order_ids: set[int], rows: Rows) -> int:
    """Bring the copy of some orders up to date from ``read_orders``."""
    if not order_ids:
        return 0
    t = Base.metadata.tables
    sessions = [r["id"] for r in rows["pack_sessions"]]
    for part in _chunks(sessions):
        store.execute(delete(t["pack_items"]).where(t["pack_items"].c.session_id.in_(part)))
    total = 0
    for table in data_tables():
        if table.name not in rows:
            continue
        if "order_id" in table.c and table.name != "tracking_numbers":
            for part in _chunks(sorted(order_ids)):
                store.execute(delete(table).where(table.c.order_id.in_(part)))
        _write(store, table, rows[table.name])
        total += len(rows[table.name])
    return total


def next_local_session_id(store_session: Session) -> int:
    """An id for a pack session opened offline: above every id the shared database uses."""
    top = store_session.scalar(select(func.max(PackSession.id))) or 0
    return max(int(top), LOCAL_ID_BASE) + 1
