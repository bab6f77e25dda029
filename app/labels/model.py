"""A label described once: size, dpi and elements placed in millimetres.

The renderers (``zpl``, ``tspl``, ``pdf``) turn the same ``Label`` into printer bytes. Positions
and sizes are millimetres from the top-left corner; they become whole printer dots at the
label's dpi. Barcode modules are whole dots too (k x 25.4/dpi mm), or scanners misread the bars.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from app.domain.errors import ValidationError

MM_PER_INCH = 25.4
DPIS = (203, 300)


@dataclass(frozen=True, slots=True)
class LabelSize:
    """A label stock: its code as stored in settings, and its size in millimetres."""

    code: str
    width_mm: float
    height_mm: float

    def width_dots(self, dpi: int) -> int:
        return to_dots(self.width_mm, dpi)

    def height_dots(self, dpi: int) -> int:
        return to_dots(self.height_mm, dpi)


SIZES: dict[str, LabelSize] = {
    # international shipping labels
    "4x6in": LabelSize("4x6in", 101.6, 152.4),
    # Chinese e-waybills (电子面单)
    "100x150mm": LabelSize("100x150mm", 100.0, 150.0),
    "76x130mm": LabelSize("76x130mm", 76.0, 130.0),
}


def label_size(code: str) -> LabelSize:
    try:
        return SIZES[code]
    except KeyError:
        known = ", ".join(SIZES)
        raise ValidationError(
            "Unknown label size {code!r}. Choose one of {known}.", code=code, known=known
        ) from None


def to_dots(mm: float, dpi: int) -> int:
    """Millimetres to whole printer dots."""
    return round(mm * dpi / MM_PER_INCH)


def module_dots(module_mm: float, dpi: int) -> int:
    """A barcode module as a whole number of dots, at least one."""
    return max(1, to_dots(module_mm, dpi))


class Symbology(StrEnum):
    # hashed as the string it equals (Enum hashes the name, in Python, on every look-up)
    __hash__ = str.__hash__

    CODE128 = "code128"
    GS1_128 = "gs1_128"
    EAN13 = "ean13"
    QR = "qr"
    DATAMATRIX = "datamatrix"


LINEAR = frozenset({Symbology.CODE128, Symbology.GS1_128, Symbology.EAN13})


class Align(StrEnum):
    __hash__ = str.__hash__

    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


@dataclass(frozen=True, slots=True)
class Text:
    """A block of text. ``width_mm`` set: wrapped into at most ``max_lines`` lines.

    ASCII text that fits one line uses the printer's own font; anything else (Chinese, wrapped
    text) is drawn as a bitmap with the shipped CJK font, the same on every printer.
    """

    x_mm: float
    y_mm: float
    text: str
    height_mm: float = 3.5
    bold: bool = False
    width_mm: float | None = None
    max_lines: int = 1
    align: Align = Align.LEFT
    #: draw white on a black bar (carrier service boxes)
    inverse: bool = False


@dataclass(frozen=True, slots=True)
class Barcode:
    """A barcode. ``module_mm`` is the narrow bar (1D) or cell (2D) width, rounded to whole dots;
    ``height_mm`` is the bar height of 1D codes. ``gs1`` marks GS1 data in QR and DataMatrix
    (GS1-128 is always GS1). GS1 data is written with AIs in brackets or parentheses:
    ``(01)09501101530003(10)ABC``."""

    x_mm: float
    y_mm: float
    symbology: Symbology
    data: str
    module_mm: float = 0.375
    height_mm: float = 15.0
    gs1: bool = False
    #: shrink the module (in whole dots) until the symbol fits this width
    max_width_mm: float | None = None


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle outline (``filled`` False) or a solid bar; lines are thin solid boxes."""

    x_mm: float
    y_mm: float
    width_mm: float
    height_mm: float
    thickness_mm: float = 0.5
    filled: bool = False


def hline(x_mm: float, y_mm: float, length_mm: float, thickness_mm: float = 0.5) -> Box:
    return Box(x_mm, y_mm, length_mm, thickness_mm, thickness_mm, filled=True)


def vline(x_mm: float, y_mm: float, length_mm: float, thickness_mm: float = 0.5) -> Box:
    return Box(x_mm, y_mm, thickness_mm, length_mm, thickness_mm, filled=True)


@dataclass(frozen=True, slots=True)
class Image:
    """A picture (logo), given as PNG/JPEG bytes, scaled to ``width_mm`` and made black and
    white for the printer."""

    x_mm: float
    y_mm: float
    width_mm: float
    data: bytes = field(repr=False)


Element = Text | Barcode | Box | Image


@dataclass(frozen=True, slots=True)
class Label:
    """What a printer is asked to print: one label of ``size`` at ``dpi``."""

    size: LabelSize
    dpi: int
    elements: tuple[Element, ...]
    #: a short name for logs and the job list, e.g. "shipping SF1234567890"
    title: str = ""
    #: the leading elements every label of a batch shares, as the same objects (a shipping
    #: label's frame, carrier and sender): a renderer may render them once per batch
    template: tuple[Element, ...] = ()

    def __post_init__(self) -> None:
        if self.dpi not in DPIS:
            raise ValidationError("A label printer has 203 or 300 dpi, not {dpi}.", dpi=self.dpi)
        n = len(self.template)
        if n and (
            n > len(self.elements)
            or self.elements[0] is not self.template[0]
            or self.elements[n - 1] is not self.template[n - 1]
        ):  # its ends only: a label is built per order, this check runs every time
            raise ValueError("A label's template must be its first elements, as the same objects.")

    @property
    def width_dots(self) -> int:
        return self.size.width_dots(self.dpi)

    @property
    def height_dots(self) -> int:
        return self.size.height_dots(self.dpi)

    def dots(self, mm: float) -> int:
        return to_dots(mm, self.dpi)
