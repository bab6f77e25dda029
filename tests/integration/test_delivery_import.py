"""Delivery tracking on SQLite and PostgreSQL: a carrier status file imported for orders packed at
the station and handed over (tests/delivery_fixtures.py). Orders whose every parcel was signed for
become delivered (with the time in their history, and the order events told); lost, damaged and
returned parcels open exceptions; unknown numbers and bad rows are reported, the rest kept; the
same file imported twice stores each event once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select, update

from app.bootstrap import Services
from app.db.models import (
    AuditEntry,
    Customer,
    DeliveryException,
    Notice,
    Order,
    OrderStatusChange,
    TrackingEvent,
)
from app.domain.errors import PermissionDenied
from app.domain.users import Actor, Role
from app.importers.tracking_status_file import StatusMapping
from app.services import (
    delivery,
    delivery_exceptions,
    delivery_settings,
    notice_settings,
)
from tests.conftest import make_actor
from tests.delivery_fixtures import mark_shipped, second_parcel, shipped_orders

DATA = Path(__file__).resolve().parents[1] / "data"
CN = DATA / "tracking_status_cn_gb18030.csv"
EN = DATA / "tracking_status_en.xlsx"


def _status(services: Services, number: str) -> str:
    with services.uow() as uow:
        return str(uow.session.scalar(select(Order.status).where(Order.number == number)))


def _exceptions(services: Services) -> list[tuple[str, str, str]]:
    with services.uow() as uow:
        rows = uow.session.execute(
            select(Order.number, DeliveryException.kind, DeliveryException.status)
            .join(Order, Order.id == DeliveryException.order_id)
            .order_by(DeliveryException.id)
        )
        return [(str(a), str(b), str(c)) for a, b, c in rows]


def test_the_fixture_ships_pd1_and_pd2_with_the_numbers_the_sample_files_use(
    services: Services, admin: Actor
) -> None:
    shipped = shipped_orders(services, admin)
    assert shipped.tracking == {"PD1": "SF0000000001", "PD2": "SF0000000002"}
    assert _status(services, "PD1") == _status(services, "PD2") == "shipped"


def _customers_with_email(services: Services, admin: Actor) -> None:
    """Every order's customer left an e-mail address, and the shop has set a mail server, so a
    delivered order gets its notice queued (the order events)."""
    services.run(
        notice_settings.save_smtp_settings,
        admin,
        host="127.0.0.1",
        port=2525,
        starttls=False,
        user="",
        password="",
        from_address="shop@example.com",
    )
    with services.uow() as uow:
        s = uow.session
        for order in s.scalars(select(Order)):
            if order.customer_id is None:
                order.customer_id = s.execute(
                    insert(Customer).returning(Customer.id),
                    [{"name": f"Customer {order.number}", "email": f"{order.number}@example.com"}],
                ).scalar_one()
            else:
                s.execute(
                    update(Customer)
                    .where(Customer.id == order.customer_id)
                    .values(email=f"{order.number}@example.com")
                )
        uow.commit()


def test_a_chinese_status_file_delivers_pd1_opens_a_damaged_exception_and_reports_the_rest(
    services: Services, admin: Actor
) -> None:
    shipped = shipped_orders(services, admin)
    shipper = make_actor(services, admin, Role.SHIPPER)
    _customers_with_email(services, admin)
    result = services.run(delivery.import_tracking_file, shipper, CN)

    assert (result.rows, result.events, result.duplicates) == (12, 7, 1)
    assert (result.delivered, result.delivered_orders, result.exceptions) == (1, ("PD1",), 1)
    assert [(u.row, u.tracking_number) for u in result.unknown] == [(10, "SF0000009999")]
    assert [p.row for p in result.errors] == [11, 12, 13]
    assert _status(services, "PD1") == "delivered" and _status(services, "PD2") == "shipped"
    with services.uow() as uow:  # the delivered notice is queued for PD1 only
        told = (
            uow.session.execute(select(Notice.order_id).where(Notice.kind == "delivered"))
            .scalars()
            .all()
        )
    assert told == [shipped.orders["PD1"]]
    assert _exceptions(services) == [("PD2", "damaged", "open")]
    with services.uow() as uow:
        note = uow.session.scalar(
            select(OrderStatusChange.note).where(
                OrderStatusChange.order_id == shipped.orders["PD1"],
                OrderStatusChange.to_status == "delivered",
            )
        )
        audit = uow.session.scalar(
            select(AuditEntry.after).where(AuditEntry.action == "tracking.import")
        )
    assert note is not None and note.startswith("delivered (签收) at 2026-12-02")
    assert audit is not None and audit["delivered"] == ["PD1"] and audit["errors"] == 3


def test_the_same_file_imported_twice_stores_each_event_once_and_opens_nothing_new(
    services: Services, admin: Actor, tmp_path: Path
) -> None:
    shipped_orders(services, admin)
    services.run(delivery.import_tracking_file, admin, CN)
    copy = tmp_path / "again.csv"
    shutil.copy(CN, copy)
    again = services.run(delivery.import_tracking_file, admin, copy)
    assert (again.events, again.duplicates, again.delivered, again.exceptions) == (0, 8, 0, 0)
    with services.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(TrackingEvent)) == 7
    assert len(_exceptions(services)) == 1


def test_the_history_lists_every_event_of_the_order_newest_first(
    services: Services, admin: Actor
) -> None:
    shipped = shipped_orders(services, admin)
    services.run(delivery.import_tracking_file, admin, EN)
    services.run(delivery.import_tracking_file, admin, CN)
    history = services.run(delivery.tracking_history, admin, shipped.orders["PD1"])
    assert [h.at for h in history] == sorted((h.at for h in history), reverse=True)
    assert [h.status for h in history][:2] == ["delivered", "delivered"]
    assert {h.raw_status for h in history} >= {"Delivered", "已签收", "运输中", "Picked up"}
    assert {h.source for h in history} == {EN.name, CN.name}
    first = history[0]
    assert (first.parcel_seq, first.tracking_number) == (1, "SF0000000001")
    assert first.place in ("上海市", "Shanghai")


def test_an_order_in_two_parcels_is_delivered_only_when_both_are(
    services: Services, admin: Actor, tmp_path: Path
) -> None:
    shipped = shipped_orders(services, admin)
    second_parcel(services, shipped, "PD1", "SF0000000077")
    services.run(delivery.import_tracking_file, admin, EN)
    assert _status(services, "PD1") == "shipped"
    late = tmp_path / "late.csv"
    late.write_text("运单号,物流状态,签收时间\nSF0000000077,妥投,2026-12-04 10:00\n", "utf-8")
    result = services.run(delivery.import_tracking_file, admin, late)
    assert result.delivered_orders == ("PD1",)
    assert _status(services, "PD1") == "delivered"


def test_a_delivery_for_an_order_never_handed_over_is_an_exception_and_the_order_stays_packed(
    services: Services, admin: Actor
) -> None:
    shipped_orders(services, admin, ship=("PD2",))
    result = services.run(delivery.import_tracking_file, admin, EN)
    assert _status(services, "PD1") == "packed"
    assert result.delivered == 0 and result.not_handed_over == 1
    assert ("PD1", "not_handed_over", "open") in _exceptions(services)
    assert ("PD2", "returned_to_sender", "open") in _exceptions(services)


def test_once_handed_over_an_order_signed_for_before_is_delivered_by_the_next_import(
    services: Services, admin: Actor
) -> None:
    shipped_orders(services, admin, ship=("PD2",))
    services.run(delivery.import_tracking_file, admin, EN)
    mark_shipped(services, admin, ["PD1"])
    again = services.run(delivery.import_tracking_file, admin, EN)
    assert (again.events, again.delivered_orders) == (0, ("PD1",))
    assert _status(services, "PD1") == "delivered"


def test_once_handed_over_an_order_signed_for_before_is_delivered_by_the_stale_check(
    services: Services, admin: Actor
) -> None:
    shipped_orders(services, admin, ship=("PD2",))
    services.run(delivery.import_tracking_file, admin, EN)
    mark_shipped(services, admin, ["PD1"])
    report = services.run(delivery_exceptions.find_stale, admin)
    assert report.delivered == 1 and _status(services, "PD1") == "delivered"


def test_a_saved_mapping_is_used_by_name(services: Services, admin: Actor, tmp_path: Path) -> None:
    shipped_orders(services, admin)
    odd = tmp_path / "odd.csv"
    odd.write_text("A,B,C\nSF0000000001,2026-12-02 11:32,Delivered\n", "utf-8")
    mapping = StatusMapping(columns={"tracking": "A", "time": "B", "status": "C"})
    services.run(delivery_settings.save_status_mapping, admin, "odd carrier", mapping)
    assert services.run(delivery_settings.status_mapping_names, admin) == ["odd carrier"]
    result = services.run(delivery.import_tracking_file, admin, odd, mapping="odd carrier")
    assert result.delivered_orders == ("PD1",)
    with pytest.raises(delivery_settings.UnknownStatusMapping) as caught:
        services.run(delivery.import_tracking_file, admin, odd, mapping="nope")
    assert "odd carrier" in str(caught.value)


def test_a_packer_may_not_import_a_status_file_and_nothing_is_stored(
    services: Services, admin: Actor
) -> None:
    shipped = shipped_orders(services, admin)
    with pytest.raises(PermissionDenied):
        services.run(delivery.import_tracking_file, shipped.setup.packer, CN)
    with services.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(TrackingEvent)) == 0
