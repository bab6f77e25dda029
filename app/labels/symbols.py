"""Barcode data checks and module matrices (libzint through ``zint-bindings``).

The matrix is what the PDF draws and what ZPL/TSPL send as a bitmap when the printer has no
reliable command for a symbol (GS1 QR, GS1 in TSPL). Printer-native commands are used elsewhere;
the data checks here run for every format so a bad barcode fails before it reaches a printer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import zint

from app.domain.barcodes import gs1_check_digit
from app.domain.errors import ValidationError
from app.labels.model import LINEAR, Barcode, Symbology, module_dots, to_dots

_GS1_AI = re.compile(r"[\[(](\d{2,4})[\])]")


class Matrix:
    """Modules of a symbol: ``rows`` of ``width`` booleans (1D codes have one row). The rows
    are unpacked from libzint's bits only when drawn; fitting needs the size alone."""

    __slots__ = ("_bits", "_rows", "_stride", "height", "width")

    def __init__(self, width: int, height: int, bits: bytes, stride: int) -> None:
        self.width = width
        self.height = height
        self._bits = bits
        self._stride = stride
        self._rows: tuple[tuple[bool, ...], ...] | None = None

    @property
    def rows(self) -> tuple[tuple[bool, ...], ...]:
        if self._rows is None:
            out = []
            for y in range(self.height):
                row = self._bits[y * self._stride : (y + 1) * self._stride]
                out.append(tuple(bool((row[x >> 3] >> (x & 7)) & 1) for x in range(self.width)))
            self._rows = tuple(out)
        return self._rows

    def runs(self, row: int) -> list[tuple[int, int]]:
        """Dark runs of one row as (start, length) in modules."""
        out: list[tuple[int, int]] = []
        start = -1
        for x, dark in enumerate(self.rows[row]):
            if dark and start < 0:
                start = x
            elif not dark and start >= 0:
                out.append((start, x - start))
                start = -1
        if start >= 0:
            out.append((start, self.width - start))
        return out


def gs1_parens(data: str) -> str:
    """GS1 element string with AIs in parentheses: ``[01]0950..`` -> ``(01)0950..``."""
    text = data.strip()
    if not _GS1_AI.match(text):
        raise ValidationError(
            "GS1 data must start with an application identifier in brackets, "
            "like (01)09501101530003: {data!r}.",
            data=data,
        )
    return _GS1_AI.sub(lambda m: f"({m.group(1)})", text)


def gs1_elements(data: str) -> list[tuple[str, str]]:
    """``(01)0950..(10)AB`` -> [("01", "0950.."), ("10", "AB")]."""
    text = gs1_parens(data)
    parts = re.split(r"\((\d{2,4})\)", text)
    return [(parts[i], parts[i + 1]) for i in range(1, len(parts) - 1, 2)]


def is_gs1(barcode: Barcode) -> bool:
    return barcode.symbology is Symbology.GS1_128 or (
        barcode.gs1 and barcode.symbology in (Symbology.QR, Symbology.DATAMATRIX)
    )


def check(barcode: Barcode) -> None:
    """Raise ``ValidationError`` with a readable reason if the data cannot be encoded."""
    data = barcode.data
    if not data:
        raise ValidationError("A barcode needs data; this one is empty.")
    sym = barcode.symbology
    if sym is Symbology.CODE128 and (not data.isascii() or not data.isprintable()):
        raise ValidationError(
            "Code 128 takes printable ASCII characters only: {data!r}. Use a QR "
            "code for other text.",
            data=data,
        )
    if sym is Symbology.EAN13:
        if not (data.isdigit() and len(data) in (12, 13)):
            raise ValidationError("An EAN-13 has 12 or 13 digits: {data!r}.", data=data)
        if len(data) == 13 and gs1_check_digit(data[:12]) != data[12]:
            raise ValidationError("The EAN-13 {data} has a wrong check digit.", data=data)
    if sym is Symbology.CODE128:
        code128_width(data)  # zint checks the length
    else:
        matrix(barcode)  # zint checks the rest (GS1 AIs, lengths)


#: Code 128 subsets by character: digits pair up in C, '`', '{' to '~' and lower case are in B
#: only, the rest of printable ASCII in A and B. The symbol's width depends on nothing else.
_C128_SHAPE = str.maketrans(
    {chr(c): "0" if chr(c).isdigit() else ("a" if c >= 96 else "A") for c in range(32, 127)}
)


def code128_width(data: str) -> int:
    """Modules of the optimal Code 128 of printable ASCII ``data``. The width follows from
    which subsets each character is in, so a batch of tracking numbers shaped alike ("SF" and
    13 digits) is encoded once (a property test holds this against libzint)."""
    try:
        return _encode(Symbology.CODE128, data.translate(_C128_SHAPE), False).width
    except ValidationError:
        return _encode(Symbology.CODE128, data, False).width  # the reason, with the data


def ean13_body(data: str) -> str:
    """The 12 digits a printer wants (it adds the check digit itself)."""
    return data[:12]


def ean13_full(data: str) -> str:
    return data if len(data) == 13 else data + gs1_check_digit(data)


def matrix(barcode: Barcode) -> Matrix:
    return _encode(barcode.symbology, barcode.data, is_gs1(barcode))


_ZINT = {
    Symbology.CODE128: zint.Symbology.CODE128,
    Symbology.GS1_128: zint.Symbology.GS1_128,
    Symbology.EAN13: zint.Symbology.EANX,
    Symbology.QR: zint.Symbology.QRCODE,
    Symbology.DATAMATRIX: zint.Symbology.DATAMATRIX,
}


@lru_cache(maxsize=4096)
def _encode(sym: Symbology, data: str, gs1: bool) -> Matrix:
    symbol = zint.Symbol()
    symbol.symbology = _ZINT[sym]
    if sym is Symbology.DATAMATRIX:
        symbol.option_3 = int(zint.DataMatrixOptions.SQUARE)  # square, as printers make them
    elif sym is Symbology.QR:
        symbol.option_1 = 2  # error correction level M, as the printers' default
    payload = data
    if gs1:
        symbol.input_mode = zint.InputMode.GS1
        payload = gs1_parens(data).replace("(", "[").replace(")", "]")
    elif sym in (Symbology.QR, Symbology.DATAMATRIX):
        symbol.input_mode = zint.InputMode.UNICODE
        if not data.isascii():
            symbol.eci = 26  # UTF-8, so scanners decode Chinese text correctly
    elif sym is Symbology.EAN13:
        payload = ean13_body(data)
    try:
        symbol.encode(payload)
    except (RuntimeError, ValueError) as exc:
        raise ValidationError(
            "The barcode data {data!r} cannot be encoded: {exc}.", data=data, exc=exc
        ) from exc
    # copied out, so the symbol (tens of kilobytes in libzint) is freed at once
    encoded = symbol.encoded_data
    stride = encoded.strides[0] if encoded.strides else encoded.nbytes
    bits = encoded[: symbol.rows].tobytes()  # the symbol's rows, not libzint's whole buffer
    return Matrix(symbol.width, symbol.rows, bits, stride)


#: Code 128 printed by the printer's automatic mode may take up to two codewords more than
#: libzint's optimal encoding (Zebra switches subsets differently): fit with room for them
CODE128_SLACK = 22


@dataclass(frozen=True)
class Plan:
    """How a barcode prints at a resolution: its module in whole dots (as asked, narrowed
    until the symbol fits its width) and its printed size in dots without quiet zones (1D
    codes: with room for any printer's encoding)."""

    module: int
    width: int
    height: int


@lru_cache(maxsize=4096)
def plan(barcode: Barcode, dpi: int) -> Plan:
    """The barcode checked (``ValidationError`` with the reason) and planned: worked out once
    per barcode, since the layout's fit check and every renderer ask."""
    check(barcode)
    linear = barcode.symbology in LINEAR
    if barcode.symbology is Symbology.CODE128:  # printers encode it: its width is enough
        width = code128_width(barcode.data) + CODE128_SLACK
        size = (width, 1)
    else:
        m = matrix(barcode)
        width, size = m.width, (m.width, m.height)
    dots = module_dots(barcode.module_mm, dpi)
    if barcode.max_width_mm is not None:
        limit = to_dots(barcode.max_width_mm, dpi)
        while dots > 1 and dots * width > limit:
            dots -= 1
        if dots * width > limit:
            raise ValidationError(
                "The barcode {data} is too long for the label ({width} modules at "
                "one dot each is wider than {max_width_mm} mm). Use a larger label.",
                data=barcode.data,
                width=width,
                max_width_mm=barcode.max_width_mm,
            )
    if linear:
        return Plan(dots, width * dots, to_dots(barcode.height_mm, dpi))
    return Plan(dots, size[0] * dots, size[1] * dots)


def fitted_module(barcode: Barcode, dpi: int) -> int:
    """The module width in whole dots: as asked, narrowed until the symbol fits its width."""
    return plan(barcode, dpi).module


def symbol_size_dots(barcode: Barcode, dpi: int) -> tuple[int, int]:
    """Width and height of the printed symbol in dots (without quiet zones)."""
    p = plan(barcode, dpi)
    return p.width, p.height
