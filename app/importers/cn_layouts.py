"""The column layouts of the Chinese platforms' order exports (Taobao/Tmall, JD, Pinduoduo,
Douyin): which headers hold which field, how a file is recognised, and where Taobao's second
file is. The headers and where they come from: docs/import-formats-cn.md."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from app.importers.tabular import Columns

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
