#!/usr/bin/env python3
"""Screenshots of product mappings: the mapping screen (a 6-pack, a kit and a title mapping), its
Add/Edit dialog, the import result, Review's map dialog half way through a search, and Review
with a mapped line; English and Chinese, offscreen, into docs/screenshots/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshots_mappings.py

A throw-away demo database (its 2,000 products make the search realistic) with a supervisor.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QWidget  # noqa: E402

from app.bootstrap import Services, bootstrap  # noqa: E402
from app.config import Paths, Settings  # noqa: E402
from app.domain.users import Actor  # noqa: E402
from app.services import auth, demo_data, listing_mappings, orders  # noqa: E402
from tests.ui.mapping_fixtures import add_catalogue, add_listing_orders  # noqa: E402
from tools import shot_kit  # noqa: E402
from tools.shot_kit import run_loop, wait  # noqa: E402
from ui.application import install_fonts, make_qapp  # noqa: E402
from ui.bus import Bus  # noqa: E402
from ui.context import UiContext  # noqa: E402
from ui.i18n import install_language  # noqa: E402
from ui.screens.mappings import MappingsScreen  # noqa: E402
from ui.screens.review import ReviewScreen  # noqa: E402
from ui.widgets.map_listing import MapListingDialog  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def settle(ms: int = 60) -> None:
    run_loop(ms)


def shot(widget: QWidget, name: str) -> None:
    shot_kit.shot(widget, OUT, ROOT, name)


def database() -> tuple[Services, Actor]:
    tmp = Path(tempfile.mkdtemp(prefix="packdesk-mapping-shots-"))
    services = bootstrap(
        Settings(db_url=f"sqlite:///{tmp / 'demo.sqlite'}", station="office-01"),
        Paths(tmp / "c", tmp / "d", tmp / "l"),
    )
    services.run(demo_data.generate, orders=50, seed=7)
    user = next(u for u in demo_data.DEMO_USERS if u.username == "supervisor")
    actor = services.run(
        auth.login, user.username, user.password, services.station_id, services.station_code
    )
    ids = add_catalogue(services)
    # held: a Taobao 6-pack by SKU, a gift set (组合装) with a bad phone, a title without a SKU
    add_listing_orders(services, 4, sku="TB-TEE-6PK", title="Sample Tee 6-pack", qty=1)
    add_listing_orders(
        services, 1, sku="TB-GIFT-SET", title="竹盖马克杯礼盒组合装", qty=2, phone="1381234567"
    )
    add_listing_orders(services, 3, title="Buy 1 Get 1 FREE Sample Tee", channel="Shopify")
    [taobao] = [c for c in services.run(orders.channels) if c[2] == "淘宝"]
    save = listing_mappings.save_mapping
    services.run(save, actor, taobao[0], "sku", "TB-TEE-6PK", [(ids["TEE-S"], 6)])
    services.run(
        save, actor, None, "listing_id", "4410021", [(ids["MUG-350"], 1), (ids["LID-BAMBOO"], 1)]
    )
    services.run(save, actor, None, "title", "蓝色水杯 500ml 两只装", [(ids["BOTTLE-500-BL"], 2)])
    return services, actor


def mapping_screen(ctx: UiContext, lang: str) -> MappingsScreen:
    screen = MappingsScreen(ctx)
    screen.resize(1200, 560)
    screen.show()
    screen.activated()
    wait(screen.loaded)
    shot(screen, f"mappings_{lang}")
    return screen


def edit_dialog(screen: MappingsScreen, lang: str) -> None:
    for r in range(screen.model.rowCount()):
        if screen.model.mapping(r).match_text == "4410021":
            screen.table.selectRow(r)
    dialog = screen.open_editor(screen.current())
    dialog.resize(760, 620)
    shot(dialog, f"mapping_edit_{lang}")
    dialog.reject()


def import_result(screen: MappingsScreen, lang: str) -> None:
    """A file with a good 6-pack, a kit and a row whose SKU is no product."""
    path = Path(tempfile.mkdtemp(prefix="packdesk-mapping-file-")) / "淘宝对应表.csv"
    path.write_text(
        "渠道,匹配方式,平台货品,货品编码,数量\n"
        "淘宝,sku,TB-MUG-2PK,MUG-350,2\n"
        "淘宝,sku,TB-TEA-SET,NO-SUCH-SKU,1\n"
        ",title,竹盖马克杯礼盒,MUG-350,1\n"
        ",title,竹盖马克杯礼盒,LID-BAMBOO,1\n",
        encoding="utf-8",
    )
    screen.import_file(path)
    wait(screen.loaded)
    dialog = screen.import_dialog
    assert dialog is not None
    dialog.resize(820, 360)
    shot(dialog, f"mapping_import_result_{lang}")
    dialog.accept()


def review_map_dialog(ctx: UiContext, lang: str) -> ReviewScreen:
    review = ReviewScreen(ctx)
    review.resize(1366, 800)
    review.show()
    review.activated()
    settle(200)
    review.hold_reason.setCurrentIndex(review.hold_reason.findData("unknown_sku"))
    settle(300)
    shot(review, f"review_map_link_{lang}")
    review.hold_reason.setCurrentIndex(review.hold_reason.findData("no_sku"))
    settle(300)
    review.mapper.map_line()
    [dialog] = wait(review.mapper.opened)
    assert isinstance(dialog, MapListingDialog)
    dialog.parts.search.setText("tee")
    dialog.parts.search_now()
    wait(dialog.parts.results_shown)
    shot(dialog, f"map_listing_search_{lang}")
    dialog.parts.enter()
    settle(200)
    dialog.parts._spins[0].setValue(2)  # "Buy 1 Get 1 FREE": two tees a listing
    shot(dialog, f"map_listing_ready_{lang}")
    dialog.reject()
    return review


def review_mapped_line(ctx: UiContext, lang: str) -> None:
    """The gift set, mapped to a kit, still held for its phone: the lines say where they came
    from."""
    review = ReviewScreen(ctx)
    review.resize(1366, 800)
    review.show()
    review.activated()
    settle(200)
    review.hold_reason.setCurrentIndex(review.hold_reason.findData("bad_phone"))
    settle(200)
    review.table.selectRow(0)
    wait(review.mapper.sources_shown)
    shot(review, f"review_mapped_line_{lang}")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    app = make_qapp()
    install_fonts(app)
    services, actor = database()
    ctx = UiContext(services, actor, Bus())
    for lang in ("en", "zh_CN"):
        install_language(app, lang)
        screen = mapping_screen(ctx, lang)
        edit_dialog(screen, lang)
        import_result(screen, lang)
        review_map_dialog(ctx, lang)
    # map the gift set as a kit from Review, then look at the order
    install_language(app, "en")
    review = ReviewScreen(ctx)
    review.show()
    review.activated()
    settle(200)
    review.hold_reason.setCurrentIndex(review.hold_reason.findData("bad_phone"))
    settle(200)
    review.table.selectRow(0)
    review.mapper.map_line()
    [dialog] = wait(review.mapper.opened)
    assert isinstance(dialog, MapListingDialog)
    for text in ("MUG-350", "LID-BAMBOO"):
        dialog.parts.search.setText(text)
        dialog.parts.enter()
        wait(dialog.parts.picked)
    dialog.save()
    wait(review.mapper.mapped)
    for lang in ("en", "zh_CN"):
        install_language(app, lang)
        review_mapped_line(ctx, lang)
    services.close()


if __name__ == "__main__":
    main()
