"""What the Waves screen reads: waves with their progress, a wave's batches and who has them, a
batch's route for the map, the orders waiting for a wave, and open pick exceptions."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, update

from app.bootstrap import Services
from app.db.models import PickException, PickTask
from app.domain.errors import ValidationError
from app.domain.users import Actor, Role
from app.services import order_actions, pick_claim, wave_exceptions, wave_views
from tests.conftest import make_actor
from tests.order_action_fixtures import add_order
from tests.wave_fixtures import build_wave, route_order


def test_waves_show_their_progress_and_batches_who_picks_them(
    services: Services, admin: Actor
) -> None:
    w = build_wave(services, admin)
    picker = make_actor(services, admin, Role.PICKER, "li.na")
    services.run(pick_claim.get_work, picker)
    with services.uow() as uow:
        uow.session.execute(
            update(PickTask).where(PickTask.id == w.tasks[0].id).values(status="done")
        )
        uow.commit()
    [wave] = services.run(wave_views.list_waves, admin)
    assert (wave.number, wave.status, wave.orders, wave.batches) == (w.wave_number, "picking", 3, 1)
    assert (wave.tasks_done, wave.tasks) == (1, 5)
    [batch] = services.run(wave_views.wave_batches, admin, w.wave_id)
    assert (batch.label, batch.claimed_by, batch.orders) == (f"{w.wave_number}-1", "li.na", 3)
    assert (batch.tasks_done, batch.tasks) == (1, 5)
    assert services.run(wave_views.list_waves, admin, include_closed=False) == [wave]


def test_a_batch_route_is_its_tasks_locations_in_task_order_on_the_layout(
    services: Services, admin: Actor
) -> None:
    w = build_wave(services, admin)
    route = services.run(wave_views.batch_route, admin, w.batch_id)
    assert route is not None and not route.made_up_layout
    assert [s[0] for s in route.stops] == route_order("A-01", "B-02", "C-03")
    assert route.path[0] == route.path[-1] == (0.0, 0.0)  # from the depot and back
    assert route.length_m > 0 and [a.code for a in route.layout.aisles] == ["A", "B", "C"]


def test_a_planned_batch_without_a_layout_is_routed_on_the_made_up_block(
    services: Services, admin: Actor
) -> None:
    w = build_wave(services, admin, release=False, layout=False)
    route = services.run(wave_views.batch_route, admin, w.batch_id)
    assert route is not None and route.made_up_layout
    assert len(route.stops) == 3 and route.layout.depots[0].code == "DEPOT"


def test_the_orders_waiting_for_a_wave_are_the_allocated_ones_in_no_wave(
    services: Services, admin: Actor
) -> None:
    w = build_wave(services, admin)
    later = add_order(services, [("CUP-1", 1)])
    services.run(order_actions.allocate, admin, [later])
    waiting = services.run(wave_views.waiting_orders, admin)
    assert [o.id for o in waiting] == [later] and waiting[0].units == 1
    assert later not in w.order_ids


def test_an_open_pick_exception_is_listed_until_resolved_once(
    services: Services, admin: Actor
) -> None:
    w = build_wave(services, admin)
    with services.uow() as uow:
        uow.session.execute(
            insert(PickException),
            [
                {
                    "wave_id": w.wave_id,
                    "batch_id": w.batch_id,
                    "order_id": w.order_ids[0],
                    "product_id": w.products["CUP-1"],
                    "location_id": w.locations["A-01"],
                    "qty_short": 2,
                    "reason": "damaged",
                    "outcome": "backordered",
                }
            ],
        )
        uow.commit()
    [row] = services.run(wave_exceptions.open_exceptions, admin)
    assert (row.batch, row.order, row.sku, row.location, row.qty_short) == (
        f"{w.wave_number}-1",
        w.order_numbers[0],
        "CUP-1",
        "A-01",
        2,
    )
    services.run(wave_exceptions.resolve_exception, admin, row.id)
    assert services.run(wave_exceptions.open_exceptions, admin) == []
    with pytest.raises(ValidationError, match="already resolved"):
        services.run(wave_exceptions.resolve_exception, admin, row.id)
