"""Delivery tracking (签收): what a carrier's status words mean, and when a parcel needs a look.

The words come from the carriers' own exports and the tracking aggregators' status lists
(快递100's states 在途, 揽收, 疑难, 签收, 退签, 派件, 退回, 转单, 清关, 拒签; 51tracking's
transit, pickup, delivered, undelivered, exception, expired). Carriers and their status files say
the same thing many ways ("已签收", "妥投", "本人签收",
"Delivered", "DELIVERED - front door"). ``read_status`` turns a raw status text into one of
``DeliveryStatus``; ``None`` means the words are not understood (the import reports the row).
Negations and failures are read before the words they contain: "未签收" and "签收失败" are
problems, not deliveries; "退件已签收" is the parcel back at the sender.

An exception a supervisor works (``ExceptionKind``) comes from a status (lost, damaged,
returned to sender, a carrier's problem report), from a delivery reported for a parcel that was
never handed over here, or from silence: a shipped parcel with no new event for N days
(``is_stale``). No database here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class DeliveryStatus(StrEnum):
    """What a tracking event says, in our words."""

    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    AT_PICKUP_POINT = "at_pickup_point"
    DELIVERED = "delivered"
    EXCEPTION = "exception"
    RETURNED_TO_SENDER = "returned_to_sender"
    LOST = "lost"
    DAMAGED = "damaged"


class ExceptionKind(StrEnum):
    """Why a parcel is on the supervisor's delivery exceptions queue."""

    LOST = "lost"
    DAMAGED = "damaged"
    RETURNED_TO_SENDER = "returned_to_sender"
    #: the carrier reported a problem (疑难件, 问题件, a failed delivery)
    PROBLEM = "problem"
    #: no new event for N days after it was shipped
    NO_SCAN = "no_scan"
    #: the carrier says delivered, but the parcel was never handed over here (交接 missed)
    NOT_HANDED_OVER = "not_handed_over"


D = DeliveryStatus

#: the exception each status opens (the others open none)
EXCEPTION_OF: dict[DeliveryStatus, ExceptionKind] = {
    D.LOST: ExceptionKind.LOST,
    D.DAMAGED: ExceptionKind.DAMAGED,
    D.RETURNED_TO_SENDER: ExceptionKind.RETURNED_TO_SENDER,
    D.EXCEPTION: ExceptionKind.PROBLEM,
}

#: words, in the order they are tried (the first that the text contains decides). Lower case.
STATUS_PHRASES: tuple[tuple[DeliveryStatus, tuple[str, ...]], ...] = (
    (D.LOST, ("丢失", "遗失", "丢件", "lost")),
    (D.DAMAGED, ("破损", "损坏", "damaged", "damage")),
    (
        D.RETURNED_TO_SENDER,
        (
            "退回",
            "退件",
            "退签",
            "拒收",
            "拒签",
            "退货",
            "返回寄件人",
            "return to sender",
            "returned to sender",
            "returning to sender",
            "returned",
            "refused",
        ),
    ),
    (
        D.EXCEPTION,
        (
            "未签收",
            "签收失败",
            "派送失败",
            "投递失败",
            "派件失败",
            "疑难",
            "问题件",
            "异常",
            "滞留",
            "无法派送",
            "地址错误",
            "超时",
            "扣留",
            "exception",
            "undeliverable",
            "undelivered",
            "expired",
            "not delivered",
            "delivery failed",
            "failed delivery",
            "delivery attempt",
            "attempted",
            "address problem",
            "on hold",
        ),
    ),
    (
        D.DELIVERED,
        (
            "已签收",
            "签收",
            "妥投",
            "投递成功",
            "派送成功",
            "已送达",
            "送达",
            "delivered",
        ),
    ),
    (
        D.AT_PICKUP_POINT,
        (
            "待取件",
            "到达待取",
            "快递柜",
            "驿站",
            "代收点",
            "自提点",
            "丰巢",
            "available for pickup",
            "ready for pickup",
            "pickup point",
            "parcel locker",
        ),
    ),
    (
        D.OUT_FOR_DELIVERY,
        ("派送中", "派件中", "正在派送", "正在派件", "派送", "派件", "out for delivery"),
    ),
    (
        D.IN_TRANSIT,
        (
            "运输中",
            "在途",
            "已揽收",
            "揽收",
            "揽件",
            "已收件",
            "收取快件",
            "到达",
            "发往",
            "离开",
            "转运",
            "中转",
            "转单",
            "清关",
            "已发出",
            "已发货",
            "in transit",
            "picked up",
            "accepted",
            "departed",
            "arrived",
            "processed",
            "shipment received",
            "shipped",
        ),
    ),
)

#: the "no scan for N days" rule: N when the settings say nothing
DEFAULT_STALE_DAYS = 3
#: the settings row that holds N
STALE_DAYS_KEY = "delivery.stale_days"


def read_status(text: str) -> DeliveryStatus | None:
    """Our status for a carrier's raw status text (English or Chinese); None when unknown."""
    t = " ".join(text.strip().lower().replace("_", " ").split())
    if not t:
        return None
    exact = t.replace(" ", "_")
    if exact in DeliveryStatus._value2member_map_:
        return DeliveryStatus(exact)
    for status, words in STATUS_PHRASES:
        if any(w in t for w in words):
            return status
    return None


#: statuses after which no further scan is expected (the no-scan rule and the plug-in polls
#: stop watching the parcel)
FINAL_STATUSES = frozenset({D.DELIVERED, D.RETURNED_TO_SENDER, D.LOST})


def is_final(status: DeliveryStatus) -> bool:
    """A status after which no further scan is expected."""
    return status in FINAL_STATUSES


def is_stale(
    last_event_at: datetime | None, shipped_at: datetime | None, now: datetime, days: int
) -> bool:
    """True when a shipped parcel has had no event for more than ``days`` days: counted from
    its last event, or from when it was shipped when it has none."""
    since = last_event_at or shipped_at
    return since is not None and now - since > timedelta(days=days)


def stale_days(value: object) -> int:
    """N of the no-scan rule from a settings value (a whole number of days, 1 to 60)."""
    try:
        n = int(str(value))
    except (TypeError, ValueError):
        return DEFAULT_STALE_DAYS
    return n if 1 <= n <= 60 else DEFAULT_STALE_DAYS


@dataclass(frozen=True, slots=True)
class Event:
    """One tracking event as a file row or a carrier plug-in gives it."""

    tracking_number: str
    status: DeliveryStatus
    raw_status: str
    at: datetime
    place: str = ""


def all_delivered(parcel_statuses: Iterable[DeliveryStatus | None]) -> bool:
    """Whether every parcel's latest status is delivered (and there is at least one)."""
    seen = list(parcel_statuses)
    return bool(seen) and all(s == D.DELIVERED for s in seen)
