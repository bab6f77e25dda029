"""What the ZPL and TSPL preview interpreters share: the error, the dot canvas and the font."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import lru_cache

from PIL import Image, ImageChops, ImageDraw, ImageFont
from PIL.PngImagePlugin import PngInfo

from app.domain.errors import PackdeskError
from app.resources import cjk_font_path

#: A preview bigger than this (in dots, per side) is cut: 10 x 20 inches at 300 dpi
MAX_SIDE = 6000
#: labels of one job shown at most (a job of hundreds is shown by its first labels)
MAX_LABELS = 20


class LabelPreviewError(PackdeskError):
    """A print job that cannot be shown as a label image; the message says why."""


class UnknownJobLanguage(LabelPreviewError):
    template = "Cannot show {language} print jobs as labels; Packdesk shows ZPL, TSPL and PDF jobs."


class PreviewDpiOutOfRange(LabelPreviewError):
    template = "Cannot show a label at {dpi} dpi; label printers have 72 to 600 dpi."


class EmptyJob(LabelPreviewError):
    template = "The {language} print job is empty: there is no label to show. Print it again."


class NotALabel(LabelPreviewError):
    """A job whose bytes hold no label of its language."""


class NoZplLabel(NotALabel):
    template = (
        "This print job holds no ZPL label (no ^XA ... ^XZ): it is not ZPL or it was cut off. "
        "Check the printer language in the device settings and print it again."
    )


class NoTsplLabel(NotALabel):
    template = (
        "This print job holds no TSPL label (no SIZE, CLS, TEXT or PRINT command): it is not TSPL "
        "or it was cut off. Check the printer language in the device settings and print it again."
    )


class BlankTsplJob(NotALabel):
    template = "This TSPL job draws nothing and prints nothing: there is no label to show."


class BadPdfJob(NotALabel):
    template = (
        "This print job cannot be opened as a PDF ({reason}): it is not a PDF or it was cut off. "
        "Print it again."
    )


class PdfNotALabel(NotALabel):
    template = (
        "This PDF is not a label: its page is {width_mm} x {height_mm} mm. Labels are at most "
        "{max_mm} mm on a side."
    )


@dataclass
class Report:
    """Commands the preview ignored and places where it had to guess, for an honest preview."""

    ignored: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def ignore(self, command: str) -> None:
        if command not in self.ignored:
            self.ignored.append(command)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)


def clamp(value: int, lo: int, hi: int) -> int:
    return max(lo, min(hi, value))


def to_int(text: str | None, default: int, lo: int = -MAX_SIDE, hi: int = MAX_SIDE) -> int:
    """A printer parameter as an int within bounds; an empty or bad one gives the default."""
    if text is None:
        return default
    text = text.strip()
    try:
        value = int(float(text)) if text else default
    except (ValueError, OverflowError):
        return default
    return clamp(value, lo, hi)


class Canvas:
    """One label's dots; ink is 1. Masks are mode "1" images with ink as 1."""

    def __init__(self, width: int, height: int) -> None:
        self.width = clamp(width, 1, MAX_SIDE)
        self.height = clamp(height, 1, MAX_SIDE)
        self.ink = Image.new("1", (self.width, self.height), 0)

    def put(self, mask: Image.Image, x: int, y: int, mode: str = "or") -> None:
        """Combine a mask at (x, y): ``or`` draws, ``xor`` reverses, ``clear`` erases ink."""
        left, top = max(x, 0), max(y, 0)
        right, bottom = min(x + mask.width, self.width), min(y + mask.height, self.height)
        if right <= left or bottom <= top:
            return
        part = mask.crop((left - x, top - y, right - x, bottom - y))
        box = (left, top, right, bottom)
        here = self.ink.crop(box)
        if mode == "xor":
            here = ImageChops.logical_xor(here, part)
        elif mode == "clear":
            here = ImageChops.logical_and(here, ImageChops.invert(part.convert("L")).convert("1"))
        elif mode == "copy":
            here = part
        else:
            here = ImageChops.logical_or(here, part)
        self.ink.paste(here, box)

    def image(self) -> Image.Image:
        """Black ink on white, as the label comes out of the printer."""
        return ImageChops.invert(self.ink.convert("L")).convert("1")


def png_bytes(image: Image.Image, dpi: int, ignored: list[str], notes: list[str]) -> bytes:
    info = PngInfo()
    if ignored:
        info.add_text("Packdesk-Ignored", " ".join(ignored))
    if notes:
        info.add_text("Packdesk-Notes", "\n".join(notes))
    buf = io.BytesIO()
    image.save(buf, format="PNG", pnginfo=info, dpi=(dpi, dpi), optimize=False)
    return buf.getvalue()


def rect_mask(width: int, height: int, thickness: int, radius: int = 0) -> Image.Image:
    """A box outline (or a filled bar when the thickness covers it) as a mask."""
    width, height = clamp(width, 1, MAX_SIDE), clamp(height, 1, MAX_SIDE)
    mask = Image.new("1", (width, height), 0)
    draw = ImageDraw.Draw(mask)
    t = clamp(thickness, 1, max(width, height))
    shape = (0, 0, width - 1, height - 1)
    if radius > 0:
        draw.rounded_rectangle(shape, radius=radius, outline=1, width=t, fill=None)
        if 2 * t >= min(width, height):
            draw.rounded_rectangle(shape, radius=radius, fill=1)
    else:
        draw.rectangle(shape, outline=1, width=t, fill=1 if 2 * t >= min(width, height) else None)
    return mask


def rotate(mask: Image.Image, orientation: str) -> Image.Image:
    """ZPL orientations: N normal, R 90 degrees clockwise, I 180, B 270 (reads bottom up)."""
    turn = {
        "R": Image.Transpose.ROTATE_270,
        "I": Image.Transpose.ROTATE_180,
        "B": Image.Transpose.ROTATE_90,
    }.get(orientation)
    return mask.transpose(turn) if turn is not None else mask


def scale_modules(modules: Image.Image, module_w: int, module_h: int) -> Image.Image:
    """Each module as a whole number of dots, as the printer draws it."""
    w = clamp(modules.width * module_w, 1, MAX_SIDE)
    h = clamp(modules.height * module_h, 1, MAX_SIDE)
    return modules.resize((w, h), Image.Resampling.NEAREST)


@lru_cache(maxsize=64)
def font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(cjk_font_path()), size=clamp(size, 1, MAX_SIDE), index=0)


#: printer fonts' capital letters are three quarters of the character cell high
CAP_RATIO = 0.75


@lru_cache(maxsize=1)
def _em_per_cap() -> float:
    top, bottom = font(200).getbbox("H", anchor="ls")[1::2]
    return 200 / max(bottom - top, 1)


def font_for_height(height: int) -> ImageFont.FreeTypeFont:
    """The TrueType font whose capitals fill three quarters of a ``height``-dot cell."""
    return font(max(1, round(height * CAP_RATIO * _em_per_cap())))


def advance(text: str, height: int) -> float:
    return float(font_for_height(height).getlength(text))


def text_mask(
    text: str, height: int, x_scale: float = 1.0, bold: bool = False
) -> tuple[Image.Image, int, int]:
    """Text in a ``height``-dot character cell: the mask, its baseline row, and how many rows
    of it stand above the cell (CJK glyphs and accents are taller than capitals)."""
    height = clamp(height, 1, 2000)
    f = font_for_height(height)
    ascent, _ = f.getmetrics()
    cap = round(height * CAP_RATIO)
    above = max(ascent - cap, 0)
    baseline = above + cap
    stroke = height // 36 if bold else 0
    length = f.getlength(text)
    # nothing past the largest label shows, and a line may not take more than ~40 M pixels
    limit = min(MAX_SIDE / max(x_scale, 0.05), 40_000_000 / (2 * height))
    if length > limit:
        text = text[: max(1, int(len(text) * limit / length))]
        length = f.getlength(text)
    width = clamp(int(length) + 1 + 2 * stroke, 1, 4 * MAX_SIDE)
    grey = Image.new("L", (width, baseline + height - cap), 0)
    ImageDraw.Draw(grey).text(
        (stroke, baseline), text, font=f, fill=255, anchor="ls", stroke_width=stroke,
        stroke_fill=255,
    )  # fmt: skip
    if abs(x_scale - 1.0) > 0.01:
        new_w = clamp(round(width * x_scale), 1, MAX_SIDE)
        grey = grey.resize((new_w, grey.height), Image.Resampling.BILINEAR)
    return grey.point(lambda v: 1 if v >= 128 else 0, mode="1"), baseline, above


def wrap(text: str, height: int, x_scale: float, width: int, max_lines: int) -> list[str]:
    """Break text into at most ``max_lines`` lines no wider than ``width`` dots (at spaces, or
    anywhere for CJK)."""
    lines: list[str] = []
    for para in text.split("\n"):
        line = ""
        for word in _words(para):
            candidate = line + word
            if line and advance(candidate.rstrip(), height) * x_scale > width:
                lines.append(line.rstrip())
                if len(lines) >= max_lines:
                    return lines
                line = word.lstrip()
            else:
                line = candidate
        lines.append(line.rstrip())
        if len(lines) >= max_lines:
            break
    return lines


def _words(text: str) -> list[str]:
    """Words with their trailing space; each CJK character is a word of its own."""
    out: list[str] = []
    cur = ""
    for ch in text:
        if ord(ch) >= 0x2E80:
            if cur:
                out.append(cur)
                cur = ""
            out.append(ch)
        elif ch == " ":
            out.append(cur + ch)
            cur = ""
        else:
            cur += ch
    if cur:
        out.append(cur)
    return out
