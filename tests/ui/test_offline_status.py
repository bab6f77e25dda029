"""The status bar's offline part, for each state: online (nothing shown), offline since a time
with the actions waiting (amber, with what still works in the tooltip), back online while the
journal is sent, and conflicts (red; a link to the conflicts screen for those who may).

The offline states come from a small ``OfflineState`` provider given to the station's
``Services.offline_state`` (the status bar reads only that); the real journal going offline is
in test_offline_outage.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.domain.users import Role
from app.offline.state import ONLINE, OfflineState
from app.services import auth, sync_conflicts
from ui.bus import Bus
from ui.context import UiContext
from ui.i18n import install_language
from ui.main_window import MainWindow
from ui.screens.sync_conflicts import SyncConflictsScreen
from ui.widgets.offline_status import AMBER, BLUE, RED


class Provider:
    """What the offline journal says, as the test sets it."""

    def __init__(self, state: OfflineState = ONLINE) -> None:
        self.state = state

    def __call__(self) -> OfflineState:
        return self.state


def _at_local(hour: int, minute: int) -> datetime:
    """Today at hour:minute in the station's local time, as an aware UTC time."""
    local = datetime.now().astimezone().replace(hour=hour, minute=minute, second=0, microsecond=0)
    return local.astimezone(UTC)


def _window(qtbot: QtBot, ctx: UiContext, state: OfflineState) -> tuple[MainWindow, Provider]:
    provider = Provider(state)
    ctx.services.offline_state = provider  # type: ignore[method-assign]
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 800)
    window.show()
    return window, provider


def _as(ctx: UiContext, role: Role) -> UiContext:
    svc = ctx.services
    name = f"{role.value}-9"
    svc.run(auth.create_user, ctx.actor, name, role, "secret-pass-1")
    return UiContext(svc, svc.run(auth.login, name, "secret-pass-1", svc.station_id), Bus())


def _ping(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window._ping_signals.offline, timeout=10_000):
        window._ping()


def test_online_with_nothing_waiting_shows_no_offline_words(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    window, _ = _window(qtbot, ui_ctx, ONLINE)
    _ping(qtbot, window)
    bar = window.offline_status
    assert not bar.state_label.isVisible() and not bar.conflicts_label.isVisible()
    assert "connected" in window.db_label.text()


def test_offline_says_since_when_and_how_many_actions_wait_in_bold_amber(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    packer = _as(ui_ctx, Role.PACKER)
    state = OfflineState(offline=True, since=_at_local(10, 42), waiting=17, conflicts=0)
    window, _ = _window(qtbot, packer, state)
    label = window.offline_status.state_label
    assert label.isVisible()
    assert label.text() == "Offline since 10:42, 17 actions waiting"
    assert AMBER in label.styleSheet() and "bold" in label.styleSheet()
    tip = label.toolTip()
    assert "packing the orders already on this station" in tip
    assert "claiming new work" in tip and "closing handovers" in tip
    # one action: singular
    window.offline_status.show_reading(
        False,
        type(window.offline_status.reading)(  # OfflineReading
            OfflineState(offline=True, since=_at_local(10, 42), waiting=1, conflicts=0)
        ),
    )
    assert label.text() == "Offline since 10:42, 1 action waiting"


def test_offline_since_another_day_gives_the_date_too(qtbot: QtBot, ui_ctx: UiContext) -> None:
    since = _at_local(10, 42) - timedelta(days=1)
    window, _ = _window(qtbot, ui_ctx, OfflineState(True, since, 3, 0))
    expected = since.astimezone().strftime("%m-%d 10:42")
    assert (
        window.offline_status.state_label.text() == f"Offline since {expected}, 3 actions waiting"
    )


def test_back_online_while_the_journal_is_sent_says_so_on_the_next_ping(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    state = OfflineState(offline=True, since=_at_local(10, 42), waiting=17, conflicts=0)
    window, provider = _window(qtbot, ui_ctx, state)
    provider.state = OfflineState(offline=False, since=None, waiting=17, conflicts=0)
    _ping(qtbot, window)  # the database answers (this SQLite file does)
    label = window.offline_status.state_label
    assert label.text() == "Back online: sending 17 actions..."
    assert BLUE in label.styleSheet() and AMBER not in label.styleSheet()
    provider.state = ONLINE
    _ping(qtbot, window)
    assert not label.isVisible()


def test_a_packers_conflicts_show_in_red_and_are_not_a_link(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    packer = _as(ui_ctx, Role.PACKER)
    window, _ = _window(qtbot, packer, OfflineState(False, None, 0, 3))
    _ping(qtbot, window)
    label = window.offline_status.conflicts_label
    assert label.isVisible() and label.text() == "3 conflicts need a supervisor"
    assert RED in label.styleSheet()
    assert "A supervisor sees them" in label.toolTip()
    with qtbot.assertNotEmitted(window.offline_status.open_conflicts):
        qtbot.mouseClick(label, Qt.MouseButton.LeftButton)


def test_a_supervisor_sees_the_open_conflicts_of_the_database_and_clicks_through_to_them(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    svc = ui_ctx.services
    with svc.uow() as uow:
        sync_conflicts.record_conflict(
            uow,
            station_id=svc.station_id,
            key="PACK-03:1",
            action="pack.finish",
            order_number="PD-1042",
            message="Order {order} was cancelled at the office.",
            values={"order": "PD-1042"},
            happened_at=datetime.now(UTC),
            payload={},
        )
        uow.commit()
    boss = _as(ui_ctx, Role.SUPERVISOR)
    window, _ = _window(qtbot, boss, ONLINE)  # another station: none happened here
    _ping(qtbot, window)
    label = window.offline_status.conflicts_label
    assert label.text() == "1 conflict needs a supervisor"
    qtbot.mouseClick(label, Qt.MouseButton.LeftButton)
    screen = window.current_screen()
    assert isinstance(screen, SyncConflictsScreen)
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1, timeout=10_000)
    assert screen.model.rows[0].order_number == "PD-1042"


def test_the_offline_words_are_in_chinese_for_a_chinese_station(
    qtbot: QtBot, ui_ctx: UiContext, qapp: QApplication
) -> None:
    install_language(qapp, "zh_CN")
    state = OfflineState(offline=True, since=_at_local(10, 42), waiting=17, conflicts=2)
    window, _ = _window(qtbot, ui_ctx, state)
    assert window.offline_status.state_label.text() == "自 10:42 起离线，17 个操作待发送"
    assert window.offline_status.conflicts_label.text() == "2 个冲突需要主管处理"
