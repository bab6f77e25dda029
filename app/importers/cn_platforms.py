"""The Chinese platforms' own order exports, as built-in layouts: Taobao/Tmall (千牛 "导出订单"),
JD (京东商家后台 订单导出), Pinduoduo (拼多多商家后台 订单导出) and Douyin (抖店 订单导出).

Each layout names the columns of a field by the headers the platform writes (where they come
from: docs/import-formats-cn.md). Rows with the same order id on consecutive rows make one order
(JD writes one row per item, Douyin one per sub-order under its 主订单编号). Status words are read
per line (``cn_status``): a line cancelled or refunded in the channel is left out, a line
already shipped is left out, a partly shipped line is flagged for the reviewer, and an order
whose every line is shipped, cancelled or refunded is skipped or marked so. Recipients the
platform masks or encrypts are kept as written and flagged (``app.domain.protected_recipients``).

Taobao writes an order list (ExportOrderList: one row per order, the address, no SKUs) and an
items file (ExportOrderDetailList: one row per item with 商家编码), joined by 订单编号. The
order list is the one to import; its items file is found beside it (``taobao_companion``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import tzinfo
from decimal import Decimal
from pathlib import Path

from app.importers import records as r
from app.importers.cn_status import GONE, LineState, line_state
from app.importers.errors import MissingColumns
from app.importers.grouping import Draft, Row, order_runs
from app.importers.records import AddressRecord, ImportItem, OrderRecord, RowProblem
from app.importers.tabular import Columns, Table, cell
from app.importers.values import BadValue, parse_qty, split_cn_address

PLATFORMS = ("taobao", "jd", "pinduoduo", "douyin")
#: the platform's name as the screens and messages show it
NAMES = {
    "taobao": "Taobao / Tmall (千牛)",
    "jd": "JD (京东)",
    "pinduoduo": "Pinduoduo (拼多多)",
    "douyin": "Douyin (抖店)",
}


@dataclass(frozen=True)
class Layout:
    key: str
    #: headers that all appear in this platform's export (how the file is recognised)
    signature: tuple[str, ...]
    #: field -> the headers that may hold it, first found wins
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: the order amount is written per line (sub-order) and is summed
    total_per_line: bool = False


TAOBAO = Layout(
    "taobao",
    ("订单编号", "买家会员名", "收货人姓名", "收货地址", "宝贝标题"),
    {
        "order_id": ("订单编号",),
        "status": ("订单状态",),
        "total": ("买家实际支付金额", "买家实付金额", "总金额"),
        "placed_at": ("订单创建时间", "订单付款时间"),
        "name": ("收货人姓名",),
        "full_address": ("收货地址",),
        "phone": ("联系手机", "联系电话"),
        "note": ("买家留言",),
        "shipping_method": ("运送方式",),
        "payment_method": ("支付方式", "付款方式"),
        "line_name": ("宝贝标题",),
        "qty": ("宝贝总数量",),
    },
)
TAOBAO_ITEMS = Layout(
    "taobao_items",
    ("订单编号", "标题", "购买数量", "商家编码"),
    {
        "order_id": ("订单编号",),
        "line_name": ("标题",),
        "unit_price": ("价格",),
        "qty": ("购买数量",),
        "spec": ("商品属性",),
        "status": ("订单状态",),
        "sku": ("商家编码",),
        "line_id": ("子订单编号",),
        "listing_id": ("SKU ID", "SKUID", "商品ID", "宝贝ID"),
    },
)
JD = Layout(
    "jd",
    ("订单号", "商品ID", "商品名称", "订购数量", "客户姓名", "客户地址"),
    {
        "order_id": ("订单号",),
        "listing_id": ("商品ID",),
        "line_name": ("商品名称",),
        "qty": ("订购数量",),
        "payment_method": ("支付方式",),
        "placed_at": ("下单时间",),
        "unit_price": ("京东价",),
        "total": ("应付金额", "订单金额"),
        "status": ("订单状态",),
        "name": ("客户姓名",),
        "full_address": ("客户地址",),
        "phone": ("联系电话",),
        "note": ("订单备注",),
        "sku": ("商家SKU", "商家编码", "货号"),
        "shipping_method": ("配送方式", "送货方式"),
    },
)
PINDUODUO = Layout(
    "pinduoduo",
    ("订单号", "商品数量(件)", "收货人", "商家编码-SKU维度"),
    {
        "order_id": ("订单号",),
        "line_name": ("商品",),
        "spec": ("商品规格",),
        "qty": ("商品数量(件)",),
        "goods_total": ("商品总价(元)", "商品总价（元）"),
        "total": ("用户实付金额(元)", "用户实付金额（元）"),
        "status": ("订单状态",),
        "after_sale": ("售后状态",),
        "placed_at": ("支付时间", "订单成交时间"),
        "name": ("收货人",),
        "phone": ("手机", "收货人手机"),
        "province": ("省",),
        "city": ("市",),
        "district": ("区",),
        "street": ("街道", "详细地址"),
        "listing_id": ("样式ID", "SKU-ID", "商品id"),
        "sku": ("商家编码-SKU维度", "商家编码-商品维度"),
        "payment_method": ("支付方式",),
        "pickup": ("是否门店自提",),
        "note": ("买家留言",),
    },
)
DOUYIN = Layout(
    "douyin",
    ("主订单编号", "子订单编号", "选购商品", "商品数量"),
    {
        "order_id": ("主订单编号",),
        "line_id": ("子订单编号",),
        "line_name": ("选购商品",),
        "spec": ("商品规格",),
        "qty": ("商品数量",),
        "listing_id": ("商品ID",),
        "sku": ("商家编码",),
        "unit_price": ("商品金额",),
        "total": ("订单应付金额",),
        "placed_at": ("订单提交时间", "支付完成时间"),
        "payment_method": ("支付方式",),
        "status": ("订单状态",),
        "after_sale": ("售后状态",),
        "name": ("收件人",),
        "phone": ("收件人手机号", "收件人手机", "收件人电话"),
        "province": ("省",),
        "city": ("市",),
        "district": ("区",),
        "town": ("街道",),
        "street": ("详细地址",),
        "note": ("买家留言", "商家备注"),
        "shipping_method": ("配送方式", "物流方式"),
    },
    total_per_line=True,
)
LAYOUTS = {lay.key: lay for lay in (TAOBAO, JD, PINDUODUO, DOUYIN)}


def detect(headers: list[str]) -> str:
    """The platform whose export this header row is ("" when none; the Taobao items file is
    "taobao_items")."""
    cols = Columns(headers)
    for lay in (TAOBAO, TAOBAO_ITEMS, JD, PINDUODUO, DOUYIN):
        if all(cols.find(h) is not None for h in lay.signature):
            return lay.key
    return ""


def taobao_companion(path: Path, want_items: bool) -> Path | None:
    """The other file of a Taobao export beside ``path``: ExportOrderList202611...csv goes with
    ExportOrderDetailList202611...csv (also "<name>_detail" beside "<name>")."""
    name = path.name
    if want_items:
        candidates = [name.replace("ExportOrderList", "ExportOrderDetailList")]
        candidates.append(f"{path.stem}_detail{path.suffix}")
    else:
        candidates = [name.replace("ExportOrderDetailList", "ExportOrderList")]
        if path.stem.endswith("_detail"):
            candidates.append(f"{path.stem.removesuffix('_detail')}{path.suffix}")
    for c in candidates:
        other = path.with_name(c)
        if c != name and other.is_file():
            return other
    return None


_EXCEL_TEXT = re.compile(r'^=?"(.*)"$')


def text(value: str) -> str:
    """A cell as the platform meant it: ="3876..." and '3876... and a leading tab (written so
    spreadsheets keep long numbers) taken off; "-" and "--" (nothing) as empty."""
    t = value.strip().lstrip("\t'").strip()
    m = _EXCEL_TEXT.match(t)
    if m:
        t = m.group(1).strip()
    return "" if t in ("-", "--", "null") else t


class _Cols:
    def __init__(self, table: Table, lay: Layout, name: str) -> None:
        cols = Columns(table.headers)
        missing = [h for h in lay.signature if cols.find(h) is None]
        if missing:
            raise MissingColumns(file=table.file, format=name, columns=", ".join(missing))
        self.idx = {k: cols.find(*names) for k, names in lay.columns.items()}
        #: columns that say the platform protects the recipient (oaid, 加密...)
        self.protected = [
            i for i, h in enumerate(table.headers) if "oaid" in h.lower() or "加密" in h
        ]

    def v(self, cells: list[str], key: str) -> str:
        return text(cell(cells, self.idx.get(key)))


Items = dict[str, list[Row]]


def parse(
    table: Table, key: str, local: tzinfo, *, items: tuple[Table, Items] | None = None
) -> Iterator[ImportItem]:
    """The orders of a platform's export. For Taobao, ``items`` is its items file (read whole,
    by 订单编号); without it each order's items come from its titles, without SKUs."""
    lay = LAYOUTS[key]
    c = _Cols(table, lay, NAMES[key])
    item_cols = _Cols(items[0], TAOBAO_ITEMS, NAMES[key]) if items else None
    for got in order_runs(table, lambda cells: c.v(cells, "order_id")):
        if isinstance(got, RowProblem):
            yield got
            continue
        order_id, rows = got
        if key == "taobao":
            line_rows = items[1].get(order_id, []) if items else []
            lc = item_cols if line_rows else None
            yield from _order(lay, order_id, rows, c, local, line_rows, lc, table.file)
        else:
            yield from _order(lay, order_id, rows, c, local, rows, c, table.file)


def read_items(table: Table) -> Items:
    """A Taobao items file, its rows by 订单编号."""
    c = _Cols(table, TAOBAO_ITEMS, NAMES["taobao"])
    out: Items = {}
    for row_no, cells in table.rows():
        oid = c.v(cells, "order_id")
        if oid:
            out.setdefault(oid, []).append((row_no, cells))
    return out


def _order(
    lay: Layout,
    order_id: str,
    rows: list[Row],
    c: _Cols,
    local: tzinfo,
    line_rows: list[Row],
    lc: _Cols | None,
    file: str,
) -> Iterator[ImportItem]:
    first_row, head = rows[0]
    d = Draft(order_id, first_row, local)
    head_status = c.v(head, "status")
    if lc is None:
        lc, line_rows = c, []
        d.warn(first_row, r.TAOBAO_NO_ITEMS_FILE, file=file, order=order_id)
        _title_line(d, c, head)
        states = [line_state(head_status)]
    else:
        states = [_line(d, lc, row_no, cells, head_status) for row_no, cells in line_rows]
    payment, cancelled = _order_state(d, states, first_row)
    method = c.v(head, "payment_method") or ("货到付款" if "货到付款" in head_status else "")
    if "货到付款" in method:
        payment = "pending"  # the carrier collects it: nothing is paid yet
    placed_at = d.when(c.v(head, "placed_at"), first_row)
    total = _total(d, lay, c, rows)
    problems, ok = d.verdict()
    yield from problems
    if not ok:
        return
    yield OrderRecord(
        external_id=order_id,
        row=first_row,
        last_row=rows[-1][0],
        lines=tuple(d.lines),
        address=_address(c, head),
        placed_at=placed_at,
        currency="CNY",
        total=total,
        payment_status=payment,
        cancelled=cancelled,
        channel_status=head_status,
        customer_name=c.v(head, "name"),
        note=c.v(head, "note"),
        payment_method=method,
        shipping_method=_shipping(c, head),
        recipient_protected=any(text(cell(head, i)) for i in c.protected),
    )


def _line(d: Draft, c: _Cols, row_no: int, cells: list[str], head_status: str) -> LineState:
    """Reads one line; returns its state. Shipped, cancelled and refunded lines are left out
    (with a warning) unless the whole order is so (then ``_order_state`` decides)."""
    state = line_state(c.v(cells, "status") or head_status, c.v(cells, "after_sale"))
    name = c.v(cells, "line_name")
    spec = c.v(cells, "spec")
    qty = c.v(cells, "qty")
    d.line(
        row_no,
        c.v(cells, "sku"),
        qty,
        name=f"{name} {spec}".strip() if spec and spec not in name else name,
        price=_unit_price(d, c, cells, qty, row_no),
        line_id=c.v(cells, "line_id"),
        partly_fulfilled=state == LineState.PARTLY_SHIPPED,
        listing_id=c.v(cells, "listing_id"),
    )
    return state


def _title_line(d: Draft, c: _Cols, head: list[str]) -> None:
    d.line(d.row, "", c.v(head, "qty") or "1", name=c.v(head, "line_name"))


def _order_state(d: Draft, states: list[LineState], row: int) -> tuple[str, bool]:
    """(payment status, cancelled) of the order from its lines' states; lines that are gone
    or shipped while others are not are taken out with a warning."""
    if not states:
        return "paid", False
    if all(s in GONE for s in states):
        if all(s == LineState.REFUNDED for s in states):
            return "refunded", False
        return "pending", True
    if all(s in (*GONE, LineState.SHIPPED) for s in states):
        d.skip_order(row, r.FULFILLED)
        return "paid", False
    if len(states) == len(d.lines):
        keep = []
        for ln, s in zip(d.lines, states, strict=True):
            if s in GONE or s == LineState.SHIPPED:
                why = r.LINE_CANCELLED if s in GONE else r.LINE_FULFILLED
                d.warn(ln.row, why, order=d.external_id)
            else:
                keep.append(ln)
        d.lines = keep
    live = [s for s in states if s not in GONE and s != LineState.SHIPPED]
    if any(s == LineState.UNPAID for s in live):
        return "pending", False
    if any(s == LineState.UNKNOWN for s in live):
        return "unknown", False
    return "paid", False


def _unit_price(d: Draft, c: _Cols, cells: list[str], qty: str, row: int) -> Decimal:
    price = c.v(cells, "unit_price")
    if price:
        return d.money(price, row)
    goods = c.v(cells, "goods_total")
    if not goods:
        return Decimal("0.00")
    total = d.money(goods, row)
    try:
        n = parse_qty(qty)
    except BadValue:
        return total
    return (total / n).quantize(Decimal("0.01")) if n > 0 else total


def _total(d: Draft, lay: Layout, c: _Cols, rows: list[Row]) -> Decimal | None:
    if lay.total_per_line:
        amounts = [c.v(cells, "total") for _, cells in rows]
        if not any(amounts):
            return None
        pairs = zip(amounts, rows, strict=True)
        return sum((d.money(a, n) for a, (n, _) in pairs if a), Decimal("0.00"))
    first_row, head = rows[0]
    t = c.v(head, "total")
    return d.money(t, first_row) if t else None


def _shipping(c: _Cols, head: list[str]) -> str:
    if c.v(head, "pickup") in ("是", "yes", "Y", "1", "true"):
        return "门店自提"
    return c.v(head, "shipping_method")


_ZIP = re.compile(r"[(（]\s*(\d{5,})\s*[)）]\s*$|[,，]\s*(\d{6,})\s*$")


def _address(c: _Cols, head: list[str]) -> AddressRecord:
    province, city, district = c.v(head, "province"), c.v(head, "city"), c.v(head, "district")
    street = " ".join(p for p in (c.v(head, "town"), c.v(head, "street")) if p)
    postal = ""
    full = c.v(head, "full_address")
    if full:
        m = _ZIP.search(full)
        if m:
            postal = m.group(1) or m.group(2)
            full = full[: m.start()].strip()
        p, ci, dist, street = split_cn_address(full)
        province, city, district = province or p, city or ci, district or dist
    return AddressRecord(
        name=c.v(head, "name"),
        phone=c.v(head, "phone"),
        country="CN",
        province=province,
        city=city,
        district=district,
        street=street,
        postal_code="" if set(postal) <= {"0"} else postal,
    )
