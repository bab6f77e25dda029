"""Print jobs (ZPL II, TSPL, PDF) back to pictures: what the label printer would print.

The demo's emulator panel opens the jobs the emulated printer received as images, and tests
decode the barcodes in them. ZPL and TSPL are interpreted here (``preview_zpl``,
``preview_tspl``): barcodes, boxes and graphics exact to the dot, text in the shipped TrueType
font. PDF pages are rasterised with pdfium. Commands the preview does not draw are listed in
``LabelPreview.ignored`` (and in the PNG's ``Packdesk-Ignored`` text chunk), never silently
dropped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PIL import Image

from app.labels.preview_base import (
    MAX_LABELS,
    BadPdfJob,
    EmptyJob,
    LabelPreviewError,
    NotALabel,
    PdfNotALabel,
    PreviewDpiOutOfRange,
    Report,
    UnknownJobLanguage,
    png_bytes,
)
from app.labels.preview_tspl import TsplRenderer
from app.labels.preview_zpl import ZplRenderer

__all__ = [
    "LANGUAGES",
    "LabelPreview",
    "LabelPreviewError",
    "NotALabel",
    "render_png",
    "render_preview",
]

LANGUAGES = ("zpl", "tspl", "pdf")
#: white space between labels when a job's labels are shown one under the other
_GAP_DOTS = 24
#: a PDF page larger than this (in inches) is not a label
_MAX_PDF_INCHES = 20
#: pixels a PDF page may be drawn with before it is scaled down to the printer's dots
_SUPERSAMPLED = 40_000_000


@dataclass(frozen=True)
class LabelPreview:
    """The labels of one print job as PNG images, and what the preview could not draw."""

    language: str
    dpi: int
    #: one PNG per printed label (``^XA...^XZ`` format, TSPL ``PRINT``, PDF page)
    labels: tuple[bytes, ...]
    #: commands that were not drawn, e.g. ``^XG`` or ``BARCODE "39"``
    ignored: tuple[str, ...]
    #: places where the job was incomplete or had to be read generously
    notes: tuple[str, ...]
    #: all labels one under the other, as they come off the roll
    png: bytes

    @property
    def complete(self) -> bool:
        """True when every command in the job was drawn."""
        return not self.ignored and not self.notes


def render_png(payload: bytes, language: str, dpi: int = 203) -> bytes:
    """The job's labels as one PNG (one under the other); see ``render_preview`` for details."""
    return render_preview(payload, language, dpi).png


def render_preview(payload: bytes, language: str, dpi: int = 203) -> LabelPreview:
    """Render a ZPL, TSPL or PDF job; raises ``LabelPreviewError`` when it shows no label."""
    lang = language.strip().lower()
    if lang not in LANGUAGES:
        raise UnknownJobLanguage(language=language)
    if not 72 <= dpi <= 600:
        raise PreviewDpiOutOfRange(dpi=dpi)
    if not payload.strip():
        raise EmptyJob(language=lang.upper())
    report = Report()
    if lang == "pdf":
        images = _pdf_pages(payload, dpi, report)
    elif lang == "zpl":
        zpl = ZplRenderer(dpi, report)
        zpl.run(payload)
        images = zpl.labels
    else:
        tspl = TsplRenderer(dpi, report)
        tspl.run(payload)
        images = tspl.labels
    return LabelPreview(
        language=lang,
        dpi=dpi,
        labels=tuple(png_bytes(img, dpi, report.ignored, report.notes) for img in images),
        ignored=tuple(report.ignored),
        notes=tuple(report.notes),
        png=png_bytes(_stack(images), dpi, report.ignored, report.notes),
    )


def _stack(images: list[Image.Image]) -> Image.Image:
    if len(images) == 1:
        return images[0]
    width = max(img.width for img in images)
    height = sum(img.height for img in images) + _GAP_DOTS * (len(images) - 1)
    sheet = Image.new("L", (width, height), 200)  # grey backing paper between labels
    top = 0
    for img in images:
        sheet.paste(img.convert("L"), (0, top))
        top += img.height + _GAP_DOTS
    return sheet


def _pdf_pages(payload: bytes, dpi: int, report: Report) -> list[Image.Image]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(payload)
    except pdfium.PdfiumError as exc:
        raise BadPdfJob(reason=str(exc).rstrip(".")) from exc
    try:
        pages: list[Image.Image] = []
        if len(pdf) > MAX_LABELS:
            report.note(f"Only the first {MAX_LABELS} labels of the job are shown.")
        for index in range(min(len(pdf), MAX_LABELS)):
            page = pdf[index]
            width, height = page.get_size()
            if max(width, height) > _MAX_PDF_INCHES * 72:
                raise PdfNotALabel(
                    width_mm=round(width / 72 * 25.4),
                    height_mm=round(height / 72 * 25.4),
                    max_mm=round(_MAX_PDF_INCHES * 25.4),
                )
            size = (max(1, round(width * dpi / 72)), max(1, round(height * dpi / 72)))
            # drawn at 600 dpi or finer, then averaged down to the printer's dots: at 203 dpi
            # pdfium alone rounds thin bars unevenly, the way no printer driver would
            factor = max(1, math.ceil(600 / dpi))
            while factor > 1 and factor * factor * size[0] * size[1] > _SUPERSAMPLED:
                factor -= 1
            bitmap = page.render(scale=factor * dpi / 72)
            image = bitmap.to_pil().convert("L")
            bitmap.close()
            page.close()
            pages.append(image.resize(size, Image.Resampling.BOX) if factor > 1 else image)
        if not pages:
            raise BadPdfJob(reason="it has no pages")
        return pages
    finally:
        pdf.close()
