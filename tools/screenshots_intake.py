#!/usr/bin/env python3
"""Screenshots of a small shop's export after import: orders without SKUs held with "no SKU",
a cash-on-delivery order not held as unpaid, and the pickup orders listed apart; in English and
Chinese, offscreen, into docs/screenshots/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshots_intake.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


from app.domain.users import Role  # noqa: E402
from app.services import order_intake  # noqa: E402
from tools.shot_kit import fresh_shop, settle  # noqa: E402
from ui.application import install_fonts, make_qapp  # noqa: E402
from ui.bus import Bus  # noqa: E402
from ui.context import UiContext  # noqa: E402
from ui.i18n import install_language  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.screens.orders import OrdersScreen  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    app = make_qapp()
    install_fonts(app)
    for lang in ("en", "zh_CN"):
        install_language(app, lang)
        services, actor, _tmp = fresh_shop()
        assert actor.role == Role.ADMIN
        services.run(
            order_intake.import_file,
            actor,
            ROOT / "tests" / "data" / "shopify_traps.csv",
            local=ZoneInfo("UTC"),
        )
        window = MainWindow(UiContext(services, actor, Bus()))
        window.resize(1500, 700)
        screen = window.screen(OrdersScreen)
        assert isinstance(screen, OrdersScreen)
        window.show()
        settle(app)
        for name, pickup in (("orders_no_sku", None), ("orders_pickup", True)):
            screen.delivery.setCurrentIndex(screen.delivery.findData(pickup))
            settle(app)
            path = OUT / f"{name}_{lang}.png"
            window.grab().save(str(path))
            print(path.relative_to(ROOT))
        window.close()
        services.close()


if __name__ == "__main__":
    main()
