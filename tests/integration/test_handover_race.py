"""Two shippers scanning the same parcel at once: one puts it on the handover, the other is told
it is already handed over, on both backends; the race is observed, not assumed (tests/race.py).

The first shipper's scan is the holder: inside its open transaction it has locked the parcel's
row (PostgreSQL) or holds the write lock (SQLite) and put the parcel on its handover. The second
shipper's scan is seen waiting for it; once the first commits, the second is refused naming the
first one's handover. Underneath, the unique ``handover_parcels.parcel_id`` refuses a second row
for the parcel whatever the code does.
"""

from __future__ import annotations

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import insert, select, text

from app.bootstrap import Services
from app.db.models import Handover, HandoverParcel, Parcel
from app.domain import handover as rules
from app.domain.users import Actor
from app.services import handover
from tests.handover_fixtures import ship_ready
from tests.race import Race


def _hold_parcel_on_a_handover(services: Services, tracking: str, carrier_id: int) -> tuple:
    holder = services.engine.connect()
    pid = holder.execute(
        select(Parcel.id).where(Parcel.tracking_number == tracking).with_for_update()
    ).scalar_one()
    day = rules.local_now().date()
    number = rules.handover_number(day, "SF", 1)
    hid = holder.execute(
        insert(Handover).returning(Handover.id),
        [{"number": number, "carrier_id": carrier_id, "day": day, "seq": 1, "status": "open",
          "parcels": 0, "weight_g": 0, "manifest_path": "", "reopen_reason": ""}],
    ).scalar_one()  # fmt: skip
    holder.execute(insert(HandoverParcel), [{"handover_id": hid, "parcel_id": pid}])
    return holder, number, pid


def test_two_shippers_scanning_the_same_parcel_one_wins_the_other_is_told_it_is_handed_over(
    services: Services, admin: Actor
) -> None:
    setup = ship_ready(services, admin, pack_two=False)
    tracking = setup.tracking["PD1"]
    holder, number, _ = _hold_parcel_on_a_handover(services, tracking, setup.pack.carrier_id)
    race = Race(services, holder)
    race.start(lambda uow: handover.scan_parcel(uow, setup.shipper, tracking))
    race.assert_all_waiting(1)
    race.release()
    [got] = race.results()
    assert isinstance(got, rules.AlreadyHandedOver), got
    assert number in got.message and tracking in got.message
    with services.uow() as uow:
        rows = uow.session.scalars(select(HandoverParcel.handover_id)).all()
        assert len(rows) == 1


def test_the_database_refuses_a_parcel_on_two_handovers(services: Services, admin: Actor) -> None:
    setup = ship_ready(services, admin, pack_two=False)
    scan = services.run(handover.scan_parcel, setup.shipper, setup.tracking["PD1"])
    with services.engine.connect() as conn:
        with pytest.raises(sa_exc.IntegrityError):
            conn.execute(
                insert(HandoverParcel),
                [{"handover_id": scan.handover_id, "parcel_id": scan.parcel_id}],
            )
        conn.rollback()
        assert conn.execute(text("SELECT count(*) FROM handover_parcels")).scalar_one() == 1
