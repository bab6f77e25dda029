"""Single-unit packing (一单一品, 扫描即打) through a database outage: each unit scanned offline
packs and labels the oldest order still needing it from the station's copy, with a number the
station kept for itself; the journal then replays once, the same orders packed with the numbers
printed, nothing doubled and the ledger balanced."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from app.bootstrap import Services
from app.config import Paths
from app.db.models import Order, Parcel, TrackingNumber
from app.domain.users import Actor
from app.services import pack_single, pack_single_batch, stock
from tests.integration.offline_fixtures import (  # noqa: F401 (proxy: the fixture)
    Clock,
    claimed_here,
    office_admin,
    proxy,
    station_through,
)
from tests.pg_proxy import PgProxy
from tests.pick_fixtures import BARCODES
from tests.single_fixtures import TOTE, SingleSetup, single_ready, weight_of


@pytest.fixture
def single(
    pg_only_services: Services,
    proxy: PgProxy,  # noqa: F811 (the fixture, imported)
    paths: Paths,
) -> Iterator[tuple[Services, Actor, SingleSetup, PgProxy, Services]]:
    """A picked single-unit batch claimed by this station, 8 numbers; and the station."""
    office = pg_only_services
    admin = office_admin(office)
    setup = single_ready(office, admin, numbers=8)
    claimed_here(office, setup.batch_id)
    station = station_through(proxy, office, paths, Clock())
    yield office, admin, setup, proxy, station
    station.close()


def test_single_unit_scans_offline_pack_and_label_then_replay_once(
    single: tuple[Services, Actor, SingleSetup, PgProxy, Services],
) -> None:
    office, _admin, setup, link, station = single
    packer, batch = setup.packer, setup.batch_id
    view = station.run(pack_single_batch.open_single_unit, packer, TOTE)  # online
    assert view.left == 4
    assert station.offline is not None and station.offline.wait_copied()
    link.cut()
    done = []
    for sku in ("CUP-1", "PEN-1", "CUP-1"):
        out = station.run(pack_single.single_scan, packer, batch, BARCODES[sku], weight_of(sku))
        assert out.ok and out.kind == "packed", (out.message, out.params)
        done.append((out.view.order_number, out.tracking_number))
    state = station.offline_state()
    assert state.offline and state.waiting == 3
    assert [n for n, _ in done] == ["S3", "S2", "S1"]  # the oldest order needing each unit
    printed = [t for _, t in done]
    assert len(set(printed)) == 3 and set(printed) <= set(setup.numbers)

    link.restore()
    station.ping()
    state = station.offline_state()
    assert not state.offline and state.waiting == 0 and state.conflicts == 0
    with office.uow() as uow:
        s = uow.session
        statuses = dict(s.execute(select(Order.number, Order.status)).tuples().all())
        assert [statuses[n] for n in ("S3", "S2", "S1", "S4")] == [
            "packed",
            "packed",
            "packed",
            "picked",
        ]
        on_parcels = dict(
            s.execute(
                select(Order.number, Parcel.tracking_number)
                .join(Parcel, Parcel.order_id == Order.id)
                .where(Parcel.status != "voided")
            )
            .tuples()
            .all()
        )
        assert on_parcels == dict(done)  # the numbers on the labels printed offline
        used = s.scalar(
            select(func.count())
            .select_from(TrackingNumber)
            .where(TrackingNumber.number.in_(printed), TrackingNumber.status == "used")
        )
        assert used == 3
    assert office.run(stock.check_stock_invariants) == []
