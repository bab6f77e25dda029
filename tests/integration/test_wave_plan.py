"""Making waves: by hand or by rule, never mixing priorities, batches that fit the cart, the
planned walk recorded; carts and wave rules."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from app.bootstrap import Services
from app.db.models import Order, PickBatch, SettingRow, Wave, WaveOrder
from app.domain.errors import ValidationError
from app.domain.routing import plan_route
from app.domain.users import Actor
from app.services import carts, wave_plan, wave_rules
from tests.wave_fixtures import LAYOUT, STOCKED, allocated_orders, stop


def _batches(services: Services, wave_id: int) -> list[tuple[float, list[int]]]:
    with services.uow() as uow:
        s = uow.session
        out = []
        for bid, planned in s.execute(
            select(PickBatch.id, PickBatch.planned_m)
            .where(PickBatch.wave_id == wave_id)
            .order_by(PickBatch.number)
        ).tuples():
            members = s.scalars(
                select(WaveOrder.order_id)
                .where(WaveOrder.batch_id == bid)
                .order_by(WaveOrder.tote_slot)
            ).all()
            out.append((planned, list(members)))
        return out


def test_waves_never_mix_priorities_and_are_cut_at_the_most_orders(
    services: Services, admin: Actor
) -> None:
    oids = allocated_orders(services, admin, [[("CUP-1", 1)]] * 5).order_ids
    with services.uow() as uow:
        uow.session.execute(update(Order).where(Order.id.in_(oids[3:])).values(priority=3))
        uow.commit()
    services.run(carts.save_cart, admin, "C12", 12)
    made = services.run(wave_plan.create_waves, admin, max_orders=2)
    assert [(w.number, w.priority, w.orders) for w in made] == [
        ("W000001", 3, 2),
        ("W000002", 0, 2),
        ("W000003", 0, 1),
    ]
    assert {w.status for w in made} == {"planned"}
    # every order is in exactly one wave now: nothing is left to make waves of
    assert services.run(wave_plan.create_waves, admin) == []


def test_a_wave_is_split_into_batches_that_fit_the_cart_with_their_walk_planned(
    services: Services, admin: Actor
) -> None:
    orders = [[("CUP-1", 1)], [("PEN-1", 1)], [("BAG-1", 1)]]
    oids = allocated_orders(services, admin, orders).order_ids
    services.run(carts.save_cart, admin, "C2", 2)
    [wave] = services.run(wave_plan.create_waves, admin, oids, cart="C2")
    batches = _batches(services, wave.id)
    assert wave.batches == 2 and sorted(len(m) for _, m in batches) == [1, 2]
    sku_of = {oid: o[0][0] for oid, o in zip(oids, orders, strict=True)}
    for planned, members in batches:
        stops = [stop(STOCKED[sku_of[o]]) for o in members]
        assert planned == pytest.approx(plan_route(LAYOUT, stops).length_m)
        assert planned > 0
    assert wave.planned_m == pytest.approx(sum(p for p, _ in batches))
    with services.uow() as uow:
        slots = uow.session.scalars(select(WaveOrder.tote_slot).order_by(WaveOrder.id)).all()
    assert sorted(slots) == [1, 1, 2]


def test_single_unit_waves_take_only_the_orders_of_exactly_one_unit(
    services: Services, admin: Actor
) -> None:
    oids = allocated_orders(
        services,
        admin,
        [[("CUP-1", 1)], [("CUP-1", 2)], [("PEN-1", 1), ("CUP-1", 1)], [("PEN-1", 1)]],
    ).order_ids
    services.run(carts.save_cart, admin, "C12", 12)
    [wave] = services.run(wave_plan.create_waves, admin, method="single_unit")
    assert (wave.pick_method, wave.orders) == ("single_unit", 2)
    with services.uow() as uow:
        members = set(uow.session.scalars(select(WaveOrder.order_id)))
        tote_slots = set(uow.session.scalars(select(WaveOrder.tote_slot)))
    assert members == {oids[0], oids[3]} and tote_slots == {None}


def test_a_saved_rule_picks_its_zone_method_and_cart(services: Services, admin: Actor) -> None:
    oids = allocated_orders(
        services,
        admin,
        [[("CUP-1", 1)], [("PEN-1", 1)], [("CUP-1", 3)], [("CUP-1", 1), ("BAG-1", 1)]],
    ).order_ids
    services.run(carts.save_cart, admin, "C12", 12)
    services.run(carts.save_cart, admin, "C24", 24, name="24-tote cart")
    services.run(
        wave_rules.save_rule, admin, "Zone A", zone="A", pick_method="pick_sort", cart="C24"
    )
    [rule] = services.run(wave_rules.list_rules, admin)
    assert (rule.name, rule.zone, rule.pick_method, rule.cart) == (
        "Zone A",
        "A",
        "pick_sort",
        "C24",
    )
    [wave] = services.run(wave_plan.create_waves, admin, rule="Zone A")
    assert (wave.pick_method, wave.cart, wave.orders) == ("pick_sort", "C24", 2)
    with services.uow() as uow:
        members = set(uow.session.scalars(select(WaveOrder.order_id)))
        rule_id = uow.session.scalar(select(Wave.rule_id))
    assert members == {oids[0], oids[2]} and rule_id == rule.id


def test_pick_then_sort_batches_hold_no_more_orders_than_the_sort_wall_has_slots(
    services: Services, admin: Actor
) -> None:
    oids = allocated_orders(services, admin, [[("CUP-1", 1)]] * 5).order_ids
    services.run(carts.save_cart, admin, "C12", 12)
    with services.uow() as uow:
        uow.session.add(SettingRow(key="sort_wall.slots", value=2))
        uow.commit()
    [wave] = services.run(wave_plan.create_waves, admin, oids, method="pick_sort")
    assert wave.batches == 3
    assert sorted(len(m) for _, m in _batches(services, wave.id)) == [1, 2, 2]


def test_without_a_layout_the_walk_is_measured_on_the_locations_own_coordinates(
    services: Services, admin: Actor
) -> None:
    oids = allocated_orders(services, admin, [[("CUP-1", 1), ("BAG-1", 1)]], layout=False).order_ids
    services.run(carts.save_cart, admin, "C12", 12)
    [wave] = services.run(wave_plan.create_waves, admin, oids)
    # made-up block: aisles at x=3 (A-01, y=5) and x=11 (C-03, y=3); front cross aisle at y=2
    # depot (3, 2) -> A-01 (3, 5) 3 m, back to y=2 3 m, across 8 m, up to C-03 1 m, and back
    # 1 + 8 m: 24 m whichever way the route goes
    assert wave.planned_m == pytest.approx(24.0)


def test_an_order_already_in_a_wave_or_not_allocated_cannot_be_put_into_one_by_hand(
    services: Services, admin: Actor
) -> None:
    oids = allocated_orders(services, admin, [[("CUP-1", 1)], [("PEN-1", 1)]]).order_ids
    services.run(carts.save_cart, admin, "C12", 12)
    [wave] = services.run(wave_plan.create_waves, admin, [oids[0]])
    with services.uow() as uow:
        number = uow.session.scalar(select(Order.number).where(Order.id == oids[0]))
    with pytest.raises(ValidationError, match="already in a wave") as err:
        services.run(wave_plan.create_waves, admin, numbers=[number])
    assert number in err.value.message
    with pytest.raises(ValidationError, match="no order PD-NOPE"):
        services.run(wave_plan.create_waves, admin, numbers=["PD-NOPE"])
    assert wave.orders == 1


def test_a_wave_needs_a_cart_and_a_known_rule(services: Services, admin: Actor) -> None:
    allocated_orders(services, admin, [[("CUP-1", 1)]])
    with pytest.raises(ValidationError, match="no pick cart yet"):
        services.run(wave_plan.create_waves, admin)
    services.run(carts.save_cart, admin, "C12", 12)
    with pytest.raises(ValidationError, match="no wave rule Nope"):
        services.run(wave_plan.create_waves, admin, rule="Nope")


def test_carts_are_added_changed_and_checked(services: Services, admin: Actor) -> None:
    services.run(carts.save_cart, admin, "c12", 12, name="Cart", max_weight_g=30000)
    services.run(carts.save_cart, admin, "C12", 10, name="Smaller")
    [cart] = services.run(carts.list_carts, admin)
    assert (cart.code, cart.name, cart.tote_slots, cart.max_weight_g) == ("C12", "Smaller", 10, 0)
    with pytest.raises(ValidationError, match="1 to 99 tote slots"):
        services.run(carts.save_cart, admin, "C0", 0)
    with pytest.raises(ValidationError, match="HH:MM"):
        services.run(wave_rules.save_rule, admin, "Late", cutoff="25:00")
    with pytest.raises(ValidationError, match="no cart NOPE"):
        services.run(wave_rules.save_rule, admin, "Late", cart="nope")
