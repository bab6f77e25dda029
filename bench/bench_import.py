"""Importing a 100,000-line Shopify orders export into SQLite (goal: <= 3x the reference).

    python bench/bench_import.py [--orders 50000] [--skus 2000] [--mapped 0.1] [--rounds 3]
                                 [--keep DIR]

A Shopify export of ``--orders`` orders of one to three lines (two on average, so 50,000 orders
make 100,000 lines) is generated, with US and Chinese addresses, a few unpaid orders and a few
unknown SKUs; the catalogue holds ``--skus`` products. A share ``--mapped`` of the lines (default
10%) sells a listing known only through a product mapping: half by the listing's SKU, half
without a SKU by its title; every fifth listing is a kit of two products, the others 6-packs.

Timed, in the same run, on two fresh migrated SQLite files (same schema, same products):

- the import: ``order_intake.import_file`` as the CLI and the screen run it (encoding check,
  parsing, checks, customers, order numbers, holds, status history, audit, batches of whole
  orders);
- the reference: plain ``sqlite3`` with the app's pragmas (WAL, foreign keys on, synchronous
  NORMAL), the file read with ``csv.reader`` and grouped by order, and the same rows the import
  wrote (customers, customer keys, addresses, orders, lines, order sources, holds, two status
  history rows and one audit row per order) written with ``executemany`` in one transaction,
  with ids counted by the script (no checks; products and mappings looked up in dicts read
  beforehand, mapped lines expanded as the import expands them);

and the ratio between the two, then a second import of the same file (nothing changes). With
``--rounds N`` both run N times, alternately, each on a fresh copy of the same database; the
figure is the best import time over the best reference time (a shared machine only ever slows a
run down), and every round's own ratio is printed too. The CPU time each took in this process
is printed beside (the same ratio of work, less what waiting for a busy machine adds).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, insert, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.bootstrap import bootstrap  # noqa: E402
from app.config import Paths, Settings  # noqa: E402
from app.db.engine import make_engine  # noqa: E402
from app.db.migrate import upgrade  # noqa: E402
from app.db.models import (  # noqa: E402
    ListingMapping,
    ListingMappingPart,
    Order,
    OrderHold,
    OrderLine,
    Product,
)
from app.domain.listings import match_key  # noqa: E402
from app.domain.users import SYSTEM  # noqa: E402
from app.services import order_intake  # noqa: E402
from tests.data.make_samples import write_big_shopify  # noqa: E402


def _fresh_db(path: Path, skus: int) -> None:
    """Products SKU-00000...; mappings of the listings PACK-00000... (by SKU) and "Gift set 0"...
    (by title): every fifth a kit of two products, the others 6-packs."""
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    now = datetime.now(UTC)
    with engine.begin() as conn:
        conn.execute(
            insert(Product), [{"sku": f"SKU-{k:05d}", "name": f"Product {k}"} for k in range(skus)]
        )
        heads, parts = [], []
        for k in range(skus):
            for n, (kind, text) in enumerate(
                (("sku", f"PACK-{k:05d}"), ("title", f"Gift set {k}"))
            ):
                mid = 2 * k + n + 1
                heads.append(
                    {"id": mid, "channel_id": None, "match_kind": kind, "match_text": text,
                     "match_key": match_key(text), "created_at": now, "updated_at": now}
                )  # fmt: skip
                if k % 5 == 0:
                    parts += [
                        {"mapping_id": mid, "product_id": k + 1, "units": 1},
                        {"mapping_id": mid, "product_id": (k + 1) % skus + 1, "units": 2},
                    ]
                else:
                    parts.append({"mapping_id": mid, "product_id": k + 1, "units": 6})
        conn.execute(insert(ListingMapping), heads)
        conn.execute(insert(ListingMappingPart), parts)
    engine.dispose()


def _ts(dt: datetime) -> str:
    # how SQLAlchemy stores a UTC DateTime on SQLite
    return dt.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def reference(db: Path, csv_path: Path, holds: int) -> tuple[float, float, int]:
    """Plain sqlite3: read, group, executemany the same rows in one transaction: (seconds, CPU
    seconds, orders)."""
    started, cpu = time.perf_counter(), time.process_time()
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA foreign_keys=ON")
    con.execute("PRAGMA synchronous=NORMAL")
    products = dict(con.execute("SELECT sku, id FROM products"))
    names = dict(con.execute("SELECT id, name FROM products"))
    skus = {v: k for k, v in products.items()}
    mapped: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for kind, key, pid, units in con.execute(
        "SELECT m.match_kind, m.match_key, p.product_id, p.units FROM listing_mappings m "
        "JOIN listing_mapping_parts p ON p.mapping_id = m.id ORDER BY p.id"
    ):
        mapped.setdefault((kind, key), []).append((pid, units))
    now = _ts(datetime.now(UTC))
    orders: list[list[list[str]]] = []
    with csv_path.open(encoding="utf-8", newline="") as f:
        rows = csv.reader(f)
        header = next(rows)
        col = {h: i for i, h in enumerate(header)}
        current = ""
        for r in rows:
            if not r or not r[0]:
                continue
            if r[0] != current:
                orders.append([])
                current = r[0]
            orders[-1].append(r)
    c = {k: [] for k in ("cust", "keys", "addr", "ord", "line", "src", "hist", "audit", "hold")}
    customers: dict[str, int] = {}
    for oid, rows_ in enumerate(orders, start=1):
        h = rows_[0]
        email = h[col["Email"]]
        cid = customers.get(email)
        if cid is None:
            cid = customers[email] = len(customers) + 1
            phone = h[col["Shipping Phone"]].lstrip("'")
            c["cust"].append((cid, h[col["Shipping Name"]], phone, email, now))
            c["keys"].append((hashlib.sha256(f"e:{email}".encode()).hexdigest(), cid))
        phone = h[col["Shipping Phone"]].lstrip("'")
        c["addr"].append(
            (
                oid,
                cid,
                h[col["Shipping Name"]],
                phone,
                "".join(ch for ch in phone if ch.isdigit()),
                "",
                h[col["Shipping Country"]],
                h[col["Shipping Province Name"]],
                h[col["Shipping City"]],
                "",
                h[col["Shipping Address1"]],
                "",
                h[col["Shipping Zip"]].lstrip("'"),
            )
        )
        created = datetime.strptime(h[col["Created at"]], "%Y-%m-%d %H:%M:%S %z")
        number = f"PD{oid:08d}"
        c["ord"].append(
            (
                oid,
                number,
                1,
                h[col["Name"]],
                "released",
                cid,
                oid,
                "USD",
                h[col["Total"]],
                h[col["Financial Status"]],
                _ts(created),
                now,
                now,
                "",
                1,
            )
        )
        no = 0
        for r in rows_:
            sku, name = r[col["Lineitem sku"]], r[col["Lineitem name"]]
            qty = int(r[col["Lineitem quantity"]])
            listing = (sku, "", name, qty, None)
            parts = None
            if sku not in products:
                parts = mapped.get(("sku", sku.lower())) or mapped.get(("title", name.lower()))
            if parts is None:
                no += 1
                c["line"].append(
                    (oid, no, sku, products.get(sku), name, qty, r[col["Lineitem price"]], 1, 0,
                     "", *listing)
                )  # fmt: skip
                continue
            for pid, units in parts:
                no += 1
                c["line"].append(
                    (oid, no, skus[pid], pid, names[pid], qty * units, "3.32", 1, 0, "", *listing)
                )
        c["src"].append(
            (oid, 1, hashlib.sha256(repr(rows_).encode()).hexdigest(), 0, "", 0, now, now)
        )
        c["hist"].append((oid, None, "new", now, None, None, "imported"))
        c["hist"].append((oid, "new", "released", now, None, None, "checked"))
        c["audit"].append(
            (
                now,
                None,
                "system",
                None,
                "order.import",
                "order",
                number,
                json.dumps({"status": "released"}),
                "",
            )
        )
    c["hold"] = [(oid, "unknown_sku", "held", now) for oid in range(1, holds + 1)]
    con.execute("BEGIN")
    con.execute(
        "INSERT INTO channels (id, code, name, platform, active) VALUES (1, 'shopify', "
        "'shopify', 'shopify', 1)"
    )
    con.execute(
        "INSERT INTO import_batches (id, started_at, channel_id, file_name, format, encoding, "
        "status, rows, imported, updated, unchanged, held, rejected, skipped, problems, "
        "problems_total) VALUES (1, ?, 1, '', '', '', 'done', 0, 0, 0, 0, 0, 0, 0, '[]', 0)",
        (now,),
    )
    sql = {
        "cust": "INSERT INTO customers (id, name, phone, email, created_at) VALUES (?,?,?,?,?)",
        "keys": "INSERT INTO customer_keys (key, customer_id) VALUES (?,?)",
        "addr": "INSERT INTO addresses (id, customer_id, name, phone, phone_digits, company, "
        "country, province, city, district, street, street2, postal_code) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        "ord": "INSERT INTO orders (id, number, channel_id, external_id, status, customer_id, "
        "ship_address_id, currency, total, payment_status, placed_at, created_at, updated_at, "
        "note, version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        "line": "INSERT INTO order_lines (order_id, line_no, sku, product_id, name, qty, "
        "unit_price, requires_shipping, qty_backordered, external_line_id, listing_sku, "
        "listing_id, listing_title, listing_qty, mapping_id) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        "src": "INSERT INTO order_imports (order_id, batch_id, content_hash, source_row, "
        "channel_status, channel_cancelled, imported_at, updated_at) VALUES (?,?,?,?,?,?,?,?)",
        "hist": "INSERT INTO order_status_history (order_id, from_status, to_status, at, "
        "user_id, station_id, note) VALUES (?,?,?,?,?,?,?)",
        "audit": "INSERT INTO audit_log (at, user_id, username, station_id, action, "
        "entity_type, entity_id, after, note) VALUES (?,?,?,?,?,?,?,?,?)",
        "hold": "INSERT INTO order_holds (order_id, code, reason, created_at) VALUES (?,?,?,?)",
    }
    for key in ("cust", "keys", "addr", "ord", "line", "src", "hist", "audit", "hold"):
        con.executemany(sql[key], c[key])
    con.execute("COMMIT")
    con.close()
    return time.perf_counter() - started, time.process_time() - cpu, len(orders)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--orders", type=int, default=50_000)
    ap.add_argument("--skus", type=int, default=2000)
    ap.add_argument(
        "--mapped", type=float, default=0.1, help="share of lines needing a product mapping"
    )
    ap.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="import and reference this many times each, alternately, on fresh copies; the "
        "ratio of the best times is the figure (a shared machine only ever slows a run down)",
    )
    ap.add_argument("--keep", type=Path, help="keep the files in this folder")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="packdesk-bench-import-"))
    try:
        csv_path = tmp / "orders_export.csv"
        t = time.perf_counter()
        lines = write_big_shopify(csv_path, args.orders, skus=args.skus, mapped=args.mapped)
        size = csv_path.stat().st_size / 1e6
        print(
            f"file: {lines - 1:,} lines, {args.orders:,} orders, {size:.1f} MB, "
            f"{args.mapped:.0%} of the lines mapped (written in {time.perf_counter() - t:.1f} s)"
        )
        template = tmp / "template.sqlite"
        _fresh_db(template, args.skus)
        imports: list[float] = []
        refs: list[float] = []
        cpus: list[tuple[float, float]] = []  # (import, reference) CPU seconds
        for k in range(1, max(args.rounds, 1) + 1):
            app_db, ref_db = tmp / f"import{k}.sqlite", tmp / f"reference{k}.sqlite"
            shutil.copy(template, app_db)
            shutil.copy(template, ref_db)
            last = k == max(args.rounds, 1)
            took, cpu, n_holds = _timed_import(
                tmp / f"home{k}", app_db, csv_path, lines, again=last
            )
            ref, ref_cpu, ref_orders = reference(ref_db, csv_path, n_holds)
            imports.append(took)
            refs.append(ref)
            cpus.append((cpu, ref_cpu))
            print(
                f"reference: {ref:6.2f} s  (plain sqlite3.executemany, one transaction, "
                f"{ref_orders:,} orders)"
            )
            print(f"ratio:     {took / ref:6.2f}x  (round {k})")
            print(
                f"cpu:       {cpu:6.2f} s import, {ref_cpu:6.2f} s reference, "
                f"{cpu / ref_cpu:.2f}x  (round {k}; CPU time of this process)"
            )
            if args.keep and last:
                args.keep.mkdir(parents=True, exist_ok=True)
                for p in (csv_path, app_db, ref_db):
                    shutil.copy(p, args.keep / p.name)
        ratios = sorted(i / r for i, r in zip(imports, refs, strict=True))
        print(
            f"ratio:     {min(imports) / min(refs):6.2f}x  best import / best reference over "
            f"{len(imports)} round(s) (goal <= 3x); each round: "
            + ", ".join(f"{x:.2f}x" for x in ratios)
        )
        best_cpu = min(c for c, _ in cpus) / min(r for _, r in cpus)
        print(
            f"cpu ratio: {best_cpu:6.2f}x  best import CPU / best reference CPU (the work each "
            "did, less what waiting for a shared machine adds)"
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def _timed_import(
    home: Path, app_db: Path, csv_path: Path, lines: int, *, again: bool
) -> tuple[float, float, int]:
    """One import of the file into ``app_db`` as the CLI and the screen run it: (seconds, CPU
    seconds, hold reasons written); with ``again``, the same file imported once more (nothing
    changes)."""
    svc = bootstrap(
        Settings(db_url=f"sqlite:///{app_db}", station="bench"),
        Paths(home / "config", home / "data", home / "logs"),
    )
    try:
        t, c = time.perf_counter(), time.process_time()
        result = svc.run(order_intake.import_file, SYSTEM, csv_path)
        took, cpu = time.perf_counter() - t, time.process_time() - c
        with svc.uow() as uow:
            s = uow.session
            n_orders = s.scalar(select(func.count()).select_from(Order))
            n_lines = s.scalar(select(func.count()).select_from(OrderLine))
            n_holds = s.scalar(select(func.count()).select_from(OrderHold)) or 0
        print(
            f"import:    {took:6.2f} s  ({lines / took:,.0f} lines/s): {result.imported:,} "
            f"imported ({result.released:,} released, {result.held:,} held), "
            f"{result.rejected} rejected; {n_orders:,} orders, {n_lines:,} lines, "
            f"{n_holds:,} hold reasons in the database"
        )
        if again:
            t = time.perf_counter()
            repeat = svc.run(order_intake.import_file, SYSTEM, csv_path)
            print(
                f"again:     {time.perf_counter() - t:6.2f} s  ({repeat.unchanged:,} unchanged, "
                f"{repeat.imported} imported, {repeat.updated} updated)"
            )
        return took, cpu, n_holds
    finally:
        svc.close()


if __name__ == "__main__":
    raise SystemExit(main())
