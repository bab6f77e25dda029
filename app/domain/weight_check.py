"""The weight gate: what a parcel should weigh, and whether the scale agrees.

**From the catalogue.** The expected weight is the items plus the carton's tare, within a
tolerance: a percentage of the expected weight, but never less than an absolute floor (both from
the packing settings). 5 % and 20 g: a 300 g parcel may weigh 280 to 320 g, a 2 kg one 1,900 to
2,100 g.

**Learned from history.** Once at least ``LEARN_AFTER`` (3) earlier parcels had the same contents
and carton, their mean and spread are a second expectation: mean +/- 2 sample standard
deviations. A parcel is flagged only when it is outside BOTH bands; inside either one, it passes.

Why both: the catalogue weight is often wrong (a supplier's figure, a product without its
packaging) while the parcels themselves weigh the same every time. Example: the catalogue says a
mug weighs 300 g, the carton's tare is 150 g, so 450 g is expected and 428 to 472 g passes. The
mug really weighs 380 g: the first parcels weigh 530 g, are stopped, and a supervisor overrides
them. Once three of them are on record (530, 532, 528 g: mean 530, sd 2 g, floored to 5.3 g,
band 519 to 541 g), the next 531 g parcel passes on its history, without a supervisor. A parcel
missing its mug (150 g) is outside both and stopped. The price of the rule: a parcel inside the
catalogue band still passes even when the history says otherwise (the bands are a union); fix
the catalogue weight and both agree again.

**The spread's floor.** Identical history (sd 0) would make the learned band a single gram:
the standard deviation is taken as at least 1 % of the mean and at least the scale's resolution
(``resolution_g``, 1 g unless told), so 2 sd is never narrower than the scale can tell.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

LEARN_AFTER = 3
#: the learned band is the mean +/- this many standard deviations
SPREAD_SDS = 2.0
#: the standard deviation is at least this share of the mean
SD_FLOOR_SHARE = 0.01


@dataclass(frozen=True, slots=True)
class Tolerance:
    pct: float = 5.0
    floor_g: int = 20

    def allowed(self, expected_g: int) -> int:
        return max(self.floor_g, round(expected_g * self.pct / 100))


@dataclass(frozen=True, slots=True)
class Expectation:
    """``low_g``..``high_g`` spans everything that passes (the union of the two bands); when the
    two bands do not touch, a weight between them does not pass: ask ``judge``."""

    expected_g: int
    low_g: int
    high_g: int
    #: earlier parcels of the same contents and carton it learned from (0: none)
    history_n: int = 0
    mean_g: float | None = None
    sd_g: float | None = None
    #: the catalogue band (items plus tare, within the tolerance)
    band_low_g: int = 0
    band_high_g: int = 0
    #: the learned band (mean +/- 2 sd), when there is enough history
    learned_low_g: int | None = None
    learned_high_g: int | None = None

    @property
    def learned(self) -> bool:
        return self.learned_low_g is not None

    def bands(self) -> list[tuple[int, int]]:
        out = [(self.band_low_g, self.band_high_g)]
        if self.learned_low_g is not None and self.learned_high_g is not None:
            out.append((self.learned_low_g, self.learned_high_g))
        return out


@dataclass(frozen=True, slots=True)
class Verdict:
    ok: bool
    expected: Expectation
    actual_g: int
    #: "" | under | over
    direction: str = ""


def contents_key(pairs: Iterable[tuple[int, int]]) -> str:
    """What a parcel holds, as text to group parcels by: ``product_id:qty`` pairs sorted by
    product and joined by commas (``"7:2,12:1"``). Units of one product given in several pairs
    (one per scan) are added up; pairs of 0 units or fewer are left out."""
    total: Counter[int] = Counter()
    for product_id, qty in pairs:
        total[product_id] += qty
    return ",".join(f"{pid}:{qty}" for pid, qty in sorted(total.items()) if qty > 0)


def expectation(
    items_g: int,
    tare_g: int,
    tolerance: Tolerance,
    history_g: Sequence[int] = (),
    *,
    resolution_g: int = 1,
) -> Expectation:
    """The expectation from the catalogue (items plus tare within the tolerance) and, with at
    least ``LEARN_AFTER`` earlier weights of the same contents and carton, from their history."""
    expected = items_g + tare_g
    allowed = tolerance.allowed(expected)
    low, high = expected - allowed, expected + allowed
    if len(history_g) < LEARN_AFTER:
        return Expectation(expected, low, high, band_low_g=low, band_high_g=high)
    mean = statistics.fmean(history_g)
    sd = max(statistics.stdev(history_g), mean * SD_FLOOR_SHARE, float(resolution_g))
    learned_low = math.floor(mean - SPREAD_SDS * sd)
    learned_high = math.ceil(mean + SPREAD_SDS * sd)
    return Expectation(
        expected,
        min(low, learned_low),
        max(high, learned_high),
        len(history_g),
        mean,
        sd,
        low,
        high,
        learned_low,
        learned_high,
    )


def judge(exp: Expectation, actual_g: int) -> Verdict:
    """Pass when the weight is inside either band; otherwise under or over the nearest one."""
    bands = exp.bands() if exp.band_high_g or exp.learned else [(exp.low_g, exp.high_g)]
    if any(low <= actual_g <= high for low, high in bands):
        return Verdict(True, exp, actual_g)
    low, _high = min(bands, key=lambda b: min(abs(actual_g - b[0]), abs(actual_g - b[1])))
    return Verdict(False, exp, actual_g, "under" if actual_g < low else "over")
