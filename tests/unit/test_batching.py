"""Batching orders onto carts: the limits hold, every order is in one batch, and planned
batches walk less than first come, first served."""

import random
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.batching import CartLimits, OrderToBatch, fcfs_batches, plan_batches
from app.domain.layout import Layout, Point, demo_like_layout
from app.domain.routing import Stop, plan_route

DEMO = demo_like_layout()


def _order(key: int, places: list[tuple[int, float]], **size: int) -> OrderToBatch:
    stops = tuple(
        Stop(f"{DEMO.aisles[i].code}-{y}", Point(DEMO.aisles[i].x, y, DEMO.aisles[i].code))
        for i, y in places
    )
    return OrderToBatch(key, stops, lines=size.pop("lines", len(stops)), **size)


def walked(layout: Layout, orders: list[OrderToBatch], batches: list[list[int]]) -> float:
    by_key = {o.key: o for o in orders}
    return sum(
        plan_route(layout, [s for k in b for s in by_key[k].stops]).length_m for b in batches
    )


def _fits(batch: list[int], orders: dict[int, OrderToBatch], limits: CartLimits) -> bool:
    os = [orders[k] for k in batch]
    if len(os) == 1:
        return True
    return (
        len(os) <= limits.tote_slots
        and (not limits.max_orders or len(os) <= limits.max_orders)
        and (not limits.max_lines or sum(o.lines for o in os) <= limits.max_lines)
        and (not limits.max_weight_g or sum(o.weight_g for o in os) <= limits.max_weight_g)
        and (not limits.max_volume_cm3 or sum(o.volume_cm3 for o in os) <= limits.max_volume_cm3)
    )


order_lists = st.lists(
    st.builds(
        lambda places, lines, weight, volume: (places, lines, weight, volume),
        st.lists(
            st.tuples(st.integers(0, 11), st.integers(1, 29).map(float)), min_size=1, max_size=4
        ),
        st.integers(1, 6),
        st.integers(0, 5000),
        st.integers(0, 9000),
    ),
    max_size=40,
)
cart_limits = st.builds(
    CartLimits,
    tote_slots=st.integers(1, 12),
    max_orders=st.integers(0, 12),
    max_lines=st.integers(0, 20),
    max_weight_g=st.sampled_from([0, 4000, 10000]),
    max_volume_cm3=st.sampled_from([0, 8000, 20000]),
)


@settings(max_examples=120, deadline=None)
@given(order_lists, cart_limits)
def test_every_order_is_in_exactly_one_batch_that_fits_the_cart(
    raw: list[tuple[list[tuple[int, float]], int, int, int]], limits: CartLimits
) -> None:
    orders = [
        _order(100 + i, places, lines=lines, weight_g=w, volume_cm3=v)
        for i, (places, lines, w, v) in enumerate(raw)
    ]
    by_key = {o.key: o for o in orders}
    for batches in (plan_batches(DEMO, orders, limits), fcfs_batches(orders, limits)):
        assert sorted(k for b in batches for k in b) == sorted(by_key)
        assert all(b and _fits(b, by_key, limits) for b in batches)


def test_first_come_first_served_starts_a_new_cart_at_each_limit() -> None:
    orders = [_order(i, [(0, 5.0)], lines=3, weight_g=1000, volume_cm3=500) for i in range(1, 9)]
    assert fcfs_batches(orders, CartLimits(tote_slots=3)) == [[1, 2, 3], [4, 5, 6], [7, 8]]
    assert fcfs_batches(orders, CartLimits(12, max_orders=4)) == [[1, 2, 3, 4], [5, 6, 7, 8]]
    assert fcfs_batches(orders, CartLimits(12, max_lines=7)) == [[1, 2], [3, 4], [5, 6], [7, 8]]
    assert fcfs_batches(orders, CartLimits(12, max_weight_g=5000))[0] == [1, 2, 3, 4, 5]
    assert fcfs_batches(orders, CartLimits(12, max_volume_cm3=1000))[0] == [1, 2]


def test_an_order_bigger_than_the_cart_gets_a_cart_of_its_own() -> None:
    orders = [
        _order(1, [(0, 5.0)], weight_g=1000),
        _order(2, [(0, 6.0)], weight_g=30000),
        _order(3, [(0, 7.0)], weight_g=1000),
    ]
    batches = plan_batches(DEMO, orders, CartLimits(12, max_weight_g=20000))
    assert sorted(batches) == [[1, 3], [2]]


def test_orders_from_one_end_of_the_warehouse_share_a_cart() -> None:
    near = [_order(i, [(i % 2, 3.0 + i)]) for i in range(0, 12, 2)]
    far = [_order(i, [(10 + i % 2, 26.0 - i)]) for i in range(1, 12, 2)]
    orders = [o for pair in zip(near, far, strict=True) for o in pair]
    batches = plan_batches(DEMO, orders, CartLimits(tote_slots=6))
    # oldest first, each batch in the given order
    assert batches == [[0, 2, 4, 6, 8, 10], [1, 3, 5, 7, 9, 11]]
    fcfs = fcfs_batches(orders, CartLimits(tote_slots=6))
    assert walked(DEMO, orders, batches) < 0.7 * walked(DEMO, orders, fcfs)


def test_two_hundred_orders_walk_well_under_first_come_first_served_and_plan_quickly() -> None:
    rng = random.Random(7)
    orders = [
        _order(
            k,
            [
                (rng.randrange(12), rng.randint(1, 29) - 0.5)
                for _ in range(rng.choice((1, 1, 2, 3, 4)))
            ],
        )
        for k in range(200)
    ]
    limits = CartLimits(tote_slots=12)
    started = time.perf_counter()
    batches = plan_batches(DEMO, orders, limits)
    took = time.perf_counter() - started
    alone = walked(DEMO, orders, [[o.key] for o in orders])
    planned = walked(DEMO, orders, batches)
    assert planned <= 0.35 * alone
    assert planned <= 0.8 * walked(DEMO, orders, fcfs_batches(orders, limits))
    assert took < 1.0
