"""Releasing a wave: pick tasks in route order with their parts, tote codes, orders to picking."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.bootstrap import Services
from app.db.models import Order, PickBatch, PickTaskPart, Wave
from app.domain.errors import ValidationError
from app.domain.users import Actor
from app.services import order_actions, wave_release
from tests.wave_fixtures import build_wave


def _statuses(services: Services, ids: tuple[int, ...]) -> set[str]:
    with services.uow() as uow:
        return set(uow.session.scalars(select(Order.status).where(Order.id.in_(ids))))


def test_a_released_cluster_wave_has_one_task_per_location_product_and_order_in_route_order(
    services: Services, admin: Actor
) -> None:
    w = build_wave(services, admin)
    # three orders: CUP-1 x2 + PEN-1, PEN-1 + BAG-1, CUP-1: A-01 (x=2), B-02 (x=6), C-03 (x=10)
    assert [(t.location, t.sku, t.qty) for t in w.tasks] == [
        ("A-01", "CUP-1", 2),
        ("A-01", "CUP-1", 1),
        ("B-02", "PEN-1", 1),
        ("B-02", "PEN-1", 1),
        ("C-03", "BAG-1", 1),
    ]
    assert [t.seq for t in w.tasks] == [10, 20, 30, 40, 50]
    first, second, third = w.order_ids
    assert w.tote_codes == {first: "C12-01", second: "C12-02", third: "C12-03"}
    assert [t.tote_slot for t in w.tasks] == [1, 3, 1, 2, 2]
    assert _statuses(services, w.order_ids) == {"picking"}
    with services.uow() as uow:
        s = uow.session
        assert s.scalar(select(Wave.status).where(Wave.id == w.wave_id)) == "released"
        assert s.scalar(select(PickBatch.status).where(PickBatch.id == w.batch_id)) == "ready"
        parts = s.execute(select(PickTaskPart.task_id, PickTaskPart.order_id)).all()
    assert len(parts) == 5 and {p.order_id for p in parts} == set(w.order_ids)


def test_bulk_methods_sum_every_orders_units_at_a_location_into_the_bulk_tote(
    services: Services, admin: Actor
) -> None:
    w = build_wave(services, admin, method="pick_sort")
    assert [(t.location, t.sku, t.qty, t.tote_slot) for t in w.tasks] == [
        ("A-01", "CUP-1", 3, None),
        ("B-02", "PEN-1", 2, None),
        ("C-03", "BAG-1", 1, None),
    ]
    assert w.bulk_tote == "C12-BULK"
    assert set(w.tote_codes.values()) == {"C12-BULK"}
    assert sorted(w.slots.values()) == [1, 2, 3]  # each order's sort wall slot
    with services.uow() as uow:
        parts = uow.session.scalars(
            select(PickTaskPart.qty).where(PickTaskPart.task_id == w.tasks[0].id)
        ).all()
    assert sorted(parts) == [1, 2]  # one part per reservation


def test_a_wave_whose_order_was_deallocated_is_refused_until_re_planned(
    services: Services, admin: Actor
) -> None:
    w = build_wave(services, admin, release=False)
    services.run(order_actions.deallocate, admin, [w.order_ids[1]])
    with pytest.raises(ValidationError) as err:
        services.run(wave_release.release_wave, admin, w.wave_number)
    assert w.order_numbers[1] in err.value.message and "Re-plan" in err.value.message
    assert _statuses(services, (w.order_ids[0], w.order_ids[2])) == {"allocated"}
