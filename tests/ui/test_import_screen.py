"""The import screen on a real migrated SQLite file: preview and column mapping, encodings,
profiles, the import off the UI thread with progress, cancel, and the result report."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QThread
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.db.models import Order, OrderLine
from app.importers import generic, records
from app.services import import_profiles, order_intake
from tests.data.make_samples import write_big_shopify
from tests.order_action_fixtures import add_products
from ui.context import UiContext
from ui.screens.import_screen import FIELD_TEXTS, PROBLEM_TEXTS, ImportScreen

DATA = Path(__file__).resolve().parents[1] / "data"


def _screen(qtbot: QtBot, ctx: UiContext) -> ImportScreen:
    screen = ImportScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1300, 800)
    screen.show()
    screen.activated()
    _checked(qtbot, screen)
    return screen


def _checked(qtbot: QtBot, screen: ImportScreen) -> None:
    """Wait for the file check and the lists of profiles and channels (off the UI thread)."""
    qtbot.waitUntil(lambda: not screen.checking, timeout=10_000)


def _orders(ctx: UiContext) -> int:
    with ctx.services.uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(Order)) or 0


def test_a_generic_file_shows_its_first_rows_and_the_guessed_columns(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    screen = _screen(qtbot, ui_ctx)
    screen.set_file(DATA / "taobao_orders_gb18030.csv")
    _checked(qtbot, screen)
    assert screen.preview_model.rowCount() == 3
    assert screen.preview_model.headerData(0, Qt.Orientation.Horizontal) == "订单编号"
    assert screen.preview_model.headerData(0, Qt.Orientation.Vertical) == "2"
    assert screen.preview_model.index(1, 4).data() == "李四"
    assert "GB18030 (detected)" in screen.detected.text()
    assert screen.generic.isVisible() and screen.import_button.isEnabled()
    assert screen.mapping.boxes["order_id"].currentData() == "订单编号"
    assert screen.mapping.boxes["full_address"].currentData() == "收货地址"
    assert screen.mapping.boxes["sku"].currentData() == ""


def test_the_file_check_runs_off_the_ui_thread_while_the_screen_says_so(
    qtbot: QtBot, ui_ctx: UiContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file on a slow network drive: the real check, held until the drive 'answers'."""
    drive_answers = threading.Event()
    threads: list[bool] = []
    real_check = import_profiles.preview_file

    def slow_drive(*args: Any, **kwargs: Any) -> import_profiles.Preview:
        threads.append(threading.current_thread() is threading.main_thread())
        drive_answers.wait(3)
        return real_check(*args, **kwargs)

    monkeypatch.setattr(import_profiles, "preview_file", slow_drive)
    screen = _screen(qtbot, ui_ctx)
    t0 = time.perf_counter()
    screen.set_file(DATA / "taobao_orders_gb18030.csv")
    assert time.perf_counter() - t0 < 1.0  # the window was not held while the drive is slow
    assert screen.checking and screen.detected.text() == "Checking the file…"
    assert not screen.import_button.isEnabled()
    with qtbot.waitSignal(screen.preview_shown, timeout=10_000):
        drive_answers.set()
    assert threads == [False]
    assert "GB18030 (detected)" in screen.detected.text()
    assert screen.preview_model.rowCount() == 3 and screen.import_button.isEnabled()


def test_a_shopify_export_needs_no_column_editor(qtbot: QtBot, ui_ctx: UiContext) -> None:
    screen = _screen(qtbot, ui_ctx)
    screen.set_file(DATA / "shopify_orders_export_bom.csv")
    _checked(qtbot, screen)
    assert "a Shopify orders export" in screen.detected.text()
    assert "UTF-8-SIG (marked in the file)" in screen.detected.text()
    assert not screen.generic.isVisible()
    assert screen.channel.currentText() == "Shopify"


def test_the_encoding_can_be_chosen_and_a_wrong_one_is_said_plainly(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    screen = _screen(qtbot, ui_ctx)
    screen.set_file(DATA / "taobao_orders_gb18030.csv")
    _checked(qtbot, screen)
    screen.encoding.setCurrentIndex(screen.encoding.findData("utf-8"))
    _checked(qtbot, screen)
    assert screen.detected.text().startswith("Line 1 of taobao_orders_gb18030.csv is not valid")
    assert not screen.import_button.isEnabled() and screen.preview_model.rowCount() == 0
    screen.encoding.setCurrentIndex(screen.encoding.findData("gb18030"))
    _checked(qtbot, screen)
    assert "GB18030 (chosen)" in screen.detected.text()
    assert screen.preview_model.rowCount() == 3 and screen.import_button.isEnabled()


def test_a_file_that_cannot_be_read_cannot_be_imported(qtbot: QtBot, ui_ctx: UiContext) -> None:
    screen = _screen(qtbot, ui_ctx)
    screen.set_file(DATA / "not_really.xlsx")
    _checked(qtbot, screen)
    assert "is not an Excel workbook" in screen.detected.text()
    assert not screen.import_button.isEnabled()


def test_the_columns_are_saved_as_a_profile_and_chosen_again(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    screen = _screen(qtbot, ui_ctx)
    screen.set_file(DATA / "taobao_orders_gb18030.csv")
    _checked(qtbot, screen)
    box = screen.mapping.boxes["note"]
    box.setCurrentIndex(0)  # the note column left out on purpose
    screen.profile_name.setText("淘宝")
    screen.save_profile_button.click()
    _checked(qtbot, screen)
    saved = ui_ctx.services.run(import_profiles.list_profiles, ui_ctx.actor)
    assert [p.name for p in saved] == ["淘宝"]
    assert "note" not in saved[0].mapping.columns
    assert saved[0].mapping.columns["order_id"] == "订单编号"
    assert screen.profile.currentData() == "淘宝"
    assert "saved as the profile 淘宝" in screen.progress_text.text()
    # choosing the profile again fills the editor from it, not from the guess
    screen.profile.setCurrentIndex(0)
    _checked(qtbot, screen)
    assert screen.mapping.boxes["note"].currentData() == "买家留言"
    screen.profile.setCurrentIndex(screen.profile.findData("淘宝"))
    _checked(qtbot, screen)
    assert screen.mapping.boxes["note"].currentData() == ""


def test_importing_runs_off_the_ui_thread_and_ends_with_a_report(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    add_products(ui_ctx.services, "BOTTLE-500-BL", "LID-BAMBOO", "MUG-TRAVEL")
    screen = _screen(qtbot, ui_ctx)
    screen.set_file(DATA / "shopify_orders_export.csv")
    _checked(qtbot, screen)
    screen.channel.setEditText("Shopify US")
    threads: list[bool] = []
    screen._signals.progress.connect(
        lambda _p: threads.append(
            QThread.currentThread() is not QCoreApplication.instance().thread()
        ),  # type: ignore[union-attr]
        Qt.ConnectionType.DirectConnection,
    )
    with (
        qtbot.waitSignal(screen.result_shown, timeout=30_000),
        qtbot.waitSignal(ui_ctx.bus.changed, timeout=30_000) as changed,
    ):
        screen.import_button.click()
        assert screen.running and screen.cancel_button.isEnabled()
        assert not screen.import_button.isEnabled()
    assert threads == [True]
    assert changed.args is not None and changed.args[0] == "order" and len(changed.args[1]) == 6
    assert screen.progress.value() == 1000
    assert screen.summary.text().splitlines()[0] == (
        "6 imported (2 released, 4 held), 0 updated, 0 unchanged, 1 left out, 2 skipped."
    )
    assert "The sales channel shopify-us was created." in screen.summary.text()
    m = screen.problems_model
    assert m.rowCount() == 4 and screen.problems_table.isVisible()
    assert [m.index(r, 0).data() for r in range(4)] == ["7", "8", "11", "14"]
    assert m.index(2, 1).data() == "Left out"
    assert m.index(2, 3).data() == (
        "The quantity 'two' is not a whole number; order #1007 was left out."
    )
    assert not screen.running and screen.import_button.isEnabled()
    assert _orders(ui_ctx) == 6


def test_cancelling_keeps_whole_batches_and_says_what_stays(
    qtbot: QtBot, ui_ctx: UiContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.csv"
    write_big_shopify(path, 3000, skus=20)
    monkeypatch.setattr(order_intake, "BATCH_ORDERS", 200)
    screen = _screen(qtbot, ui_ctx)
    screen.set_file(path)
    _checked(qtbot, screen)
    screen._signals.progress.connect(lambda _p: screen.cancel_button.click())
    with qtbot.waitSignal(screen.result_shown, timeout=60_000):
        screen.import_button.click()
    n = _orders(ui_ctx)
    assert 0 < n < 3000 and n % 200 == 0
    assert screen.summary.text().startswith("Import cancelled. The orders saved before you")
    assert f"{n} imported" in screen.summary.text()
    with ui_ctx.services.uow() as uow:
        without_lines = uow.session.scalar(
            select(func.count()).select_from(Order).where(~Order.id.in_(select(OrderLine.order_id)))
        )
    assert without_lines == 0
    assert screen.progress.value() < 1000 and not screen.cancel_button.isEnabled()


def test_an_edited_mapping_is_used_without_saving_it(
    qtbot: QtBot, ui_ctx: UiContext, tmp_path: Path
) -> None:
    path = tmp_path / "odd.csv"
    path.write_text(
        "ref,thing,n,who,tel,where\nX-1,MUG,2,张三,13812345678,浙江省 杭州市 西湖区 文三路1号\n",
        encoding="utf-8",
    )
    add_products(ui_ctx.services, "MUG")
    screen = _screen(qtbot, ui_ctx)
    screen.set_file(path)
    _checked(qtbot, screen)
    for key, col in {
        "order_id": "ref",
        "sku": "thing",
        "qty": "n",
        "customer_name": "who",
        "phone": "tel",
        "full_address": "where",
    }.items():
        box = screen.mapping.boxes[key]
        box.setCurrentIndex(box.findData(col))
    screen.channel.setEditText("ERP")
    with qtbot.waitSignal(screen.result_shown, timeout=30_000):
        screen.import_button.click()
    assert screen.summary.text().startswith("1 imported (1 released, 0 held)")
    assert ui_ctx.services.run(import_profiles.list_profiles, ui_ctx.actor) == []


def test_the_tables_pass_qt_model_tester(
    qtbot: QtBot, qtmodeltester: object, ui_ctx: UiContext
) -> None:
    screen = _screen(qtbot, ui_ctx)
    screen.set_file(DATA / "taobao_orders_utf8.csv")
    _checked(qtbot, screen)
    qtmodeltester.check(screen.preview_model)  # type: ignore[attr-defined]
    with qtbot.waitSignal(screen.result_shown, timeout=30_000):
        screen.import_button.click()
    qtmodeltester.check(screen.problems_model)  # type: ignore[attr-defined]


def test_every_reason_and_field_name_is_offered_for_translation() -> None:
    templates = {
        v for k, v in vars(records).items() if k.isupper() and isinstance(v, str) and "{" in v
    } | {records.NO_ORDER_ID}
    assert templates == set(PROBLEM_TEXTS)
    assert {f.label for f in generic.FIELDS} == set(FIELD_TEXTS)


def test_a_bug_during_the_import_reaches_the_crash_handler_and_the_screen_recovers(
    qtbot: QtBot, ui_ctx: UiContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_a: object, **_k: object) -> None:
        raise RuntimeError("a bug in the importer")

    seen: list[BaseException] = []
    monkeypatch.setattr(order_intake, "import_file", broken)
    monkeypatch.setattr("sys.excepthook", lambda _t, exc, _tb: seen.append(exc))
    screen = _screen(qtbot, ui_ctx)
    screen.set_file(DATA / "shopify_orders_export.csv")
    _checked(qtbot, screen)
    with qtbot.waitSignal(screen.result_shown, timeout=10_000):
        screen.import_button.click()
    assert [str(e) for e in seen] == ["a bug in the importer"]
    assert not screen.running and screen.import_button.isEnabled()
