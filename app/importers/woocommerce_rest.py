"""WooCommerce's REST API order list (``GET /wp-json/wc/v3/orders``, JSON), as a shop owner
saves it with one ``curl``. Field names from the API reference
(woocommerce.github.io/woocommerce-rest-api-docs, "Orders": order, billing, shipping, line
items, shipping lines and refunds properties).

What is read: ``number`` (else ``id``) as the order id; ``status`` (see woocommerce_common);
``date_created_gmt`` (UTC; else ``date_created``, the shop's time); ``currency``, ``total``;
``payment_method`` and ``payment_method_title`` (the gateway ``cod`` is cash on delivery: such
an order is "processing" in WooCommerce although nothing is paid yet, so it is read as unpaid,
to be collected on delivery); ``customer_note``; ``shipping{}`` (else ``billing{}`` when the
shipping address is empty) with ``shipping.phone`` (else ``billing.phone``); ``billing.email``;
``line_items[]`` (``id``, ``name``, ``sku``, ``quantity``, ``price``, ``total``, and
``variation_id``, or ``product_id`` when it is 0, as the listing id); ``shipping_lines[]``
(``method_id`` ``local_pickup``/``pickup_location`` is a pickup); ``refunds[]``: an order with
refunds that is not refunded in full is read as partly refunded (the order object does not say
which items were refunded, so the whole order is held for a reviewer to check what still goes).
The API cannot tell a virtual product's line apart: every line is taken as needing shipping.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, tzinfo
from decimal import Decimal
from typing import Any

from app.importers import records as r
from app.importers.grouping import Draft
from app.importers.jsonfile import JsonOrders
from app.importers.records import AddressRecord, ImportItem, OrderRecord, ProblemKind, RowProblem
from app.importers.values import BadValue, country_code, parse_datetime, parse_qty
from app.importers.woocommerce_common import (
    full_name,
    is_cod,
    payment_text,
    shipping_text,
    status_of,
    status_slug,
)

_ADDRESS: tuple[str, ...] = ("first_name", "last_name", "company", "address_1", "address_2")
_ADDRESS += ("city", "state", "postcode", "country", "phone")


def text(obj: Any, key: str) -> str:
    """A scalar field as stripped text ('' when absent, null, a list or an object)."""
    if not isinstance(obj, dict):
        return ""
    v = obj.get(key)
    if v is None or isinstance(v, dict | list):
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v).strip()


def _part(obj: Any, key: str) -> dict[str, Any]:
    v = obj.get(key) if isinstance(obj, dict) else None
    return v if isinstance(v, dict) else {}


def _list(obj: Any, key: str) -> list[Any]:
    v = obj.get(key) if isinstance(obj, dict) else None
    return v if isinstance(v, list) else []


def parse(source: JsonOrders, local: tzinfo) -> Iterator[ImportItem]:
    """The orders of the list, in file order, with the problems met on the way."""
    seen: dict[str, int] = {}
    for position, order in enumerate(source.orders, start=1):
        source.row = position
        if not isinstance(order, dict):
            found = "a list" if isinstance(order, list) else repr(order)[:30]
            yield RowProblem(position, r.NOT_AN_ORDER, {"position": position, "found": found})
            continue
        ext = text(order, "number") or text(order, "id")
        if not ext:
            yield RowProblem(position, r.NO_ORDER_NUMBER, {"position": position})
            continue
        if ext in seen:
            params = {"order": ext, "first": seen[ext]}
            yield RowProblem(position, r.AGAIN_IN_FILE, params, ProblemKind.WARNING, ext)
            continue
        seen[ext] = position
        yield from _order(ext, position, order, local)


def _order(ext: str, position: int, o: dict[str, Any], local: tzinfo) -> Iterator[ImportItem]:
    d = Draft(ext, position, local)
    status_text = text(o, "status")
    status = status_of(status_text)
    if status.fulfilled:
        d.skip_order(position, r.FULFILLED)
    method_id, title = text(o, "payment_method"), text(o, "payment_method_title")
    payment = status.payment
    if payment == "paid" and is_cod(method_id, title):
        payment = "pending"  # cash on delivery: "processing" but collected by the courier
    elif payment != "refunded" and _list(o, "refunds"):
        payment = "partially_refunded"
    total_text = text(o, "total")
    for item in _list(o, "line_items"):
        _line(d, position, item)
    problems, ok = d.verdict()
    yield from problems
    if not ok:
        return
    yield OrderRecord(
        external_id=ext,
        row=position,
        last_row=position,
        lines=tuple(d.lines),
        address=_address(o),
        placed_at=_placed_at(d, o, position),
        currency=text(o, "currency").upper()[:3],
        total=d.money(total_text, position) if total_text else None,
        payment_status=payment,
        cancelled=status.cancelled,
        channel_status=status_slug(status_text) or status_text,
        customer_name=_name(o),
        email=text(_part(o, "billing"), "email"),
        note=text(o, "customer_note"),
        payment_method=payment_text(method_id, title),
        shipping_method=shipping_text(
            [(text(s, "method_id"), text(s, "method_title")) for s in _list(o, "shipping_lines")]
        ),
    )


def _line(d: Draft, position: int, item: Any) -> None:
    qty_text = text(item, "quantity")
    variation, product = text(item, "variation_id"), text(item, "product_id")
    listing = variation if variation not in ("", "0") else product
    before = len(d.lines)
    d.line(
        position,
        text(item, "sku"),
        qty_text,
        name=text(item, "name"),
        price=_unit_price(d, item, qty_text, position),
        line_id=text(item, "id"),
    )
    if len(d.lines) > before and listing not in ("", "0"):
        d.lines[-1] = replace(d.lines[-1], listing_id=listing)


def _unit_price(d: Draft, item: Any, qty_text: str, position: int) -> Decimal:
    price = text(item, "price")
    if price:
        return d.money(price, position)
    total = d.money(text(item, "total"), position)
    try:
        qty = parse_qty(qty_text)
    except BadValue:
        return total
    return (total / qty).quantize(Decimal("0.01")) if qty > 0 else total


def _placed_at(d: Draft, o: dict[str, Any], position: int) -> Any:
    gmt = text(o, "date_created_gmt")
    if gmt:
        try:
            return parse_datetime(gmt, UTC)
        except BadValue:
            pass
    return d.when(text(o, "date_created") or gmt, position)


def _where(o: dict[str, Any]) -> dict[str, str]:
    """The shipping address, or the billing one when no shipping address was given."""
    ship, bill = _part(o, "shipping"), _part(o, "billing")
    s = {k: text(ship, k) for k in _ADDRESS}
    if not (s["address_1"] or s["city"] or s["country"]):
        s = {k: text(bill, k) for k in _ADDRESS}
    s["phone"] = s["phone"] or text(ship, "phone") or text(bill, "phone")
    return s


def _name(o: dict[str, Any]) -> str:
    s = _where(o)
    return full_name(s["first_name"], s["last_name"]) or full_name(
        text(_part(o, "billing"), "first_name"), text(_part(o, "billing"), "last_name")
    )


def _address(o: dict[str, Any]) -> AddressRecord:
    s = _where(o)
    country = country_code(s["country"])
    return AddressRecord(
        name=full_name(s["first_name"], s["last_name"]),
        phone=s["phone"],
        company=s["company"],
        country=country,
        province=s["state"],
        city=s["city"],
        street=s["address_1"],
        street2=s["address_2"],
        postal_code=s["postcode"],
        country_text="" if country else s["country"],
    )


PREVIEW_HEADERS = ["number", "status", "date_created", "recipient", "country", "postcode"]
PREVIEW_HEADERS += ["payment_method_title", "shipping", "line_items (sku × quantity)"]


def preview_rows(orders: list[Any], limit: int) -> list[list[str]]:
    """The first orders as rows of text, for the Import screen's preview."""
    out: list[list[str]] = []
    for o in orders[:limit]:
        if not isinstance(o, dict):
            out.append([repr(o)[:40]] + [""] * (len(PREVIEW_HEADERS) - 1))
            continue
        s = _where(o)
        items = "; ".join(
            f"{text(i, 'sku') or text(i, 'name') or '?'} × {text(i, 'quantity')}"
            for i in _list(o, "line_items")
        )
        ship = [(text(x, "method_id"), text(x, "method_title")) for x in _list(o, "shipping_lines")]
        out.append(
            [
                text(o, "number") or text(o, "id"),
                text(o, "status"),
                text(o, "date_created"),
                full_name(s["first_name"], s["last_name"]),
                s["country"],
                s["postcode"],
                text(o, "payment_method_title") or text(o, "payment_method"),
                shipping_text(ship),
                items,
            ]
        )
    return out
