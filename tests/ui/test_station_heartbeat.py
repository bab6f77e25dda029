"""The main window tells the database that this station still runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from app.bootstrap import HEARTBEAT_S
from app.db.models import Station
from ui.context import UiContext
from ui.main_window import MainWindow

LONG_AGO = datetime(2026, 1, 1, tzinfo=UTC)


def _last_seen(ctx: UiContext) -> datetime | None:
    with ctx.services.uow() as uow:
        return uow.session.scalar(
            select(Station.last_seen_at).where(Station.id == ctx.services.station_id)
        )


def test_the_status_bar_ping_refreshes_the_stations_last_seen_time(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    with ui_ctx.services.uow() as uow:
        uow.session.execute(update(Station).values(last_seen_at=LONG_AGO))
        uow.commit()
    assert _last_seen(ui_ctx) == LONG_AGO
    window = MainWindow(ui_ctx)
    qtbot.addWidget(window)
    ui_ctx.services.last_heartbeat -= HEARTBEAT_S  # the next ping is due to record it
    window._ping()
    qtbot.waitUntil(lambda: _last_seen(ui_ctx) != LONG_AGO, timeout=10_000)
    seen = _last_seen(ui_ctx)
    assert seen is not None and datetime.now(UTC) - seen < timedelta(minutes=1)
    window.close()
