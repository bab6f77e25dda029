#!/usr/bin/env python3
"""Screenshots of a Douyin export found by the Import screen, and of orders whose recipient the
platform protects (Pinduoduo's masked 吴** / 138****1234): the Review editor and the order's
detail with the note "ship with the platform's e-waybill"; in English and Chinese, offscreen,
into docs/screenshots/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshots_protected.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from app.db.models import Order  # noqa: E402
from app.services import order_intake  # noqa: E402
from tests.order_action_fixtures import add_products  # noqa: E402
from tools.shot_kit import fresh_shop, settle  # noqa: E402
from ui.application import install_fonts, make_qapp  # noqa: E402
from ui.bus import Bus  # noqa: E402
from ui.context import UiContext  # noqa: E402
from ui.i18n import install_language  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.screens.import_screen import ImportScreen  # noqa: E402
from ui.screens.order_detail import OrderDetailDialog  # noqa: E402
from ui.screens.review import ReviewScreen  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
HELD = "261121-000000000000002"  # 吴** / 138****1234, no SKU: held
SHOWN = "261121-000000000000009"  # a virtual number with its extension


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    app = make_qapp()
    install_fonts(app)
    for lang in ("en", "zh_CN"):
        install_language(app, lang)
        services, actor, _tmp = fresh_shop()
        add_products(services, "BOTTLE-500-BL")
        services.run(
            order_intake.import_file,
            actor,
            ROOT / "tests" / "data" / "cn_pinduoduo_orders.csv",
            local=ZoneInfo("Asia/Shanghai"),
        )
        with services.uow() as uow:
            ids = dict(uow.session.execute(select(Order.external_id, Order.id)).tuples().all())
            numbers = dict(uow.session.execute(select(Order.id, Order.number)).tuples().all())
        ctx = UiContext(services, actor, Bus())
        window = MainWindow(ctx)
        window.resize(1500, 820)
        screen = window.screen(ReviewScreen)
        assert isinstance(screen, ReviewScreen)
        window.show()
        settle(app)
        importer = window.screen(ImportScreen)
        assert isinstance(importer, ImportScreen)
        importer.set_file(ROOT / "tests" / "data" / "cn_douyin_orders.csv")
        while importer.checking:
            settle(app, 0.1)
        settle(app)
        path = OUT / f"import_douyin_{lang}.png"
        window.grab().save(str(path))
        print(path.relative_to(ROOT))
        window.screen(ReviewScreen)
        settle(app)
        for r in range(screen.model.rowCount()):
            if screen.model.index(r, 0).data() == numbers[ids[HELD]]:
                screen.table.selectRow(r)
        settle(app)
        path = OUT / f"review_protected_{lang}.png"
        window.grab().save(str(path))
        print(path.relative_to(ROOT))
        dialog = OrderDetailDialog(ctx, ids[SHOWN])
        dialog.show()
        settle(app)
        path = OUT / f"order_detail_protected_{lang}.png"
        dialog.grab().save(str(path))
        print(path.relative_to(ROOT))
        dialog.close()
        window.close()
        services.close()


if __name__ == "__main__":
    main()
