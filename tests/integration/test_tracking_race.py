"""Two stations never get the same tracking number, on both backends, and the race is observed,
not assumed (see tests/race.py).

- PostgreSQL: station A has taken a number and holds its transaction open (the row locked by
  ``FOR UPDATE``); station B, meanwhile, gets the next number and finishes while A is still
  open and still holds its row (a third connection's ``NOWAIT`` proves it): B skipped the locked
  row rather than waiting for it.
- SQLite: station A's transaction holds the write lock; station B is seen waiting for it, and
  gets the next number only after A committed.
- Eight stations taking fifty numbers each at once: four hundred different numbers.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.bootstrap import Services
from app.db.models import TrackingNumber
from app.domain.users import Actor
from app.services import tracking_pool
from app.services.tracking_pool import PoolEmpty, take_number
from tests.race import Race
from tests.tracking_fixtures import add_carrier, add_parcels, take

FIRST, SECOND = "73100066666698", "73100066666699"


def test_a_second_station_gets_another_number_while_the_first_holds_its_own(
    services: Services, admin: Actor
) -> None:
    zto = add_carrier(services)
    services.run(tracking_pool.load_pool, admin, "ZTO", f"{FIRST},73100066666702")
    parcel_a, parcel_b = add_parcels(services, 2)
    holder = services.engine.connect()
    station_a = Session(bind=holder)
    assert take_number(station_a, zto.id, None, parcel_a) == FIRST
    station_a.flush()
    if services.engine.dialect.name == "sqlite":

        def let_go() -> None:
            station_a.commit()
            station_a.close()
            holder.close()

        race = Race(services, holder, let_go=let_go)
        race.start(lambda uow: take(uow, zto.id, None, parcel_b))
        race.assert_all_waiting(1)
        race.release()
        [got] = race.results()
    else:
        station_b = _Station(services, zto.id, parcel_b)
        finished = station_b.finished.wait(15)
        a_still_holds_its_row = _locked(services, FIRST)
        station_a.commit()
        station_a.close()
        holder.close()
        station_b.thread.join(30)
        assert finished, "the second station waited for the first's number instead of skipping it"
        assert a_still_holds_its_row, "the first station's transaction was no longer open"
        got = station_b.result
    assert got == SECOND
    assert _parcel_of(services) == {FIRST: parcel_a, SECOND: parcel_b}


def test_eight_stations_taking_fifty_numbers_each_never_get_the_same_number(
    services: Services, admin: Actor
) -> None:
    zto = add_carrier(services)
    services.run(tracking_pool.load_pool, admin, "ZTO", "73100000000000-73100000000399")
    parcels = add_parcels(services, 400)
    start = threading.Barrier(8)
    got: list[list[str]] = [[] for _ in range(8)]
    errors: list[BaseException] = []

    def station(i: int) -> None:
        try:
            start.wait(10)
            for parcel in parcels[i * 50 : (i + 1) * 50]:
                got[i].append(services.run(take, zto.id, None, parcel))
        except BaseException as exc:  # the test reports it
            errors.append(exc)

    threads = [threading.Thread(target=station, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert errors == []
    every = [n for numbers in got for n in numbers]
    assert len(every) == 400 and len(set(every)) == 400
    assert set(_parcel_of(services).values()) == set(parcels)
    with pytest.raises(PoolEmpty):
        services.run(take, zto.id, None, parcels[0])


class _Station:
    """A station taking a number on a thread of its own (its own connection)."""

    def __init__(self, services: Services, carrier_id: int, parcel_id: int) -> None:
        self.result: Any = None
        self.finished = threading.Event()

        def run() -> None:
            try:
                self.result = services.run(take, carrier_id, None, parcel_id)
            except Exception as exc:  # the test looks at it
                self.result = exc
            self.finished.set()

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()


def _locked(services: Services, number: str) -> bool:
    """Does another transaction hold the number's row? (PostgreSQL, from a third connection)"""
    with services.engine.connect() as probe:
        try:
            probe.execute(
                text("SELECT id FROM tracking_numbers WHERE number = :n FOR UPDATE NOWAIT"),
                {"n": number},
            )
        except sa_exc.OperationalError as exc:
            return "lock" in str(exc.orig)
        finally:
            probe.rollback()
    return False


def _parcel_of(services: Services) -> dict[str, int | None]:
    with services.uow() as uow:
        rows = uow.session.execute(
            select(TrackingNumber.number, TrackingNumber.parcel_id).where(
                TrackingNumber.status == "used"
            )
        ).tuples()
        return dict(rows.all())
