"""The sort wall's slot labels: an A4 sheet (several pages for a large wall), one label per slot
with its number in big type and a big Code 128 of its barcode text (``WALL-07``), to stick on
the wall and scan from an arm's length. Cut along the frames.
"""

from __future__ import annotations

from app.domain.sort_wall import WallSettings
from app.labels import pdf
from app.labels.model import Align, Barcode, Box, Label, LabelSize, Symbology, Text

A4 = LabelSize("A4", 210.0, 297.0)
DPI = 300
COLUMNS = 2
ROWS = 4
MARGIN_MM = 10.0
GAP_MM = 4.0
PER_PAGE = COLUMNS * ROWS


def _cell(
    settings: WallSettings, slot: int, x: float, y: float, w: float, h: float
) -> list[Box | Text | Barcode]:
    code = settings.slot_code(slot)
    row, column = settings.position(slot)
    inner = w - 16.0
    return [
        Box(x, y, w, h, thickness_mm=0.4),
        Text(x + 6.0, y + 3.0, str(slot), height_mm=22.0, bold=True),
        Text(
            x + 6.0,
            y + 6.0,
            f"Slot {slot} / 格口 {slot}",
            height_mm=4.5,
            bold=True,
            width_mm=w - 12.0,
            align=Align.RIGHT,
        ),
        Text(
            x + 6.0,
            y + 13.0,
            f"row {row + 1} · column {column + 1} / 第{row + 1}行 第{column + 1}列",
            height_mm=3.5,
            width_mm=w - 12.0,
            align=Align.RIGHT,
        ),
        Barcode(
            x + 8.0,
            y + 28.0,
            Symbology.CODE128,
            code,
            module_mm=0.6,
            height_mm=h - 42.0,
            max_width_mm=inner,
        ),
        Text(x, y + h - 11.0, code, height_mm=6.0, bold=True, width_mm=w, align=Align.CENTER),
    ]


def slot_pages(settings: WallSettings) -> list[Label]:
    """One A4 page per eight slots."""
    w = (A4.width_mm - 2 * MARGIN_MM - (COLUMNS - 1) * GAP_MM) / COLUMNS
    h = (A4.height_mm - 2 * MARGIN_MM - (ROWS - 1) * GAP_MM) / ROWS
    pages: list[Label] = []
    for first in range(1, settings.slots + 1, PER_PAGE):
        elements: list[Box | Text | Barcode] = []
        for i, slot in enumerate(range(first, min(first + PER_PAGE, settings.slots + 1))):
            x = MARGIN_MM + (i % COLUMNS) * (w + GAP_MM)
            y = MARGIN_MM + (i // COLUMNS) * (h + GAP_MM)
            elements += _cell(settings, slot, x, y, w, h)
        pages.append(Label(A4, DPI, tuple(elements), title="sort wall slot labels"))
    return pages


def slot_sheet(settings: WallSettings) -> bytes:
    """The slot labels of the whole wall as one PDF."""
    return pdf.render_many(slot_pages(settings))
