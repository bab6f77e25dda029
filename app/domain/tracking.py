"""Tracking numbers: which carrier format a number has and whether its check digit is right.

Formats with a published check-digit rule: UPU S10 (two letters, 8 digits, a check digit, a
country code: weights 8 6 4 2 3 5 9 7, mod 11), UPS 1Z (mod 10), FedEx 12-digit, USPS IMpb
(mod 10), DHL Express (mod 7). Other carriers' numbers are checked by their format.

FOUNDATION STUB: ``check_tracking_number`` only checks the characters until the tracking
helper's work is merged. Its signature and ``TrackingCheck`` are fixed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: the ``format`` of a number no known rule recognises
UNKNOWN = "unknown"

_PLAIN = re.compile(r"^[0-9A-Z]{8,40}$")


@dataclass(frozen=True, slots=True)
class TrackingCheck:
    """What ``packdesk tracking check`` prints per number (keys are a contract)."""

    number: str
    valid: bool
    #: "UPU S10", "UPS 1Z", "FedEx 12", "USPS IMpb", "DHL Express", ... or "unknown"
    format: str
    #: why it is not valid ("" when valid)
    reason: str = ""


def normalise(number: str) -> str:
    """The number as carriers print it: upper case, no spaces or dashes."""
    return re.sub(r"[\s-]", "", number).upper()


def check_tracking_number(number: str, carrier_format: str = "") -> TrackingCheck:
    """Recognise and check one number. ``carrier_format``, when given, is the format the
    carrier's numbers must have (a number of another format is refused)."""
    n = normalise(number)
    if _PLAIN.match(n):
        return TrackingCheck(n, True, UNKNOWN)
    return TrackingCheck(n, False, UNKNOWN, "not 8 to 40 letters and digits")
