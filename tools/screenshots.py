#!/usr/bin/env python3
"""Screenshots of the shell screens in English and Chinese, offscreen, into docs/screenshots/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshots.py

Uses a throw-away demo database, so what you see is what a newcomer sees.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from app.bootstrap import bootstrap  # noqa: E402
from app.config import Paths, Settings  # noqa: E402
from app.services import auth, demo_data  # noqa: E402
from ui.application import demo_hint, install_fonts, make_qapp  # noqa: E402
from ui.bus import Bus  # noqa: E402
from ui.context import UiContext  # noqa: E402
from ui.i18n import install_language  # noqa: E402
from ui.login import FirstAdminDialog, LoginDialog  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.screens.orders import OrdersScreen  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def shot(widget: QWidget, name: str) -> Path:
    app = QApplication.instance()
    assert app is not None
    widget.show()
    for _ in range(5):
        app.processEvents()
    path = OUT / f"{name}.png"
    widget.grab().save(str(path))
    print(path.relative_to(ROOT))
    return path


def loaded(screen: OrdersScreen) -> None:
    """The Orders screen queries off the UI thread: wait for its answers."""
    app = QApplication.instance()
    assert app is not None
    while screen.loading:
        app.processEvents()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    app = make_qapp()
    install_fonts(app)
    tmp = Path(tempfile.mkdtemp(prefix="packdesk-shots-"))
    paths = Paths(tmp / "c", tmp / "d", tmp / "l")
    services = bootstrap(
        Settings(db_url=f"sqlite:///{tmp / 'demo.sqlite'}", station="pack-01"), paths
    )
    first = FirstAdminDialog(services)
    first.resize(640, 320)
    for lang in ("en", "zh_CN"):
        install_language(app, lang)
        shot(FirstAdminDialog(services), f"first_run_{lang}")
    services.run(demo_data.generate, orders=300, seed=7)
    user, password = demo_data.DEMO_USERS[0].username, demo_data.DEMO_USERS[0].password
    for lang in ("en", "zh_CN"):
        install_language(app, lang)
        login = LoginDialog(services, lang, demo_hint())
        shot(login, f"login_{lang}")
        actor = services.run(auth.login, user, password, services.station_id, services.station_code)
        window = MainWindow(UiContext(services, actor, Bus()))
        window.resize(1400, 820)
        screen = window.screen(OrdersScreen)
        assert isinstance(screen, OrdersScreen)
        loaded(screen)
        screen.table.selectRow(2)
        shot(window, f"orders_{lang}")
        screen.status.setCurrentIndex(screen.status.findData("on_hold"))
        loaded(screen)
        shot(window, f"orders_on_hold_{lang}")
        screen.status.setCurrentIndex(0)
        loaded(screen)
        dialog = screen.open_detail(2)
        shot(dialog, f"order_detail_{lang}")
        dialog.close()
        window.close()
    services.close()


if __name__ == "__main__":
    main()
