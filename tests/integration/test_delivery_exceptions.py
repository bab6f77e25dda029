"""The delivery exceptions queue on SQLite and PostgreSQL: parcels silent for N days found and
listed with their last event, filtered by kind, resolved with a note by a supervisor (audited,
refused to a shipper); and a carrier plug-in's tracking events recorded through the same path
as a status file (the plug-in installed under the entry-point group, not a mock)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from app.bootstrap import Services
from app.carriers import registry
from app.carriers.base import TrackingNotSupported
from app.db.models import AuditEntry, Carrier, DeliveryException, utcnow
from app.domain.errors import PermissionDenied, ValidationError
from app.domain.users import Actor, Role
from app.services import delivery, delivery_exceptions, delivery_settings
from tests.carriers.tracking_carrier import TrackingCarrier
from tests.conftest import make_actor
from tests.delivery_fixtures import shipped_orders

DATA = Path(__file__).resolve().parents[1] / "data"
CN = DATA / "tracking_status_cn_gb18030.csv"


def test_a_parcel_silent_for_more_than_n_days_is_found_once_and_listed_with_its_last_event(
    services: Services, admin: Actor, tmp_path: Path
) -> None:
    shipped = shipped_orders(services, admin, days_ago=5)
    # PD1 scanned two days ago, PD2 never since it was shipped five days ago
    recent = (utcnow() - timedelta(days=2)).strftime("%Y-%m-%d %H:%M:%S%z")
    f = tmp_path / "s.csv"
    f.write_text(f"运单号,物流状态,时间,地点\nSF0000000001,运输中,{recent},杭州市\n", "utf-8")
    services.run(delivery.import_tracking_file, admin, f)

    report = services.run(delivery_exceptions.find_stale, admin)
    assert (report.days, report.checked, report.opened, report.stale) == (3, 2, 1, 1)
    again = services.run(delivery_exceptions.find_stale, admin)
    assert (again.opened, again.stale) == (0, 1)
    [row] = services.run(delivery_exceptions.list_exceptions, admin)
    assert (row.order_number, row.kind, row.tracking_number, row.carrier) == (
        "PD2",
        "no_scan",
        "SF0000000002",
        "SF",
    )
    assert row.last_at is None and row.order_status == "shipped"

    services.run(delivery_settings.save_stale_days, admin, 1)
    wider = services.run(delivery_exceptions.find_stale, admin)
    assert (wider.days, wider.opened, wider.stale) == (1, 1, 2)
    pd1 = [r for r in services.run(delivery_exceptions.list_exceptions, admin, "no_scan")][-1]
    assert pd1.order_number == "PD1" and pd1.last_raw == "运输中" and pd1.last_place == "杭州市"
    assert shipped.orders["PD1"] == pd1.order_id


def test_a_new_scan_closes_the_no_scan_exception_and_a_delivered_parcel_is_not_watched(
    services: Services, admin: Actor, tmp_path: Path
) -> None:
    shipped_orders(services, admin, days_ago=10)
    assert services.run(delivery_exceptions.find_stale, admin).opened == 2
    now = utcnow().strftime("%Y-%m-%d %H:%M:%S%z")
    f = tmp_path / "s.csv"
    f.write_text(
        f"运单号,物流状态,时间\nSF0000000001,已签收,{now}\nSF0000000002,派送中,{now}\n", "utf-8"
    )
    services.run(delivery.import_tracking_file, admin, f)
    assert services.run(delivery_exceptions.list_exceptions, admin) == []
    report = services.run(delivery_exceptions.find_stale, admin, now=utcnow() + timedelta(days=9))
    # PD1 is delivered: only PD2 is still under way, and silent again nine days later
    assert (report.checked, report.opened) == (1, 1)


def test_the_list_filters_by_kind(services: Services, admin: Actor) -> None:
    shipped_orders(services, admin, days_ago=10)
    services.run(delivery.import_tracking_file, admin, CN)
    services.run(delivery_exceptions.find_stale, admin)
    kinds = [r.kind for r in services.run(delivery_exceptions.list_exceptions, admin)]
    # PD1 was delivered; PD2 arrived damaged on 2 December and has said nothing since
    assert sorted(kinds) == ["damaged", "no_scan"]
    damaged = services.run(delivery_exceptions.list_exceptions, admin, "damaged")
    assert [r.order_number for r in damaged] == ["PD2"]
    assert damaged[0].detail == "快件破损 北京市" and damaged[0].last_status == "damaged"
    assert services.run(delivery_exceptions.list_exceptions, admin, "lost") == []


def test_a_supervisor_resolves_an_exception_with_a_note_and_it_is_audited(
    services: Services, admin: Actor
) -> None:
    shipped = shipped_orders(services, admin)
    services.run(delivery.import_tracking_file, admin, CN)
    [row] = services.run(delivery_exceptions.list_exceptions, admin)
    shipper = make_actor(services, admin, Role.SHIPPER)
    with pytest.raises(PermissionDenied):
        services.run(delivery_exceptions.resolve_exception, shipper, row.id, "claimed")
    with pytest.raises(ValidationError):
        services.run(delivery_exceptions.resolve_exception, shipped.setup.supervisor, row.id, " ")

    done = services.run(
        delivery_exceptions.resolve_exception,
        shipped.setup.supervisor,
        row.id,
        "claimed from SF, sent again",
    )
    assert (done.status, done.resolution_note) == ("resolved", "claimed from SF, sent again")
    assert services.run(delivery_exceptions.list_exceptions, admin) == []
    [kept] = services.run(delivery_exceptions.list_exceptions, admin, resolved=True)
    assert kept.id == row.id and kept.resolved_at is not None
    with pytest.raises(delivery_exceptions.AlreadyResolved) as caught:
        services.run(delivery_exceptions.resolve_exception, admin, row.id, "again")
    assert "boss" in str(caught.value)
    with services.uow() as uow:
        audit = uow.session.execute(
            select(AuditEntry.username, AuditEntry.entity_id, AuditEntry.note).where(
                AuditEntry.action == "delivery.resolve"
            )
        ).one()
        by = uow.session.scalar(
            select(DeliveryException.resolved_by).where(DeliveryException.id == row.id)
        )
    assert tuple(audit) == ("boss", "PD2", "claimed from SF, sent again")
    assert by == shipped.setup.supervisor.user_id


@pytest.fixture
def tracktest_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    site = tmp_path / "site"
    dist = site / "packdesk_tracktest-1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: packdesk-tracktest\nVersion: 1.0\n"
    )
    (dist / "entry_points.txt").write_text(
        "[packdesk.carriers]\ntracktest = tests.carriers.tracking_carrier:TrackingCarrier\n"
    )
    monkeypatch.syspath_prepend(str(site))
    registry.forget()
    TrackingCarrier.asked.clear()
    yield
    registry.forget()


def test_a_carrier_plugin_that_tracks_feeds_its_events_through_the_same_path_as_a_file(
    services: Services, admin: Actor, tracktest_installed: None
) -> None:
    shipped = shipped_orders(services, admin)
    with services.uow() as uow:
        uow.session.execute(
            update(Carrier)
            .where(Carrier.id == shipped.setup.carrier_id)
            .values(plugin="tracktest", plugin_config={"delivered": ["SF0000000001"]})
        )
        uow.commit()
    [result] = services.run(delivery.poll_carrier_tracking, admin)
    assert (result.source, result.events, result.delivered_orders) == (
        "plugin:tracktest",
        3,
        ("PD1",),
    )
    assert TrackingCarrier.asked == [["SF0000000001", "SF0000000002"]]
    history = services.run(delivery.tracking_history, admin, shipped.orders["PD1"])
    assert [(h.raw_status, h.source) for h in history] == [
        ("已签收", "plugin:tracktest"),
        ("Shipment picked up", "plugin:tracktest"),
    ]
    # PD1 is delivered: the next poll asks about PD2 only, and stores nothing twice
    with services.uow() as uow:
        uow.session.execute(
            update(Carrier)
            .where(Carrier.id == shipped.setup.carrier_id)
            .values(plugin_config={"lost": ["SF0000000002"]})
        )
        uow.commit()
    [second] = services.run(delivery.poll_carrier_tracking, admin)
    assert TrackingCarrier.asked[-1] == ["SF0000000002"]
    assert (second.events, second.duplicates, second.exceptions) == (1, 1, 1)
    [lost] = services.run(delivery_exceptions.list_exceptions, admin)
    assert (lost.order_number, lost.kind) == ("PD2", "lost")


def test_a_carrier_whose_plugin_cannot_track_is_not_asked(services: Services, admin: Actor) -> None:
    shipped_orders(services, admin)
    assert services.run(delivery.poll_carrier_tracking, admin) == ()
    with pytest.raises(TrackingNotSupported) as caught:
        services.run(delivery.poll_carrier_tracking, admin, carrier="SF")
    assert "SF" in str(caught.value) and "status file" in str(caught.value)
