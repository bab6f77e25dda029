"""Addresses by country with a database, on SQLite and PostgreSQL: the carrier chosen for an
order decides whether a PO box passes, and placeholders imported from a file count as empty."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert, select, update

from app.bootstrap import Services
from app.db.models import Carrier, CarrierService, Order, OrderHold
from app.domain.users import Actor
from app.importers.records import AddressRecord, LineRecord, OrderRecord
from app.services import order_checks, order_intake
from tests.order_action_fixtures import add_products


def us_order(ext: str, street: str, **address: str) -> OrderRecord:
    fields = {
        "name": "Ada Lovelace",
        "phone": "+1 617-555-0142",
        "country": "US",
        "province": "MA",
        "city": "Boston",
        "street": street,
        "postal_code": "02108",
        **address,
    }
    return OrderRecord(
        external_id=ext,
        row=2,
        lines=(LineRecord(2, "CUP", 1),),
        address=AddressRecord(**fields),
        placed_at=datetime(2026, 11, 20, 8, 0, tzinfo=UTC),
        customer_name="Ada Lovelace",
        payment_status="paid",
    )


def open_holds(services: Services, ext: str) -> tuple[int, str, list[str]]:
    with services.uow() as uow:
        o = uow.session.scalar(select(Order).where(Order.external_id == ext))
        assert o is not None
        reasons = sorted(
            uow.session.scalars(
                select(OrderHold.reason).where(
                    OrderHold.order_id == o.id, OrderHold.resolved_at.is_(None)
                )
            )
        )
        return o.id, o.status, reasons


def add_service(services: Services, carrier: str, name: str) -> int:
    with services.uow() as uow:
        cid = uow.session.execute(
            insert(Carrier).returning(Carrier.id), [{"code": carrier, "name": name}]
        ).scalar_one()
        sid = uow.session.execute(
            insert(CarrierService).returning(CarrierService.id),
            [{"carrier_id": cid, "code": "ground", "name": f"{name} Ground"}],
        ).scalar_one()
        uow.commit()
        return int(sid)


def choose(services: Services, order_id: int, service_id: int) -> None:
    with services.uow() as uow:
        uow.session.execute(
            update(Order).where(Order.id == order_id).values(carrier_service_id=service_id)
        )
        uow.commit()


def test_a_po_box_passes_with_usps_and_is_held_when_the_carrier_is_a_courier(
    services: Services, admin: Actor
) -> None:
    add_products(services, "CUP")
    services.run(
        order_intake.import_records, admin, [us_order("P1", "PO Box 1234")], channel="shopify"
    )
    oid, status, reasons = open_holds(services, "P1")
    assert (status, reasons) == ("released", [])  # no carrier yet: USPS may still take it
    choose(services, oid, add_service(services, "UPS", "UPS"))
    services.run(order_checks.recheck, admin, [oid])
    assert open_holds(services, "P1")[1:] == (
        "on_hold",
        ["The address contains 'PO Box'; carriers refuse it."],
    )
    choose(services, oid, add_service(services, "USPS", "USPS"))
    services.run(order_checks.recheck, admin, [oid])
    assert open_holds(services, "P1")[1:] == ("released", [])


def test_placeholders_in_an_imported_address_hold_the_order_as_missing_parts(
    services: Services, admin: Actor
) -> None:
    add_products(services, "CUP")
    rec = us_order("P2", "12 Beacon Street", province="N/A", postal_code="-", phone="0")
    services.run(order_intake.import_records, admin, [rec], channel="shopify")
    assert open_holds(services, "P2")[1:] == (
        "on_hold",
        [
            "The address has no state, ZIP code; addresses in United States (US) need them.",
        ],
    )
