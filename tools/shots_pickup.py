#!/usr/bin/env python3
"""Screenshots of the Pickup counter: the waiting list, and a customer's slip scanned (slot big,
waiting for the second scan); in English and Chinese, offscreen, into docs/screenshots/. The real
main window, a shipper logged in, two pickup orders packed at the station.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/shots_pickup.py
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

from app.domain.users import Role  # noqa: E402
from app.services import auth, scanning  # noqa: E402
from tests.pickup_fixtures import pack_pd1, pack_pd2, pickup_shop  # noqa: E402
from tools.shot_kit import fresh_shop, run_loop, settle  # noqa: E402
from ui.application import install_fonts, make_qapp  # noqa: E402
from ui.bus import Bus  # noqa: E402
from ui.context import UiContext  # noqa: E402
from ui.i18n import install_language  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.screens.pickup import PickupScreen  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def shots(app: QApplication, lang: str) -> None:
    install_language(app, lang)
    services, admin, _ = fresh_shop()
    setup = pickup_shop(services, admin)
    pack_pd2(services, setup)
    pack_pd1(services, setup)
    services.run(auth.create_user, admin, "ship1", Role.SHIPPER, "secret-pass-1")
    clerk = services.run(
        auth.login, "ship1", "secret-pass-1", services.station_id, services.station_code
    )
    window = MainWindow(UiContext(services, clerk, Bus()))
    window.resize(1600, 900)
    window.show()
    screen = window.screen(PickupScreen)
    assert isinstance(screen, PickupScreen), screen
    settle(app, 1.0)

    def shot(name: str) -> None:
        run_loop(300)
        path = OUT / f"pickup-{name}_{lang}.png"
        window.grab().save(str(path))
        print(path.relative_to(ROOT))

    shot("waiting")
    screen.on_scan(services.run(scanning.classify, "TB-778899"))
    run_loop(400)
    shot("scanned")
    window.close()
    services.close()


def main() -> None:
    app = make_qapp()
    install_fonts(app)
    for lang in ("en", "zh_CN"):
        shots(app, lang)


if __name__ == "__main__":
    main()
