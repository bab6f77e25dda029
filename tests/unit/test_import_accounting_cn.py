"""Property: for any Taobao, JD, Pinduoduo or Douyin export, every order in it is either read
(perhaps to be held or cancelled) or reported with a reason, never lost silently; an order
shipped in the channel is skipped for that, whatever its lines."""

from __future__ import annotations

import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from app.importers.records import FULFILLED, OrderRecord, ProblemKind
from app.importers.sources import open_source
from tests.data import make_cn_samples as m

STATUS = {
    "paid": {"taobao": m.PAID_TB, "jd": "等待出库", "pinduoduo": "待发货", "douyin": "待发货"},
    "unpaid": {
        "taobao": "等待买家付款",
        "jd": "等待付款",
        "pinduoduo": "待支付",
        "douyin": "待支付",
    },
    "cancelled": {"taobao": "交易关闭", "jd": "已取消", "pinduoduo": "已取消", "douyin": "已取消"},
    "shipped": {
        "taobao": "卖家已发货，等待买家确认收货",
        "jd": "等待确认收货",
        "pinduoduo": "已发货，待收货",
        "douyin": "已发货",
    },
}
LINE = st.tuples(st.sampled_from(["1", "2", "two", ""]), st.sampled_from(["", "SKU-1", "SKU-2"]))
ORDER = st.tuples(st.sampled_from(sorted(STATUS)), st.lists(LINE, min_size=1, max_size=3))
PLATFORM = st.sampled_from(["taobao", "jd", "pinduoduo", "douyin"])


def expected(state: str, lines: list[tuple[str, str]]) -> str:
    if state == "shipped":
        return FULFILLED
    if any(not qty.isdigit() for qty, _ in lines):
        return "rejected"
    return "cancelled" if state == "cancelled" else "read"


def write(tmp: Path, platform: str, orders: list[tuple[str, list[tuple[str, str]]]]) -> Path:
    ids = [f"{9000 + n}" for n in range(len(orders))]
    if platform == "taobao":
        head, items = [m.TAOBAO_HEADER], [m.TAOBAO_ITEMS_HEADER]
        for oid, (state, lines) in zip(ids, orders, strict=True):
            word = STATUS[state][platform]
            head.append(m.taobao_order(oid, word, 联系手机=f"1380013{oid}"))
            items += [m.taobao_item(oid, sku, qty, word) for qty, sku in lines]
        m.write_csv(tmp / "orders.csv", head, "gb18030")
        m.write_csv(tmp / "orders_detail.csv", items, "gb18030")
        return tmp / "orders.csv"
    rows: list[list[str]] = []
    for oid, (state, lines) in zip(ids, orders, strict=True):
        word = STATUS[state][platform]
        for i, (qty, sku) in enumerate(lines):
            if platform == "jd":
                rows.append(m.jd_row(oid, sku, word, 订购数量=qty))
            elif platform == "douyin":
                rows.append(m.douyin_row(oid, f"{oid}{i}", sku, word, 商品数量=qty))
            elif i == 0:  # Pinduoduo: one row per order
                rows.append(m.pdd_row(oid, sku, word, **{"商品数量(件)": qty}))
    header = {"jd": m.JD_HEADER, "douyin": m.DOUYIN_HEADER, "pinduoduo": m.PDD_HEADER}[platform]
    if platform == "jd":
        m.write_xlsx(tmp / "orders.xlsx", [header, *rows])
        return tmp / "orders.xlsx"
    m.write_csv(tmp / "orders.csv", [header, *rows], "utf-8-sig")
    return tmp / "orders.csv"


@settings(max_examples=60, deadline=None)
@given(PLATFORM, st.lists(ORDER, min_size=1, max_size=6))
def test_every_order_of_a_platform_export_is_read_or_reported_with_the_reason_that_matters(
    platform: str, orders: list[tuple[str, list[tuple[str, str]]]]
) -> None:
    if platform == "pinduoduo":
        orders = [(state, lines[:1]) for state, lines in orders]
    got: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = write(Path(tmp), platform, orders)
        with open_source(path, None, local=ZoneInfo("Asia/Shanghai")) as src:
            assert src.format == platform
            for item in src.items:
                if isinstance(item, OrderRecord):
                    got[item.external_id] = "cancelled" if item.cancelled else "read"
                elif item.kind == ProblemKind.REJECTED:
                    assert item.reason
                    got[item.order] = "rejected"
                elif item.kind == ProblemKind.SKIPPED:
                    got[item.order] = item.template
    assert got == {f"{9000 + n}": expected(s, lines) for n, (s, lines) in enumerate(orders)}
