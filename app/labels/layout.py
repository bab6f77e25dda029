"""Decisions every renderer shares, so ZPL, TSPL and PDF print the same label.

Which text goes in a printer font and which is drawn as a bitmap, where wrapped lines break,
and how a barcode is sent.
"""

from __future__ import annotations

from functools import lru_cache

from app.domain.errors import ValidationError
from app.labels import raster, symbols
from app.labels.model import Align, Barcode, Label, Symbology, Text, to_dots


def uses_printer_font(text: Text, dpi: int) -> bool:
    """Plain ASCII on one line goes in the printer's own font; Chinese, wrapped or inverse
    text is drawn with the shipped font (printer fonts have no Chinese glyphs)."""
    if not (text.text.isascii() and text.text.isprintable()) or text.inverse:
        return False
    if text.width_mm is None:
        return True
    # on one line, without an ellipsis: all of it fits (or it is one character, which wrap
    # never breaks)
    return text.max_lines == 1 and (
        len(text.text) <= 1
        or raster.text_width(text.text, text_pixels(text, dpi), text.bold)
        <= to_dots(text.width_mm, dpi)
    )


def text_pixels(text: Text, dpi: int) -> int:
    return max(8, to_dots(text.height_mm, dpi))


@lru_cache(maxsize=4096)
def text_lines(text: Text, dpi: int) -> tuple[str, ...]:
    """The lines as printed: wrapped to ``width_mm`` with the shipped font's metrics."""
    if text.width_mm is None:
        return (text.text.replace("\n", " "),)
    pixels = text_pixels(text, dpi)
    width = to_dots(text.width_mm, dpi)
    return tuple(raster.wrap(text.text, pixels, width, text.max_lines, text.bold))


@lru_cache(maxsize=4096)
def text_bitmap(text: Text, dpi: int) -> tuple[raster.Bitmap, int]:
    """The text as a bitmap, and how far right of ``x_mm`` it goes (alignment), in dots.
    The bitmap is as narrow as the text, except inverse text, which fills its box."""
    pixels = text_pixels(text, dpi)
    lines = text_lines(text, dpi)
    box = to_dots(text.width_mm, dpi) if text.width_mm is not None else 0
    if len(lines) == 1 and not (text.inverse and box):
        bmp = raster.render_line(lines[0], pixels, text.bold)
        offset = 0
        if box and text.align is Align.CENTER:
            offset = max(0, (box - bmp.width) // 2)
        elif box and text.align is Align.RIGHT:
            offset = max(0, box - bmp.width)
    else:
        widest = max(raster.text_width(line, pixels, text.bold) for line in lines)
        width = box if (text.inverse or text.align is not Align.LEFT) and box else widest
        bmp = raster.render_block(list(lines), pixels, max(1, width), text.align, text.bold)
        offset = 0
    return (raster.invert(bmp) if text.inverse else bmp), offset


def text_origins(text: Text, dpi: int) -> tuple[raster.GlyphRows, int]:
    """The dots ``text_bitmap`` would draw, as the origins of its lines' glyphs (place them with
    ``raster.places``), and the same offset: for printers that OR fields together, so each
    glyph is prepared once and a line of new text costs a few placements. Not for inverse
    text."""
    pixels = text_pixels(text, dpi)
    lines = text_lines(text, dpi)
    box = to_dots(text.width_mm, dpi) if text.width_mm is not None else 0
    if len(lines) == 1:
        origins = raster.line_origins(lines, pixels, text.bold)
        offset = 0
        if box and text.align is Align.CENTER:
            offset = max(0, (box - origins.canvas) // 2)
        elif box and text.align is Align.RIGHT:
            offset = max(0, box - origins.canvas)
        return origins, offset
    if text.align is not Align.LEFT and box:
        return raster.line_origins(lines, pixels, text.bold, box, text.align), 0
    return raster.line_origins(lines, pixels, text.bold), 0


def barcode_as_bitmap(barcode: Barcode, *, language: str) -> bool:
    """Whether a barcode is sent as a picture instead of the printer's barcode command.

    Printer commands are used where they are well defined: Code 128, GS1-128 (ZPL), EAN-13,
    plain QR and DataMatrix. GS1 QR/DataMatrix (FNC1 handling differs between firmwares) and
    GS1-128 on TSPL are drawn from the libzint matrix, which decodes the same everywhere.
    """
    if symbols.is_gs1(barcode):
        if barcode.symbology is Symbology.GS1_128 and language == "zpl":
            # ZPL's UCC/EAN mode reads AIs in parentheses; values holding them go as bitmap
            return any("(" in v or ")" in v for _, v in symbols.gs1_elements(barcode.data))
        return True
    return False


def barcode_bitmap(barcode: Barcode, dpi: int) -> raster.Bitmap:
    module = symbols.fitted_module(barcode, dpi)
    height = to_dots(barcode.height_mm, dpi)
    return raster.symbol_bitmap(symbols.matrix(barcode), module, height)


def fit_height(text: str, width_mm: float, height_mm: float, min_mm: float, dpi: int) -> float:
    """The largest text height, from ``height_mm`` down to ``min_mm``, at which ``text`` fits
    on one line of ``width_mm``."""
    limit = to_dots(width_mm, dpi)
    size = height_mm
    while size > min_mm and raster.text_width(text, max(8, to_dots(size, dpi))) > limit:
        size -= 0.25
    return max(size, min_mm)


def check_fits(label: Label) -> None:
    """Refuse a label whose barcodes run off its edges (a cut barcode does not scan)."""
    for element in label.elements:
        if type(element) is not Barcode:
            continue
        width, height = symbols.symbol_size_dots(element, label.dpi)  # checks it too
        right = to_dots(element.x_mm, label.dpi) + width
        bottom = to_dots(element.y_mm, label.dpi) + height
        if right > label.width_dots or bottom > label.height_dots:
            raise ValidationError(
                "The barcode {data} does not fit on the {code} label. Use a larger "
                "label or a shorter code.",
                data=element.data,
                code=label.size.code,
            )
