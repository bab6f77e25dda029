"""Small test data through Core inserts (the importers and demo data have their own tests)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import insert, select

from app.bootstrap import Services
from app.db.models import Address, Channel, Order, OrderHold, OrderLine, OrderStatusChange

NAMES = ["张三丰", "李四", "王小明", "Emma Wilson", "陈静", "刘洋"]
CITIES = [("广东省", "深圳市", "南山区"), ("浙江省", "杭州市", "西湖区"), ("", "London", "")]


def add_orders(
    services: Services, n: int, *, status: str = "new", channel_code: str = "taobao", start: int = 1
) -> list[int]:
    """``n`` orders with two lines each, numbered PD00000001...; returns their ids."""
    with services.uow() as uow:
        s = uow.session
        ch = s.scalar(select(Channel.id).where(Channel.code == channel_code))
        if ch is None:
            ch = s.execute(
                insert(Channel).returning(Channel.id),
                [{"code": channel_code, "name": channel_code.title(), "platform": channel_code}],
            ).scalar_one()
        t0 = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
        ids = []
        for i in range(start, start + n):
            name = NAMES[i % len(NAMES)]
            phone = f"138{i:08d}"
            prov, city, dist = CITIES[i % len(CITIES)]
            addr = s.execute(
                insert(Address).returning(Address.id),
                [
                    {
                        "name": name,
                        "phone": phone,
                        "phone_digits": phone,
                        "country": "CN",
                        "province": prov,
                        "city": city,
                        "district": dist,
                        "street": f"科技园南路{i}号3栋1单元502室",
                        "postal_code": "518000",
                    }
                ],
            ).scalar_one()
            oid = s.execute(
                insert(Order).returning(Order.id),
                [
                    {
                        "number": f"PD{i:08d}",
                        "channel_id": ch,
                        "external_id": f"TB{9000000 + i}",
                        "status": status,
                        "ship_address_id": addr,
                        "total": Decimal("99.50"),
                        "placed_at": t0 + timedelta(minutes=i),
                    }
                ],
            ).scalar_one()
            s.execute(
                insert(OrderLine),
                [
                    {
                        "order_id": oid,
                        "line_no": 1,
                        "sku": "SKU-A",
                        "name": "保温杯 500ml",
                        "qty": 1,
                        "unit_price": Decimal("49.50"),
                    },
                    {
                        "order_id": oid,
                        "line_no": 2,
                        "sku": "SKU-B",
                        "name": "Phone case",
                        "qty": 2,
                        "unit_price": Decimal("25.00"),
                    },
                ],
            )
            s.execute(
                insert(OrderStatusChange),
                [{"order_id": oid, "from_status": None, "to_status": status}],
            )
            if status == "on_hold":
                s.execute(
                    insert(OrderHold),
                    [
                        {
                            "order_id": oid,
                            "code": "bad_phone",
                            "reason": "The phone number is not valid.",
                        }
                    ],
                )
            ids.append(oid)
        uow.commit()
    return ids
