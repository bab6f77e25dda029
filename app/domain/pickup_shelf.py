"""The pickup shelf (自提货架): its slots, written as a list of names and ranges in the packing
settings ("P-01..P-40, Q-1..Q-5, COUNTER"), and the lowest free one for a packed pickup order.

A range keeps its names' shape: ``P-01..P-40`` gives ``P-01, P-02 ... P-40`` (the digits at the
end of both ends count, zero-padded to the first's width; what comes before must be the same).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from app.domain.errors import ValidationError

_TAIL = re.compile(r"^(.*?)(\d+)$")
#: more slots than any shelf has: a typo such as P-1..P-100000 is refused
MAX_SLOTS = 2000


class BadSlots(ValidationError):
    template = (
        "The pickup shelf slots {text} cannot be read: write names and ranges separated by "
        "commas, such as P-01..P-40."
    )


def expand_slots(text: str) -> tuple[str, ...]:
    """Every slot named by ``text``, in the order written, each once."""
    out: list[str] = []
    for part in re.split(r"[,，;\s]+", text.strip()):
        if not part:
            continue
        if ".." not in part:
            out.append(part)
            continue
        first, _, last = part.partition("..")
        a, b = _TAIL.match(first), _TAIL.match(last)
        if a is None or b is None or a.group(1) != b.group(1):
            raise BadSlots(text=part)
        low, high = int(a.group(2)), int(b.group(2))
        if high < low or high - low >= MAX_SLOTS:
            raise BadSlots(text=part)
        width = len(a.group(2))
        out.extend(f"{a.group(1)}{n:0{width}d}" for n in range(low, high + 1))
    if len(out) > MAX_SLOTS:
        raise BadSlots(text=text[:40])
    return tuple(dict.fromkeys(out))


def lowest_free(slots: Iterable[str], taken: Iterable[str]) -> str:
    """The first slot (in the settings' order) no parcel waits in, or "" when all are taken."""
    busy = set(taken)
    return next((slot for slot in slots if slot not in busy), "")


# --- the pickup counter: the customer collects (自提取件) ---------------------------------------


class PickupRefused(ValidationError):
    """A scan at the pickup counter that hands nothing over; the message says why."""


class UnknownPickup(PickupRefused):
    template = (
        "No order has the number {scan}. Scan the barcode on the pickup slip, or type the order "
        "number the customer shows."
    )


class NotAPickup(PickupRefused):
    template = (
        "Order {order} goes by carrier, not to the pickup shelf: hand it over on the Ship screen."
    )


class AlreadyCollected(PickupRefused):
    template = "Order {order} was already collected on {when}: nothing is handed over twice."


class PickupNotReady(PickupRefused):
    template = (
        "Order {order} is {status}, not packed: it is not on the pickup shelf yet. Ask a "
        "supervisor."
    )
