"""The order state machine (docs/architecture.md, "The order's path"): every transition validated,
none silent."""

from __future__ import annotations

from enum import StrEnum

from app.domain.errors import IllegalTransition


class OrderStatus(StrEnum):
    """Where an order is on its path."""

    NEW = "new"
    ON_HOLD = "on_hold"
    RELEASED = "released"
    ALLOCATED = "allocated"
    PICKING = "picking"
    PICKED = "picked"
    PACKING = "packing"
    PACKED = "packed"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    RETURNED = "returned"


S = OrderStatus

#: Legal moves. A reviewer holds an order until picking starts (allocated stock is given back
#: by the service); an order the channel cancels while it is being picked or packed is held too,
#: its reserved and picked stock kept on record until someone puts the items back and cancels it
#: (``STOP_HOLDABLE``). Cancelling is possible until the parcel leaves; a shipped or delivered
#: order can come back as a return. A shop without picking packs straight from ``allocated``
#: (the packer takes the items from their locations); giving up such an order returns it to
#: ``allocated``. A supervisor reopening a closed carrier handover puts its shipped orders back
#: to ``packed`` (when nothing happened to them since). A wave cancelled before anything of it
#: was picked gives its orders back to ``allocated`` (their reservations kept).
TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    S.NEW: frozenset({S.ON_HOLD, S.RELEASED, S.CANCELLED}),
    S.ON_HOLD: frozenset({S.RELEASED, S.CANCELLED}),
    S.RELEASED: frozenset({S.ON_HOLD, S.ALLOCATED, S.CANCELLED}),
    S.ALLOCATED: frozenset({S.ON_HOLD, S.RELEASED, S.PICKING, S.PACKING, S.CANCELLED}),
    S.PICKING: frozenset({S.PICKED, S.ALLOCATED, S.ON_HOLD, S.CANCELLED}),
    S.PICKED: frozenset({S.PACKING, S.ON_HOLD, S.CANCELLED}),
    S.PACKING: frozenset({S.PACKED, S.PICKED, S.ALLOCATED, S.ON_HOLD, S.CANCELLED}),
    S.PACKED: frozenset({S.SHIPPED, S.PACKING, S.ON_HOLD, S.CANCELLED}),
    S.SHIPPED: frozenset({S.DELIVERED, S.RETURNED, S.PACKED}),
    S.DELIVERED: frozenset({S.RETURNED}),
    S.CANCELLED: frozenset(),
    S.RETURNED: frozenset(),
}

#: States in which goods are being picked or packed: only a stop (the channel cancelled the
#: order) holds an order here; a reviewer's hold is refused.
STOP_HOLDABLE = frozenset({S.PICKING, S.PICKED, S.PACKING, S.PACKED})
#: States in which the order still holds no picked goods and may be edited, merged or split.
EDITABLE = frozenset({S.NEW, S.ON_HOLD, S.RELEASED})
FINAL = frozenset({S.CANCELLED, S.RETURNED, S.DELIVERED})


#: payment statuses as the channels give them (Shopify's financial statuses and what the file
#: importers map to), collected for translation: screens show them in their language
PAYMENT_WORDS = {
    "paid": "paid",
    "authorized": "authorized",
    "pending": "pending",
    "unpaid": "unpaid",
    "partially_paid": "partially_paid",
    "refunded": "refunded",
    "partially_refunded": "partially_refunded",
    "voided": "voided",
}


def can_transition(current: OrderStatus, target: OrderStatus) -> bool:
    """True when ``current -> target`` is a legal move."""
    return target in TRANSITIONS[current]


def check_transition(order: str, current: str, target: str) -> OrderStatus:
    """Return the target status, or raise ``IllegalTransition`` naming both states."""
    try:
        cur, tgt = OrderStatus(current), OrderStatus(target)
    except ValueError as exc:
        raise IllegalTransition(order=order, current=current, target=target) from exc
    if not can_transition(cur, tgt):
        raise IllegalTransition(order=order, current=cur.value, target=tgt.value)
    return tgt


#: the notes the system writes in an order's status history, in English as stored; screens find
#: the template a note was made from and show it translated (``ui.words.note_text``), and
#: tools/i18n.py collects them (``*_MESSAGES``). A reviewer's own words are kept as written.
STATUS_NOTE_MESSAGES: dict[str, str] = {
    "imported": "imported from the channel",
    "imported_row": "imported from {file} row {row}",
    "changed_row": "changed in {file} row {row}",
    "created_by_import": "created by an import",
    "updated": "updated from the channel",
    "checks_pass": "checks: all pass",
    "checks_held": "checks: {codes}",
    "checked_again": "checked again",
    "edited": "edited by the reviewer",
    "mapped": "lines mapped to products",
    "checked_pass": "{why}: all checks pass",
    "checked_held": "{why}: {codes}",
    "held_by_checks": "held by the order checks",
    "all_passed": "all checks passed",
    "released_by_reviewer": "released by reviewer",
    "released_after_review": "released after review",
    "cancelled": "cancelled",
    "cancelled_in_channel": "cancelled in the channel; reserved stock given back",
    "cancelled_in_channel_stop": "cancelled in the channel while {stage}: stop and put back",
    "deallocated": "deallocated, {units} units given back",
    "backorder": "backorder",
    "split_lines": "split by lines",
    "split_availability": "split by availability",
    "merged_into": "merged into {number}",
    "merged_holds": "merged orders brought hold reasons",
    "tracking": "tracking {tracking}",
    "delivered": "delivered (签收)",
    "returned": "returned {units} of {shipped} units: {reasons}",
    "handed_over": "handed over to {carrier} on {handover}",
    "handover_reopened": "handover {handover} reopened: {reason}",
    "delivered_at": "delivered (签收) at {time}",
    "collected": "collected by the customer at the pickup counter (slot {slot})",
}


def status_note(key: str, **params: object) -> str:
    """A status-history note from ``STATUS_NOTE_MESSAGES``, in English."""
    return STATUS_NOTE_MESSAGES[key].format(**params)


_TRACKING_PREFIX = STATUS_NOTE_MESSAGES["tracking"].split("{", 1)[0]


def tracking_in_note(note: str) -> str | None:
    """The tracking number a ``status_note("tracking", ...)`` carries, else None."""
    if note.startswith(_TRACKING_PREFIX) and len(note) > len(_TRACKING_PREFIX):
        number = note[len(_TRACKING_PREFIX) :].strip()
        return number if number and " " not in number else None
    return None
