"""Item-scan verify latency at the pack station: ``packing.scan`` of one unit, end to end
through the service (its one unit of work: classify, match, insert, the view for the screen).

Allocated demo orders in no wave are opened one after the other at a demo pack bench; each unit
is scanned by its barcode and timed; the order is then weighed at its expected weight, which
finishes it (rules, number, label, slip: timed too, as "finish"). The reference is half the
wire time of a 20-character code at 9600 baud, 8N1 (22.9 ms / 2 = 11.5 ms). Each figure is
given as wall time and as this process's CPU time (on a machine shared with other work the wall
time includes waiting for a core; SQLite runs in the process, so its CPU time is what the scan
costs on a quiet machine).

    python bench/bench_pack_scan.py [--orders 80] [--warm-up 5] [--db URL] [--offline-journal]

``--warm-up N``: the first N orders are packed the same way but not timed. A station packs all
day; its first few scans are slower (the statements are not prepared on the server yet: psycopg
prepares one at its fifth use, and PostgreSQL plans it afresh for its first five runs), and in
a run of a few hundred scans they would be the whole p99. Their times are printed apart.

``--offline-journal`` (PostgreSQL): run as the desktop station does, with the station store and
the offline journal on (each pack action also records its idempotency key on the server, and the
order's copy is refreshed by a background thread): compare with a run without it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select

from app.bootstrap import bootstrap
from app.config import Paths, Settings
from app.db.models import Order, OrderLine, ProductBarcode, WaveOrder
from app.services import auth, demo_data, packing
from bench.bench_pack import settle

WIRE_S = (20 + 2) * 10 / 9600


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--orders", type=int, default=80)
    ap.add_argument("--db", default="")
    ap.add_argument("--offline-journal", action="store_true")
    ap.add_argument("--warm-up", type=int, default=5)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="pack-bench-"))
    url = args.db or f"sqlite:///{tmp / 'bench.sqlite'}"
    paths = Paths(tmp / "config", tmp / "data", tmp / "logs")
    services = bootstrap(
        Settings(db_url=url, station="pack-01"), paths, offline=args.offline_journal
    )
    with services.uow() as uow:
        empty = not uow.session.scalar(select(func.count(Order.id)))
    if empty:
        services.run(demo_data.generate, orders=2000, seed=7, now=datetime(2026, 12, 1, tzinfo=UTC))
    settle(services)  # VACUUM (ANALYZE) on PostgreSQL: autovacuum must not start mid-run
    packer = services.run(auth.login, "packer1", "demo-packer1", services.station_id, "pack-01")
    with services.uow() as uow:
        s = uow.session
        numbers = s.scalars(
            select(Order.number)
            .where(
                Order.status == "allocated",
                Order.id.not_in(select(WaveOrder.order_id)),
                ~Order.pickup,
            )
            .order_by(Order.id)
            .limit(args.orders)
        ).all()
        plan = {
            n: s.execute(
                select(OrderLine.qty, func.min(ProductBarcode.barcode))
                .join(Order, Order.id == OrderLine.order_id)
                .join(ProductBarcode, ProductBarcode.product_id == OrderLine.product_id)
                .where(Order.number == n, ProductBarcode.pack_qty == 1)
                .group_by(OrderLine.id, OrderLine.qty)
            ).all()
            for n in numbers
        }
    scans: list[float] = []
    finishes: list[float] = []
    orders: list[float] = []
    cpu_scans: list[float] = []
    cpu_finishes: list[float] = []
    warm: list[float] = []
    for n, number in enumerate(numbers):
        if n == args.warm_up:
            warm = list(scans)
            for timed in (scans, cpu_scans, finishes, cpu_finishes, orders):
                timed.clear()
        t_order = time.perf_counter()
        view = services.run(packing.open_for_packing, packer, number)
        for qty, barcode in plan[number]:
            for _ in range(qty):
                t0, c0 = time.perf_counter(), time.process_time()
                out = services.run(packing.scan, packer, view.session_id, barcode)
                scans.append(time.perf_counter() - t0)
                cpu_scans.append(time.process_time() - c0)
                assert out.ok, (number, out.message, out.params)
                if out.kind == "serial_wanted":
                    serial = f"SN{len(scans):08d}"
                    t0, c0 = time.perf_counter(), time.process_time()
                    out = services.run(packing.scan, packer, view.session_id, serial)
                    scans.append(time.perf_counter() - t0)
                    cpu_scans.append(time.process_time() - c0)
                    assert out.ok, (number, out.message, out.params)
        parcel = services.run(packing.pack_view, packer, view.session_id).current_parcel
        assert parcel is not None and parcel.expected_g is not None
        t0, c0 = time.perf_counter(), time.process_time()
        done = services.run(packing.weigh, packer, view.session_id, parcel.expected_g)
        finishes.append(time.perf_counter() - t0)
        cpu_finishes.append(time.process_time() - c0)
        orders.append(time.perf_counter() - t_order)
        assert done.ok, (number, done.message, done.params)
    backend = url.split(":", 1)[0]
    print(f"{backend}: {len(orders)} orders, {len(scans)} item scans (after {args.warm_up} orders)")
    if warm:
        shown = " ".join(f"{w * 1000:.1f}" for w in warm)
        print(f"  warm-up: {len(warm)} item scans, {shown} ms")
    for name, values in (
        ("item scan", scans),
        ("  (CPU)", cpu_scans),
        ("weigh+finish", finishes),
        ("  (CPU)", cpu_finishes),
        ("order", orders),
    ):
        print(
            f"  {name:13s} p50 {statistics.median(values) * 1000:7.1f} ms"
            f"  p99 {pct(values, 99) * 1000:7.1f} ms  max {max(values) * 1000:7.1f} ms"
        )
    print(
        f"  item-scan p99 / wire time of 20 chars at 9600 baud: {pct(scans, 99) / WIRE_S:.2f}x"
        f" (CPU: {pct(cpu_scans, 99) / WIRE_S:.2f}x)"
    )
    print(
        f"  ratio of an order's application time to a 60 s pack cycle: "
        f"{statistics.mean(orders) / 60:.4f}"
    )
    services.close()


if __name__ == "__main__":
    main()
