"""The Offline conflicts screen on SQLite and PostgreSQL: a conflict the replayer recorded is
listed in the user's language with its detail; resolving needs a note and the permission and
writes the audit row; the filter shows resolved ones; the empty state says all was applied."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from app.bootstrap import Services
from app.db.models import AuditEntry, User
from app.domain.errors import IllegalTransition
from app.domain.users import Actor, Role
from app.offline.replay import OFFLINE_MESSAGES
from app.services import sync_conflicts
from tests.conftest import make_actor
from ui.bus import Bus
from ui.context import UiContext
from ui.i18n import install_language
from ui.screens.sync_conflicts import SyncConflictsScreen

#: the replayer's sentence for a refused action (app/offline/replay.py)
REFUSED = (
    "Order {order}: {action} was done on station {station} at {at} while the shared database "
    "was away, but the shared database refused it: {reason}"
)
AT = datetime(2026, 12, 6, 10, 42, 5, tzinfo=UTC)


def record_example(services: Services, key: str = "PACK-03:42") -> int:
    """Order PD-1042 was cancelled at the office while it was packed offline at PACK-03."""
    refusal = IllegalTransition(order="PD-1042", current="cancelled", target="packed")
    with services.uow() as uow:
        conflict_id = sync_conflicts.record_conflict(
            uow,
            station_id=services.station_id,
            key=key,
            action="pack.finish",
            order_number="PD-1042",
            message=REFUSED,
            values={
                "order": "PD-1042",
                "action": "pack.finish",
                "station": "PACK-03",
                "at": "10:42:05",
                "reason": sync_conflicts.error_values(refusal),
            },
            happened_at=AT,
            payload={
                "args": [7, "6901234567892"],
                "actor": {"username": "li.na", "station": "PACK-03"},
                "local": {"ok": True, "status": "packed", "tracking": "YT1234567890"},
            },
        )
        uow.commit()
    return conflict_id


@pytest.fixture
def boss_ctx(services: Services, admin: Actor, qapp: QApplication) -> Iterator[UiContext]:
    install_language(qapp, "en")
    yield UiContext(services, make_actor(services, admin, Role.SUPERVISOR), Bus())
    install_language(qapp, "en")


def _open(qtbot: QtBot, ctx: UiContext) -> SyncConflictsScreen:
    screen = SyncConflictsScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1300, 700)
    screen.show()
    with qtbot.waitSignal(screen.loaded, timeout=10_000):
        screen.activated()
    return screen


def test_a_recorded_conflict_is_listed_with_its_detail_and_resolved_with_an_audited_note(
    qtbot: QtBot, boss_ctx: UiContext
) -> None:
    conflict_id = record_example(boss_ctx.services)
    screen = _open(qtbot, boss_ctx)
    assert screen.model.rowCount() == 1 and not screen.empty.isVisible()
    cells = [screen.model.index(0, c).data() for c in range(screen.model.columnCount())]
    assert cells[1:4] == ["test-station", "PD-1042", "printing the label and finishing the parcel"]
    assert cells[4] == "Order PD-1042 cannot go from Cancelled to Packed."  # the server's reason
    title = screen.detail_title.text()  # the whole sentence
    assert title.startswith("Order PD-1042: printing the label and finishing the parcel was done")
    assert title.endswith("refused it: Order PD-1042 cannot go from Cancelled to Packed.")
    assert screen.summary.text() == "1 conflict needs a supervisor"
    detail = screen.detail.toPlainText()
    assert "Order: PD-1042" in detail and "username: li.na" in detail
    assert "Tracking number: YT1234567890" in detail and "What was sent: 7, 6901234567892" in detail

    with qtbot.waitSignal(screen.loaded, timeout=10_000):
        screen.resolve_with(screen.model.rows[0], "Unpacked, items back on A-01")
    assert screen.model.rowCount() == 0 and screen.empty.isVisible()
    assert screen.empty.text() == "No conflicts: every action from offline stations was applied."
    with boss_ctx.services.uow() as uow:
        audit = uow.session.execute(
            select(AuditEntry.username, AuditEntry.entity_id, AuditEntry.note).where(
                AuditEntry.action == "sync.resolve"
            )
        ).all()
    assert [tuple(a) for a in audit] == [
        ("supervisor-user", str(conflict_id), "Unpacked, items back on A-01")
    ]
    with qtbot.waitSignal(screen.loaded, timeout=10_000):
        screen.show_box.setCurrentIndex(1)  # all conflicts
    assert screen.model.rowCount() == 1
    assert screen.model.index(0, 5).data() == "Resolved by supervisor-user"
    assert not screen.resolve_button.isEnabled()


def test_resolving_is_refused_on_screen_for_a_supervisor_demoted_since_logging_in(
    qtbot: QtBot, boss_ctx: UiContext
) -> None:
    record_example(boss_ctx.services)
    screen = _open(qtbot, boss_ctx)
    with boss_ctx.services.uow() as uow:
        uow.session.execute(
            update(User).where(User.id == boss_ctx.actor.user_id).values(role=Role.PACKER.value)
        )
        uow.commit()
    with qtbot.waitSignal(screen.acted, timeout=10_000) as said:
        screen.resolve_with(screen.model.rows[0], "done")
    assert said.args is not None and said.args[1] is False
    assert "may not resolve conflicts of offline stations" in screen.message.text()
    with boss_ctx.services.uow() as uow:
        assert (
            uow.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "sync.resolve"))
            is None
        )


def test_the_conflict_reads_in_chinese(
    qtbot: QtBot, boss_ctx: UiContext, qapp: QApplication
) -> None:
    record_example(boss_ctx.services)
    install_language(qapp, "zh_CN")
    screen = _open(qtbot, boss_ctx)
    reason = screen.model.index(0, 4).data()
    assert "PD-1042" in reason and "cannot go" not in reason and "已取消" in reason
    text = screen.detail_title.text()
    assert "PD-1042" in text and "PACK-03" in text
    assert "shared database" not in text and "共享数据库" in text
    assert screen.model.index(0, 3).data() == "打印面单并完成包裹"


@pytest.mark.parametrize(
    ("kind", "values", "chinese"),
    [
        ("kept_too_long", {"days": 30}, "离线保存超过 30 天"),
        ("session_not_applied", {}, "打包会话未被应用"),
    ],
)
def test_the_replays_own_reasons_read_in_chinese_too(
    qtbot: QtBot,
    boss_ctx: UiContext,
    qapp: QApplication,
    kind: str,
    values: dict[str, int],
    chinese: str,
) -> None:
    """The reasons the replay gives itself (an entry kept too long, an action whose pack
    session was not applied) are kept as template and values, as the server's refusals are."""
    with boss_ctx.services.uow() as uow:
        sync_conflicts.record_conflict(
            uow,
            station_id=boss_ctx.services.station_id,
            key=f"PACK-03:{kind}",
            action="pack.scan",
            order_number="PD-1042",
            message=OFFLINE_MESSAGES["after"],
            values={
                "order": "PD-1042",
                "action": "pack.scan",
                "station": "PACK-03",
                "at": "10:42:05",
                "reason": {"template": OFFLINE_MESSAGES[kind], "values": values},
            },
            happened_at=AT,
            payload={},
        )
        uow.commit()
    install_language(qapp, "zh_CN")
    screen = _open(qtbot, boss_ctx)
    reason = screen.model.index(0, 4).data()
    assert chinese in reason, reason
    assert not any("a" <= ch <= "z" for ch in reason), reason  # no English word left
