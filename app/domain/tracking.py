"""Tracking numbers: which carrier format a number has and whether its check digit is right.

Formats with a published check-digit rule (``CHECKED``):

- ``UPU S10`` (and ``EMS``, the S10 numbers whose service letter is E): two letters, 8 digits,
  a check digit, the issuing country's ISO code. Weights 8 6 4 2 3 5 9 7 over the 8 digits;
  check = 11 - sum % 11, with 10 -> 0 and 11 -> 5 (UPU standard S10).
- ``UPS 1Z``: "1Z", 15 letters and digits, a check character. Letters count as digits the UPS
  way ((letter - "A" + 2) % 10); odd places count once, even places twice; check = (10 - sum %
  10) % 10.
- ``FedEx 12``: 11 digits and a check digit; weights 1 3 7 repeating from the right, sum % 11,
  10 -> 0.
- ``USPS IMpb``: 20-22 or 26 digits (28-34 with the "420" + ZIP routing prefix, which the check
  leaves out); GS1 mod 10 over all but the last digit (weight 3 on the rightmost, then 1, 3...).
- ``DHL Express``: 10 (or 11) digits; the last is the rest of the others divided by 7.

Chinese domestic carriers publish no check digit; their numbers are checked by their shape
(``FORMAT_ONLY``): ``SF`` (SF + 12-13 digits), ``YTO`` (YT + 13 digits), ``ZTO`` (12-15 digits),
``STO`` (12-15 digits), ``Yunda`` (13 or 15 digits), ``JD`` (JD, up to two letters, 11-13
digits). A number of digits only cannot tell ZTO, STO and Yunda apart: it is checked by its shape
only against the carrier's own format (``carrier_format``).

Without ``carrier_format`` the number is recognised: the first format whose rule it passes,
else a format with a distinctive prefix (SF, YT, JD), else (invalid) the checked format whose
shape it has but whose check digit is wrong; a number of no known shape is "unknown" and valid
when it is 8 to 40 letters and digits (it cannot be checked). With ``carrier_format`` only that
format counts, and a number of another known format is refused, naming it.

Reasons are English templates (``TRACKING_MESSAGES``) with values apart, so the screens can
translate them; ``TrackingCheck.reason`` is the filled-in English sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from operator import mul

#: the ``format`` of a number no known rule recognises
UNKNOWN = "unknown"

S10 = "UPU S10"
EMS = "EMS"
UPS = "UPS 1Z"
FEDEX12 = "FedEx 12"
USPS = "USPS IMpb"
DHL = "DHL Express"
SF = "SF"
YTO = "YTO"
ZTO = "ZTO"
STO = "STO"
YUNDA = "Yunda"
JD = "JD"

_PLAIN = re.compile(r"^[0-9A-Z]{8,40}$")

#: why a number is refused (English templates; the values are apart for translation)
TRACKING_MESSAGES = {
    "check_digit": (
        "The check digit of this {format} number should be {expected}, not {found}: "
        "the number is mistyped or damaged. Scan or type it again."
    ),
    "country": (
        "{country} is not a country code: the last two letters of a {format} number name "
        "the country that issued it."
    ),
    "shape": "This is not a {format} number: those have {shape}.",
    "other_format": (
        "This is a {found} number, but the carrier's numbers are {expected}. Load it for "
        "the right carrier."
    ),
    "characters": 'A tracking number has 8 to 40 letters and digits; "{number}" is not one.',
    "unknown_format": (
        "{format} is not a tracking-number format Packdesk knows. Choose one of: {formats}."
    ),
}

#: what each format's numbers look like (a parameter of the "shape" message)
TRACKING_SHAPE_WORDS = {
    S10: "two letters, 8 digits, a check digit and a two-letter country code",
    EMS: "E and a letter, 8 digits, a check digit and a two-letter country code",
    UPS: "1Z and 16 letters and digits",
    FEDEX12: "12 digits",
    USPS: "20 to 22 or 26 digits (30 to 34 with the 420 ZIP prefix)",
    DHL: "10 or 11 digits",
    SF: "SF and 12 or 13 digits",
    YTO: "YT and 13 digits",
    ZTO: "12 to 15 digits",
    STO: "12 to 15 digits",
    YUNDA: "13 or 15 digits",
    JD: "JD, up to two letters and 11 to 13 digits",
}


@dataclass(frozen=True, slots=True)
class TrackingCheck:
    """What ``packdesk tracking check`` prints per number (keys are a contract)."""

    number: str
    valid: bool
    #: "UPU S10", "UPS 1Z", "FedEx 12", "USPS IMpb", "DHL Express", ... or "unknown"
    format: str
    #: why it is not valid ("" when valid)
    reason: str = ""
    #: the English template of ``reason`` and its values, for a translated message
    template: str = ""
    params: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


def normalise(number: str) -> str:
    """The number as carriers print it: upper case, no spaces or dashes."""
    if number.isalnum():
        return number.upper()
    return re.sub(r"[\s-]", "", number).upper()


# --- check digits ------------------------------------------------------------------------------


_S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
#: 11 - S % 11 for each remainder, with 10 -> 0 and 11 -> 5
_S10_DIGIT = tuple(str({10: 0, 11: 5}.get(11 - r, 11 - r)) for r in range(11))


def s10_check_digit(serial: str) -> str:
    """The UPU S10 check digit of 8 serial digits."""
    if len(serial) != 8:
        raise ValueError(f"an S10 serial has 8 digits, not {serial!r}")
    total: int = sum(map(mul, map(int, serial), _S10_WEIGHTS))
    return _S10_DIGIT[total % 11]


def ups_check_digit(data: str) -> str:
    """The UPS 1Z check character of the 15 letters and digits after "1Z"."""
    values = [int(c) if c.isdigit() else (ord(c) - ord("A") + 2) % 10 for c in data]
    total = sum(v * (2 if i % 2 else 1) for i, v in enumerate(values))
    return str((10 - total % 10) % 10)


def fedex12_check_digit(data: str) -> str:
    """The FedEx 12-digit check digit of 11 digits (weights 1 3 7 from the right, mod 11)."""
    weights = (1, 3, 7)
    total = sum(int(d) * weights[i % 3] for i, d in enumerate(reversed(data)))
    return str(total % 11 % 10)


def gs1_check_digit(data: str) -> str:
    """The GS1 mod 10 check digit (weight 3 on the rightmost digit, then 1, 3...)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(data)))
    return str((10 - total % 10) % 10)


def dhl_check_digit(data: str) -> str:
    """The DHL Express check digit: the digits before it, mod 7."""
    return str(int(data) % 7)


@lru_cache(maxsize=1)
def _countries() -> frozenset[str]:
    from babel import Locale

    known = Locale("en").territories
    codes = (k for k in known if isinstance(k, str))
    return frozenset(k for k in codes if len(k) == 2 and k.isalpha() and k != "ZZ")


# --- formats -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Format:
    name: str
    pattern: re.Pattern[str]
    #: (data, check character) of a number of this shape; None: checked by its shape only
    split: Callable[[str], tuple[str, str]] | None = None
    check: Callable[[str], str] | None = None
    #: a prefix that names the carrier (recognised without the carrier's format)
    distinctive: bool = False


def _usps_split(n: str) -> tuple[str, str]:
    """The IMpb number without its routing prefix ("420" + a 5- or 9-digit ZIP), which the
    check digit does not cover; of the two readings of a 34-digit number, the one that checks."""
    bodies = [n]
    if n.startswith("420") and len(n) in (30, 34):
        bodies = [b for b in (n[8:], n[12:]) if len(b) in (22, 26)]
    for body in bodies:
        if gs1_check_digit(body[:-1]) == body[-1]:
            break
    else:
        body = bodies[0]
    return body[:-1], body[-1]


_FORMATS = (
    _Format(
        EMS,
        re.compile(r"^E[A-Z]\d{9}[A-Z]{2}$"),
        lambda n: (n[2:10], n[10]),
        s10_check_digit,
        distinctive=True,
    ),
    _Format(
        S10, re.compile(r"^[A-Z]{2}\d{9}[A-Z]{2}$"), lambda n: (n[2:10], n[10]), s10_check_digit
    ),
    _Format(UPS, re.compile(r"^1Z[0-9A-Z]{16}$"), lambda n: (n[2:17], n[17]), ups_check_digit),
    _Format(FEDEX12, re.compile(r"^\d{12}$"), lambda n: (n[:11], n[11]), fedex12_check_digit),
    _Format(
        USPS,
        re.compile(r"^(?:\d{20,22}|\d{26}|420\d{5}(?:\d{4})?(?:\d{22}|\d{26}))$"),
        _usps_split,
        gs1_check_digit,
    ),
    _Format(DHL, re.compile(r"^\d{10,11}$"), lambda n: (n[:-1], n[-1]), dhl_check_digit),
    _Format(SF, re.compile(r"^SF\d{12,13}$"), distinctive=True),
    _Format(YTO, re.compile(r"^YT\d{13}$"), distinctive=True),
    _Format(JD, re.compile(r"^JD[A-Z]{0,2}\d{11,13}$"), distinctive=True),
    _Format(ZTO, re.compile(r"^\d{12,15}$")),
    _Format(STO, re.compile(r"^\d{12,15}$")),
    _Format(YUNDA, re.compile(r"^(?:\d{13}|\d{15})$")),
)
_BY_NAME = {f.name.casefold(): f for f in _FORMATS}

#: every format name, in the order numbers are recognised
FORMATS = tuple(f.name for f in _FORMATS)
#: formats with a published check-digit rule, and those checked by their shape only
CHECKED = tuple(f.name for f in _FORMATS if f.check is not None)
FORMAT_ONLY = tuple(f.name for f in _FORMATS if f.check is None)


def format_named(name: str) -> str | None:
    """The format's canonical name for ``name`` in any case ("ups 1z" -> "UPS 1Z"), or None."""
    f = _BY_NAME.get(name.strip().casefold())
    return f.name if f else None


def _refused(n: str, fmt: str, key: str, **params: object) -> TrackingCheck:
    values = {k: str(v) for k, v in params.items()}
    template = TRACKING_MESSAGES[key]
    return TrackingCheck(n, False, fmt, template.format(**values), template, values)


def _judge(n: str, f: _Format) -> TrackingCheck:
    """``n`` (of ``f``'s shape) checked by ``f``'s rule."""
    if f.split is not None and f.check is not None:
        data, found = f.split(n)
        expected = f.check(data)
        if found != expected:
            return _refused(n, f.name, "check_digit", format=f.name, expected=expected, found=found)
    if f.name in (S10, EMS) and n[-2:] not in _countries():
        return _refused(n, f.name, "country", country=n[-2:], format=f.name)
    return TrackingCheck(n, True, f.name)


def _as_format(n: str, wanted: _Format) -> TrackingCheck:
    if wanted.pattern.match(n):
        return _judge(n, wanted)
    other = _recognise(n)
    if other.format != UNKNOWN and other.valid:
        return _refused(n, other.format, "other_format", found=other.format, expected=wanted.name)
    return _refused(
        n, wanted.name, "shape", format=wanted.name, shape=TRACKING_SHAPE_WORDS[wanted.name]
    )


def _recognise(n: str) -> TrackingCheck:
    failed: TrackingCheck | None = None
    for f in _FORMATS:
        if not f.pattern.match(n):
            continue
        if f.check is None:
            if f.distinctive:
                return TrackingCheck(n, True, f.name)
            continue
        verdict = _judge(n, f)
        if verdict.valid:
            return verdict
        failed = failed or verdict
    if failed is not None:
        return failed
    return TrackingCheck(n, True, UNKNOWN)


def check_tracking_number(number: str, carrier_format: str = "") -> TrackingCheck:
    """Recognise and check one number. ``carrier_format``, when given, is the format the
    carrier's numbers must have (a number of another format is refused)."""
    n = normalise(number)
    if not _PLAIN.match(n):
        return _refused(n, UNKNOWN, "characters", number=n)
    if not carrier_format or carrier_format == UNKNOWN:
        return _recognise(n)
    wanted = _BY_NAME.get(carrier_format.strip().casefold())
    if wanted is None:
        return _refused(
            n, UNKNOWN, "unknown_format", format=carrier_format, formats=", ".join(FORMATS)
        )
    return _as_format(n, wanted)


def with_check_digit(fmt: str, data: str) -> str:
    """The number of ``fmt`` whose data part is ``data``, its check digit computed (S10/EMS:
    ``data`` is the number without it, e.g. "RR12345678CN"). For loading ranges."""
    f = _BY_NAME[fmt.casefold()]
    if f.name in (S10, EMS):
        return data[:10] + s10_check_digit(data[2:10]) + data[10:]
    if f.check is None:
        return data
    return data + f.check(data[2:] if f.name == UPS else data)


#: the format a carrier's numbers have when its code names it (and no format is set)
FORMAT_BY_CARRIER_CODE = {
    "SF": SF,
    "YTO": YTO,
    "ZTO": ZTO,
    "STO": STO,
    "YUNDA": YUNDA,
    "JD": JD,
    "EMS": EMS,
    "CHINAPOST": S10,
    "CNPOST": S10,
    "UPS": UPS,
    "FEDEX": FEDEX12,
    "USPS": USPS,
    "DHL": DHL,
}


def carrier_format(tracking_format: str, carrier_code: str) -> str:
    """The format a carrier's numbers must have: its own setting, else the one its code names
    ("SF", "ZTO", "UPS"...), else "" (any format; numbers are recognised)."""
    return tracking_format or FORMAT_BY_CARRIER_CODE.get(carrier_code.strip().upper(), "")
