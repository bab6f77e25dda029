"""The CSV of "Advanced Order Export For WooCommerce" (AlgolPlus, wordpress.org plug-in
``woo-order-export-lite``) in its default field set, the most used WooCommerce export plug-in.

Column names are the plug-in's own labels (classes/core/trait-woe-core-extractor-ui.php: the
fields marked checked), in its sections' order: Order Number, Order Status, Order Date,
Customer Note; First Name / Last Name / Company / Address 1&2 / City / State Code / Postcode /
Country Code / Email / Phone (Billing); First Name / Last Name / Address 1&2 / City / State Code
/ Postcode / Country Code (Shipping); the products, one row each ("Products" repeats as rows):
SKU, Item #, Item Name, Quantity (- Refund), Item Cost; the coupons (Coupon Code, Discount
Amount, Discount Amount Tax); Payment Method Title, Cart Discount Amount, Order Subtotal Amount;
Shipping Method Title, Order Shipping Amount; Order Refund Amount, Order Total Amount, Order
Total Tax Amount. Fields a shop may add are read too: Quantity, Item ID, Product Id, Variation
Id, Payment Method, Shipping Method, Currency, Phone (Shipping), Address 1 / Address 2.

The order's own fields may be on its first row only or on every row (the plug-in's "populate
other columns" setting): each is taken from the first row of the order that has it.

Refunds: "Quantity (- Refund)" is what is left to ship after refunds; a line with nothing left
is left out with a note. When the shop also exports "Quantity" and less is left than was
ordered, the line ships what is left and holds its order (partly fulfilled or refunded in the
channel: check the quantity to ship). An "Order Refund Amount" above zero on an order not
refunded in full reads it as partly refunded (held for a reviewer, by the check settings).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import tzinfo
from decimal import Decimal

from app.importers import records as r
from app.importers.errors import MissingColumns
from app.importers.grouping import Draft, Row, order_runs
from app.importers.records import AddressRecord, ImportItem, LineRecord, OrderRecord, RowProblem
from app.importers.tabular import Columns, Table, cell
from app.importers.values import BadValue, country_code, parse_money, parse_qty
from app.importers.woocommerce_common import (
    Status,
    full_name,
    is_cod,
    payment_text,
    shipping_text,
    status_of,
    status_slug,
)

ORDER_NUMBER = ("Order Number",)
QTY_LEFT = ("Quantity (- Refund)", "Quantity")
ITEM = ("Item Name", "Name", "Product Name", "SKU")
REQUIRED = (ORDER_NUMBER, QTY_LEFT, ITEM)
_PARTS: tuple[str, ...] = (
    "First Name",
    "Last Name",
    "Full Name",
    "Company",
    "Address 1&2",
    "Address 1",
)
_PARTS += ("Address 2", "City", "State Code", "State Name", "Postcode", "Country Code")
_PARTS += ("Country Name", "Phone", "Email")


def looks_like(headers: list[str]) -> bool:
    cols = Columns(headers)
    if cols.missing(*REQUIRED):
        return False
    ours = ("Quantity (- Refund)", "Address 1&2 (Shipping)", "Country Code (Shipping)")
    return any(cols.find(h) is not None for h in ours)


def parse(table: Table, local: tzinfo) -> Iterator[ImportItem]:
    cols = Columns(table.headers)
    missing = cols.missing(*REQUIRED)
    if missing:
        raise MissingColumns(
            file=table.file,
            format="WooCommerce (Advanced Order Export)",
            columns=", ".join(missing),
        )
    c = _Cols(cols)
    for item in order_runs(table, lambda cells: cell(cells, c.number)):
        if isinstance(item, RowProblem):
            yield item
            continue
        yield from _order(item[0], item[1], c, local)


class _Cols:
    def __init__(self, cols: Columns) -> None:
        f = cols.find
        self.number = f("Order Number")
        self.status = f("Order Status")
        self.date = f("Order Date")
        self.note = f("Customer Note")
        self.bill = {p: f(f"{p} (Billing)") for p in _PARTS}
        self.ship = {p: f(f"{p} (Shipping)") for p in _PARTS}
        self.sku = f("SKU")
        self.name = f("Item Name", "Name", "Product Name")
        self.left = f("Quantity (- Refund)")
        self.ordered = f("Quantity")
        self.cost = f("Item Cost", "Item Cost (inc. tax)")
        self.item_id = f("Item ID")
        self.product_id = f("Product Id")
        self.variation_id = f("Variation Id")
        self.payment_title = f("Payment Method Title")
        self.payment_id = f("Payment Method")
        self.shipping_title = f("Shipping Method Title")
        self.shipping_id = f("Shipping Method")
        self.total = f("Order Total Amount")
        self.refund = f("Order Refund Amount")
        self.currency = f("Currency")


def _first(rows: list[Row], i: int | None) -> str:
    """The first non-empty value of column ``i`` among the order's rows."""
    return next((v for _, cells in rows if (v := cell(cells, i))), "")


def _order(number: str, rows: list[Row], c: _Cols, local: tzinfo) -> Iterator[ImportItem]:
    first_row = rows[0][0]
    d = Draft(number, first_row, local)
    status_text = _first(rows, c.status)
    status = status_of(status_text)
    if status.fulfilled:
        d.skip_order(first_row, r.FULFILLED)
    refunded_lines = 0
    for row_no, cells in rows:
        refunded_lines += _line(d, row_no, cells, c)
    if not d.lines and refunded_lines and d.skip is None:
        d.skip_order(first_row, r.REFUNDED_SKIP)
    problems, ok = d.verdict()
    yield from problems
    if not ok:
        return
    method_id, title = _first(rows, c.payment_id), _first(rows, c.payment_title)
    total_text = _first(rows, c.total)
    address = _address(rows, c)
    yield OrderRecord(
        external_id=number,
        row=first_row,
        last_row=rows[-1][0],
        lines=tuple(d.lines),
        address=address,
        placed_at=d.when(_first(rows, c.date), first_row),
        currency=_first(rows, c.currency).upper()[:3],
        total=d.money(total_text, first_row) if total_text else None,
        payment_status=_payment(status, method_id, title, _first(rows, c.refund)),
        cancelled=status.cancelled,
        channel_status=status_slug(status_text) or status_text,
        customer_name=address.name
        or full_name(_first(rows, c.bill["First Name"]), _first(rows, c.bill["Last Name"])),
        email=_first(rows, c.bill["Email"]),
        note=_first(rows, c.note),
        payment_method=payment_text(method_id, title),
        shipping_method=shipping_text(
            [(_first(rows, c.shipping_id), _first(rows, c.shipping_title))]
        ),
    )


def _payment(status: Status, method_id: str, title: str, refund: str) -> str:
    if status.payment == "paid" and is_cod(method_id, title):
        return "pending"  # cash on delivery: "processing" but collected by the courier
    if status.payment != "refunded" and _refund(refund) > 0:
        return "partially_refunded"
    return status.payment


def _refund(text: str) -> Decimal:
    try:
        return abs(parse_money(text))
    except BadValue:
        return Decimal("0")


def _line(d: Draft, row_no: int, cells: list[str], c: _Cols) -> int:
    """Read the item of this row into ``d``; 1 when it was refunded whole (left out)."""
    sku, name = cell(cells, c.sku), cell(cells, c.name)
    left, ordered = cell(cells, c.left), cell(cells, c.ordered)
    if not (sku or name or left or ordered):
        return 0  # a row of the order's coupons only
    qty_text = left or ordered
    try:
        qty, of = parse_qty(qty_text), parse_qty(ordered) if ordered else None
    except BadValue:
        qty, of = None, None
    if qty == 0 and left and (of is None or of > 0):
        d.warn(row_no, r.LINE_REFUNDED, order=d.external_id)
        return 1
    before = len(d.lines)
    d.line(
        row_no,
        sku,
        qty_text,
        name=name,
        price=d.money(cell(cells, c.cost), row_no),
        line_id=cell(cells, c.item_id),
    )
    if len(d.lines) > before:
        variation, product = cell(cells, c.variation_id), cell(cells, c.product_id)
        listing = variation if variation not in ("", "0") else product
        partly = qty is not None and of is not None and 0 < qty < of
        ln = d.lines[-1]
        d.lines[-1] = LineRecord(
            ln.row,
            ln.sku,
            ln.qty,
            ln.name,
            ln.unit_price,
            ln.requires_shipping,
            ln.external_line_id,
            partly_fulfilled=partly,
            listing_id="" if listing == "0" else listing,
        )
    return 0


def _address(rows: list[Row], c: _Cols) -> AddressRecord:
    """The shipping address, or the billing one when no shipping address was exported."""
    ship = {p: _first(rows, i) for p, i in c.ship.items()}
    if not (ship["Address 1&2"] or ship["Address 1"] or ship["City"] or ship["Country Code"]):
        ship = {p: _first(rows, i) for p, i in c.bill.items()}
    bill_phone = _first(rows, c.bill["Phone"])
    country_text = ship["Country Code"] or ship["Country Name"]
    country = country_code(country_text)
    street, street2 = ship["Address 1"], ship["Address 2"]
    if not street:
        street, street2 = ship["Address 1&2"], ""
    return AddressRecord(
        name=ship["Full Name"] or full_name(ship["First Name"], ship["Last Name"]),
        phone=ship["Phone"] or bill_phone,
        company=ship["Company"],
        country=country,
        province=ship["State Code"] or ship["State Name"],
        city=ship["City"],
        street=street,
        street2=street2,
        postal_code=ship["Postcode"],
        country_text="" if country else country_text,
    )
