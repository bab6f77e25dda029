#!/usr/bin/env python3
"""Screenshots of delivery tracking (签收): the Delivery exceptions screen after a carrier's status
file was imported (a damaged parcel, silent for days since), and the
order detail with its tracking history; in English and Chinese, offscreen, into
docs/screenshots/. Two orders packed at the station and handed over five days ago, the sample
status files of tests/data.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/shots_delivery.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PACKDESK_NO_SOUND", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.services import delivery  # noqa: E402
from tests.delivery_fixtures import shipped_orders  # noqa: E402
from tools.shot_kit import fresh_shop, shot, wait  # noqa: E402
from ui.application import install_fonts, make_qapp  # noqa: E402
from ui.bus import Bus  # noqa: E402
from ui.context import UiContext  # noqa: E402
from ui.i18n import install_language  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.screens.delivery_exceptions import DeliveryExceptionsScreen  # noqa: E402
from ui.screens.order_detail import OrderDetailDialog  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
DATA = ROOT / "tests" / "data"


def main() -> None:
    app = make_qapp()
    install_fonts(app)
    services, admin, _ = fresh_shop()
    shipped = shipped_orders(services, admin, days_ago=5)
    # PD1 signed for; PD2 arrived damaged and has said nothing since (no scan for 3 days)
    services.run(delivery.import_tracking_file, admin, DATA / "tracking_status_cn_gb18030.csv")
    ctx = UiContext(services, admin, Bus())
    for lang in ("en", "zh_CN"):
        install_language(app, lang)
        window = MainWindow(ctx)
        window.resize(1366, 720)
        window.show()
        screen = window.screen(DeliveryExceptionsScreen)
        assert isinstance(screen, DeliveryExceptionsScreen)
        wait(screen.loaded)
        shot(window, OUT, ROOT, f"delivery_exceptions_{lang}")
        dialog = OrderDetailDialog(ctx, shipped.orders["PD1"])
        dialog.resize(1100, 900)
        shot(dialog, OUT, ROOT, f"order_tracking_history_{lang}")
        dialog.close()
        window.close()
    services.close()


if __name__ == "__main__":
    main()
