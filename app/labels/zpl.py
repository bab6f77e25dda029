"""ZPL II for Zebra printers and their clones.

``^CI28`` makes field data UTF-8; ``^FH`` lets data carry ``^``, ``~`` and ``_`` as hex escapes
(``_5E``, ``_7E``, ``_5F``), so text from an order can never end a field or start a command.
Chinese text is sent as ``^GF`` bitmaps (see ``layout``): one small field per glyph, each
encoded once and kept, because the printer ORs fields together and a batch of labels with new
addresses then costs a few placements per character instead of compressing new bitmaps.
"""

from __future__ import annotations

import base64
import binascii
import zlib
from functools import lru_cache

from app.labels import layout, raster, symbols
from app.labels.model import Barcode, Box, Element, Label, Symbology, Text, to_dots
from app.labels.raster import Bitmap, GlyphInk, picture

_FH = str.maketrans({"_": "_5F", "^": "_5E", "~": "_7E"})
#: ZPL ^BQ accepts magnifications 1 to 10
_QR_MAX_MODULE = 10
#: candidates for ^BX's escape character, which must not occur in the data
_DM_ESCAPES = "`|{}#$%&*+"


def escape(data: str) -> str:
    """Field data safe inside ``^FH^FD...^FS``."""
    return data.translate(_FH)


def render(label: Label, copies: int = 1, *, compact: bool = False) -> bytes:
    """The label as one ``^XA...^XZ`` format.

    ``compact``: each block of Chinese text as one compressed bitmap instead of a field per
    glyph: 60% of the bytes for ten times the work (a millisecond a label), for slow links
    such as a serial line, where 13 KiB take a second at 115200 baud."""
    layout.check_fits(label)
    out = [f"^XA^CI28^PW{label.width_dots}^LL{label.height_dots}^LH0,0"]
    if compact:
        out += [_compact(element, label.dpi) for element in label.elements]
    else:
        if label.template:
            out.append(_template(label.template, label.dpi))
        for element in label.elements[len(label.template) :]:
            out.append(_element(element, label.dpi))
    if copies > 1:
        out.append(f"^PQ{copies}")
    out.append("^XZ\n")
    return "\n".join(out).encode("utf-8")


def _element(element: Element, dpi: int) -> str:
    if isinstance(element, Text):
        return _text(element, dpi)
    if isinstance(element, Barcode):
        return _barcode(element, dpi)
    if isinstance(element, Box):
        return _box(element, dpi)
    bmp = picture(element.data, to_dots(element.width_mm, dpi))
    return _graphic(to_dots(element.x_mm, dpi), to_dots(element.y_mm, dpi), bmp)


def _compact(element: Element, dpi: int) -> str:
    if isinstance(element, Text) and not layout.uses_printer_font(element, dpi):
        bitmap, offset = layout.text_bitmap(element, dpi)
        x, y = to_dots(element.x_mm, dpi), to_dots(element.y_mm, dpi)
        return f"^FO{x + offset},{y}{graphic_field(bitmap, level=6)}^FS"
    return _element(element, dpi)


#: a batch's template, rendered once: keyed by the tuple's identity (hashing it would hash
#: every field of every element, for every label); the entry holds the tuple, so its id stays
_TEMPLATES: dict[tuple[int, int], tuple[tuple[Element, ...], str]] = {}


def _template(template: tuple[Element, ...], dpi: int) -> str:
    key = (id(template), dpi)
    hit = _TEMPLATES.get(key)
    if hit is not None and hit[0] is template:
        return hit[1]
    text = "\n".join(_element(element, dpi) for element in template)
    if len(_TEMPLATES) >= 64:
        _TEMPLATES.clear()
    _TEMPLATES[key] = (template, text)
    return text


def compact_graphic_field(bitmap: Bitmap) -> str:
    """``^GFA`` in plain hex or ``:Z64:`` at full compression, whichever is shorter: for
    glyphs, which are encoded once and sent many times."""
    total = bitmap.row_bytes * bitmap.height
    plain = f"^GFA,{total},{total},{bitmap.row_bytes},{bitmap.data.hex().upper()}"
    return min(plain, graphic_field(bitmap, level=9), key=len)


#: each glyph's ``^GFA,...^FS``, encoded once
_GLYPH_FIELDS: dict[GlyphInk, str] = {}


def graphic_field(bitmap: Bitmap, level: int = 1) -> str:
    """``^GFA`` with the bitmap zlib-compressed and base64-encoded (``:Z64:``, with Zebra's
    CRC-16 of the encoded text): a tenth of the bytes of plain hex on the wire."""
    total = bitmap.row_bytes * bitmap.height
    # level 1 for a label's own bitmaps: 5x faster than 9, ~15% bigger
    encoded = base64.b64encode(zlib.compress(bitmap.data, level))
    crc = binascii.crc_hqx(encoded, 0)
    return f"^GFA,{total},{total},{bitmap.row_bytes},:Z64:{encoded.decode()}:{crc:04X}"


def _graphic(x: int, y: int, bitmap: Bitmap) -> str:
    return f"^FO{x},{y}{graphic_field(bitmap)}^FS"


def _text(text: Text, dpi: int) -> str:
    """A text field (not cached: a label's own texts are new; its template is cached whole)."""
    x, y = round(text.x_mm * dpi / 25.4), round(text.y_mm * dpi / 25.4)
    if layout.uses_printer_font(text, dpi):
        h = layout.text_pixels(text, dpi)
        w = round(h * (0.9 if text.bold else 0.75))
        block = ""
        if text.width_mm is not None:
            just = {"left": "L", "center": "C", "right": "R"}[text.align.value]
            block = f"^FB{round(text.width_mm * dpi / 25.4)},1,0,{just},0"
        return f"^FO{x},{y}^A0N,{h},{w}{block}^FH^FD{escape(text.text)}^FS"
    if text.inverse:  # white on black: one field, the box and its cleared dots
        return _inverse(text, dpi)
    origins, offset = layout.text_origins(text, dpi)
    x += offset
    if not origins.inside:  # a glyph runs past its box: cut, as the other formats cut it
        return "".join(
            f"^FO{x + gx},{y + gy}{_glyph_field(ink)}" for gx, gy, ink in raster.places(origins)
        )
    # the hot path of a batch of labels: one formatted field per inked glyph, nothing else
    glyphs = _GLYPHS.get((origins.pixels, origins.bold))
    if glyphs is None:
        glyphs = _GLYPHS[(origins.pixels, origins.bold)] = {}
    parts: list[str] = []
    for top, line, xs in origins.rows:
        yy = y + top
        try:
            parts += [
                f"^FO{x + round(px) + g[0]},{yy + g[1]}{g[2]}"
                for ch, px in zip(line, xs, strict=False)
                if (g := glyphs[ch])[2]
            ]
        except KeyError:  # a character not placed at this size before
            for ch in set(line) - glyphs.keys():
                glyphs[ch] = _glyph(origins.pixels, origins.bold, ch)
            parts += [
                f"^FO{x + round(px) + g[0]},{yy + g[1]}{g[2]}"
                for ch, px in zip(line, xs, strict=False)
                if (g := glyphs[ch])[2]
            ]
    return "".join(parts)


@lru_cache(maxsize=256)
def _inverse(text: Text, dpi: int) -> str:
    x, y = round(text.x_mm * dpi / 25.4), round(text.y_mm * dpi / 25.4)
    bitmap, offset = layout.text_bitmap(text, dpi)
    return _graphic(x + offset, y, bitmap)


@lru_cache(maxsize=256)
def _barcode_graphic(barcode: Barcode, dpi: int) -> str:
    x, y = round(barcode.x_mm * dpi / 25.4), round(barcode.y_mm * dpi / 25.4)
    return _graphic(x, y, layout.barcode_bitmap(barcode, dpi))


def _glyph(pixels: int, bold: bool, ch: str) -> tuple[int, int, str]:
    """Where a glyph's ink starts from its origin, and its field ("" when it has no ink)."""
    ink = raster.glyph_ink(pixels, bold, ch)
    return (0, 0, "") if ink is None else (ink.dx, ink.dy, _glyph_field(ink))


def _glyph_field(ink: GlyphInk) -> str:
    field = _GLYPH_FIELDS.get(ink)
    if field is None:
        field = _GLYPH_FIELDS[ink] = compact_graphic_field(ink.bitmap) + "^FS"
    return field


#: per (pixel size, bold): character -> (ink dx, ink dy, its field)
_GLYPHS: dict[tuple[int, bool], dict[str, tuple[int, int, str]]] = {}


@lru_cache(maxsize=1024)
def _box(box: Box, dpi: int) -> str:
    w, h = max(1, to_dots(box.width_mm, dpi)), max(1, to_dots(box.height_mm, dpi))
    t = min(w, h) if box.filled else max(1, to_dots(box.thickness_mm, dpi))
    x, y = to_dots(box.x_mm, dpi), to_dots(box.y_mm, dpi)
    return f"^FO{x},{y}^GB{w},{h},{min(t, w, h)},B,0^FS"


def _barcode(barcode: Barcode, dpi: int) -> str:
    """A barcode field: the printer's own command (not cached, a few string operations), or a
    bitmap (cached)."""
    plan = symbols.plan(barcode, dpi)  # checked and fitted
    x, y = round(barcode.x_mm * dpi / 25.4), round(barcode.y_mm * dpi / 25.4)
    if layout.barcode_as_bitmap(barcode, language="zpl"):
        return _barcode_graphic(barcode, dpi)
    module = plan.module
    height = round(barcode.height_mm * dpi / 25.4)
    head = f"^FO{x},{y}"
    sym = barcode.symbology
    if sym is Symbology.CODE128:
        data = escape(barcode.data)
        if ">" in data:
            # no mode: '>' starts an invocation code; '>0' is the '>' character itself
            return f"{head}^BY{module}^BCN,{height},N,N,N,N^FH^FD{data.replace('>', '>0')}^FS"
        return f"{head}^BY{module}^BCN,{height},N,N,N,A^FH^FD{data}^FS"
    if sym is Symbology.GS1_128:
        return f"{head}^BY{module}^BCN,{height},N,N,N,D^FD{symbols.gs1_parens(barcode.data)}^FS"
    if sym is Symbology.EAN13:
        return f"{head}^BY{module}^BEN,{height},N,N^FD{symbols.ean13_body(barcode.data)}^FS"
    if sym is Symbology.QR:
        if module > _QR_MAX_MODULE:
            return _graphic(x, y, layout.barcode_bitmap(barcode, dpi))
        return f"{head}^BQN,2,{module}^FH^FDMA,{escape(barcode.data)}^FS"
    # DataMatrix ECC 200; its escape character (default '~') must not occur in the data
    free = [c for c in _DM_ESCAPES if c not in barcode.data]
    if not free:
        return _graphic(x, y, layout.barcode_bitmap(barcode, dpi))
    return f"{head}^BXN,{module},200,,,,{free[0]}^FH^FD{escape(barcode.data)}^FS"
