"""TSPL/TSPL2 for TSC, Gprinter, Xprinter and the many low-cost 4x6 printers that speak it.

A job is ``SIZE``, ``GAP``, ``CODEPAGE``, ``CLS``, the fields, then ``PRINT``. Chinese text is a
``BITMAP`` (raw bytes, a *cleared* bit prints a dot). ``parse`` reads a stream back into
commands; the printer emulator uses it to find whole jobs and the tests to check fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache

from app.labels import layout, symbols
from app.labels.model import Align, Barcode, Box, Image, Label, Symbology, Text
from app.labels.raster import Bitmap, picture

#: resident bitmap fonts: name -> (width, height) in dots at 203 and at 300 dpi
FONTS: dict[int, dict[str, tuple[int, int]]] = {
    203: {"1": (8, 12), "2": (12, 20), "3": (16, 24), "4": (24, 32), "5": (32, 48)},
    300: {"1": (12, 20), "2": (16, 28), "3": (24, 32), "4": (32, 48), "5": (48, 64)},
}
GAP_MM = 2
_INVERT = bytes(0xFF ^ b for b in range(256))


def quote(data: str) -> str:
    """A TSPL string literal; a double quote inside is written ``\\["]``."""
    return '"' + data.replace('"', '\\["]') + '"'


def render(label: Label, copies: int = 1) -> bytes:
    layout.check_fits(label)
    head = [
        f"SIZE {_mm(label.size.width_mm)} mm,{_mm(label.size.height_mm)} mm",
        f"GAP {GAP_MM} mm,0 mm",
        "DIRECTION 1,0",
        "REFERENCE 0,0",
        "CODEPAGE UTF-8",
        "CLS",
    ]
    out = bytearray("\r\n".join(head).encode() + b"\r\n")
    for element in label.elements:
        if isinstance(element, Text):
            out += _text(element, label.dpi)
        elif isinstance(element, Barcode):
            out += _barcode(element, label.dpi)
        elif isinstance(element, Box):
            out += _box(element, label)
        elif isinstance(element, Image):
            bmp = picture(element.data, label.dots(element.width_mm))
            out += bitmap_command(label.dots(element.x_mm), label.dots(element.y_mm), bmp)
    out += f"PRINT 1,{max(1, copies)}\r\n".encode()
    return bytes(out)


def bitmap_command(x: int, y: int, bitmap: Bitmap) -> bytes:
    """``BITMAP x,y,width bytes,height,0,<raw>``: TSPL prints cleared bits, so invert."""
    header = f"BITMAP {x},{y},{bitmap.row_bytes},{bitmap.height},0,".encode()
    return header + bitmap.data.translate(_INVERT) + b"\r\n"


def resident_font(height: int, dpi: int) -> tuple[str, int]:
    """The resident font and integer magnification closest to ``height`` dots."""
    best = ("3", 1)
    best_err = 10**9
    for name, (_, h) in FONTS[dpi].items():
        for mult in range(1, 11):
            err = abs(h * mult - height)
            if err < best_err:
                best, best_err = (name, mult), err
    return best


def _mm(value: float) -> str:
    return f"{value:g}"


@lru_cache(maxsize=4096)
def _text(text: Text, dpi: int) -> bytes:
    x, y = round(text.x_mm * dpi / 25.4), round(text.y_mm * dpi / 25.4)
    if layout.uses_printer_font(text, dpi):
        name, mult = resident_font(layout.text_pixels(text, dpi), dpi)
        used = len(text.text) * FONTS[dpi][name][0] * mult
        box = round(text.width_mm * dpi / 25.4) if text.width_mm is not None else used
        if used <= box:  # resident fonts are fixed-width and wide: else drawn as a bitmap
            if text.align is not Align.LEFT:  # place the text by its known width
                x += max(0, (box - used) // (2 if text.align is Align.CENTER else 1))
            return f"TEXT {x},{y},{quote(name)},0,{mult},{mult},{quote(text.text)}\r\n".encode()
    bitmap, offset = layout.text_bitmap(text, dpi)
    return bitmap_command(x + offset, y, bitmap)


def _box(box: Box, label: Label) -> bytes:
    x, y = label.dots(box.x_mm), label.dots(box.y_mm)
    w, h = max(1, label.dots(box.width_mm)), max(1, label.dots(box.height_mm))
    if box.filled:
        return f"BAR {x},{y},{w},{h}\r\n".encode()
    t = max(1, label.dots(box.thickness_mm))
    return f"BOX {x},{y},{x + w},{y + h},{t}\r\n".encode()


@lru_cache(maxsize=1024)
def _barcode(barcode: Barcode, dpi: int) -> bytes:
    plan = symbols.plan(barcode, dpi)  # checked and fitted
    x, y = round(barcode.x_mm * dpi / 25.4), round(barcode.y_mm * dpi / 25.4)
    if layout.barcode_as_bitmap(barcode, language="tspl"):
        return bitmap_command(x, y, layout.barcode_bitmap(barcode, dpi))
    module = plan.module
    height = round(barcode.height_mm * dpi / 25.4)
    sym = barcode.symbology
    if sym is Symbology.CODE128:
        line = f'BARCODE {x},{y},"128",{height},0,0,{module},{module},{quote(barcode.data)}'
    elif sym is Symbology.EAN13:
        body = symbols.ean13_body(barcode.data)
        line = f'BARCODE {x},{y},"EAN13",{height},0,0,{module},{module},"{body}"'
    elif sym is Symbology.QR:
        line = f"QRCODE {x},{y},M,{module},A,0,{quote(barcode.data)}"
    else:
        w, h = plan.width, plan.height
        line = f"DMATRIX {x},{y},{w},{h},x{module},{quote(barcode.data)}"
    return (line + "\r\n").encode()


# --- reading a TSPL stream back ------------------------------------------------------------


@dataclass(frozen=True)
class Command:
    """One TSPL command: its name, its arguments as written (strings unquoted), and for
    ``BITMAP`` the raw image bytes."""

    name: str
    args: tuple[str, ...]
    data: bytes = b""
    #: where the command lies in the parsed stream (end is past its line end)
    start: int = field(default=0, compare=False)
    end: int = field(default=0, compare=False)


class TsplSyntaxError(ValueError):
    pass


def parse(stream: bytes) -> tuple[list[Command], bytes]:
    """Commands in ``stream`` and the incomplete rest (kept for the next chunk)."""
    commands: list[Command] = []
    pos = 0
    while pos < len(stream):
        if stream[pos] in b"\r\n \t":
            pos += 1
            continue
        if stream[pos] == 0x1B:  # ESC ! x immediate commands
            if len(stream) - pos < 3:
                break
            commands.append(Command("ESC!" + chr(stream[pos + 2]), (), start=pos, end=pos + 3))
            pos += 3
            continue
        if stream.startswith(b"BITMAP", pos):
            end = stream.find(b",", pos)
            for _ in range(4):
                end = stream.find(b",", end + 1) if end >= 0 else -1
            if end < 0:
                break
            args = stream[pos + 6 : end].decode("ascii").strip().split(",")
            try:
                size = int(args[2]) * int(args[3])
            except (IndexError, ValueError) as exc:
                raise TsplSyntaxError(f"bad BITMAP header {args!r}") from exc
            if len(stream) < end + 1 + size:
                break
            data = stream[end + 1 : end + 1 + size]
            stop = end + 1 + size
            if stream.startswith(b"\r\n", stop):
                stop += 2
            commands.append(
                Command("BITMAP", tuple(a.strip() for a in args), data, start=pos, end=stop)
            )
            pos = stop
            continue
        end = stream.find(b"\n", pos)
        if end < 0:
            break
        line = stream[pos:end].rstrip(b"\r").decode("utf-8", errors="replace")
        commands.append(replace(_command(line), start=pos, end=end + 1))
        pos = end + 1
    return commands, stream[pos:]


def _command(line: str) -> Command:
    name, _, rest = line.strip().partition(" ")
    args: list[str] = []
    current: list[str] = []
    quoted = False
    i = 0
    while i < len(rest):
        ch = rest[i]
        if quoted and rest.startswith('\\["]', i):
            current.append('"')
            i += 4
            continue
        if ch == '"':
            quoted = not quoted
        elif ch == "," and not quoted:
            args.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
        i += 1
    if rest:
        args.append("".join(current).strip())
    return Command(name.upper(), tuple(args))


def bitmap_image(command: Command) -> Bitmap:
    """The picture of a parsed ``BITMAP`` command, set bits black (as ``Bitmap`` holds it)."""
    width_bytes, height = int(command.args[2]), int(command.args[3])
    return Bitmap(width_bytes * 8, height, command.data.translate(_INVERT))
