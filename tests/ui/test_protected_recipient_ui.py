"""An order whose recipient the platform protects says so where the reviewer and the packer
look: the Review editor and the order's detail ("ship with the platform's e-waybill")."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db.models import Order
from app.services import order_intake
from tests.order_action_fixtures import add_products
from ui.context import UiContext
from ui.screens.import_screen import ImportScreen
from ui.screens.order_detail import OrderDetailDialog
from ui.screens.review import ReviewScreen

DATA = Path(__file__).resolve().parents[1] / "data"
NOTE = "Recipient protected by the platform: ship with the platform's e-waybill"


def _import(ctx: UiContext) -> None:
    add_products(ctx.services, "BOTTLE-500-BL")
    for name in ("cn_pinduoduo_orders.csv", "cn_taobao_orders.csv"):
        ctx.services.run(
            order_intake.import_file, ctx.actor, DATA / name, local=ZoneInfo("Asia/Shanghai")
        )


def _number(ctx: UiContext, ext: str) -> tuple[int, str]:
    with ctx.services.uow() as uow:
        row = uow.session.execute(
            select(Order.id, Order.number).where(Order.external_id == ext)
        ).one()
        return row[0], row[1]


def _select(screen: ReviewScreen, number: str) -> None:
    for r in range(screen.model.rowCount()):
        if screen.model.index(r, 0).data() == number:
            screen.table.selectRow(r)
            return
    raise AssertionError(f"{number} is not in the review queue")


def test_the_review_editor_shows_the_note_only_for_a_protected_recipient(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    _import(ui_ctx)
    screen = ReviewScreen(ui_ctx)
    qtbot.addWidget(screen)
    screen.resize(1300, 800)
    screen.show()
    screen.activated()
    _, protected = _number(ui_ctx, "261121-000000000000002")  # 吴**, 138****1234, no SKU
    _, plain = _number(ui_ctx, "3876543210987602")  # 李四, no SKU
    _select(screen, protected)
    assert screen.editor.protected.isVisible()
    assert screen.editor.protected.text().startswith(NOTE)
    assert "Phone number not valid" not in screen.editor.reasons.text()
    _select(screen, plain)
    assert screen.editor.order is not None and screen.editor.order.number == plain
    assert not screen.editor.protected.isVisible()


def test_the_order_detail_shows_the_note_for_a_protected_recipient(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    _import(ui_ctx)
    for ext, shown in (("261121-000000000000009", True), ("3876543210987601", False)):
        order_id, _ = _number(ui_ctx, ext)
        dialog = OrderDetailDialog(ui_ctx, order_id)
        qtbot.addWidget(dialog)
        note = dialog.findChild(QLabel, "recipient_protected")
        assert (note is not None) == shown, ext
        if note is not None:
            assert note.text().startswith(NOTE)


def test_the_import_screen_names_a_platform_export_and_imports_it_by_its_chosen_format(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    add_products(ui_ctx.services, "BOTTLE-500-BL")
    screen = ImportScreen(ui_ctx)
    qtbot.addWidget(screen)
    screen.resize(1300, 800)
    screen.show()
    screen.activated()
    qtbot.waitUntil(lambda: not screen.checking, timeout=10_000)
    platforms = [screen.format.itemData(i) for i in range(screen.format.count())]
    assert {"taobao", "jd", "pinduoduo", "douyin"} <= set(platforms)
    screen.set_file(DATA / "cn_douyin_orders.csv")
    qtbot.waitUntil(lambda: not screen.checking, timeout=10_000)
    assert "a Douyin (抖店) orders export" in screen.detected.text()
    assert not screen.generic.isVisible() and screen.channel.currentText() == "Douyin"
    screen.format.setCurrentIndex(screen.format.findData("douyin"))
    with qtbot.waitSignal(screen.result_shown, timeout=30_000):
        screen.import_button.click()
    assert screen.summary.text().startswith("6 imported")
    with ui_ctx.services.uow() as uow:
        flags = uow.session.scalars(select(Order.recipient_protected)).all()
    assert len(flags) == 6 and all(flags)
