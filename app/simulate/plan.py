"""What the seed decides, and what the run counts.

Every refusal and exception of a shift is planned here before it happens: an order's plan
says which of its scans are wrong on purpose (and how) and whether its parcel is put on the
scale at a wrong weight. The station checks each answer against the plan; anything else stops
the run (``SimulationFailed``).
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from app.domain.errors import PackdeskError

#: shares of orders with a planned mistake
WRONG_ITEM_SHARE = 0.04  #: a product of the shop that is not in the order
UNKNOWN_CODE_SHARE = 0.03  #: a code that is no product here
WEIGHT_SHARE = 0.04  #: a parcel put on the scale at a wrong weight

#: a person's time between two scans at a pick cart or a pack bench (seconds): pick up the
#: item, scan it, put it down; ``--pace-ms 200`` is that at 10 times human speed
HUMAN_SCAN_S = 2.0

#: the refusals each planned mistake may get
WRONG_ITEM_REFUSALS = frozenset({"wrong_item", "other_order"})
UNKNOWN_REFUSALS = frozenset({"unknown"})


class SimulationFailed(PackdeskError):
    template = "The simulation stopped: {what}"


@dataclass(frozen=True)
class SimConfig:
    """The command line's choices."""

    orders: int = 30
    seed: int = 1
    stations: int = 1
    pick: bool = False
    printer: str = ""  #: tcp://HOST:PORT of a real ZPL printer, else the emulator
    db_url: str = ""
    progress: bool = True
    #: a deliberate unexpected error at this order (tests prove it fails the run)
    fail_at: int = 0
    #: the pause before each scan and each button press, in ms (0: none; a person's time
    #: divided by the speed-up, see ``HUMAN_SCAN_S``)
    pace_ms: int = 0
    #: how much each pause varies around ``pace_ms`` (0 to 1; ``app.simulate.pace``)
    pace_jitter: float = 0.0
    #: stop the stations after this many minutes of packing (0: when every order is packed);
    #: each station finishes the order or batch in hand first
    minutes: float = 0.0
    #: with --pick: the most orders in a wave (0: the cart decides, 12 totes)
    wave_orders: int = 0


@dataclass(frozen=True)
class OrderPlan:
    """What happens at the pack bench for one order."""

    number: str
    #: scan index (before the n-th unit) -> "wrong_item" | "unknown"
    mistakes: tuple[tuple[int, str], ...] = ()
    wrong_weight: bool = False


def plan_order(seed: int, number: str, units: int) -> OrderPlan:
    """The order's planned mistakes, the same for the same seed and order wherever it is
    packed (any station, any process)."""
    rng = random.Random(f"{seed}:{number}")
    mistakes: list[tuple[int, str]] = []
    if rng.random() < WRONG_ITEM_SHARE:
        mistakes.append((rng.randrange(units), "wrong_item"))
    if rng.random() < UNKNOWN_CODE_SHARE:
        mistakes.append((rng.randrange(units), "unknown"))
    return OrderPlan(number, tuple(mistakes), rng.random() < WEIGHT_SHARE)


#: the tally's plain counters
COUNTS = (
    "orders_packed", "parcels", "labels_printed", "slips_printed", "scans", "scans_refused",
    "scans_refused_planned", "scale_readings", "claims_lost", "pick_scans", "batches_picked",
    "claims", "refused_without_reason",
)  # fmt: skip


@dataclass
class Tally:
    """What a station (or the whole shift) did and how long the app took."""

    orders_packed: int = 0
    parcels: int = 0
    labels_printed: int = 0
    slips_printed: int = 0
    scans: int = 0
    scans_refused: int = 0
    scans_refused_planned: int = 0
    scale_readings: int = 0
    claims_lost: int = 0
    pick_scans: int = 0
    batches_picked: int = 0
    #: Get work presses that handed over a batch, and their wall times (ms)
    claims: int = 0
    #: refused scans whose answer gave no reason (must stay 0)
    refused_without_reason: int = 0
    exceptions: Counter[str] = field(default_factory=Counter)
    non_scan: Counter[str] = field(default_factory=Counter)
    app_s: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    device_s: float = 0.0
    scan_ms: list[float] = field(default_factory=list)
    #: the same timings by where the scan was made: ``pick``, ``pack`` or ``ship``
    scan_ms_by_kind: defaultdict[str, list[float]] = field(
        default_factory=lambda: defaultdict(list)
    )
    #: and by what was scanned there, ``kind:step`` (``pick:put``, ``pack:badge``...)
    scan_ms_by_step: defaultdict[str, list[float]] = field(
        default_factory=lambda: defaultdict(list)
    )
    #: the station's own CPU time for each of those scans (its thread's, ms), by ``kind:step``:
    #: the rest of a scan's time is waiting (for the database's answer, or for a core)
    scan_cpu_ms_by_step: defaultdict[str, list[float]] = field(
        default_factory=lambda: defaultdict(list)
    )
    packed_orders: list[str] = field(default_factory=list)
    claim_ms: list[float] = field(default_factory=list)
    #: the batch of each claim (a batch claimed twice is a duplicate claim)
    claimed_batches: list[int] = field(default_factory=list)

    def timed_scan(
        self, kind: str, seconds: float, step: str = "", cpu_seconds: float | None = None
    ) -> None:
        """A scan's time from the scanner to the commit, as made at ``kind``'s bench, of what
        (``step``: a location, an item, the tote a pick is put in, a badge...), and the CPU
        time the station's thread spent on it."""
        key = f"{kind}:{step or 'scan'}"
        self.scan_ms.append(seconds * 1000)
        self.scan_ms_by_kind[kind].append(seconds * 1000)
        self.scan_ms_by_step[key].append(seconds * 1000)
        if cpu_seconds is not None:
            self.scan_cpu_ms_by_step[key].append(cpu_seconds * 1000)

    def merge(self, other: Tally) -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.exceptions.update(other.exceptions)
        self.non_scan.update(other.non_scan)
        for step, seconds in other.app_s.items():
            self.app_s[step] += seconds
        self.device_s += other.device_s
        self.scan_ms.extend(other.scan_ms)
        for kind, values in other.scan_ms_by_kind.items():
            self.scan_ms_by_kind[kind].extend(values)
        for step, values in other.scan_ms_by_step.items():
            self.scan_ms_by_step[step].extend(values)
        for step, values in other.scan_cpu_ms_by_step.items():
            self.scan_cpu_ms_by_step[step].extend(values)
        self.packed_orders.extend(other.packed_orders)
        self.claim_ms.extend(other.claim_ms)
        self.claimed_batches.extend(other.claimed_batches)

    def as_json(self) -> dict[str, Any]:
        return {
            **{name: getattr(self, name) for name in COUNTS},
            "exceptions": dict(self.exceptions),
            "non_scan": dict(self.non_scan),
            "app_s": dict(self.app_s),
            "device_s": self.device_s,
            "scan_ms": self.scan_ms,
            "scan_ms_by_kind": dict(self.scan_ms_by_kind),
            "scan_ms_by_step": dict(self.scan_ms_by_step),
            "scan_cpu_ms_by_step": dict(self.scan_cpu_ms_by_step),
            "packed_orders": self.packed_orders,
            "claim_ms": self.claim_ms,
            "claimed_batches": self.claimed_batches,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Tally:
        t = cls()
        for name in COUNTS:
            setattr(t, name, int(data[name]))
        t.exceptions = Counter(data["exceptions"])
        t.non_scan = Counter(data["non_scan"])
        t.app_s = defaultdict(float, {k: float(v) for k, v in data["app_s"].items()})
        t.device_s = float(data["device_s"])
        t.scan_ms = [float(x) for x in data["scan_ms"]]
        for kind, values in data.get("scan_ms_by_kind", {}).items():
            t.scan_ms_by_kind[kind] = [float(x) for x in values]
        for step, values in data.get("scan_ms_by_step", {}).items():
            t.scan_ms_by_step[step] = [float(x) for x in values]
        for step, values in data.get("scan_cpu_ms_by_step", {}).items():
            t.scan_cpu_ms_by_step[step] = [float(x) for x in values]
        t.packed_orders = [str(x) for x in data["packed_orders"]]
        t.claim_ms = [float(x) for x in data["claim_ms"]]
        t.claimed_batches = [int(x) for x in data["claimed_batches"]]
        return t
