"""Two replays of one journal at once (the command line's ``offline replay`` while the app
replays, or a station restarted while its old process still runs): each entry is applied once.
The second replayer's key row waits for the first's (the key is the primary key of
``applied_actions``), and when the first commits it takes the first's answer instead of
applying the action again. The race is observed: the replay is seen waiting on the lock the
other replayer's uncommitted key holds."""

from __future__ import annotations

from sqlalchemy import func, insert, select

from app.db.models import AppliedAction, PackItem
from app.offline.journal import journal
from app.offline.replay import ReplayReport, replay
from tests.integration.offline_fixtures import Outage, outage, proxy  # noqa: F401
from tests.race import Race


def test_an_entry_another_replay_is_applying_waits_for_it_and_is_then_skipped_not_doubled(
    outage: Outage,  # noqa: F811 (the fixture, imported)
) -> None:
    o = outage
    station, session_id = o.one_scan_journaled()
    assert station.offline is not None
    with station.offline.engine.connect() as conn:
        key = conn.execute(select(journal.c.key)).scalar_one()
    o.proxy.restore()

    # the other replayer: it has applied the scan and written its key, not yet committed
    holder = o.office.engine.connect()
    answer = {"ok": True, "kind": "verified", "conflict": False}
    holder.execute(
        insert(AppliedAction).values(
            key=key, station_id=o.office.station_id, action="pack.scan", result=answer
        )
    )
    offline = station.offline
    race = Race(station, holder)
    race.start(lambda _uow: replay(offline))
    race.assert_all_waiting(1)
    race.release()  # the other replayer commits
    (report,) = race.results()
    assert report == ReplayReport(applied=0, skipped=1, conflicts=0, waiting=0), report

    with offline.engine.connect() as conn:
        entry = conn.execute(select(journal)).one()
    assert entry.status == "applied" and entry.server_result == answer
    with o.office.uow() as uow:  # this replay's own write of the scan was rolled back
        n = uow.session.scalar(
            select(func.count(PackItem.id)).where(PackItem.session_id == session_id)
        )
        assert n == 0
        keys = select(func.count()).select_from(AppliedAction).where(AppliedAction.key == key)
        assert uow.session.scalar(keys) == 1
    station.close()
