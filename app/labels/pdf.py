"""PDF labels (reportlab) for laser printers, PDF-capable label printers and archiving.

Text is real text: Helvetica for plain ASCII, the shipped WenQuanYi Micro Hei (embedded, a
subset) for everything else, so the PDF can be searched and its Chinese copied. Barcodes are
drawn module by module from libzint, each module a whole number of the target printer's dots.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from functools import lru_cache

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from app.labels import layout, symbols
from app.labels.model import LINEAR, Align, Barcode, Box, Image, Label, Text
from app.labels.raster import picture
from app.resources import cjk_font_path

CJK_FONT = "WenQuanYiMicroHei"
_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _register_cjk_font() -> str:
    with _LOCK:
        if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
            # the .ttc holds Micro Hei (0) and Micro Hei Mono (1)
            pdfmetrics.registerFont(TTFont(CJK_FONT, str(cjk_font_path()), subfontIndex=0))
    return CJK_FONT


def cjk_font() -> str:
    """The shipped CJK font's name in reportlab, registered on first use (documents use it)."""
    return _register_cjk_font()


def render(label: Label, copies: int = 1) -> bytes:
    """One label as a one-page PDF (``copies`` pages)."""
    return render_many([label] * max(1, copies))


def render_many(labels: Sequence[Label]) -> bytes:
    """Several labels as one document, a page each (a batch of waybills)."""
    for label in labels:
        layout.check_fits(label)
    buf = io.BytesIO()
    first = labels[0]
    canvas = Canvas(
        buf,
        pagesize=(first.size.width_mm * mm, first.size.height_mm * mm),
        pageCompression=1,
        invariant=True,
    )
    canvas.setTitle(first.title or "Packdesk label")
    canvas.setCreator("Packdesk")
    for label in labels:
        canvas.setPageSize((label.size.width_mm * mm, label.size.height_mm * mm))
        _draw(canvas, label)
        canvas.showPage()
    canvas.save()
    return buf.getvalue()


def _draw(canvas: Canvas, label: Label) -> None:
    page_h = label.size.height_mm * mm
    for element in label.elements:
        if isinstance(element, Text):
            _text(canvas, element, label, page_h)
        elif isinstance(element, Barcode):
            _barcode(canvas, element, label, page_h)
        elif isinstance(element, Box):
            _box(canvas, element, page_h)
        elif isinstance(element, Image):
            bmp = picture(element.data, label.dots(element.width_mm))
            w = element.width_mm * mm
            h = w * bmp.height / bmp.width
            canvas.drawImage(
                ImageReader(bmp.to_image()), element.x_mm * mm, page_h - element.y_mm * mm - h, w, h
            )


def _text(canvas: Canvas, text: Text, label: Label, page_h: float) -> None:
    lines = layout.text_lines(text, label.dpi)
    size = text.height_mm * mm
    font = pdf_font(text, label.dpi)
    plain = not font.startswith(CJK_FONT)
    ascent = pdfmetrics.getAscent(font, size)
    descent = -pdfmetrics.getDescent(font, size)
    step = ascent + descent
    box_w = (text.width_mm or 0) * mm
    x0 = text.x_mm * mm
    top = page_h - text.y_mm * mm
    if text.inverse:
        widest = max(pdfmetrics.stringWidth(line, font, size) for line in lines)
        canvas.setFillGray(0)
        canvas.rect(x0, top - step * len(lines), max(box_w, widest), step * len(lines), 0, 1)
        canvas.setFillGray(1)
    for i, line in enumerate(lines):
        width = pdfmetrics.stringWidth(line, font, size)
        line_size = size
        if box_w and width > box_w:  # see pdf_line_size
            line_size, width = pdf_line_size(width, box_w, size), box_w
        x = x0
        if text.align is Align.CENTER and box_w:
            x += max(0, (box_w - width) / 2)
        elif text.align is Align.RIGHT and box_w:
            x += max(0, box_w - width)
        canvas.setFont(font, line_size)
        canvas.drawString(x, top - ascent - i * step, line)
        if text.bold and not plain:  # the CJK font has no bold face: overprint
            canvas.drawString(x + 0.12, top - ascent - i * step, line)
    canvas.setFillGray(0)


def pdf_line_size(width: float, box_w: float, size: float) -> float:
    """The size a line ``width`` points wide at ``size`` is drawn at to stay in its box.

    The lines are wrapped and sized with the printers' raster font, whose glyphs are whole
    pixels wide: the same line in the PDF's outline font can come out a little wider (about 1 %
    for a line of forty narrow characters), and would cross into the next area. Such a line is
    drawn that much smaller, so that it ends at the box's edge."""
    return size * box_w / width


def pdf_font(text: Text, dpi: int) -> str:
    """Helvetica for what a thermal printer prints in its own font (plain ASCII on one line)
    when it fits its box; otherwise the shipped font, with which the lines were wrapped, so the
    PDF breaks and fits them as the thermal printers do."""
    if layout.uses_printer_font(text, dpi):
        helvetica = "Helvetica-Bold" if text.bold else "Helvetica"
        if (
            text.width_mm is None
            or pdfmetrics.stringWidth(text.text, helvetica, text.height_mm * mm)
            <= text.width_mm * mm
        ):
            return helvetica
    return _register_cjk_font()


def _barcode(canvas: Canvas, barcode: Barcode, label: Label, page_h: float) -> None:
    plan = symbols.plan(barcode, label.dpi)  # checked and fitted
    matrix = symbols.matrix(barcode)
    module = plan.module
    x0, y0 = label.dots(barcode.x_mm), label.dots(barcode.y_mm)
    canvas.saveState()
    # draw in printer dots, y downwards: every bar edge falls on a dot boundary exactly
    canvas.translate(0, page_h)
    canvas.scale(72.0 / label.dpi, -72.0 / label.dpi)
    canvas.setFillGray(0)
    # one fill of all the bars: integers in dot space, written straight into the page
    if barcode.symbology in LINEAR:
        bar_h = label.dots(barcode.height_mm)
        ops = [f"{x0 + a * module} {y0} {n * module} {bar_h} re" for a, n in matrix.runs(0)]
    else:
        ops = [
            f"{x0 + a * module} {y0 + y * module} {n * module} {module} re"
            for y in range(matrix.height)
            for a, n in matrix.runs(y)
        ]
    canvas.addLiteral("\n".join(ops) + "\nf")
    canvas.restoreState()


def _box(canvas: Canvas, box: Box, page_h: float) -> None:
    x, w, h = box.x_mm * mm, box.width_mm * mm, box.height_mm * mm
    y = page_h - box.y_mm * mm - h
    canvas.setFillGray(0)
    if box.filled:
        canvas.rect(x, y, w, h, 0, 1)
        return
    t = min(box.thickness_mm * mm, w / 2, h / 2)
    # the outline lies inside the box, as on the thermal printers
    canvas.rect(x, y + h - t, w, t, 0, 1)
    canvas.rect(x, y, w, t, 0, 1)
    canvas.rect(x, y, t, h, 0, 1)
    canvas.rect(x + w - t, y, t, h, 0, 1)
