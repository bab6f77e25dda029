#!/usr/bin/env python3
"""Screenshots of the import screen (column mapping with preview, progress, result report) and
the review queue, in English and Chinese, offscreen, into docs/screenshots/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshots_import.py

A throw-away demo database; the files imported are the samples under tests/data/ and a
generated Shopify export big enough for the progress bar to be caught half way.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from app.bootstrap import Services, bootstrap  # noqa: E402
from app.config import Paths, Settings  # noqa: E402
from app.db.models import Product  # noqa: E402
from app.domain.users import Actor  # noqa: E402
from app.services import auth, demo_data  # noqa: E402
from app.services.order_intake import ImportProgress  # noqa: E402
from tests.data.make_samples import write_big_shopify  # noqa: E402
from ui.application import install_fonts, make_qapp  # noqa: E402
from ui.bus import Bus  # noqa: E402
from ui.context import UiContext  # noqa: E402
from ui.i18n import install_language  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.screens.import_screen import ImportScreen  # noqa: E402
from ui.screens.review import ReviewScreen  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
DATA = ROOT / "tests" / "data"


def settle(app: QApplication, ms: int = 50) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    app.processEvents()


def shot(widget: QWidget, name: str) -> None:
    path = OUT / f"{name}.png"
    widget.grab().save(str(path))
    print(path.relative_to(ROOT))


def wait_checked(app: QApplication, screen: ImportScreen) -> None:
    """The file check runs off the UI thread: wait for its answer."""
    while screen.checking:
        settle(app, 20)


def wait_for_result(app: QApplication, screen: ImportScreen) -> None:
    loop = QEventLoop()
    screen.result_shown.connect(loop.quit)
    QTimer.singleShot(300_000, loop.quit)
    loop.exec()
    screen.result_shown.disconnect(loop.quit)
    settle(app)


def demo_database() -> tuple[Services, Actor, Path]:
    """A demo warehouse that also sells the samples' SKUs, and a big Shopify export."""
    tmp = Path(tempfile.mkdtemp(prefix="packdesk-import-shots-"))
    services = bootstrap(
        Settings(db_url=f"sqlite:///{tmp / 'demo.sqlite'}", station="office-01"),
        Paths(tmp / "c", tmp / "d", tmp / "l"),
    )
    services.run(demo_data.generate, orders=300, seed=7)
    # the SKUs of the sample files and of the generated export, so most orders pass the checks
    with services.uow() as uow:
        have = set(uow.session.scalars(select(Product.sku)))
        skus = ["BOTTLE-500-BL", "LID-BAMBOO", "MUG-TRAVEL", *(f"SKU-{k:05d}" for k in range(2000))]
        uow.session.execute(
            insert(Product), [{"sku": s, "name": f"Sample {s}"} for s in skus if s not in have]
        )
        uow.commit()
    big = tmp / "orders_export_2026-11.csv"
    write_big_shopify(big, 20_000)
    user, password = demo_data.DEMO_USERS[0].username, demo_data.DEMO_USERS[0].password
    actor = services.run(auth.login, user, password, services.station_id, services.station_code)
    return services, actor, big


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    app = make_qapp()
    install_fonts(app)
    for lang in ("en", "zh_CN"):
        # a fresh database per language: each run shows a first import, not a repeat
        services, actor, big = demo_database()
        install_language(app, lang)
        window = MainWindow(UiContext(services, actor, Bus()))
        window.resize(1400, 860)
        window.show()
        screen = window.screen(ImportScreen)
        assert isinstance(screen, ImportScreen)
        # 1. a Chinese platform's GB18030 export: the columns guessed, the first rows shown
        screen.set_file(DATA / "taobao_orders_gb18030.csv")
        wait_checked(app, screen)
        screen.channel.setEditText("淘宝旗舰店" if lang == "zh_CN" else "Taobao flagship")
        screen.profile_name.setText("淘宝订单导出")
        settle(app)
        shot(window, f"import_mapping_{lang}")

        # 2. a big Shopify export, caught half way
        screen.set_file(big)
        wait_checked(app, screen)
        screen.channel.setEditText("Shopify US")
        caught: list[bool] = []

        def catch(
            p: ImportProgress,
            lang: str = lang,
            caught: list[bool] = caught,
            window: MainWindow = window,
        ) -> None:
            if not caught and p.fraction >= 0.4:
                caught.append(True)
                app.processEvents()
                shot(window, f"import_progress_{lang}")

        screen._signals.progress.connect(catch)
        screen.start_import()
        wait_for_result(app, screen)
        screen._signals.progress.disconnect(catch)

        # 3. the result report of the sample export, with its row-numbered problems
        screen.set_file(DATA / "shopify_orders_export.csv")
        wait_checked(app, screen)
        screen.channel.setEditText("Shopify US")
        screen.start_import()
        wait_for_result(app, screen)
        shot(window, f"import_result_{lang}")

        # 4. the review queue with an order opened in the editor
        review = window.screen(ReviewScreen)
        assert isinstance(review, ReviewScreen)
        review.reload()
        review.table.selectRow(0)
        settle(app)
        shot(window, f"review_queue_{lang}")
        window.close()
        services.close()


if __name__ == "__main__":
    main()
