"""``bulk_insert`` stores exactly what Core's ``insert()`` stores, value for value, on both
backends (times, money, flags, JSON, NULLs), and reads back as the same Python values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, insert, select, text

from app.bootstrap import Services
from app.db.bulk import bulk_insert
from app.db.models import Base

T0 = datetime(2026, 3, 4, 5, 6, 7, 890123, tzinfo=UTC)
EAST8 = timezone(timedelta(hours=8))


def _raw(services: Services, table: str, first_id: int) -> list[dict[str, Any]]:
    """Stored values as the driver returns them, without SQLAlchemy's result processing."""
    with services.engine.connect() as conn:
        result = conn.exec_driver_sql(f"SELECT * FROM {table} WHERE id >= {first_id} ORDER BY id")
        keys = list(result.keys())
        return [dict(zip(keys, r, strict=True)) for r in result.all()]


def _both_ways(services: Services, name: str, rows: list[dict[str, Any]]) -> None:
    """Write the rows once through Core and once through bulk_insert; compare what is stored
    (all but the id and ``code``, which must differ), then read them back through the ORM types."""
    table: Table = Base.metadata.tables[name]
    core = [dict(r, id=1000 + i) for i, r in enumerate(rows)]
    bulk = [dict(r, id=2000 + i, **({"code": r["code"] + "-b"} if "code" in r else {}))
            for i, r in enumerate(rows)]  # fmt: skip
    with services.uow() as uow:
        conn = uow.session.connection()
        conn.execute(insert(table), core)
        assert bulk_insert(conn, table, bulk) == len(rows)
        uow.commit()
    stored_core = _raw(services, name, 1000)[: len(rows)]
    stored_bulk = _raw(services, name, 2000)
    for c, b in zip(stored_core, stored_bulk, strict=True):
        assert {k: v for k, v in c.items() if k not in ("id", "code")} == {
            k: v for k, v in b.items() if k not in ("id", "code")
        }
    with services.uow() as uow:
        got = uow.session.execute(select(table).where(table.c.id >= 2000).order_by(table.c.id))
        back = [dict(r._mapping) for r in got]
    assert back == bulk


def test_bulk_rows_are_stored_as_core_stores_them(services: Services) -> None:
    _both_ways(
        services,
        "customers",
        [
            {"name": "张三", "phone": "13812345678", "email": "", "created_at": T0,
             "purged_at": None, "notices_opt_out": False},
            {"name": "Emma Wilson", "phone": "+1 (415) 234-5678", "email": "e@example.com",
             "created_at": T0.astimezone(EAST8), "purged_at": T0 + timedelta(days=400),
             "notices_opt_out": True},
        ],
    )  # fmt: skip
    _both_ways(
        services,
        "channels",
        [{"code": "tb", "name": "淘宝", "platform": "taobao", "active": True,
          "mask_policy": "ewaybill", "notices_opt_out": False},
         {"code": "old", "name": "Old shop", "platform": "manual", "active": False,
          "mask_policy": "none", "notices_opt_out": True}],
    )  # fmt: skip


def test_bulk_money_and_json_round_trip(services: Services) -> None:
    with services.uow() as uow:
        uow.session.execute(
            text("INSERT INTO channels (id, code, name, platform, active) "
                 "VALUES (1, 'tb', 'Taobao', 'taobao', :a)"), {"a": True}
        )  # fmt: skip
        uow.commit()
    order = {
        "number": "PD1", "channel_id": 1, "external_id": "X1", "status": "new",
        "customer_id": None, "ship_address_id": None, "carrier_service_id": None,
        "currency": "CNY", "total": Decimal("1234.50"), "payment_status": "paid",
        "placed_at": T0, "created_at": T0, "updated_at": T0, "note": "请尽快发货",
        "merged_into_id": None, "split_from_id": None, "version": 1, "purged_at": None,
        "payment_method": "Cash on Delivery (COD)", "cod_amount": Decimal("1234.50"),
        "pickup": False, "shipping_method": "", "recipient_protected": True,
        "priority": 2, "gift": False, "gift_message": "",
    }  # fmt: skip
    table = Base.metadata.tables["orders"]
    with services.uow() as uow:
        bulk_insert(uow.session.connection(), table, [dict(order, id=7)])
        bulk_insert(
            uow.session.connection(),
            Base.metadata.tables["settings"],
            [{"key": "k", "value": {"seed": 3, "list": [1, "二"]}, "updated_at": T0}],
        )
        uow.commit()
    with services.uow() as uow:
        row = uow.session.execute(select(table).where(table.c.id == 7)).one()._mapping
        value = uow.session.scalar(text("SELECT value FROM settings WHERE key = 'k'"))
    assert row["total"] == Decimal("1234.50") and row["placed_at"] == T0
    assert row["note"] == "请尽快发货"
    assert row["cod_amount"] == Decimal("1234.50") and row["pickup"] is False
    assert row["recipient_protected"] is True
    assert value in ({"seed": 3, "list": [1, "二"]}, '{"seed": 3, "list": [1, "\\u4e8c"]}')
