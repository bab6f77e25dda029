"""Single-unit packing (一单一品, 扫描即打): application time from a unit's scan to its label
queued, per packed order, at one station.

    python bench/bench_pack_single.py [--orders 300] [--pg postgresql+psycopg://.../db_test]

A picked single-unit batch of ``--orders`` orders of one cup each lies in its bulk tote (stock
received into the tote, one reservation per order, as picking leaves it), with a carrier pool,
a polybag and the packing settings. The real ``pack_single.single_scan`` is then called once per
order with the stable weight, as the pack screen calls it: it picks the oldest order needing the
cup, verifies the unit, judges the weight, takes a tracking number, renders the label (ZPL) and
the packing slip (PDF), queues both, moves the unit out of the tote and marks the order packed,
in one unit of work. Each call is timed (``time.perf_counter``); printed: p50/p95/p99/max and the
orders per hour one station's application time allows. The human and the printer are not
included (the print worker sends the queued bytes).

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
    StockLevel,
    Wave,
    WaveOrder,
)
from app.domain.pack_settings import PackSettings  # noqa: E402
from app.domain.users import Actor, Role  # noqa: E402
from app.services import auth, pack_settings, pack_single, stock  # noqa: E402
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


def run(services: Services, n: int, label: str) -> None:
    packer, batch_id = setup(services, n)
    times = []
    for _ in range(n):
        t = time.perf_counter()
        out = services.run(pack_single.single_scan, packer, batch_id, BARCODES["CUP-1"], 360)
        times.append(time.perf_counter() - t)
        assert out.kind == "packed", (out.message, out.params)
    times.sort()
    warm = times[min(5, n - 1) :] if n > 10 else times

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
        run(services, args.orders, label)
    finally:
        services.close()


if __name__ == "__main__":
    main()
