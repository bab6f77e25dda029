"""The Waves screen: a supervisor sees the waves and a batch's route on the map, makes waves of
chosen orders, releases, re-plans, splits and cancels them, assigns and frees batches, and
resolves pick exceptions; data arrives off the UI thread."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import insert, select

from app.db.models import Order, PickBatch, PickException, PickTask
from app.domain.users import Role
from app.services import auth, pick_claim
from tests.wave_fixtures import allocated_orders, build_wave, route_order
from ui.context import UiContext
from ui.screens.wave_dialogs import CreateWavesDialog
from ui.screens.waves import WavesScreen


def _screen(qtbot: QtBot, ui_ctx: UiContext) -> WavesScreen:
    screen = WavesScreen(ui_ctx)
    qtbot.addWidget(screen)
    screen.resize(1300, 800)
    with qtbot.waitSignals([screen.loaded, screen.route_shown], timeout=10_000):
        screen.activated()
    return screen


def test_the_chosen_batch_route_is_drawn_on_the_map_in_task_order(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    w = build_wave(ui_ctx.services, ui_ctx.actor)
    screen = _screen(qtbot, ui_ctx)
    assert [r.number for r in screen.waves.rows] == [w.wave_number]
    assert screen.waves.data(screen.waves.index(0, 1)) == "Released"
    assert screen.waves.data(screen.waves.index(0, 7)) == "0/5 (0%)"
    assert [b.label for b in screen.batches.rows] == [f"{w.wave_number}-1"]
    route = screen.route
    assert route is not None and not route.made_up_layout
    assert [s[0] for s in route.stops] == route_order("A-01", "B-02", "C-03")
    assert screen.map.route_items() > 0
    assert "3 stops" in screen.route_label.text()


def test_a_supervisor_makes_a_wave_of_chosen_orders_and_releases_it(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    s, admin = ui_ctx.services, ui_ctx.actor
    oids = allocated_orders(s, admin, [[("CUP-1", 1)], [("PEN-1", 1)], [("BAG-1", 2)]]).order_ids
    from app.services import carts, wave_views

    s.run(carts.save_cart, admin, "C12", 12)
    screen = WavesScreen(ui_ctx)
    qtbot.addWidget(screen)
    dialog = CreateWavesDialog(
        ui_ctx, s.run(wave_views.waiting_orders, admin), [], s.run(carts.list_carts, admin), screen
    )
    qtbot.addWidget(dialog)
    assert dialog.orders.rowCount() == 3
    dialog.table.selectRow(0)
    dialog.table.selectionModel().select(
        dialog.orders.index(2, 0),
        dialog.table.selectionModel().SelectionFlag.Select
        | dialog.table.selectionModel().SelectionFlag.Rows,
    )
    dialog.make_waves()
    assert [(w.number, w.orders) for w in dialog.made] == [("W000001", 2)]
    with qtbot.waitSignal(screen.loaded, timeout=10_000):
        screen.refresh()
    with qtbot.waitSignal(screen.acted, timeout=10_000) as done:
        screen.buttons["release"].click()
    assert done.args == ["W000001 released: 2 pick tasks in 1 batches.", True]
    with ui_ctx.services.uow() as uow:
        statuses = uow.session.scalars(select(Order.status).order_by(Order.id)).all()
    assert statuses == ["picking", "allocated", "picking"]
    assert oids[1] not in dialog.chosen_ids()


def test_a_released_wave_is_re_planned_split_and_cancelled_from_the_screen(
    qtbot: QtBot, ui_ctx: UiContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = build_wave(ui_ctx.services, ui_ctx.actor, tote_slots=1)  # three batches
    screen = _screen(qtbot, ui_ctx)
    with qtbot.waitSignal(screen.acted, timeout=10_000) as done:
        screen.buttons["replan"].click()
    assert done.args == [f"{w.wave_number} re-planned: 3 orders in 3 batches.", True]
    with qtbot.waitSignal(screen.batches_loaded, timeout=10_000):
        pass
    screen.batch_table.selectRow(2)
    with qtbot.waitSignal(screen.acted, timeout=10_000) as done:
        screen.buttons["split"].click()
    assert done.args == ["1 orders moved to the new wave W000002.", True]
    with qtbot.waitSignal(screen.loaded, timeout=10_000):
        pass
    assert [r.number for r in screen.waves.rows] == ["W000002", w.wave_number]
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    )
    screen.wave_table.selectRow(1)
    with qtbot.waitSignal(screen.acted, timeout=10_000) as done:
        screen.buttons["cancel"].click()
    assert done.args[1] is True and "cancelled" in done.args[0]
    with ui_ctx.services.uow() as uow:
        left = uow.session.scalars(
            select(PickTask.id)
            .join(PickBatch, PickBatch.id == PickTask.batch_id)
            .where(PickBatch.wave_id == w.wave_id)
        ).all()
    assert left == []


def test_a_batch_being_picked_is_freed_and_an_exception_resolved(
    qtbot: QtBot, ui_ctx: UiContext
) -> None:
    s, admin = ui_ctx.services, ui_ctx.actor
    w = build_wave(s, admin)
    s.run(auth.create_user, admin, "li.na", Role.PICKER, "picker-pass-1")
    picker = s.run(auth.login, "li.na", "picker-pass-1")
    assert s.run(pick_claim.get_work, picker) is not None
    with s.uow() as uow:
        uow.session.execute(
            insert(PickException),
            [
                {
                    "wave_id": w.wave_id,
                    "batch_id": w.batch_id,
                    "order_id": w.order_ids[0],
                    "qty_short": 1,
                    "reason": "empty",
                    "outcome": "backordered",
                }
            ],
        )
        uow.commit()
    screen = WavesScreen(ui_ctx)
    qtbot.addWidget(screen)
    with qtbot.waitSignals(
        [screen.loaded, screen.batches_loaded, screen.exceptions_loaded], timeout=10_000
    ):
        screen.activated()
    assert screen.batches.data(screen.batches.index(0, 5)) == "li.na"
    assert screen.tabs.tabText(1) == "Exceptions (1)"
    with qtbot.waitSignal(screen.acted, timeout=10_000) as done:
        screen.buttons["free"].click()
    assert done.args == [f"{w.wave_number}-1 is free: the next picker continues it.", True]
    with s.uow() as uow:
        assert uow.session.scalar(select(PickBatch.status)) == "ready"
    screen.exception_table.selectRow(0)
    with qtbot.waitSignal(screen.acted, timeout=10_000) as done:
        screen.buttons["resolve"].click()
    assert done.args == [f"Exception of order {w.order_numbers[0]} resolved.", True]
    qtbot.waitUntil(lambda: screen.tabs.tabText(1) == "Exceptions", timeout=10_000)
    assert screen.exceptions.rowCount() == 0
