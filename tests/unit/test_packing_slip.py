"""Packing and pickup slips rendered with pdfium: their text extracted, their barcodes decoded."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from decimal import Decimal

import pypdfium2 as pdfium
import pytest
import zxingcpp
from PIL import Image, ImageDraw

from app.labels import packing_slip as ps
from app.labels.parties import Party

SHOP = Party(
    "杭州好物旗舰店", "0571-88886666", province="浙江省", city="杭州市", street="文一西路 998 号"
)
BUYER = Party(
    "张三丰",
    "13812345678",
    province="广东省",
    city="深圳市",
    district="南山区",
    street="科技园南区高新南一道 8 号 2 栋 1501 室",
)
LINES = (
    ps.SlipLine("EAR-W01", "无线蓝牙耳机 白色", 2, Decimal("129.90"), lot="L2024-05"),
    ps.SlipLine("CASE-7", "Silicone case, blue", 1, Decimal("19.50")),
    ps.SlipLine("PHONE-X", "手机 Phone X", 1, Decimal("2999.00"), serials=("SN0001",)),
)
DATA = ps.SlipData(
    "PD-2024-000123",
    "TB-889977665544",
    "2024-05-01",
    SHOP,
    BUYER,
    LINES,
    customer_note="请不要放发票 Please no invoice",
    return_instructions="30 天内无理由退货 Returns within 30 days",
    parcel_seq=1,
    parcel_count=2,
    tracking_numbers=("SF1403526873451", "SF1403526873452"),
    cod_amount=Decimal("123.45"),
)


def pages_text(pdf: bytes) -> list[str]:
    doc = pdfium.PdfDocument(pdf)
    return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]


def codes_on(pdf: bytes, page: int = 0) -> set[str]:
    image = pdfium.PdfDocument(pdf)[page].render(scale=300 / 72).to_pil().convert("L")
    return {r.text for r in zxingcpp.read_barcodes(image)}


def logo_png() -> bytes:
    img = Image.new("RGB", (200, 80), "white")
    ImageDraw.Draw(img).ellipse((5, 5, 75, 75), fill="red")
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize(("paper", "size"), [("A4", (595, 842)), ("Letter", (612, 792))])
def test_a_packing_slip_lists_items_quantities_prices_note_returns_and_parcels(
    paper: str, size: tuple[int, int]
) -> None:
    pdf = ps.packing_slip_pdf(DATA, paper)
    doc = pdfium.PdfDocument(pdf)
    assert tuple(round(v) for v in doc[0].get_size()) == size
    text = "\n".join(pages_text(pdf))
    for part in (
        "PD-2024-000123",
        "TB-889977665544",
        "2024-05-01",
        "EAR-W01",
        "无线蓝牙耳机 白色",
        "L2024-05",
        "SN0001",
        "Silicone case, blue",
        "¥129.90",
        "¥259.80",
        "¥3,278.30",  # 2 x 129.90 + 19.50 + 2999.00
        "请不要放发票 Please no invoice",
        "30 天内无理由退货 Returns within 30 days",
        "Parcel 1 of 2",
        "SF1403526873451",
        "SF1403526873452",
        "代收货款",
        "¥123.45",
        "138******78",
    ):
        assert part in text, part
    assert "13812345678" not in text  # the channel's policy masks the phone
    assert re.search(r"EAR-W01.*?\n?.*?2\b", text, re.S)
    assert "PD-2024-000123" in codes_on(pdf)


def test_a_gift_slip_prints_the_gift_message_and_no_price_anywhere() -> None:
    gift = replace(DATA, gift=True, gift_message="生日快乐！Happy birthday, love Mum")
    text = "\n".join(pages_text(ps.packing_slip_pdf(gift)))
    assert "生日快乐！Happy birthday, love Mum" in text
    assert "EAR-W01" in text and "Silicone case, blue" in text
    for price in ("¥", "129.90", "19.50", "2,999.00", "123.45", "Unit price", "Total"):
        assert price not in text, price


def test_many_lines_flow_onto_pages_with_the_heading_repeated_and_numbered() -> None:
    lines = tuple(
        ps.SlipLine(f"SKU-{i:04d}", f"商品 Item number {i}", i % 3 + 1, Decimal("9.90"))
        for i in range(1, 121)
    )
    pdf = ps.packing_slip_pdf(replace(DATA, lines=lines))
    texts = pages_text(pdf)
    n = len(texts)
    assert n >= 3
    for i, text in enumerate(texts, start=1):
        assert "Order 订单 PD-2024-000123" in text
        if "SKU-0" in text:
            assert "Qty 数量" in text  # the table's heading, again on every page of lines
        assert f"Page {i} of {n}" in text
    found = re.findall(r"SKU-\d{4}", "\n".join(texts))
    assert sorted(found) == [f"SKU-{i:04d}" for i in range(1, 121)]
    assert "PD-2024-000123" in codes_on(pdf, n - 1)  # the header barcode on the last page too


def test_the_shops_logo_is_drawn_and_a_broken_logo_does_not_stop_the_slip() -> None:
    def images(pdf: bytes) -> int:
        page = pdfium.PdfDocument(pdf)[0]
        return sum(1 for obj in page.get_objects() if obj.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE)

    assert images(ps.packing_slip_pdf(DATA)) == 0
    assert images(ps.packing_slip_pdf(replace(DATA, logo=logo_png()))) == 1
    broken = ps.packing_slip_pdf(replace(DATA, logo=b"not a picture"))
    assert "EAR-W01" in pages_text(broken)[0]


def test_the_slip_embeds_the_chinese_font() -> None:
    pdf = ps.packing_slip_pdf(DATA)
    assert b"WenQuanYi" in pdf
    assert "杭州好物旗舰店" in pages_text(pdf)[0]


@pytest.mark.parametrize("paper", ["A4", "A6"])
def test_a_pickup_slip_shows_the_order_big_the_customer_the_shelf_and_the_items(
    paper: str,
) -> None:
    pickup = replace(DATA, pickup_slot="B-03", cod_amount=None, tracking_numbers=())
    pdf = ps.pickup_slip_pdf(pickup, paper)
    text = "\n".join(pages_text(pdf))
    for part in ("PD-2024-000123", "张*丰", "B-03", "EAR-W01", "Silicone case, blue", "自提"):
        assert part in text, part
    assert "张三丰" not in text and "13812345678" not in text
    assert "¥" not in text
    assert "PD-2024-000123" in codes_on(pdf)
    if paper == "A6":
        short = replace(pickup, lines=LINES[:1])
        assert len(pdfium.PdfDocument(ps.pickup_slip_pdf(short, paper))) == 1
