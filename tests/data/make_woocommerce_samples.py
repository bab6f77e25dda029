"""Writes the WooCommerce sample files beside this script: the REST API's order list
(woocommerce_rest_orders.json) and the CSV of "Advanced Order Export For WooCommerce" in its
default field set (woocommerce_aoe_orders.csv). Run it again after changing it; the files are
committed.

Both hold the same shop's orders, with the traps of real files: lines without a SKU, cash on
delivery, an order cancelled before it was fulfilled, a partly refunded line, a pickup (one
with a title that does not say so), placeholder postal codes ("-", "0", "N/A", "无"), a street
typed into the postal code, a 6-pack listing we do not stock as such; and orders already
completed, refunded, failed or waiting for a bank transfer. Names, addresses and phone numbers
are made up.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

#: the default field set of Advanced Order Export For WooCommerce, in its sections' order
AOE_HEADER = [
    "Order Number",
    "Order Status",
    "Order Date",
    "Customer Note",
    "First Name (Billing)",
    "Last Name (Billing)",
    "Company (Billing)",
    "Address 1&2 (Billing)",
    "City (Billing)",
    "State Code (Billing)",
    "Postcode (Billing)",
    "Country Code (Billing)",
    "Email (Billing)",
    "Phone (Billing)",
    "First Name (Shipping)",
    "Last Name (Shipping)",
    "Address 1&2 (Shipping)",
    "City (Shipping)",
    "State Code (Shipping)",
    "Postcode (Shipping)",
    "Country Code (Shipping)",
    "SKU",
    "Item #",
    "Item Name",
    "Quantity (- Refund)",
    "Item Cost",
    "Coupon Code",
    "Discount Amount",
    "Discount Amount Tax",
    "Payment Method Title",
    "Cart Discount Amount",
    "Order Subtotal Amount",
    "Shipping Method Title",
    "Order Shipping Amount",
    "Order Refund Amount",
    "Order Total Amount",
    "Order Total Tax Amount",
]

#: WooCommerce's status slugs and the names the export plug-in writes
STATUS_NAMES = {
    "processing": "Processing",
    "on-hold": "On hold",
    "pending": "Pending payment",
    "completed": "Completed",
    "cancelled": "Cancelled",
    "refunded": "Refunded",
    "failed": "Failed",
}


@dataclass
class Item:
    name: str
    sku: str
    qty: int
    price: str
    product_id: int = 0
    variation_id: int = 0
    #: how many of this line were refunded
    refunded: int = 0


@dataclass
class Where:
    first: str
    last: str
    address_1: str
    city: str
    state: str
    postcode: str
    country: str
    phone: str
    address_2: str = ""
    company: str = ""


@dataclass
class Sale:
    """One order of the sample, written in both layouts."""

    number: int
    status: str
    where: Where
    items: list[Item]
    email: str
    payment: tuple[str, str] = ("stripe", "Credit Card (Stripe)")
    shipping: tuple[str, str] = ("flat_rate", "Flat rate")
    currency: str = "USD"
    note: str = ""
    created: str = "2026-11-20T10:15:00"
    created_gmt: str = "2026-11-20T02:15:00"
    shipping_total: str = "5.00"
    refunds: list[tuple[str, str]] = field(default_factory=list)

    def subtotal(self) -> Decimal:
        return sum((Decimal(i.price) * i.qty for i in self.items), Decimal("0"))

    def total(self) -> str:
        return f"{self.subtotal() + Decimal(self.shipping_total):.2f}"

    def refunded(self) -> str:
        return f"{sum((-Decimal(t) for _, t in self.refunds), Decimal('0')):.2f}"


CN = Where(
    "丽",
    "王",
    "徐汇区漕溪北路88号圣爱大厦1203室",
    "上海市",
    "SH",
    "200030",
    "CN",
    "+86 138 0013 8000",
)
TR = Where(
    "Mehmet",
    "Yılmaz",
    "Bağdat Caddesi No: 212 D: 5",
    "İstanbul",
    "TR34",
    "34710",
    "TR",
    "+90 532 555 01 23",
)
ES = Where(
    "Lucía",
    "García",
    "Carrer de Mallorca 401, 2º 1ª",
    "Barcelona",
    "B",
    "08013",
    "ES",
    "+34 612 345 678",
)
ZA = Where("Thandi", "Nkosi", "14 Bree Street", "Cape Town", "WC", "8001", "ZA", "+27 21 555 0143")
AR = Where(
    "Santiago",
    "Fernández",
    "Av. Corrientes 1234, Piso 5",
    "Buenos Aires",
    "C",
    "-",
    "AR",
    "+54 11 5555 0199",
)
EG = Where("Omar", "Hassan", "12 Tahrir Street, Dokki", "Giza", "GZ", "0", "EG", "+20 100 555 0147")
BD = Where(
    "Farhana",
    "Rahman",
    "House 27, Road 11, Banani",
    "Dhaka",
    "BD-13",
    "N/A",
    "BD",
    "+880 1711 555012",
)


def sales() -> list[Sale]:
    bottle = Item("Insulated bottle 500ml - Blue", "BOTTLE-500-BL", 2, "24.50", 35, 36)
    lid = Item("Bamboo lid", "LID-BAMBOO", 1, "6.00", 40)
    mug = Item("Travel mug", "MUG-TRAVEL", 1, "18.00", 41)
    return [
        Sale(
            1,
            "processing",
            CN,
            [bottle, lid],
            "wang.li@example.com",
            ("alipay", "支付宝"),
            currency="CNY",
            note="请放在门卫处",
        ),
        Sale(
            2,
            "processing",
            TR,
            [mug],
            "mehmet@example.com",
            ("cod", "Kapıda Ödeme"),
            currency="TRY",
        ),
        Sale(
            3,
            "processing",
            ES,
            [
                Item("Cuenco de cerámica hecho a mano", "", 1, "32.00", 50),
                Item("Servilleta de lino", "", 2, "8.00", 51),
            ],
            "lucia@example.com",
            currency="EUR",
        ),
        Sale(
            4,
            "cancelled",
            ZA,
            [Item("Travel mug", "MUG-TRAVEL", 2, "18.00", 41)],
            "thandi@example.com",
            currency="ZAR",
        ),
        Sale(
            5,
            "processing",
            AR,
            [
                Item("Remera negra M", "TEE-BLK-M", 3, "12.00", 60, 61, refunded=1),
                Item("Gorra roja", "CAP-RED", 1, "9.00", 62, refunded=1),
            ],
            "santiago@example.com",
            currency="ARS",
            refunds=[("Sin stock: una remera y la gorra", "-21.00")],
        ),
        Sale(
            6,
            "processing",
            EG,
            [Item("Travel mug", "MUG-TRAVEL", 1, "18.00", 41)],
            "omar@example.com",
            ("cod", "Cash on delivery"),
            ("local_pickup", "Local pickup"),
            currency="EGP",
            shipping_total="0.00",
        ),
        Sale(
            7,
            "processing",
            BD,
            [Item("Cotton tee 6-pack - White / L", "TEE-6PK", 1, "45.00", 4710, 4711)],
            "farhana@example.com",
            currency="BDT",
        ),
        Sale(
            8,
            "on-hold",
            Where(
                "伟",
                "张",
                "天河区体育西路103号维多利广场A座",
                "广州市",
                "GD",
                "无",
                "CN",
                "13912345678",
            ),
            [lid],
            "zhang.wei@example.com",
            ("bacs", "直接银行转账"),
            currency="CNY",
        ),
        Sale(
            9,
            "processing",
            CN,
            [mug],
            "wang.li@example.com",
            ("alipay", "支付宝"),
            ("pickup_location", "门店取货"),
            currency="CNY",
            shipping_total="0.00",
        ),
        Sale(10, "completed", ES, [mug], "lucia@example.com", currency="EUR"),
        Sale(
            11,
            "refunded",
            TR,
            [mug],
            "mehmet@example.com",
            currency="TRY",
            refunds=[("Customer changed mind", "-23.00")],
        ),
        Sale(
            12,
            "processing",
            Where(
                "Javier",
                "López",
                "Calle Mayor",
                "Madrid",
                "M",
                "Calle de Alcalá 45, 3º izq",
                "ES",
                "+34 699 111 222",
            ),
            [lid],
            "javier@example.com",
            currency="EUR",
        ),
        Sale(
            13,
            "processing",
            Where(
                "Sipho",
                "Dlamini",
                "22 Jan Smuts Avenue",
                "Johannesburg",
                "GP",
                "0",
                "ZA",
                "+27 11 555 0188",
            ),
            [lid],
            "sipho@example.com",
            currency="ZAR",
        ),
        Sale(14, "failed", EG, [mug], "omar@example.com", currency="EGP"),
    ]


def rest_number(sale: Sale) -> int:
    return 7100 + sale.number


def aoe_number(sale: Sale) -> int:
    return 8100 + sale.number


def rest_order(sale: Sale, number: int | None = None) -> dict[str, Any]:
    """The order as ``GET /wp-json/wc/v3/orders`` returns it (the fields Packdesk reads and
    the usual others)."""
    n = number if number is not None else rest_number(sale)
    w = sale.where
    address = {
        "first_name": w.first,
        "last_name": w.last,
        "company": w.company,
        "address_1": w.address_1,
        "address_2": w.address_2,
        "city": w.city,
        "state": w.state,
        "postcode": w.postcode,
        "country": w.country,
    }
    paid = sale.status in ("processing", "completed", "refunded") and sale.payment[0] != "cod"
    return {
        "id": n,
        "parent_id": 0,
        "status": sale.status,
        "currency": sale.currency,
        "version": "9.4.2",
        "prices_include_tax": False,
        "date_created": sale.created,
        "date_modified": sale.created,
        "discount_total": "0.00",
        "discount_tax": "0.00",
        "shipping_total": sale.shipping_total,
        "shipping_tax": "0.00",
        "cart_tax": "0.00",
        "total": sale.total(),
        "total_tax": "0.00",
        "customer_id": 0,
        "order_key": f"wc_order_{n:08d}",
        "billing": {**address, "email": sale.email, "phone": w.phone},
        "shipping": {**address, "phone": w.phone},
        "payment_method": sale.payment[0],
        "payment_method_title": sale.payment[1],
        "transaction_id": "",
        "customer_ip_address": "203.0.113.7",
        "customer_user_agent": "Mozilla/5.0",
        "created_via": "checkout",
        "customer_note": sale.note,
        "date_completed": sale.created if sale.status == "completed" else None,
        "date_paid": sale.created if paid else None,
        "cart_hash": "",
        "number": str(n),
        "meta_data": [],
        "line_items": [
            {
                "id": n * 10 + i,
                "name": it.name,
                "product_id": it.product_id,
                "variation_id": it.variation_id,
                "quantity": it.qty,
                "tax_class": "",
                "subtotal": f"{Decimal(it.price) * it.qty:.2f}",
                "subtotal_tax": "0.00",
                "total": f"{Decimal(it.price) * it.qty:.2f}",
                "total_tax": "0.00",
                "taxes": [],
                "meta_data": [],
                "sku": it.sku,
                "price": float(it.price),
                "image": {"id": "", "src": ""},
                "parent_name": None,
            }
            for i, it in enumerate(sale.items, start=1)
        ],
        "tax_lines": [],
        "shipping_lines": [
            {
                "id": n * 10 + 9,
                "method_title": sale.shipping[1],
                "method_id": sale.shipping[0],
                "instance_id": "3",
                "total": sale.shipping_total,
                "total_tax": "0.00",
                "taxes": [],
                "meta_data": [],
            }
        ],
        "fee_lines": [],
        "coupon_lines": [],
        "refunds": [
            {"id": n * 10 + 7 + k, "reason": reason, "total": total}
            for k, (reason, total) in enumerate(sale.refunds)
        ],
        "payment_url": f"https://shop.example.com/checkout/order-pay/{n}/",
        "is_editable": False,
        "needs_payment": False,
        "needs_processing": True,
        "date_created_gmt": sale.created_gmt,
        "date_modified_gmt": sale.created_gmt,
        "date_completed_gmt": None,
        "date_paid_gmt": sale.created_gmt if paid else None,
        "currency_symbol": "$",
        "_links": {
            "self": [{"href": f"https://shop.example.com/wp-json/wc/v3/orders/{n}"}],
            "collection": [{"href": "https://shop.example.com/wp-json/wc/v3/orders"}],
        },
    }


def aoe_rows(sale: Sale, number: int | None = None, *, every_row: bool = True) -> list[list[str]]:
    """The order's rows: one per product, the order's fields on every row (or the first)."""
    n = number if number is not None else aoe_number(sale)
    w = sale.where
    order = {
        "Order Number": str(n),
        "Order Status": STATUS_NAMES[sale.status],
        "Order Date": sale.created.replace("T", " ")[:16],
        "Customer Note": sale.note,
        "Payment Method Title": sale.payment[1],
        "Cart Discount Amount": "0",
        "Order Subtotal Amount": f"{sale.subtotal():.2f}",
        "Shipping Method Title": sale.shipping[1],
        "Order Shipping Amount": sale.shipping_total,
        "Order Refund Amount": sale.refunded(),
        "Order Total Amount": sale.total(),
        "Order Total Tax Amount": "0",
        "Email (Billing)": sale.email,
        "Phone (Billing)": w.phone,
    }
    for kind in ("Billing", "Shipping"):
        order |= {
            f"First Name ({kind})": w.first,
            f"Last Name ({kind})": w.last,
            f"Address 1&2 ({kind})": ", ".join(p for p in (w.address_1, w.address_2) if p),
            f"City ({kind})": w.city,
            f"State Code ({kind})": w.state,
            f"Postcode ({kind})": w.postcode,
            f"Country Code ({kind})": w.country,
        }
    order["Company (Billing)"] = w.company
    rows = []
    for i, it in enumerate(sale.items, start=1):
        values = dict(order) if (every_row or i == 1) else {"Order Number": str(n)}
        values |= {
            "SKU": it.sku,
            "Item #": str(i),
            "Item Name": it.name,
            "Quantity (- Refund)": str(it.qty - it.refunded),
            "Item Cost": it.price,
        }
        rows.append([values.get(h, "") for h in AOE_HEADER])
    return rows


def write_rest(path: Path, orders: list[dict[str, Any]]) -> None:
    path.write_text(json.dumps(orders, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_aoe(path: Path, rows: list[list[str]], header: list[str] | None = None) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header or AOE_HEADER)
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8-sig")


def main() -> None:
    all_sales = sales()
    write_rest(HERE / "woocommerce_rest_orders.json", [rest_order(s) for s in all_sales])
    write_aoe(HERE / "woocommerce_aoe_orders.csv", [r for s in all_sales for r in aoe_rows(s)])


if __name__ == "__main__":
    main()
