"""TSPL/TSPL2 to dots, for the label preview.

Each ``PRINT`` prints the image buffer as it is then; ``CLS`` clears it. Resident fonts are drawn
with the shipped TrueType font at their cell size (glyph shapes differ from the printer's, sizes
and positions do not); barcodes and bitmaps are exact to the dot.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from PIL import Image

from app.labels import preview_symbols as sym
from app.labels.preview_base import (
    MAX_LABELS,
    MAX_SIDE,
    BlankTsplJob,
    Canvas,
    NoTsplLabel,
    Report,
    advance,
    clamp,
    rect_mask,
    rotate,
    scale_modules,
    text_mask,
    to_int,
)

#: commands that change nothing on the label image (SHIFT and OFFSET make up for the
#: mechanics of one printer; the preview shows the label as designed)
_NO_IMAGE_NAMES = (
    "GAP BLINE OFFSET SPEED DENSITY SET LIMITFEED SOUND CUT HOME FORMFEED BACKFEED BACKUP "
    "SELFTEST EOP INITIALPRINTER KILL MOVE RUN FILES DELAY SHIFT"
)
_NO_IMAGE = frozenset(_NO_IMAGE_NAMES.split())
#: resident fonts: (width, height) of a character cell in dots, at 203 and 300 dpi
_FONTS = {
    203: {"1": (8, 12), "2": (12, 20), "3": (16, 24), "4": (24, 32), "5": (32, 48),
          "6": (14, 19), "7": (21, 27), "8": (14, 25)},
    300: {"1": (12, 20), "2": (16, 28), "3": (24, 32), "4": (32, 48), "5": (48, 64),
          "6": (19, 27), "7": (28, 37), "8": (19, 35)},
}  # fmt: skip
_CJK_FONTS = {"TSS24.BF2": 24, "TST24.BF2": 24, "TSS16.BF2": 16, "TSS20.BF2": 20, "K": 24}
_WORD = re.compile(rb"[A-Za-z0-9_!~]+")
_ROTATIONS = {0: "N", 90: "R", 180: "I", 270: "B"}


@dataclass
class Statement:
    name: str
    args: list[str]
    data: bytes = b""


def statements(stream: bytes) -> Iterator[Statement]:
    """TSPL commands: a word, then comma-separated arguments to the end of the line; ``BITMAP``
    is followed by ``width x height`` raw bytes."""
    pos, n = 0, len(stream)
    while pos < n:
        c = stream[pos]
        if c in b"\r\n \t\0":
            pos += 1
            continue
        if c == 0x1B:  # ESC ! x: status and control, answered at once, nothing printed
            yield Statement("ESC", [])
            pos += 3
            continue
        m = _WORD.match(stream, pos)
        word = m.group().decode("ascii").upper() if m else ""
        if word == "BITMAP" and m is not None:
            head_end = _nth_comma(stream, m.end(), 5)
            if head_end >= 0:
                args = stream[m.end() : head_end].decode("latin-1").split(",")
                size = to_int(args[2], 0, 0, MAX_SIDE) * to_int(args[3], 0, 0, MAX_SIDE)
                data = stream[head_end + 1 : head_end + 1 + size]
                yield Statement("BITMAP", [a.strip() for a in args], data)
                pos = head_end + 1 + size
                continue
        end = stream.find(b"\n", pos)
        end = n if end < 0 else end
        line = stream[pos:end].rstrip(b"\r")
        pos = end + 1
        if not word:
            yield Statement("?", [line[:12].decode("latin-1")])
            continue
        rest = line[len(word) :] if m is not None else b""
        yield Statement(word, _split_args(rest))


def _nth_comma(data: bytes, start: int, count: int) -> int:
    pos = start - 1
    for _ in range(count):
        pos = data.find(b",", pos + 1, start + 80)
        if pos < 0:
            return -1
    return pos


def _split_args(rest: bytes) -> list[str]:
    """Arguments as written, kept as raw latin-1 text; quoted strings keep their quotes so that
    text arguments can be decoded with the current code page later."""
    text = rest.decode("latin-1").strip()
    args: list[str] = []
    cur: list[str] = []
    quoted = False
    i = 0
    while i < len(text):
        if quoted and text.startswith('\\["]', i):
            cur.append('\\["]')
            i += 4
            continue
        ch = text[i]
        if ch == '"':
            quoted = not quoted
            cur.append(ch)
        elif ch == "," and not quoted:
            args.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
        i += 1
    if text:
        args.append("".join(cur).strip())
    return args


def _size(text: str | None, dpi: int, default_unit: str = "in") -> int | None:
    """``100 mm``, ``4`` (inches) or ``800 dot`` to dots."""
    m = re.match(r"\s*([0-9]*\.?[0-9]+)\s*(mm|dot)?", text or "", re.IGNORECASE)
    if not m:
        return None
    value = float(m.group(1))
    unit = (m.group(2) or default_unit).lower()
    dots = value if unit == "dot" else value * dpi / (25.4 if unit == "mm" else 1)
    return clamp(round(dots), 1, MAX_SIDE)


@dataclass
class TsplRenderer:
    """Interprets a TSPL job; ``labels`` gets the image buffer at each ``PRINT``."""

    dpi: int
    report: Report = field(default_factory=Report)
    labels: list[Image.Image] = field(default_factory=list)

    def run(self, data: bytes) -> None:
        stmts = list(statements(data))
        known = [s for s in stmts if hasattr(self, f"_cmd_{s.name}") or s.name in _NO_IMAGE]
        if not known:
            raise NoTsplLabel()
        self.width, self.height = 4 * self.dpi, 6 * self.dpi
        self.origin = (0, 0)
        self.utf8 = False
        self.mirror = False
        self.canvas: Canvas | None = None
        drawn = False
        for s in stmts:
            handler = getattr(self, f"_cmd_{s.name}", None)
            if handler is not None:
                handler(s)
                drawn = drawn or s.name not in ("SIZE", "CLS", "PRINT", "REFERENCE")
                if s.name == "PRINT":
                    drawn = False
            elif s.name not in _NO_IMAGE and s.name != "ESC":
                self.report.ignore(s.name)
        if not self.labels and self.canvas is not None:
            self.report.note("The job has no PRINT command: a printer would print nothing.")
            self.labels.append(self._snapshot())
        elif drawn:
            self.report.note("Commands after the last PRINT were not printed.")
        if not self.labels:
            raise BlankTsplJob()

    @property
    def _canvas(self) -> Canvas:
        if self.canvas is None:
            self.canvas = Canvas(self.width, self.height)
        return self.canvas

    def _snapshot(self) -> Image.Image:
        img = self._canvas.image()
        return img.transpose(Image.Transpose.FLIP_LEFT_RIGHT) if self.mirror else img

    def _xy(self, s: Statement) -> tuple[int, int]:
        return (
            to_int(_arg(s, 0), 0) + self.origin[0],
            to_int(_arg(s, 1), 0) + self.origin[1],
        )

    def _string(self, raw: str) -> bytes:
        inner = raw.strip()
        if len(inner) >= 2 and inner[0] == inner[-1] == '"':
            inner = inner[1:-1]
        return inner.replace('\\["]', '"').encode("latin-1")

    def _decode(self, raw: bytes, cjk: bool = False) -> str:
        if self.utf8:
            return raw.decode("utf-8", "replace")
        return raw.decode("gb18030" if cjk else "cp437", "replace")

    # --- job and page ---------------------------------------------------------------------------

    def _cmd_SIZE(self, s: Statement) -> None:
        self.width = _size(_arg(s, 0), self.dpi) or self.width
        self.height = _size(_arg(s, 1), self.dpi) or self.height
        if self.canvas is not None and (self.canvas.width, self.canvas.height) != (
            self.width,
            self.height,
        ):
            self.canvas = None

    def _cmd_CLS(self, s: Statement) -> None:
        self.canvas = Canvas(self.width, self.height)

    def _cmd_PRINT(self, s: Statement) -> None:
        if len(self.labels) == MAX_LABELS:
            self.report.note(f"Only the first {MAX_LABELS} labels of the job are shown.")
            return
        self.labels.append(self._snapshot())

    def _cmd_REFERENCE(self, s: Statement) -> None:
        self.origin = (to_int(_arg(s, 0), 0, 0), to_int(_arg(s, 1), 0, 0))

    def _cmd_DIRECTION(self, s: Statement) -> None:
        # 0/1 only say which way the label leaves the printer; the preview shows it upright
        self.mirror = to_int(_arg(s, 1), 0, 0, 1) == 1

    def _cmd_CODEPAGE(self, s: Statement) -> None:
        self.utf8 = (_arg(s, 0) or "").strip().strip('"').upper().replace("-", "") == "UTF8"

    # --- drawing --------------------------------------------------------------------------------

    def _cmd_BAR(self, s: Statement) -> None:
        x, y = self._xy(s)
        w, h = to_int(_arg(s, 2), 1, 1), to_int(_arg(s, 3), 1, 1)
        self._canvas.put(rect_mask(w, h, max(w, h)), x, y)

    def _cmd_BOX(self, s: Statement) -> None:
        x, y = self._xy(s)
        x2 = to_int(_arg(s, 2), x) + self.origin[0]
        y2 = to_int(_arg(s, 3), y) + self.origin[1]
        t = to_int(_arg(s, 4), 1, 1)
        radius = to_int(_arg(s, 5), 0, 0)
        left, top = min(x, x2), min(y, y2)
        self._canvas.put(rect_mask(abs(x2 - x) + 1, abs(y2 - y) + 1, t, radius), left, top)

    def _cmd_REVERSE(self, s: Statement) -> None:
        x, y = self._xy(s)
        w, h = to_int(_arg(s, 2), 1, 1), to_int(_arg(s, 3), 1, 1)
        self._canvas.put(rect_mask(w, h, max(w, h)), x, y, "xor")

    def _cmd_ERASE(self, s: Statement) -> None:
        x, y = self._xy(s)
        w, h = to_int(_arg(s, 2), 1, 1), to_int(_arg(s, 3), 1, 1)
        self._canvas.put(rect_mask(w, h, max(w, h)), x, y, "clear")

    def _cmd_BITMAP(self, s: Statement) -> None:
        x, y = self._xy(s)
        row_bytes, rows = to_int(_arg(s, 2), 0, 0), to_int(_arg(s, 3), 0, 0)
        if row_bytes <= 0 or rows <= 0:
            self.report.note("A BITMAP without a size was skipped.")
            return
        raw = s.data
        if len(raw) < row_bytes * rows:
            self.report.note("A BITMAP has less data than it declares; the rest is left white.")
            raw = raw.ljust(row_bytes * rows, b"\xff")
        # TSPL prints the cleared bits
        ink = Image.frombytes("1", (row_bytes * 8, rows), raw).point(lambda v: 255 - v)
        mode = {0: "copy", 1: "or", 2: "xor"}.get(to_int(_arg(s, 4), 0, 0, 2), "copy")
        self._canvas.put(ink.convert("1"), x, y, mode)

    def _place(
        self, mask: Image.Image, x: int, y: int, rotation: int, align: int = 1, above: int = 0
    ) -> None:
        """TSPL turns a field clockwise about its (x, y) reference point, the top-left corner
        of the upright field; ``above`` rows of the mask stand out over that corner."""
        w, h = mask.width, mask.height
        if align == 2:
            x -= w // 2
        elif align == 3:
            x -= w
        orient = _ROTATIONS.get(rotation, "N")
        dx, dy = {
            "N": (0, -above),
            "R": (-(h - above), 0),
            "I": (-w, -(h - above)),
            "B": (-above, -w),
        }[orient]
        self._canvas.put(rotate(mask, orient), x + dx, y + dy)

    def _cmd_TEXT(self, s: Statement) -> None:
        x, y = self._xy(s)
        name = (_arg(s, 2) or '"3"').strip().strip('"').upper()
        rotation = to_int(_arg(s, 3), 0, 0, 270)
        xm, ym = _mul(_arg(s, 4)), _mul(_arg(s, 5))
        align = to_int(_arg(s, 6), 1, 0, 3) if len(s.args) > 7 else 1
        raw = self._string(s.args[-1]) if len(s.args) >= 7 else b""
        cjk = name in _CJK_FONTS
        text = self._decode(raw, cjk)
        fonts = _FONTS[300 if self.dpi >= 250 else 203]
        if name in fonts:
            cell_w, cell_h = fonts[name]
            h = round(cell_h * ym)
            x_scale = cell_w * xm / max(advance("0", h), 1)
        elif cjk:
            h = round(_CJK_FONTS[name] * ym)
            x_scale = _CJK_FONTS[name] * xm / max(advance("中", h), 1)
        else:  # scalable font ("0", ROMAN.TTF, downloaded .TTF): multipliers are points
            h = round(ym * self.dpi / 72)
            x_scale = xm / ym if ym else 1.0
        x_scale = clamp(round(100 * x_scale), 5, 2000) / 100
        mask, _, above = text_mask(text, clamp(h, 1, MAX_SIDE), x_scale)
        self._place(mask, x, y, rotation, align, above)

    def _cmd_BARCODE(self, s: Statement) -> None:
        x, y = self._xy(s)
        kind = (_arg(s, 2) or "").strip().strip('"').upper()
        height = to_int(_arg(s, 3), 50, 1)
        readable = to_int(_arg(s, 4), 0, 0, 3)
        rotation = to_int(_arg(s, 5), 0, 0, 270)
        narrow = to_int(_arg(s, 6), 2, 1, 20)
        align = to_int(_arg(s, 8), 1, 0, 3) if len(s.args) > 9 else 1
        data = self._string(s.args[-1]).decode("latin-1") if len(s.args) >= 9 else ""
        try:
            if kind == "128":
                modules, hri = sym.code128_image(sym.code128_auto(list(data))), data
            elif kind == "128M":
                modules, hri = sym.code128_image(sym.code128_tspl_manual(data)), data
            elif kind in ("EAN128", "EAN128M"):
                items = sym.gs1_items_from_hri(data)
                if items is None:
                    parts = data.split("!102")
                    items = [sym.FNC1]
                    for k, part in enumerate(parts):
                        items += ([sym.FNC1] if k else []) + list(part)
                modules, hri = sym.code128_image(sym.code128_auto(items, "GS1-128")), data
            elif kind == "EAN13":
                modules, hri = sym.ean13_image(data)
            else:
                self.report.ignore(f'BARCODE "{kind}"')
                return
        except sym.SymbolError as exc:
            self.report.note(f"BARCODE at {x},{y}: {exc.message}")
            return
        bars = scale_modules(modules, narrow, height)
        if readable:
            text_h = clamp(12 * narrow + 8, 16, 80)
            out = Image.new("1", (bars.width, height + text_h + 2), 0)
            out.paste(bars, (0, 0))
            label, _, _ = text_mask(hri, text_h)
            left = {1: 0, 2: (bars.width - label.width) // 2, 3: bars.width - label.width}
            out.paste(label, (max(0, left.get(readable, 0)), height + 2))
            bars = out
        self._place(bars, x, y, rotation, align)

    def _cmd_QRCODE(self, s: Statement) -> None:
        x, y = self._xy(s)
        ecc = (_arg(s, 2) or "M").strip().upper()[:1]
        cell = to_int(_arg(s, 3), 4, 1, 40)
        manual = (_arg(s, 4) or "A").strip().upper().startswith("M")
        rotation = to_int(_arg(s, 5), 0, 0, 270)
        data = self._string(s.args[-1]) if len(s.args) >= 7 else b""
        if manual:
            kind = data[:1].upper()
            data = data[5:] if kind == b"B" and data[1:5].isdigit() else data[1:]
        try:
            modules = sym.qr_image(data, ecc if ecc in "LMQH" else "M")
        except sym.SymbolError as exc:
            self.report.note(f"QRCODE at {x},{y}: {exc.message}")
            return
        self._place(scale_modules(modules, cell, cell), x, y, rotation)

    def _cmd_DMATRIX(self, s: Statement) -> None:
        x, y = self._xy(s)
        area_w, area_h = to_int(_arg(s, 2), 0, 0), to_int(_arg(s, 3), 0, 0)
        opts = [a.strip() for a in s.args[4:-1]]
        module, esc, rotation, rows, cols = 0, b"", 0, 0, 0
        bare: list[int] = []
        for opt in opts:
            key, value = opt[:1].lower(), opt[1:]
            if key == "x":
                module = to_int(value, 0, 0, 100)
            elif key == "c":
                esc = bytes([to_int(value, 126, 1, 255)])
            elif key == "r":
                rotation = to_int(value, 0, 0, 270)
            elif opt.isdigit():
                bare.append(int(opt))
        if len(bare) >= 2:
            rows, cols = bare[0], bare[1]
        data = self._string(s.args[-1]) if len(s.args) >= 5 else b""
        gs1 = False
        if esc:
            data, gs1 = sym.datamatrix_escapes(data, esc, self.report)
        try:
            modules = sym.datamatrix_image(data, gs1, rows, cols, square=not (rows and cols))
        except sym.SymbolError as exc:
            self.report.note(f"DMATRIX at {x},{y}: {exc.message}")
            return
        if module <= 0:  # no module size given: the largest that fits the area
            fit_w = area_w // max(modules.width, 1)
            fit_h = area_h // max(modules.height, 1)
            module = max(1, min(fit_w, fit_h))
        self._place(scale_modules(modules, module, module), x, y, rotation)

    def _cmd_CIRCLE(self, s: Statement) -> None:
        from PIL import ImageDraw

        x, y = self._xy(s)
        d = to_int(_arg(s, 2), 1, 1)
        t = to_int(_arg(s, 3), 1, 1)
        mask = Image.new("1", (d, d), 0)
        ImageDraw.Draw(mask).ellipse((0, 0, d - 1, d - 1), outline=1, width=t)
        self._canvas.put(mask, x, y)


def _arg(s: Statement, k: int) -> str | None:
    return s.args[k] if k < len(s.args) else None


def _mul(text: str | None) -> float:
    try:
        value = float((text or "1").strip())
    except ValueError:
        return 1.0
    return min(max(value, 0.1), 40.0)
