"""The carton card: an A4 sheet for the pack bench with one big Code 128 per package type, its
code and name in big type and its inner size, so a packer who takes another carton scans it
from the sheet (a scan of a package's barcode chooses it for the parcel). Four package types a
page, framed to cut apart; several pages for more.

Drawn with the label model and its PDF renderer (reportlab), like the pick list and the sort
wall's slot labels: whole-dot barcode modules, Chinese names in the shipped font.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.labels import pdf
from app.labels.model import Align, Barcode, Box, Label, LabelSize, Symbology, Text

A4 = LabelSize("A4", 210.0, 297.0)
DPI = 300
PER_PAGE = 4
MARGIN_MM = 10.0
GAP_MM = 5.0
#: 3 dots at 300 dpi: any handheld scanner reads it from half a metre
MODULE_MM = 0.508
KIND_WORDS = {"box": "Box / 纸箱", "polybag": "Polybag / 快递袋", "envelope": "Envelope / 信封"}


@dataclass(frozen=True, slots=True)
class CartonCard:
    """One package type on the card; ``barcode`` is what its bars encode (its barcode, or its
    code when it has none)."""

    code: str
    name: str
    kind: str
    barcode: str
    length_mm: int = 0
    width_mm: int = 0
    height_mm: int = 0
    max_weight_g: int = 0

    @property
    def size_text(self) -> str:
        if not (self.length_mm and self.width_mm and self.height_mm):
            size = "no fixed size / 无固定尺寸"
        else:
            size = f"inside {self.length_mm} × {self.width_mm} × {self.height_mm} mm / 内尺寸"
        if self.max_weight_g:
            size += f" · max {self.max_weight_g / 1000:g} kg"
        return size


def _cell(card: CartonCard, y: float, h: float) -> list[Box | Text | Barcode]:
    x, w = MARGIN_MM, A4.width_mm - 2 * MARGIN_MM
    inner = w - 12.0
    return [
        Box(x, y, w, h, thickness_mm=0.4),
        Text(x + 6.0, y + 4.0, card.code, height_mm=10.0, bold=True, width_mm=inner / 2),
        Text(
            x + 6.0 + inner / 2,
            y + 5.0,
            KIND_WORDS.get(card.kind, card.kind),
            height_mm=4.5,
            width_mm=inner / 2,
            align=Align.RIGHT,
        ),
        Text(x + 6.0, y + 16.0, card.name or card.code, height_mm=5.0, width_mm=inner),
        Text(x + 6.0, y + 23.0, card.size_text, height_mm=4.0, width_mm=inner),
        Barcode(
            x + 6.0,
            y + 30.0,
            Symbology.CODE128,
            card.barcode,
            module_mm=MODULE_MM,
            height_mm=h - 42.0,
            max_width_mm=inner,
        ),
        Text(x + 6.0, y + h - 9.0, card.barcode, height_mm=4.5, width_mm=inner),
    ]


def carton_card_pages(cards: Sequence[CartonCard]) -> list[Label]:
    """One A4 page per four package types."""
    h = (A4.height_mm - 2 * MARGIN_MM - (PER_PAGE - 1) * GAP_MM) / PER_PAGE
    pages: list[Label] = []
    for first in range(0, len(cards), PER_PAGE):
        elements: list[Box | Text | Barcode] = []
        for i, card in enumerate(cards[first : first + PER_PAGE]):
            elements += _cell(card, MARGIN_MM + i * (h + GAP_MM), h)
        pages.append(Label(A4, DPI, tuple(elements), title="carton card"))
    return pages


def carton_card_pdf(cards: Sequence[CartonCard]) -> bytes:
    """The carton card of these package types as one PDF."""
    return pdf.render_many(carton_card_pages(cards))
