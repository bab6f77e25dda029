"""The weight gate: what a parcel should weigh, and whether the scale agrees.

The expected weight is the items plus the carton's tare, within a tolerance (a percentage and
an absolute floor, from settings). Once at least ``LEARN_AFTER`` earlier parcels had the same
contents and carton, their mean and spread become the expectation too: a parcel is flagged only
when it is outside both the tolerance and two standard deviations of that history.

FOUNDATION STUB: only the fixed tolerance until the weighing helper's work is merged.
Signatures are fixed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

LEARN_AFTER = 3


@dataclass(frozen=True, slots=True)
class Tolerance:
    pct: float = 5.0
    floor_g: int = 20

    def allowed(self, expected_g: int) -> int:
        return max(self.floor_g, round(expected_g * self.pct / 100))


@dataclass(frozen=True, slots=True)
class Expectation:
    expected_g: int
    low_g: int
    high_g: int
    #: earlier parcels of the same contents and carton it learned from (0: none)
    history_n: int = 0
    mean_g: float | None = None
    sd_g: float | None = None


@dataclass(frozen=True, slots=True)
class Verdict:
    ok: bool
    expected: Expectation
    actual_g: int
    #: "" | under | over
    direction: str = ""


def expectation(
    items_g: int, tare_g: int, tolerance: Tolerance, history_g: Sequence[int] = ()
) -> Expectation:
    expected = items_g + tare_g
    allowed = tolerance.allowed(expected)
    return Expectation(expected, expected - allowed, expected + allowed)


def judge(exp: Expectation, actual_g: int) -> Verdict:
    if actual_g < exp.low_g:
        return Verdict(False, exp, actual_g, "under")
    if actual_g > exp.high_g:
        return Verdict(False, exp, actual_g, "over")
    return Verdict(True, exp, actual_g)
