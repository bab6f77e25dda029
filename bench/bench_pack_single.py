"""Single-unit packing (一单一品, 扫描即打): application time from a unit's scan to its label
queued, per packed order, at one station.

    python bench/bench_pack_single.py [--orders 300] [--pg postgresql+psycopg://.../db_test]
                                      [--paced 3]

A picked single-unit batch of ``--orders`` orders of one cup each lies in its bulk tote (stock
received into the tote, one reservation per order, as picking leaves it), with a carrier pool,
a polybag and the packing settings. The real ``pack_single.single_scan`` is then called once per
order with the stable weight, as the pack screen calls it: it picks the oldest order needing the
cup, verifies the unit, judges the weight, takes a tracking number, renders the label (ZPL) and
the packing slip (PDF), queues both, moves the unit out of the tote and marks the order packed,
in one unit of work. Each call is timed (``time.perf_counter``); printed: p50/p95/p99/max and the
orders per hour one station's application time allows. The human and the printer are not
included in that figure.

Then the print worker's step (``printing.process_pending``) sends the label to the station's
printer, the ZPL emulator on loopback TCP, and the time from the scan to the label's bytes at
the printer's socket (the emulator's own receive time) is printed too (goal: p99 <= 300 ms).
``--paced 3`` scans once every 3 seconds, as a packer with a scanner does, and prints the
orders per hour sustained and how many scans found the station still busy with the one before
(goal: 1,200 orders per hour, none late).

SQLite: a fresh file. ``--pg``: a PostgreSQL test database (its name must end in ``_test`` or
``_bench``: it is emptied first).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select, update

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.bootstrap import Services, bootstrap  # noqa: E402
from app.config import Paths, Settings  # noqa: E402
from app.db.models import (  # noqa: E402
    Channel,
    Location,
    Order,
    OrderLine,
    PackageType,
    PickBatch,
    Reservation,
    Station,
    StockLevel,
    Wave,
    WaveOrder,
)
from app.devices.base import LabelPrinter  # noqa: E402
from app.devices.emulators.printer import PrinterEmulator  # noqa: E402
from app.devices.printers import open_printer  # noqa: E402
from app.devices.station_config import PrinterSettings, StationDevicesConfig  # noqa: E402
from app.domain.pack_settings import PackSettings  # noqa: E402
from app.domain.users import Actor, Role  # noqa: E402
from app.services import auth, pack_settings, pack_single, printing, stock  # noqa: E402
from tests.conftest import _truncate_pg, make_actor  # noqa: E402
from tests.pack_fixtures import add_carrier, catalogue  # noqa: E402
from tests.pick_fixtures import BARCODES, build_shop  # noqa: E402

TOTE = "TOTE-0900"


def _batch(services: Services, admin: Actor, n: int) -> int:
    wid, _, products = build_shop(services, admin)
    cup = products["CUP-1"]
    with services.uow() as uow:
        uow.session.execute(
            insert(Location),
            [{"warehouse_id": wid, "code": TOTE, "barcode": TOTE, "zone": "P", "kind": "tote"}],
        )
        uow.commit()
    services.run(stock.receive, admin, TOTE, "CUP-1", n, None, None)
    t0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    with services.uow() as uow:
        s = uow.session
        ch = s.execute(
            insert(Channel).returning(Channel.id),
            [{"code": "shop", "name": "Shop", "platform": "manual"}],
        ).scalar_one()
        level = s.scalars(
            select(StockLevel)
            .join(Location, Location.id == StockLevel.location_id)
            .where(Location.code == TOTE)
        ).one()
        wave = Wave(number="W000001", warehouse_id=wid, status="picked", pick_method="single_unit")
        s.add(wave)
        s.flush()
        batch = PickBatch(wave_id=wave.id, number=1, status="picked", bulk_tote=TOTE)
        s.add(batch)
        s.flush()
        oids = s.execute(
            insert(Order).returning(Order.id),
            [
                {"number": f"S{i:06d}", "channel_id": ch, "external_id": f"S{i}",
                 "status": "picked", "placed_at": t0 + timedelta(seconds=i)}
                for i in range(n)
            ],
        ).scalars().all()  # fmt: skip
        lines = s.execute(
            insert(OrderLine).returning(OrderLine.id),
            [
                {"order_id": o, "line_no": 1, "sku": "CUP-1", "name": "cup", "qty": 1,
                 "product_id": cup}
                for o in oids
            ],
        ).scalars().all()  # fmt: skip
        s.execute(
            insert(Reservation),
            [{"order_line_id": ln, "stock_level_id": level.id, "qty": 1} for ln in lines],
        )
        level.reserved = n
        s.execute(
            insert(WaveOrder),
            [{"wave_id": wave.id, "order_id": o, "batch_id": batch.id} for o in oids],
        )
        uow.commit()
        return batch.id


def setup(services: Services, n: int) -> tuple[Actor, int]:
    services.run(auth.create_first_admin, "admin", "correct-horse-9", services.station_id)
    admin = services.run(
        auth.login, "admin", "correct-horse-9", services.station_id, services.station_code
    )
    batch_id = _batch(services, admin, n)
    _, sid, _ = add_carrier(services, numbers=n)
    catalogue(services)
    with services.uow() as uow:
        uow.session.execute(update(Order).values(carrier_service_id=sid))
        uow.session.execute(
            update(PackageType).where(PackageType.kind == "box").values(active=False)
        )
        uow.commit()
    services.run(
        pack_settings.save_pack_settings,
        admin,
        PackSettings(sender_name="茶杯小店", sender_city="杭州", sender_phone="0571"),
    )
    return make_actor(services, admin, Role.PACKER), batch_id


def _station_printer(services: Services, emulator: PrinterEmulator) -> LabelPrinter:
    """The station's label printer: the ZPL emulator on loopback TCP."""
    config = StationDevicesConfig(
        printer=PrinterSettings(transport="tcp", address=emulator.address, label_size="76x130mm")
    )
    with services.uow() as uow:
        station = uow.session.get_one(Station, services.station_id)
        station.devices = config.to_json()
        uow.commit()
    printer_config = config.printer.printer_config()
    assert printer_config is not None
    return open_printer(printer_config)


def run(services: Services, n: int, label: str, paced_s: float = 0.0) -> None:
    packer, batch_id = setup(services, n)
    times: list[float] = []
    socket: list[float] = []
    late = 0
    with PrinterEmulator("zpl") as emulator:
        printer = _station_printer(services, emulator)
        start = time.perf_counter()
        for i in range(n):
            if paced_s:  # the scanner scans every paced_s seconds; the app must keep up
                wait = start + i * paced_s - time.perf_counter()
                if wait > 0:
                    time.sleep(wait)
                elif i:
                    late += 1
            before = len(emulator.printed)
            wall = time.time()
            t = time.perf_counter()
            out = services.run(pack_single.single_scan, packer, batch_id, BARCODES["CUP-1"], 360)
            times.append(time.perf_counter() - t)
            assert out.kind == "packed", (out.message, out.params)
            # the print worker's step: the label's bytes to the printer's socket
            printing.process_pending(services.uow, printer, station_id=services.station_id)
            assert emulator.wait_for_jobs(before + 1, timeout=5), "the label never arrived"
            socket.append(emulator.printed[before].received_at - wall)
        elapsed = time.perf_counter() - start
    # the first orders are the station's warm-up (its statements not yet prepared on the server,
    # the label fonts not yet loaded): shown apart, the figures are of the orders after them
    warm_n = min(5, n - 1) if n > 10 else 0
    if warm_n:
        shown = " ".join(f"{w * 1000:.0f}" for w in socket[:warm_n])
        print(f"{label}: warm-up, the first {warm_n} orders' scan to socket: {shown} ms")
    socket = sorted(socket[warm_n:])
    s50, s99 = (socket[min(len(socket) - 1, int(p * len(socket)))] * 1000 for p in (0.5, 0.99))
    print(
        f"{label}: scan to label bytes at the printer's socket p50 {s50:.1f} ms, "
        f"p99 {s99:.1f} ms, max {socket[-1] * 1000:.1f} ms"
    )
    if paced_s:
        print(
            f"{label}: paced at one scan every {paced_s:g} s: {n} orders in {elapsed:.0f} s = "
            f"{n / elapsed * 3600:,.0f} orders/h; scans that found the station still busy: {late}"
        )
    warm = sorted(times[warm_n:])  # the same warm-up orders left out (not the fastest five)

    def pct(p: float) -> float:
        return warm[min(len(warm) - 1, int(p * len(warm)))] * 1000

    mean = statistics.fmean(warm)
    print(
        f"{label}: {n} orders packed; per order p50 {pct(0.5):.1f} ms, p95 {pct(0.95):.1f} ms, "
        f"p99 {pct(0.99):.1f} ms, max {warm[-1] * 1000:.1f} ms; mean {mean * 1000:.1f} ms "
        f"= {3600 / mean:,.0f} orders/h of application time at one station "
        f"({mean / 3:.1%} of a 3 s scan cycle)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--orders", type=int, default=300)
    ap.add_argument("--pg", help="a PostgreSQL test database URL (emptied first)")
    ap.add_argument(
        "--paced", type=float, default=0.0, metavar="S", help="one scan every S seconds (e.g. 3)"
    )
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="packdesk-bench-"))
    paths = Paths(tmp / "c", tmp / "d", tmp / "l")
    if args.pg:
        _truncate_pg(args.pg)
        services = bootstrap(Settings(db_url=args.pg, station="bench-pack"), paths)
        label = "PostgreSQL"
    else:
        url = f"sqlite:///{tmp / 'bench.sqlite'}"
        services = bootstrap(Settings(db_url=url, station="bench-pack"), paths)
        label = "SQLite"
    try:
        run(services, args.orders, label, args.paced)
    finally:
        services.close()


if __name__ == "__main__":
    main()
