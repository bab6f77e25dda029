"""``packdesk orders list --json`` gives each packed order's parcels: ``{"tracking", "carrier",
"service", "weight_kg", "status"}`` (a contract), on both backends, in one query."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import event, insert
from sqlalchemy.engine import Engine

from app.bootstrap import Services, bootstrap
from app.cli import main
from app.config import ENV_DB, ENV_HOME, Settings
from app.db.models import Carrier, CarrierService, Parcel
from app.domain.users import Actor
from app.services import orders
from tests.factories import add_orders

PARCEL_KEYS = {"tracking", "carrier", "service", "weight_kg", "status"}


def _parcels(services: Services, rows: list[dict[str, object]]) -> None:
    with services.uow() as uow:
        s = uow.session
        carrier = s.execute(
            insert(Carrier).returning(Carrier.id), [{"code": "YTO", "name": "圆通速递"}]
        ).scalar_one()
        service = s.execute(
            insert(CarrierService).returning(CarrierService.id),
            [{"carrier_id": carrier, "code": "std", "name": "标准快递"}],
        ).scalar_one()
        for r in rows:
            r.setdefault("carrier_id", carrier)
            r.setdefault("carrier_service_id", service)
        s.execute(insert(Parcel), rows)
        uow.commit()


def test_a_packed_order_lists_its_parcels_with_weight_in_kg_and_voided_ones_as_voided(
    services: Services, admin: Actor
) -> None:
    _, packed, being_packed = add_orders(services, 3, status="packed")
    _parcels(
        services,
        [
            {"order_id": packed, "seq": 1, "status": "voided", "tracking_number": "YT0000000001",
             "weight_g": 1234},
            {"order_id": packed, "seq": 2, "status": "labelled", "tracking_number": "YT0000000002",
             "weight_g": 1250},
            {"order_id": packed, "seq": 3, "status": "labelled", "tracking_number": "YT0000000003",
             "weight_g": 87},
            # still being filled: no parcel to list yet
            {"order_id": being_packed, "seq": 1, "status": "open", "carrier_id": None,
             "carrier_service_id": None},
        ],
    )  # fmt: skip

    data = {o["number"]: o for o in services.run(orders.orders_for_export, admin)}

    assert "parcels" not in data["PD00000001"]
    assert "parcels" not in data["PD00000003"]
    listed = data["PD00000002"]["parcels"]
    assert all(set(p) == PARCEL_KEYS for p in listed)  # type: ignore[attr-defined]
    assert listed == [
        {"tracking": "YT0000000001", "carrier": "YTO", "service": "std", "weight_kg": 1.234,
         "status": "voided"},
        {"tracking": "YT0000000002", "carrier": "YTO", "service": "std", "weight_kg": 1.25,
         "status": "labelled"},
        {"tracking": "YT0000000003", "carrier": "YTO", "service": "std", "weight_kg": 0.087,
         "status": "labelled"},
    ]  # fmt: skip


def test_a_parcel_not_weighed_nor_numbered_yet_gives_nulls_not_missing_keys(
    services: Services, admin: Actor
) -> None:
    (order_id,) = add_orders(services, 1, status="packing")
    _parcels(services, [{"order_id": order_id, "seq": 1, "status": "closed", "carrier_id": None,
                         "carrier_service_id": None}])  # fmt: skip

    (entry,) = services.run(orders.orders_for_export, admin)

    assert entry["parcels"] == [
        {"tracking": None, "carrier": None, "service": None, "weight_kg": None, "status": "closed"}
    ]


def test_the_parcels_of_many_orders_take_one_query_not_one_per_order(
    services: Services, admin: Actor
) -> None:
    ids = add_orders(services, 60, status="packed")
    _parcels(
        services,
        [{"order_id": oid, "seq": 1, "status": "labelled", "tracking_number": f"YT{oid:010d}",
          "weight_g": 500} for oid in ids],
    )  # fmt: skip
    statements: list[str] = []

    def count(conn: object, cursor: object, sql: str, *args: object) -> None:
        if "FROM parcels" in sql:
            statements.append(sql)

    engine: Engine = services.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        data = services.run(orders.orders_for_export, admin, None, 50)
    finally:
        event.remove(engine, "before_cursor_execute", count)

    assert len(statements) == 1
    assert len(data) == 50
    assert all(len(o["parcels"]) == 1 for o in data)  # type: ignore[arg-type]
    assert data[-1]["parcels"][0]["tracking"] == f"YT{ids[49]:010d}"  # type: ignore[index]


def test_the_command_line_prints_the_parcels_key(
    sqlite_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(ENV_HOME, str(tmp_path / "home"))
    monkeypatch.delenv(ENV_DB, raising=False)
    shop = bootstrap(Settings(db_url=sqlite_url, station="cli-test"))
    try:
        (order_id,) = add_orders(shop, 1, status="packed")
        _parcels(shop, [{"order_id": order_id, "seq": 1, "status": "labelled",
                         "tracking_number": "YT9876543210", "weight_g": 2500}])  # fmt: skip
    finally:
        shop.close()
    assert main(["--db", sqlite_url, "orders", "list", "--json"]) == 0

    (entry,) = json.loads(capsys.readouterr().out)

    assert entry["parcels"] == [
        {"tracking": "YT9876543210", "carrier": "YTO", "service": "std", "weight_kg": 2.5,
         "status": "labelled"}
    ]  # fmt: skip
    assert '"weight_kg": 2.5' in json.dumps(entry)
