"""A supervisor cancels, re-plans or splits a wave before it is picked, and cannot after."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.bootstrap import Services
from app.db.models import PickBatch, PickTask, Wave, WaveOrder
from app.domain.errors import ValidationError
from app.domain.users import Actor, Role
from app.services import order_actions, pick_claim, wave_edit, wave_plan, wave_release
from tests.conftest import make_actor
from tests.order_action_fixtures import reserved_by_line, status_of
from tests.wave_fixtures import build_wave


def _tasks(services: Services, wave_id: int) -> int:
    with services.uow() as uow:
        return (
            uow.session.scalar(
                select(func.count())
                .select_from(PickTask)
                .join(PickBatch, PickBatch.id == PickTask.batch_id)
                .where(PickBatch.wave_id == wave_id)
            )
            or 0
        )


def test_cancelling_a_released_wave_gives_its_orders_back_allocated_with_their_stock(
    services: Services, admin: Actor
) -> None:
    w = build_wave(services, admin)
    reserved = [reserved_by_line(services, o) for o in w.order_ids]
    done = services.run(wave_edit.cancel_wave, admin, w.wave_number)
    assert done.status == "cancelled"
    assert [status_of(services, o) for o in w.order_ids] == ["allocated"] * 3
    assert [reserved_by_line(services, o) for o in w.order_ids] == reserved
    assert _tasks(services, w.wave_id) == 0
    # the orders are free for another wave
    [again] = services.run(wave_plan.create_waves, admin, list(w.order_ids))
    assert again.orders == 3


def test_re_planning_leaves_out_an_order_deallocated_since_and_the_wave_can_be_released(
    services: Services, admin: Actor
) -> None:
    w = build_wave(services, admin, release=False, tote_slots=2)
    services.run(order_actions.deallocate, admin, [w.order_ids[0]])
    with pytest.raises(ValidationError, match="Re-plan"):
        services.run(wave_release.release_wave, admin, w.wave_number)
    again = services.run(wave_edit.replan_wave, admin, w.wave_number)
    assert (again.orders, again.batches) == (2, 1)
    released = services.run(wave_release.release_wave, admin, w.wave_number)
    assert released.status == "released" and released.tasks == 3
    assert status_of(services, w.order_ids[0]) == "released"


def test_splitting_a_released_wave_moves_the_chosen_order_with_its_tasks_to_a_new_wave(
    services: Services, admin: Actor
) -> None:
    w = build_wave(services, admin)
    moved = w.order_ids[1]  # PEN-1 + BAG-1: two tasks
    new = services.run(wave_edit.split_wave, admin, w.wave_number, [moved])
    assert (new.number, new.status, new.orders, new.batches) == ("W000002", "released", 1, 1)
    assert _tasks(services, new.id) == 2 and _tasks(services, w.wave_id) == 3
    with services.uow() as uow:
        s = uow.session
        assert s.scalar(select(WaveOrder.wave_id).where(WaveOrder.order_id == moved)) == new.id
        tote = s.scalar(select(WaveOrder.tote_code).where(WaveOrder.order_id == moved))
        planned = s.execute(select(Wave.number, Wave.planned_m).order_by(Wave.id)).all()
    assert tote == "C12-01" and all(p > 0 for _, p in planned)
    assert status_of(services, moved) == "picking"


def test_a_wave_being_picked_cannot_be_cancelled_re_planned_or_split(
    services: Services, admin: Actor
) -> None:
    w = build_wave(services, admin)
    picker = make_actor(services, admin, Role.PICKER, "picker")
    assert services.run(pick_claim.get_work, picker) is not None
    for action, args in (
        (wave_edit.cancel_wave, ()),
        (wave_edit.replan_wave, ()),
        (wave_edit.split_wave, ([w.order_ids[0]],)),
    ):
        with pytest.raises(ValidationError, match="can no longer be"):
            services.run(action, admin, w.wave_number, *args)
    assert [status_of(services, o) for o in w.order_ids] == ["picking"] * 3
    assert _tasks(services, w.wave_id) == 5
