"""Allocating 10,000 released orders against 2,000 SKUs (goal: <= 5 s on the reference machine).

    python bench/bench_allocate.py [--orders 10000] [--skus 2000] [--db URL] [--seed 1]

Without ``--db`` a fresh SQLite file in a temporary folder is used; ``--db`` takes a PostgreSQL
URL too (its tables are emptied first: never point it at real data). The data is written through
Core in bulk: a warehouse with pickable bins and storage bays, SKUs (a fifth of them expiry
tracked, with two or three lots each, some close to expiry), stock received through ledger lines
(the stock invariants hold), and released orders of one to four lines, some for more than the
shelves hold so that the shortage policy has work to do.

Printed: the time of ``order_actions.allocate`` for all released orders, per order, the outcome
counts, and, as a reference from the same run, the time to read the same order lines and stock
rows with plain SELECTs (the floor any allocation has to pay), with the ratio between the two.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert, inspect, select, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.bootstrap import bootstrap  # noqa: E402
from app.config import Paths, Settings  # noqa: E402
from app.db.models import (  # noqa: E402
    Address,
    Channel,
    Location,
    Lot,
    Order,
    OrderLine,
    OrderStatusChange,
    Product,
    StockLedger,
    StockLevel,
    Warehouse,
)
from app.domain.allocation import ShortagePolicy  # noqa: E402
from app.domain.users import SYSTEM  # noqa: E402
from app.services import allocation, order_actions  # noqa: E402

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _insert(engine: Engine, model: Any, rows: list[dict[str, Any]], size: int = 5000) -> None:
    with engine.begin() as conn:
        for i in range(0, len(rows), size):
            conn.execute(insert(model), rows[i : i + size])


def generate(engine: Engine, n_orders: int, n_skus: int, seed: int) -> None:
    rnd = random.Random(seed)
    today = date.today()
    _insert(engine, Warehouse, [{"id": 1, "code": "WH1", "name": "Bench"}])
    locations = []
    for i in range(1, n_skus + 1):
        locations.append({"id": i, "kind": "pickable", "zone": "P", "seq": i})
    for i in range(n_skus + 1, n_skus + n_skus // 2 + 1):
        locations.append({"id": i, "kind": "storage", "zone": "S", "seq": 10_000 + i})
    _insert(
        engine,
        Location,
        [
            {
                "id": loc["id"],
                "warehouse_id": 1,
                "code": f"{loc['zone']}-{loc['id']:05d}",
                "barcode": f"L{loc['id']:07d}",
                "zone": loc["zone"],
                "kind": loc["kind"],
                "sequence": loc["seq"],
            }
            for loc in locations
        ],
    )
    expiry = {pid for pid in range(1, n_skus + 1) if pid % 5 == 0}
    _insert(
        engine,
        Product,
        [
            {
                "id": pid,
                "sku": f"SKU-{pid:05d}",
                "name": f"Product {pid}",
                "lot_tracked": pid in expiry,
                "expiry_tracked": pid in expiry,
            }
            for pid in range(1, n_skus + 1)
        ],
    )
    lots: list[dict[str, Any]] = []
    levels: list[dict[str, Any]] = []
    ledger: list[dict[str, Any]] = []
    storage_ids = [loc["id"] for loc in locations if loc["kind"] == "storage"]

    def stock(pid: int, loc: int, qty: int, lot: int | None, at: datetime) -> None:
        levels.append(
            {
                "id": len(levels) + 1,
                "location_id": loc,
                "product_id": pid,
                "lot_id": lot,
                "on_hand": qty,
                "reserved": 0,
                "first_received_at": at,
            }
        )
        ledger.append(
            {
                "at": at,
                "location_id": loc,
                "product_id": pid,
                "lot_id": lot,
                "qty_delta": qty,
                "reason": "receipt",
            }
        )

    for pid in range(1, n_skus + 1):
        if pid in expiry:
            for k in range(rnd.randint(2, 3)):
                lot_id = len(lots) + 1
                days = rnd.choice([10, 60, 120, 240, 400])
                lots.append(
                    {
                        "id": lot_id,
                        "product_id": pid,
                        "lot_number": f"L{pid}-{k}",
                        "expiry_date": today + timedelta(days=days),
                        "received_at": T0,
                    }
                )
                loc = pid if k == 0 else rnd.choice(storage_ids)
                stock(pid, loc, rnd.randint(3, 20), lot_id, T0 + timedelta(days=k))
        else:
            stock(pid, pid, rnd.randint(5, 25), None, T0 + timedelta(days=rnd.randint(0, 30)))
            if rnd.random() < 0.5:
                stock(pid, rnd.choice(storage_ids), rnd.randint(5, 40), None, T0)
    _insert(engine, Lot, lots)
    _insert(engine, StockLevel, levels)
    _insert(engine, StockLedger, ledger)
    _insert(engine, Channel, [{"id": 1, "code": "shop", "name": "Shop", "platform": "shopify"}])
    addresses, orders, lines, history = [], [], [], []
    line_id = 0
    for oid in range(1, n_orders + 1):
        addresses.append(
            {
                "id": oid,
                "name": f"Customer {oid}",
                "phone": f"138{oid:08d}",
                "phone_digits": f"138{oid:08d}",
                "city": "深圳市",
                "street": f"科技园南路{oid}号",
            }
        )
        orders.append(
            {
                "id": oid,
                "number": f"B{oid:08d}",
                "channel_id": 1,
                "external_id": f"EXT{oid}",
                "status": "released",
                "ship_address_id": oid,
                "total": Decimal("10.00"),
                "placed_at": T0 + timedelta(minutes=oid),
            }
        )
        history.append({"order_id": oid, "from_status": None, "to_status": "released"})
        for no, pid in enumerate(rnd.sample(range(1, n_skus + 1), rnd.randint(1, 4)), 1):
            line_id += 1
            lines.append(
                {
                    "id": line_id,
                    "order_id": oid,
                    "line_no": no,
                    "sku": f"SKU-{pid:05d}",
                    "product_id": pid,
                    "qty": rnd.choice([1, 1, 1, 2, 2, 3]),
                    "unit_price": Decimal("5.00"),
                }
            )
    _insert(engine, Address, addresses)
    _insert(engine, Order, orders)
    _insert(engine, OrderLine, lines)
    _insert(engine, OrderStatusChange, history)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            for table in (
                "locations",
                "products",
                "lots",
                "stock_levels",
                "orders",
                "order_lines",
                "addresses",
                "channels",
                "warehouses",
            ):
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
            conn.execute(text("ANALYZE"))


def reference_reads(engine: Engine) -> float:
    """Plain reads of what allocation must read: released orders' lines and their stock."""
    started = time.perf_counter()
    with engine.connect() as conn:
        conn.execute(
            select(OrderLine.order_id, OrderLine.id, OrderLine.product_id, OrderLine.qty)
            .join(Order, Order.id == OrderLine.order_id)
            .where(Order.status == "released")
        ).all()
        conn.execute(
            select(StockLevel.id, StockLevel.product_id, StockLevel.on_hand, StockLevel.reserved)
        ).all()
    return time.perf_counter() - started


def _empty_pg(url: str) -> None:
    from sqlalchemy import create_engine

    engine = create_engine(url)
    with engine.begin() as conn:
        tables = [
            t for t in inspect(conn).get_table_names() if t not in ("alembic_version", "roles")
        ]
        if tables:
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    engine.dispose()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--orders", type=int, default=10_000)
    ap.add_argument("--skus", type=int, default=2_000)
    ap.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--policy", choices=[p.value for p in ShortagePolicy], default="hold")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="packdesk-bench-"))
    url = args.db or f"sqlite:///{tmp / 'bench.sqlite'}"
    if url.startswith("postgresql"):
        from sqlalchemy import create_engine

        from app.db.migrate import upgrade

        eng = create_engine(url)
        upgrade(eng)
        eng.dispose()
        _empty_pg(url)
    paths = Paths(tmp / "config", tmp / "data", tmp / "logs")
    services = bootstrap(Settings(db_url=url, station="bench"), paths)
    started = time.perf_counter()
    generate(services.engine, args.orders, args.skus, args.seed)
    print(
        f"data: {args.orders} released orders, {args.skus} SKUs "
        f"({time.perf_counter() - started:.1f} s to generate) on {services.database_label}"
    )
    services.run(
        allocation.set_allocation_settings,
        SYSTEM,
        shortage_policy=args.policy,
        min_shelf_life_days=30,
    )
    ref = reference_reads(services.engine)
    started = time.perf_counter()
    report = services.run(order_actions.allocate, SYSTEM)
    took = time.perf_counter() - started
    print(
        f"allocate: {took:.2f} s for {len(report.results)} orders "
        f"({took / max(len(report.results), 1) * 1000:.2f} ms per order); goal <= 5 s: "
        f"{'met' if took <= 5 else 'NOT met'}"
    )
    print(
        f"  allocated {len(report.allocated)}, backordered {len(report.backordered)}, "
        f"held {len(report.held)}, skipped {len(report.skipped)}, "
        f"{report.reserved_units} units reserved (policy {args.policy})"
    )
    print(
        f"reference: plain reads of the same lines and stock {ref:.3f} s; "
        f"allocate / reference = {took / ref:.1f}x"
    )
    from app.services import stock

    problems = stock.check_stock_invariants(services.uow())
    print(f"stock invariants after the run: {'hold' if not problems else problems[:3]}")
    services.close()
    return 0 if not problems else 1


if __name__ == "__main__":
    raise SystemExit(main())
