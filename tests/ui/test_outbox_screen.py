"""The Outbox screen: a supervisor sees the notices sent, waiting and failed with the reason,
filters them, previews one, retries a failed one, cancels a waiting one; the Templates tab
refuses an unknown placeholder and saves a good wording; the app's background sender sends the
due notices through a real SMTP server and tells the screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.domain.users import Role
from app.services import notice_settings, notices, order_events
from tests.conftest import make_actor
from tests.notice_fixtures import Shipped, shipped_orders, use_server
from tests.smtp_server import smtp_server
from ui.context import UiContext
from ui.notice_sender import start_notice_sender, stop_notice_sender
from ui.screens import screen_classes
from ui.screens.outbox import OutboxScreen


def _outbox(ui_ctx: UiContext, tmp_path: Path) -> Shipped:
    """Three notices: the Chinese one sent, the English one failed for good (address
    refused), and a delivered one waiting."""
    s, admin = ui_ctx.services, ui_ctx.actor
    shipped = shipped_orders(s)
    with smtp_server(tmp_path) as server:
        use_server(s, admin, server, login=False)
        with s.uow() as uow:
            order_events.orders_shipped(uow, admin, [shipped.zh])
            uow.commit()
        s.run(notices.send_due, admin)
        server.handler.refuse_rcpt = "550 5.1.1 No such mailbox"
        with s.uow() as uow:
            order_events.orders_shipped(uow, admin, [shipped.en])
            uow.commit()
        s.run(notices.send_due, admin)
        with s.uow() as uow:
            order_events.orders_delivered(uow, admin, [shipped.zh])
            uow.commit()
    return shipped


def _screen(qtbot: QtBot, ui_ctx: UiContext) -> OutboxScreen:
    screen = OutboxScreen(ui_ctx)
    qtbot.addWidget(screen)
    screen.resize(1300, 700)
    with qtbot.waitSignal(screen.loaded, timeout=10_000):
        screen.activated()
    return screen


def _cells(screen: OutboxScreen) -> list[list[str]]:
    m = screen.model
    return [[m.data(m.index(r, c)) for c in range(m.columnCount())] for r in range(m.rowCount())]


def test_the_outbox_shows_sent_waiting_and_failed_notices_with_the_reason(
    qtbot: QtBot, ui_ctx: UiContext, tmp_path: Path
) -> None:
    _outbox(ui_ctx, tmp_path)
    screen = _screen(qtbot, ui_ctx)
    rows = _cells(screen)
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("waiting", "PD00000001", "delivered"),
        ("failed", "PD00000002", "shipped"),
        ("sent", "PD00000001", "shipped"),
    ]
    assert rows[1][7] == (
        "The mail server refused the address emma@example.co.uk (550 5.1.1 No such mailbox). "
        "Correct the customer's e-mail address, then retry the notice."
    )
    assert screen.filter_buttons["failed"].text() == "failed (1)"
    assert screen.filter_buttons[""].text() == "all (3)"

    with qtbot.waitSignal(screen.loaded, timeout=10_000):
        screen.show_status("failed")
    assert [r[1] for r in _cells(screen)] == ["PD00000002"]
    qtbot.waitUntil(lambda: "Hello Emma Wilson" in screen.preview.toPlainText(), timeout=10_000)
    assert "Reason: The mail server refused" in screen.preview.toPlainText()
    assert screen.buttons["retry"].isEnabled() and not screen.buttons["cancel"].isEnabled()
    with qtbot.waitSignal(screen.loaded, timeout=10_000):
        screen.retry()
    assert "will be sent again" in screen.message.text()
    assert _cells(screen) == []

    with qtbot.waitSignal(screen.loaded, timeout=10_000):
        screen.show_status("waiting")
    assert [(r[1], r[2]) for r in _cells(screen)] == [
        ("PD00000001", "delivered"),
        ("PD00000002", "shipped"),
    ]
    screen.table.selectRow(0)
    assert screen.buttons["cancel"].isEnabled()
    with qtbot.waitSignal(screen.loaded, timeout=10_000):
        screen.cancel()
    assert [r[1] for r in _cells(screen)] == ["PD00000002"]
    assert screen.filter_buttons["cancelled"].text() == "cancelled (1)"


def test_the_template_editor_refuses_an_unknown_placeholder_and_saves_a_good_wording(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    screen = _screen(qtbot, ui_ctx)
    editor = screen.templates
    with qtbot.waitSignal(editor.loaded, timeout=10_000):
        screen.tabs.setCurrentWidget(editor)
    assert editor.choice.count() == 4 and editor.state.text() == "Default wording"
    editor.body.setPlainText("Call us at {phone}")
    assert "Unknown placeholder {phone}" in editor.preview.toPlainText()
    with qtbot.waitSignal(editor.saved, timeout=10_000) as said:
        editor.save()
    assert said.args is not None and said.args[1] is False
    editor.subject.setText("{shop_name}: order {channel_order} shipped")
    editor.body.setPlainText("Hi {customer_name}, {tracking_url}")
    assert editor.preview.toPlainText().startswith("悦享生活旗舰店: order TB3312000456 shipped")
    with qtbot.waitSignal(editor.loaded, timeout=10_000):
        editor.save()
    assert editor.state.text() == "The shop's own wording"
    views = ui_ctx.services.run(notice_settings.list_templates, ui_ctx.actor)
    assert views[0].body == "Hi {customer_name}, {tracking_url}"


def test_a_shipper_does_not_see_the_outbox_and_a_supervisor_does(
    ui_ctx: UiContext,
) -> None:
    s = ui_ctx.services
    for role, sees in ((Role.SHIPPER, False), (Role.PACKER, False), (Role.SUPERVISOR, True)):
        actor = make_actor(s, ui_ctx.actor, role)
        assert (OutboxScreen in [c for c in screen_classes() if actor.can(c.permission)]) is sees


def test_the_background_sender_sends_the_due_notices_and_tells_the_screens(
    qtbot: QtBot, ui_ctx: UiContext, tmp_path: Path
) -> None:
    s, admin = ui_ctx.services, ui_ctx.actor
    shipped = shipped_orders(s)
    with smtp_server(tmp_path) as server:
        use_server(s, admin, server, login=False)
        with s.uow() as uow:
            order_events.orders_shipped(uow, admin, [shipped.zh, shipped.en])
            uow.commit()
        sender = start_notice_sender(ui_ctx, interval_ms=3_600_000)
        try:
            assert start_notice_sender(ui_ctx) is sender  # one sender a process
            with (
                qtbot.waitSignal(ui_ctx.bus.changed, timeout=10_000) as told,
                qtbot.waitSignal(sender.passed, timeout=10_000) as passed,
            ):
                assert sender.send_once()
                assert not sender.send_once()  # a pass is running: no second one
            assert told.args == ["notice", []]
            assert passed.args is not None and passed.args[0].sent == 2
            assert sorted(r.rcpt_tos[0] for r in server.received) == [
                "emma@example.co.uk",
                "zhang@example.cn",
            ]
        finally:
            stop_notice_sender()


@pytest.fixture(autouse=True)
def _no_sender_left() -> None:
    stop_notice_sender()
