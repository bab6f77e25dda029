"""Two stations working the same single-unit batch and scanning the same SKU at the same moment
never pack the same order, on both backends, and the race is observed (see tests/race.py).

- SQLite: a third connection holds the write lock; both stations are seen waiting for it, then
  each packs another order (the two oldest needing the SKU).
- PostgreSQL: a station packing the oldest order holds its row; another station's scan packs the
  next order while that row is still locked (a probe's ``NOWAIT`` proves it is): it skipped the
  locked order rather than waiting for it.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import insert, text

from app.bootstrap import Services
from app.db.models import Station
from app.domain.users import Actor, Role
from app.services import pack_single
from tests.conftest import make_actor
from tests.pick_fixtures import BARCODES
from tests.race import Race
from tests.single_fixtures import single_ready, weight_of

CUP = BARCODES["CUP-1"]


def _second_station(services: Services, admin: Actor) -> Actor:
    with services.uow() as uow:
        sid = uow.session.execute(
            insert(Station).returning(Station.id), [{"code": "PACK-02", "devices": {}}]
        ).scalar_one()
        uow.commit()
    packer = make_actor(services, admin, Role.PACKER, "packer-2")
    return replace(packer, station_id=int(sid), station_code="PACK-02")


def _scan(packer: Actor, batch_id: int) -> Any:
    return lambda uow: pack_single.single_scan(uow, packer, batch_id, CUP, weight_of("CUP-1"))


def test_two_stations_scanning_the_same_sku_pack_two_different_orders(
    services: Services, admin: Actor
) -> None:
    setup = single_ready(services, admin)
    other = _second_station(services, admin)
    ids = setup.orders
    holder = services.engine.connect()
    if services.engine.dialect.name == "sqlite":
        holder.execute(text("UPDATE orders SET note = note WHERE id = :o"), {"o": ids["S4"]})
        race = Race(services, holder)
        race.start(_scan(setup.packer, setup.batch_id), _scan(other, setup.batch_id))
        race.assert_all_waiting(2)
        race.release()
        got = race.results()
    else:
        # the first station is packing S3 (the oldest order needing a cup): it holds its row
        holder.execute(text("SELECT id FROM orders WHERE id = :o FOR UPDATE"), {"o": ids["S3"]})
        station = _Station(services, other, setup.batch_id)
        done = station.finished.wait(15)
        still_locked = _locked(services, ids["S3"])
        holder.rollback()
        holder.close()
        if not done:
            station.thread.join(30)
            pytest.fail("the second station waited for the locked order instead of skipping it")
        assert still_locked, "the first station no longer held order S3"
        got = [station.result, services.run(_scan(setup.packer, setup.batch_id))]
    assert not [g for g in got if isinstance(g, BaseException)], got
    packed = [g.view.order_number for g in got]
    assert all(g.kind == "packed" for g in got)
    assert sorted(packed) == ["S1", "S3"], "an order was packed twice or the oldest was skipped"
    assert len({g.tracking_number for g in got}) == 2


class _Station:
    """A station scanning a cup on a thread of its own (its own connection)."""

    def __init__(self, services: Services, packer: Actor, batch_id: int) -> None:
        self.result: Any = None
        self.finished = threading.Event()

        def run() -> None:
            try:
                self.result = services.run(_scan(packer, batch_id))
            except Exception as exc:  # the test looks at it
                self.result = exc
            self.finished.set()

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()


def _locked(services: Services, order_id: int) -> bool:
    """Does another transaction hold the order's row? (PostgreSQL, from a third connection)"""
    with services.engine.connect() as probe:
        try:
            probe.execute(
                text("SELECT id FROM orders WHERE id = :o FOR UPDATE NOWAIT"), {"o": order_id}
            )
        except sa_exc.OperationalError as exc:
            return "lock" in str(exc.orig)
        finally:
            probe.rollback()
    return False
