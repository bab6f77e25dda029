"""The pack station's verification rules (pure: no database, no Qt).

A scan of a product ticks units off one of the order's lines: the first line of that product
with units still to verify (and, for a lot-tracked product, in the lot the units were picked
with). It is refused when the product is on no line (a wrong item: the service says whether it
belongs to another order), when every line of it is done or the scan stands for more units than
are left (one too many), or when its lot is not one the units were picked in. ``next_step`` says
what the station waits for, from the rows alone, so a resumed session shows exactly the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# refusals
WRONG_ITEM = "wrong_item"
OTHER_ORDER = "other_order"
OVER_SCAN = "over_scan"
WRONG_LOT = "wrong_lot"
SERIAL_REPEAT = "serial_repeat"
NOT_SERIAL = "not_serial"

# what the station waits for
SCAN_ITEM = "scan_item"
SCAN_SERIAL = "scan_serial"
WEIGH = "weigh"
OVERRIDE = "override"
RETRY = "retry"
DONE = "done"
HELD = "held"


def contents_key(items: Iterable[tuple[int, int]]) -> str:
    """What a parcel holds, as the learned weight expectation groups it: ``pid:qty`` pairs
    (quantities of a product summed) sorted by product id, joined by commas."""
    totals: dict[int, int] = {}
    for pid, qty in items:
        totals[pid] = totals.get(pid, 0) + qty
    return ",".join(f"{pid}:{qty}" for pid, qty in sorted(totals.items()) if qty)


@dataclass(frozen=True)
class LineState:
    """One order line as the station sees it."""

    line_id: int
    product_id: int | None
    qty: int
    verified: int
    #: lot number -> units of the line picked (reserved) in it; empty: no lot to check
    lots: Mapping[str, int] = field(default_factory=dict)
    #: lot number -> units of the line already verified in it
    verified_lots: Mapping[str, int] = field(default_factory=dict)

    @property
    def left(self) -> int:
        return max(self.qty - self.verified, 0)

    def lot_left(self, lot: str) -> int:
        return self.lots.get(lot, 0) - self.verified_lots.get(lot, 0)


@dataclass(frozen=True)
class Match:
    """Where a product scan goes: the line and the lot it is verified in ("" none), or why it
    is refused (``refusal``, with the lots the units were picked in for a wrong lot)."""

    line_id: int | None
    lot: str = ""
    refusal: str = ""
    expected_lots: tuple[str, ...] = ()


def match_scan(lines: Iterable[LineState], product_id: int, units: int, lot: str = "") -> Match:
    """The line ``units`` of ``product_id`` (scanned in ``lot``, "" when the scan did not say)
    are verified on, or the refusal."""
    mine = [ln for ln in lines if ln.product_id == product_id]
    if not mine:
        return Match(None, refusal=WRONG_ITEM)
    open_lines = [ln for ln in mine if ln.left >= units]
    if not open_lines:
        return Match(None, refusal=OVER_SCAN)
    for ln in open_lines:
        if not ln.lots:
            return Match(ln.line_id, lot)
        if lot and ln.lot_left(lot) >= units:
            return Match(ln.line_id, lot)
        if not lot:
            best = next((n for n in sorted(ln.lots) if ln.lot_left(n) >= units), "")
            if best:
                return Match(ln.line_id, best)
    if lot:
        expected = sorted({n for ln in open_lines for n in ln.lots if ln.lot_left(n) > 0})
        return Match(None, refusal=WRONG_LOT, expected_lots=tuple(expected))
    return Match(open_lines[0].line_id, "")


@dataclass(frozen=True)
class StationState:
    """What ``next_step`` looks at."""

    session_open: bool
    held: bool
    serial_pending: bool
    weight_stopped: bool
    all_verified: bool
    #: parcels closed (weighed) but without their number and label yet
    unlabelled_closed: int
    #: units in the current (open) parcel
    current_items: int
    needs_weight: bool


def next_step(st: StationState) -> str:
    if st.held:
        return HELD
    if not st.session_open:
        return DONE
    if st.serial_pending:
        return SCAN_SERIAL
    if st.weight_stopped:
        return OVERRIDE
    if st.all_verified:
        if st.current_items and st.needs_weight:
            return WEIGH
        return RETRY
    return SCAN_ITEM


#: what the station says after each action (English templates, translated on screen; the
#: values are in ``ScanOutcome.params``): what happened and what to do next
PACK_MESSAGES: dict[str, str] = {
    "verified": "{sku} verified ({done} of {qty}). Scan the next item.",
    "verified_last": "All items verified. Put the parcel on the scale.",
    "verified_done": "All items verified.",
    "serial_wanted": "{sku} needs its serial number: scan the serial on the unit.",
    "serial_ok": "Serial {serial} of {sku} recorded. Scan the next item.",
    "package": "Package {code} chosen for parcel {seq}.",
    "pool_low": "Only {left} tracking numbers are left for {carrier}: load more soon.",
    "no_package": "No package fits these items: choose one by scanning its barcode.",
    "wrong_item": "{sku} is not in order {order}. Put it aside and scan an item of this order.",
    "other_order": (
        "{sku} belongs to order {other}, not to order {order}. Put it back with order {other} "
        "and scan an item of this order."
    ),
    "unknown": "{code} is not a product here. Put it aside and scan an item of this order.",
    "over_scan": (
        "One too many: order {order} needs {qty} of {sku} and all are verified. "
        "Put the extra unit aside."
    ),
    "over_scan_pack": (
        "This barcode stands for {units} units of {sku} but only {left} are still to verify. "
        "Scan the single units instead."
    ),
    "wrong_lot": (
        "{sku} of lot {lot} was scanned, but the units picked for this order are of lot "
        "{expected}. Put it aside and take the unit of lot {expected}."
    ),
    "serial_repeat": (
        "Serial {serial} of {sku} was already packed for order {other}. A serial ships once: "
        "check the unit and scan its serial again."
    ),
    "not_serial": (
        "That is the barcode of {sku}, not its serial number. Scan the serial number on the unit."
    ),
    "serial_first": "Scan the serial number of {sku} first.",
    "not_open": "This order is no longer open here. Scan the next tote, order or pick list.",
    "another_order": (
        "Order {order} is open at this station. Finish it, or release it, before scanning "
        "order {other}."
    ),
    "no_items": "Parcel {seq} is empty. Scan its items first.",
    "no_weight": "Put parcel {seq} on the scale first: its weight goes with it.",
    "weight_stopped": (
        "The weight is wrong: {actual} g, expected {low}-{high} g. No label was printed. "
        "Repack and weigh again, or a supervisor scans their badge to accept it."
    ),
    "weighed": "{actual} g taken for parcel {seq}. Scan the rest of the items.",
    "weighed_early": "Scan the items into parcel {seq} before weighing it.",
    "next_parcel": "Parcel {seq} closed. Scan the items for parcel {next}.",
    "next_parcel_unlabelled": (
        "Parcel {seq} closed without a label: {reason} Scan the items for parcel {next}."
    ),
    "packed": (
        "Order {order} packed: label {tracking} sent to the printer. Scan the next tote or order."
    ),
    "parcels_declared": (
        "Order {order} goes in {count} parcels: each label says its number of {count}."
    ),
    "parcels_too_few": (
        "Order {order} already has {started} parcels: scan a parcel count of at least {started}."
    ),
    "parcels_last": (
        "Parcel {seq} is the last of the {count} declared for order {order}: pack the rest into "
        "it, or scan the right parcel count first."
    ),
    "packed_pickup": (
        "Order {order} packed for pickup: pickup slip sent to the printer. Put it on pickup "
        "shelf slot {slot}."
    ),
    "packed_pickup_no_slot": (
        "Order {order} packed for pickup: pickup slip sent to the printer, but every pickup "
        "shelf slot is taken. Put it aside and ask a supervisor to add slots in the packing "
        "settings."
    ),
    "labelled": "Parcel {seq} labelled ({tracking}).",
    "held": "Order {order} is held by the shipping rules: {reason}. Put it aside for a supervisor.",
    "pool_empty": "{detail}",
    "carrier": "{detail}",
    "no_service": (
        "No carrier was chosen for order {order}: no shipping rule matches and the order has "
        "none. Ask a supervisor to add a rule or set the order's carrier, then scan READ."
    ),
    "full_scan": (
        "Order {order} was not fully scanned ({forced} units ticked off by hand) and the "
        "settings forbid its label. Scan the items, or ask a supervisor."
    ),
    "not_permitted": "{user} may not {action}. Ask a supervisor.",
    "badge_unknown": "The badge {badge} is not a user's badge here. Scan a supervisor's badge.",
    "badge_disabled": "{user}'s account is disabled: their badge cannot accept the weight.",
    "badge_lacks": "{user} ({role}) may not accept a wrong weight. Scan a supervisor's badge.",
    "nothing_to_override": "No weight is waiting for a supervisor here.",
    "overridden": "Weight {actual} g accepted by {supervisor}.",
    "typed_not_allowed": (
        "Typed weights are not allowed here. Put the parcel on the scale, or ask a supervisor "
        "to allow typed weights in the packing settings."
    ),
    "bad_weight": "The weight must be more than 0 g, not {actual} g. Weigh the parcel again.",
    "forced": "{units} of {sku} ticked off by hand.",
    "force_too_many": "Only {left} of {sku} are still to verify, not {units}.",
    "partial_nothing": "Nothing is verified yet: scan the items to ship before SHIP PARTIAL.",
    "partial": (
        "Shipping what was scanned: {units} units went to {outcome} as order {new}. "
        "Put the parcel on the scale."
    ),
    "read_weight": "Reading the scale.",
    "retry": "Trying again to get the label.",
    "nothing_to_retry": "Nothing is waiting for a label.",
    "release_labelled": (
        "Parcel {seq} of order {order} is labelled ({tracking}): void it first, then release "
        "the order."
    ),
}
