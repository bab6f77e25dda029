"""What WooCommerce's layouts share: what an order status means for the warehouse, how the
payment and shipping methods are written so cash on delivery and pickup are recognised.

WooCommerce's own statuses (woocommerce.github.io/woocommerce-rest-api-docs, "Order
properties": pending, processing, on-hold, completed, cancelled, refunded, failed, trash; plus
checkout-draft) as the REST API writes them, and their display names as export plug-ins write
them ("Processing", "On hold", "Pending payment"...; in a Chinese shop "处理中", "保留"...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.domain.payments import COD_METHODS, PICKUP_PATTERNS, matches_any


@dataclass(frozen=True, slots=True)
class Status:
    """What an order status means here."""

    #: the OrderRecord's payment_status
    payment: str
    #: cancelled in the channel before it was fulfilled
    cancelled: bool = False
    #: already fulfilled in the channel: skipped
    fulfilled: bool = False


_PENDING = Status("pending")
#: status slug -> meaning. processing: paid, to ship; pending/on-hold: not paid yet (on-hold is
#: "awaiting payment" for bank transfers and cheques); completed: shipped already; cancelled and
#: failed: will not ship; refunded: money given back.
STATUSES: dict[str, Status] = {
    "processing": Status("paid"),
    "completed": Status("paid", fulfilled=True),
    "pending": _PENDING,
    "on-hold": _PENDING,
    "checkout-draft": _PENDING,
    "cancelled": Status("pending", cancelled=True),
    "failed": Status("pending", cancelled=True),
    "trash": Status("pending", cancelled=True),
    "refunded": Status("refunded"),
}

#: display names (English, and WooCommerce's Simplified Chinese) -> slug
_NAMES = {
    "pending payment": "pending",
    "on hold": "on-hold",
    "draft": "checkout-draft",
    "等待付款": "pending",
    "待付款": "pending",
    "处理中": "processing",
    "保留": "on-hold",
    "已完成": "completed",
    "已取消": "cancelled",
    "已退款": "refunded",
    "失败": "failed",
    "草稿": "checkout-draft",
}


def status_slug(text: str) -> str:
    """'Processing', 'wc-processing', 'On hold', '处理中' -> 'processing', 'on-hold'..."""
    t = text.strip().lower().removeprefix("wc-")
    return _NAMES.get(t, t)


def status_of(text: str) -> Status:
    """The meaning of a status; an unknown one (a plug-in's own) is read as not paid yet, so
    the order is held for a reviewer with the channel's word."""
    return STATUSES.get(status_slug(text), _PENDING)


#: the payment gateway id of WooCommerce's "Cash on delivery"
COD_GATEWAY = "cod"
#: the shipping method ids of WooCommerce's pickup methods (classic and block checkout)
PICKUP_METHODS = ("local_pickup", "pickup_location")


def is_cod(method_id: str, title: str) -> bool:
    return method_id.strip().lower() == COD_GATEWAY or matches_any(title, COD_METHODS)


def payment_text(method_id: str, title: str) -> str:
    """The payment method as kept on the order: the title the customer saw, with the gateway
    id when the title alone would not be recognised as cash on delivery ('Pay the courier
    (cod)')."""
    title, method_id = title.strip(), method_id.strip()
    if not title:
        return method_id
    if method_id.lower() == COD_GATEWAY and not matches_any(title, COD_METHODS):
        return f"{title} ({method_id})"
    return title


def shipping_text(methods: list[tuple[str, str]]) -> str:
    """Shipping methods [(id, title)] as one text; a pickup method whose title does not say
    so ('到店取货') gets '(local pickup)' so the pickup rules recognise it."""
    parts: list[str] = []
    for method_id, title in methods:
        title = title.strip()
        base = re.split(r"[:\s]", method_id.strip().lower(), maxsplit=1)[0]
        if base in PICKUP_METHODS and not matches_any(title, PICKUP_PATTERNS):
            title = f"{title} (local pickup)" if title else "Local pickup"
        if title and title not in parts:
            parts.append(title)
    return "; ".join(parts)


_CJK = re.compile(r"[\u3400-\u9fff]")


def full_name(first: str, last: str) -> str:
    """'Lucía' 'García' -> 'Lucía García'; Chinese names family name first: '丽' '王' -> '王丽'."""
    first, last = first.strip(), last.strip()
    if _CJK.search(first) and _CJK.search(last):
        return last + first
    return " ".join(p for p in (first, last) if p)
