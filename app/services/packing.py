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

from app.services.pack_dto import (
    NextStep,
    PackLineView,
    PackView,
    ParcelView,
    ScanOutcome,
    SuggestedPackage,
    Warning,
    WeightVerdict,
)
from app.services.pack_finish import finish_now
from app.services.pack_open import open_for_packing, pack_view, release, resume
from app.services.pack_scan import force_verify, scan
from app.services.pack_weigh import override_weight, weigh

__all__ = [
    "NextStep",
    "PackLineView",
    "PackView",
    "ParcelView",
    "ScanOutcome",
    "SuggestedPackage",
    "Warning",
    "WeightVerdict",
    "finish_now",
    "force_verify",
    "open_for_packing",
    "override_weight",
    "pack_view",
    "release",
    "resume",
    "scan",
    "weigh",
]
