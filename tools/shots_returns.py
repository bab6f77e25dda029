#!/usr/bin/env python3
"""Screenshots of the Returns screen: waiting for a parcel, and mid-inspection (two cups
restocked, a tea with a damaged box waiting for where it goes); in English and Chinese,
offscreen, into docs/screenshots/. The real main window, a returns clerk logged in, orders
packed at the station and shipped.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/shots_returns.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PACKDESK_NO_SOUND", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402
from sqlalchemy import update  # noqa: E402

from app.db.models import OrderLine  # noqa: E402
from app.domain.users import Role  # noqa: E402
from app.services import auth, scanning  # noqa: E402
from tests.pack_fixtures import tea  # noqa: E402
from tests.returns_fixtures import CUP, shipped_orders  # noqa: E402
from tools.shot_kit import fresh_shop, run_loop, settle  # noqa: E402
from ui.application import install_fonts, make_qapp  # noqa: E402
from ui.bus import Bus  # noqa: E402
from ui.context import UiContext  # noqa: E402
from ui.i18n import install_language  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.screens.returns import ReturnsScreen  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
NAMES = {"CUP-1": "保温杯 500ml 白色", "TEA-1": "西湖龙井 100g 礼盒", "PEN-1": "中性笔 黑色 0.5mm"}


def shots(app: QApplication, lang: str) -> None:
    install_language(app, lang)
    services, admin, _ = fresh_shop()
    shipped = shipped_orders(services, admin)
    with services.uow() as uow:  # the names the shop sold them under
        for sku, name in NAMES.items():
            uow.session.execute(update(OrderLine).where(OrderLine.sku == sku).values(name=name))
        uow.commit()
    services.run(auth.create_user, admin, "returns1", Role.RETURNS_CLERK, "secret-pass-1")
    clerk = services.run(
        auth.login, "returns1", "secret-pass-1", services.station_id, services.station_code
    )
    window = MainWindow(UiContext(services, clerk, Bus()))
    window.resize(1600, 900)
    window.show()
    screen = window.current_screen()
    assert isinstance(screen, ReturnsScreen), screen
    settle(app, 1.0)

    def scan(text: str) -> None:
        screen.on_scan(services.run(scanning.classify, text))
        run_loop(200)

    def shot(name: str) -> None:
        run_loop(300)
        path = OUT / f"returns-{name}_{lang}.png"
        window.grab().save(str(path))
        print(path.relative_to(ROOT))

    shot("waiting")
    scan(shipped.tracking["PD1"])
    scan("PD-RET-REASON-WRONG_SIZE")
    scan(CUP)
    scan(CUP)
    scan("LOC-A-01")
    scan("PD-RET-REASON-DAMAGED")
    scan(tea("L1"))
    shot("inspecting")
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
