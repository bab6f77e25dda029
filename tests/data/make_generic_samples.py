"""Writes generic_traps.csv and generic_traps.xlsx beside this script: a small cross-border
shop's own order export (its columns in Chinese, one row per item, as shop systems and
spreadsheets kept by hand write them), read through a saved column profile (``PROFILE``).
Run it again after changing it (``python -m tests.data.make_generic_samples``); both files
are committed. The Excel file holds the same orders, quantities as numbers.

The traps, as a generic file can say them: lines without a SKU (商品编码 empty), cash on
delivery (支付方式 货到付款), an order cancelled before it was fulfilled (已取消), a pickup
(配送方式 门店自提), placeholder postal codes ("-", "N/A", "0"), a street typed into the postal
code, a 6-pack listing we do not stock as such; and orders waiting for payment, completed,
refunded and partly refunded.

A partly fulfilled line: a generic file has no column for a line's shipped quantity. What it
can say is the order's status "部分发货" (partly shipped), mapped as the status: every line of
that order is read as partly fulfilled in the channel, so a reviewer checks what is left to ship.
"""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
CSV_OUT = HERE / "generic_traps.csv"
XLSX_OUT = HERE / "generic_traps.xlsx"

HEADER = [
    "订单号",
    "订单状态",
    "下单时间",
    "支付方式",
    "配送方式",
    "收件人",
    "电话",
    "国家",
    "省份",
    "城市",
    "详细地址",
    "邮编",
    "商品编码",
    "商品名称",
    "数量",
    "单价",
    "订单金额",
    "备注",
]

#: the column profile a shop saves for this file (field -> column)
PROFILE = {
    "order_id": "订单号",
    "payment_status": "订单状态",
    "placed_at": "下单时间",
    "payment_method": "支付方式",
    "shipping_method": "配送方式",
    "customer_name": "收件人",
    "phone": "电话",
    "country": "国家",
    "province": "省份",
    "city": "城市",
    "street": "详细地址",
    "postal_code": "邮编",
    "sku": "商品编码",
    "line_name": "商品名称",
    "qty": "数量",
    "unit_price": "单价",
    "total": "订单金额",
    "note": "备注",
}

#: (order id, status, payment method, shipping method, recipient, phone, country, province,
#: city, street, postal code, note); the country empty is the profile's default (China)
Order = tuple[str, str, str, str, str, str, str, str, str, str, str, str]
#: (SKU, item name, quantity, unit price)
Item = tuple[str, str, int, str]

SH = ("王丽", "13800138000", "", "上海市", "上海市", "徐汇区漕溪北路88号1203室", "200030")
GZ = ("张伟", "13912345678", "", "广东省", "广州市", "天河区体育西路103号A座", "510620")
BJ = ("李娜", "13711112222", "", "北京市", "北京市", "朝阳区建国路88号SOHO现代城2号楼", "100022")
US = ("Emily Clark", "+1 202 555 0143", "US", "DC", "Washington", "1600 K Street NW", "20006")
ZA = ("Thandi Nkosi", "+27 21 555 0143", "ZA", "WC", "Cape Town", "14 Bree Street", "8001")
BOTTLE = ("BOTTLE-500-BL", "保温杯 500ml 蓝色", 2, "49.00")
LID = ("LID-BAMBOO", "竹制杯盖", 1, "12.00")
MUG = ("MUG-TRAVEL", "随行杯", 1, "39.00")


def order(
    oid: str,
    status: str,
    who: tuple[str, ...],
    items: list[Item],
    payment: str = "微信支付",
    shipping: str = "顺丰快递",
    postal_code: str | None = None,
    note: str = "",
) -> list[list[str | int]]:
    name, phone, country, province, city, street, zip_code = who
    total = f"{sum(float(price) * qty for _, _, qty, price in items):.2f}"
    head = [oid, status, "2026-11-21 10:20:30", payment, shipping, name, phone, country]
    head += [province, city, street, zip_code if postal_code is None else postal_code]
    return [[*head, sku, title, qty, price, total, note] for sku, title, qty, price in items]


def orders() -> list[list[str | int]]:
    """Every order of the sample, its rows together (one row per item)."""
    return [
        *order("SO-1001", "待发货", SH, [BOTTLE, LID], note="请放在门卫处"),
        *order("SO-1002", "待发货", GZ, [MUG], payment="货到付款"),
        *order(
            "SO-1003",
            "待发货",
            BJ,
            [("", "手工陶瓷碗", 1, "88.00"), ("", "亚麻餐巾", 2, "19.00")],
        ),
        *order("SO-1004", "已取消", SH, [MUG]),
        *order("SO-1005", "部分发货", GZ, [BOTTLE, LID]),
        *order("SO-1006", "待发货", BJ, [LID], shipping="门店自提"),
        *order("SO-1007", "待发货", US, [("TEE-6PK", "Cotton tee 6-pack - White / L", 1, "45.00")]),
        *order("SO-1008", "等待买家付款", SH, [BOTTLE], payment="银行转账"),
        *order("SO-1009", "交易成功", GZ, [MUG]),
        *order("SO-1010", "退款成功", BJ, [MUG]),
        *order("SO-1011", "部分退款", SH, [BOTTLE, MUG]),
        *order("SO-1012", "待发货", US, [LID], postal_code="1600 K Street NW, Suite 400"),
        *order("SO-1013", "待发货", US, [MUG], postal_code="N/A"),
        *order("SO-1014", "待发货", ZA, [LID], postal_code="0"),
        *order("SO-1015", "待发货", GZ, [LID], postal_code="-", payment="货到付款"),
    ]


def write_csv(path: Path, rows: list[list[str | int]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows([HEADER, *rows])


def write_xlsx(path: Path, rows: list[list[str | int]]) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "订单"
    for r in [HEADER, *rows]:
        ws.append(r)
    wb.save(path)


def main() -> None:
    rows = orders()
    write_csv(CSV_OUT, rows)
    write_xlsx(XLSX_OUT, rows)


if __name__ == "__main__":
    main()
