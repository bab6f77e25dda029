"""ZPL II to dots, for the label preview: the commands Packdesk and common label software send.

Coordinates are printer dots. Text is drawn with the shipped TrueType font (the printer's own
fonts are not available here), so glyph shapes differ from a Zebra's while sizes and positions
follow the commands; barcodes and graphics are exact to the dot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from PIL import Image

from app.labels import preview_symbols as sym
from app.labels.preview_base import (
    CAP_RATIO,
    MAX_LABELS,
    MAX_SIDE,
    Canvas,
    NoZplLabel,
    Report,
    advance,
    clamp,
    rect_mask,
    rotate,
    scale_modules,
    text_mask,
    to_int,
    wrap,
)
from app.labels.preview_zpl_syntax import Token, graphic_ascii, qr_manual, split_fnc1, tokens, unhex

#: commands that change nothing on the label image (media, speed, darkness, status, memory)
_NO_IMAGE_NAMES = (
    "MM MN MT MD MF PR PQ PF PP PH JU JZ JS JA JB JE JL JM JR JT JW JX JC SD TA HS HI HM HH HB HD "
    "HL HU HV HW HZ SS SZ SL SP SE XB FX ID CC CD CT DY EG KN KP KL NC NT NI"
)
_NO_IMAGE = frozenset(_NO_IMAGE_NAMES.split())
#: resident bitmap fonts: (height, width) in dots at 203 dpi
_BITMAP_FONTS = {
    "A": (9, 5), "B": (11, 7), "C": (18, 10), "D": (18, 10), "E": (28, 15), "F": (26, 13),
    "G": (60, 40), "H": (21, 13), "P": (20, 18), "Q": (28, 24), "R": (35, 31), "S": (40, 35),
    "T": (48, 42), "U": (59, 53), "V": (80, 71),
}  # fmt: skip
#: guard bar modules of EAN-13, and how much longer than the other bars they print (dots)
_EAN_GUARDS = frozenset((0, 1, 2, 45, 46, 47, 48, 49, 92, 93, 94))
_EAN_GUARD_EXTRA = 13


@dataclass
class _Field:
    x: int = 0
    y: int = 0
    typeset: bool = False
    placed: bool = False
    font: tuple[str, str, int, int] | None = None
    block: tuple[int, int, int, str, int] | None = None
    hex_char: bytes | None = None
    reverse: bool = False
    barcode: Token | None = None
    graphic: Token | None = None
    data: bytes | None = None


@dataclass
class _Settings:
    """What persists across fields (and, as on a printer, across labels of one job)."""

    width: int
    length: int
    home: tuple[int, int] = (0, 0)
    shift: tuple[int, int] = (0, 0)
    utf8: bool = False
    orientation: str = "N"
    font: tuple[str, int, int] = ("A", 9, 5)
    by: tuple[int, float, int] = (2, 3.0, 10)
    reverse_all: bool = False
    invert: bool = False
    mirror: bool = False


@dataclass
class ZplRenderer:
    """Interprets a ZPL job; ``labels`` holds one canvas per ``^XA...^XZ`` format."""

    dpi: int
    report: Report = field(default_factory=Report)
    labels: list[Image.Image] = field(default_factory=list)

    def run(self, data: bytes) -> None:
        toks = list(tokens(data))
        starts = [k for k, t in enumerate(toks) if t.prefix == "^" and t.name == "XA"]
        if not starts:
            raise NoZplLabel()
        self.settings = _Settings(width=4 * self.dpi, length=6 * self.dpi)
        for t in toks[: starts[0]]:
            self._outside(t)
        k = starts[0]
        while k < len(toks):
            end = next((e for e in range(k + 1, len(toks)) if toks[e].name == "XZ"), None)
            if end is None:
                self.report.note("The last label has no ^XZ: the printer would wait for it.")
            body = toks[k + 1 : end if end is not None else len(toks)]
            if len(self.labels) == MAX_LABELS:
                self.report.note(f"Only the first {MAX_LABELS} labels of the job are shown.")
                break
            self._label(body)
            if end is None:
                break
            k = end + 1
            while k < len(toks) and not (toks[k].prefix == "^" and toks[k].name == "XA"):
                self._outside(toks[k])
                k += 1

    def _outside(self, t: Token) -> None:
        if t.prefix == "^" or t.name not in _NO_IMAGE:
            self.report.ignore(t.prefix + t.name)

    def _label(self, body: list[Token]) -> None:
        s = self.settings
        for t in body:  # the size is known before anything is drawn
            if t.name == "PW":
                s.width = to_int(t.arg(0), s.width, 2, MAX_SIDE)
            elif t.name == "LL":
                s.length = to_int(t.arg(0), s.length, 1, MAX_SIDE)
        self.canvas = Canvas(s.width, s.length)
        self.field = _Field()
        for t in body:
            self._command(t)
        self._flush()
        img = self.canvas.image()
        if s.invert:
            img = img.transpose(Image.Transpose.ROTATE_180)
        if s.mirror:
            img = img.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
        self.labels.append(img)

    # --- commands -------------------------------------------------------------------------------

    def _command(self, t: Token) -> None:
        handler = getattr(self, f"_cmd_{t.name}", None) if t.name.isalnum() else None
        if handler is not None:
            handler(t)
        elif t.name in _NO_IMAGE or t.name in ("PW", "LL"):
            return
        elif t.name.startswith("B") and t.prefix == "^":
            self.field.barcode = t  # drawn at ^FS; unsupported symbologies are reported there
        else:
            self.report.ignore(t.prefix + t.name)

    def _cmd_CI(self, t: Token) -> None:
        self.settings.utf8 = to_int(t.arg(0), 0, 0, 99) in (28, 29, 30)

    def _cmd_LH(self, t: Token) -> None:
        self.settings.home = (to_int(t.arg(0), 0, 0), to_int(t.arg(1), 0, 0))

    def _cmd_LS(self, t: Token) -> None:
        self.settings.shift = (-to_int(t.arg(0), 0), self.settings.shift[1])

    def _cmd_LT(self, t: Token) -> None:
        self.settings.shift = (self.settings.shift[0], to_int(t.arg(0), 0, -120, 120))

    def _cmd_LR(self, t: Token) -> None:
        self.settings.reverse_all = (t.arg(0) or "N").upper().startswith("Y")

    def _cmd_PO(self, t: Token) -> None:
        self.settings.invert = (t.arg(0) or "N").upper().startswith("I")

    def _cmd_PM(self, t: Token) -> None:
        self.settings.mirror = (t.arg(0) or "N").upper().startswith("Y")

    def _cmd_FW(self, t: Token) -> None:
        self.settings.orientation = _orientation(t.arg(0), self.settings.orientation)

    def _cmd_CF(self, t: Token) -> None:
        name, h, w = self.settings.font
        new = (t.arg(0) or name)[:1].upper()
        base_h, base_w = _BITMAP_FONTS.get(new, (h, 0))
        h = to_int(t.arg(1), base_h if new != name else h, 1, MAX_SIDE)
        w = to_int(t.arg(2), base_w if new != name else w, 0, MAX_SIDE)
        self.settings.font = (new, h, w)

    def _cmd_BY(self, t: Token) -> None:
        w, r, h = self.settings.by
        try:
            ratio = float(t.arg(1) or r)
        except ValueError:
            ratio = r
        self.settings.by = (to_int(t.arg(0), w, 1, 10), ratio, to_int(t.arg(2), h, 1, MAX_SIDE))

    def _cmd_FO(self, t: Token) -> None:
        self._place(t, typeset=False)

    def _cmd_FT(self, t: Token) -> None:
        self._place(t, typeset=True)

    def _place(self, t: Token, typeset: bool) -> None:
        if self.field.data is not None or self.field.graphic is not None:
            self._flush()
        s = self.settings
        f = self.field
        f.x = to_int(t.arg(0), 0, 0) + s.home[0] + s.shift[0]
        f.y = to_int(t.arg(1), 0, 0) + s.home[1] + s.shift[1]
        f.typeset, f.placed = typeset, True

    def _cmd_A(self, t: Token) -> None:
        text = t.text
        name = text[:1].upper() or "0"
        rest = text[1:].split(",")
        orient = _orientation(rest[0] if rest else None, self.settings.orientation)
        base_h = _BITMAP_FONTS.get(name, self.settings.font[1:])[0]
        h = to_int(rest[1] if len(rest) > 1 else None, base_h, 1, MAX_SIDE)
        w = to_int(rest[2] if len(rest) > 2 else None, 0, 0, MAX_SIDE)
        self.field.font = (name, orient, h, w)

    def _cmd_FB(self, t: Token) -> None:
        just = (t.arg(3) or "L").upper()[:1]
        self.field.block = (
            to_int(t.arg(0), 0, 0, MAX_SIDE),
            to_int(t.arg(1), 1, 1, 9999),
            to_int(t.arg(2), 0, -9999, 9999),
            just if just in "LCRJ" else "L",
            to_int(t.arg(4), 0, 0, MAX_SIDE),
        )

    def _cmd_FH(self, t: Token) -> None:
        char = t.params[:1]
        self.field.hex_char = char if char and char not in b",\r\n" else b"_"

    def _cmd_FR(self, t: Token) -> None:
        self.field.reverse = True

    def _cmd_FD(self, t: Token) -> None:
        data = t.params.replace(b"\r", b"").replace(b"\n", b"")
        if self.field.hex_char:
            data = unhex(data, self.field.hex_char)
        self.field.data = data

    _cmd_FV = _cmd_FD

    def _cmd_GB(self, t: Token) -> None:
        self.field.graphic = t

    def _cmd_GF(self, t: Token) -> None:
        self.field.graphic = t

    def _cmd_FS(self, t: Token) -> None:
        self._flush()

    # --- drawing --------------------------------------------------------------------------------

    def _flush(self) -> None:
        f, self.field = self.field, _Field()
        mode = "xor" if f.reverse or self.settings.reverse_all else "or"
        if f.graphic is not None:
            self._graphic(f, mode)
        elif f.data is None:
            return
        elif f.barcode is not None:
            self._barcode(f, f.barcode, mode)
        else:
            self._text(f, mode)

    def _put(
        self,
        f: _Field,
        mask: Image.Image,
        orient: str,
        baseline: int,
        mode: str,
        above: int = 0,
        left: int = 0,
    ) -> None:
        """Place a mask turned to ``orient``. ^FO names the top-left corner of the field (whose
        first ``above`` rows stand out above it, like tall glyphs, and first ``left`` columns
        out to its left, like EAN's first digit); ^FT the baseline's start."""
        w, h = mask.width, mask.height
        if f.typeset:
            dx, dy = {
                "N": (0, -baseline),
                "R": (-(h - baseline), 0),
                "I": (-w, -(h - baseline)),
                "B": (-baseline, -w),
            }[orient]
        else:
            dx, dy = {"N": (0, -above), "B": (-above, 0)}.get(orient, (0, 0))
        dx, dy = (
            (dx - left, dy) if orient == "N" else (dx, dy - left) if orient == "R" else (dx, dy)
        )
        self.canvas.put(rotate(mask, orient), f.x + dx, f.y + dy, mode)

    def _decode(self, data: bytes) -> str:
        return data.decode("utf-8", "replace") if self.settings.utf8 else data.decode("cp850")

    def _text(self, f: _Field, mode: str) -> None:
        name, h, w = self.settings.font
        orient = self.settings.orientation
        if f.font is not None:
            name, orient, h, w = f.font
        text = self._decode(f.data or b"")
        x_scale = _x_scale(name, h, w)
        bold = name not in _BITMAP_FONTS  # font 0 is CG Triumvirate Bold Condensed
        if f.block is None:
            mask, baseline, above = text_mask(text, h, x_scale, bold)
            self._put(f, mask, orient, baseline, mode, above)
            return
        width, max_lines, spacing, just, indent = f.block
        step = max(1, h + spacing)
        # lines below the label's end are not drawn
        visible = max(self.canvas.width, self.canvas.height) // step + 2
        lines = wrap(text.replace("\\&", "\n"), h, x_scale, max(width, 1), min(max_lines, visible))
        masks = [text_mask(line, h, x_scale, bold) for line in lines]
        above = max(m[2] for m in masks)
        block = Image.new("1", (max(width, 1), clamp(above + step * len(lines), 1, MAX_SIDE)), 0)
        for k, (mask, _, line_above) in enumerate(masks):
            free = block.width - mask.width - (indent if k else 0)
            left = {"C": free // 2, "R": free}.get(just, 0) + (indent if k else 0)
            block.paste(mask, (max(left, 0), above - line_above + k * step), mask)
        last_baseline = above + (len(lines) - 1) * step + round(h * CAP_RATIO)
        self._put(f, block, orient, last_baseline, mode, above)

    def _graphic(self, f: _Field, mode: str) -> None:
        t = f.graphic
        assert t is not None
        if t.name == "GB":
            w, h = to_int(t.arg(0), 1, 1, MAX_SIDE), to_int(t.arg(1), 1, 1, MAX_SIDE)
            thick = to_int(t.arg(2), 1, 1, MAX_SIDE)
            w, h = max(w, thick), max(h, thick)
            rounding = to_int(t.arg(4), 0, 0, 8)
            mask = rect_mask(w, h, thick, rounding * min(w, h) // 16)
            white = (t.arg(3) or "B").strip().upper().startswith("W")
            self._put(f, mask, "N", h, "clear" if white and mode == "or" else mode)
            return
        img = self._gf_image(t)
        if img is not None:
            self._put(f, img, "N", img.height, mode)

    def _gf_image(self, t: Token) -> Image.Image | None:
        head = t.params.split(b",", 4)
        if len(head) < 5:
            self.report.note("A ^GF graphic without data was skipped.")
            return None
        kind = head[0].decode("latin-1").strip().upper() or "A"
        total = to_int(head[2].decode("latin-1"), 0, 0, MAX_SIDE * MAX_SIDE // 8)
        row_bytes = to_int(head[3].decode("latin-1"), 0, 0, MAX_SIDE // 8)
        if total <= 0 or row_bytes <= 0:
            self.report.note("A ^GF graphic with no size was skipped.")
            return None
        payload = head[4]
        if kind == "B":
            raw = payload
        elif kind == "A":
            raw = graphic_ascii(payload.decode("latin-1"), row_bytes, total, self.report)
        else:
            self.report.ignore(f"^GF{kind}")
            return None
        rows = clamp(total // row_bytes, 1, MAX_SIDE)
        raw = raw[: rows * row_bytes].ljust(rows * row_bytes, b"\0")
        return Image.frombytes("1", (row_bytes * 8, rows), raw)

    def _barcode(self, f: _Field, t: Token, mode: str) -> None:
        data = f.data or b""
        try:
            if t.name == "BC":
                self._code128(f, t, data, mode)
            elif t.name == "BE":
                self._ean13(f, t, data, mode)
            elif t.name == "BQ":
                self._qr(f, t, data, mode)
            elif t.name == "BX":
                self._datamatrix(f, t, data, mode)
            else:
                self.report.ignore("^" + t.name)
        except sym.SymbolError as exc:
            self.report.note(f"^{t.name} at {f.x},{f.y}: {exc.message}")

    def _linear(self, f: _Field, t: Token, modules: Image.Image, hri: str, mode: str) -> None:
        """A 1D symbol with its interpretation line below (or above, bars keeping ^FO)."""
        s = self.settings
        orient = _orientation(t.arg(0), s.orientation)
        height = to_int(t.arg(1), s.by[2], 1, MAX_SIDE)
        show = (t.arg(2) or "Y").upper().startswith("Y") and bool(hri)
        on_top = (t.arg(3) or "N").upper().startswith("Y")
        w = s.by[0]
        bars = scale_modules(modules, w, height)
        if not show:
            self._put(f, bars, orient, height, mode)
            return
        # the interpretation line: its baseline 7 dots per module + 6 under the bars (ZD621)
        label, baseline, tall = text_mask(hri, round((5 * w + 4) / CAP_RATIO))
        area = 7 * w + 6
        text_x = max(0, (bars.width - label.width) // 2)
        if on_top:
            out = Image.new("1", (bars.width, height + area + tall), 0)
            out.paste(label, (text_x, 0))
            out.paste(bars, (0, tall + area))
            self._put(f, out, orient, tall + area + height, mode, above=tall + area)
        else:
            out = Image.new("1", (bars.width, height + area + label.height - baseline), 0)
            out.paste(bars, (0, 0))
            out.paste(label, (text_x, height + area - baseline))
            self._put(f, out, orient, height, mode)

    def _code128(self, f: _Field, t: Token, data: bytes, mode: str) -> None:
        text = data.decode("latin-1")
        how = (t.arg(5) or "N").upper()[:1]
        if how == "D":
            items = sym.gs1_items_from_hri(text)
            if items is None:
                items = [sym.FNC1, *text.replace(" ", "")]
            codewords = sym.code128_auto(items, "GS1-128")
            hri = text
        elif how == "A":
            codewords = sym.code128_auto(split_fnc1(text), eager_c=True)
            hri = text.replace(">8", "")
        elif how == "U":
            digits = "".join(c for c in text if c.isdigit())[:19].ljust(19, "0")
            digits += str(sym.mod10_check(digits[2:]))
            codewords = sym.code128_auto([sym.FNC1, *digits], "GS1-128")
            hri = f"({digits[:2]}){digits[2:]}"
        else:
            codewords = sym.code128_zpl(text)
            hri = re.sub(r">[0-9:;<=]", lambda m: ">" if m.group() == ">0" else "", text)
        self._linear(f, t, sym.code128_image(codewords), hri, mode)

    def _ean13(self, f: _Field, t: Token, data: bytes, mode: str) -> None:
        """EAN-13 as a Zebra draws it: guard bars 13 dots longer, the first digit left of the
        bars, six digits under each half."""
        s = self.settings
        digits = data.decode("latin-1").strip()
        modules, full = sym.ean13_image(digits.zfill(12) if len(digits) < 12 else digits)
        orient = _orientation(t.arg(0), s.orientation)
        height = to_int(t.arg(1), s.by[2], 1, MAX_SIDE)
        show = (t.arg(2) or "Y").upper().startswith("Y")
        w = s.by[0]
        guard_row = Image.new("1", (95, 1), 0)
        for x in _EAN_GUARDS:
            guard_row.putpixel((x, 0), 1 if modules.getpixel((x, 0)) else 0)
        bars = scale_modules(modules, w, height)
        left = 9 * w if show else 0
        cell = round((6 * w + 3) / CAP_RATIO)
        below = 3 + cell if show else _EAN_GUARD_EXTRA
        out = Image.new("1", (left + bars.width, height + max(below, _EAN_GUARD_EXTRA)), 0)
        out.paste(bars, (left, 0))
        out.paste(scale_modules(guard_row, w, _EAN_GUARD_EXTRA), (left, height))
        if show:
            groups = ((full[0], -9, 0), (full[1:7], 3, 42), (full[7:], 50, 42))
            for text, start, span in groups:
                mask, baseline, _ = text_mask(text, cell, 0.85)
                x = left + start * w + max(span * w - mask.width, 0) // 2
                out.paste(mask, (max(x, 0), height + 3 + round(cell * CAP_RATIO) - baseline), mask)
        self._put(f, out, orient, height, mode, left=left)

    def _qr(self, f: _Field, t: Token, data: bytes, mode: str) -> None:
        magnification = to_int(t.arg(2), 2 if self.dpi < 250 else 3, 1, 10)
        ecc, payload = "M", data
        head, comma, rest = data.partition(b",")
        if comma and 1 <= len(head) <= 2:
            ecc = head[:1].decode("latin-1").upper() or "M"
            manual = head[1:2].upper() == b"M"
            payload = qr_manual(rest) if manual else rest
        else:
            self.report.note(f"^BQ at {f.x},{f.y}: the data has no error-correction prefix.")
        modules = sym.qr_image(payload, ecc if ecc in "LMQH" else "M")
        symbol = scale_modules(modules, magnification, magnification)
        # the firmware drops an ^FO QR code by the ^BY bar height less one dot
        self._put(f, symbol, "N", symbol.height, mode, above=1 - self.settings.by[2])

    def _datamatrix(self, f: _Field, t: Token, data: bytes, mode: str) -> None:
        orient = _orientation(t.arg(0), self.settings.orientation)
        module = to_int(t.arg(1), 1, 1, 100)
        quality = to_int(t.arg(2), 0, 0, 200)
        if quality != 200:
            self.report.note(f"^BX at {f.x},{f.y}: only ECC 200 DataMatrix is previewed.")
            return
        cols, rows = to_int(t.arg(3), 0, 0, 144), to_int(t.arg(4), 0, 0, 144)
        esc = (t.arg(6) or "~")[:1].encode("latin-1")
        square = to_int(t.arg(7), 1, 1, 2) == 1
        payload, gs1 = sym.datamatrix_escapes(data, esc, self.report)
        modules = sym.datamatrix_image(payload, gs1, rows, cols, square)
        self._put(f, scale_modules(modules, module, module), orient, modules.height * module, mode)


def _orientation(text: str | None, default: str) -> str:
    o = (text or "").strip().upper()[:1]
    return o if o and o in "NRIB" else default


def _x_scale(name: str, h: int, w: int) -> float:
    """Horizontal stretch of the TrueType glyphs so that characters get the asked width.

    Zebra's font 0 (CG Triumvirate Bold Condensed) at width = height sets text about 0.85 as
    wide as our font; the bitmap fonts advance by their cell width plus a small gap."""
    if name in _BITMAP_FONTS:
        base_h, base_w = _BITMAP_FONTS[name]
        w = w if w > 0 else round(h * base_w / base_h)
        return clamp(round(115 * w / max(advance("0", h), 1)), 5, 2000) / 100
    return clamp(round(85 * (w if w > 0 else h) / h), 5, 2000) / 100
