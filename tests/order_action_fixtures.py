"""Test set-up for order actions and allocation: products, locations, stock received through the
stock service, orders imported through order intake, and the stock invariants."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import count

from sqlalchemy import func, insert, select, update

from app.bootstrap import Services
from app.db.models import (
    Location,
    Lot,
    Order,
    OrderLine,
    OrderStatusChange,
    Product,
    Reservation,
    StockLevel,
    Warehouse,
)
from app.domain.users import SYSTEM, Actor
from app.importers.records import AddressRecord, LineRecord, OrderRecord
from app.services import order_actions, order_intake, stock

T0 = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
TODAY = date.today()
_numbers = count(1)


def add_products(services: Services, *skus: str, expiry: Sequence[str] = ()) -> dict[str, int]:
    """Products by SKU; those named in ``expiry`` are lot and expiry tracked."""
    with services.uow() as uow:
        s = uow.session
        out: dict[str, int] = {}
        for sku in skus:
            out[sku] = s.execute(
                insert(Product).returning(Product.id),
                [
                    {
                        "sku": sku,
                        "name": f"Product {sku}",
                        "lot_tracked": sku in expiry,
                        "expiry_tracked": sku in expiry,
                    }
                ],
            ).scalar_one()
        uow.commit()
    return out


def add_location(
    services: Services, code: str, kind: str = "pickable", sequence: int = 0, active: bool = True
) -> int:
    with services.uow() as uow:
        s = uow.session
        wh = s.scalar(select(Warehouse.id).where(Warehouse.code == "WH1"))
        if wh is None:
            wh = s.execute(
                insert(Warehouse).returning(Warehouse.id), [{"code": "WH1", "name": "Main"}]
            ).scalar_one()
        lid = s.execute(
            insert(Location).returning(Location.id),
            [
                {
                    "warehouse_id": wh,
                    "code": code,
                    "barcode": f"LOC-{code}",
                    "zone": code[:1],
                    "kind": kind,
                    "sequence": sequence,
                    "active": active,
                }
            ],
        ).scalar_one()
        uow.commit()
    return lid


def receive(
    services: Services,
    actor: Actor,
    location: str,
    sku: str,
    qty: int,
    *,
    lot: str | None = None,
    expiry: date | None = None,
) -> int:
    """A receipt through the stock service; returns the stock level id it moved."""
    stock.receive(services.uow(), actor, location, sku, qty, lot, expiry)
    with services.uow() as uow:
        s = uow.session
        stmt = (
            select(StockLevel.id)
            .join(Location, Location.id == StockLevel.location_id)
            .join(Product, Product.id == StockLevel.product_id)
            .where(Location.code == location, Product.sku == sku)
        )
        if lot is None:
            stmt = stmt.where(StockLevel.lot_id.is_(None))
        else:
            stmt = stmt.join(Lot, Lot.id == StockLevel.lot_id).where(Lot.lot_number == lot)
        return s.execute(stmt).scalar_one()


@dataclass(frozen=True)
class Person:
    name: str = "张三丰"
    phone: str = "13812345678"
    city: str = "深圳市"
    street: str = "科技园南路1号3栋502室"
    country: str = "CN"
    province: str = "广东省"
    district: str = "南山区"
    postal_code: str = "518000"


def add_order(
    services: Services,
    lines: Sequence[tuple[str, int]],
    *,
    status: str = "released",
    channel: str = "shop",
    person: Person | None = None,
    placed_at: datetime | None = None,
    shipping: Sequence[bool] = (),
) -> int:
    """An order of ``lines`` (sku, qty) imported through order intake, as a shop's export would
    bring it in (checked: released or held). A released order that a check held (a suspected
    duplicate, an unknown SKU) is released by a reviewer; other statuses, which later stations
    reach, are set directly with a history row."""
    p = person or Person()
    n = next(_numbers)
    record = OrderRecord(
        external_id=f"EXT{n}",
        row=n,
        lines=tuple(
            LineRecord(
                n,
                sku,
                qty,
                name=sku,
                unit_price=Decimal("10.00"),
                requires_shipping=shipping[i - 1] if len(shipping) >= i else True,
                external_line_id=f"L{n}-{i}",
            )
            for i, (sku, qty) in enumerate(lines, 1)
        ),
        address=AddressRecord(
            p.name,
            p.phone,
            "",
            p.country,
            p.province,
            p.city,
            p.district,
            p.street,
            "",
            p.postal_code,
        ),
        placed_at=placed_at or T0 + timedelta(minutes=n),
        total=Decimal("10.00") * sum(q for _, q in lines),
        currency="CNY",
    )
    result = services.run(
        order_intake.import_records, SYSTEM, [record], channel=channel, platform="shopify"
    )
    assert result.imported == 1, result.problems
    [oid] = result.order_ids
    now = status_of(services, oid)
    if status == now:
        return oid
    if status == "released" and now == "on_hold":
        report = services.run(order_actions.release, SYSTEM, [oid], "checked by the test")
        assert report.done == 1, report.results
        return oid
    with services.uow() as uow:
        uow.session.execute(update(Order).where(Order.id == oid).values(status=status))
        uow.session.execute(
            insert(OrderStatusChange),
            [{"order_id": oid, "from_status": now, "to_status": status, "note": "test set-up"}],
        )
        uow.commit()
    return oid


# --- reading back ---------------------------------------------------------------------------------


def status_of(services: Services, order_id: int) -> str:
    with services.uow() as uow:
        return uow.session.scalar(select(Order.status).where(Order.id == order_id)) or ""


def reserved_by_line(services: Services, order_id: int) -> dict[int, int]:
    """line_no -> units reserved."""
    with services.uow() as uow:
        return {
            no: int(q)
            for no, q in uow.session.execute(
                select(OrderLine.line_no, func.sum(Reservation.qty))
                .join(Reservation, Reservation.order_line_id == OrderLine.id)
                .where(OrderLine.order_id == order_id)
                .group_by(OrderLine.line_no)
            )
        }


def level(services: Services, level_id: int) -> tuple[int, int]:
    """(on_hand, reserved) of a stock level."""
    with services.uow() as uow:
        lv = uow.session.get(StockLevel, level_id)
        assert lv is not None
        return lv.on_hand, lv.reserved


def stock_invariant_violations(services: Services) -> list[str]:
    """The foundation's stock invariants (the stock service's own check: on-hand is the ledger's
    sum, 0 <= reserved <= on-hand, reserved is the sum of the reservations), plus: no order line
    has more reserved than it orders, and only live orders hold reservations."""
    problems = stock.check_stock_invariants(services.uow())
    with services.uow() as uow:
        s = uow.session
        for lid, qty, got in s.execute(
            select(OrderLine.id, OrderLine.qty, func.sum(Reservation.qty))
            .join(Reservation, Reservation.order_line_id == OrderLine.id)
            .group_by(OrderLine.id, OrderLine.qty)
        ):
            if got > qty:
                problems.append(f"line {lid}: {got} reserved for {qty} ordered")
        for number, status in s.execute(
            select(Order.number, Order.status)
            .join(OrderLine, OrderLine.order_id == Order.id)
            .join(Reservation, Reservation.order_line_id == OrderLine.id)
            .where(Order.status != "allocated")
            .distinct()
        ):
            problems.append(f"order {number} is {status} but holds reservations")
    return problems
