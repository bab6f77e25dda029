"""The pack station's own time per packed order, its item-scan latency, and last scan to label
bytes at the printer's socket, on SQLite and (with ``--pg``) PostgreSQL.

    python bench/bench_pack.py [--orders 200] [--warm-up 5] [--pg postgresql+psycopg://u:pw@host/db_test]

A fresh demo warehouse (``--demo-orders`` orders, its cartons, tracking-number pools, shipping
rule and packing settings) is made on each backend; the station's label printer is the ZPL
printer emulator on loopback TCP. Then ``--orders`` allocated orders that are in no wave (a shop
without picking) are packed as a packer would, through the real services: open the order by its
number, scan every unit's barcode, put the parcel on the scale (the weight it should have), and
the print worker's step (``printing.process_pending``) sends the label to the printer.

Timed (wall clock, ``time.perf_counter``):

- **application time per order**: every service call of the order (open, each scan, the weigh
  that finishes it: rules, tracking number, label and packing slip rendered and queued, stock
  moved, order packed) plus the print worker's step that sends the label; the emulated human is
  not in it (there is no pause between calls) and neither is the printer (the emulator prints in
  its own thread, after the bytes arrived). Goal: SQLite <= 0.2 s, PostgreSQL <= 0.4 s; shown as
  a share of a 60-second pack cycle.
- **item-scan verify latency**: each item scan's call. Goal: p99 <= 0.5x the time a
  20-character code takes on a 9600-baud serial line (8N1 + CR LF: 22 x 10 bits / 9600 =
  22.9 ms, so <= 11.5 ms).
- **last scan to label bytes at the socket**: from the call that finishes the order (the stable
  weight, the packer's last input) until the emulator has received the whole label (its own
  receive time). Goal: p99 <= 300 ms.

``--warm-up N``: the first N orders are packed the same way and not counted (a station packs
all day: its first scans are slower while the server prepares and plans its statements for the
first time, and in a run of a few hundred scans they alone would make the p99); their item
scans are printed apart.

The PostgreSQL database is emptied first: its name must end in ``_test`` or ``_bench``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, event, exists, insert, make_url, select, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.bootstrap import Services, bootstrap  # noqa: E402
from app.config import Paths, Settings  # noqa: E402
from app.db.models import (  # noqa: E402
    Carrier,
    Order,
    OrderLine,
    ProductBarcode,
    TrackingNumber,
    WaveOrder,
)
from app.devices.emulators.printer import PrinterEmulator  # noqa: E402
from app.devices.printers import open_printer  # noqa: E402
from app.devices.station_config import PrinterSettings, StationDevicesConfig  # noqa: E402
from app.domain.users import Actor  # noqa: E402
from app.services import auth, demo_data, packing, printing, stations  # noqa: E402

WIRE_MS = 22 * 10 / 9600 * 1000  # a 20-character code with CR LF at 9600 baud, 8N1
CYCLE_S = 60.0


@dataclass
class Figures:
    backend: str
    per_order: list[float] = field(default_factory=list)
    scans: list[float] = field(default_factory=list)
    #: SQL statements each item scan sent to the database
    statements: list[int] = field(default_factory=list)
    to_socket: list[float] = field(default_factory=list)
    #: the item scans of the warm-up orders (not in ``scans``)
    warm_up_scans: list[float] = field(default_factory=list)
    units: int = 0
    parcels: int = 0


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def empty_pg(url: str) -> None:
    name = make_url(url).database or ""
    if not name.endswith(("_test", "_bench")):
        raise SystemExit(f"refusing to empty {name!r}: its name must end in _test or _bench")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()


def shop(url: str, tmp: Path, demo_orders: int) -> tuple[Services, Actor]:
    services = bootstrap(
        Settings(db_url=url, station="pack-bench-01"), Paths(tmp / "c", tmp / "d", tmp / "l")
    )
    services.run(demo_data.generate, orders=demo_orders, seed=11)
    user = next(u for u in demo_data.DEMO_USERS if u.username == "admin")
    admin = services.run(
        auth.login, user.username, user.password, services.station_id, services.station_code
    )
    with services.uow() as uow:  # numbers for every carrier the rules may choose
        s = uow.session
        for cid, code in s.execute(select(Carrier.id, Carrier.code)).all():
            s.execute(
                insert(TrackingNumber),
                [
                    {"carrier_id": cid, "number": f"BENCH{code}{i:08d}", "status": "free"}
                    for i in range(3000)
                ],
            )
        uow.commit()
    settle(services)
    return services, admin


def settle(services: Services) -> None:
    """PostgreSQL: VACUUM (ANALYZE) the freshly loaded demo, as a database in use would be, so
    that autovacuum does not start on it in the middle of the timed run (it did, and took a
    core from the station for seconds: the p99 doubled from one run to the next)."""
    if not services.shared:
        return
    with services.engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM (ANALYZE)")


def packable(services: Services, n: int) -> list[tuple[str, list[str]]]:
    """Allocated orders in no wave, each with the barcode to scan for every unit."""
    with services.uow() as uow:
        s = uow.session
        codes = dict(
            s.execute(
                select(ProductBarcode.product_id, ProductBarcode.barcode)
                .where(ProductBarcode.pack_qty == 1)
                .order_by(ProductBarcode.id)
            ).all()[::-1]
        )
        orders = s.execute(
            select(Order.id, Order.number)
            .where(
                Order.status == "allocated",
                Order.pickup.is_(False),
                ~exists().where(WaveOrder.order_id == Order.id),
            )
            .order_by(Order.id)
        ).all()
        out: list[tuple[str, list[str]]] = []
        for oid, number in orders:
            lines = s.execute(
                select(OrderLine.product_id, OrderLine.qty).where(
                    OrderLine.order_id == oid, OrderLine.requires_shipping
                )
            ).all()
            if not lines or any(pid not in codes for pid, _ in lines):
                continue
            out.append((number, [codes[pid] for pid, qty in lines for _ in range(qty)]))
            if len(out) == n:
                break
    return out


class StatementCounter:
    """Counts the statements the engine sends (a SQLAlchemy ``before_cursor_execute`` hook)."""

    def __init__(self, services: Services) -> None:
        self.n = 0
        event.listen(services.engine, "before_cursor_execute", self._count)

    def _count(self, *_args: object) -> None:
        self.n += 1


def pack_all(services: Services, admin: Actor, backend: str, n: int, warm_up: int = 0) -> Figures:
    fig = Figures(backend)
    counter = StatementCounter(services)
    with PrinterEmulator("zpl") as emulator:
        address = emulator.address
        config = StationDevicesConfig(
            printer=PrinterSettings(transport="tcp", address=address, label_size="100x150mm")
        )
        services.run(stations.save_station_devices, admin, services.station_id, config)
        printer_config = config.printer.printer_config()
        assert printer_config is not None
        printer = open_printer(printer_config)
        user = next(u for u in demo_data.DEMO_USERS if u.username == "packer1")
        packer = services.run(
            auth.login, user.username, user.password, services.station_id, services.station_code
        )
        todo = packable(services, n + warm_up)
        if len(todo) < n + warm_up:
            print(f"  only {len(todo)} packable orders in the demo data (asked for {n + warm_up})")
        for i, (number, barcodes) in enumerate(todo):
            if i == warm_up and warm_up:
                fig.warm_up_scans = list(fig.scans)
                for timed in (fig.scans, fig.statements, fig.to_socket, fig.per_order):
                    timed.clear()
                fig.units = fig.parcels = 0
            spent = 0.0
            t = time.perf_counter()
            view = services.run(packing.open_for_packing, packer, number)
            spent += time.perf_counter() - t
            serials = 0
            for code in barcodes:
                before = counter.n
                t = time.perf_counter()
                outcome = services.run(packing.scan, packer, view.session_id, code)
                took = time.perf_counter() - t
                spent += took
                fig.scans.append(took)
                fig.statements.append(counter.n - before)
                if not outcome.ok:
                    raise SystemExit(f"{number}: scan {code} refused: {outcome.message}")
                view = outcome.view
                if view.next_step == packing.NextStep.SCAN_SERIAL:  # the unit's serial
                    serials += 1
                    t = time.perf_counter()
                    outcome = services.run(
                        packing.scan, packer, view.session_id, f"SN{number}{serials:03d}"
                    )
                    spent += time.perf_counter() - t
                    if not outcome.ok:
                        raise SystemExit(f"{number}: serial refused: {outcome.message}")
                    view = outcome.view
            parcel = view.current_parcel
            assert parcel is not None and parcel.expected_g is not None
            printed_before = len(emulator.printed)
            wall = time.time()
            t = time.perf_counter()
            outcome = services.run(packing.weigh, packer, view.session_id, parcel.expected_g)
            if outcome.label_job_id is None:
                raise SystemExit(f"{number}: no label: {outcome.message} {outcome.params}")
            result = printing.process_pending(services.uow, printer, station_id=services.station_id)
            spent += time.perf_counter() - t
            if not result.sent:
                raise SystemExit(f"{number}: the label was not sent: {result}")
            if not emulator.wait_for_jobs(printed_before + 1, timeout=5):
                raise SystemExit(f"{number}: the printer never got the label")
            fig.to_socket.append(emulator.printed[printed_before].received_at - wall)
            fig.per_order.append(spent)
            fig.units += len(barcodes)
            fig.parcels += 1
        printer.close() if hasattr(printer, "close") else None
    return fig


def report(fig: Figures) -> None:
    n = len(fig.per_order)
    if not n:
        print(f"{fig.backend}: nothing packed")
        return
    mean = statistics.mean(fig.per_order)
    print(f"\n{fig.backend}: {n} orders packed ({fig.units} units scanned)")
    if fig.warm_up_scans:
        print(
            f"  warm-up orders first (not counted): {len(fig.warm_up_scans)} item scans, "
            + " ".join(f"{w * 1000:.1f}" for w in fig.warm_up_scans)
            + " ms"
        )
    print(
        f"  application time per order: mean {mean * 1000:.1f} ms, p50 "
        f"{pct(fig.per_order, 50) * 1000:.1f}, p95 {pct(fig.per_order, 95) * 1000:.1f}, "
        f"max {max(fig.per_order) * 1000:.1f} ms = {mean / CYCLE_S:.4f} of a 60 s pack cycle"
    )
    p99 = pct(fig.scans, 99) * 1000
    print(
        f"  item scan: p50 {pct(fig.scans, 50) * 1000:.2f} ms, p99 {p99:.2f} ms, max "
        f"{max(fig.scans) * 1000:.2f} ms = p99 {p99 / WIRE_MS:.2f}x the 9600-baud wire time "
        f"({WIRE_MS:.1f} ms)"
    )
    print(
        f"  SQL statements per item scan: mean {statistics.mean(fig.statements):.1f}, "
        f"min {min(fig.statements)}, max {max(fig.statements)}"
    )
    print(
        f"  last scan to label bytes at the socket: p50 {pct(fig.to_socket, 50) * 1000:.1f} ms, "
        f"p99 {pct(fig.to_socket, 99) * 1000:.1f} ms, max {max(fig.to_socket) * 1000:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--warm-up", type=int, default=5)
    parser.add_argument("--demo-orders", type=int, default=1500)
    parser.add_argument("--pg", help="a PostgreSQL test database URL (emptied first)")
    args = parser.parse_args()
    runs = [("SQLite", None)] + ([("PostgreSQL", args.pg)] if args.pg else [])
    for backend, url in runs:
        tmp = Path(tempfile.mkdtemp(prefix="packdesk-pack-bench-"))
        if url is None:
            url = f"sqlite:///{tmp / 'bench.sqlite'}"
        else:
            empty_pg(url)
        services, admin = shop(url, tmp, args.demo_orders)
        try:
            report(pack_all(services, admin, backend, args.orders, args.warm_up))
        finally:
            services.close()


if __name__ == "__main__":
    main()
