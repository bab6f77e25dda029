"""Black-and-white bitmaps for printers: text in the shipped CJK font, pictures, symbols.

Printer-resident fonts have no Chinese glyphs, so Chinese (and any wrapped) text is drawn here
with Pillow and WenQuanYi Micro Hei and sent as ``^GF`` / ``BITMAP``. Glyphs are rendered once
per size and kept, so a batch of labels with different addresses costs a few blits per line.
"""

from __future__ import annotations

import io
import math
import threading
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import NamedTuple

from PIL import Image as PilImage
from PIL import ImageDraw, ImageFont

from app.domain.errors import ValidationError
from app.labels.model import Align
from app.labels.symbols import Matrix
from app.resources import cjk_font_path

#: rendered glyphs: (pixel size, bold, character) -> (mode "1" image, advance in pixels)
_GLYPHS: dict[tuple[int, bool, str], tuple[PilImage.Image, float]] = {}
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Bitmap:
    """A 1-bit picture: rows packed most significant bit first, a set bit is a black dot
    (the ``^GF`` convention; TSPL wants it inverted)."""

    width: int
    height: int
    data: bytes

    @property
    def row_bytes(self) -> int:
        return (self.width + 7) // 8

    def is_blank(self) -> bool:
        return not any(self.data)

    def to_image(self) -> PilImage.Image:
        """As a Pillow image, black on white."""
        img = PilImage.frombytes("1", (self.width, self.height), self.data)
        return PilImage.eval(img.convert("L"), lambda v: 255 - v)


@lru_cache(maxsize=64)
def font(pixels: int) -> ImageFont.FreeTypeFont:
    path = cjk_font_path()
    if not path.exists():
        raise ValidationError(
            "The label font {path} is missing. Reinstall Packdesk or restore resources/fonts.",
            path=path,
        )
    return ImageFont.truetype(str(path), pixels, index=0)


def _glyph(pixels: int, bold: bool, ch: str) -> tuple[PilImage.Image, float]:
    key = (pixels, bold, ch)
    hit = _GLYPHS.get(key)
    if hit is not None:
        return hit
    f = font(pixels)
    advance = f.getlength(ch)
    ascent, descent = f.getmetrics()
    width = max(1, math.ceil(advance) + (1 if bold else 0))
    gray = PilImage.new("L", (width, ascent + descent), 0)
    draw = ImageDraw.Draw(gray)
    draw.text((0, 0), ch, font=f, fill=255)
    if bold:
        draw.text((1, 0), ch, font=f, fill=255)
    glyph = gray.point(lambda v: 255 if v >= 110 else 0).convert("1")
    with _LOCK:
        _GLYPHS[key] = (glyph, advance)
    return glyph, advance


@dataclass(frozen=True, eq=False, slots=True)  # one per glyph (kept in _INK): hashed by identity
class GlyphInk:
    """A glyph's inked dots only: ``dx``/``dy`` from the glyph's origin (left, top of the
    line) to the ink's top-left corner. Printers OR fields together, so a line can be sent
    as one small field per glyph: each is prepared once and only its place changes."""

    dx: int
    dy: int
    bitmap: Bitmap
    pixels: int
    bold: bool
    ch: str


#: (pixel size, bold, character, clip width or 0) -> its ink, or None when it has none
_INK: dict[tuple[int, bool, str, int], GlyphInk | None] = {}


def glyph_ink(pixels: int, bold: bool, ch: str, clip: int = 0) -> GlyphInk | None:
    """The ink of one glyph, cut ``clip`` dots from its origin when ``clip`` is set; None for
    a space or a glyph without ink (or cut away)."""
    key = (pixels, bold, ch, clip)
    try:
        return _INK[key]
    except KeyError:
        pass
    ink: GlyphInk | None = None
    if not ch.isspace():
        glyph, _ = _glyph(pixels, bold, ch)
        if clip:
            glyph = glyph.crop((0, 0, min(clip, glyph.width), glyph.height))
        box = glyph.getbbox()
        if box is not None:
            part = glyph.crop(box)
            bitmap = Bitmap(part.width, part.height, part.tobytes())
            ink = GlyphInk(box[0], box[1], bitmap, pixels, bold, ch)
    with _LOCK:
        _INK[key] = ink
    return ink


class _Face:
    """One size and weight of the font: each character's advance, ink and the right edge of
    its ink, learnt once. Lines are measured and placed with ``map``/``accumulate`` over these
    tables, not a Python step per character: the per-label cost of a batch of new addresses."""

    __slots__ = ("advance", "bold", "ink", "pixels", "right")

    def __init__(self, pixels: int, bold: bool) -> None:
        self.pixels, self.bold = pixels, bold
        self.advance: dict[str, float] = {}
        self.ink: dict[str, GlyphInk | None] = {}
        self.right: dict[str, int] = {}

    def advances(self, text: str) -> list[float]:
        try:
            return list(map(self.advance.__getitem__, text))
        except KeyError:
            for ch in set(text) - self.advance.keys():
                self._learn(ch)
            return list(map(self.advance.__getitem__, text))

    def _learn(self, ch: str) -> None:
        ink = glyph_ink(self.pixels, self.bold, ch)
        self.ink[ch] = ink
        self.right[ch] = 0 if ink is None else ink.dx + ink.bitmap.width
        self.advance[ch] = _glyph(self.pixels, self.bold, ch)[1]  # last: marks it learnt


_FACES: dict[tuple[int, bool], _Face] = {}


def _face(pixels: int, bold: bool) -> _Face:
    face = _FACES.get((pixels, bold))
    if face is None:
        with _LOCK:
            face = _FACES.setdefault((pixels, bold), _Face(pixels, bold))
    return face


def text_width(text: str, pixels: int, bold: bool = False) -> int:
    # the advances are whole 64ths of a dot, so every sum is exact, in any order
    return math.ceil(sum(_face(pixels, bold).advances(text)))


@lru_cache(maxsize=256)
def line_height(pixels: int) -> int:
    ascent, descent = font(pixels).getmetrics()
    return ascent + descent


def wrap(text: str, pixels: int, width: int, max_lines: int, bold: bool = False) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` pixels: at spaces where the text has
    them, anywhere in Chinese. Text beyond ``max_lines`` ends in an ellipsis.

    A line holds at least one character. It breaks before the first character that does not
    fit; when that character and the word before it are ASCII, the word moves to the next line
    with it (the space between is dropped), otherwise the line is cut there, trailing spaces
    dropped and a space at the break skipped."""
    face = _face(pixels, bold)
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        # cum[i]: the advance of paragraph[:i]; exact (whole 64ths), so differences are too
        cum = list(accumulate(face.advances(paragraph), initial=0.0))
        n, start, forced = len(paragraph), 0, 1
        while len(lines) <= max_lines:
            end = max(bisect_right(cum, cum[start] + width, lo=start) - 1, forced)
            if end >= n:
                lines.append(paragraph[start:])
                break
            ch = paragraph[end]  # the first character that does not fit
            cut = paragraph.rfind(" ", start, end)
            if cut > start and ch != " " and ch.isascii() and paragraph[cut + 1 : end].isascii():
                lines.append(paragraph[start:cut])
                start = cut + 1
            else:
                lines.append(paragraph[start:end].rstrip())
                start = end + 1 if ch == " " else end
            forced = max(end + 1, start + 1)  # the carried word and ``ch`` stay together
        if len(lines) > max_lines:
            break
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and text_width(last + "…", pixels, bold) > width:
            last = last[:-1]
        lines[-1] = last + "…"
    return lines


def render_line(text: str, pixels: int, bold: bool = False) -> Bitmap:
    """One line of text as a bitmap, from cached glyphs."""
    return _render_line(text, pixels, bold)


def _stride(width: int) -> int:
    """Bits per row of the composing integer: the width rounded up, with room for a glyph's
    overhang. Few distinct strides, so glyphs are prepared for each only once."""
    return (width // 256 + 2) * 256  # a glyph is narrower than 256 dots


def _glyph_bits(pixels: int, bold: bool, ch: str, stride: int) -> int:
    """A glyph as one integer holding its rows ``stride`` bits apart, the first row in the
    highest bits and the left-most dot in the highest bit of its row: shifting it right by
    ``x`` moves the glyph ``x`` dots to the right within every row at once."""
    key = (pixels, bold, ch, stride)
    bits = _GLYPH_BITS.get(key)
    if bits is None:
        glyph, _ = _glyph(pixels, bold, ch)
        raw = glyph.tobytes()
        rb = (glyph.width + 7) // 8
        bits = 0
        for r in range(glyph.height):
            row = int.from_bytes(raw[r * rb : (r + 1) * rb], "big")
            bits = (bits << stride) | (row << (stride - rb * 8))
        _GLYPH_BITS[key] = bits
    return bits


_GLYPH_BITS: dict[tuple[int, bool, str, int], int] = {}


def _compose(text: str, pixels: int, bold: bool, stride: int, start: int = 0) -> int:
    """The line's dots as one integer of ``line_height`` rows of ``stride`` bits."""
    value = 0
    x = float(start)
    for ch in text:
        advance = _glyph(pixels, bold, ch)[1]
        if not ch.isspace():
            value |= _glyph_bits(pixels, bold, ch, stride) >> round(x)
        x += advance
    return value


@lru_cache(maxsize=256)
def _row_mask(height: int, stride: int, width: int) -> int:
    row = ((1 << width) - 1) << (stride - width)
    mask = 0
    for _ in range(height):
        mask = (mask << stride) | row
    return mask


def _rows(value: int, height: int, stride: int, width: int) -> bytes:
    """Rows of ``width`` dots (MSB first) out of a composed integer; dots past ``width`` are
    cut, as a canvas of that width would."""
    full = (value & _row_mask(height, stride, width)).to_bytes(height * stride // 8, "big")
    sb, rb = stride // 8, (width + 7) // 8
    if sb == rb:
        return full
    return b"".join(full[r * sb : r * sb + rb] for r in range(height))


@lru_cache(maxsize=2048)
def _render_line(text: str, pixels: int, bold: bool) -> Bitmap:
    height = line_height(pixels)
    width = max(1, text_width(text, pixels, bold))
    stride = _stride(width)
    data = _rows(_compose(text, pixels, bold, stride), height, stride, width)
    return Bitmap(width, height, data)


def render_block(
    lines: list[str], pixels: int, width: int, align: Align, bold: bool = False
) -> Bitmap:
    """Several lines stacked, each aligned within ``width`` pixels."""
    step = line_height(pixels)
    width = max(1, width)
    widest = max((text_width(line, pixels, bold) for line in lines), default=0)
    stride = _stride(max(width, widest))
    out = []
    for line in lines:
        used = text_width(line, pixels, bold)
        x = 0
        if align is Align.CENTER:
            x = max(0, (width - used) // 2)
        elif align is Align.RIGHT:
            x = max(0, width - used)
        value = _compose(line, pixels, bold, stride, x) if line else 0
        out.append(_rows(value, step, stride, width))
    return Bitmap(
        width, step * max(1, len(lines)), b"".join(out) or bytes(step * ((width + 7) // 8))
    )


class GlyphRows(NamedTuple):
    """Lines of text ready to place glyph by glyph: each line's top, its text and its glyph
    origins (``xs[i]`` before rounding; ``xs[-1]`` is where the line ends), the canvas width
    ``render_block`` would use, and whether every glyph's ink stays on that canvas (when not,
    ``places`` cuts it as the canvas does)."""

    pixels: int
    bold: bool
    rows: list[tuple[int, str, list[float]]]
    canvas: int
    inside: bool


def line_origins(
    lines: tuple[str, ...] | list[str],
    pixels: int,
    bold: bool,
    width: int | None = None,
    align: Align = Align.LEFT,
) -> GlyphRows:
    """Where each glyph of ``lines`` starts, as ``render_block`` places them (``render_line``
    and left-aligned blocks: ``width`` None, as wide as the widest line)."""
    step = line_height(pixels)
    face = _face(pixels, bold)
    rows = []
    widest = 0.0
    for row, line in enumerate(lines):
        x = 0.0
        if width is not None and align is not Align.LEFT:
            used = text_width(line, pixels, bold)
            x = float(max(0, (width - used) // 2 if align is Align.CENTER else width - used))
        xs = list(accumulate(face.advances(line), initial=x))
        if xs[-1] > widest:
            widest = xs[-1]
        rows.append((row * step, line, xs))
    canvas = max(1, math.ceil(widest)) if width is None else max(1, width)
    inside = True
    for _, line, xs in rows:
        if not _ends_inside(face, line, xs, canvas):
            inside = False
            break
    return GlyphRows(pixels, bold, rows, canvas, inside)


def _ends_inside(face: _Face, line: str, xs: list[float], canvas: int) -> bool:
    """Whether the glyphs near the end of a line keep their ink on the canvas. A glyph is at
    most its advance plus 2 dots wide (ceil, bold) and placed within half a dot, so its ink
    ends before the next origin plus 2.5 dots: only glyphs within 3 dots of the line's end
    can pass the canvas, which is at least as wide as the line."""
    end = xs[-1]
    if end > canvas:  # a single character wider than its box
        return False
    rights = face.right
    for i in range(len(line) - 1, -1, -1):
        if end - xs[i + 1] >= 3:
            break
        if round(xs[i]) + rights[line[i]] > canvas:
            return False
    return True


def places(origins: GlyphRows) -> list[tuple[int, int, GlyphInk]]:
    """Each glyph's ink and where it goes, cut at the canvas's edge."""
    inks = _face(origins.pixels, origins.bold).ink
    out: list[tuple[int, int, GlyphInk]] = []
    for top, line, xs in origins.rows:
        out += [
            (round(x) + ink.dx, top + ink.dy, ink)
            for x, ink in zip(xs, map(inks.__getitem__, line), strict=False)
            if ink is not None
        ]
    return out if origins.inside else _cut(out, origins.canvas)


def _cut(places: list[tuple[int, int, GlyphInk]], canvas: int) -> list[tuple[int, int, GlyphInk]]:
    out = []
    for x, y, ink in places:
        if x + ink.bitmap.width <= canvas:
            out.append((x, y, ink))
            continue
        left = x - ink.dx  # the glyph's origin
        if left >= canvas:
            continue
        cut = glyph_ink(ink.pixels, ink.bold, ink.ch, canvas - left)
        if cut is not None:
            out.append((left + cut.dx, y - ink.dy + cut.dy, cut))
    return out


_INVERT = bytes(0xFF ^ b for b in range(256))


def invert(bitmap: Bitmap) -> Bitmap:
    """White text on black (inverse fields), padding bits included."""
    return Bitmap(bitmap.width, bitmap.height, bitmap.data.translate(_INVERT))


def picture(data: bytes, width: int) -> Bitmap:
    """A PNG/JPEG scaled to ``width`` dots, dithered to black and white."""
    try:
        img: PilImage.Image = PilImage.open(io.BytesIO(data))
        img.load()
    except OSError as exc:
        raise ValidationError("The label picture cannot be read: {exc}.", exc=exc) from exc
    if img.mode in ("RGBA", "LA", "P"):
        background = PilImage.new("RGBA", img.size, (255, 255, 255, 255))
        background.alpha_composite(img.convert("RGBA"))
        img = background
    gray = img.convert("L")
    height = max(1, round(gray.height * width / gray.width))
    gray = gray.resize((width, height), PilImage.Resampling.LANCZOS)
    ink = PilImage.eval(gray, lambda v: 255 - v).convert("1")  # Floyd-Steinberg dither
    return Bitmap(width, height, ink.tobytes())


def symbol_bitmap(matrix: Matrix, module: int, bar_height: int = 0) -> Bitmap:
    """A barcode matrix drawn with square modules of ``module`` dots (1D: bars of
    ``bar_height`` dots)."""
    small = PilImage.new("1", (matrix.width, matrix.height), 0)
    small.putdata([255 if dark else 0 for row in matrix.rows for dark in row])
    height = max(1, bar_height) if matrix.height == 1 else matrix.height * module
    big = small.resize((matrix.width * module, height), PilImage.Resampling.NEAREST)
    return Bitmap(big.width, big.height, big.tobytes())
