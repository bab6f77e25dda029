"""Two supervisors making waves at the same moment never put an order into two waves (and never
take the same wave number): planning is one station at a time, observed (see tests/race.py)."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from app.bootstrap import Services
from app.db.models import Wave, WaveOrder
from app.domain.users import Actor
from app.services import carts, wave_plan
from tests.race import Race, hold_the_lock
from tests.wave_fixtures import allocated_orders


def test_two_stations_making_waves_at_once_never_share_an_order(
    services: Services, admin: Actor
) -> None:
    oids = allocated_orders(services, admin, [[("CUP-1", 1)]] * 4).order_ids
    services.run(carts.save_cart, admin, "C12", 12)
    lock = f"SELECT pg_advisory_xact_lock({wave_plan.PLANNING_LOCK})"
    race = Race(services, hold_the_lock(services, lock))
    race.start(
        lambda uow: wave_plan.create_waves(uow, admin, max_orders=3),
        lambda uow: wave_plan.create_waves(uow, admin, max_orders=3),
    )
    race.assert_all_waiting(2)
    race.release()
    results = race.results()
    assert not [r for r in results if isinstance(r, BaseException)], results
    made = sorted(len(r) for r in results)
    assert made == [0, 2]  # the first made both waves; the second found nothing left
    with services.uow() as uow:
        placed = Counter(uow.session.scalars(select(WaveOrder.order_id)))
        numbers = uow.session.scalars(select(Wave.number).order_by(Wave.number)).all()
    assert placed == Counter(oids) and numbers == ["W000001", "W000002"]
