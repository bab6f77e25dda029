"""The pack station's frozen views: ``PackView`` (the whole station state) and ``ScanOutcome``
(what one action did, with an English message template and its values for the screen to
translate). Imported from ``app.services.packing``."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


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
    #: a pickup order's parcel: the pickup shelf slot it goes in ("" none)
    pickup_slot: str = ""


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
