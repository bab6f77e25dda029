"""WooCommerce orders exported with WebToffee's "Order Export & Order Import for WooCommerce"
(the common free export plugin; its column layout is documented at
woocommerce.com/document/import-and-export-of-woocommerce-orders/).

One row per order with the columns order_id, order_number, order_date, status, order_total,
order_currency, billing_* and shipping_* (first_name, last_name, company, address_1, address_2,
city, state, postcode, country, phone), customer_note, and one column per item, line_item_1,
line_item_2, ..., each holding ``name:Hoodie|product_id:35|sku:woo-hoodie|quantity:2|total:90.00``.
Files that repeat an order on consecutive rows (one item per row) are read too.

Statuses, cash on delivery (gateway id ``payment_method`` = ``cod``) and pickups (the
``shipping_method`` column, else ``shipping_items``: ``method_id:local_pickup|method_title:..``)
are read as for the other WooCommerce layouts (woocommerce_common); an order with refunds
(``refund_items``: ``amount:..|reason:..``) that is not refunded in full is partly refunded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import tzinfo
from decimal import Decimal

from app.importers import records as r
from app.importers.errors import MissingColumns
from app.importers.grouping import Draft, Row, order_runs
from app.importers.records import AddressRecord, ImportItem, OrderRecord, RowProblem
from app.importers.tabular import Columns, Table, cell
from app.importers.values import BadValue, country_code, parse_money, parse_qty
from app.importers.woocommerce_common import (
    Status,
    is_cod,
    payment_text,
    shipping_text,
    status_of,
    status_slug,
)

ORDER_ID = ("order_id",)
_ITEM_COL = re.compile(r"^line_item_(\d+)$", re.IGNORECASE)


def looks_like(headers: list[str]) -> bool:
    cols = Columns(headers)
    return cols.find("order_id") is not None and any(_ITEM_COL.match(h) for h in headers)


def parse(table: Table, local: tzinfo) -> Iterator[ImportItem]:
    cols = Columns(table.headers)
    items = sorted(
        ((int(m.group(1)), i) for i, h in enumerate(table.headers) if (m := _ITEM_COL.match(h))),
    )
    missing = cols.missing(ORDER_ID)
    if not items:
        missing.append("line_item_1")
    if missing:
        raise MissingColumns(file=table.file, format="WooCommerce", columns=", ".join(missing))
    c = _Cols(cols, [i for _, i in items])
    for item in order_runs(table, lambda cells: cell(cells, c.order_id)):
        if isinstance(item, RowProblem):
            yield item
            continue
        yield from _order(item[0], item[1], c, local)


class _Cols:
    def __init__(self, cols: Columns, items: list[int]) -> None:
        f = cols.find
        self.order_id = f("order_id")
        self.items = items
        self.date = f("order_date", "date")
        self.status = f("status")
        self.total = f("order_total")
        self.currency = f("order_currency")
        self.email = f("billing_email", "customer_email")
        self.note = f("customer_note")
        self.billing_phone = f("billing_phone")
        self.payment_title = f("payment_method_title")
        self.payment_id = f("payment_method")
        self.shipping_method = f("shipping_method")
        self.shipping_items = f("shipping_items")
        self.refunds = f("refund_items")
        self.ship = {
            k: f(f"shipping_{k}")
            for k in (
                "first_name",
                "last_name",
                "company",
                "address_1",
                "address_2",
                "city",
                "state",
                "postcode",
                "country",
                "phone",
            )
        }


def item_fields(text: str) -> dict[str, str]:
    """``name:Hoodie|sku:H-1|quantity:2`` -> {'name': 'Hoodie', 'sku': 'H-1', 'quantity': '2'};
    a part without a key belongs to the value before it (a '|' inside a name)."""
    out: dict[str, str] = {}
    last = ""
    for part in text.split("|"):
        key, sep, value = part.partition(":")
        if sep and re.fullmatch(r"[a-z_]+", key.strip()):
            last = key.strip()
            out[last] = value
        elif last:
            out[last] += "|" + part
    return {k: v.strip() for k, v in out.items()}


def _order(order_id: str, rows: list[Row], c: _Cols, local: tzinfo) -> Iterator[ImportItem]:
    first_row, head = rows[0]
    d = Draft(order_id, first_row, local)
    status = status_slug(cell(head, c.status))
    meaning = status_of(status)
    if meaning.fulfilled:
        d.skip_order(first_row, r.FULFILLED)
    total_text = cell(head, c.total)
    total = d.money(total_text, first_row) if total_text else None
    placed_at = d.when(cell(head, c.date), first_row)
    for row_no, cells in rows:
        for i in c.items:
            text = cell(cells, i)
            if not text:
                continue
            f = item_fields(text)
            qty_text = f.get("quantity", "")
            d.line(
                row_no,
                f.get("sku", ""),
                qty_text,
                name=f.get("name", ""),
                price=_unit_price(d, f.get("total", ""), qty_text, row_no),
                line_id=f.get("id", ""),
            )
    problems, ok = d.verdict()
    yield from problems
    if not ok:
        return
    s = {k: cell(head, i) for k, i in c.ship.items()}
    country = country_code(s["country"])
    yield OrderRecord(
        external_id=order_id,
        row=first_row,
        last_row=rows[-1][0],
        lines=tuple(d.lines),
        address=AddressRecord(
            name=" ".join(p for p in (s["first_name"], s["last_name"]) if p),
            phone=s["phone"] or cell(head, c.billing_phone),
            company=s["company"],
            country=country,
            province=s["state"],
            city=s["city"],
            street=s["address_1"],
            street2=s["address_2"],
            postal_code=s["postcode"],
            country_text="" if country else s["country"],
        ),
        placed_at=placed_at,
        currency=cell(head, c.currency).upper()[:3],
        total=total,
        payment_status=_payment(meaning, head, c),
        cancelled=meaning.cancelled,
        channel_status=status,
        customer_name=" ".join(p for p in (s["first_name"], s["last_name"]) if p),
        email=cell(head, c.email),
        note=cell(head, c.note),
        payment_method=payment_text(cell(head, c.payment_id), cell(head, c.payment_title)),
        shipping_method=_shipping(head, c),
    )


def _payment(status: Status, head: list[str], c: _Cols) -> str:
    """Cash on delivery is "processing" but not paid; refunds of an order not refunded in full
    (``refund_items``: ``amount:5.00|reason:..``) read it as partly refunded."""
    if status.payment == "paid" and is_cod(cell(head, c.payment_id), cell(head, c.payment_title)):
        return "pending"
    if status.payment != "refunded" and _refunded(cell(head, c.refunds)) > 0:
        return "partially_refunded"
    return status.payment


def _refunded(text: str) -> Decimal:
    total = Decimal("0")
    for refund in re.split(r"[;\n]", text):
        try:
            total += abs(parse_money(item_fields(refund).get("amount", "")))
        except BadValue:
            continue
    return total


def _shipping(head: list[str], c: _Cols) -> str:
    """The ``shipping_method`` column, else the methods of ``shipping_items``
    (``method_id:local_pickup|method_title:Local pickup|total:0.00``, several joined by ';')."""
    methods = [
        (f.get("method_id", ""), f.get("method_title", ""))
        for part in re.split(r"[;\n]", cell(head, c.shipping_items))
        if (f := item_fields(part))
    ]
    column = cell(head, c.shipping_method)
    return shipping_text([(column, column)] if column else methods)


def _unit_price(d: Draft, total_text: str, qty_text: str, row: int) -> Decimal:
    total = d.money(total_text, row)
    try:
        qty = parse_qty(qty_text)
    except BadValue:
        return total
    return (total / qty).quantize(Decimal("0.01")) if qty > 0 else total
