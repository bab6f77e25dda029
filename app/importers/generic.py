"""Any CSV or Excel file, read through a column mapping (saved by name as a profile).

A mapping says which column holds which field. Rows with the same order id on consecutive rows
make one order (one row per item); a file with one row per order can give its items in one
column instead ("SKU-1*2; SKU-2*1"), and the address in one column ("浙江省 杭州市 西湖区 文三路
90号"), which is split into its parts.

The payment method says cash on delivery ("货到付款": not paid yet, whatever the status), the
shipping method a pickup ("门店自提"); a status saying the order is partly shipped ("部分发货")
flags every line of the order as partly fulfilled in the channel, for a reviewer to check.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Any

from app.domain.payments import COD_METHODS, matches_any
from app.importers import records as r
from app.importers.errors import NoMapping, ProfileColumnsMissing
from app.importers.grouping import Draft, Row, order_runs
from app.importers.records import QT_TRANSLATE_NOOP as T
from app.importers.records import AddressRecord, ImportItem, OrderRecord, RowProblem
from app.importers.tabular import Columns, Table, cell
from app.importers.values import (
    country_code,
    parse_bool,
    split_cn_address,
    unquote_apostrophe,
)


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    #: header words (lower case, English and Chinese) that suggest this field
    hints: tuple[str, ...] = ()


FIELDS: tuple[Field, ...] = (
    Field(
        "order_id",
        T("ImportField", "Order id"),
        (
            "order id",
            "order number",
            "order_id",
            "order no",
            "订单编号",
            "订单号",
            "主订单编号",
            "订单id",
            "外部订单号",
        ),
    ),
    Field(
        "sku",
        T("ImportField", "SKU"),
        (
            "sku",
            "item sku",
            "product code",
            "商家编码",
            "商品编码",
            "货号",
            "规格编码",
            "商家sku",
            "sku编码",
            "条码",
        ),
    ),
    Field(
        "qty",
        T("ImportField", "Quantity"),
        ("qty", "quantity", "数量", "购买数量", "商品数量", "宝贝数量"),
    ),
    Field(
        "items",
        T("ImportField", "Items in one column (SKU*qty; ...)"),
        ("items", "商品信息", "宝贝信息", "商品明细"),
    ),
    Field(
        "line_name",
        T("ImportField", "Item name"),
        ("item name", "product name", "product", "商品名称", "宝贝标题", "商品标题", "商品"),
    ),
    Field(
        "unit_price",
        T("ImportField", "Unit price"),
        ("unit price", "price", "单价", "商品单价", "价格"),
    ),
    Field("line_id", T("ImportField", "Item line id"), ("line id", "子订单编号", "子订单号")),
    Field("requires_shipping", T("ImportField", "Needs shipping (yes/no)"), ("requires shipping",)),
    Field(
        "placed_at",
        T("ImportField", "Order date"),
        ("order date", "created at", "date", "下单时间", "订单创建时间", "创建时间", "付款时间"),
    ),
    Field("currency", T("ImportField", "Currency"), ("currency", "币种")),
    Field(
        "payment_method",
        T("ImportField", "Payment method"),
        ("payment method", "支付方式", "付款方式"),
    ),
    Field(
        "shipping_method",
        T("ImportField", "Shipping method"),
        ("shipping method", "delivery method", "配送方式", "物流方式", "运送方式", "提货方式"),
    ),
    Field(
        "total",
        T("ImportField", "Order total"),
        ("total", "order total", "实付金额", "订单金额", "买家实付", "应付金额"),
    ),
    Field(
        "payment_status",
        T("ImportField", "Order or payment status"),
        ("payment status", "financial status", "status", "订单状态", "付款状态"),
    ),
    Field(
        "cancelled",
        T("ImportField", "Cancelled (yes/no or a date)"),
        ("cancelled", "cancelled at", "canceled at", "是否取消"),
    ),
    Field(
        "customer_name",
        T("ImportField", "Recipient name"),
        ("recipient", "name", "shipping name", "收货人", "收货人姓名", "收件人", "收件人姓名"),
    ),
    Field(
        "phone",
        T("ImportField", "Phone"),
        (
            "phone",
            "mobile",
            "shipping phone",
            "联系手机",
            "手机",
            "手机号",
            "收货人手机",
            "联系电话",
            "电话",
            "收件人电话",
        ),
    ),
    Field("email", T("ImportField", "Email"), ("email", "e-mail", "邮箱")),
    Field("company", T("ImportField", "Company"), ("company", "公司")),
    Field("country", T("ImportField", "Country"), ("country", "国家")),
    Field(
        "province",
        T("ImportField", "Province / state"),
        ("province", "state", "省", "省份", "收货省份"),
    ),
    Field("city", T("ImportField", "City"), ("city", "市", "城市", "收货城市")),
    Field("district", T("ImportField", "District"), ("district", "区", "区县", "县区")),
    Field(
        "street",
        T("ImportField", "Street address"),
        ("street", "address", "address1", "address 1", "详细地址", "街道地址"),
    ),
    Field("street2", T("ImportField", "Address line 2"), ("address2", "address 2")),
    Field(
        "postal_code",
        T("ImportField", "Postal code"),
        ("postal code", "postcode", "zip", "zip code", "邮编", "邮政编码"),
    ),
    Field(
        "full_address",
        T("ImportField", "Whole address in one column"),
        ("full address", "收货地址", "收件地址", "地址"),
    ),
    Field("note", T("ImportField", "Note"), ("note", "notes", "买家留言", "备注", "卖家备注")),
)
FIELD_KEYS = tuple(f.key for f in FIELDS)


@dataclass(frozen=True)
class Mapping:
    """Which column holds which field, and how to read the file. Saved as a profile."""

    columns: dict[str, str] = field(default_factory=dict)
    #: used when the file has no country column, or the cell is empty
    default_country: str = "CN"
    #: "" = find out from the header row
    delimiter: str = ""
    #: "" = detect
    encoding: str = ""
    #: Excel sheet; "" = the first
    sheet: str = ""

    def missing(self) -> list[str]:
        """Labels of the required fields without a column."""
        c = self.columns
        out = [] if c.get("order_id") else ["Order id"]
        if not c.get("items") and not (c.get("sku") and c.get("qty")):
            out.append("SKU and Quantity (or Items in one column)")
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "columns": {k: v for k, v in self.columns.items() if k in FIELD_KEYS and v},
            "default_country": self.default_country,
            "delimiter": self.delimiter,
            "encoding": self.encoding,
            "sheet": self.sheet,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Mapping:
        cols = data.get("columns") or {}
        return cls(
            columns={str(k): str(v) for k, v in cols.items() if k in FIELD_KEYS and v},
            default_country=str(data.get("default_country", "CN")),
            delimiter=str(data.get("delimiter", "")),
            encoding=str(data.get("encoding", "")),
            sheet=str(data.get("sheet", "")),
        )


def guess(headers: list[str], fields: Sequence[Field] = FIELDS) -> dict[str, str]:
    """A first mapping from the header words; each column is used at most once. Exact header
    matches come first, then headers that contain a field's word ("买家实付金额" for "实付").
    ``fields``: another file's fields (the carrier status files use this too)."""
    taken: set[str] = set()
    out: dict[str, str] = {}
    lowered = {h: h.strip().lower() for h in headers if h.strip()}
    for exact in (True, False):
        for f in fields:
            if f.key in out:
                continue
            for hint in f.hints:
                if not exact and len(hint) < 2:
                    continue
                match = next(
                    (
                        h
                        for h, low in lowered.items()
                        if h not in taken and (low == hint if exact else hint in low)
                    ),
                    None,
                )
                if match:
                    out[f.key] = match
                    taken.add(match)
                    break
    return out


def parse(table: Table, mapping: Mapping, local: tzinfo) -> Iterator[ImportItem]:
    missing = mapping.missing()
    if missing:
        raise NoMapping(missing=", ".join(missing))
    cols = Columns(table.headers)
    idx = {k: cols.find(v) for k, v in mapping.columns.items()}
    absent = [v for k, v in mapping.columns.items() if idx[k] is None]
    if absent:
        raise ProfileColumnsMissing(file=table.file, columns=", ".join(sorted(set(absent))))
    for item in order_runs(table, lambda cells: cell(cells, idx["order_id"])):
        if isinstance(item, RowProblem):
            yield item
            continue
        yield from _order(item[0], item[1], idx, mapping, local)


_PAID_WORDS = ("已付款", "已支付", "待发货", "等待卖家发货", "paid", "processing", "authorized")
_FULFILLED_WORDS = ("已发货", "交易成功", "已签收", "shipped", "fulfilled", "completed")
_UNPAID_WORDS = ("待付款", "未付款", "等待买家付款", "unpaid", "pending", "on-hold")
_CANCEL_WORDS = ("已取消", "交易关闭", "取消", "cancel")
#: part of the order has left already: the rest is to ship, each line's quantity checked
_PARTLY_SHIPPED_WORDS = (
    "部分发货",
    "部分已发货",
    "partially shipped",
    "partly shipped",
    "partially fulfilled",
    "partly fulfilled",
)


def partly_shipped(text: str) -> bool:
    """Whether a status word says part of the order has shipped ("部分发货")."""
    t = text.strip().lower()
    return any(w in t for w in _PARTLY_SHIPPED_WORDS)


def read_status(text: str) -> tuple[str, bool, bool]:
    """(payment status, cancelled, already fulfilled) from a status word, English or Chinese."""
    t = text.strip().lower()
    if not t:
        return "paid", False, False
    if "退款" in t or "refund" in t:
        partial = "部分" in t or "partial" in t
        return ("partially_refunded" if partial else "refunded"), False, False
    if any(w in t for w in _CANCEL_WORDS):
        return "pending", True, False
    if partly_shipped(t):
        return "paid", False, False
    if any(w in t for w in _UNPAID_WORDS):
        return "pending", False, False
    if any(w in t for w in _FULFILLED_WORDS):
        return "paid", False, True
    if any(w in t for w in _PAID_WORDS):
        return "paid", False, False
    return t[:24], False, False


_ITEM_SPLIT = re.compile(r"[;；\n]+")
_ITEM = re.compile(r"^\s*(?P<sku>.+?)\s*(?:[*×xX:：]\s*(?P<qty>-?\d+))?\s*$")


def _order(
    order_id: str, rows: list[Row], idx: dict[str, int | None], m: Mapping, local: tzinfo
) -> Iterator[ImportItem]:
    first_row, head = rows[0]
    d = Draft(order_id, first_row, local)

    def v(cells: list[str], key: str) -> str:
        return cell(cells, idx.get(key))

    payment, cancelled, fulfilled = read_status(v(head, "payment_status"))
    if payment == "paid" and matches_any(v(head, "payment_method"), COD_METHODS):
        payment = "pending"  # "to ship", but the courier collects the money
    if fulfilled:
        d.skip_order(first_row, r.FULFILLED)
    cancel_text = v(head, "cancelled")
    if cancel_text and parse_bool(cancel_text, True):
        cancelled = True
    total_text = v(head, "total")
    total = d.money(total_text, first_row) if total_text else None
    placed_at = d.when(v(head, "placed_at"), first_row)
    status = v(head, "payment_status")
    for row_no, cells in rows:
        items = v(cells, "items")
        if items:
            _items(d, row_no, items, partly_shipped(v(cells, "payment_status") or status))
        if idx.get("sku") is not None and (v(cells, "sku") or v(cells, "qty")):
            d.line(
                row_no,
                v(cells, "sku"),
                v(cells, "qty"),
                name=v(cells, "line_name"),
                price=d.money(v(cells, "unit_price"), row_no),
                requires_shipping=parse_bool(v(cells, "requires_shipping"), True),
                line_id=v(cells, "line_id"),
                partly_fulfilled=partly_shipped(v(cells, "payment_status") or status),
            )
    problems, ok = d.verdict()
    yield from problems
    if not ok:
        return
    yield OrderRecord(
        external_id=order_id,
        row=first_row,
        last_row=rows[-1][0],
        lines=tuple(d.lines),
        address=_address(head, v, m),
        placed_at=placed_at,
        currency=v(head, "currency").upper()[:3],
        total=total,
        payment_status=payment,
        cancelled=cancelled,
        channel_status=v(head, "payment_status"),
        customer_name=v(head, "customer_name"),
        email=v(head, "email"),
        note=v(head, "note"),
        payment_method=v(head, "payment_method"),
        shipping_method=v(head, "shipping_method"),
    )


def _items(d: Draft, row: int, text: str, partly: bool) -> None:
    for part in _ITEM_SPLIT.split(text):
        if not part.strip():
            continue
        m = _ITEM.match(part)
        if not m:
            d.reject(row, r.BAD_ITEMS, value=text)
            return
        d.line(row, m.group("sku").strip(), m.group("qty") or "1", partly_fulfilled=partly)


def _address(head: list[str], v: Any, m: Mapping) -> AddressRecord:
    country_text = v(head, "country")
    country = country_code(country_text, m.default_country.upper())
    province, city, district = v(head, "province"), v(head, "city"), v(head, "district")
    street = v(head, "street")
    full = v(head, "full_address")
    if full and not street:
        if country in ("CN", "") or re.search(r"[\u4e00-\u9fff]", full):
            p, c, dist, street = split_cn_address(full)
            province, city, district = province or p, city or c, district or dist
        else:
            street = full
    return AddressRecord(
        name=v(head, "customer_name"),
        phone=unquote_apostrophe(v(head, "phone")),
        company=v(head, "company"),
        country=country,
        province=province,
        city=city,
        district=district,
        street=street,
        street2=v(head, "street2"),
        postal_code=unquote_apostrophe(v(head, "postal_code")),
        country_text="" if country else country_text,
    )
