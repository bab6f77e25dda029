"""The pick screen on its own: what it shows for the task in hand (big location, SKU, quantity,
tote, the product picture, the map ringing the place), the buttons for skip, short and the
reasons, a short pick done by buttons, NEXT when there is no work, and Chinese."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPixmap
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from app.db.models import PickTask, Product, RecountTask
from app.domain.scans import ScanEvent
from app.domain.users import Role
from app.domain.waves import ShortReason
from app.services import auth, scanning
from tests.wave_fixtures import build_wave
from ui.bus import Bus
from ui.context import UiContext
from ui.i18n import install_language
from ui.screens.pick import PickScreen


@pytest.fixture
def picker_ctx(ui_ctx: UiContext) -> UiContext:
    svc = ui_ctx.services
    svc.run(auth.create_user, ui_ctx.actor, "picker1", Role.PICKER, "secret-pass-1")
    picker = svc.run(auth.login, "picker1", "secret-pass-1", svc.station_id, svc.station_code)
    return UiContext(svc, picker, Bus())


def open_screen(qtbot: QtBot, ctx: UiContext) -> PickScreen:
    screen = PickScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1400, 850)
    screen.show()
    screen.activated()
    return screen


def scan(ctx: UiContext, screen: PickScreen, text: str) -> None:
    event = ctx.services.run(scanning.classify, text)
    assert isinstance(event, ScanEvent)
    screen.on_scan(event)


def test_the_task_in_hand_is_shown_large_with_its_picture_and_the_place_ringed_on_the_map(
    qtbot: QtBot, ui_ctx: UiContext, picker_ctx: UiContext, tmp_path: Path
) -> None:
    build_wave(ui_ctx.services, ui_ctx.actor)
    picture = tmp_path / "cup.png"
    pixmap = QPixmap(60, 60)
    pixmap.fill(QColor("navy"))
    pixmap.save(str(picture))
    with ui_ctx.services.uow() as uow:
        uow.session.execute(update(Product).values(image_path=str(picture)))
        uow.commit()
    screen = open_screen(qtbot, picker_ctx)
    view = screen.view
    assert view is not None and view.task is not None
    task = view.task
    assert screen.location.text() == task.location
    assert screen.location.font().pointSize() >= 80
    assert screen.sku.text() == task.sku and task.tote in screen.tote.text()
    assert screen.qty.text() == f"Take {task.qty}"
    assert screen.image.pixmap() is not None and not screen.image.pixmap().isNull()
    assert screen.map.isVisible() and screen.map.highlighted() is not None
    assert screen.map.route_items() > 0
    assert "0 of" in screen.progress.text()
    assert screen.prompt.text() == f"Go to {task.location} and scan the location."


def test_a_short_pick_by_buttons_records_the_reason_and_moves_on(
    qtbot: QtBot, ui_ctx: UiContext, picker_ctx: UiContext
) -> None:
    build_wave(ui_ctx.services, ui_ctx.actor)
    screen = open_screen(qtbot, picker_ctx)
    first = screen.view.task if screen.view else None
    assert first is not None
    qtbot.mouseClick(screen.short_button, Qt.MouseButton.LeftButton)
    assert screen.reasons.isVisible() and "scan the reason" in screen.prompt.text()
    qtbot.mouseClick(screen.reason_buttons[ShortReason.EMPTY], Qt.MouseButton.LeftButton)
    assert "Short pick recorded (empty)" in screen.message.text()
    assert not screen.reasons.isVisible()
    assert screen.view is not None and screen.view.task is not None
    assert screen.view.task.task_id != first.task_id
    with ui_ctx.services.uow() as uow:
        assert uow.session.scalars(select(RecountTask.reason)).all() == ["empty"]
        short = uow.session.get_one(PickTask, first.task_id)
        assert (short.status, short.short_reason) == ("short", "empty")


def test_skip_by_button_and_a_refused_scan_in_red(
    qtbot: QtBot, ui_ctx: UiContext, picker_ctx: UiContext
) -> None:
    build_wave(ui_ctx.services, ui_ctx.actor)
    screen = open_screen(qtbot, picker_ctx)
    first = screen.view.task if screen.view else None
    assert first is not None
    qtbot.mouseClick(screen.skip_button, Qt.MouseButton.LeftButton)
    assert "comes round again" in screen.message.text()
    assert screen.view is not None and screen.view.task is not None
    assert screen.view.task.task_id != first.task_id
    scan(picker_ctx, screen, "NOT-A-BARCODE-1")
    assert "not known here" in screen.message.text()
    assert "#b00020" in screen.message.styleSheet()


def test_next_with_no_work_says_so_and_chinese_is_shown(
    qtbot: QtBot, ui_ctx: UiContext, picker_ctx: UiContext, qapp: QApplication
) -> None:
    install_language(qapp, "zh_CN")
    screen = open_screen(qtbot, picker_ctx)
    assert screen.view is None
    scan(picker_ctx, screen, "PD-CMD-NEXT")
    assert screen.message.text() == "现在没有任务。请扫描“下一个”或按“领取任务”再查一次。"
    assert screen.get_work_button.text() == "领取任务"
    assert not screen.skip_button.isEnabled()
