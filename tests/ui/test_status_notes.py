"""Status-history notes the system writes are shown in the screen's language: found again by
their template, translated with their values; a reviewer's own words stay as written. Payment
statuses from the channels too."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from app.domain.holds import HOLD_MESSAGES
from app.domain.orders import STATUS_NOTE_MESSAGES, status_note
from app.domain.returns import RETURN_MESSAGES
from app.services.returns_scan import ReturnOutcome
from ui.i18n import hold_text, install_language
from ui.screens.returns import outcome_text
from ui.words import hold_code_names, note_text, payment_name

SAMPLES = {
    "file": "orders 11月.csv",
    "row": 12,
    "codes": "bad_phone, unknown_sku",
    "why": status_note("checked_again"),
    "units": 3,
    "number": "PD00000042",
    "tracking": "SF1403526873451",
    "stage": "picking",
    "shipped": 5,
    "reasons": "wrong size, defective",
    "carrier": "SF",
    "handover": "HO-20261206-SF-1",
    "reason": "the driver came back",
    "time": "2026-12-06 15:20",
    "slot": "P-07",
}


def test_every_note_is_found_again_by_its_own_template(qapp: QApplication) -> None:
    names = hold_code_names()
    for key, template in STATUS_NOTE_MESSAGES.items():
        note = status_note(key, **{k: v for k, v in SAMPLES.items() if "{" + k + "}" in template})
        shown = note_text(note)
        # English: the same sentence, hold codes by their names
        expected = note.replace("bad_phone", names["bad_phone"]).replace(
            "unknown_sku", names["unknown_sku"]
        )
        assert shown == expected, key


def test_notes_show_in_chinese_with_their_values(qapp: QApplication) -> None:
    install_language(qapp, "zh_CN")
    try:
        names = hold_code_names()
        assert note_text(status_note("imported")) == "从渠道导入"
        assert note_text(status_note("imported_row", file="a.csv", row=7)) == "从 a.csv 第 7 行导入"
        held = note_text(
            status_note("checked_held", why="checked again", codes="bad_phone, unpaid")
        )
        assert held == f"重新审核：{names['bad_phone']}、{names['unpaid']}"
        assert note_text(status_note("merged_into", number="PD7")) == "已合并到 PD7"
        assert note_text("客户要求周一发 / call first") == "客户要求周一发 / call first"
    finally:
        install_language(qapp, "en")


def test_payment_statuses_show_in_chinese(qapp: QApplication) -> None:
    install_language(qapp, "zh_CN")
    try:
        assert payment_name("pending") == "待付款" and payment_name("paid") == "已付款"
        assert payment_name("on-hold") == "on-hold"  # a channel's own word stays as given
        unpaid = hold_text(
            "The order is not paid (payment status: pending).",
            HOLD_MESSAGES["unpaid"],
            {"status": "pending"},
        )
        assert unpaid == "订单未付款（付款状态：待付款）。"
    finally:
        install_language(qapp, "en")


def test_hold_sentences_name_the_country_in_chinese_and_keep_english_english(
    qapp: QApplication,
) -> None:
    from app.domain.holds import hold

    missing = hold(
        "missing_address", "address_parts_missing", parts=["postal code"], country="Germany (DE)"
    )
    phone = hold("bad_phone", "phone_missing", country="DE")
    assert hold_text(missing.reason, missing.template, missing.params) == (
        "The address has no postal code; addresses in Germany (DE) need them."
    )
    assert hold_text(phone.reason, phone.template, phone.params) == (
        "There is no phone number; carriers in DE need one."
    )
    install_language(qapp, "zh_CN")
    try:
        zh_missing = hold_text(missing.reason, missing.template, missing.params)
        zh_phone = hold_text(phone.reason, phone.template, phone.params)
    finally:
        install_language(qapp, "en")
    assert "德国 (DE)" in zh_missing and "Germany" not in zh_missing
    assert "德国 (DE)" in zh_phone


def test_the_stop_hold_names_the_stage_in_the_screens_language(qapp: QApplication) -> None:
    from app.domain.holds import hold

    stop = hold("cancelled_stop", "cancelled_stop", stage="packing")
    assert hold_text(stop.reason, stop.template, stop.params) == (
        "Cancelled in the channel while its status here was “Packing”: stop and put back what "
        "was picked or packed, then cancel the order."
    )
    install_language(qapp, "zh_CN")
    try:
        zh = hold_text(stop.reason, stop.template, stop.params)
    finally:
        install_language(qapp, "en")
    assert zh == (
        "渠道取消了此订单（当时此处状态：“打包中”）：请停止作业，把已拣或已打包的商品放回原处，"
        "然后取消订单。"
    )


def test_a_returns_note_shows_in_chinese_with_its_reasons(qapp: QApplication) -> None:
    install_language(qapp, "zh_CN")
    try:
        note = status_note("returned", units=2, shipped=3, reasons="wrong size, damaged in transit")
        assert note == "returned 2 of 3 units: wrong size, damaged in transit"
        assert note_text(note) == "退回 2 件（共发出 3 件）：尺码不合适、运输破损"
        finished = ReturnOutcome(
            True, "finished", RETURN_MESSAGES["finished"], {"number": "R-PD1-1", "note": note}
        )
        assert outcome_text(finished) == (
            "退货 R-PD1-1 已完成：退回 2 件（共发出 3 件）：尺码不合适、运输破损。"
        )
    finally:
        install_language(qapp, "en")
