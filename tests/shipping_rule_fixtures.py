"""Carriers, services, package types and tagged products for the shipping-rules tests."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert, update

from app.bootstrap import Services
from app.db.models import Carrier, CarrierService, Order, PackageType, Product
from tests.factories import add_orders


@dataclass(frozen=True)
class Shop:
    sf_standard: int
    sf_economy: int
    zto_standard: int
    box_s: int
    bag: int
    #: PD00000001 (浙江省 杭州市), PD00000002 (London), PD00000003 (广东省 深圳市): each with
    #: SKU-A x1 (300 g, tagged fragile and glass) and SKU-B x2 (150 g); own service ZTO
    order_ids: list[int]


def _id(s: object, model: type, row: dict[str, object]) -> int:
    return int(s.execute(insert(model).returning(model.id), [row]).scalar_one())  # type: ignore[attr-defined]


def build_shop(services: Services) -> Shop:
    order_ids = add_orders(services, 3, status="allocated")
    with services.uow() as uow:
        s = uow.session
        sf = _id(s, Carrier, {"code": "SF", "name": "顺丰速运"})
        zto = _id(s, Carrier, {"code": "ZTO", "name": "中通快递"})
        shop = Shop(
            _id(s, CarrierService, {"carrier_id": sf, "code": "STD", "name": "Standard"}),
            _id(s, CarrierService, {"carrier_id": sf, "code": "ECO", "name": "Economy"}),
            _id(s, CarrierService, {"carrier_id": zto, "code": "STD", "name": "Standard"}),
            _id(s, PackageType, {"code": "BOX-S", "name": "Small box", "tare_g": 80}),
            _id(s, PackageType, {"code": "BAG", "name": "Polybag", "kind": "polybag"}),
            order_ids,
        )
        s.execute(
            insert(Product),
            [
                {"sku": "SKU-A", "name": "保温杯", "weight_g": 300, "tags": "fragile, glass"},
                {"sku": "SKU-B", "name": "Phone case", "weight_g": 150},
            ],
        )
        s.execute(update(Order).values(carrier_service_id=shop.zto_standard))
        uow.commit()
    return shop
