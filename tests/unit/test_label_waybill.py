"""The shipping label's packing fields, rendered in every size and format: ZPL and TSPL through
the preview renderers, PDF through pdfium; barcodes decoded with zxing-cpp, PDF text
extracted."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pypdfium2 as pdfium
import pytest
import zxingcpp
from PIL import Image

from app.labels import pdf, render, shipping
from app.labels.model import SIZES, Label, Text
from app.labels.preview import render_preview

SHOP = shipping.Party(
    "杭州好物旗舰店",
    "0571-88886666",
    province="浙江省",
    city="杭州市",
    district="余杭区",
    street="文一西路 998 号",
)
CHINESE = shipping.Party(
    "张三丰",
    "13812345678",
    province="广东省",
    city="深圳市",
    district="南山区",
    street="科技园南区高新南一道 8 号创维大厦 A 座 2 栋 1501 室",
)
LATIN = shipping.Party(
    "Maximilian Alexander Müller-Lüdenscheidt",
    "+49 30 1234567",
    country="DE",
    city="Berlin",
    street="Kurfürstendamm 195, Hinterhaus, 3. Obergeschoss links",
    postal_code="10707",
    company="Lüdenscheidt Import Export GmbH",
)
RETURNS = shipping.Party("退货仓 Returns", "0571-12345", province="浙江省", street="仓前街道 1 号")


def data(recipient: shipping.Party, **changes: object) -> shipping.ShippingLabelData:
    base = shipping.ShippingLabelData(
        "SF Express 顺丰速运",
        "标快",
        "SF1403526873451",
        "PD-2024-000123",
        SHOP,
        recipient,
        Decimal("1250"),
        date(2024, 5, 1),
        parcel_seq=2,
        parcel_count=3,
        master_tracking="SF1403526873450",
        sorting_code="755-W10",
        hub="深圳转运中心",
        cod_amount=Decimal("123.45"),
        return_party=RETURNS,
        reprint=True,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def image_of(payload: bytes, language: str) -> Image.Image:
    if language == "pdf":
        page = pdfium.PdfDocument(payload)[0]
        return page.render(scale=406 / 72).to_pil().convert("L")
    return Image.open(io.BytesIO(render_preview(payload, language).png)).convert("L")


def pdf_text(label_pdf: bytes) -> str:
    return pdfium.PdfDocument(label_pdf)[0].get_textpage().get_text_range()


def texts(label: Label) -> list[str]:
    return [e.text for e in label.elements if isinstance(e, Text)]


@pytest.mark.parametrize("language", ["zpl", "tspl", "pdf"])
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("recipient", [CHINESE, LATIN], ids=["chinese", "latin"])
def test_with_every_packing_field_printed_the_tracking_and_order_barcodes_decode_exactly(
    language: str, size: str, recipient: shipping.Party
) -> None:
    label = shipping.shipping_label(data(recipient), size)
    printed = texts(label)
    assert "755-W10" in printed and "补打 REPRINT" in printed
    assert any(t.startswith("代收货款") for t in printed)
    image = image_of(render.render(label, language), language)
    found = {r.text for r in zxingcpp.read_barcodes(image)}
    assert found == {"SF1403526873451", "PD-2024-000123"}


@pytest.mark.parametrize("size", list(SIZES))
def test_the_label_prints_cod_reprint_sorting_hub_master_return_and_weight(size: str) -> None:
    text = pdf_text(pdf.render(shipping.shipping_label(data(CHINESE), size)))
    for part in (
        "代收货款",
        "¥123.45",
        "补打",
        "REPRINT",
        "755-W10",
        "深圳转运中心",
        "集包地",
        "母单",
        "SF1403526873450",
        "退",
        "仓前街道1号",
        "1.25 kg",
        "PD-2024-000123",
        "138******78",
    ):
        assert part in text.replace(" ", "").replace("\r", "").replace("\n", "") or part in text
    assert "13812345678" not in text  # masked after the e-waybill policy


@pytest.mark.parametrize(
    ("size", "parcels"),
    [("4x6in", "Parcel 2 of 3"), ("100x150mm", "2/3"), ("76x130mm", "2/3")],
)
def test_parcel_n_of_m_is_written_the_way_of_the_label_stock(size: str, parcels: str) -> None:
    label = shipping.shipping_label(data(CHINESE), size)
    assert parcels in [e.text for e in label.elements if isinstance(e, Text)]
    single = shipping.shipping_label(data(CHINESE, parcel_seq=1, parcel_count=1), size)
    assert not any(
        "/" in e.text or " of " in e.text for e in single.elements if isinstance(e, Text)
    )


@pytest.mark.parametrize("size", list(SIZES))
def test_the_sorting_code_is_the_biggest_text_on_the_label(size: str) -> None:
    label = shipping.shipping_label(data(CHINESE), size)
    texts = [e for e in label.elements if isinstance(e, Text)]
    code = next(e for e in texts if e.text == "755-W10")
    assert all(code.height_mm > e.height_mm for e in texts if e is not code)
    assert code.height_mm >= 9 * min(1.0, SIZES[size].width_mm / 101.6)


def test_cod_is_a_black_bar_and_absent_without_cod() -> None:
    label = shipping.shipping_label(data(CHINESE))
    cod = next(e for e in label.elements if isinstance(e, Text) and "代收货款" in e.text)
    assert cod.inverse and cod.height_mm >= 5
    plain = shipping.shipping_label(data(CHINESE, cod_amount=None, reprint=False))
    text = pdf_text(pdf.render(plain))
    assert "代收货款" not in text and "补打" not in text


def test_a_first_parcel_does_not_print_itself_as_its_master() -> None:
    first = data(CHINESE, tracking_number="SF1403526873450", parcel_seq=1)
    label = shipping.shipping_label(first)
    assert "Parcel 1 of 3" in texts(label)
    assert "母单" not in pdf_text(pdf.render(label))


def test_the_return_address_is_left_out_when_it_is_the_senders() -> None:
    other = shipping.shipping_label(data(CHINESE))
    assert any(t.startswith("退 Return: 退货仓 Returns") for t in texts(other))
    same = shipping.shipping_label(data(CHINESE, return_party=SHOP))
    assert not any(t.startswith("退") for t in texts(same))
