"""Writes woocommerce_webtoffee_traps.csv beside this script: the shop of
make_woocommerce_samples.py exported with WebToffee's "Order Export & Order Import for
WooCommerce" (one row per order, ``line_item_1``, ``line_item_2``... holding
``id:..|name:..|product_id:..|sku:..|quantity:..|total:..``; the order's shipping methods in
``shipping_items`` as ``method_id:..|method_title:..|total:..``; its refunds in ``refund_items``
as ``amount:..|reason:..``). Run it again after changing it (``python -m
tests.data.make_webtoffee_samples``); the file is committed.

The traps, as this layout writes them: lines without a SKU (``sku:`` empty), cash on delivery
(gateway ``cod``; one with a title of the shop's own), an order cancelled (and one failed) before
it was fulfilled, pickups (``local_pickup``; ``pickup_location`` titled "门店取货"),
placeholder postal codes ("-", "0", "N/A", "无"), a street typed into the postal code, a 6-pack
listing we do not stock as such; and orders completed, refunded or waiting for a bank transfer.

A partly refunded line: WebToffee writes no refunded quantity per item, only the order's refunds
(``refund_items``), so the partly refunded order says "some of it was refunded", not which item.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from tests.data.make_samples import WOO_HEADER
from tests.data.make_woocommerce_samples import Sale, Where, sales

HERE = Path(__file__).resolve().parent
OUT = HERE / "woocommerce_webtoffee_traps.csv"
#: the plug-in's columns as the other WebToffee sample has them, and the order's refunds
_NOTES = WOO_HEADER.index("order_notes")
HEADER = [*WOO_HEADER[:_NOTES], "refund_items", *WOO_HEADER[_NOTES:]]
#: order numbers of this sample: 9100 + the sale's number
BASE = 9100


def webtoffee_sales() -> list[Sale]:
    """The shop's fourteen orders, and a fifteenth: cash on delivery under the shop's own title
    (gateway ``cod``, "Pay the courier")."""
    out = sales()
    ankara = Where(
        "Ayşe",
        "Demir",
        "Atatürk Bulvarı No: 101 D: 7",
        "Ankara",
        "TR06",
        "06420",
        "TR",
        "+90 533 555 02 34",
    )
    cod = replace(out[1], number=15, where=ankara, email="ayse@example.com")
    out.append(replace(cod, payment=("cod", "Pay the courier")))
    return out


def item_text(n: int, i: int, name: str, sku: str, qty: int, price: str, pid: int, vid: int) -> str:
    total = f"{Decimal(price) * qty:.2f}"
    return (
        f"id:{n * 10 + i}|name:{name}|product_id:{pid}|variation_id:{vid}|sku:{sku}|"
        f"quantity:{qty}|total:{total}|sub_total:{total}|tax:0.00"
    )


def row(sale: Sale) -> list[str]:
    n = BASE + sale.number
    w = sale.where
    method_id, method_title = sale.shipping
    values = {
        "order_id": str(n),
        "order_number": str(n),
        "order_date": sale.created.replace("T", " "),
        "status": sale.status,
        "shipping_total": sale.shipping_total,
        "order_total": sale.total(),
        "order_subtotal": f"{sale.subtotal():.2f}",
        "order_currency": sale.currency,
        "payment_method": sale.payment[0],
        "payment_method_title": sale.payment[1],
        "customer_email": sale.email,
        "billing_email": sale.email,
        "billing_phone": w.phone,
        "customer_note": sale.note,
        "shipping_items": (
            f"method_id:{method_id}|method_title:{method_title}|total:{sale.shipping_total}"
        ),
        "refund_items": ";".join(
            f"amount:{abs(Decimal(total)):.2f}|reason:{reason}" for reason, total in sale.refunds
        ),
    }
    for kind in ("billing", "shipping"):
        values |= {
            f"{kind}_first_name": w.first,
            f"{kind}_last_name": w.last,
            f"{kind}_company": w.company,
            f"{kind}_address_1": w.address_1,
            f"{kind}_address_2": w.address_2,
            f"{kind}_city": w.city,
            f"{kind}_state": w.state,
            f"{kind}_postcode": w.postcode,
            f"{kind}_country": w.country,
        }
    for i, it in enumerate(sale.items, start=1):
        values[f"line_item_{i}"] = item_text(
            n, i, it.name, it.sku, it.qty, it.price, it.product_id, it.variation_id
        )
    return [values.get(h, "") for h in HEADER]


def main() -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(row(s) for s in webtoffee_sales())
    OUT.write_text(buf.getvalue(), encoding="utf-8-sig")


if __name__ == "__main__":
    main()
