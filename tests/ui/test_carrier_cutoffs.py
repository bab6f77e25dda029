"""The carriers' cut-off times on the Carriers screen: a time typed loosely is saved as HH:MM,
one that is no time of day keeps the dialog open with the reason."""

from __future__ import annotations

from pytestqt.qtbot import QtBot
from sqlalchemy import insert, select

from app.db.models import Carrier
from ui.context import UiContext
from ui.screens.carriers import CarriersScreen


def _cutoffs(ctx: UiContext) -> dict[str, str]:
    with ctx.services.uow() as uow:
        return dict(uow.session.execute(select(Carrier.code, Carrier.cutoff_time)).tuples().all())


def test_cut_off_times_are_edited_on_the_carriers_screen_and_checked(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    with ui_ctx.services.uow() as uow:
        uow.session.execute(
            insert(Carrier),
            [{"code": "SF", "name": "SF Express"}, {"code": "ZTO", "name": "ZTO Express"}],
        )
        uow.commit()
    screen = CarriersScreen(ui_ctx)
    qtbot.addWidget(screen)
    with qtbot.waitSignal(screen.loaded, timeout=10_000):
        screen.activated()
    assert screen.cutoff_button.isEnabled()
    dialog = screen.open_cutoffs()
    qtbot.addWidget(dialog)
    dialog.edits["SF"].setText("17：30")
    dialog.edits["ZTO"].setText("25:00")
    with qtbot.waitSignal(dialog.refused, timeout=10_000) as refused:
        dialog.save()
    assert "25:00" in refused.args[0] and "HH:MM" in dialog.message.text()
    assert dialog.isVisible()
    dialog.edits["ZTO"].setText("9:05")
    with qtbot.waitSignal(screen.loaded, timeout=10_000):
        dialog.save()
    assert _cutoffs(ui_ctx) == {"SF": "17:30", "ZTO": "09:05"}
    assert [c.cutoff for c in screen.carriers] == ["17:30", "09:05"]
