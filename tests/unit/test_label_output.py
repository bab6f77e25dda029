"""Labels checked by rendering and decoding: ZPL through zplkit, PDF through pypdfium2, TSPL
parsed back field by field; barcodes decoded with zxing-cpp by payload and symbology id."""

from __future__ import annotations

import base64
import io
import re
import zlib
from datetime import date
from decimal import Decimal

import pypdfium2 as pdfium
import pytest
import zplkit
import zxingcpp
from PIL import Image as PilImage

from app.domain.errors import ValidationError
from app.labels import pdf, raster, render, shipping, tspl, zpl
from app.labels.model import SIZES, Barcode, Label, Symbology, Text, module_dots

SHOP = shipping.Party(
    "杭州好物旗舰店",
    "0571-88886666",
    province="浙江省",
    city="杭州市",
    district="余杭区",
    street="文一西路 998 号",
)
BUYER = shipping.Party(
    "张三丰",
    "13812345678",
    province="广东省",
    city="深圳市",
    district="南山区",
    street="科技园南区高新南一道 8 号 2 栋 1501 室",
)
DATA = shipping.ShippingLabelData(
    "SF Express 顺丰速运",
    "标快",
    "SF1403526873451",
    "PD-2024-000123",
    SHOP,
    BUYER,
    Decimal("1250"),
    date(2024, 5, 1),
)

#: every symbology, with what a scanner reports (AIM id, text)
SYMBOLS = [
    (Symbology.CODE128, "SF1403526873451", False, "]C0", "SF1403526873451"),
    (Symbology.CODE128, "a>b^c~d_e", False, "]C0", "a>b^c~d_e"),
    (Symbology.GS1_128, "(01)09501101530003(10)AB-12", False, "]C1", "(01)09501101530003(10)AB-12"),
    (Symbology.EAN13, "590123412345", False, "]E0", "5901234123457"),
    (Symbology.QR, "https://例子.cn/包裹?id=7^8", False, "]Q1", "https://例子.cn/包裹?id=7^8"),
    (Symbology.QR, "(01)09501101530003(21)XYZ", True, "]Q3", "(01)09501101530003(21)XYZ"),
    (Symbology.DATAMATRIX, "plain ^~_ data", False, "]d1", "plain ^~_ data"),
    (
        Symbology.DATAMATRIX,
        "[01]09501101530003[17]301231",
        True,
        "]d2",
        "(01)09501101530003(17)301231",
    ),
]


def zpl_image(label: Label, data: bytes | None = None) -> PilImage.Image:
    doc = zplkit.render(
        data or zpl.render(label),
        zplkit.Options(width=label.width_dots, height=label.height_dots, dpi=label.dpi),
    )
    assert len(doc.labels) == 1
    return PilImage.open(io.BytesIO(doc.labels[0].png())).convert("L")


def pdf_image(label: Label) -> PilImage.Image:
    """The PDF rasterised at the printer's resolution (pdfium grows fills by a pixel, which
    thins the spaces of 2-dot codes: render those at twice the resolution, as a laser would)."""
    page = pdfium.PdfDocument(pdf.render(label))[0]
    return page.render(scale=label.dpi / 72).to_pil().convert("L")


def pdf_image_fine(label: Label) -> PilImage.Image:
    page = pdfium.PdfDocument(pdf.render(label))[0]
    return page.render(scale=2 * label.dpi / 72).to_pil().convert("L")


def pdf_text(data: bytes) -> str:
    page = pdfium.PdfDocument(data)[0]
    return page.get_textpage().get_text_range()


def decoded(image: PilImage.Image) -> set[tuple[str, str]]:
    return {(r.symbology_identifier, r.text) for r in zxingcpp.read_barcodes(image)}


def one_symbol_label(sym: Symbology, data: str, gs1: bool, dpi: int) -> Label:
    barcode = Barcode(10, 10, sym, data, gs1=gs1, module_mm=0.5, max_width_mm=85)
    return Label(SIZES["4x6in"], dpi, (barcode,))


@pytest.mark.parametrize("dpi", [203, 300])
@pytest.mark.parametrize(("sym", "data", "gs1", "aim", "text"), SYMBOLS)
def test_every_symbology_decodes_with_its_symbology_id_from_zpl_and_pdf(
    sym: Symbology, data: str, gs1: bool, aim: str, text: str, dpi: int
) -> None:
    label = one_symbol_label(sym, data, gs1, dpi)
    assert decoded(zpl_image(label)) == {(aim, text)}
    assert decoded(pdf_image(label)) == {(aim, text)}


@pytest.mark.parametrize(("sym", "data", "gs1", "aim", "text"), SYMBOLS)
def test_tspl_barcodes_are_printer_commands_with_whole_dot_modules_or_decodable_bitmaps(
    sym: Symbology, data: str, gs1: bool, aim: str, text: str
) -> None:
    label = one_symbol_label(sym, data, gs1, 203)
    commands, rest = tspl.parse(tspl.render(label))
    assert rest == b""
    names = [c.name for c in commands]
    assert names[:6] == ["SIZE", "GAP", "DIRECTION", "REFERENCE", "CODEPAGE", "CLS"]
    assert names[-1] == "PRINT"
    field = commands[6]
    x, y = field.args[0], field.args[1]
    assert (x, y) == ("80", "80")  # 10 mm at 203 dpi
    module = str(module_dots(0.5, 203))
    if field.name == "BARCODE":
        kind = {Symbology.CODE128: "128", Symbology.EAN13: "EAN13"}[sym]
        assert field.args[2] == kind
        assert field.args[6:8] == (module, module)  # narrow and wide bar: whole dots
        assert field.args[8] == (data if sym is Symbology.CODE128 else data[:12])
    elif field.name == "QRCODE":
        assert field.args[2:6] == ("M", module, "A", "0")
        assert field.args[6] == data
    elif field.name == "DMATRIX":
        assert field.args[4] == f"x{module}"
        assert field.args[5] == data
    else:  # GS1 symbols go as a bitmap of the libzint matrix
        assert field.name == "BITMAP"
        bitmap = tspl.bitmap_image(field)
        framed = PilImage.new("L", (bitmap.width + 80, bitmap.height + 80), 255)
        framed.paste(bitmap.to_image(), (40, 40))
        assert decoded(framed) == {(aim, text)}


def test_tspl_quotes_in_data_are_escaped_and_read_back() -> None:
    label = Label(SIZES["4x6in"], 203, (Barcode(5, 5, Symbology.CODE128, 'say "hi", ok'),))
    data = tspl.render(label)
    assert b'\\["]hi\\["]' in data
    commands, _ = tspl.parse(data)
    assert commands[6].args[8] == 'say "hi", ok'


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("language", ["zpl", "pdf"])
def test_shipping_label_decodes_tracking_and_order_numbers_in_every_size(
    size: str, language: str
) -> None:
    label = shipping.shipping_label(DATA, size, 203)
    image = zpl_image(label) if language == "zpl" else pdf_image_fine(label)
    scale = 1 if language == "zpl" else 2
    # the page rasterises to the label's dots, give or take the last partial dot
    assert abs(image.width - scale * label.width_dots) <= scale
    assert abs(image.height - scale * label.height_dots) <= scale
    assert decoded(image) == {("]C0", "SF1403526873451"), ("]C0", "PD-2024-000123")}


def test_shipping_label_pdf_text_is_the_masked_chinese_address() -> None:
    text = pdf_text(pdf.render(shipping.shipping_label(DATA, "100x150mm", 203)))
    flat = text.replace("\r", "").replace("\n", "")
    assert "广东省深圳市南山区科技园南区高新南一道" in flat
    assert "张*丰" in flat and "138******78" in flat
    assert "13812345678" not in flat and "张三丰" not in flat and "1501" not in flat
    assert "浙江省杭州市余杭区文一西路 998 号" in flat  # the sender is not masked
    assert "SF1403526873451" in flat


def test_unmasked_label_prints_the_full_recipient_when_asked() -> None:
    text = pdf_text(pdf.render(shipping.shipping_label(DATA, "4x6in", 203, mask=False)))
    assert "张三丰" in text and "13812345678" in text


def test_pdf_embeds_the_chinese_font_as_a_subset() -> None:
    data = pdf.render(shipping.shipping_label(DATA, "4x6in", 203))
    assert b"/FontFile2" in data and b"WenQuanYiMicroHei" in data


def test_chinese_address_in_zpl_is_a_graphic_with_ink_where_the_address_is() -> None:
    label = Label(
        SIZES["4x6in"], 203, (Text(5, 20, "广东省深圳市南山区高新南一道", 5, width_mm=90),)
    )
    data = zpl.render(label).decode()
    assert "^GFA," in data and "高" not in data  # no CJK goes to a resident font
    image = zpl_image(label)
    top = label.dots(20)
    region = image.crop((label.dots(5), top, label.dots(95), top + label.dots(7)))
    outside = image.crop((0, label.dots(40), label.width_dots, label.height_dots))
    dark = sum(1 for v in region.tobytes() if v < 128)
    assert dark > 1500
    assert all(v > 128 for v in outside.tobytes())


def test_chinese_text_in_tspl_is_a_bitmap_showing_the_same_glyphs_as_the_font() -> None:
    label = Label(SIZES["76x130mm"], 203, (Text(4, 4, "收件人 张*丰", 5),))
    commands, _ = tspl.parse(tspl.render(label))
    bitmaps = [c for c in commands if c.name == "BITMAP"]
    assert len(bitmaps) == 1 and not any(c.name == "TEXT" for c in commands)
    got = tspl.bitmap_image(bitmaps[0])
    want = raster.render_line("收件人 张*丰", label.dots(5))
    assert (got.height, got.row_bytes) == (want.height, want.row_bytes)
    assert got.data == want.data and not got.is_blank()


def test_zpl_field_data_escapes_caret_tilde_and_underscore() -> None:
    label = Label(SIZES["4x6in"], 203, (Text(5, 5, "A^B~C_D", 4),))
    data = zpl.render(label).decode()
    assert "^FH^FDA_5EB_7EC_5FD^FS" in data
    assert data.startswith("^XA^CI28^PW812^LL1218") and data.rstrip().endswith("^XZ")


def _runs(row: list[int]) -> list[int]:
    """Lengths of dark runs and light runs between the first and last dark pixel."""
    dark = [v < 128 for v in row]
    first, last = dark.index(True), len(dark) - 1 - dark[::-1].index(True)
    runs, count = [], 1
    for a, b in zip(dark[first:last], dark[first + 1 : last + 1], strict=True):
        if a == b:
            count += 1
        else:
            runs.append(count)
            count = 1
    runs.append(count)
    return runs


@pytest.mark.parametrize("dpi", [203, 300])
def test_code128_bars_are_whole_dots_wide_in_zpl(dpi: int) -> None:
    module_mm = 0.33
    label = Label(SIZES["4x6in"], dpi, (Barcode(10, 10, Symbology.CODE128, "PD12345", module_mm),))
    image = zpl_image(label)
    row = [image.getpixel((x, label.dots(15))) for x in range(label.width_dots)]
    module = module_dots(module_mm, dpi)
    runs = _runs(row)
    assert min(runs) == module
    assert all(r % module == 0 and r // module <= 4 for r in runs)


def page_content(data: bytes) -> str:
    """The content streams of a reportlab PDF (ASCII85 + Flate), decoded."""
    out = []
    for m in re.finditer(
        rb"/Filter \[ /ASCII85Decode /FlateDecode \][^>]*>>\s*stream\r?\n(.*?)endstream", data, re.S
    ):
        out.append(zlib.decompress(base64.a85decode(m.group(1).strip(), adobe=True)))
    return b"\n".join(out).decode("latin-1")


@pytest.mark.parametrize("dpi", [203, 300])
def test_code128_bars_are_whole_dots_wide_in_pdf(dpi: int) -> None:
    module_mm = 0.33
    module = module_dots(module_mm, dpi)
    label = Label(SIZES["4x6in"], dpi, (Barcode(10, 10, Symbology.CODE128, "PD12345", module_mm),))
    data = pdf.render(label)
    content = page_content(data)
    # the bars are drawn in a space of printer dots ...
    cm = re.search(r"(\S+) 0 0 (-\S+) 0 (\S+) cm", content)
    assert cm is not None
    assert float(cm[1]) == pytest.approx(72 / dpi, rel=1e-4)
    assert float(cm[2]) == pytest.approx(-72 / dpi, rel=1e-4)
    bars = re.findall(r"(\S+) (\S+) (\S+) (\S+) re", content)
    assert len(bars) > 10
    for x, _, w, _ in bars:  # ... at whole-dot positions, whole modules wide
        assert x.isdigit() and w.isdigit()
        assert int(w) % module == 0 and int(w) // module <= 4
    # rasterised at 4x the printer's resolution, bars measure whole modules (pdfium grows
    # filled shapes by up to one pixel)
    page = pdfium.PdfDocument(data)[0]
    image = page.render(scale=4 * dpi / 72).to_pil().convert("L")
    row = [image.getpixel((x, 4 * label.dots(15))) for x in range(image.width)]
    for run in _runs(row):
        assert abs(run - 4 * module * round(run / (4 * module))) <= 1


def test_the_tracking_barcode_narrows_in_whole_dots_to_fit_a_small_label() -> None:
    long = "JD" + "0123456789ABCDEFGHIJ" * 2
    label = shipping.shipping_label(
        shipping.ShippingLabelData("JD", "次日达", long, "PD1", SHOP, BUYER), "76x130mm", 203
    )
    image = zpl_image(label)
    assert ("]C0", long) in decoded(image)
    # the printer's own Code 128 encoding still ends inside the frame, with a quiet zone
    row = [image.getpixel((x, label.dots(25))) for x in range(label.width_dots)]
    last_bar = max(x for x, v in enumerate(row[: label.width_dots - label.dots(2)]) if v < 128)
    assert last_bar < label.width_dots - label.dots(3)


@pytest.mark.parametrize("bold", [False, True])
def test_composed_text_equals_the_glyphs_pasted_one_by_one(bold: bool) -> None:
    text = "收件人：张*丰 Room 88号 (深圳)"
    pixels = 37
    got = raster.render_line(text, pixels, bold)
    canvas = PilImage.new("1", (got.width, got.height), 0)
    x = 0.0
    for ch in text:
        glyph, advance = raster._glyph(pixels, bold, ch)
        if not ch.isspace():
            canvas.paste(255, (round(x), 0), glyph)
        x += advance
    assert got.data == canvas.tobytes() and not got.is_blank()


def test_a_test_label_in_each_language_shows_every_symbology() -> None:
    label = shipping.test_label("4x6in", 203, "ZPL printer at 10.0.0.5:9100", "zpl")
    want = {
        ("]C0", "PACKDESK-TEST-128"),
        ("]C1", "(01)09501101530003(10)LOT42"),
        ("]E0", "9501101530003"),
        ("]Q1", "Packdesk 测试 OK"),
        ("]d1", "PACKDESK-TEST-DM"),
        ("]d2", "(01)09501101530003(17)301231"),
    }
    assert decoded(zpl_image(label)) == want
    assert decoded(pdf_image_fine(label)) == want
    assert "打印测试：中文地址显示正常" in pdf_text(pdf.render(label))


@pytest.mark.parametrize(
    ("sym", "data", "reason"),
    [
        (Symbology.EAN13, "5901234123458", "check digit"),
        (Symbology.EAN13, "12345", "12 or 13 digits"),
        (Symbology.CODE128, "中文", "printable ASCII"),
        (Symbology.GS1_128, "(01)123", "cannot be encoded"),
        (Symbology.GS1_128, "no AI here", "application identifier"),
    ],
)
def test_bad_barcode_data_is_refused_with_a_reason_in_every_language(
    sym: Symbology, data: str, reason: str
) -> None:
    label = Label(SIZES["4x6in"], 203, (Barcode(5, 5, sym, data),))
    for language in ("zpl", "tspl", "pdf"):
        with pytest.raises(ValidationError, match=reason):
            render.render(label, language)


def test_copies_are_asked_for_in_each_language() -> None:
    label = shipping.test_label("100x150mm", 300)
    assert b"^PQ3" in zpl.render(label, copies=3)
    assert tspl.render(label, copies=3).endswith(b"PRINT 1,3\r\n")
    assert len(pdfium.PdfDocument(pdf.render(label, copies=3))) == 3


def test_label_sizes_are_the_right_number_of_dots() -> None:
    assert (SIZES["4x6in"].width_dots(203), SIZES["4x6in"].height_dots(203)) == (812, 1218)
    assert (SIZES["100x150mm"].width_dots(300), SIZES["100x150mm"].height_dots(300)) == (1181, 1772)
    assert (SIZES["76x130mm"].width_dots(203), SIZES["76x130mm"].height_dots(203)) == (607, 1039)
