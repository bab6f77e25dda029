"""Barcode symbols for the label preview, as module images (mode "1", one pixel per module).

Code 128 is built codeword by codeword, because ZPL's invocation codes (``>;``, ``>:``, ``>8``...)
and TSPL's ``128M`` escapes (``!105``...) choose the exact subsets the printer encodes; the bar
patterns come from python-barcode's Code 128 table. EAN-13, QR and DataMatrix come from zint
(zint-bindings), which also builds GS1 QR/DataMatrix with FNC1 in first position.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import zint
from barcode.charsets import code128 as c128
from biip.gs1_application_identifiers import GS1ApplicationIdentifier
from PIL import Image

from app.labels.preview_base import Report

#: FNC1 in a sequence of Code 128 items (all other items are one-character strings)
FNC1 = -1
START_A, START_B, START_C = 103, 104, 105
CODE_C, CODE_B, CODE_A, SHIFT, FNC1_VALUE = 99, 100, 101, 98, 102

Item = str | int


class SymbolError(ValueError):
    """Barcode data the symbology cannot hold; the preview notes it and draws the rest."""

    def __init__(self, *, symbology: str, data: str, reason: str) -> None:
        shown = data if len(data) <= 40 else data[:37] + "..."
        self.message = f"The {symbology} data {shown!r} cannot be encoded: {reason}."
        super().__init__(self.message)


# --- Code 128 -----------------------------------------------------------------------------------


def code128_image(codewords: Sequence[int]) -> Image.Image:
    """Bars for a start codeword and data codewords; adds the check codeword and the stop."""
    check = (codewords[0] + sum(i * c for i, c in enumerate(codewords[1:], 1))) % 103
    bits = "".join(c128.CODES[c] for c in [*codewords, check]) + c128.STOP + "11"
    return modules_image([bits])


def _value_in(subset: str, ch: str) -> int | None:
    """The codeword of an ASCII character in subset A or B (None if it has none there)."""
    code = ord(ch)
    if subset == "A":
        if code < 32:
            return code + 64
        return code - 32 if 32 <= code < 96 else None
    return code - 32 if 32 <= code < 128 else None


def _digit_run(items: Sequence[Item], i: int) -> int:
    n = i
    while n < len(items) and isinstance(items[n], str) and str(items[n]).isdigit():
        n += 1
    return n - i


def _subset_for(items: Sequence[Item], i: int) -> str:
    """A if a control character comes before any lower-case letter, else B."""
    for it in items[i:]:
        if isinstance(it, str):
            if ord(it) < 32:
                return "A"
            if 96 <= ord(it) < 128:
                return "B"
    return "B"


def code128_auto(
    items: Sequence[Item], what: str = "Code 128", *, eager_c: bool = False
) -> list[int]:
    """Codewords with subsets chosen automatically (ZPL mode A/D, TSPL ``128``/``EAN128``).

    ``eager_c`` is Zebra's automatic mode: any run of four or more digits goes to subset C
    at once, an odd last digit going back to subset B after it."""
    for it in items:
        if isinstance(it, str) and ord(it) > 127:
            raise SymbolError(
                symbology=what, data="".join(x for x in items if isinstance(x, str)),
                reason=f"{it!r} is not an ASCII character",
            )  # fmt: skip
    first = next((k for k, it in enumerate(items) if it != FNC1), len(items))
    run = _digit_run(items, first)
    rest = len(items) - first
    two_only = run == rest == 2 and not eager_c
    subset = "C" if run >= 4 or two_only else _subset_for(items, first)
    out = [{"A": START_A, "B": START_B, "C": START_C}[subset]]
    i = 0
    while i < len(items):
        it = items[i]
        if it == FNC1:
            out.append(FNC1_VALUE)
            i += 1
            continue
        run = _digit_run(items, i)
        if subset == "C":
            if run >= 2:
                out.append(int(str(items[i]) + str(items[i + 1])))
                i += 2
                continue
            subset = _subset_for(items, i)
            out.append(CODE_A if subset == "A" else CODE_B)
            continue
        if run >= 6 or (
            run >= 4 and (eager_c or i + run == len(items) or _fnc1_at(items, i + run))
        ):
            if run % 2 and not eager_c:
                out.append(ord(str(it)) - 32)
                i += 1
            subset = "C"
            out.append(CODE_C)
            continue
        value = _value_in(subset, str(it))
        if value is None:
            subset = "B" if subset == "A" else "A"
            out.append(CODE_B if subset == "B" else CODE_A)
            value = _value_in(subset, str(it))
        assert value is not None  # every ASCII character is in A or B
        out.append(value)
        i += 1
    return out


def _fnc1_at(items: Sequence[Item], i: int) -> bool:
    return i < len(items) and items[i] == FNC1


_ZPL_INVOKE = {"<": 62, "0": 30, "=": 94, "1": 95, "2": 96, "3": 97, "4": 98, "5": 99}
_ZPL_INVOKE.update({"6": 100, "7": 101, "8": 102})
_ZPL_START = {"9": ("A", START_A), ":": ("B", START_B), ";": ("C", START_C)}


def code128_zpl(data: str) -> list[int]:
    """Codewords exactly as a Zebra printer builds them from ``^BC`` mode N data.

    No start code means subset B; ``>x`` invocation codes switch subsets or insert FNC1 etc.
    Subsets A and C take digit pairs, each pair one codeword ("numeric pairs give
    alpha/numerics" in A); a non-digit first in a pair is skipped and a pair whose second
    character is not a digit is dropped, as the ZPL II guide describes.
    """
    subset, start = "B", START_B
    i = 0
    if data[:1] == ">" and data[1:2] in _ZPL_START:
        subset, start = _ZPL_START[data[1]]
        i = 2
    out = [start]
    shift_next = False
    while i < len(data):
        ch = data[i]
        if ch == ">" and i + 1 < len(data) and data[i + 1] in _ZPL_INVOKE:
            value = _ZPL_INVOKE[data[i + 1]]
            i += 2
            if subset == "C" and value < CODE_B:
                continue  # only CODE B, CODE A and FNC1 exist in subset C
            out.append(value)
            if value == CODE_C:
                subset = "C"
            elif value == CODE_B and subset != "B":
                subset = "B"
            elif value == CODE_A and subset != "A":
                subset = "A"
            elif value == SHIFT and subset != "C":
                shift_next = True
            continue
        if subset in ("A", "C") and not shift_next:
            if not ch.isdigit():
                i += 1
                continue
            pair = data[i : i + 2]
            if pair[1:] == ">":  # an unpaired digit before an invocation code is dropped
                i += 1
                continue
            i += 2
            if len(pair) == 2 and pair[1].isdigit():
                out.append(int(pair))
            continue
        use = ("B" if subset == "A" else "A") if shift_next else subset
        shift_next = False
        char_value = _value_in(use, ch)
        if char_value is not None:
            out.append(char_value)
        i += 1
    return out


_BANG = re.compile(r"!(\d{3})")


def code128_tspl_manual(data: str) -> list[int]:
    """Codewords for TSPL ``128M``: ``!103``/``!104``/``!105`` start codes, ``!nnn`` values."""
    subset, start = "B", START_B
    starts = {"103": ("A", START_A), "104": ("B", START_B), "105": ("C", START_C)}
    i = 0
    m = _BANG.match(data)
    if m and m.group(1) in starts:
        subset, start = starts[m.group(1)]
        i = 4
    out = [start]
    while i < len(data):
        m = _BANG.match(data, i)
        if m and int(m.group(1)) <= 102:
            value = int(m.group(1))
            out.append(value)
            i = m.end()
            if value == CODE_C or (value == CODE_B and subset != "B"):
                subset = "C" if value == CODE_C else "B"
            elif value == CODE_A and subset != "A":
                subset = "A"
            continue
        if subset == "C":
            pair = data[i : i + 2]
            i += 1 if pair[1:] == "!" else 2
            if len(pair) == 2 and pair.isdigit():
                out.append(int(pair))
            continue
        char_value = _value_in(subset, data[i])
        if char_value is not None:
            out.append(char_value)
        i += 1
    return out


_AI_HRI = re.compile(r"\((\d{2,4})\)([^(]*)")


def gs1_items_from_hri(text: str) -> list[Item] | None:
    """``(01)...(10)LOT`` to FNC1-led items, FNC1 after variable-length fields; None if no AIs.

    Like Zebra's mode D, spaces are dropped and a missing check digit of (00)/(01)/(02) is added.
    """
    compact = text.replace(" ", "")
    fields = _AI_HRI.findall(compact)
    if not fields or "".join(f"({a}){v}" for a, v in fields) != compact:
        return None
    items: list[Item] = [FNC1]
    for k, (ai, value) in enumerate(fields):
        if ((ai == "00" and len(value) == 17) or (ai in ("01", "02") and len(value) == 13)) and (
            value.isdigit()
        ):
            value += str(mod10_check(value))
        items.extend(ai + value)
        if k < len(fields) - 1 and _separator_required(ai):
            items.append(FNC1)
    return items


def _separator_required(ai: str) -> bool:
    try:
        return bool(GS1ApplicationIdentifier.extract(ai).separator_required)
    except Exception:  # biip raises its ParseError for AIs it does not know: treat as variable
        return True


def mod10_check(digits: str) -> int:
    """GS1 check digit (weights 3,1,3... from the right)."""
    total = sum(int(d) * (3 if k % 2 == 0 else 1) for k, d in enumerate(reversed(digits)))
    return (10 - total % 10) % 10


# --- zint symbols -------------------------------------------------------------------------------


def modules_image(rows: Sequence[str]) -> Image.Image:
    """Rows of '1'/'0' to a mode "1" image where ink is 1."""
    width = max((len(r) for r in rows), default=0)
    img = Image.new("1", (max(width, 1), max(len(rows), 1)), 0)
    img.putdata([1 if c == "1" else 0 for r in rows for c in r.ljust(width, "0")])
    return img


def _zint(symbology: zint.Symbology, data: bytes | str, what: str, **opts: object) -> zint.Symbol:
    sym = zint.Symbol()
    sym.symbology = symbology
    for name, value in opts.items():
        setattr(sym, name, value)
    try:
        sym.encode(data)
    except RuntimeError as exc:  # zint reports bad input as RuntimeError("Error nnn: ...")
        shown = data if isinstance(data, str) else data.decode("utf-8", "replace")
        raise SymbolError(symbology=what, data=shown, reason=str(exc)) from exc
    return sym


def _zint_image(sym: zint.Symbol) -> Image.Image:
    ed = sym.encoded_data
    stride = ed.shape[1] if ed.shape else 0
    raw = ed.tobytes()[: stride * sym.rows]
    img = Image.frombytes("1", (stride * 8, sym.rows), raw, "raw", "1;R")
    return img.crop((0, 0, sym.width, sym.rows))


def ean13_image(digits: str) -> tuple[Image.Image, str]:
    """Bars (95 modules) and the 13 digits for 12 (or 13) digits of data."""
    data = digits[:12]
    if len(data) < 12 or not data.isdigit():
        raise SymbolError(symbology="EAN-13", data=digits, reason="it needs 12 digits")
    sym = _zint(zint.Symbology.EANX, data, "EAN-13")
    return _zint_image(sym).crop((0, 0, 95, 1)), data + str(mod10_check(data))


def gs1_bracketed(element_string: str) -> str:
    """A raw GS1 element string (GS as separator) as zint's ``[ai]value`` form."""
    from biip import ParseError
    from biip.gs1_messages import GS1Message

    try:
        msg = GS1Message.parse(element_string)
    except ParseError as exc:
        raise SymbolError(symbology="GS1", data=element_string, reason=str(exc)) from exc
    return "".join(f"[{e.ai.ai}]{e.value}" for e in msg.element_strings)


_GS1 = zint.InputMode.GS1 | zint.InputMode.GS1NOCHECK


def qr_image(data: bytes, ecc: str = "M", gs1: bool = False) -> Image.Image:
    """QR Code model 2 in byte/auto mode; ``gs1`` for an FNC1-led element string."""
    level = {"L": 1, "M": 2, "Q": 3, "H": 4}.get(ecc.upper(), 2)
    if gs1:
        text = gs1_bracketed(data.decode("ascii", "replace"))
        sym = _zint(zint.Symbology.QRCODE, text, "QR Code", option_1=level, input_mode=_GS1)
    else:
        sym = _zint(zint.Symbology.QRCODE, data, "QR Code", option_1=level)
    return _zint_image(sym)


#: zint's DataMatrix size numbers (option_2) by (rows, columns)
_DM_SIZES = [(n, n) for n in (10, 12, 14, 16, 18, 20, 22, 24, 26, 32, 36, 40, 44, 48, 52, 64)]
_DM_SIZES += [(n, n) for n in (72, 80, 88, 96, 104, 120, 132, 144)]
_DM_SIZES += [(8, 18), (8, 32), (12, 26), (12, 36), (16, 36), (16, 48)]


def datamatrix_image(
    data: bytes, gs1: bool = False, rows: int = 0, cols: int = 0, square: bool = True
) -> Image.Image:
    """ECC 200 DataMatrix; ``rows``/``cols`` pick a size when the printer was told one."""
    opts: dict[str, object] = {}
    if (rows, cols) in _DM_SIZES:
        opts["option_2"] = _DM_SIZES.index((rows, cols)) + 1
    elif square:
        opts["option_3"] = int(zint.DataMatrixOptions.SQUARE)
    if gs1:
        text = gs1_bracketed(data.decode("ascii", "replace"))
        sym = _zint(zint.Symbology.DATAMATRIX, text, "DataMatrix", input_mode=_GS1, **opts)
    else:
        sym = _zint(zint.Symbology.DATAMATRIX, data, "DataMatrix", **opts)
    return _zint_image(sym)


def datamatrix_escapes(data: bytes, esc: bytes, report: Report) -> tuple[bytes, bool]:
    """DataMatrix escapes (ZPL ^BX, TSPL DMATRIX c#): ``<esc>1`` is FNC1 (GS1 data when it
    comes first), ``<esc>dNNN`` a byte, ``<esc><esc>`` the escape character itself."""
    out = bytearray()
    gs1 = False
    i = 0
    while i < len(data):
        if data[i : i + 1] != esc or i + 1 >= len(data):
            out += data[i : i + 1]
            i += 1
            continue
        code = data[i + 1 : i + 2]
        if code == b"1":
            if i == 0:
                gs1 = True
            else:
                out += b"\x1d"
            i += 2
        elif code in (b"d", b"D") and data[i + 2 : i + 5].isdigit():
            out.append(int(data[i + 2 : i + 5]) & 0xFF)
            i += 5
        elif code == esc:
            out += esc
            i += 2
        else:
            shown = (esc + code).decode("latin-1")
            report.note(f"DataMatrix escape {shown} ignored.")
            i += 2
    return bytes(out), gs1
