"""Returns (售后) without a database: what may come back, what a scan at the returns bench
means, and where the order stands afterwards.

- **What may be returned**: per order line, no more than was shipped minus what already came
  back (in earlier returns and in this one so far).
- **The order afterwards**: when every unit shipped has come back, the order becomes
  ``returned``. A partial return keeps the order's status (``shipped`` or ``delivered``); the
  order is *partly returned*, a flag derived from its finished returns (``partly_returned``),
  and the status history carries a note ("returned 2 of 3 units: wrong size") with the status
  unchanged. A later return of the rest makes it ``returned``.
- **Return label**: ``RT-<order number>`` (Code 128), which a packing slip can carry, finds
  the order as its tracking number or order number would.
- **Bench barcodes**: ``PD-RET-QUARANTINE``, ``PD-RET-WRITE-OFF`` and ``PD-RET-REASON-<code>``
  (printable on the bench card) besides the usual ``PD-CMD-`` commands: CONFIRM finishes the
  return, CANCEL takes back the last unit not yet inspected, QTY-n adds n units with the next
  item scan.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from app.domain.errors import ValidationError
from app.domain.orders import OrderStatus

RETURN_LABEL_PREFIX = "RT-"
BENCH_PREFIX = "PD-RET-"
QUARANTINE_CODE = "PD-RET-QUARANTINE"
WRITE_OFF_CODE = "PD-RET-WRITE-OFF"
REASON_PREFIX = "PD-RET-REASON-"
#: the order statuses a return may be received for
RETURNABLE = frozenset({OrderStatus.SHIPPED.value, OrderStatus.DELIVERED.value})
#: location kind of the warehouse's quarantine (never allocated: not in ALLOCATABLE_KINDS)
QUARANTINE_KIND = "quarantine"


class Disposition(StrEnum):
    RESTOCK = "restock"
    QUARANTINE = "quarantine"
    WRITE_OFF = "write_off"


#: words the screens show for a disposition (collected for translation)
DISPOSITION_WORDS = {
    "restock": "restock",
    "quarantine": "quarantine",
    "write_off": "write off",
    "": "not inspected",
}


def return_label(order_number: str) -> str:
    """The text of an order's return label barcode."""
    return f"{RETURN_LABEL_PREFIX}{order_number}"


def order_number_of_label(text: str) -> str | None:
    """The order number a return label carries, or None when ``text`` is not one."""
    t = text.strip()
    if t.upper().startswith(RETURN_LABEL_PREFIX) and len(t) > len(RETURN_LABEL_PREFIX):
        return t[len(RETURN_LABEL_PREFIX) :]
    return None


class BenchAction(StrEnum):
    QUARANTINE = "quarantine"
    WRITE_OFF = "write_off"
    REASON = "reason"


def bench_code(text: str) -> tuple[BenchAction, str] | None:
    """A returns-bench barcode (``PD-RET-...``): its action and, for a reason, its code."""
    upper = text.strip().upper()
    if upper == QUARANTINE_CODE:
        return BenchAction.QUARANTINE, ""
    if upper == WRITE_OFF_CODE:
        return BenchAction.WRITE_OFF, ""
    if upper.startswith(REASON_PREFIX) and len(upper) > len(REASON_PREFIX):
        return BenchAction.REASON, upper[len(REASON_PREFIX) :]
    return None


def reason_barcode(code: str) -> str:
    return f"{REASON_PREFIX}{code.upper()}"


@dataclass(frozen=True)
class LineBalance:
    """One order line at the returns bench: shipped, and returned so far (finished returns and
    this one)."""

    order_line_id: int
    sku: str
    shipped: int
    returned: int

    @property
    def returnable(self) -> int:
        return max(self.shipped - self.returned, 0)


def check_returnable(line: LineBalance, qty: int) -> None:
    """Refuse a quantity that is not positive or more than may still come back."""
    if qty <= 0:
        raise ValidationError("A return quantity must be at least 1, not {qty}.", qty=qty)
    if qty > line.returnable:
        raise ValidationError(
            "Only {left} of {sku} can come back ({shipped} shipped, {returned} returned "
            "already): check the item and the quantity.",
            left=line.returnable,
            sku=line.sku,
            shipped=line.shipped,
            returned=line.returned,
        )


def check_order_returnable(order: str, status: str) -> None:
    if status == OrderStatus.RETURNED.value:
        raise ValidationError(
            "Everything shipped on order {order} has come back already: nothing more to return.",
            order=order,
        )
    if status not in RETURNABLE:
        raise ValidationError(
            "Order {order} is {status}, not shipped: a return is only for shipped or delivered "
            "orders.",
            order=order,
            status=status,
        )


@dataclass(frozen=True)
class StatusAfter:
    """What finishing a return does to its order."""

    #: ``returned``, or None to keep the status
    target: str | None
    partly_returned: bool
    units_now: int
    returned_total: int
    shipped_total: int


def status_after(
    status: str, shipped_total: int, returned_before: int, units_now: int
) -> StatusAfter:
    """The order's status once a return of ``units_now`` units is finished."""
    total = returned_before + units_now
    full = shipped_total > 0 and total >= shipped_total
    return StatusAfter(
        target=OrderStatus.RETURNED.value if full and status in RETURNABLE else None,
        partly_returned=0 < total < shipped_total,
        units_now=units_now,
        returned_total=total,
        shipped_total=shipped_total,
    )


def partly_returned(status: str, shipped_total: int, returned_total: int) -> bool:
    """The derived flag: some units came back, the order is not ``returned``."""
    return status != OrderStatus.RETURNED.value and 0 < returned_total < max(shipped_total, 1)


def reasons_text(names: Iterable[str]) -> str:
    """The reasons of a return, once each, in the order first met."""
    seen: list[str] = []
    for n in names:
        if n and n not in seen:
            seen.append(n)
    return ", ".join(seen)


class ScanMeaning(StrEnum):
    """What a scan at the returns bench does, given where the clerk is."""

    OPEN = "open"
    ADD_UNIT = "add_unit"
    RESTOCK = "restock"
    QUARANTINE = "quarantine"
    WRITE_OFF = "write_off"
    REASON = "reason"
    FINISH = "finish"
    UNDO = "undo"
    QUANTITY = "quantity"
    REFUSE = "refuse"


def meaning(kind: str, *, has_return: bool, pending: bool) -> ScanMeaning:
    """The meaning of a scan of ``kind`` (product, location, order, tracking, return_label,
    quarantine, write_off, reason, confirm, cancel, quantity, unknown)."""
    if kind in ("order", "tracking", "return_label", "unknown"):
        return ScanMeaning.OPEN
    if kind == "reason":
        return ScanMeaning.REASON
    if not has_return:
        return ScanMeaning.REFUSE
    table = {
        "product": ScanMeaning.ADD_UNIT,
        "quantity": ScanMeaning.QUANTITY,
        "confirm": ScanMeaning.FINISH,
        "cancel": ScanMeaning.UNDO,
    }
    if kind in table:
        return table[kind]
    pending_table = {
        "location": ScanMeaning.RESTOCK,
        "quarantine": ScanMeaning.QUARANTINE,
        "write_off": ScanMeaning.WRITE_OFF,
    }
    if kind in pending_table and pending:
        return pending_table[kind]
    return ScanMeaning.REFUSE


#: what the returns bench says after a scan (English templates; screens translate them)
RETURN_MESSAGES = {
    "opened": "Return {number} for order {order}: scan each item that came back.",
    "added": "{sku} taken back ({reason}): scan the location to restock it, or QUARANTINE or "
    "WRITE OFF.",
    "restocked": "{units} units restocked into {location}.",
    "quarantined": "{units} units put in quarantine ({location}).",
    "written_off": "{units} units written off as damaged.",
    "reason": "Reason: {reason}.",
    "finished": "Return {number} finished: {note}.",
    "undone": "The last unit not inspected was taken back.",
    "quantity": "The next item scan takes back {qty} units.",
    "not_on_order": "{sku} was not shipped on order {order}: check the item.",
    "serial_wanted": "{sku} has serial numbers: scan the serial number on the item.",
    "serial_not_shipped": "Serial {serial} of {sku} was not shipped on order {order}.",
    "scan_order_first": "Scan the parcel's tracking number, the return label or the order "
    "number first.",
    "finish_first": "Return {number} is still open: finish it (CONFIRM) before the next parcel.",
    "item_first": "Scan an item that came back first, then where it goes.",
    "nothing_to_finish": "Nothing to finish: scan the parcel of a return first.",
}


#: the reasons a new database starts with: (code, English, Chinese); the migration writes them,
#: and a database whose list is empty gets them again on first use
DEFAULT_REASONS = (
    ("NOT_WANTED", "no longer wanted", "不想要了"),
    ("WRONG_SIZE", "wrong size", "尺码不合适"),
    ("DEFECTIVE", "defective", "质量问题"),
    ("WRONG_ITEM", "wrong item sent", "发错货"),
    ("DAMAGED", "damaged in transit", "运输破损"),
    ("REFUSED", "refused on delivery", "拒收"),
)

#: the default reasons' English names, as status-history notes carry them (translated on screen)
REASON_WORDS = {
    "no longer wanted": "no longer wanted",
    "wrong size": "wrong size",
    "defective": "defective",
    "wrong item sent": "wrong item sent",
    "damaged in transit": "damaged in transit",
    "refused on delivery": "refused on delivery",
}
