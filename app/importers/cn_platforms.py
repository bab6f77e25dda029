"""The Chinese platforms' own order exports, as built-in layouts: Taobao/Tmall (千牛 "导出订单"),
JD (京东商家后台 订单导出), Pinduoduo (拼多多商家后台 订单导出) and Douyin (抖店 订单导出).

Each layout (``cn_layouts``) names the columns of a field by the headers the platform
writes (where they come from: docs/import-formats-cn.md). Rows with the same order id on
consecutive rows make one order
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
from datetime import tzinfo
from decimal import Decimal

from app.importers import records as r
from app.importers.cn_layouts import (
    LAYOUTS,
    NAMES,
    PLATFORMS,
    TAOBAO_ITEMS,
    Layout,
    detect,
    taobao_companion,
)
from app.importers.cn_status import GONE, LineState, line_state
from app.importers.errors import MissingColumns
from app.importers.grouping import Draft, Row, order_runs
from app.importers.records import AddressRecord, ImportItem, OrderRecord, RowProblem
from app.importers.tabular import Columns, Table, cell
from app.importers.values import BadValue, parse_qty, split_cn_address

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


__all__ = ["NAMES", "PLATFORMS", "detect", "parse", "read_items", "taobao_companion", "text"]
