"""The demo warehouse comes with pick carts and wave rules, and its allocated orders make waves
that pickers can claim, on both backends."""

from __future__ import annotations

from datetime import UTC, datetime

from app.bootstrap import Services
from app.services import auth, carts, demo_data, pick_claim, wave_plan, wave_release, wave_rules
from app.services.demo_data import DEMO_USERS

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def test_the_demo_has_carts_and_wave_rules_and_its_orders_make_waves_pickers_claim(
    services: Services,
) -> None:
    services.run(demo_data.generate, orders=300, seed=3, now=NOW)
    boss = next(u for u in DEMO_USERS if u.role.value == "supervisor")
    picker = next(u for u in DEMO_USERS if u.role.value == "picker")
    sup = services.run(auth.login, boss.username, boss.password, services.station_id)
    pick = services.run(auth.login, picker.username, picker.password, services.station_id)
    assert [c.code for c in services.run(carts.list_carts, sup)] == ["B1", "C12", "C24"]
    rules = {r.name: r for r in services.run(wave_rules.list_rules, sup)}
    assert {r.pick_method for r in rules.values()} == {"cluster", "single_unit", "pick_sort"}
    assert rules["顺丰 16:30 SF cut-off"].carrier == "SF"
    made = services.run(wave_plan.create_waves, sup, rule="先拣后播 pick then sort")
    assert (
        made
        and {w.pick_method for w in made} == {"pick_sort"}
        and {w.cart for w in made} == {"C24"}
    )
    assert all(w.planned_m > 0 for w in made)
    released = services.run(wave_release.release_wave, sup, made[0].number)
    assert released.tasks > 0
    got = services.run(pick_claim.get_work, pick)
    assert got is not None and got.wave_number == made[0].number
    # ids were written explicitly: a cart added afterwards still gets its own (PostgreSQL
    # sequences moved on)
    assert services.run(carts.save_cart, sup, "C6", 6).id > 3
