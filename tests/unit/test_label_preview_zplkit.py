"""ZPL previews agree with zplkit, an independent offline ZPL renderer that emulates Zebra
firmware (a test-only dependency: OSL-3.0): the same barcodes decode from both, and Code 128
bars, boxes and graphics are the same dots."""

from __future__ import annotations

import io

import pytest
import zplkit  # a test dependency (pyproject [test]): missing means a broken install
from PIL import Image, ImageChops
from test_label_preview_jobs import DATA, all_symbols_label, decoded, expected

from app.labels import render, shipping
from app.labels.model import SIZES, Barcode, Symbology, Text
from app.labels.preview import render_png


def zplkit_png(job: bytes, width: int, height: int, dpi: int = 203) -> bytes:
    doc = zplkit.render(job, zplkit.Options(dpi=dpi, width=width, height=height))
    assert len(doc.labels) == 1
    return bytes(doc.labels[0].png())


def ink(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png)).convert("L").point(lambda v: 255 if v < 128 else 0)


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("dpi", [203, 300])
def test_zplkit_and_the_preview_decode_the_same_barcodes(size: str, dpi: int) -> None:
    for label in (all_symbols_label(size, dpi), shipping.shipping_label(DATA, size, dpi)):
        job = render.render(label, "zpl")
        ours = decoded(render_png(job, "zpl", dpi))
        theirs = decoded(zplkit_png(job, label.width_dots, label.height_dots, dpi))
        assert ours == theirs == expected(label)


ZEBRA_CODE128 = [
    ("Hello-123", "N"),
    (">;123456>6ABC", "N"),
    (">:AB>512345678", "N"),
    (">9334142>6cd", "N"),
    (">;>80109501101530003>610ABC", "N"),
    (">;38D2436", "N"),
    ("12345678ABCD1234", "A"),
    ("SF1403526873451", "A"),
    ("PD-2024-000123", "A"),
    ("AB123456C", "A"),
    ("(01)09501101530003(10)LOT 42(21)7", "D"),
    ("(01)09501101530003(17)301231(10)AB", "D"),
    ("(00)09501101530000001", "D"),
    ("0012345678901234", "U"),
]


@pytest.mark.parametrize(("data", "mode"), ZEBRA_CODE128)
def test_code_128_bars_match_zplkit_dot_for_dot(data: str, mode: str) -> None:
    # the codewords, subsets and module widths are the printer's, so the bars are identical
    job = f"^XA^PW600^LL300^FO20,40^BY2^BCN,100,N,N,N,{mode}^FD{data}^FS^XZ".encode()
    ours, theirs = ink(render_png(job, "zpl")), ink(zplkit_png(job, 600, 300))
    assert ours.getbbox() is not None
    assert ImageChops.difference(ours, theirs).getbbox() is None


def test_graphics_boxes_and_linear_barcodes_of_a_packdesk_label_match_zplkit() -> None:
    # text differs (a TrueType font here, the printer's own font there) and 2D symbols may pick
    # other encodations; Chinese text, boxes, ^GF bitmaps and 1D bars must be the same dots
    label = shipping.test_label("4x6in", 203)
    job = render.render(label, "zpl")
    ours, theirs = ink(render_png(job, "zpl")), ink(zplkit_png(job, 812, 1218))
    for el in label.elements:
        if isinstance(el, Barcode) and el.symbology in (Symbology.CODE128, Symbology.GS1_128):
            x, y = label.dots(el.x_mm), label.dots(el.y_mm)
            box = (x, y, label.width_dots - 8, y + label.dots(el.height_mm))
            assert ImageChops.difference(ours.crop(box), theirs.crop(box)).getbbox() is None
    chinese = next(e for e in label.elements if isinstance(e, Text) and not e.text.isascii())
    top = label.dots(chinese.y_mm)
    band = (0, top, 812, top + label.dots(chinese.height_mm) + 4)
    assert ImageChops.difference(ours.crop(band), theirs.crop(band)).getbbox() is None
