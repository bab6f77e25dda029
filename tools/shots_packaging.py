#!/usr/bin/env python3
"""Screenshots of the Packaging screen: the package types with the packing settings, the add
dialog refusing a box without its height, and the carton card's first page; in English and
Chinese, offscreen, into docs/screenshots/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/shots_packaging.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pypdfium2 as pdfium  # noqa: E402
from PySide6.QtCore import QRectF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QFont, QPainter, QPixmap  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from sqlalchemy import insert, update  # noqa: E402

from app.bootstrap import Services  # noqa: E402
from app.db.models import OrderLine, Product  # noqa: E402
from app.domain.pack_settings import PackSettings  # noqa: E402
from app.domain.users import Actor  # noqa: E402
from app.services import pack_settings, package_types, settings_logo  # noqa: E402
from app.services.package_types import PackageTypeDraft  # noqa: E402
from tests.factories import add_orders  # noqa: E402
from tools.shot_kit import fresh_shop, run_loop, wait  # noqa: E402
from ui.application import install_fonts, make_qapp  # noqa: E402
from ui.bus import Bus  # noqa: E402
from ui.context import UiContext  # noqa: E402
from ui.i18n import install_language  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.screens.packaging import PackagingScreen  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
TYPES = (
    PackageTypeDraft("BOX-XS", "1号纸箱 Mini box", "box", "PKG-BOX-XS", 150, 100, 50, 60, 3000),
    PackageTypeDraft("BOX-S", "3号纸箱 Small box", "box", "PKG-BOX-S", 200, 150, 100, 120, 5000),
    PackageTypeDraft("BOX-M", "5号纸箱 Medium box", "box", "PKG-BOX-M", 300, 250, 200, 220, 10000),
    PackageTypeDraft("BOX-L", "7号纸箱 Large box", "box", "PKG-BOX-L", 450, 350, 300, 420, 20000),
    PackageTypeDraft("BAG-M", "快递袋 中 Mailer bag", "polybag", "PKG-BAG-M", 0, 0, 0, 12, 2000),
    PackageTypeDraft("ENV-A4", "文件袋 Document envelope", "envelope", "", 320, 230, 20, 25, 500),
    PackageTypeDraft("BOX-OLD", "旧纸箱 Old box", "box", "", 250, 200, 150, 200, 8000, False),
)


def logo(folder: Path) -> str:
    """A simple shop logo, standing in for the shop's own."""
    pixmap = QPixmap(480, 160)
    pixmap.fill(QColor("white"))
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setBrush(QColor("#c62828"))
    p.setPen(Qt.PenStyle.NoPen)
    p.drawEllipse(QRectF(20, 20, 120, 120))
    p.setPen(QColor("#212121"))
    font = QFont()
    font.setPixelSize(64)
    font.setBold(True)
    p.setFont(font)
    p.drawText(QRectF(160, 20, 320, 120), Qt.AlignmentFlag.AlignVCenter, "小店 Shop")
    p.end()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "logo.png"
    pixmap.save(str(path))
    return str(path)


def order_with_products(services: Services) -> None:
    """Order PD00000001 with a vacuum bottle (size known) and two phone cases (size unknown)."""
    add_orders(services, 1, status="allocated")
    with services.uow() as uow:
        s = uow.session
        for sku, name, size, grams in (
            ("SKU-A", "保温杯 500ml", (90, 90, 230), 380),
            ("SKU-B", "手机壳 Phone case", (0, 0, 0), 40),
        ):
            pid = s.execute(
                insert(Product).returning(Product.id),
                [
                    {
                        "sku": sku,
                        "name": name,
                        "weight_g": grams,
                        "length_mm": size[0],
                        "width_mm": size[1],
                        "height_mm": size[2],
                    }
                ],
            ).scalar_one()
            s.execute(update(OrderLine).where(OrderLine.sku == sku).values(product_id=pid))
        uow.commit()


def shop() -> tuple[Services, Actor]:
    services, admin, tmp = fresh_shop()
    order_with_products(services)
    for draft in TYPES:
        services.run(package_types.save_package_type, admin, draft)
    settings = PackSettings(
        tolerance_pct=4.0,
        tolerance_floor_g=25,
        labels_need_full_scan=True,
        return_instructions="7天无理由退货：请在收货后7天内联系客服，附上订单号寄回。",
        sender_name="小店 Little Shop",
        sender_phone="0755-8888 6666",
        sender_province="广东省",
        sender_city="深圳市",
        sender_district="南山区",
        sender_street="科技园南路18号 3栋 502",
        sender_postal_code="518057",
    )
    services.run(pack_settings.save_pack_settings, admin, settings)
    picture = Path(logo(tmp / "images"))
    services.run(settings_logo.set_shop_logo, admin, picture.read_bytes(), picture.name)
    return services, admin


def shots(app: QApplication, lang: str) -> None:
    install_language(app, lang)
    services, admin = shop()
    window = MainWindow(UiContext(services, admin, Bus()))
    window.resize(1600, 950)
    window.show()
    screen = window.screen(PackagingScreen)
    assert isinstance(screen, PackagingScreen)
    wait(screen.loaded)
    screen.table.selectRow(1)
    screen.trial_input.setText("PD00000001")
    screen.try_order()
    wait(screen.tried)
    run_loop(200)
    path = OUT / f"packaging-screen_{lang}.png"
    window.grab().save(str(path))
    print(path.relative_to(ROOT))

    dialog = screen.open_dialog()
    dialog.code.setText("BOX-XL")
    dialog.name.setText("9号纸箱 Extra large")
    dialog.length_box.setValue(600)
    dialog.width_box.setValue(400)
    dialog.tare.setValue(650)
    dialog.max_weight.setValue(25000)
    dialog.save()  # no height: refused, with the reason in the dialog
    dialog.show()
    run_loop(200)
    path = OUT / f"packaging-dialog_{lang}.png"
    dialog.grab().save(str(path))
    print(path.relative_to(ROOT))
    dialog.close()

    if lang == "en":
        card = services.run(package_types.carton_card_document, admin)
        page = pdfium.PdfDocument(card)[0]
        path = OUT / "packaging-carton-card.png"
        page.render(scale=110 / 72).to_pil().save(path)
        print(path.relative_to(ROOT))
    window.close()
    services.close()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    app = make_qapp()
    install_fonts(app)
    for lang in ("en", "zh_CN"):
        shots(app, lang)


if __name__ == "__main__":
    main()
