"""Loading a tracking-number pool file and taking numbers from it (goal: 100,000 numbers loaded
in a few seconds).

    python bench/bench_tracking_pool.py [--numbers 100000] [--pg postgresql+psycopg://.../x_test]

A CSV of ``--numbers`` UPU S10 numbers is written to a temporary folder, then loaded through the
real ``app.services.tracking_pool.load_pool`` into a fresh SQLite file (and, with ``--pg``, into
that PostgreSQL database, whose name must end in ``_test`` or ``_bench``: its bench carrier and
numbers are deleted first). Printed per backend: parsing and checking alone, the whole load,
numbers per second, and the latency of 1,000 ``take_number`` calls (each its own transaction).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.bootstrap import Services, bootstrap  # noqa: E402
from app.config import Paths, Settings  # noqa: E402
from app.db.models import Carrier, Channel, Order, Parcel, TrackingNumber  # noqa: E402
from app.domain import tracking  # noqa: E402
from app.domain.users import SYSTEM  # noqa: E402
from app.importers import tracking_file  # noqa: E402
from app.services import tracking_pool  # noqa: E402

CODE = "BENCHPOST"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--numbers", type=int, default=100_000)
    ap.add_argument("--pg", default="", help="a PostgreSQL URL whose database ends in _test")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "pool.csv"
        path.write_text(
            "\n".join(
                tracking.with_check_digit("UPU S10", f"RR{i:08d}CN") for i in range(a.numbers)
            ),
            encoding="utf-8",
        )
        t = time.perf_counter()
        parsed = tracking_file.read(path, "UPU S10")
        print(f"parse and check {len(parsed.numbers)} numbers: {time.perf_counter() - t:.2f} s")
        urls = [f"sqlite:///{folder / 'bench.sqlite'}"]
        if a.pg:
            name = make_url(a.pg).database or ""
            if not name.endswith(("_test", "_bench")):
                sys.exit("the PostgreSQL database's name must end in _test or _bench")
            urls.append(a.pg)
        for url in urls:
            paths = Paths(config_dir=folder, data_dir=folder, log_dir=folder)
            services = bootstrap(Settings(db_url=url, station="bench"), paths)
            try:
                _run(services, path)
            finally:
                services.close()


def _run(services: Services, path: Path) -> None:
    backend = services.engine.dialect.name
    carrier_id = _fresh_carrier(services)
    t = time.perf_counter()
    report = services.run(tracking_pool.load_pool, SYSTEM, CODE, path)
    seconds = time.perf_counter() - t
    print(
        f"{backend}: {report.loaded} loaded, {report.rejected} refused in {seconds:.2f} s "
        f"({report.loaded / seconds:,.0f} numbers/s)"
    )
    parcels = _parcels(services, 1000)
    times = []
    for parcel in parcels:
        t = time.perf_counter()
        with services.uow() as uow:
            tracking_pool.take_number(uow.session, carrier_id, None, parcel)
            uow.commit()
        times.append(time.perf_counter() - t)
    q = statistics.quantiles(times, n=100)
    print(f"{backend}: take_number p50 {q[49] * 1000:.1f} ms, p99 {q[98] * 1000:.1f} ms")


def _fresh_carrier(services: Services) -> int:
    with services.uow() as uow:
        s = uow.session
        old = s.scalar(select(Carrier.id).where(Carrier.code == CODE))
        if old is not None:
            s.execute(delete(TrackingNumber).where(TrackingNumber.carrier_id == old))
            s.execute(delete(Carrier).where(Carrier.id == old))
        cid = s.execute(
            insert(Carrier).returning(Carrier.id),
            [{"code": CODE, "name": "Bench post", "tracking_format": "UPU S10"}],
        ).scalar_one()
        uow.commit()
        return int(cid)


def _parcels(services: Services, n: int) -> list[int]:
    with services.uow() as uow:
        s = uow.session
        channel = s.scalar(select(Channel.id).where(Channel.code == "bench"))
        if channel is None:
            channel = s.execute(
                insert(Channel).returning(Channel.id), [{"code": "bench", "name": "Bench"}]
            ).scalar_one()
        oid = s.execute(
            insert(Order).returning(Order.id),
            [
                {
                    "number": f"BENCH{time.time_ns()}",
                    "channel_id": channel,
                    "external_id": "bench",
                    "status": "packing",
                }
            ],
        ).scalar_one()
        ids = list(
            s.execute(
                insert(Parcel).returning(Parcel.id),
                [{"order_id": oid, "seq": i + 1} for i in range(n)],
            ).scalars()
        )
        uow.commit()
        return ids


if __name__ == "__main__":
    main()
