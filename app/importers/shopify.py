"""Shopify's orders export (Admin > Orders > Export > CSV), as Shopify writes it.

One row per line item; the order-level fields (financial status, totals, addresses, dates) are
only on the first row of each order, later rows repeat just Name and Email. Quirks handled:
zip codes and phones written as '02134 (a leading apostrophe so spreadsheets keep the zero),
blank trailing lines, cancelled orders (Cancelled at / Canceled at), refunded and partially
refunded orders (Financial Status), lines that do not require shipping (gift cards, digital
goods), orders already fulfilled in Shopify, and the older and newer spellings of column names
(Lineitem sku / Lineitem SKU, Lineitem compare at price / compare-at price).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import tzinfo

from app.importers import records as r
from app.importers.errors import MissingColumns
from app.importers.grouping import Draft, Row, order_runs
from app.importers.records import AddressRecord, ImportItem, OrderRecord, RowProblem
from app.importers.tabular import Columns, Table, cell
from app.importers.values import country_code, parse_bool, unquote_apostrophe

NAME = ("Name",)
QTY = ("Lineitem quantity",)
SKU = ("Lineitem sku", "Lineitem SKU")
LINE_NAME = ("Lineitem name",)
REQUIRED = (NAME, QTY, SKU, LINE_NAME)


def looks_like(headers: list[str]) -> bool:
    return not Columns(headers).missing(*REQUIRED)


def parse(table: Table, local: tzinfo) -> Iterator[ImportItem]:
    """The orders of a Shopify export, in file order, with the problems met on the way."""
    cols = Columns(table.headers)
    missing = cols.missing(*REQUIRED)
    if missing:
        raise MissingColumns(file=table.file, format="Shopify", columns=", ".join(missing))
    c = _Cols(cols, len(table.headers))
    for item in order_runs(table, lambda cells: cell(cells, c.name)):
        if isinstance(item, RowProblem):
            yield item
            continue
        yield from _order(item[0], item[1], c, local)


class _Cols:
    """The columns' indexes in a row padded by ``_padded`` (read without ``cell``, 36 times an
    order): a column the file lacks reads the blank cell added at the end."""

    def __init__(self, cols: Columns, width: int) -> None:
        self.width = width + 1

        def f(*names: str) -> int:
            i = cols.find(*names)
            return width if i is None else i

        self.name = f("Name")
        self.email = f("Email")
        self.financial = f("Financial Status")
        self.fulfillment = f("Fulfillment Status")
        self.currency = f("Currency")
        self.total = f("Total")
        self.created = f("Created at")
        self.qty = f("Lineitem quantity")
        self.line_name = f("Lineitem name")
        self.price = f("Lineitem price")
        self.sku = f("Lineitem sku", "Lineitem SKU")
        self.requires_shipping = f("Lineitem requires shipping")
        self.line_fulfillment = f("Lineitem fulfillment status")
        self.ship = {
            key: f(f"Shipping {col}")
            for key, col in (
                ("name", "Name"),
                ("street", "Street"),
                ("address1", "Address1"),
                ("address2", "Address2"),
                ("company", "Company"),
                ("city", "City"),
                ("zip", "Zip"),
                ("province", "Province"),
                ("province_name", "Province Name"),
                ("country", "Country"),
                ("phone", "Phone"),
            )
        }
        self.billing_name = f("Billing Name")
        self.billing_phone = f("Billing Phone")
        self.phone = f("Phone")
        self.notes = f("Notes")
        self.cancelled = f("Cancelled at", "Canceled at")
        self.payment_method = f("Payment Method", "Payment Gateway Names")
        self.shipping_method = f("Shipping Method")


def _padded(cells: list[str], width: int) -> list[str]:
    """The row cut or padded to the header's width, and one blank cell after (the one a column
    the file lacks reads): ``width`` cells, so every index of ``_Cols`` is in it."""
    n = width - 1
    if len(cells) == n:
        return [*cells, ""]
    return cells[:n] + [""] * (width - min(len(cells), n))


def _order(name: str, runs: list[Row], c: _Cols, local: tzinfo) -> Iterator[ImportItem]:
    rows = [(row_no, _padded(cells, c.width)) for row_no, cells in runs]
    first_row, head = rows[0]
    d = Draft(name, first_row, local)
    fulfillment = head[c.fulfillment].strip().lower()
    if fulfillment in ("fulfilled", "restocked"):
        d.skip_order(first_row, r.FULFILLED)
    financial = head[c.financial].strip().lower() or "paid"
    total_text = head[c.total].strip()
    total = d.money(total_text, first_row) if total_text else None
    placed_at = d.when(head[c.created].strip(), first_row)
    for row_no, cells in rows:
        if fulfillment == "partial" and cells[c.line_fulfillment].strip().lower() == "fulfilled":
            d.warn(row_no, r.LINE_FULFILLED, order=name)
            continue
        d.line(
            row_no,
            cells[c.sku].strip(),
            cells[c.qty].strip(),
            name=cells[c.line_name].strip(),
            price=d.money(cells[c.price].strip(), row_no),
            requires_shipping=parse_bool(cells[c.requires_shipping].strip(), True),
            partly_fulfilled=cells[c.line_fulfillment].strip().lower() == "partial",
        )
    problems, ok = d.verdict()
    yield from problems
    if ok:
        yield OrderRecord(
            external_id=name,
            row=first_row,
            last_row=rows[-1][0],
            lines=tuple(d.lines),
            address=_address(head, c),
            placed_at=placed_at,
            currency=head[c.currency].strip().upper()[:3],
            total=total,
            payment_status=financial,
            cancelled=bool(head[c.cancelled].strip()),
            channel_status=f"{financial}, {fulfillment or 'unfulfilled'}",
            customer_name=head[c.ship["name"]].strip() or head[c.billing_name].strip(),
            email=head[c.email].strip(),
            note=head[c.notes].strip(),
            payment_method=head[c.payment_method].strip(),
            shipping_method=head[c.shipping_method].strip(),
        )


def _address(head: list[str], c: _Cols) -> AddressRecord:
    s = {k: head[i].strip() for k, i in c.ship.items()}
    street = s["address1"] or s["street"]
    phone = unquote_apostrophe(s["phone"] or head[c.phone].strip() or head[c.billing_phone].strip())
    country_text = s["country"]
    country = country_code(country_text)
    return AddressRecord(
        name=s["name"],
        phone=phone,
        company=s["company"],
        country=country,
        province=s["province_name"] or s["province"],
        city=s["city"],
        street=street,
        street2=s["address2"],
        postal_code=unquote_apostrophe(s["zip"]),
        country_text="" if country else country_text,
    )
