"""What the Chinese platforms' order and after-sale status words mean for an order line.

The words are the ones the seller back-ends write in their exports (千牛/淘宝, 京东, 拼多多,
抖店); see docs/import-formats-cn.md. One word is read into one of a few states; an order is
then read from the states of its lines.
"""

from __future__ import annotations

from enum import StrEnum


class LineState(StrEnum):
    UNPAID = "unpaid"
    PAID = "paid"
    PARTLY_SHIPPED = "partly_shipped"
    SHIPPED = "shipped"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"
    #: a word we do not know: imported and held (its payment status is the word itself)
    UNKNOWN = "unknown"


_CANCELLED = ("交易关闭", "已取消", "已关闭", "取消", "订单关闭")
_UNPAID = ("等待买家付款", "待付款", "未付款", "待支付", "等待付款", "未支付")
_PARTLY = ("部分发货",)
_SHIPPED = (
    "已发货",
    "交易成功",
    "已完成",
    "已签收",
    "已收货",
    "待收货",
    "等待确认收货",
    "等待买家确认收货",
)
_PAID = (
    "等待卖家发货",
    "等待发货",
    "待发货",
    "已付款",
    "已支付",
    "等待出库",
    "待出库",
    "待配货",
    "已成团",
    "拼单成功",
    "货到付款",
    "待审核",
)
#: after-sale words that take the line back (the other after-sale words leave it as it is)
_REFUNDED = ("退款成功", "退货退款成功", "已退款", "全额退款")


def line_state(status: str, after_sale: str = "") -> LineState:
    """The state of a line from the platform's status word and its after-sale word."""
    t = status.strip()
    if any(w in after_sale for w in _REFUNDED):
        return LineState.REFUNDED
    if not t:
        return LineState.PAID
    if any(w in t for w in _CANCELLED):
        return LineState.CANCELLED
    if any(w in t for w in _UNPAID):
        return LineState.UNPAID
    if any(w in t for w in _PARTLY):
        return LineState.PARTLY_SHIPPED
    if any(w in t for w in _SHIPPED):
        return LineState.SHIPPED
    if any(w in t for w in _PAID):
        return LineState.PAID
    return LineState.UNKNOWN


#: the states that take a line out of an order that is still shipped
GONE = (LineState.CANCELLED, LineState.REFUNDED)
