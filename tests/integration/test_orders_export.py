"""``packdesk orders list --json`` is a contract: its keys are checked here, on both backends."""

from __future__ import annotations

from sqlalchemy import insert, update

from app.bootstrap import Services
from app.db.models import Carrier, CarrierService, Order, OrderLine, OrderStatusChange
from app.domain.orders import status_note
from app.domain.users import Actor
from app.services import orders
from tests.factories import add_orders

ORDER_KEYS = {
    "number",
    "external_id",
    "status",
    "channel",
    "placed_at",
    "lines",
    "hold_reasons",
    "recipient",
    "recipient_protected",
}
LINE_KEYS = {"sku", "qty", "requires_shipping"}


def _ship_with_tracking(services: Services, order_id: int, tracking: str) -> None:
    with services.uow() as uow:
        s = uow.session
        carrier = s.execute(
            insert(Carrier).returning(Carrier.id), [{"code": "SF", "name": "SF Express"}]
        ).scalar_one()
        service = s.execute(
            insert(CarrierService).returning(CarrierService.id),
            [{"carrier_id": carrier, "code": "standard", "name": "标快"}],
        ).scalar_one()
        s.execute(
            update(Order)
            .where(Order.id == order_id)
            .values(status="shipped", carrier_service_id=service, version=Order.version + 1)
        )
        s.execute(
            insert(OrderStatusChange),
            [
                {
                    "order_id": order_id,
                    "from_status": "packed",
                    "to_status": "shipped",
                    "note": status_note("tracking", tracking=tracking),
                }
            ],
        )
        uow.commit()


def test_orders_list_json_flags_lines_that_do_not_ship_and_gives_carrier_and_tracking(
    services: Services, admin: Actor
) -> None:
    plain, shipped = add_orders(services, 2)
    with services.uow() as uow:
        uow.session.execute(
            insert(OrderLine),
            [
                {
                    "order_id": plain,
                    "line_no": 3,
                    "sku": "GIFT-CARD",
                    "name": "Gift card",
                    "qty": 1,
                    "requires_shipping": False,
                }
            ],
        )
        uow.commit()
    _ship_with_tracking(services, shipped, "SF1234567890123")

    data = {o["number"]: o for o in services.run(orders.orders_for_export, admin)}
    first, second = data["PD00000001"], data["PD00000002"]

    assert set(first) == ORDER_KEYS  # no carrier, no tracking: the keys are absent
    assert all(set(ln) == LINE_KEYS for ln in first["lines"])  # type: ignore[attr-defined]
    assert [(ln["sku"], ln["requires_shipping"]) for ln in first["lines"]] == [  # type: ignore[attr-defined]
        ("SKU-A", True),
        ("SKU-B", True),
        ("GIFT-CARD", False),
    ]
    assert set(second) == ORDER_KEYS | {"carrier", "service", "tracking"}
    assert (second["carrier"], second["service"], second["tracking"]) == (
        "SF",
        "standard",
        "SF1234567890123",
    )


def test_a_line_made_by_a_product_mapping_carries_the_channels_listing(
    services: Services, admin: Actor
) -> None:
    (order_id,) = add_orders(services, 1)
    with services.uow() as uow:
        uow.session.execute(
            update(OrderLine)
            .where(OrderLine.order_id == order_id, OrderLine.sku == "SKU-B")
            .values(
                mapping_id=7,
                listing_sku="TEE-6PK",
                listing_id="4410021",
                listing_title="Tee 6-pack",
                listing_qty=1,
                qty=6,
            )
        )
        uow.commit()

    (entry,) = services.run(orders.orders_for_export, admin)
    plain, mapped = entry["lines"]  # type: ignore[misc]
    assert set(plain) == LINE_KEYS  # a line the channel sold as it is: no listing key
    assert set(mapped) == LINE_KEYS | {"listing"}
    assert (mapped["sku"], mapped["qty"]) == ("SKU-B", 6)
    assert mapped["listing"] == {
        "sku": "TEE-6PK",
        "id": "4410021",
        "title": "Tee 6-pack",
        "qty": 1,
    }
