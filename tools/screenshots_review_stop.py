#!/usr/bin/env python3
"""Screenshots of the Review queue: an order the channel cancelled while it was being picked,
first and marked ("stop and put back"), and an order whose postal code field holds the street
(kept in full, held with the reason); in English and Chinese, offscreen, into docs/screenshots/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshots_review_stop.py
"""

from __future__ import annotations

import csv
import os
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from app.bootstrap import Services  # noqa: E402
from app.db.models import Order  # noqa: E402
from app.domain.orders import OrderStatus  # noqa: E402
from app.domain.users import Actor  # noqa: E402
from app.services import order_actions, order_intake, orders  # noqa: E402
from tests.order_action_fixtures import add_location, add_products, receive  # noqa: E402
from tools.shot_kit import fresh_shop, settle  # noqa: E402
from ui.application import install_fonts, make_qapp  # noqa: E402
from ui.bus import Bus  # noqa: E402
from ui.context import UiContext  # noqa: E402
from ui.i18n import install_language  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.screens.review import ReviewScreen  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
DATA = ROOT / "tests" / "data"
SKUS = ("BOTTLE-500-BL", "LID-BAMBOO", "MUG-TRAVEL", "NAPKIN-LINEN")


def load(services: Services, actor: Actor, tmp: Path) -> None:
    """The Shopify sample with #1001 allocated and being picked, the traps file, then the
    sample again with #1001 cancelled in the channel."""
    add_products(services, *SKUS)
    add_location(services, "A-01")
    for sku in SKUS:
        receive(services, actor, "A-01", sku, 10)
    utc = ZoneInfo("UTC")
    sample = DATA / "shopify_orders_export.csv"
    services.run(order_intake.import_file, actor, sample, local=utc)
    with services.uow() as uow:
        o = uow.session.scalars(select(Order).where(Order.external_id == "#1001")).one()
        oid = o.id
    services.run(order_actions.allocate, actor, [oid])
    with services.uow() as uow:
        o = uow.session.get(Order, oid)
        assert o is not None
        orders.transition(uow, actor, o, OrderStatus.PICKING, note="wave 12")
        uow.commit()
    services.run(order_intake.import_file, actor, DATA / "shopify_traps.csv", local=utc)
    with sample.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    col = rows[0].index("Cancelled at")
    next(r for r in rows if r[0] == "#1001")[col] = "2026-11-22 10:00:00 -0500"
    cancelled = tmp / "shopify_orders_export.csv"
    with cancelled.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    services.run(order_intake.import_file, actor, cancelled, local=utc)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    app = make_qapp()
    install_fonts(app)
    for lang in ("en", "zh_CN"):
        install_language(app, lang)
        services, actor, tmp = fresh_shop()
        load(services, actor, tmp)
        window = MainWindow(UiContext(services, actor, Bus()))
        window.resize(1600, 900)
        review = window.screen(ReviewScreen)
        assert isinstance(review, ReviewScreen)
        window.show()
        settle(app)
        review.table.selectRow(0)
        settle(app)
        for name, ext in (("review_stop", "#1001"), ("review_long_postal_code", "#2010")):
            with services.uow() as uow:
                number = uow.session.scalars(
                    select(Order.number).where(Order.external_id == ext)
                ).one()
            row = next(
                r
                for r in range(review.model.rowCount())
                if review.model.index(r, 0).data() == number
            )
            review.table.selectRow(row)
            settle(app)
            path = OUT / f"{name}_{lang}.png"
            window.grab().save(str(path))
            print(path.relative_to(ROOT))
        window.close()
        services.close()


if __name__ == "__main__":
    main()
