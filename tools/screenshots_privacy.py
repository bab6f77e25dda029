#!/usr/bin/env python3
"""Screenshots of masked recipients: the Orders list and the order detail with a Chinese and an
English address, in English and Chinese, offscreen, into docs/screenshots/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshots_privacy.py

Three channels on a throw-away database: taobao (ewaybill, the default), shop-uk (full_name)
and b2b (none).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from app.bootstrap import Services, bootstrap  # noqa: E402
from app.config import Paths, Settings  # noqa: E402
from app.db.models import Address, Channel, Order, OrderLine  # noqa: E402
from app.domain.users import SYSTEM  # noqa: E402
from app.services import auth, privacy  # noqa: E402
from ui.application import install_fonts, make_qapp  # noqa: E402
from ui.bus import Bus  # noqa: E402
from ui.context import UiContext  # noqa: E402
from ui.i18n import install_language  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.screens.orders import OrdersScreen  # noqa: E402

OUT = ROOT / "docs" / "screenshots"

# channel, policy, (name, phone, country, province, city, district, street, street2, postcode)
RECIPIENTS = [
    ("taobao", "ewaybill", ("张三丰", "13812345678", "CN", "广东省", "深圳市", "南山区",
                            "科技园南路88号3栋1单元502室", "", "518057")),
    ("taobao", "ewaybill", ("李小龙", "13987654321", "CN", "上海市", "上海市", "徐汇区",
                            "阳光小区5-2-1203", "", "200030")),
    ("shop-uk", "full_name", ("Emma Wilson", "+44 7700 900123", "GB", "", "London", "",
                              "12 High Street Flat 3", "Rose Court", "SW1A 1AA")),
    ("shop-uk", "full_name", ("Jean Dupont", "+33 6 12 34 56 78", "FR", "", "Paris", "",
                              "Rue de Rivoli 12, Bât. A, 3e étage, porte 12", "", "75001")),
    ("b2b", "none", ("ACME GmbH Einkauf", "+49 30 1234567", "DE", "", "Berlin", "",
                     "Hauptstraße 5, 3. OG", "", "10115")),
]  # fmt: skip


def settle(app: QApplication, seconds: float = 0.4) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()


def shot(app: QApplication, widget: QWidget, name: str) -> None:
    widget.show()
    settle(app)
    path = OUT / f"{name}.png"
    widget.grab().save(str(path))
    print(path.relative_to(ROOT))


def fill(services: Services) -> None:
    with services.uow() as uow:
        s = uow.session
        channels: dict[str, int] = {}
        for i, (code, _policy, r) in enumerate(RECIPIENTS, start=1):
            if code not in channels:
                channels[code] = s.execute(
                    insert(Channel).returning(Channel.id),
                    [{"code": code, "name": code, "platform": "manual"}],
                ).scalar_one()
            keys = ("name", "phone", "country", "province", "city", "district", "street")
            values = dict(zip(keys, r[:7], strict=True))
            addr = s.execute(
                insert(Address).returning(Address.id),
                [{**values, "street2": r[7], "postal_code": r[8], "phone_digits": ""}],
            ).scalar_one()
            oid = s.execute(
                insert(Order).returning(Order.id),
                [
                    {
                        "number": f"PD{i:08d}",
                        "channel_id": channels[code],
                        "external_id": f"EXT-{i}",
                        "ship_address_id": addr,
                        "total": Decimal("99.50"),
                    }
                ],
            ).scalar_one()
            s.execute(
                insert(OrderLine),
                [{"order_id": oid, "line_no": 1, "sku": "CUP-500", "name": "保温杯", "qty": 1}],
            )
        uow.commit()
    for code, policy, _r in RECIPIENTS:
        services.run(privacy.set_channel_mask_policy, SYSTEM, code, policy)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    app = make_qapp()
    install_fonts(app)
    tmp = Path(tempfile.mkdtemp(prefix="packdesk-shots-"))
    services = bootstrap(
        Settings(db_url=f"sqlite:///{tmp / 'p.sqlite'}", station="pack-01"),
        Paths(tmp / "c", tmp / "d", tmp / "l"),
    )
    services.run(auth.create_first_admin, "admin", "correct-horse-9", services.station_id)
    fill(services)
    actor = services.run(auth.login, "admin", "correct-horse-9", services.station_id)
    for lang in ("en", "zh_CN"):
        install_language(app, lang)
        window = MainWindow(UiContext(services, actor, Bus()))
        window.resize(1400, 560)
        screen = window.screen(OrdersScreen)
        assert isinstance(screen, OrdersScreen)
        shot(app, window, f"privacy_orders_{lang}")
        for row, which in ((4, "cn"), (2, "en")):  # newest first: PD1 is the last row
            dialog = screen.open_detail(row)
            shot(app, dialog, f"privacy_detail_{which}_{lang}")
            dialog.close()
        window.close()
    services.close()


if __name__ == "__main__":
    main()
