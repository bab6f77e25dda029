"""Writes the sample import files beside this script (run it again after changing it).

The files are committed; the tests read them as a user's files would be read. Names, addresses
and phone numbers are made up.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

#: Shopify's orders export header, as Shopify writes it (Admin > Orders > Export).
# kept as the header line itself, so it can be compared with a real export by eye
SHOPIFY_HEADER = (  # noqa: SIM905
    "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,"
    "Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,"
    "Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,"
    "Lineitem sku,Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,"
    "Billing Name,Billing Street,Billing Address1,Billing Address2,Billing Company,Billing City,"
    "Billing Zip,Billing Province,Billing Country,Billing Phone,Shipping Name,Shipping Street,"
    "Shipping Address1,Shipping Address2,Shipping Company,Shipping City,Shipping Zip,"
    "Shipping Province,Shipping Country,Shipping Phone,Notes,Note Attributes,Cancelled at,"
    "Payment Method,Payment Reference,Refunded Amount,Vendor,Outstanding Balance,Employee,"
    "Location,Device ID,Id,Tags,Risk Level,Source,Lineitem discount,Tax 1 Name,Tax 1 Value,"
    "Tax 2 Name,Tax 2 Value,Tax 3 Name,Tax 3 Value,Tax 4 Name,Tax 4 Value,Tax 5 Name,"
    "Tax 5 Value,Phone,Receipt Number,Duties,Billing Province Name,Shipping Province Name,"
    "Payment ID,Payment Terms Name,Next Payment Due At,Payment References"
).split(",")


def shopify_row(**values: str) -> list[str]:
    """A row of the export: the given columns (by header name), the rest empty."""
    unknown = set(values) - {h.replace(" ", "_").lower() for h in SHOPIFY_HEADER}
    assert not unknown, unknown
    return [values.get(h.replace(" ", "_").lower(), "") for h in SHOPIFY_HEADER]


def _num(text: str) -> float:
    return float(text) if text.replace(".", "").isdigit() else 0.0


def shopify_order(
    name: str,
    email: str,
    lines: list[tuple[str, str, str, str, str]],
    *,
    financial: str = "paid",
    fulfillment: str = "unfulfilled",
    created: str = "2026-11-20 09:15:02 -0500",
    ship: dict[str, str] | None = None,
    cancelled: str = "",
    currency: str = "USD",
    total: str = "",
    notes: str = "",
    order_id: str = "",
    line_status: list[str] | None = None,
    payment_method: str = "Shopify Payments",
    shipping_method: str = "Standard",
) -> list[list[str]]:
    """The rows of one order: order fields on the first row only, as Shopify writes them."""
    ship = ship or {}
    rows = []
    for i, (qty, lname, price, sku, requires) in enumerate(lines):
        common = {
            "name": name,
            "email": email,
            "lineitem_quantity": qty,
            "lineitem_name": lname,
            "lineitem_price": price,
            "lineitem_sku": sku,
            "lineitem_requires_shipping": requires,
            "lineitem_taxable": "true",
            "lineitem_fulfillment_status": (line_status or ["pending"] * len(lines))[i],
            "vendor": "Packdesk Demo",
            "lineitem_discount": "0.00",
        }
        if i == 0:
            total_value = total or f"{sum(_num(q) * float(p) for q, _, p, _, _ in lines):.2f}"
            common.update(
                financial_status=financial,
                paid_at=created if financial in ("paid", "partially_refunded") else "",
                fulfillment_status=fulfillment,
                accepts_marketing="no",
                currency=currency,
                subtotal=total_value,
                shipping="0.00",
                taxes="0.00",
                total=total_value,
                discount_amount="0.00",
                shipping_method=shipping_method,
                created_at=created,
                billing_name=ship.get("name", ""),
                billing_street=ship.get("address1", ""),
                billing_address1=ship.get("address1", ""),
                billing_city=ship.get("city", ""),
                billing_zip=ship.get("zip", ""),
                billing_province=ship.get("province", ""),
                billing_country=ship.get("country", ""),
                shipping_name=ship.get("name", ""),
                shipping_street=", ".join(
                    p for p in (ship.get("address1", ""), ship.get("address2", "")) if p
                ),
                shipping_address1=ship.get("address1", ""),
                shipping_address2=ship.get("address2", ""),
                shipping_city=ship.get("city", ""),
                shipping_zip=ship.get("zip", ""),
                shipping_province=ship.get("province", ""),
                shipping_country=ship.get("country", ""),
                shipping_phone=ship.get("phone", ""),
                shipping_province_name=ship.get("province_name", ""),
                notes=notes,
                cancelled_at=cancelled,
                payment_method=payment_method,
                refunded_amount="0.00",
                outstanding_balance="0.00",
                id=order_id or str(5_500_000_000 + int(name.strip("#"))),
                risk_level="Low",
                source="web",
            )
        rows.append(shopify_row(**common))
    return rows


US = {
    "name": "Ada Lovelace",
    "address1": "12 Beacon Street",
    "address2": "Apt 4",
    "city": "Boston",
    "zip": "'02108",
    "province": "MA",
    "province_name": "Massachusetts",
    "country": "US",
    "phone": "'+1 617-555-0142",
}
CN = {
    "name": "张三丰",
    "address1": "文三路90号东部软件园3号楼502室",
    "city": "杭州市",
    "zip": "'310012",
    "province": "ZJ",
    "province_name": "浙江省",
    "country": "CN",
    "phone": "+86 138 1234 5678",
}
UK = {
    "name": "Grace Hopper",
    "address1": "PO Box 1234",
    "city": "London",
    "zip": "SW1A 1AA",
    "country": "GB",
    "phone": "+44 20 7946 0958",
}


def shopify_sample() -> list[list[str]]:
    rows: list[list[str]] = [SHOPIFY_HEADER]
    rows += shopify_order(
        "#1001",
        "ada@example.com",
        [
            ("2", "Insulated bottle 500ml - Blue", "24.50", "BOTTLE-500-BL", "true"),
            ("1", "Bamboo lid", "6.00", "LID-BAMBOO", "true"),
        ],
        ship=US,
        notes="Leave at the door",
    )
    rows += shopify_order(
        "#1002",
        "grace@example.com",
        [("1", "Travel mug", "18.00", "MUG-TRAVEL", "true")],
        ship=UK,
        financial="partially_refunded",
    )
    rows += shopify_order(
        "#1003",
        "ada@example.com",
        [
            ("1", "Insulated bottle 500ml - Blue", "24.50", "BOTTLE-500-BL", "true"),
            ("1", "Gift card $25", "25.00", "", "false"),
        ],
        ship=US,
        financial="partially_refunded",
    )
    rows += shopify_order(
        "#1004",
        "alan@example.com",
        [("1", "Gift card $50", "50.00", "", "false")],
        ship=US,
    )
    rows += shopify_order(
        "#1005",
        "edsger@example.com",
        [("1", "Travel mug", "18.00", "MUG-TRAVEL", "true")],
        ship=US,
        fulfillment="fulfilled",
    )
    rows += shopify_order(
        "#1006",
        "zhang@example.com",
        [
            ("3", "保温杯 500ml", "59.00", "BOTTLE-500-BL", "true"),
            ("1", "竹盖", "12.00", "LID-BAMBOO", "true"),
        ],
        ship=CN,
        currency="CNY",
        created="2026-11-21 08:02:11 +0800",
    )
    rows += shopify_order(
        "#1007",
        "barbara@example.com",
        [
            ("two", "Travel mug", "18.00", "MUG-TRAVEL", "true"),
            ("1", "Bamboo lid", "6.00", "LID-BAMBOO", "true"),
        ],
        ship=US,
    )
    rows += shopify_order(
        "#1008",
        "ken@example.com",
        [("1", "Travel mug", "18.00", "MUG-TRAVEL", "true")],
        ship=US,
        financial="pending",
    )
    rows += shopify_order(
        "#1009",
        "linus@example.com",
        [
            ("1", "Travel mug", "18.00", "MUG-TRAVEL", "true"),
            ("2", "Bamboo lid", "6.00", "LID-BAMBOO", "true"),
        ],
        ship=US,
        fulfillment="partial",
        line_status=["fulfilled", "pending"],
    )
    return rows


def shopify_traps() -> list[list[str]]:
    """A small shop's export with the traps of real files: no SKUs at all, cash on delivery,
    an already fulfilled order whose lines have no SKU either, orders cancelled or refunded
    before they were fulfilled, a pickup."""
    rows: list[list[str]] = [SHOPIFY_HEADER]
    rows += shopify_order(
        "#2001",
        "ada@example.com",
        [("1", "Hand-thrown bowl", "32.00", "", "true"), ("2", "Linen napkin", "8.00", "", "true")],
        ship=US,
    )
    rows += shopify_order(
        "#2002",
        "mehmet@example.com",
        [("1", "Hand-thrown bowl", "32.00", "", "true")],
        ship=US,
        financial="pending",
        payment_method="Cash on Delivery (COD)",
    )
    rows += shopify_order(
        "#2003",
        "edsger@example.com",
        [("1", "Linen napkin", "8.00", "", "true")],
        ship=US,
        fulfillment="fulfilled",
    )
    rows += shopify_order(
        "#2004",
        "ken@example.com",
        [("1", "Linen napkin", "8.00", "", "true")],
        ship=US,
        financial="pending",
        payment_method="Bank Deposit",
    )
    rows += shopify_order(
        "#2005",
        "grace@example.com",
        [("1", "Linen napkin", "8.00", "", "true")],
        ship=UK,
        cancelled="2026-11-20 11:00:00 -0500",
        financial="voided",
    )
    rows += shopify_order(
        "#2006",
        "alan@example.com",
        [("1", "Hand-thrown bowl", "32.00", "", "true")],
        ship=US,
        financial="refunded",
    )
    rows += shopify_order(
        "#2007",
        "linus@example.com",
        [("1", "Hand-thrown bowl", "32.00", "", "true")],
        ship=US,
        shipping_method="Local Pickup",
    )
    rows += shopify_order(
        "#2008",
        "grace@example.com",
        [("3", "Linen napkin", "8.00", "NAPKIN-LINEN", "true")],
        ship=US,
        fulfillment="partial",
        line_status=["partial"],
    )
    return rows


def shopify_no_skus() -> list[list[str]]:
    """A shop whose products have no SKUs in Shopify: every line is known by its title only."""
    mug, napkins, tea = "Ceramic mug - Blue", "Linen napkin 6-pack", "Tea gift set"
    orders = [
        ("#3001", [("2", mug, "12.00")]),
        ("#3002", [("1", mug, "12.00"), ("1", napkins, "30.00")]),
        ("#3003", [("1", napkins, "30.00")]),
        ("#3004", [("3", tea, "45.00")]),
        ("#3005", [("1", mug, "12.00")]),
    ]
    rows = [list(SHOPIFY_HEADER)]
    for i, (name, lines) in enumerate(orders):
        rows += shopify_order(
            name,
            f"buyer{i}@example.com",
            [(q, title, price, "", "true") for q, title, price in lines],
            ship=US,
        )
    return rows


def write_csv(
    path: Path, rows: list[list[str]], *, encoding: str = "utf-8", tail: str = ""
) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_bytes((buf.getvalue() + tail).encode(encoding))


WOO_HEADER = (  # noqa: SIM905
    "order_id,order_number,order_date,paid_date,status,shipping_total,shipping_tax_total,"
    "fee_total,fee_tax_total,tax_total,cart_discount,order_discount,discount_total,order_total,"
    "order_subtotal,order_currency,payment_method,payment_method_title,transaction_id,"
    "customer_ip_address,customer_user_agent,shipping_method,customer_id,customer_user,"
    "customer_email,billing_first_name,billing_last_name,billing_company,billing_email,"
    "billing_phone,billing_address_1,billing_address_2,billing_postcode,billing_city,"
    "billing_state,billing_country,shipping_first_name,shipping_last_name,shipping_company,"
    "shipping_phone,shipping_address_1,shipping_address_2,shipping_postcode,shipping_city,"
    "shipping_state,shipping_country,customer_note,shipping_items,fee_items,tax_items,"
    "coupon_items,order_notes,download_permissions,line_item_1,line_item_2,line_item_3"
).split(",")


def woo_row(**values: str) -> list[str]:
    unknown = set(values) - set(WOO_HEADER)
    assert not unknown, unknown
    return [values.get(h, "") for h in WOO_HEADER]


def woo_sample() -> list[list[str]]:
    def order(oid: str, status: str, items: list[str], **kw: str) -> list[str]:
        base = {
            "order_id": oid,
            "order_number": oid,
            "order_date": "2026-11-19 14:03:27",
            "status": status,
            "order_total": "42.00",
            "order_subtotal": "42.00",
            "order_currency": "EUR",
            "payment_method": "stripe",
            "payment_method_title": "Credit card",
            "customer_email": "marie@example.com",
            "billing_first_name": "Marie",
            "billing_last_name": "Curie",
            "billing_email": "marie@example.com",
            "billing_phone": "+33 1 42 68 53 00",
            "shipping_first_name": "Marie",
            "shipping_last_name": "Curie",
            "shipping_address_1": "11 rue Pierre et Marie Curie",
            "shipping_postcode": "75005",
            "shipping_city": "Paris",
            "shipping_country": "FR",
            "shipping_items": "method_id:flat_rate|method_title:Flat rate|total:0.00",
            "download_permissions": "1",
        }
        base.update(kw)
        for i, it in enumerate(items, start=1):
            base[f"line_item_{i}"] = it
        return woo_row(**base)

    return [
        WOO_HEADER,
        order(
            "5123",
            "processing",
            [
                "id:41|name:Hoodie - Blue, L|product_id:35|sku:HOODIE-BL-L|quantity:2|"
                "total:60.00|sub_total:60.00|tax:0.00",
                "id:42|name:Beanie|product_id:36|sku:BEANIE|quantity:1|total:18.00|sub_total:18.00",
            ],
            order_total="78.00",
        ),
        order(
            "5124",
            "on-hold",
            ["id:43|name:Beanie|product_id:36|sku:BEANIE|quantity:1|total:18.00"],
        ),
        order(
            "5125",
            "completed",
            ["id:44|name:Beanie|product_id:36|sku:BEANIE|quantity:1|total:18.00"],
        ),
        order(
            "5126",
            "cancelled",
            ["id:45|name:Hoodie - Blue, L|product_id:35|sku:HOODIE-BL-L|quantity:1|total:30.00"],
        ),
        order(
            "5127",
            "wc-processing",
            ["id:46|name:Cap | limited|product_id:37|sku:CAP-LTD|quantity:3|total:45.00"],
            shipping_first_name="Emmy",
            shipping_last_name="Noether",
            shipping_address_1="Bunsenstraße 3-5",
            shipping_postcode="37073",
            shipping_city="Göttingen",
            shipping_country="DE",
            shipping_phone="+49 551 39 7000",
        ),
    ]


#: a Taobao-style export with Chinese headers: one row per order, items in one column
TAOBAO_HEADER = [
    "订单编号",
    "买家会员名",
    "买家实付金额",
    "订单状态",
    "收货人姓名",
    "收货地址",
    "联系手机",
    "订单创建时间",
    "商品信息",
    "买家留言",
]


def taobao_sample() -> list[list[str]]:
    return [
        TAOBAO_HEADER,
        [
            "3876543210987654",
            "tb_zhang",
            "¥118.00",
            "买家已付款，等待卖家发货",
            "张三丰",
            "浙江省 杭州市 西湖区 文三路90号东部软件园3号楼502室",
            "13812345678",
            "2026-11-21 10:20:30",
            "BOTTLE-500-BL*2",
            "请尽快发货",
        ],
        [
            "3876543210987655",
            "tb_li",
            "¥71.00",
            "买家已付款，等待卖家发货",
            "李四",
            "广东省深圳市南山区科技园南路15号",
            "1381234567",
            "2026-11-21 11:05:00",
            "BOTTLE-500-BL*1; LID-BAMBOO*1",
            "",
        ],
        [
            "3876543210987656",
            "tb_wang",
            "¥59.00",
            "等待买家付款",
            "王小明",
            "北京市 北京市 朝阳区 建国路88号邮政信箱12号",
            "13998765432",
            "2026-11-21 12:00:00",
            "BOTTLE-500-BL*1",
            "",
        ],
    ]


def big_shopify_rows(
    orders: int, *, seed: int = 7, skus: int = 2000, mapped: float = 0.0
) -> Iterator[list[str]]:
    """The header and ``orders`` orders of 1 to 3 lines (2 on average), for big-file tests and
    the import benchmark: US and Chinese addresses, a few unpaid, a few unknown SKUs. A share
    ``mapped`` of the lines sells a listing that needs a product mapping: half by the listing's
    own SKU (PACK-00042), half without a SKU, known by its title (Gift set 42)."""
    rng = random.Random(seed)
    listings = random.Random(seed + 1)  # the same orders as without listings, but for those
    yield SHOPIFY_HEADER
    cities = [
        ("Boston", "MA", "Massachusetts", "021{:02d}"),
        ("Austin", "TX", "Texas", "787{:02d}"),
        ("Seattle", "WA", "Washington", "981{:02d}"),
    ]
    for i in range(1, orders + 1):
        n = 1 + (i % 3)
        lines = []
        for _ in range(n):
            k = rng.randrange(skus + 20)
            sku = f"SKU-{k:05d}" if k < skus else f"NOPE-{k:05d}"
            name = f"Product {k}"
            if mapped and k < skus and listings.random() < mapped:
                if listings.random() < 0.5:
                    sku = f"PACK-{k:05d}"
                else:
                    sku, name = "", f"Gift set {k}"
            lines.append((str(1 + rng.randrange(3)), name, "19.90", sku, "true"))
        if i % 4 == 0:
            ship = {
                "name": f"客户{i}",
                "address1": f"西湖区文三路{i % 500}号{i % 30}栋{i % 9 + 1}单元",
                "city": "杭州市",
                "zip": "'310012",
                "province": "ZJ",
                "province_name": "浙江省",
                "country": "CN",
                "phone": f"+86 13{i % 10}{i:08d}"[:17],
            }
        else:
            city, st, st_name, zip_fmt = cities[i % 3]
            ship = {
                "name": f"Customer {i}",
                "address1": f"{i % 900 + 1} Main Street",
                "city": city,
                "zip": "'" + zip_fmt.format(i % 100),
                "province": st,
                "province_name": st_name,
                "country": "US",
                "phone": f"+1 617-555-{i % 10000:04d}",
            }
        yield from shopify_order(
            f"#{100000 + i}",
            f"customer{i % (orders // 2 + 1)}@example.com",
            lines,
            ship=ship,
            financial="pending" if i % 50 == 0 else "paid",
            created=f"2026-11-{1 + i % 28:02d} {i % 24:02d}:{i % 60:02d}:00 -0500",
        )


def write_big_shopify(path: Path, orders: int, **kw: Any) -> int:
    """Write :func:`big_shopify_rows` to ``path``; returns the number of lines."""
    n = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        for row in big_shopify_rows(orders, **kw):
            w.writerow(row)
            n += 1
    return n


def main() -> None:
    write_csv(HERE / "shopify_orders_export.csv", shopify_sample(), tail="\n\n")
    write_csv(HERE / "shopify_orders_export_bom.csv", shopify_sample(), encoding="utf-8-sig")
    write_csv(HERE / "shopify_traps.csv", shopify_traps())
    write_csv(HERE / "woocommerce_orders.csv", woo_sample())
    write_csv(HERE / "shopify_no_skus.csv", shopify_no_skus())
    write_csv(HERE / "taobao_orders_gb18030.csv", taobao_sample(), encoding="gb18030")
    write_csv(HERE / "taobao_orders_utf8.csv", taobao_sample())
    # a file cut off inside a quoted value
    good = io.StringIO()
    csv.writer(good, lineterminator="\n").writerows(shopify_sample()[:3])
    (HERE / "shopify_unclosed_quote.csv").write_text(
        good.getvalue() + '#1010,x@example.com,paid,,,,,USD,,,,5.00,,,,,1,"Mug with a quote\n',
        encoding="utf-8",
    )
    # a spreadsheet that is not a spreadsheet
    (HERE / "not_really.xlsx").write_text("Name,Email\n#1,a@example.com\n", encoding="utf-8")
    # bytes that are neither UTF-8 nor GB18030 text
    (HERE / "binary.csv").write_bytes(bytes(range(256)) * 4)


if __name__ == "__main__":
    main()
