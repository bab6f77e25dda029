"""A packing station on PostgreSQL behind a loopback proxy that can take the database away,
with a clock the test moves (minutes of outage without waiting for them), and the office on a
direct connection to the same database (it goes on working during the station's outage)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from app.bootstrap import Services, bootstrap
from app.config import Paths, Settings
from app.db.models import Order, PickBatch
from app.domain.users import Actor
from app.offline.journal import journal
from app.offline.state import OfflineState
from app.services import auth, packing
from tests.pack_fixtures import PackSetup, pack_ready
from tests.pg_proxy import PgProxy
from tests.pick_fixtures import BARCODES


class Clock:
    """Simulated time for the station: ``advance`` moves it on."""

    def __init__(self) -> None:
        self.now = datetime(2026, 12, 7, 10, 42, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: Any) -> None:
        self.now += timedelta(**delta)


@dataclass
class Outage:
    office: Services
    admin: Actor
    setup: PackSetup
    proxy: PgProxy
    paths: Paths
    clock: Clock

    def station(self) -> Services:
        """The packing station, through the proxy, with its offline journal."""
        return station_through(self.proxy, self.office, self.paths, self.clock)

    def back_with_one_entry(self, station: Services) -> tuple[OfflineState, Any]:
        """The database back and the station's ping (it replays): its state, and the one
        entry of its journal."""
        self.proxy.restore()
        station.ping()
        assert station.offline is not None
        with station.offline.engine.connect() as conn:
            entry = conn.execute(select(journal)).one()
        return station.offline_state(), entry

    def one_scan_journaled(self) -> tuple[Services, int]:
        """A station that opened PD1 (tote TOTE-0001) online, then scanned a cup with the
        database cut: one journal entry waiting. The proxy stays cut; returns the station and
        the pack session."""
        station = self.station()
        p = self.setup.packer
        view = station.run(packing.open_for_packing, p, "TOTE-0001")  # online
        assert station.offline is not None and station.offline.wait_copied()
        self.proxy.cut()
        out = station.run(packing.scan, p, view.session_id, BARCODES["CUP-1"])  # journaled
        assert out.ok and station.offline_state().waiting == 1
        return station, view.session_id

    def order_id(self, number: str) -> int:
        with self.office.uow() as uow:
            return int(uow.session.scalar(select(Order.id).where(Order.number == number)))


@pytest.fixture
def proxy(pg_migrated: str) -> Iterator[PgProxy]:
    p = PgProxy.for_url(pg_migrated)
    yield p
    p.close()


def station_through(proxy: PgProxy, office: Services, paths: Paths, clock: Clock) -> Services:
    """A station on the office's database through the proxy, with its offline journal."""
    url = proxy.url(office.settings.db_url)
    svc = bootstrap(Settings(db_url=url, station="test-station"), paths, offline=True)
    assert svc.offline is not None
    svc.offline.clock = clock
    return svc


def office_admin(office: Services) -> Actor:
    office.run(auth.create_first_admin, "admin", "correct-horse-9", office.station_id)
    return office.run(auth.login, "admin", "correct-horse-9", office.station_id, "test-station")


def claimed_here(office: Services, batch_id: int) -> None:
    """The batch claimed from this station (the station keeps the orders of its batches)."""
    with office.uow() as uow:
        uow.session.execute(
            update(PickBatch)
            .where(PickBatch.id == batch_id)
            .values(claimed_station_id=office.station_id)
        )
        uow.commit()


@pytest.fixture
def outage(pg_only_services: Services, proxy: PgProxy, paths: Paths) -> Outage:
    """PD1 and PD2 picked into their totes by a batch this station claimed, 20 numbers."""
    office = pg_only_services
    admin = office_admin(office)
    setup = pack_ready(office, admin, numbers=20)
    claimed_here(office, setup.pick.batch_id)
    return Outage(office, admin, setup, proxy, paths, Clock())
