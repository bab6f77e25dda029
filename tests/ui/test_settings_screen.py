"""The Settings screen: every section loads off the UI thread, a changed value is saved through
its service (and audited), a wrong value is named under its field and nothing is saved."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from PIL import Image
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import insert, select

from app.db.models import AuditEntry, Carrier, Channel
from app.services import allocation, privacy, settings_logo
from ui.context import UiContext
from ui.main_window import MainWindow
from ui.screens.orders import OrdersScreen
from ui.screens.settings import SettingsScreen
from ui.widgets.settings_sections import (
    AllocationSection,
    CutoffsSection,
    MaskingSection,
    RetentionSection,
)
from ui.widgets.settings_shop import ShopSection

S = TypeVar("S")


def _screen(qtbot: QtBot, ctx: UiContext) -> SettingsScreen:
    screen = SettingsScreen(ctx)
    qtbot.addWidget(screen)
    with qtbot.waitSignal(screen.loaded, timeout=10_000):
        screen.activated()
    return screen


def _section(screen: SettingsScreen, cls: type[S]) -> S:
    return next(s for s in screen.sections if isinstance(s, cls))


def _seed(ctx: UiContext) -> None:
    with ctx.services.uow() as uow:
        uow.session.execute(insert(Carrier), [{"code": "SF", "name": "SF Express"}])
        uow.session.execute(insert(Channel), [{"code": "tmall", "name": "Tmall"}])
        uow.commit()


def test_changed_settings_are_saved_through_their_services_and_audited(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    _seed(ui_ctx)
    screen = _screen(qtbot, ui_ctx)
    assert not screen.save_button.isEnabled()  # nothing changed yet
    _section(screen, AllocationSection).shelf_life.setValue(30)
    _section(screen, RetentionSection).days.setValue(90)
    _section(screen, MaskingSection).combos["tmall"].setCurrentIndex(2)  # show everything
    _section(screen, CutoffsSection).edits["SF"].setText("17：30")
    assert screen.has_unsaved_changes() and screen.save_button.isEnabled()
    with qtbot.waitSignal(screen.saved, timeout=10_000) as done:
        assert screen.save()
    assert done.args == [True]
    assert not screen.has_unsaved_changes()
    svc, actor = ui_ctx.services, ui_ctx.actor
    assert svc.run(allocation.allocation_settings, actor).min_shelf_life_days == 30
    assert svc.run(privacy.retention_days) == 90
    assert [p.policy.value for p in svc.run(privacy.channel_mask_policies)] == ["none"]
    with svc.uow() as uow:
        assert uow.session.scalar(select(Carrier.cutoff_time)) == "17:30"
        actions = set(uow.session.scalars(select(AuditEntry.action)))
    assert {"settings.change", "settings.retention_days", "channel.mask_policy"} <= actions
    assert "carrier.cutoff" in actions


def test_a_wrong_value_is_named_under_its_field_and_nothing_is_saved(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    _seed(ui_ctx)
    screen = _screen(qtbot, ui_ctx)
    _section(screen, RetentionSection).days.setValue(30)
    cutoffs = _section(screen, CutoffsSection)
    cutoffs.edits["SF"].setText("25:99")
    assert not screen.save()
    error = cutoffs.errors["cutoff_SF"]
    assert error.isVisibleTo(screen) and "25:99" in error.text()
    assert screen.pages.currentIndex() == screen.sections.index(cutoffs)
    assert "Nothing was saved" in screen.message.text()
    assert ui_ctx.services.run(privacy.retention_days) == privacy.DEFAULT_RETENTION_DAYS
    cutoffs.edits["SF"].setText("18:00")
    with qtbot.waitSignal(screen.saved, timeout=10_000):
        assert screen.save()
    assert not error.isVisibleTo(screen)
    assert ui_ctx.services.run(privacy.retention_days) == 30


def test_the_logo_is_checked_previewed_and_stored_for_every_station(
    qtbot: QtBot, ui_ctx: UiContext, tmp_path: Path
) -> None:
    screen = _screen(qtbot, ui_ctx)
    shop = _section(screen, ShopSection)
    not_a_picture = tmp_path / "logo.png"
    not_a_picture.write_text("hello")
    assert not shop.choose_logo_file(str(not_a_picture))
    assert "not a picture" in shop.errors["logo"].text()
    assert not screen.save() and "Nothing was saved" in screen.message.text()
    too_big = tmp_path / "huge.png"
    too_big.write_bytes(b"\x89PNG" + bytes(800 * 1024))
    assert not shop.choose_logo_file(str(too_big))
    assert "800 KB" in shop.errors["logo"].text()
    logo = tmp_path / "shop.png"
    Image.new("RGB", (300, 100), "navy").save(logo)
    assert shop.choose_logo_file(str(logo))
    assert not shop.errors["logo"].isVisibleTo(screen)
    assert not shop.logo_preview.pixmap().isNull()
    shop.sender_edits["sender_name"].setText("茶杯小店")
    with qtbot.waitSignal(screen.saved, timeout=10_000):
        assert screen.save()
    stored = ui_ctx.services.run(settings_logo.shop_logo)
    assert stored is not None and stored.data == logo.read_bytes()
    assert (stored.mime, stored.width, stored.height) == ("image/png", 300, 100)


def _answer_next_question(button: QMessageBox.StandardButton) -> None:
    """Click ``button`` on the question the screen is about to ask (a real message box)."""

    def click() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        box.button(button).click()

    QTimer.singleShot(0, click)


def test_leaving_with_unsaved_changes_asks_cancel_stays_save_saves_discard_drops(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    window = MainWindow(ui_ctx)
    qtbot.addWidget(window)
    screen = window.screen(SettingsScreen)
    assert isinstance(screen, SettingsScreen)
    qtbot.waitUntil(lambda: screen.is_loaded, timeout=10_000)
    settings_row = window.nav.currentRow()
    retention = _section(screen, RetentionSection)
    retention.days.setValue(30)
    _answer_next_question(QMessageBox.StandardButton.Cancel)
    window.nav.setCurrentRow(0)
    assert window.current_screen() is screen and window.nav.currentRow() == settings_row
    _answer_next_question(QMessageBox.StandardButton.Save)
    window.nav.setCurrentRow(0)
    assert isinstance(window.current_screen(), OrdersScreen)
    qtbot.waitUntil(lambda: ui_ctx.services.run(privacy.retention_days) == 30, timeout=10_000)
    window.nav.setCurrentRow(settings_row)
    qtbot.waitUntil(lambda: screen.is_loaded, timeout=10_000)
    retention.days.setValue(60)
    _answer_next_question(QMessageBox.StandardButton.Discard)
    window.nav.setCurrentRow(0)
    assert isinstance(window.current_screen(), OrdersScreen)
    qtbot.waitUntil(lambda: screen.is_loaded and retention.days.value() == 30, timeout=10_000)
    assert ui_ctx.services.run(privacy.retention_days) == 30


def test_settings_changed_elsewhere_are_shown_unless_edits_would_be_lost(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    screen = _screen(qtbot, ui_ctx)
    retention = _section(screen, RetentionSection)
    ui_ctx.services.run(privacy.set_retention_days, ui_ctx.actor, 45)
    with qtbot.waitSignal(screen.loaded, timeout=10_000):
        ui_ctx.bus.notify("setting")
    assert retention.days.value() == 45
    _section(screen, AllocationSection).shelf_life.setValue(10)
    ui_ctx.services.run(privacy.set_retention_days, ui_ctx.actor, 50)
    ui_ctx.bus.notify("*")
    assert "changed elsewhere" in screen.message.text()
    assert retention.days.value() == 45 and screen.has_unsaved_changes()
