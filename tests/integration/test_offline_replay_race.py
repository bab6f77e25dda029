"""Replays that do not go as the station expected.

- Two replays of one journal at once (the command line's ``offline replay`` while the app
  replays, or a station restarted while its old process still runs): each entry is applied
  once. The second replayer's key row waits for the first's (the key is the primary key of
  ``applied_actions``), and when the first commits it takes the first's answer instead of
  applying the action again. The race is observed: the replay is seen waiting on the lock the
  other replayer's uncommitted key holds.
- A replayed action the shared database answers differently: a conflict for the supervisor.
- An order whose copy was not made before the cut is refused offline (``NotUpToDate``).
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, insert, select, update

from app.db.models import AppliedAction, OrderLine, PackItem
from app.offline import station as offline_station
from app.offline.actions import NotUpToDate
from app.offline.journal import journal
from app.offline.replay import OFFLINE_MESSAGES, ReplayReport, replay
from app.services import packing, sync_conflicts
from tests.integration.offline_fixtures import Outage, outage, proxy  # noqa: F401
from tests.pick_fixtures import BARCODES
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


def test_a_replayed_scan_the_shared_database_answers_differently_is_a_conflict_not_a_silent_change(
    outage: Outage,  # noqa: F811 (the fixture, imported)
) -> None:
    """The station verified a second cup offline; meanwhile the office took the order's cups
    down to one. Replayed, the scan is refused as one too many (an answer, not an error): the
    entry is a conflict for the supervisor with both answers, and nothing is packed twice."""
    o, p = outage, outage.setup.packer
    station = o.station()
    view = station.run(packing.open_for_packing, p, "TOTE-0001")  # online
    first = station.run(packing.scan, p, view.session_id, BARCODES["CUP-1"])
    assert first.ok and first.kind == "verified"
    assert station.offline is not None and station.offline.wait_copied()
    o.proxy.cut()
    out = station.run(packing.scan, p, view.session_id, BARCODES["CUP-1"])  # journaled
    assert out.ok and out.kind == "verified" and station.offline_state().waiting == 1
    with o.office.uow() as uow:  # the office's change (the customer wants one cup only)
        uow.session.execute(
            update(OrderLine)
            .where(OrderLine.order_id == o.order_id("PD1"), OrderLine.sku == "CUP-1")
            .values(qty=1)
        )
        uow.commit()
    state, entry = o.back_with_one_entry(station)
    assert not state.offline and state.waiting == 0 and state.conflicts == 1
    assert entry.status == "conflict"
    assert entry.server_result["ok"] is False and entry.server_result["conflict"] is True
    (shown,) = o.office.run(sync_conflicts.list_conflicts, o.admin)
    assert shown.key == entry.key and shown.message == OFFLINE_MESSAGES["different"]
    assert shown.values["answer"] == entry.server_result["kind"]
    assert "answered differently" in shown.text
    with o.office.uow() as uow:  # one cup packed: the first, online scan
        n = uow.session.scalar(
            select(func.sum(PackItem.qty)).where(PackItem.session_id == view.session_id)
        )
        assert n == 1
    station.close()


def test_an_order_scanned_just_before_the_cut_is_refused_offline_until_its_copy_is_made(
    outage: Outage,  # noqa: F811 (the fixture, imported)
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The station keeps a copy of its orders, brought up to date off the scan's path once the
        scans pause. An order scanned online whose copy was not made yet when the database went is
        refused offline (``NotUpToDate``: its copy would do the last scans again), with what to do;
        nothing is journaled. It packs on when the database is back. A session opened just before
    the cut is known by the answer that opened it (it is not in the copy yet either)."""
    monkeypatch.setattr(offline_station, "COPY_QUIET_S", 3600.0)  # the copier waits: no copy
    monkeypatch.setattr(offline_station, "COPY_MOST_BEHIND_S", 3600.0)
    o, p = outage, outage.setup.packer
    station = o.station()
    assert station.offline is not None
    view = station.run(packing.open_for_packing, p, "TOTE-0001")  # online
    assert station.run(packing.scan, p, view.session_id, BARCODES["CUP-1"]).ok
    assert station.offline.stale  # the copy waits for the scans to pause
    o.proxy.cut()
    with pytest.raises(NotUpToDate) as refused:
        station.run(packing.scan, p, view.session_id, BARCODES["CUP-1"])
    assert "Put it aside until the database is back" in refused.value.message
    state = station.offline_state()
    assert state.offline and state.waiting == 0  # nothing journaled, nothing to replay

    o.proxy.restore()
    station.ping()  # back: the order packs on, online
    assert not station.offline_state().offline
    out = station.run(packing.scan, p, view.session_id, BARCODES["CUP-1"])
    assert out.ok and out.kind == "verified"
    assert [ln.verified for ln in out.view.lines][:1] == [2]  # both cups, once each
    station.close()
