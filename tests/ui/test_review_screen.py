"""The review screen (审单) on a real migrated SQLite file: the held orders with their reasons,
the editor, saving and checking again, releasing, re-checking and the check settings."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db.models import Order
from app.domain.allocation import shortage_reason
from app.domain.check_settings import CheckSettings
from app.services import order_checks, order_intake
from app.services.order_actions import AllocationResult
from tests.order_action_fixtures import add_products
from ui.context import UiContext
from ui.i18n import hold_text, install_language
from ui.screens.review import CheckSettingsDialog, ReviewScreen
from ui.widgets.order_actions import result_text

DATA = Path(__file__).resolve().parents[1] / "data"


def _held_sample(ctx: UiContext) -> None:
    """The Taobao sample: one released, two held (a ten-digit phone; unpaid and a 邮政信箱)."""
    add_products(ctx.services, "BOTTLE-500-BL", "LID-BAMBOO")
    ctx.services.run(
        order_intake.import_file,
        ctx.actor,
        DATA / "taobao_orders_utf8.csv",
        fmt="csv",
        channel="淘宝",
    )


def _screen(qtbot: QtBot, ctx: UiContext) -> ReviewScreen:
    screen = ReviewScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1300, 800)
    screen.show()
    screen.activated()
    return screen


def _status(ctx: UiContext, ext: str) -> str:
    with ctx.services.uow() as uow:
        return uow.session.scalar(select(Order.status).where(Order.external_id == ext)) or ""


def _select(screen: ReviewScreen, number: str) -> None:
    for r in range(screen.model.rowCount()):
        if screen.model.index(r, 0).data() == number:
            screen.table.selectRow(r)
            return
    raise AssertionError(f"{number} is not in the review queue")


def test_the_queue_lists_held_orders_with_their_reasons(qtbot: QtBot, ui_ctx: UiContext) -> None:
    _held_sample(ui_ctx)
    screen = _screen(qtbot, ui_ctx)
    assert screen.count.text() == "2 orders held"
    numbers = [screen.model.index(r, 0).data() for r in range(screen.model.rowCount())]
    assert numbers == ["PD00000003", "PD00000002"]
    assert "is not a mainland Chinese mobile number" in screen.model.index(1, 10).data()
    screen.hold_reason.setCurrentIndex(screen.hold_reason.findData("refused_address"))
    assert screen.model.rowCount() == 1 and screen.count.text() == "1 order held"


def test_selecting_an_order_opens_it_unmasked_with_its_reasons(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    _held_sample(ui_ctx)
    screen = _screen(qtbot, ui_ctx)
    _select(screen, "PD00000002")
    ed = screen.editor
    assert ed.order is not None and ed.order.number == "PD00000002"
    assert ed.fields["name"].text() == "李四" and ed.fields["phone"].text() == "1381234567"
    assert ed.fields["district"].text() == "南山区"
    # the reason quotes the number masked (it is shown to every role); the editor has it whole
    assert ed.reasons.text().startswith("Phone number not valid: The phone number 13******67")
    assert ed.lines.rowCount() == 2 and ed.lines.index(0, 0).data() == "BOTTLE-500-BL"
    assert ed.save_button.isEnabled()


def test_correcting_the_phone_releases_the_order_and_it_leaves_the_queue(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    _held_sample(ui_ctx)
    screen = _screen(qtbot, ui_ctx)
    _select(screen, "PD00000002")
    screen.editor.fields["phone"].clear()
    qtbot.keyClicks(screen.editor.fields["phone"], "13812345678")
    with qtbot.waitSignal(ui_ctx.bus.changed, timeout=5000):
        qtbot.mouseClick(screen.editor.save_button, Qt.MouseButton.LeftButton)
    assert _status(ui_ctx, "3876543210987655") == "released"
    assert screen.message.text() == "Passes every check and is released: PD00000002"
    assert screen.count.text() == "1 order held"


def test_an_edit_that_does_not_fix_everything_says_what_is_left(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    _held_sample(ui_ctx)
    screen = _screen(qtbot, ui_ctx)
    _select(screen, "PD00000003")
    screen.editor.fields["street"].setText("建国路88号")
    screen.editor.save_button.click()
    assert screen.message.text() == "PD00000003 is still held: Not paid"
    assert _status(ui_ctx, "3876543210987656") == "on_hold"


def test_a_line_changed_in_the_editor_is_checked_again(qtbot: QtBot, ui_ctx: UiContext) -> None:
    _held_sample(ui_ctx)
    screen = _screen(qtbot, ui_ctx)
    _select(screen, "PD00000002")
    screen.editor.fields["phone"].setText("13812345678")
    lines = screen.editor.lines
    assert lines.setData(lines.index(1, 0), "NO-SUCH-SKU")
    assert not lines.setData(lines.index(1, 1), "two")
    lines.add_line()
    assert lines.setData(lines.index(2, 0), "BOTTLE-500-BL")
    assert lines.setData(lines.index(2, 1), 3)
    screen.editor.save_button.click()
    assert screen.message.text() == "PD00000002 is still held: Unknown SKU"
    _select(screen, "PD00000002")
    skus = [screen.editor.lines.index(r, 0).data() for r in range(3)]
    assert skus == ["BOTTLE-500-BL", "NO-SUCH-SKU", "BOTTLE-500-BL"]
    assert screen.editor.lines.index(1, 3).data() == "no"


def test_the_reviewer_releases_the_selected_orders(qtbot: QtBot, ui_ctx: UiContext) -> None:
    _held_sample(ui_ctx)
    screen = _screen(qtbot, ui_ctx)
    _select(screen, "PD00000003")
    with qtbot.waitSignal(screen.action_bar.shown, timeout=10_000):
        screen.action_bar.release_button.click()
    assert _status(ui_ctx, "3876543210987656") == "released"
    assert screen.count.text() == "1 order held"


def test_checking_again_releases_what_now_passes(qtbot: QtBot, ui_ctx: UiContext) -> None:
    _held_sample(ui_ctx)
    screen = _screen(qtbot, ui_ctx)
    off = replace(CheckSettings(), disabled_rules=("bad_phone",))
    assert screen.save_settings(off)
    assert "The check settings were saved" in screen.message.text()
    _select(screen, "PD00000002")
    screen.recheck_button.click()
    assert screen.message.text() == "Passes every check and is released: PD00000002"
    assert _status(ui_ctx, "3876543210987655") == "released"


def test_the_settings_dialog_reads_and_returns_the_thresholds(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    start = replace(CheckSettings(), duplicate_window_hours=48, max_line_qty=20)
    dialog = CheckSettingsDialog(start)
    qtbot.addWidget(dialog)
    assert dialog.settings() == start
    dialog.window_hours.setValue(6)
    dialog.rules["refused_address"].setChecked(False)
    dialog.words.setPlainText("PO Box\n信箱\n")
    dialog.paid.setText("paid， authorized , cod")
    dialog.allowed.setPlainText("PO Box; us; USPS\nPackstation ；DE\n")
    got = dialog.settings()
    assert got.refused_address_allowed == (("PO Box", "US", "USPS"), ("Packstation", "DE", ""))
    assert got.duplicate_window_hours == 6
    assert got.disabled_rules == ("refused_address",)
    assert got.refused_address_words == ("PO Box", "信箱")
    assert got.accepted_payment_statuses == ("paid", "authorized", "cod")
    screen = _screen(qtbot, ui_ctx)
    assert screen.settings_button.isEnabled()
    assert screen.save_settings(got)
    assert ui_ctx.services.run(order_checks.load_settings) == got


def test_the_lines_table_passes_qt_model_tester(
    qtbot: QtBot, qtmodeltester: object, ui_ctx: UiContext
) -> None:
    _held_sample(ui_ctx)
    screen = _screen(qtbot, ui_ctx)
    _select(screen, "PD00000002")
    qtmodeltester.check(screen.editor.lines)  # type: ignore[attr-defined]


def test_hold_reasons_show_in_the_screen_language_with_their_values(
    qtbot: QtBot, ui_ctx: UiContext, qapp: QApplication
) -> None:
    _held_sample(ui_ctx)
    install_language(qapp, "zh_CN")
    try:
        screen = _screen(qtbot, ui_ctx)
        reasons = screen.model.index(1, 10).data()
        # the sentence in Chinese, the masked number as it was quoted
        assert "电话号码 13******67 不是中国大陆手机号" in reasons
        assert "The phone number" not in reasons
        _select(screen, "PD00000003")
        text = screen.editor.reasons.text()
        assert "地址中含有“邮政信箱”，快递拒收。" in text and "订单未付款（付款状态：" in text
    finally:
        install_language(qapp, "en")


def test_a_reviewers_own_hold_reason_is_shown_as_written(qapp: QApplication) -> None:
    install_language(qapp, "zh_CN")
    try:
        assert hold_text("客户要求周一再发 / ship Monday") == "客户要求周一再发 / ship Monday"
        parts = hold_text(
            "The address has no district, street address; addresses in CN need them.",
            "The address has no {parts}; addresses in {country} need them.",
            {"parts": ["district", "street address"], "country": "CN"},
        )
        assert parts.startswith("地址缺少") and "、" in parts and "CN" in parts
        assert "district" not in parts
    finally:
        install_language(qapp, "en")


def test_an_allocation_hold_is_reported_in_the_screen_language(qapp: QApplication) -> None:
    short = shortage_reason("LID-2", 4, 1)
    r = AllocationResult(7, "PD00000007", False, "held_short", {"reasons": short.reason}, "held")
    r = replace(r, holds=(short,))
    assert "Not enough stock of LID-2: 4 wanted, 1 available, 3 short" in result_text(r)
    install_language(qapp, "zh_CN")
    try:
        assert "LID-2 库存不足：需要 4，可用 1，缺 3" in result_text(r)
    finally:
        install_language(qapp, "en")


def test_the_settings_dialog_edits_cash_on_delivery_unpaid_and_pickup_methods(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    start = replace(CheckSettings(), cod_payment_methods=("COD", "货到付款"))
    dialog = CheckSettingsDialog(start)
    qtbot.addWidget(dialog)
    assert dialog.cod.text() == "COD, 货到付款"
    assert dialog.settings() == start
    dialog.cod.setText("COD， Kapıda Ödeme")
    dialog.unpaid_ok.setText("Bank Deposit")
    dialog.pickup.setText("自提, Collect in store")
    got = dialog.settings()
    assert got.cod_payment_methods == ("COD", "Kapıda Ödeme")
    assert got.unpaid_allowed_methods == ("Bank Deposit",)
    assert got.pickup_patterns == ("自提", "Collect in store")
