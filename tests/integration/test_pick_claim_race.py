"""Two stations pressing "Get work" at the same moment never get the same batch, on both
backends, and the race is observed, not assumed (see tests/race.py).

- SQLite: a station claiming batch 1 holds the write lock; two more stations are seen waiting
  for it, and then each gets another batch.
- PostgreSQL: a station claiming batch 1 holds its row (the claim's own ``FOR UPDATE``); another
  station's claim returns batch 2 while that lock is still held (a third connection's
  ``NOWAIT`` proves it is), so it skipped the locked batch rather than waiting for it.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import text

from app.bootstrap import Services
from app.domain.users import Actor, Role
from app.services import pick_claim
from tests.conftest import make_actor
from tests.race import Race
from tests.wave_fixtures import build_wave

#: another station's claim of batch 1, as the service writes it
CLAIM = (
    "UPDATE pick_batches SET status = 'picking', claimed_by = :user, version = version + 1 "
    "WHERE id = :batch AND status = 'ready'"
)


def test_stations_claiming_at_once_never_get_the_same_batch(
    services: Services, admin: Actor
) -> None:
    w = build_wave(services, admin, tote_slots=1)  # three batches
    pickers = [make_actor(services, admin, Role.PICKER, f"picker-{i}") for i in range(3)]
    first = w.batch_ids[0]
    holder = services.engine.connect()
    if services.engine.dialect.name == "sqlite":
        holder.execute(text(CLAIM), {"user": pickers[0].user_id, "batch": first})
        race = Race(services, holder)
        race.start(
            lambda uow: pick_claim.get_work(uow, pickers[1]),
            lambda uow: pick_claim.get_work(uow, pickers[2]),
        )
        race.assert_all_waiting(2)
        race.release()
        got = race.results()
    else:
        holder.execute(
            text("SELECT id FROM pick_batches WHERE id = :batch FOR UPDATE"), {"batch": first}
        )
        station = _Station(services, pickers[1])
        done = station.finished.wait(15)
        still_locked = _locked(services, first)
        if not done:
            holder.rollback()  # let the station finish: later tests need the database
            holder.close()
            station.thread.join(30)
            pytest.fail("the second station waited for the locked batch instead of skipping it")
        assert still_locked, "the first station no longer held batch 1"
        mid_claim = station.result
        holder.execute(text(CLAIM), {"user": pickers[0].user_id, "batch": first})
        holder.commit()
        holder.close()
        got = [mid_claim, services.run(pick_claim.get_work, pickers[2])]
    assert not [g for g in got if isinstance(g, BaseException)], got
    claimed = [g.batch_id for g in got]
    assert sorted(claimed) == sorted(w.batch_ids[1:]), "a batch was claimed twice or skipped"
    assert [g.how for g in got] == ["next", "next"]


class _Station:
    """A station pressing "Get work" on a thread of its own (its own connection)."""

    def __init__(self, services: Services, picker: Actor) -> None:
        self.result: Any = None
        self.finished = threading.Event()

        def run() -> None:
            try:
                self.result = services.run(pick_claim.get_work, picker)
            except Exception as exc:  # the test looks at it
                self.result = exc
            self.finished.set()

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()


def _locked(services: Services, batch_id: int) -> bool:
    """Does another transaction hold the batch's row? (PostgreSQL, from a third connection)"""
    with services.engine.connect() as probe:
        try:
            probe.execute(
                text("SELECT id FROM pick_batches WHERE id = :b FOR UPDATE NOWAIT"), {"b": batch_id}
            )
        except sa_exc.OperationalError as exc:
            return "lock" in str(exc.orig)
        finally:
            probe.rollback()
    return False
