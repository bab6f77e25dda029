"""The preview of the jobs Packdesk itself prints (app/labels: ZPL, TSPL, PDF, all three sizes,
both resolutions, every symbology) decodes to what the label holds."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
import zxingcpp
from PIL import Image

from app.devices.emulators.printer import PrinterEmulator
from app.devices.printers import PrinterConfig, open_printer
from app.labels import render, shipping, symbols
from app.labels.model import SIZES, Barcode, Label, Symbology, Text
from app.labels.preview import render_png, render_preview

SHOP = shipping.Party(
    "杭州好物旗舰店", "0571-88886666", province="浙江省", city="杭州市", district="余杭区",
    street="文一西路 998 号",
)  # fmt: skip
BUYER = shipping.Party(
    "张三丰", "13812345678", province="广东省", city="深圳市", district="南山区",
    street="科技园南区高新南一道 8 号 2 栋 1501 室",
)  # fmt: skip
DATA = shipping.ShippingLabelData(
    "SF Express 顺丰速运", "标快", "SF1403526873451", "PD-2024-000123", SHOP, BUYER,
    Decimal("1250"), date(2024, 5, 1),
)  # fmt: skip

#: every symbology Packdesk prints, with data that needs care (escapes, Chinese, GS1)
SYMBOLS = [
    (Symbology.CODE128, "SF1403526873451", False),
    (Symbology.CODE128, "a>b^c~d_e", False),
    (Symbology.GS1_128, "(01)09501101530003(10)AB-12", False),
    (Symbology.EAN13, "590123412345", False),
    (Symbology.QR, "https://例子.cn/包裹?id=7^8", False),
    (Symbology.QR, "(01)09501101530003(21)XYZ", True),
    (Symbology.DATAMATRIX, "plain ^~_ data", False),
    (Symbology.DATAMATRIX, "[01]09501101530003[17]301231", True),
]
AIM = {
    Symbology.CODE128: "]C0",
    Symbology.GS1_128: "]C1",
    Symbology.EAN13: "]E0",
    Symbology.QR: "]Q1",
    Symbology.DATAMATRIX: "]d1",
}
GS1_AIM = {Symbology.QR: "]Q3", Symbology.DATAMATRIX: "]d2"}


def expected(label: Label) -> set[tuple[str, str]]:
    """What a scanner reads from the label's barcodes: AIM id and text (GS1 in HRI form)."""
    out = set()
    for el in label.elements:
        if not isinstance(el, Barcode):
            continue
        if symbols.is_gs1(el):
            out.add((GS1_AIM.get(el.symbology, "]C1"), symbols.gs1_parens(el.data)))
        elif el.symbology is Symbology.EAN13:
            out.add(("]E0", symbols.ean13_full(el.data)))
        else:
            out.add((AIM[el.symbology], el.data))
    return out


def decoded(png: bytes) -> set[tuple[str, str]]:
    img = Image.open(io.BytesIO(png)).convert("L")
    return {(r.symbology_identifier, r.text) for r in zxingcpp.read_barcodes(img)}


def all_symbols_label(size: str, dpi: int) -> Label:
    stock = SIZES[size]
    els: list[Text | Barcode] = [Text(4, 3, f"每种条码 every symbology {size}", 4)]
    linear = [s for s in SYMBOLS if s[0] in (Symbology.CODE128, Symbology.GS1_128, Symbology.EAN13)]
    square = [s for s in SYMBOLS if s not in linear]
    for k, (sym, data, gs1) in enumerate(linear):
        els.append(Barcode(8, 12 + 14 * k, sym, data, module_mm=0.25, height_mm=8, gs1=gs1))
    for k, (sym, data, gs1) in enumerate(square):
        x, y = 8 + 32 * (k % 2), 12 + 14 * len(linear) + 24 * (k // 2)
        els.append(Barcode(x, y, sym, data, module_mm=0.375, gs1=gs1))
    assert 12 + 14 * len(linear) + 24 * (len(square) // 2) < stock.height_mm
    return Label(stock, dpi, tuple(els), title="symbols")


@pytest.mark.parametrize("language", ["zpl", "tspl", "pdf"])
@pytest.mark.parametrize("size", list(SIZES))
def test_every_symbology_decodes_from_the_preview_of_each_printer_language(
    size: str, language: str
) -> None:
    label = all_symbols_label(size, 203)
    preview = render_preview(render.render(label, language), language, label.dpi)
    assert preview.complete, (preview.ignored, preview.notes)
    assert decoded(preview.png) == expected(label)
    assert len(expected(label)) == len(SYMBOLS)


@pytest.mark.parametrize("language", ["zpl", "tspl", "pdf"])
@pytest.mark.parametrize(("size", "dpi"), [("4x6in", 203), ("100x150mm", 300), ("76x130mm", 203)])
def test_shipping_and_test_labels_preview_at_label_size_and_decode(
    size: str, dpi: int, language: str
) -> None:
    for label in (shipping.shipping_label(DATA, size, dpi), shipping.test_label(size, dpi)):
        preview = render_preview(render.render(label, language), language, dpi)
        assert preview.complete, (preview.ignored, preview.notes)
        assert len(preview.labels) == 1
        img = Image.open(io.BytesIO(preview.png))
        assert img.size == pytest.approx((label.width_dots, label.height_dots), abs=1)
        assert decoded(preview.png) == expected(label)


def test_chinese_address_of_the_shipping_label_is_printed_in_every_language() -> None:
    label = shipping.shipping_label(DATA, "100x150mm", 203)
    address = next(e for e in label.elements if isinstance(e, Text) and "深圳" in e.text)
    left, top = label.dots(address.x_mm), label.dots(address.y_mm)
    box = (left, top, left + label.dots(60), top + label.dots(address.height_mm))
    for language in ("zpl", "tspl", "pdf"):
        img = Image.open(io.BytesIO(render_png(render.render(label, language), language)))
        black = sum(img.convert("L").crop(box).histogram()[:128])
        assert black > 0.08 * (box[2] - box[0]) * (box[3] - box[1]), language


def test_copies_and_several_labels_of_one_job_are_all_shown() -> None:
    label = shipping.test_label("76x130mm", 203)
    tspl_job = render.render(label, "tspl") + render.render(label, "tspl")
    assert len(render_preview(tspl_job, "tspl").labels) == 2
    zpl_job = render.render(label, "zpl", copies=3)  # ^PQ3: one format printed three times
    preview = render_preview(zpl_job, "zpl")
    assert len(preview.labels) == 1 and preview.complete


@pytest.mark.parametrize("language", ["zpl", "tspl"])
def test_a_label_printed_to_the_network_printer_emulator_opens_as_an_image(language: str) -> None:
    # what the demo's emulator panel does: print over loopback TCP 9100-style, then preview the
    # job as the emulated printer received it
    label = shipping.shipping_label(DATA, "100x150mm", 203)
    emulator = PrinterEmulator(language)
    emulator.start()
    try:
        open_printer(PrinterConfig("tcp", emulator.address, language)).send(
            render.render(label, language), timeout=5
        )
        assert emulator.wait_for_jobs(1, timeout=5)
        job = emulator.printed[0]
    finally:
        emulator.stop()
    preview = render_preview(job.payload, job.language, label.dpi)
    assert preview.complete and len(preview.labels) == 1
    assert decoded(preview.png) == expected(label)
