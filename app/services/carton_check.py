"""An order's items as boxes for the carton suggestion, and "try on an order": which package an
order would get and what it should weigh, so a supervisor can check the package types and the
catalogue's sizes and weights before the bench relies on them.

``order_items`` is the building block the pack station uses too: one ``ItemBox`` per order line
that ships (``requires_shipping``, less what is backordered), with the product's outer size and
weight from the catalogue; a line without a product, or a product without a size, is a unit of
unknown size (counted by weight only).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.db.models import Order, OrderLine, PackageType, Product
from app.db.uow import UnitOfWork
from app.domain.cartons import ItemBox
from app.domain.errors import NotFound
from app.domain.users import Actor
from app.domain.weight_check import contents_key
from app.services.access import reads
from app.services.pack_settings import settings_in
from app.services.package_types import expectation_for, suggestion


@dataclass(frozen=True)
class OrderItem:
    """One shipping line of an order with the size and weight the suggestion used."""

    product_id: int | None
    sku: str
    name: str
    qty: int
    box: ItemBox


@dataclass(frozen=True)
class CartonTrial:
    """What an order would be packed in, and what that parcel should weigh."""

    order_number: str
    items: tuple[OrderItem, ...]
    #: the suggested package (None: nothing holds the items)
    package_code: str | None
    package_name: str
    package_kind: str
    package_size: tuple[int, int, int]
    unknown_size_units: int
    items_g: int
    expected_g: int
    low_g: int
    high_g: int
    #: earlier parcels of the same contents and package it learned from (0: none)
    history_n: int


def order_items(session: Session, order_id: int) -> list[OrderItem]:
    """The order's lines that ship, as boxes of the catalogue's outer size and weight."""
    rows = session.execute(
        select(OrderLine, Product)
        .outerjoin(Product, Product.id == OrderLine.product_id)
        .where(OrderLine.order_id == order_id, OrderLine.requires_shipping)
        .order_by(OrderLine.line_no)
    ).all()
    items = []
    for line, product in rows:
        qty = line.qty - (line.qty_backordered or 0)
        if qty <= 0:
            continue
        box = (
            ItemBox(
                product.length_mm,
                product.width_mm,
                product.height_mm,
                product.weight_g,
                qty,
            )
            if product is not None
            else ItemBox(0, 0, 0, 0, qty)
        )
        name = product.name if product is not None else line.name
        items.append(OrderItem(line.product_id, line.sku, name, qty, box))
    return items


def _order(session: Session, text: str) -> Order:
    text = text.strip()
    order = session.scalar(
        select(Order)
        .where(or_(Order.number == text.upper(), Order.external_id == text))
        .order_by(Order.id)
        .limit(1)
    )
    if order is None:
        raise NotFound(what="Order", key=text)
    return order


@reads
def try_on_order(uow: UnitOfWork, actor: Actor, order: str) -> CartonTrial:
    """The package suggested for an order (by its number or channel order id) and the weight
    its parcel is expected to have, with the learned history when there is enough."""
    with uow:
        uow.require(actor)
        s = uow.session
        row = _order(s, order)
        items = order_items(s, row.id)
        found = suggestion(s, [i.box for i in items])
        carton = found.carton
        package = s.get(PackageType, carton.package_type_id) if carton else None
        key = contents_key((i.product_id, i.qty) for i in items if i.product_id is not None)
        exp = expectation_for(
            s,
            key,
            carton.package_type_id if carton else None,
            found.items_g,
            carton.tare_g if carton else 0,
            settings_in(s).tolerance,
        )
        return CartonTrial(
            row.number,
            tuple(items),
            carton.code if carton else None,
            package.name if package else "",
            carton.kind if carton else "",
            (carton.length_mm, carton.width_mm, carton.height_mm) if carton else (0, 0, 0),
            found.unknown_size_units,
            found.items_g,
            exp.expected_g,
            exp.low_g,
            exp.high_g,
            exp.history_n,
        )
