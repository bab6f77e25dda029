"""Shipping labels fit their size: every text as it really renders (the bitmap ZPL and TSPL
print, TSPL's resident fonts, the PDF's fonts) stays inside the label and inside its area, and
no two elements overlap, whatever the addresses, in every size."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics

from app.labels import layout, pdf, shipping, symbols, tspl, waybill
from app.labels.model import MM_PER_INCH, SIZES, Align, Barcode, Label, Text, to_dots

Rect = tuple[float, float, float, float]  # x0, y0, x1, y1 in mm

HANZI = "北京上海广州深圳杭州市区县路街道号栋单元室楼层园南北东西中国省镇村巷弄大厦花苑小区"
LATIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
DIGITS = "0123456789-#/"
chinese = st.text(HANZI + DIGITS, min_size=0, max_size=120)
latin_word = st.text(LATIN + DIGITS, min_size=1, max_size=14)
latin = st.lists(latin_word, min_size=0, max_size=24).map(" ".join)
mixed = st.text(HANZI + LATIN + DIGITS + " ", min_size=0, max_size=160)
any_text = st.one_of(chinese, latin, mixed)
short = st.text(HANZI + LATIN + DIGITS + " ", min_size=0, max_size=40)


@st.composite
def parties(draw: st.DrawFn, country: str | None = None) -> shipping.Party:
    return shipping.Party(
        draw(st.one_of(chinese.map(lambda s: s[:20]), latin.map(lambda s: s[:60]))) or "X",
        draw(st.text(DIGITS, max_size=20)),
        country=country or draw(st.sampled_from(["CN", "US", "DE"])),
        province=draw(short),
        city=draw(short),
        district=draw(short),
        street=draw(any_text),
        street2=draw(any_text),
        postal_code=draw(st.text(DIGITS, max_size=10)),
        company=draw(st.one_of(st.just(""), short)),
    )


@st.composite
def label_data(draw: st.DrawFn) -> shipping.ShippingLabelData:
    count = draw(st.integers(1, 12))
    return shipping.ShippingLabelData(
        draw(st.sampled_from(["SF Express 顺丰速运", "中通快递", "Deutsche Post DHL Group"])),
        draw(st.sampled_from(["标快", "Priority", "International Economy Plus"])),
        draw(st.sampled_from(["SF1403526873451", "1Z999AA10123456784", "75312345678901"])),
        draw(st.sampled_from(["PD-2024-000123", "PD-1", "SHOP-20240501-999999"])),
        draw(parties()),
        draw(parties()),
        weight_grams=draw(st.one_of(st.none(), st.decimals(0, 99999, places=0))),
        mask_policy=draw(st.sampled_from(["ewaybill", "full_name", "none"])),
        parcel_seq=draw(st.integers(1, count)),
        parcel_count=count,
        master_tracking=draw(st.sampled_from(["", "SF1403526873450"])),
        sorting_code=draw(st.one_of(st.just(""), short, st.text(DIGITS, max_size=12))),
        hub=draw(st.one_of(st.just(""), short)),
        cod_amount=draw(st.one_of(st.none(), st.decimals(0, 9999999, places=2))),
        return_party=draw(st.one_of(st.none(), parties())),
        reprint=draw(st.booleans()),
    )


def _dots_to_mm(dots: float, dpi: int) -> float:
    return dots * MM_PER_INCH / dpi


def thermal_box(text: Text, dpi: int, language: str) -> Rect:
    """Where a thermal printer puts ink for ``text``: its resident font (ZPL bounds it by the
    ``^FB`` block, TSPL's are fixed-width) or the bitmap ``layout`` draws."""
    x, y = to_dots(text.x_mm, dpi), to_dots(text.y_mm, dpi)
    if layout.uses_printer_font(text, dpi):
        h = layout.text_pixels(text, dpi)
        if language == "zpl":
            assert text.width_mm is not None, text
            w = to_dots(text.width_mm, dpi)
        else:
            name, mult = tspl.resident_font(h, dpi)
            cw, ch = tspl.FONTS[dpi][name]
            w, h = len(text.text) * cw * mult, ch * mult
            if w > to_dots(text.width_mm or 0, dpi):  # drawn as a bitmap instead
                return bitmap_box(text, dpi)
        return tuple(_dots_to_mm(v, dpi) for v in (x, y, x + w, y + h))  # type: ignore[return-value]
    return bitmap_box(text, dpi)


def bitmap_box(text: Text, dpi: int) -> Rect:
    x, y = to_dots(text.x_mm, dpi), to_dots(text.y_mm, dpi)
    bitmap, offset = layout.text_bitmap(text, dpi)
    x += offset
    return tuple(  # type: ignore[return-value]
        _dots_to_mm(v, dpi) for v in (x, y, x + bitmap.width, y + bitmap.height)
    )


def pdf_box(text: Text, dpi: int) -> Rect:
    """The PDF's text: the font ``pdf`` chooses, its widths and line steps."""
    font = pdf.pdf_font(text, dpi)
    size = text.height_mm * mm
    lines = layout.text_lines(text, dpi)
    step = pdfmetrics.getAscent(font, size) - pdfmetrics.getDescent(font, size)
    box = (text.width_mm or 0) * mm
    # a line wider than its box is drawn smaller to end at its edge (``pdf.pdf_line_size``);
    # ``test_a_pdf_line_wider_in_the_outline_font_is_drawn_inside_its_box`` reads the drawn PDF
    widths = [pdfmetrics.stringWidth(line, font, size) for line in lines]
    widths = [min(w, box) if box else w for w in widths]
    x0 = text.x_mm * mm
    if text.inverse:
        x1 = x0 + max(box, *widths)
    else:
        lefts = []
        for width in widths:
            shift = 0.0
            if box and text.align is Align.CENTER:
                shift = max(0, (box - width) / 2)
            elif box and text.align is Align.RIGHT:
                shift = max(0, box - width)
            lefts.append((x0 + shift, x0 + shift + width))
        x0, x1 = min(a for a, _ in lefts), max(b for _, b in lefts)
    y0 = text.y_mm * mm
    return (x0 / mm, y0 / mm, x1 / mm, (y0 + step * len(lines)) / mm)


def barcode_box(barcode: Barcode, dpi: int) -> Rect:
    w, h = symbols.symbol_size_dots(barcode, dpi)
    x, y = to_dots(barcode.x_mm, dpi), to_dots(barcode.y_mm, dpi)
    return tuple(_dots_to_mm(v, dpi) for v in (x, y, x + w, y + h))  # type: ignore[return-value]


def inside(inner: Rect, outer: Rect, slack: float = 0.01) -> bool:
    return (
        inner[0] >= outer[0] - slack
        and inner[1] >= outer[1] - slack
        and inner[2] <= outer[2] + slack
        and inner[3] <= outer[3] + slack
    )


def overlap(a: Rect, b: Rect) -> bool:
    return a[0] < b[2] - 0.01 and b[0] < a[2] - 0.01 and a[1] < b[3] - 0.01 and b[1] < a[3] - 0.01


def check_fits(label: Label) -> None:
    areas = waybill.areas(label.size.code)
    dpi = label.dpi
    placed: list[tuple[object, Rect]] = []
    for element in label.elements:
        if isinstance(element, Barcode):
            box = barcode_box(element, dpi)
            area = next(a for a in areas.values() if a.y_mm <= element.y_mm < a.bottom_mm)
            rect = (area.x_mm, area.y_mm, area.x_mm + area.width_mm, area.bottom_mm)
            assert inside(box, rect), (element, area)
            placed.append((element, box))
            continue
        if not isinstance(element, Text):
            continue
        assert element.width_mm is not None, f"{element.text!r} has no box to fit"
        area = next(a for a in areas.values() if a.y_mm <= element.y_mm < a.bottom_mm)
        rect = (area.x_mm, area.y_mm, area.x_mm + area.width_mm, area.bottom_mm)
        boxes = [thermal_box(element, dpi, "zpl"), thermal_box(element, dpi, "tspl")]
        boxes.append(pdf_box(element, dpi))
        for box in boxes:
            assert inside(box, rect), f"{element.text!r} {box} leaves the {area.name} area {rect}"
        merged = (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )
        placed.append((element, merged))
    for i, (a, box_a) in enumerate(placed):
        for b, box_b in placed[i + 1 :]:
            assert not overlap(box_a, box_b), f"{a} overlaps {b}"


@pytest.mark.parametrize("size", list(SIZES))
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=label_data(), dpi=st.sampled_from([203, 300]))
def test_every_text_of_a_shipping_label_stays_inside_its_area_for_any_address(
    size: str, data: shipping.ShippingLabelData, dpi: int
) -> None:
    check_fits(shipping.shipping_label(data, size, dpi))


def test_a_very_long_chinese_address_shrinks_and_wraps_inside_the_recipient_area() -> None:
    street = "科技园南区高新南一道创维大厦A座" * 8
    data = shipping.ShippingLabelData(
        "中通快递",
        "标快",
        "75312345678901",
        "PD-1",
        shipping.Party("杭州好物旗舰店", province="浙江省"),
        shipping.Party("张三丰", "13812345678", province="广东省", street=street),
        mask_policy="none",
    )
    for size in SIZES:
        label = shipping.shipping_label(data, size)
        address = next(e for e in label.elements if isinstance(e, Text) and "创维" in e.text)
        assert address.height_mm < 5.5 * min(1.0, SIZES[size].width_mm / 101.6)
        assert len(layout.text_lines(address, 203)) >= 3
        check_fits(label)


def test_a_tspl_resident_font_wider_than_its_box_prints_as_a_bitmap() -> None:
    # resident fonts are fixed-width: 16 digits fit 28 mm (224 dots) in the shipped font (212
    # dots), not in resident font "1" doubled (16 x 16 = 256 dots)
    text = Text(3, 3, "0123456789012345", 3.0, width_mm=28)
    assert layout.uses_printer_font(text, 203)
    label = Label(SIZES["4x6in"], 203, (text,))
    out = tspl.render(label)
    assert b"TEXT " not in out
    assert b"BITMAP " in out


def test_a_pdf_line_wider_in_the_outline_font_is_drawn_inside_its_box() -> None:
    """Hypothesis found a sender line that the raster font fitted into its 78 mm but that the
    PDF's outline font drew 79.1 mm wide, into the area beside it. The PDF now draws such a
    line smaller; read back from the rendered PDF, its last character ends inside the box."""
    import pypdfium2 as pdfium

    line = "0 00000000AAGUU# (000000000000000000I)  0000"
    text = Text(19.0, 95.0, line, 3.437, width_mm=78.0, max_lines=1)
    label = Label(SIZES["100x150mm"], 203, (text,))
    font = pdf.pdf_font(text, 203)
    assert list(layout.text_lines(text, 203)) == [line]  # the raster font fits it on one line
    assert pdfmetrics.stringWidth(line, font, text.height_mm * mm) > 78.0 * mm  # the outline not
    page = pdfium.PdfDocument(pdf.render(label))[0]
    chars = page.get_textpage()
    right = max(chars.get_charbox(i)[2] for i in range(chars.count_chars()))
    assert right <= (19.0 + 78.0) * mm + 0.1, f"the line ends at {right / mm:.2f} mm"
    assert right >= (19.0 + 78.0) * mm - 1.0 * mm  # drawn to the edge, not shrunk further
