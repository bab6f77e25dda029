"""Carrier labels made elsewhere (a PDF or ZPL file), printed as they are.

A ZPL file goes to a ZPL printer byte for byte. A PDF label is drawn for the label printer: each
page rendered at the printer's resolution (pypdfium2), scaled down to the stock's width when it
is wider, cut to black and white at mid-grey (no dithering: barcodes stay crisp) and sent as one
bitmap (``^GFA`` for ZPL, ``BITMAP`` for TSPL). A system (PDF) printer gets the PDF itself.
"""

from __future__ import annotations

from PIL import Image as PilImage

from app.domain.errors import ValidationError
from app.labels import tspl, zpl
from app.labels.model import label_size
from app.labels.raster import Bitmap

PDF, ZPL = "pdf", "zpl"


def detect_format(data: bytes, filename: str = "") -> str:
    """``pdf`` or ``zpl`` from the file's content (not its name)."""
    head = data[:2048].lstrip()
    if head.startswith(b"%PDF-"):
        return PDF
    if b"^XA" in head.upper() or head.upper().startswith(b"~"):
        return ZPL
    raise ValidationError(
        "The file {name} is neither a PDF nor a ZPL label. Ask the carrier for a PDF or ZPL "
        "label file.",
        name=filename or "?",
    )


def _pages(data: bytes, dpi: int, max_width: int) -> list[PilImage.Image]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise ValidationError(
            "The PDF label cannot be read ({detail}). Ask the carrier for the label again.",
            detail=str(exc),
        ) from exc
    images = []
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            width_pt = page.get_width()
            scale = dpi / 72
            if width_pt * scale > max_width:
                scale = max_width / width_pt
            images.append(page.render(scale=scale, grayscale=True).to_pil())
            page.close()
    finally:
        pdf.close()
    return images


def _bitmap(img: PilImage.Image) -> Bitmap:
    ink = img.convert("L").point(lambda v: 255 if v < 128 else 0).convert("1")
    return Bitmap(ink.width, ink.height, ink.tobytes())


def printer_payload(fmt: str, data: bytes, language: str, dpi: int, size: str) -> bytes:
    """What the station's label printer is sent for this attached label."""
    if language == PDF:
        if fmt != PDF:
            raise ValidationError(
                "This carrier label is a ZPL file, and this station prints on a system "
                "printer. Print it at a station with a ZPL label printer."
            )
        return data
    if fmt == ZPL:
        if language != ZPL:
            raise ValidationError(
                "This carrier label is a ZPL file, and the station's label printer speaks "
                "{language}. Print it on a ZPL printer, or ask the carrier for a PDF label.",
                language=language.upper(),
            )
        return data
    stock = label_size(size)
    pages = [_bitmap(p) for p in _pages(data, dpi, stock.width_dots(dpi))]
    out = bytearray()
    for bmp in pages:
        if language == ZPL:
            out += (
                f"^XA^PW{bmp.width}^LL{bmp.height}^LH0,0^FO0,0{zpl.graphic_field(bmp)}^FS^XZ\n"
            ).encode()
        else:
            head = (
                f"SIZE {stock.width_mm:g} mm,{stock.height_mm:g} mm\r\n"
                f"GAP {tspl.GAP_MM} mm,0 mm\r\nDIRECTION 1,0\r\nREFERENCE 0,0\r\nCLS\r\n"
            )
            out += head.encode() + tspl.bitmap_command(0, 0, bmp) + b"PRINT 1,1\r\n"
    return bytes(out)
