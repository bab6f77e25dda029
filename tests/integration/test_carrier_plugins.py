"""Carrier plug-ins: found by entry point, called for a parcel's number and label, voiding.

The HTTP plug-in (``tests/carriers/http_carrier.py``) talks to a real carrier server on
127.0.0.1 that the test starts; it is installed the way a third-party plug-in is: a dist-info
folder with an entry point in the group ``packdesk.carriers`` on ``sys.path``.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from app.bootstrap import Services
from app.carriers import registry
from app.carriers.base import CarrierError, ManifestParcel
from app.carriers.pool import PoolCarrier
from app.db.models import Carrier, CarrierService, Order, OrderLabel, Parcel, TrackingNumber
from app.services import carrier_ship
from app.services.tracking_pool import PoolEmpty
from tests.carriers.http_carrier import CarrierServer, HttpCarrier
from tests.factories import add_orders


@pytest.fixture
def httptest_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    site = tmp_path / "site"
    dist = site / "packdesk_httptest-1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: packdesk-httptest\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        "[packdesk.carriers]\nhttptest = tests.carriers.http_carrier:HttpCarrier\n"
    )
    monkeypatch.syspath_prepend(str(site))
    registry.forget()
    yield
    registry.forget()


@pytest.fixture
def carrier_server() -> Iterator[CarrierServer]:
    with CarrierServer() as server:
        yield server


def _carrier(services: Services, plugin: str, config: dict[str, str] | None, master: bool) -> int:
    with services.uow() as uow:
        s = uow.session
        cid = s.execute(
            insert(Carrier).returning(Carrier.id),
            [
                {
                    "code": plugin.upper(),
                    "name": f"{plugin} carrier",
                    "plugin": plugin,
                    "plugin_config": config,
                    "master_child": master,
                }
            ],
        ).scalar_one()
        s.execute(
            insert(CarrierService),
            [{"carrier_id": cid, "code": "STD", "name": "Standard", "label_size": "100x150mm"}],
        )
        uow.commit()
        return int(cid)


def _parcel(services: Services, order_id: int, carrier_id: int, seq: int = 1) -> int:
    with services.uow() as uow:
        s = uow.session
        service_id = s.scalar(
            select(CarrierService.id).where(CarrierService.carrier_id == carrier_id)
        )
        pid = s.execute(
            insert(Parcel).returning(Parcel.id),
            [
                {
                    "order_id": order_id,
                    "seq": seq,
                    "status": "closed",
                    "weight_g": 1234,
                    "carrier_id": carrier_id,
                    "carrier_service_id": service_id,
                }
            ],
        ).scalar_one()
        uow.commit()
        return int(pid)


def _ship(services: Services, parcel_id: int) -> str:
    """What the pack station does: ask the carrier, store the number on the parcel."""
    with services.uow() as uow:
        answer = carrier_ship.ship_parcel(uow.session, parcel_id)
        parcel = uow.session.get(Parcel, parcel_id)
        assert parcel is not None
        parcel.tracking_number = answer.tracking_number
        parcel.status = "labelled"
        uow.commit()
        return answer.tracking_number


def test_a_plugin_installed_under_the_entry_point_group_is_found(httptest_installed: None) -> None:
    assert {"pool", "httptest"} <= set(registry.available())
    assert isinstance(registry.plugin("httptest"), HttpCarrier)
    assert isinstance(registry.plugin("pool"), PoolCarrier)


def test_a_carrier_whose_plugin_is_not_installed_is_told_so_plainly() -> None:
    registry.forget()
    with pytest.raises(registry.PluginMissing) as caught:
        registry.plugin("sf-express-api", "SF Express")
    assert "SF Express" in str(caught.value) and "not installed" in str(caught.value)


def test_a_parcel_gets_its_number_and_the_carriers_label_over_http(
    services: Services, httptest_installed: None, carrier_server: CarrierServer
) -> None:
    (order_id,) = add_orders(services, 1, status="packing")
    carrier = _carrier(services, "httptest", {"url": carrier_server.url}, master=False)
    parcel = _parcel(services, order_id, carrier)

    assert _ship(services, parcel) == "HT000001"

    sent = carrier_server.shipped[0]
    assert sent["order_number"] == "PD00000001" and sent["weight_g"] == 1234
    assert sent["service_code"] == "STD" and sent["parcel_seq"] == 1
    # the carrier gets the real recipient (the label is for the courier), not the masked one
    assert sent["recipient"]["phone"] == "13800000001"
    with services.uow() as uow:
        label = uow.session.scalar(select(OrderLabel).where(OrderLabel.parcel_id == parcel))
        assert label is not None and label.format == "zpl"
        assert b"^FDHT000001^FS" in label.data


def test_child_parcels_of_a_master_child_carrier_carry_the_first_parcels_number(
    services: Services, httptest_installed: None, carrier_server: CarrierServer
) -> None:
    (order_id,) = add_orders(services, 1, status="packing")
    carrier = _carrier(services, "httptest", {"url": carrier_server.url}, master=True)
    first = _ship(services, _parcel(services, order_id, carrier, 1))
    _ship(services, _parcel(services, order_id, carrier, 2))

    assert carrier_server.shipped[0]["master_tracking"] == ""
    assert carrier_server.shipped[1]["master_tracking"] == first
    assert carrier_server.shipped[1]["parcel_count"] == 2


def test_a_carrier_that_refuses_gives_a_clear_error_and_nothing_is_written(
    services: Services, httptest_installed: None, carrier_server: CarrierServer
) -> None:
    (order_id,) = add_orders(services, 1, status="packing")
    carrier = _carrier(services, "httptest", {"url": carrier_server.url}, master=False)
    parcel = _parcel(services, order_id, carrier)
    carrier_server.fail_next = "postal code 518000 is not served by this service"

    with pytest.raises(CarrierError) as caught:
        _ship(services, parcel)
    assert "518000 is not served" in str(caught.value)
    with services.uow() as uow:
        assert uow.session.scalar(select(func.count(OrderLabel.id))) == 0
        assert uow.session.get(Parcel, parcel).tracking_number is None  # type: ignore[union-attr]
    # the next try works
    assert _ship(services, parcel) == "HT000001"


def test_a_carrier_that_cannot_be_reached_is_a_carrier_error_not_a_crash(
    services: Services, httptest_installed: None
) -> None:
    with CarrierServer() as gone:
        url = gone.url
    (order_id,) = add_orders(services, 1, status="packing")
    carrier = _carrier(services, "httptest", {"url": url}, master=False)
    with pytest.raises(CarrierError):
        _ship(services, _parcel(services, order_id, carrier))


def test_voiding_a_parcel_asks_the_api_carrier_to_void_its_number(
    services: Services, httptest_installed: None, carrier_server: CarrierServer
) -> None:
    (order_id,) = add_orders(services, 1, status="packing")
    carrier = _carrier(services, "httptest", {"url": carrier_server.url}, master=False)
    parcel = _parcel(services, order_id, carrier)
    number = _ship(services, parcel)
    with services.uow() as uow:
        assert carrier_ship.void_tracking(uow.session, parcel, "damaged") == number
        uow.commit()
    assert carrier_server.voided == [number]


def test_the_manifest_hook_reaches_the_plugin(
    httptest_installed: None, carrier_server: CarrierServer
) -> None:
    parcels = [ManifestParcel("HT000001", "PD00000001", 1234, "STD", Decimal("12.50"))]
    assert registry.plugin("httptest").manifest(parcels, {"url": carrier_server.url}) == (
        b'{"parcels": 1}'
    )
    csv = PoolCarrier().manifest(parcels, {}).decode()
    assert csv.splitlines()[1] == "HT000001,PD00000001,1.234,STD,12.50"


def test_the_pool_plugin_gives_each_number_once_and_says_when_the_pool_is_empty(
    services: Services,
) -> None:
    add_orders(services, 1, status="packing")
    carrier = _carrier(services, "pool", None, master=False)
    with services.uow() as uow:
        order_id = uow.session.scalar(select(Order.id))
        uow.session.execute(
            insert(TrackingNumber),
            [
                {"carrier_id": carrier, "number": "RR000000014CN"},
                {"carrier_id": carrier, "number": "RR000000028CN"},
            ],
        )
        uow.commit()
    assert order_id is not None
    numbers = [_ship(services, _parcel(services, order_id, carrier, n)) for n in (1, 2)]
    assert numbers == ["RR000000014CN", "RR000000028CN"]
    with pytest.raises(PoolEmpty):
        _ship(services, _parcel(services, order_id, carrier, 3))

    first = services.run(_parcel_id_of, numbers[0])
    with services.uow() as uow:
        carrier_ship.void_tracking(uow.session, first, "label torn")
        uow.commit()
    with services.uow() as uow:
        statuses = dict(
            uow.session.execute(select(TrackingNumber.number, TrackingNumber.status)).tuples().all()
        )
    assert statuses == {"RR000000014CN": "void", "RR000000028CN": "used"}


def _parcel_id_of(uow: object, number: str) -> int:
    from app.db.uow import UnitOfWork

    assert isinstance(uow, UnitOfWork)
    with uow:
        return int(uow.session.scalar(select(Parcel.id).where(Parcel.tracking_number == number)))
