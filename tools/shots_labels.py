"""Render the packing documents to docs/screenshots/ (to look at, and for the docs):

- ``label-<size>-<format>-<en|zh>.png``: the shipping label in each size (4x6in, 100x150mm,
  76x130mm) and format (ZPL and TSPL through the preview renderers of app/labels/preview.py,
  PDF through pypdfium2), with a Western and a Chinese address;
- ``slip-a4-gift.png`` and ``slip-a4.png``: a packing slip's first page (a gift, then with
  prices), ``slip-a4-last.png`` the last page of a long slip, ``slip-pickup-a6.png`` a pickup
  slip.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/shots_labels.py
    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/shots_labels.py --screen   (the device
    screen with the document printer, ``devices-documents-en.png`` and ``-zh.png``)
"""

from __future__ import annotations

import io
import sys
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pypdfium2 as pdfium  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402

from app.labels import packing_slip as ps  # noqa: E402
from app.labels import render  # noqa: E402
from app.labels.model import SIZES  # noqa: E402
from app.labels.preview import render_png  # noqa: E402
from app.labels.shipping import Party, ShippingLabelData, shipping_label  # noqa: E402

OUT = ROOT / "docs" / "screenshots"

SHOP_ZH = Party(
    "杭州好物旗舰店",
    "0571-88886666",
    province="浙江省",
    city="杭州市",
    district="余杭区",
    street="文一西路 998 号",
)
SHOP_EN = Party(
    "Northwind Goods",
    "+1 206 555 0100",
    country="US",
    province="WA",
    city="Seattle",
    street="1200 Harbor Ave SW, Suite 3",
    postal_code="98126",
)
LABELS = {
    "zh": ShippingLabelData(
        "SF Express 顺丰速运",
        "标快",
        "SF1403526873451",
        "PD-2024-000123",
        SHOP_ZH,
        Party(
            "欧阳娜娜",
            "13812345678",
            province="广东省",
            city="深圳市",
            district="南山区",
            street="粤海街道科技园南区高新南一道 8 号创维大厦 A 座 2 栋 1501 室（前台代收）",
        ),
        Decimal("1250"),
        date(2024, 5, 1),
        parcel_seq=2,
        parcel_count=3,
        master_tracking="SF1403526873450",
        sorting_code="755-W10 南山",
        hub="深圳转运中心",
        cod_amount=Decimal("123.45"),
        return_party=Party(
            "好物退货仓", "0571-12345678", province="浙江省", street="仓前街道 1 号"
        ),
        reprint=True,
    ),
    "en": ShippingLabelData(
        "UPS",
        "Ground",
        "1Z999AA10123456784",
        "PD-2024-000124",
        SHOP_EN,
        Party(
            "Maximilian Alexander Montgomery-Smythe",
            "+1 212 555 0199",
            country="US",
            province="NY",
            city="New York",
            street="350 Fifth Avenue, 34th Floor, Empire State Building",
            street2="Attn: Receiving Dock B",
            postal_code="10118",
            company="Montgomery & Daughters Trading Co.",
        ),
        Decimal("2340"),
        date(2024, 5, 1),
        mask_policy="full_name",
        parcel_seq=1,
        parcel_count=2,
        sorting_code="NY 101 9-20",
        hub="JFK",
        cod_amount=Decimal("45.00"),
        currency="USD",
    ),
}


def label_png(data: ShippingLabelData, size: str, fmt: str) -> bytes:
    label = shipping_label(data, size)
    payload = render.render(label, fmt)
    if fmt == "pdf":
        page = pdfium.PdfDocument(payload)[0]
        out = io.BytesIO()
        page.render(scale=label.dpi / 72).to_pil().convert("L").save(out, "PNG")
        return out.getvalue()
    return render_png(payload, fmt, label.dpi)


def logo() -> bytes:
    img = Image.new("RGB", (360, 120), "white")
    draw = ImageDraw.Draw(img)
    draw.ellipse((6, 6, 114, 114), fill="#c62828")
    draw.rectangle((130, 30, 350, 90), fill="#263238")
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


SLIP = ps.SlipData(
    "PD-2024-000123",
    "TB-3819274650021",
    "2024-05-01",
    SHOP_ZH,
    LABELS["zh"].recipient,
    (
        ps.SlipLine("EAR-W01", "无线蓝牙耳机 白色 Wireless earbuds, white", 2, Decimal("129.90")),
        ps.SlipLine("CASE-7", "硅胶保护套 蓝色 Silicone case, blue", 1, Decimal("19.50")),
        ps.SlipLine(
            "PHONE-X", "手机 Phone X 256 GB", 1, Decimal("2999.00"), serials=("SN8812345",)
        ),
        ps.SlipLine("TEA-LJ", "西湖龙井 明前特级 250 g", 3, Decimal("88.00"), lot="L2024-04"),
    ),
    customer_note="请不要放发票，谢谢！Please leave the invoice out.",
    return_instructions=(
        "7 天无理由退货：扫描包裹内二维码申请，寄回 好物退货仓 浙江省杭州市仓前街道 1 号。"
        "Returns within 7 days: apply with the QR code in the parcel."
    ),
    logo=logo(),
    parcel_seq=1,
    parcel_count=2,
    tracking_numbers=("SF1403526873450", "SF1403526873451"),
    cod_amount=Decimal("123.45"),
    carrier="SF Express 顺丰速运 标快",
)


def page_png(pdf: bytes, path: Path, page: int = 0, scale: float = 1.4) -> None:
    doc = pdfium.PdfDocument(pdf)
    doc[page if page >= 0 else len(doc) + page].render(scale=scale).to_pil().save(path)
    print(path.relative_to(ROOT))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for lang, data in LABELS.items():
        for size in SIZES:
            for fmt in ("zpl", "tspl", "pdf"):
                path = OUT / f"label-{size}-{fmt}-{lang}.png"
                path.write_bytes(label_png(data, size, fmt))
                print(path.relative_to(ROOT))
    gift = replace(
        SLIP, gift=True, gift_message="生日快乐！愿你每天都有好心情。Happy birthday! Love, Mum"
    )
    page_png(ps.packing_slip_pdf(gift, "A4"), OUT / "slip-a4-gift.png")
    page_png(ps.packing_slip_pdf(SLIP, "A4"), OUT / "slip-a4.png")
    many = tuple(
        ps.SlipLine(f"SKU-{i:04d}", f"商品 Item {i}", i % 3 + 1, Decimal("9.90")) for i in range(60)
    )
    page_png(
        ps.packing_slip_pdf(replace(SLIP, lines=many), "Letter"), OUT / "slip-letter-last.png", -1
    )
    pickup = replace(
        SLIP, pickup_slot="B-03", tracking_numbers=(), cod_amount=None, lines=SLIP.lines[:3]
    )
    page_png(ps.pickup_slip_pdf(pickup, "A6"), OUT / "slip-pickup-a6.png", scale=2.2)


if __name__ == "__main__" and "--screen" not in sys.argv:
    main()


def devices_screen() -> None:
    """The device screen with the document printer's settings, in English and Chinese."""
    from PySide6.QtWidgets import QApplication

    from app.devices.station_config import DocumentSettings, StationDevicesConfig
    from app.services import stations
    from tools.shot_kit import fresh_shop, shot
    from ui.application import install_fonts
    from ui.bus import Bus
    from ui.context import UiContext
    from ui.i18n import install_language
    from ui.screens.devices import DevicesScreen

    app = QApplication.instance() or QApplication(sys.argv)
    install_fonts(app)  # type: ignore[arg-type]
    services, actor, _ = fresh_shop()
    config = StationDevicesConfig(documents=DocumentSettings("pdf", "", "", "A4"))
    services.run(stations.save_station_devices, actor, services.station_id, config)
    for lang, suffix in (("en", "en"), ("zh_CN", "zh")):
        install_language(app, lang)  # type: ignore[arg-type]
        screen = DevicesScreen(UiContext(services, actor, Bus()))
        screen.resize(1280, 860)
        shot(screen, OUT, ROOT, f"devices-documents-{suffix}")
        screen.close()
    services.close()


if __name__ == "__main__" and "--screen" in sys.argv:
    devices_screen()
