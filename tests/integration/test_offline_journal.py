"""Working through a database outage (issue 13), on real PostgreSQL through a loopback proxy:
the station packs from its own copy while the connection is cut for minutes of simulated time,
journals every action, and replays the journal once when the database is back -- a commit
dropped on its way back is applied once, an order cancelled at the office meanwhile becomes a
conflict, nothing is lost or doubled and the stock ledger balances."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from sqlalchemy import func, select

from app.db.models import (
    AppliedAction,
    Order,
    PackItem,
    PackSession,
    Parcel,
    PrintJob,
    StockLedger,
    StockLevel,
    TrackingNumber,
)
from app.domain.errors import DatabaseUnavailable
from app.offline.actions import NotKeptHere, OfflineRefused
from app.offline.journal import journal
from app.offline.store import LOCAL_ID_BASE
from app.services import order_actions, packing, pick_claim, sync_conflicts
from tests.integration.offline_fixtures import Outage, outage, proxy  # noqa: F401
from tests.pack_fixtures import PD1_WEIGHT, tea
from tests.pick_fixtures import BARCODES

pytestmark = pytest.mark.postgres

CUP, PEN = BARCODES["CUP-1"], BARCODES["PEN-1"]


def _stock(o: Outage) -> dict[tuple[int, int, int | None], int]:
    with o.office.uow() as uow:
        return {
            (loc, prod, lot): int(qty)
            for loc, prod, lot, qty in uow.session.execute(
                select(
                    StockLevel.location_id,
                    StockLevel.product_id,
                    StockLevel.lot_id,
                    StockLevel.on_hand,
                )
            )
        }


def _ledger(o: Outage) -> dict[tuple[int, int, int | None], int]:
    with o.office.uow() as uow:
        return {
            (loc, prod, lot): int(total)
            for loc, prod, lot, total in uow.session.execute(
                select(
                    StockLedger.location_id,
                    StockLedger.product_id,
                    StockLedger.lot_id,
                    func.sum(StockLedger.qty_delta),
                ).group_by(StockLedger.location_id, StockLedger.product_id, StockLedger.lot_id)
            )
        }


def _journal(o: Outage, station: Any) -> list[Any]:
    with station.offline.engine.connect() as conn:
        return list(conn.execute(select(journal).order_by(journal.c.seq)).all())


def test_a_station_packs_through_a_cut_of_minutes_and_its_journal_replays_once_with_a_conflict(
    outage: Outage,  # noqa: F811 (the fixture, imported)
) -> None:
    o, p = outage, outage.setup.packer
    stock_before, ledger_before = _stock(o), _ledger(o)
    station = o.station()
    view = station.run(packing.open_for_packing, p, "TOTE-0001")  # online
    station.run(packing.scan, p, view.session_id, CUP)
    assert not station.offline_state().offline

    assert station.offline is not None and station.offline.wait_copied()
    o.proxy.cut()  # 10:42: the network goes
    out = station.run(packing.scan, p, view.session_id, CUP)
    assert out.ok and out.kind == "verified"
    state = station.offline_state()
    assert state.offline and state.since == o.clock.now and state.waiting == 1
    o.clock.advance(minutes=2)
    station.run(packing.scan, p, view.session_id, tea("L1"))
    done = station.run(packing.weigh, p, view.session_id, PD1_WEIGHT)
    assert done.kind == "packed", (done.message, done.params)
    printed_pd1 = done.tracking_number
    assert printed_pd1 in o.setup.numbers
    with station.uow() as uow:  # offline: the print worker sends the label from the store
        job = uow.session.get_one(PrintJob, done.label_job_id)
        assert job.kind == "shipping_label" and job.reference.startswith("PD1")
        job.status = "sent"
        uow.commit()

    pd2 = station.run(packing.open_for_packing, p, "TOTE-0002")  # opened offline
    assert pd2.session_id > LOCAL_ID_BASE
    for _ in range(3):
        scanned = station.run(packing.scan, p, pd2.session_id, PEN)
    assert scanned.view.current_parcel is not None
    expected = scanned.view.current_parcel.expected_g
    assert expected is not None
    o.clock.advance(minutes=3)
    done2 = station.run(packing.weigh, p, pd2.session_id, expected)
    assert done2.kind == "packed" and done2.tracking_number in o.setup.numbers

    with pytest.raises(OfflineRefused, match="claiming new work must wait"):
        station.run(pick_claim.get_work, p)
    with pytest.raises(NotKeptHere):
        station.run(packing.open_for_packing, p, "NO-SUCH-ORDER")
    assert station.offline_state().waiting == 8

    # meanwhile the office cancels PD2 (it reaches the database; the station does not)
    o.office.run(order_actions.cancel, o.admin, [o.order_id("PD2")], "customer called")

    o.clock.advance(minutes=5)
    o.proxy.restore()
    o.proxy.drop_at_commit()  # the first replayed action commits, its answer is lost
    station.ping()
    assert o.proxy.commits_dropped == 1
    assert station.offline_state().offline  # stopped where it was; nothing doubled below
    station.ping()
    state = station.offline_state()
    assert not state.offline and state.waiting == 0
    entries = _journal(o, station)
    assert {e.status for e in entries} <= {"applied", "conflict"}
    statuses = Counter((e.order_number, e.status) for e in entries)
    assert statuses == {("PD1", "applied"): 3, ("PD2", "conflict"): 5}
    assert state.conflicts == 5
    pd2_first = next(e for e in entries if e.order_number == "PD2")
    assert "cancelled" in pd2_first.error
    shown = o.office.run(sync_conflicts.list_conflicts, o.admin)  # what the supervisor sees
    assert sorted(c.key for c in shown) == sorted(e.key for e in entries if e.status == "conflict")
    assert {c.order_number for c in shown} == {"PD2"}
    first = next(c for c in shown if c.key == pd2_first.key)
    assert "cancelled" in first.text
    reason = first.values["reason"]  # the server's refusal as template and values: translated
    assert isinstance(reason, dict) and reason["values"] == {"order": "PD2"}, reason
    assert "is cancelled" in reason["template"]

    with o.office.uow() as uow:
        s = uow.session
        assert s.scalar(select(Order.status).where(Order.number == "PD1")) == "packed"
        assert s.scalar(select(Order.status).where(Order.number == "PD2")) == "cancelled"
        parcels = s.execute(
            select(Parcel.tracking_number).where(
                Parcel.order_id == o.order_id("PD1"), Parcel.status != "voided"
            )
        ).all()
        assert [t for (t,) in parcels] == [printed_pd1]  # the number on the printed label
        assert s.scalar(select(func.count()).select_from(PackSession)) == 1
        assert s.scalar(select(func.sum(PackItem.qty))) == 3  # 2 cups and a tea, once each
        used = s.scalar(
            select(func.count())
            .where(TrackingNumber.number == printed_pd1)
            .where(TrackingNumber.status == "used")
        )
        assert used == 1
        keys = set(s.scalars(select(AppliedAction.key)))
        assert {e.key for e in entries} <= keys
        labels = s.scalars(select(PrintJob.status).where(PrintJob.kind == "shipping_label")).all()
        assert labels == ["sent"]  # printed offline: not printed a second time
    stock_after, ledger_after = _stock(o), _ledger(o)
    for key in stock_after.keys() | stock_before.keys():
        moved = stock_after.get(key, 0) - stock_before.get(key, 0)
        assert moved == ledger_after.get(key, 0) - ledger_before.get(key, 0), key
    station.close()


def test_a_station_without_the_journal_still_reports_the_database_unreachable(
    outage: Outage,  # noqa: F811 (the fixture, imported)
) -> None:
    from app.bootstrap import bootstrap
    from app.config import Settings

    url = outage.proxy.url(outage.office.settings.db_url)
    plain = bootstrap(Settings(db_url=url, station="test-station"), outage.paths)
    view = plain.run(packing.open_for_packing, outage.setup.packer, "TOTE-0001")
    outage.proxy.cut()
    with pytest.raises(DatabaseUnavailable):
        plain.run(packing.scan, outage.setup.packer, view.session_id, CUP)
    assert not plain.offline_state().offline
    plain.close()


def test_a_scan_whose_commit_answer_is_lost_is_journaled_with_its_key_and_applied_once(
    outage: Outage,  # noqa: F811 (the fixture, imported)
) -> None:
    o, p = outage, outage.setup.packer
    station = o.station()
    view = station.run(packing.open_for_packing, p, "TOTE-0001")
    assert station.offline is not None and station.offline.wait_copied()
    o.proxy.drop_at_commit()
    out = station.run(packing.scan, p, view.session_id, CUP)  # committed; the answer is lost
    assert o.proxy.commits_dropped == 1
    assert out.ok and out.kind == "verified"
    state = station.offline_state()
    assert state.offline and state.waiting == 1
    station.ping()  # the database answers: the replay finds the key and skips the scan
    state = station.offline_state()
    assert not state.offline and state.waiting == 0 and state.conflicts == 0
    with o.office.uow() as uow:
        assert uow.session.scalar(select(func.sum(PackItem.qty))) == 1
    after = station.run(packing.scan, p, view.session_id, CUP)  # online again, same session
    assert after.ok and next(line.verified for line in after.view.lines) == 2
    station.close()
