"""Operator errors are shown as written (and translated); bugs reach the crash dialog and log."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app.devices.serial_link import PortNotFound
from app.devices.station_config import ScannerSettings
from app.domain.errors import BadCredentials, NotFound, PermissionDenied, ValidationError
from app.labels import symbols
from app.labels.model import Barcode, Symbology
from app.logs import setup_logging
from ui.errors import CrashHandler
from ui.i18n import error_text, install_language


def _close_next_box(seen: list[str]) -> None:
    def close() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text() + "\n" + box.informativeText())
            box.done(0)
        else:
            QTimer.singleShot(20, close)

    QTimer.singleShot(20, close)


def test_a_bug_opens_the_crash_dialog_naming_the_log_file_and_is_logged(
    qtbot: QtBot, tmp_path: Path
) -> None:
    log_file = setup_logging(tmp_path / "logs" / "packdesk.log")
    handler = CrashHandler(log_file)
    seen: list[str] = []
    _close_next_box(seen)
    try:
        raise ZeroDivisionError("boom")
    except ZeroDivisionError as exc:
        handler(type(exc), exc, exc.__traceback__)
    assert handler.shown == 1
    assert str(log_file) in seen[0]
    for h in logging.getLogger().handlers:
        h.flush()
    text = log_file.read_text(encoding="utf-8")
    assert "ZeroDivisionError: boom" in text and "Traceback" in text


def test_an_operator_error_is_shown_as_written_not_as_a_crash(qtbot: QtBot, tmp_path: Path) -> None:
    handler = CrashHandler(tmp_path / "x.log")
    seen: list[str] = []
    _close_next_box(seen)
    exc = BadCredentials()
    handler(type(exc), exc, None)
    assert handler.shown == 0
    assert "Wrong user name or password" in seen[0]


def test_operator_errors_are_translated_with_their_parameters(qapp: QApplication) -> None:
    err = PermissionDenied(user="wang", role="picker", action="cancel orders")
    assert error_text(err) == "wang (picker) may not cancel orders. Ask a supervisor."
    install_language(qapp, "zh_CN")
    try:
        assert error_text(err) == "wang（picker）无权取消订单。请联系主管。"
    finally:
        install_language(qapp, "en")


def test_the_log_file_rotates(tmp_path: Path) -> None:
    log_file = setup_logging(tmp_path / "l" / "packdesk.log")
    handler = next(h for h in logging.getLogger().handlers if getattr(h, "_packdesk", False))
    assert getattr(handler, "maxBytes", 0) > 0 and getattr(handler, "backupCount", 0) >= 3
    assert log_file.parent.exists()


def test_things_and_devices_named_in_messages_are_translated(qapp: QApplication) -> None:
    install_language(qapp, "zh_CN")
    try:
        assert error_text(NotFound(what="Order", key="PD00000009")) == "未找到订单 PD00000009。"
        assert error_text(PortNotFound(device="scale", port="/dev/ttyUSB1")).startswith(
            "电子秤端口 /dev/ttyUSB1 不存在。"
        )
    finally:
        install_language(qapp, "en")


def test_a_rule_broken_by_a_value_is_translated_with_the_value(qapp: QApplication) -> None:
    with pytest.raises(ValidationError) as caught:
        symbols.check(Barcode(0, 0, Symbology.EAN13, "12345"))
    err = caught.value
    assert err.message == "An EAN-13 has 12 or 13 digits: '12345'." == str(err)
    install_language(qapp, "zh_CN")
    try:
        assert error_text(err) == "EAN-13 条码为 12 或 13 位数字：'12345'。"
    finally:
        install_language(qapp, "en")


def test_a_sentence_with_braces_but_no_values_is_shown_as_written() -> None:
    err = ValidationError("A pattern like {x} is fine here.")
    assert err.message == "A pattern like {x} is fine here." and err.template == "{detail}"


def test_device_settings_errors_name_the_setting_in_the_screen_language(
    qapp: QApplication,
) -> None:
    install_language(qapp, "zh_CN")
    try:
        with pytest.raises(ValidationError) as gap:
            ScannerSettings(max_gap_ms=500).check()
        assert error_text(gap.value) == "按键间隔（毫秒）必须在 5 到 200 之间。"
        with pytest.raises(ValidationError) as port:
            ScannerSettings(mode="serial").check()
        assert error_text(port.value) == "请选择扫码枪所连接的端口。"
    finally:
        install_language(qapp, "en")


def test_statuses_quoted_in_messages_are_translated(qapp: QApplication) -> None:
    install_language(qapp, "zh_CN")
    try:
        job = ValidationError(
            "Print job {job_id} is {job_status} and cannot be cancelled.",
            job_id=3,
            job_status="sent",
        )
        assert error_text(job) == "打印任务 3 状态为已打印，无法取消。"
        order = ValidationError(
            "Order {number} is {status}; only new, held or released orders can be edited.",
            number="PD1",
            status="allocated",
        )
        assert error_text(order).startswith("订单 PD1 状态为已分配；")
    finally:
        install_language(qapp, "en")
