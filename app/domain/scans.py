"""What a scan is: the raw text, its symbology, GS1 data, and what it was recognised as.

Pure rules only (no database, no devices): splitting the AIM symbology identifier, refusing
garbled input, parsing GS1 element strings and Digital Link URIs with ``biip``, the printable
command barcodes, and the patterns for totes and tracking numbers. The lookups in the database
are in ``app.services.scanning.classify``.

Command barcodes have one fixed text form, ``PD-CMD-<WORD>`` (``PD-CMD-QTY-<n>`` for a quantity):
upper-case letters, digits and ``-`` only, so they print as Code 128 *and* Code 39 and survive
scanners that change letter case.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum

from biip import ParseConfig
from biip import parse as biip_parse
from biip.gs1_messages import GS1Message

from app.domain.barcodes import gs1_check_digit, is_valid_gtin
from app.domain.errors import PackdeskError, ValidationError

#: longest scan accepted; 2D codes rarely exceed a few hundred characters
MAX_SCAN_LENGTH = 2000
GS = "\x1d"


class ScanKind(StrEnum):
    LOCATION = "location"
    PRODUCT = "product"
    TOTE = "tote"
    ORDER = "order"
    TRACKING = "tracking"
    BADGE = "badge"
    SSCC = "sscc"
    COMMAND = "command"
    #: read correctly, but it is nothing known here
    UNKNOWN = "unknown"
    #: could not be read as a barcode at all (control characters, broken GS1 data)
    INVALID = "invalid"


class Command(StrEnum):
    CONFIRM = "confirm"
    CANCEL = "cancel"
    QUANTITY = "quantity"
    NEXT = "next"
    REPRINT = "reprint"
    SKIP = "skip"
    SHORT = "short"
    FULL_TOTE = "full_tote"
    #: pack station: close this parcel with its items, carton and weight, start another
    NEXT_PARCEL = "next_parcel"
    #: pack station: take the scale's weight now
    READ_WEIGHT = "read_weight"
    #: pack station: ship what was scanned, the rest goes to the backorder policy
    SHIP_PARTIAL = "ship_partial"
    #: pack station: the order goes in this many parcels (labels print "n/m" from the first)
    PARCELS = "parcels"


class InvalidScan(PackdeskError):
    """The scanner delivered something that is not a readable barcode."""

    template = "This scan could not be read: {detail} Scan the barcode again."


class EmptyScan(InvalidScan):
    template = "The scan was empty. Scan the barcode again."


class ScanTooLong(InvalidScan):
    template = (
        "This scan is {length} characters long, more than any barcode here. Scan the barcode again."
    )


class ScanNotText(InvalidScan):
    template = (
        "The scanner sent bytes that are not text (at position {position}). Check the scanner's "
        "baud rate or keyboard language, then scan again."
    )


class ScanControlCharacter(InvalidScan):
    template = (
        "This scan contains the control character {char} at position {position}: the scanner "
        "may be set up wrongly or its cable is faulty. Scan the barcode again."
    )


class BrokenGs1(InvalidScan):
    template = (
        "This GS1 barcode is damaged or wrongly encoded: {detail} "
        "Scan it again; if it keeps failing, the label must be reprinted."
    )


class AmbiguousBarcode(PackdeskError):
    template = (
        "The barcode {code} belongs to more than one thing here ({what}). "
        "Ask a supervisor to give each one its own barcode."
    )


class UnknownGtin(PackdeskError):
    template = (
        "Unknown product: GTIN {gtin} is not a barcode of any product here. "
        "Put the item aside and tell a supervisor."
    )


# --- command barcodes -----------------------------------------------------------------------

COMMAND_PREFIX = "PD-CMD-"
MAX_COMMAND_QTY = 9999
#: the most parcels a PD-CMD-PARCELS-n barcode declares for one order
MAX_COMMAND_PARCELS = 99
#: the barcode text of each command (data, not words to translate)
_COMMAND_CODES = {
    Command.CONFIRM: "CONFIRM",
    Command.CANCEL: "CANCEL",
    Command.NEXT: "NEXT",
    Command.REPRINT: "REPRINT",
    Command.QUANTITY: "QTY",
    Command.PARCELS: "PARCELS",
    Command.SKIP: "SKIP",
    Command.SHORT: "SHORT",
    Command.FULL_TOTE: "FULLTOTE",
    Command.NEXT_PARCEL: "NEXTPARCEL",
    Command.READ_WEIGHT: "READ",
    Command.SHIP_PARTIAL: "SHIPPARTIAL",
}
_CODE_COMMANDS = {w: c for c, w in _COMMAND_CODES.items()}
#: the commands that carry a number, and its highest value
_MOST = {Command.QUANTITY: MAX_COMMAND_QTY, Command.PARCELS: MAX_COMMAND_PARCELS}


def command_text(command: Command, qty: int | None = None) -> str:
    """The text printed in a command barcode: ``PD-CMD-CONFIRM``, ``PD-CMD-QTY-12``..."""
    word = COMMAND_PREFIX + _COMMAND_CODES[command]
    if command is Command.QUANTITY:
        if qty is None or not 1 <= qty <= MAX_COMMAND_QTY:
            raise ValidationError(
                "A quantity barcode is for 1 to {max_qty} units.", max_qty=MAX_COMMAND_QTY
            )
        return f"{word}-{qty}"
    if command is Command.PARCELS:
        if qty is None or not 1 <= qty <= MAX_COMMAND_PARCELS:
            raise ValidationError(
                "A parcel count barcode is for 1 to {most} parcels.", most=MAX_COMMAND_PARCELS
            )
        return f"{word}-{qty}"
    if qty is not None:
        raise ValidationError("Only the quantity command carries a number.")
    return word


def parse_command(text: str) -> tuple[Command, int | None] | None:
    """The command in a command barcode, or None when ``text`` is not one."""
    upper = text.strip().upper()
    if not upper.startswith(COMMAND_PREFIX):
        return None
    rest = upper[len(COMMAND_PREFIX) :]
    word, _, number = rest.partition("-")
    command = _CODE_COMMANDS.get(word)
    if command is None:
        return None
    if command in _MOST:
        if not (number.isascii() and number.isdigit()) or not 1 <= int(number) <= _MOST[command]:
            return None
        return command, int(number)
    return (command, None) if not number else None


def standard_command_barcodes() -> list[tuple[Command, int | None, str]]:
    """The set printed on a station card: each command, and quantities 1-10, 12, 20, 24, 50."""
    out: list[tuple[Command, int | None, str]] = [
        (c, None, command_text(c))
        for c in (Command.CONFIRM, Command.CANCEL, Command.NEXT, Command.REPRINT)
    ]
    for n in (*range(1, 11), 12, 20, 24, 50):
        out.append((Command.QUANTITY, n, command_text(Command.QUANTITY, n)))
    return out


# --- raw text ---------------------------------------------------------------------------------

_AIM = re.compile(r"^\][A-Za-z][0-9A-Za-z]")
#: AIM identifiers that promise GS1 element strings (GS1-128, GS1 DataMatrix, GS1 QR,
#: GS1 DataBar, GS1 DotCode)
GS1_SYMBOLOGIES = frozenset({"]C1", "]d2", "]Q3", "]e0", "]J1"})


def split_symbology(text: str) -> tuple[str, str]:
    """``"]C1010950..."`` -> ``("]C1", "010950...")``; text without an AIM id is unchanged."""
    if _AIM.match(text):
        return text[:3], text[3:]
    return "", text


def strip_framing(text: str) -> str:
    """Drop the CR/LF/Tab a scanner ends a scan with (a GS inside the data is kept)."""
    return text.rstrip("\r\n\t")


def check_readable(text: str) -> None:
    """Raise InvalidScan for empty, overlong or garbled text. GS (0x1D) is allowed."""
    if not text:
        raise EmptyScan()
    if len(text) > MAX_SCAN_LENGTH:
        raise ScanTooLong(length=len(text))
    for i, ch in enumerate(text):
        if ch == GS:
            continue
        if ch == "\ufffd":
            raise ScanNotText(position=i + 1)
        if unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn"):
            raise ScanControlCharacter(char=f"0x{ord(ch):02X}", position=i + 1)


# --- GS1 ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gs1Data:
    """What a GS1 barcode says: the keys and attributes Packdesk uses, and every AI."""

    gtin: str = ""  #: GTIN as 14 digits
    lot: str = ""  #: AI 10
    expiry: date | None = None  #: AI 17; DD=00 means the last day of the month
    serial: str = ""  #: AI 21
    sscc: str = ""  #: AI 00, 18 digits
    digital_link: str = ""  #: the URI, when it came as a GS1 Digital Link
    elements: tuple[tuple[str, str], ...] = ()  #: (AI, value) in barcode order

    @property
    def gtin13(self) -> str:
        """The EAN-13 form of the GTIN when it has one (GTIN-14 with a leading 0)."""
        return self.gtin[1:] if self.gtin.startswith("0") else ""

    def hri(self) -> str:
        """Human-readable form, ``(01)09506000134352(10)ABC``."""
        return "".join(f"({ai}){value}" for ai, value in self.elements)


_CONFIG = ParseConfig(separator_chars=[GS])
_HRI = re.compile(r"^\(\d{2,4}\)")
_DIGITS = re.compile(r"^\d+$")


def gtin14(code: str) -> str:
    """A GTIN-8/12/13/14 as 14 digits (the GS1 rule: pad with leading zeros)."""
    return code.zfill(14)


def gtin_equivalents(code: str) -> list[str]:
    """Every form of one GTIN a product might be stored under: GTIN-14, EAN-13, UPC-A, EAN-8."""
    g14 = gtin14(code)
    return [g14[-n:] for n in (14, 13, 12, 8) if set(g14[:-n]) <= {"0"}]


def _from_message(message: GS1Message, uri: str = "") -> Gs1Data:
    gtin = lot = serial = sscc = ""
    expiry: date | None = None
    problems: list[str] = []
    elements: list[tuple[str, str]] = []
    for es in message.element_strings:
        ai = es.ai.ai
        elements.append((ai, es.value))
        if ai in ("01", "02"):
            if es.gtin_error or es.gtin is None:
                problems.append(es.gtin_error or f"GTIN {es.value} is not valid.")
            elif not gtin:
                gtin = gtin14(es.value)
        elif ai == "00":
            if es.sscc_error or es.sscc is None:
                problems.append(es.sscc_error or f"SSCC {es.value} is not valid.")
            else:
                sscc = es.value
        elif ai == "10":
            lot = es.value
        elif ai == "17":
            expiry = es.date
        elif ai == "21":
            serial = es.value
    if problems:
        raise BrokenGs1(" ".join(problems))
    return Gs1Data(gtin, lot, expiry, serial, sscc, uri, tuple(elements))


def parse_gs1(text: str, symbology: str = "") -> Gs1Data | None:
    """GS1 data in a scan, None when the scan is not GS1.

    A scan that *claims* to be GS1 (a GS1 symbology id, a GS separator, HRI brackets) but does not
    parse raises BrokenGs1 with biip's reason. Plain digits are GS1 only when they are a valid
    GTIN, SSCC, or a complete element string starting with AI 00/01/02.
    """
    if text.startswith(("http://", "https://", "HTTP://", "HTTPS://")):
        result = biip_parse(text, config=_CONFIG)
        if result.gs1_digital_link_uri is not None:
            return _from_message(result.gs1_digital_link_uri.as_gs1_message(), uri=text)
        return None  # an ordinary web address, not a GS1 Digital Link
    claims_gs1 = symbology in GS1_SYMBOLOGIES or GS in text
    if _HRI.match(text):
        try:
            return _from_message(GS1Message.parse_hri(text))
        except Exception as exc:  # biip raises several types; all mean "not valid HRI"
            raise BrokenGs1(str(exc)) from exc
    if claims_gs1:
        body = text.lstrip(GS)  # a leading FNC1 is sometimes transmitted as GS
        try:
            return _from_message(GS1Message.parse(body, config=_CONFIG))
        except BrokenGs1:
            raise
        except Exception as exc:
            raise BrokenGs1(str(exc)) from exc
    if not _DIGITS.match(text):
        return None
    if len(text) in (8, 12, 13, 14) and is_valid_gtin(text):
        return Gs1Data(gtin=gtin14(text), elements=(("01", gtin14(text)),))
    if len(text) == 18 and gs1_check_digit(text[:-1]) == text[-1]:
        return Gs1Data(sscc=text, elements=(("00", text),))
    if len(text) >= 16 and text[:2] in ("00", "01", "02"):
        try:
            return _from_message(GS1Message.parse(text, config=_CONFIG))
        except Exception:
            return None  # not claimed GS1 and not a complete element string: plain digits
    return None


# --- patterns for things without tables yet (totes, parcels) ----------------------------------

#: (carrier, regular expression) for tracking numbers; stations may configure their own
DEFAULT_TRACKING_PATTERNS: tuple[tuple[str, str], ...] = (
    ("SF Express", r"^SF\d{12,13}$"),
    ("JD Logistics", r"^JD[A-Z0-9]{13,16}$"),
    ("YTO Express", r"^YT\d{13,16}$"),
    ("ZTO Express", r"^ZTO\d{10,14}$"),
    ("UPS", r"^1Z[0-9A-Z]{16}$"),
    ("Postal (UPU S10)", r"^[A-Z]{2}\d{9}[A-Z]{2}$"),
)
DEFAULT_TOTE_PATTERN = r"^(?:TOTE|TT)-?\d{3,6}$"


@dataclass(frozen=True)
class ScanPatterns:
    """Patterns for totes and tracking numbers (there are no tote or parcel tables yet)."""

    tote: str = DEFAULT_TOTE_PATTERN
    tracking: tuple[tuple[str, str], ...] = DEFAULT_TRACKING_PATTERNS
    _compiled: tuple[re.Pattern[str] | None, tuple[tuple[str, re.Pattern[str]], ...]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        tote = _compile("tote", self.tote) if self.tote else None
        tracking = tuple((carrier, _compile(carrier, rx)) for carrier, rx in self.tracking)
        object.__setattr__(self, "_compiled", (tote, tracking))

    def is_tote(self, text: str) -> bool:
        tote = self._compiled[0]
        return bool(tote and tote.fullmatch(text))

    def carrier_of(self, text: str) -> str:
        """The carrier whose tracking-number pattern matches, or ""."""
        for carrier, rx in self._compiled[1]:
            if rx.fullmatch(text):
                return carrier
        return ""

    def to_json(self) -> dict[str, object]:
        return {"tote": self.tote, "tracking": [list(p) for p in self.tracking]}

    @classmethod
    def from_json(cls, data: object) -> ScanPatterns:
        if not isinstance(data, dict):
            return cls()
        tote = data.get("tote", DEFAULT_TOTE_PATTERN)
        raw = data.get("tracking", DEFAULT_TRACKING_PATTERNS)
        if not isinstance(tote, str) or not isinstance(raw, list | tuple):
            raise ValidationError("The scan patterns setting is malformed; reset it.")
        pairs: list[tuple[str, str]] = []
        for item in raw:
            if not (isinstance(item, list | tuple) and len(item) == 2):
                raise ValidationError("Each tracking pattern is a carrier name and a pattern.")
            pairs.append((str(item[0]), str(item[1])))
        return cls(tote, tuple(pairs))


def _compile(name: str, rx: str) -> re.Pattern[str]:
    try:
        return re.compile(rx)
    except re.error as exc:
        raise ValidationError(
            "The pattern for {name} is not valid ({exc}): {rx}", name=name, exc=exc, rx=rx
        ) from exc


# --- the event ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScanEvent:
    """One scan, whatever its source, with what it was recognised as."""

    raw: str  #: exactly as received, AIM id and GS separators included
    text: str  #: the data (without AIM id and trailing CR/LF)
    symbology: str  #: AIM identifier (``]C1``...) or ""
    source: str  #: "wedge", "serial:/dev/ttyACM0", ...
    kind: ScanKind
    at: datetime = field(default_factory=lambda: datetime.now(UTC))
    gs1: Gs1Data | None = None
    #: database id of what was matched (product, location, order, user), when it has one
    entity_id: int | None = None
    #: its key: SKU, location code, order number, user name, tote code, tracking number, SSCC
    code: str = ""
    #: a few words for the screen: product name, location, ...
    label: str = ""
    command: Command | None = None
    #: the quantity of a quantity command, or the units one scan of a product barcode stands for
    quantity: int | None = None
    carrier: str = ""
    #: why it is unknown or invalid, as an operator error (translatable template + params)
    error: PackdeskError | None = field(default=None, compare=False)

    @property
    def ok(self) -> bool:
        return self.kind not in (ScanKind.UNKNOWN, ScanKind.INVALID)

    @property
    def problem(self) -> str:
        return self.error.message if self.error else ""


def printable(text: str) -> str:
    """Text safe to show on a screen or log line: control characters as <GS>, <0x07>..."""
    out = []
    for ch in text:
        if ch == GS:
            out.append("<GS>")
        elif unicodedata.category(ch) == "Cc":
            out.append(f"<0x{ord(ch):02X}>")
        else:
            out.append(ch)
    return "".join(out)
