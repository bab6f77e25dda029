"""The pack station's service API: open an order, scan its items, weigh, finish by itself.

A packer opens an order (``open_for_packing``: a tote, an order number, a pick-list barcode or a
channel order id). Every scan (``pack_scan.scan``, re-exported here) ticks one unit off or is
refused and logged; a stable weight (``pack_weigh.weigh``) inside the expectation finishes the
parcel without a click (``pack_finish``: rules, tracking number, label and slip enqueued, stock
moved out of the tote, the order ``packed``). Everything the station shows is read back from the
rows (``pack_sessions``, ``parcels``, ``pack_items``), so ``resume`` after a crash shows exactly
what was there.

The screen gets frozen views: ``PackView`` (the whole station state) and ``ScanOutcome`` (what
one action did, with an English message template and its values for the screen to translate).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from app.db.uow import UnitOfWork
from app.domain.users import Actor, Permission
from app.services.access import reads, writes

__all__ = [
    "NextStep",
    "PackLineView",
    "PackView",
    "ParcelView",
    "ScanOutcome",
    "SuggestedPackage",
    "Warning",
    "WeightVerdict",
    "force_verify",
    "open_for_packing",
    "override_weight",
    "pack_view",
    "release",
    "resume",
    "scan",
    "weigh",
]


class NextStep:
    """What the station waits for (``PackView.next_step``)."""

    SCAN_ITEM = "scan_item"
    #: a serial-tracked unit was scanned: its serial comes next (``PackView.serial_for``)
    SCAN_SERIAL = "scan_serial"
    #: every unit of the parcel verified: put it on the scale
    WEIGH = "weigh"
    #: the weight was outside the expectation: a supervisor's badge, or repack and weigh again
    OVERRIDE = "override"
    #: the parcel's weight is taken but a number/label could not be had (pool empty, carrier
    #: error): scan READ or the last item again to retry
    RETRY = "retry"
    DONE = "done"
    #: the rules held the order (``PackView.held_reason``)
    HELD = "held"


@dataclass(frozen=True)
class PackLineView:
    line_id: int
    product_id: int | None
    sku: str
    name: str
    qty: int
    verified: int
    #: the lot number the units were picked with ("" none / not lot-tracked)
    lot: str
    image_path: str
    serial_tracked: bool
    serials: tuple[str, ...]
    #: units ticked off by "force verify"
    forced: int

    @property
    def done(self) -> bool:
        return self.verified >= self.qty


@dataclass(frozen=True)
class ParcelView:
    id: int
    seq: int
    #: open | closed | labelled | voided | shipped
    status: str
    package_code: str
    package_name: str
    #: suggested | scanned | rule
    package_source: str
    weight_g: int | None
    expected_g: int | None
    low_g: int | None
    high_g: int | None
    #: earlier parcels of the same contents and carton the expectation learned from
    history_n: int
    carrier: str
    service: str
    tracking_number: str
    master_tracking: str
    sorting_code: str
    label_job_id: int | None
    slip_job_id: int | None
    #: units in it
    items: int
    #: pool | plugin | attached | none (pickup) | "" (not labelled yet)
    label_source: str = ""
    #: scale | typed | override
    weight_source: str = ""


@dataclass(frozen=True)
class SuggestedPackage:
    """The carton suggested for the current parcel's items; ``code`` "" when none fits (then
    ``why`` says so, as a message template with ``params``)."""

    code: str
    name: str
    why: str = ""
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Warning:
    """Something the packer should know (the pool is low...): an English template + values."""

    message: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class WeightVerdict:
    ok: bool
    expected_g: int
    low_g: int
    high_g: int
    actual_g: int
    #: "" | under | over
    direction: str = ""
    history_n: int = 0


@dataclass(frozen=True)
class PackView:
    session_id: int
    order_id: int
    order_number: str
    channel_order_id: str
    channel: str
    #: order | single_unit
    mode: str
    #: open | done | released
    status: str
    pickup: bool
    cod_amount: Decimal | None
    currency: str
    gift: bool
    customer_note: str
    lines: tuple[PackLineView, ...]
    parcels: tuple[ParcelView, ...]
    current_parcel_id: int | None
    suggested_package: SuggestedPackage | None
    #: NextStep.*
    next_step: str
    all_verified: bool
    warnings: tuple[Warning, ...] = ()
    #: the product whose serial is asked for (next_step scan_serial)
    serial_for: str = ""
    serial_for_line_id: int | None = None
    #: why the order is held (next_step held)
    held_reason: str = ""
    #: the order's status now (packing, packed, on_hold...)
    order_status: str = ""
    gift_message: str = ""
    gift_wrap: bool = False

    @property
    def units(self) -> int:
        return sum(line.qty for line in self.lines)

    @property
    def verified(self) -> int:
        return sum(min(line.verified, line.qty) for line in self.lines)

    @property
    def current_parcel(self) -> ParcelView | None:
        return next((p for p in self.parcels if p.id == self.current_parcel_id), None)


@dataclass(frozen=True)
class ScanOutcome:
    """What one action at the station did."""

    ok: bool
    #: verified | serial | serial_wanted | package | next_parcel | weighed | weight_stopped |
    #: overridden | packed | held | refused | command | partial
    kind: str
    #: English template for the screen to translate: what happened and what to do
    message: str
    params: dict[str, Any]
    view: PackView
    #: wrong_item | other_order | over_scan | wrong_lot | serial_repeat | not_serial |
    #: serial_wanted | unknown | invalid | not_permitted | no_items | no_weight | full_scan |
    #: pool_empty | carrier | label | not_open | ""
    refusal: str = ""
    label_job_id: int | None = None
    slip_job_id: int | None = None
    weight_verdict: WeightVerdict | None = None
    #: the tracking number given by this action (when it labelled a parcel)
    tracking_number: str = ""


# --- the API ----------------------------------------------------------------------------------


@writes(Permission.PACK)
def open_for_packing(uow: UnitOfWork, actor: Actor, text: str) -> PackView:
    """Open the order named by ``text`` (tote code, order number, pick-list barcode or channel
    order id) at the actor's station. Re-opening an order this station already has open resumes
    it. Refused (``PackdeskError``) when the order is open at another station (named), on hold
    (with its reasons), cancelled, not yet picked (its status; "being picked in wave W"), or
    already packed (reprint or void). The order goes to ``packing``; audited."""
    from app.services.pack_open import open_order

    return open_order(uow, actor, text)


@reads
def resume(uow: UnitOfWork, actor: Actor) -> PackView | None:
    """The station's open pack session as it was left (items, parcels, weights), or None."""
    from app.services.pack_open import resume_open

    return resume_open(uow, actor)


@reads
def pack_view(uow: UnitOfWork, actor: Actor, session_id: int) -> PackView:
    """The session's view now."""
    from app.services.pack_open import view_of

    return view_of(uow, actor, session_id)


@writes(Permission.PACK)
def release(uow: UnitOfWork, actor: Actor, session_id: int) -> None:
    """Give the order up: the units verified into open parcels are forgotten (they are still in
    the tote: nothing left it), the order goes back to where it was (picked or allocated), the
    session is ``released``; audited. Parcels already labelled stay (void them first)."""
    from app.services.pack_open import release_session

    release_session(uow, actor, session_id)


@writes(Permission.PACK)
def scan(uow: UnitOfWork, actor: Actor, session_id: int, text: str) -> ScanOutcome:
    """One scan at the station: an item (ticks one unit off), a serial, a carton barcode, or a
    command (NEXT PARCEL, READ, SHIP PARTIAL). A refused scan changes nothing but its logged
    ``pack_exceptions`` row. See ``app.services.pack_scan``."""
    from app.services.pack_scan import scan_text

    return scan_text(uow, actor, session_id, text)


@writes(Permission.FORCE_VERIFY)
def force_verify(
    uow: UnitOfWork, actor: Actor, session_id: int, line_id: int, qty: int | None = None
) -> ScanOutcome:
    """Tick ``qty`` (default: all the rest) of a line off without a scan; audited, the rows
    marked ``forced``."""
    from app.services.pack_scan import force_line

    return force_line(uow, actor, session_id, line_id, qty)


@writes(Permission.PACK)
def weigh(
    uow: UnitOfWork, actor: Actor, session_id: int, weight_g: int, source: str = "scale"
) -> ScanOutcome:
    """A stable weight for the current parcel (``source`` scale, or typed when the setting
    allows it: audited). Inside the expectation with every unit verified: the order finishes
    (number, label, slip, packed). Outside: the parcel is stopped (no label, a weight exception,
    ``next_step`` override)."""
    from app.services.pack_weigh import weigh_parcel

    return weigh_parcel(uow, actor, session_id, weight_g, source)


@writes(Permission.PACK)
def override_weight(uow: UnitOfWork, actor: Actor, session_id: int, badge: str) -> ScanOutcome:
    """A supervisor's badge accepts the stopped parcel's weight (the badge's user must be
    active and have OVERRIDE_WEIGHT); audited with both users; then the order finishes."""
    from app.services.pack_weigh import override

    return override(uow, actor, session_id, badge)
