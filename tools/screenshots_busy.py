#!/usr/bin/env python3
"""The Orders screen while a page is on its way from a slow database (the busy indicator), in
English and Chinese, offscreen, into docs/screenshots/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshots_busy.py

The page is held back for a moment on purpose, as a far-away server would.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from app.bootstrap import bootstrap  # noqa: E402
from app.config import Paths, Settings  # noqa: E402
from app.services import auth  # noqa: E402
from app.services.orders import OrderQuery, OrderRow  # noqa: E402
from tests.factories import add_orders  # noqa: E402
from ui.application import install_fonts, make_qapp  # noqa: E402
from ui.bus import Bus  # noqa: E402
from ui.context import UiContext  # noqa: E402
from ui.i18n import install_language  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.models.orders import FetchPage  # noqa: E402
from ui.screens.orders import OrdersScreen  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def settle(app: QApplication, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()


def slowly(fetch: FetchPage) -> FetchPage:
    def slow(query: OrderQuery, after_id: int | None, limit: int) -> list[OrderRow]:
        time.sleep(3)  # a server far away
        return fetch(query, after_id, limit)

    return slow


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    app = make_qapp()
    install_fonts(app)
    tmp = Path(tempfile.mkdtemp(prefix="packdesk-busy-shots-"))
    services = bootstrap(
        Settings(db_url=f"sqlite:///{tmp / 'demo.sqlite'}", station="pack-01"),
        Paths(tmp / "c", tmp / "d", tmp / "l"),
    )
    services.run(auth.create_first_admin, "admin", "correct-horse-9", services.station_id)
    actor = services.run(
        auth.login, "admin", "correct-horse-9", services.station_id, services.station_code
    )
    add_orders(services, 120)
    add_orders(services, 6, status="on_hold", start=121)
    for lang in ("en", "zh_CN"):
        install_language(app, lang)
        window = MainWindow(UiContext(services, actor, Bus()))
        window.resize(1400, 820)
        window.show()
        screen = window.screen(OrdersScreen)
        assert isinstance(screen, OrdersScreen)
        while screen.loading:
            app.processEvents()
        screen.model._fetch = slowly(screen.model._fetch)
        screen.search.setText("张")
        screen.apply_filter()
        settle(app, 0.4)
        path = OUT / f"orders_loading_{lang}.png"
        window.grab().save(str(path))
        print(path.relative_to(ROOT))
        while screen.loading:
            app.processEvents()
        window.close()
    services.close()


if __name__ == "__main__":
    main()
