#!/usr/bin/env python3
"""Screenshots of the Import screen with WooCommerce's REST API order list (JSON): the file
loaded (layout named, first orders shown) and the result report, in English and Chinese,
offscreen, into docs/screenshots/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshots_woocommerce.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from app.bootstrap import bootstrap  # noqa: E402
from app.config import Paths, Settings  # noqa: E402
from app.db.models import Product  # noqa: E402
from app.services import auth  # noqa: E402
from tools.screenshots_import import DATA, OUT, settle, shot, wait_checked, wait_for_result  # noqa: E402
from ui.application import install_fonts, make_qapp  # noqa: E402
from ui.bus import Bus  # noqa: E402
from ui.context import UiContext  # noqa: E402
from ui.i18n import install_language  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.screens.import_screen import ImportScreen  # noqa: E402

SKUS = ("BOTTLE-500-BL", "LID-BAMBOO", "MUG-TRAVEL", "TEE-BLK-M", "CAP-RED")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    app = make_qapp()
    install_fonts(app)
    for lang in ("en", "zh_CN"):
        tmp = Path(tempfile.mkdtemp(prefix="packdesk-woo-shots-"))
        services = bootstrap(
            Settings(db_url=f"sqlite:///{tmp / 'shop.sqlite'}", station="office-01"),
            Paths(tmp / "c", tmp / "d", tmp / "l"),
        )
        services.run(auth.create_first_admin, "admin", "correct-horse-9", services.station_id)
        actor = services.run(
            auth.login, "admin", "correct-horse-9", services.station_id, services.station_code
        )
        with services.uow() as uow:
            uow.session.execute(insert(Product), [{"sku": s, "name": s} for s in SKUS])
            uow.commit()
        install_language(app, lang)
        window = MainWindow(UiContext(services, actor, Bus()))
        window.resize(1400, 860)
        window.show()
        screen = window.screen(ImportScreen)
        assert isinstance(screen, ImportScreen)
        screen.set_file(DATA / "woocommerce_rest_orders.json")
        wait_checked(app, screen)
        settle(app)
        shot(window, f"import_woocommerce_json_{lang}")
        screen.start_import()
        wait_for_result(app, screen)
        shot(window, f"import_woocommerce_json_result_{lang}")
        window.close()
        services.close()


if __name__ == "__main__":
    main()
