"""Text that fits its area: the largest size at which all of it fits, wrapped, in a box.

Labels have fixed areas (recipient, sender, sorting code...). A long address must shrink and
wrap inside its area, never run into the next one; at the smallest readable size what is
still too long ends in an ellipsis instead of overflowing. Measured with the shipped font,
as the renderers draw it (``layout.text_lines``, ``raster.line_height``).
"""

from __future__ import annotations

from functools import lru_cache

from app.labels import raster
from app.labels.model import MM_PER_INCH, Align, Text, to_dots

#: the steps sizes shrink by (a quarter millimetre: 2 dots at 203 dpi)
STEP_MM = 0.25


def line_step_mm(height_mm: float, dpi: int) -> float:
    """The height of one line of text of ``height_mm`` as the renderers stack lines."""
    pixels = max(8, to_dots(height_mm, dpi))
    return raster.line_height(pixels) * MM_PER_INCH / dpi


@lru_cache(maxsize=2048)
def _lines_needed(text: str, pixels: int, width: int, bold: bool) -> int:
    return len(raster.wrap(text, pixels, width, 10_000, bold))


def fit_block(
    x_mm: float,
    y_mm: float,
    text: str,
    *,
    width_mm: float,
    height_mm: float,
    size_mm: float,
    min_mm: float,
    dpi: int,
    bold: bool = False,
    align: Align = Align.LEFT,
    inverse: bool = False,
    max_lines: int = 0,
) -> Text:
    """``text`` at ``(x_mm, y_mm)`` in a box ``width_mm`` by ``height_mm``: the largest size
    from ``size_mm`` down to ``min_mm`` at which all of it fits, wrapped; at ``min_mm`` as many
    lines as fit, the last one ending in an ellipsis. ``max_lines``: at most this many."""
    width = to_dots(width_mm, dpi)
    size = size_mm
    while True:
        step = line_step_mm(size, dpi)
        room = max(1, int(height_mm // step))
        if max_lines:
            room = min(room, max_lines)
        pixels = max(8, to_dots(size, dpi))
        needed = _lines_needed(text, pixels, width, bold)
        if needed <= room or size - STEP_MM < min_mm:
            lines = min(needed, room)
            break
        size -= STEP_MM
    return Text(
        x_mm,
        y_mm,
        text,
        size,
        bold=bold,
        width_mm=width_mm,
        max_lines=lines,
        align=align,
        inverse=inverse,
    )


def fit_line(
    x_mm: float,
    y_mm: float,
    text: str,
    *,
    width_mm: float,
    size_mm: float,
    min_mm: float,
    dpi: int,
    bold: bool = False,
    align: Align = Align.LEFT,
    inverse: bool = False,
) -> Text:
    """One line: the largest size that fits ``width_mm``, cut with an ellipsis at ``min_mm``."""
    return fit_block(
        x_mm,
        y_mm,
        text,
        width_mm=width_mm,
        height_mm=line_step_mm(size_mm, dpi),
        size_mm=size_mm,
        min_mm=min_mm,
        dpi=dpi,
        bold=bold,
        align=align,
        inverse=inverse,
        max_lines=1,
    )


def fits_one_line(text: Text, dpi: int) -> bool:
    """Whether all of ``text`` fits one line of its width."""
    if text.width_mm is None:
        return True
    pixels = max(8, to_dots(text.height_mm, dpi))
    return raster.text_width(text.text, pixels, text.bold) <= to_dots(text.width_mm, dpi)
