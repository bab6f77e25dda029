"""Claiming work ("Get work"): own batch first, then an assigned one, then the next free one by
wave priority, cut-off and age; a supervisor assigns and frees batches."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from app.bootstrap import Services
from app.db.models import AuditEntry, Order, PickBatch, PickTask, Wave
from app.domain.errors import ValidationError
from app.domain.users import Actor, Role
from app.services import order_actions, pick_claim, wave_plan, wave_release
from tests.conftest import make_actor
from tests.order_action_fixtures import add_order
from tests.wave_fixtures import build_wave


@pytest.fixture
def pickers(services: Services, admin: Actor) -> list[Actor]:
    return [make_actor(services, admin, Role.PICKER, f"picker-{i}") for i in range(3)]


def _batch_numbers(services: Services, wave_id: int) -> dict[int, int]:
    with services.uow() as uow:
        return dict(
            uow.session.execute(
                select(PickBatch.id, PickBatch.number).where(PickBatch.wave_id == wave_id)
            )
            .tuples()
            .all()
        )


def test_get_work_claims_the_next_free_batch_and_gives_the_picker_their_own_batch_again(
    services: Services, admin: Actor, pickers: list[Actor]
) -> None:
    w = build_wave(services, admin, tote_slots=1)  # one order per batch: three batches
    numbers = _batch_numbers(services, w.wave_id)
    first = services.run(pick_claim.get_work, pickers[0])
    assert first is not None and numbers[first.batch_id] == 1 and first.how == "next"
    assert first.label == f"{w.wave_number}-1" and first.status == "picking"
    again = services.run(pick_claim.get_work, pickers[0])
    assert again is not None and again.batch_id == first.batch_id and again.how == "resumed"
    other = services.run(pick_claim.get_work, pickers[1])
    assert other is not None and numbers[other.batch_id] == 2
    with services.uow() as uow:
        s = uow.session
        b = s.get(PickBatch, first.batch_id)
        assert b is not None and b.claimed_by == pickers[0].user_id
        assert b.claimed_station_id == services.station_id and b.claimed_at is not None
        assert s.scalar(select(Wave.status).where(Wave.id == w.wave_id)) == "picking"
        assert s.scalar(select(AuditEntry.note).where(AuditEntry.action == "batch.claim")) == "next"


def test_a_batch_assigned_to_a_picker_goes_to_them_and_to_nobody_else(
    services: Services, admin: Actor, pickers: list[Actor]
) -> None:
    w = build_wave(services, admin, tote_slots=1)
    numbers = _batch_numbers(services, w.wave_id)
    third = next(b for b, n in numbers.items() if n == 3)
    services.run(pick_claim.assign_batch, admin, third, "picker-2")
    mine = services.run(pick_claim.get_work, pickers[2])
    assert mine is not None and mine.batch_id == third and mine.how == "assigned"
    got = [services.run(pick_claim.get_work, p) for p in pickers[:2]]
    assert sorted(numbers[g.batch_id] for g in got if g is not None) == [1, 2]


def test_there_is_no_work_when_every_batch_is_taken(
    services: Services, admin: Actor, pickers: list[Actor]
) -> None:
    build_wave(services, admin)  # one batch
    assert services.run(pick_claim.get_work, pickers[0]) is not None
    assert services.run(pick_claim.get_work, pickers[1]) is None


def test_the_wave_of_higher_priority_is_picked_first_even_when_it_is_newer(
    services: Services, admin: Actor, pickers: list[Actor]
) -> None:
    old = build_wave(services, admin)
    urgent = add_order(services, [("CUP-1", 1)])
    services.run(order_actions.allocate, admin, [urgent])
    with services.uow() as uow:
        uow.session.execute(update(Order).where(Order.id == urgent).values(priority=5))
        uow.commit()
    [made] = services.run(wave_plan.create_waves, admin, [urgent], cart="C12")
    services.run(wave_release.release_wave, admin, made.number)
    assert made.priority == 5
    got = services.run(pick_claim.get_work, pickers[0])
    assert got is not None and got.wave_number == made.number
    got = services.run(pick_claim.get_work, pickers[1])
    assert got is not None and got.wave_number == old.wave_number


def test_a_freed_batch_keeps_its_progress_and_the_next_picker_takes_it_over(
    services: Services, admin: Actor, pickers: list[Actor]
) -> None:
    w = build_wave(services, admin)
    claimed = services.run(pick_claim.get_work, pickers[0])
    assert claimed is not None
    with services.uow() as uow:  # the first task was picked before the picker went home
        uow.session.execute(
            update(PickTask).where(PickTask.id == w.tasks[0].id).values(status="done", qty_picked=2)
        )
        uow.session.execute(
            update(PickTask).where(PickTask.id == w.tasks[1].id).values(step="qty", held_qty=1)
        )
        uow.commit()
    services.run(pick_claim.unclaim, admin, claimed.batch_id)
    taken = services.run(pick_claim.get_work, pickers[1])
    assert taken is not None and taken.batch_id == claimed.batch_id and taken.how == "next"
    assert (taken.tasks, taken.tasks_done) == (len(w.tasks), 1)
    with services.uow() as uow:
        task = uow.session.get(PickTask, w.tasks[1].id)
        assert task is not None and (task.step, task.held_qty) == ("qty", 1)
        batch = uow.session.get(PickBatch, claimed.batch_id)
        assert batch is not None and batch.claimed_by == pickers[1].user_id
        assert batch.started_at == claimed.started_at


def test_a_batch_being_picked_cannot_be_assigned_and_a_free_one_cannot_be_freed(
    services: Services, admin: Actor, pickers: list[Actor]
) -> None:
    w = build_wave(services, admin, tote_slots=2)  # two batches
    claimed = services.run(pick_claim.get_work, pickers[0])
    assert claimed is not None
    with pytest.raises(ValidationError, match="Free it first"):
        services.run(pick_claim.assign_batch, admin, claimed.batch_id, "picker-1")
    free = next(b for b in w.batch_ids if b != claimed.batch_id)
    with pytest.raises(ValidationError, match="only a batch being picked can be freed"):
        services.run(pick_claim.unclaim, admin, free)
