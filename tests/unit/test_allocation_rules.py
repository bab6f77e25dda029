"""Which stock a line gets: FEFO, FIFO, shelf life, location preference, shortage policies."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from app.domain.allocation import (
    AllocationRules,
    Bucket,
    LineNeed,
    Outcome,
    ShortagePolicy,
    StockPool,
    Take,
    allocate_line,
    plan_order,
    rank,
)

TODAY = date(2026, 11, 26)
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def at(days: int) -> datetime:
    return T0 + timedelta(days=days)


def test_fifo_takes_the_oldest_receipt_first() -> None:
    buckets = [
        Bucket(1, 5, "pickable", at(10)),
        Bucket(2, 5, "pickable", at(1)),
        Bucket(3, 5, "pickable", at(5)),
    ]
    got = allocate_line(7, buckets, fefo=False, today=TODAY)
    assert got.takes == (Take(2, 5), Take(3, 2))
    assert got.short == 0


def test_fifo_prefers_pickable_locations_over_older_storage_stock() -> None:
    buckets = [Bucket(1, 10, "storage", at(1)), Bucket(2, 10, "pickable", at(9))]
    assert allocate_line(4, buckets, fefo=False, today=TODAY).takes == (Take(2, 4),)
    # storage is used once the pickable stock runs out
    assert allocate_line(12, buckets, fefo=False, today=TODAY).takes == (Take(2, 10), Take(1, 2))


def test_staging_receiving_and_empty_stock_are_never_allocated() -> None:
    buckets = [
        Bucket(1, 10, "staging", at(1)),
        Bucket(2, 10, "receiving", at(1)),
        Bucket(3, 0, "pickable", at(1)),
        Bucket(4, 3, "storage", at(1)),
    ]
    got = allocate_line(5, buckets, fefo=False, today=TODAY)
    assert got.takes == (Take(4, 3),)
    assert (got.allocated, got.short) == (3, 2)


def test_fefo_takes_the_earliest_expiry_even_from_storage() -> None:
    buckets = [
        Bucket(1, 10, "pickable", at(1), expiry=date(2027, 6, 1)),
        Bucket(2, 10, "storage", at(9), expiry=date(2027, 1, 1)),
        Bucket(3, 10, "pickable", at(5), expiry=date(2027, 1, 1)),
    ]
    # same date: pickable before storage; earlier date before later regardless of location
    got = allocate_line(25, buckets, fefo=True, today=TODAY)
    assert got.takes == (Take(3, 10), Take(2, 10), Take(1, 5))


def test_expired_lots_are_never_allocated_and_short_shelf_life_lots_are_skipped() -> None:
    buckets = [
        Bucket(1, 10, "pickable", at(1), expiry=TODAY - timedelta(days=1)),  # expired
        Bucket(2, 10, "pickable", at(1), expiry=TODAY),  # expires today
        Bucket(3, 10, "pickable", at(1), expiry=TODAY + timedelta(days=20)),
        Bucket(4, 10, "pickable", at(1), expiry=TODAY + timedelta(days=31)),
    ]
    assert [b.stock_level_id for b in rank(buckets, fefo=True, today=TODAY)] == [3, 4]
    assert [
        b.stock_level_id for b in rank(buckets, fefo=True, today=TODAY, min_shelf_life_days=30)
    ] == [4]
    # exactly the minimum left is not enough: the lot must outlive it
    edge = [Bucket(5, 1, "pickable", at(1), expiry=TODAY + timedelta(days=30))]
    assert rank(edge, fefo=True, today=TODAY, min_shelf_life_days=30) == []


def test_fefo_goods_without_a_known_expiry_go_last() -> None:
    buckets = [
        Bucket(1, 10, "pickable", at(1), expiry=None),
        Bucket(2, 10, "storage", at(9), expiry=date(2027, 3, 1)),
    ]
    assert allocate_line(12, buckets, fefo=True, today=TODAY).takes == (Take(2, 10), Take(1, 2))


def test_expiry_dates_do_not_matter_for_goods_that_are_not_expiry_tracked() -> None:
    buckets = [
        Bucket(1, 10, "pickable", at(5), expiry=TODAY - timedelta(days=400)),
        Bucket(2, 10, "pickable", at(1), expiry=date(2030, 1, 1)),
    ]
    assert allocate_line(15, buckets, fefo=False, today=TODAY).takes == (Take(2, 10), Take(1, 5))


def test_ties_follow_the_pick_path() -> None:
    buckets = [
        Bucket(1, 1, "pickable", at(1), location_sequence=9),
        Bucket(2, 1, "pickable", at(1)),
    ]
    assert allocate_line(1, buckets, fefo=False, today=TODAY).takes == (Take(2, 1),)


def _pool(**stock: list[Bucket]) -> StockPool:
    return StockPool({int(k[1:]): v for k, v in stock.items()}, fefo_products=(), today=TODAY)


def test_a_pool_hands_out_each_unit_once_across_lines() -> None:
    pool = _pool(p1=[Bucket(1, 3, "pickable", at(1)), Bucket(2, 4, "storage", at(1))])
    assert pool.take(1, 2).takes == (Take(1, 2),)
    assert pool.take(1, 2).takes == (Take(1, 1), Take(2, 1))
    assert pool.available(1) == 3
    last = pool.take(1, 5)
    assert (last.allocated, last.short) == (3, 2)
    assert pool.available(1) == 0
    assert pool.take(99, 1).short == 1


def test_a_pool_rolls_back_to_a_checkpoint() -> None:
    pool = _pool(p1=[Bucket(1, 3, "pickable", at(1)), Bucket(2, 4, "storage", at(1))])
    pool.take(1, 1)
    mark = pool.checkpoint()
    pool.take(1, 5)
    assert pool.available(1) == 1
    pool.rollback(mark)
    assert pool.available(1) == 6
    assert pool.take(1, 6).takes == (Take(1, 2), Take(2, 4))


HOLD = AllocationRules(ShortagePolicy.HOLD)
BACKORDER = AllocationRules(ShortagePolicy.BACKORDER)


def test_hold_policy_reserves_nothing_and_names_sku_and_shortfall() -> None:
    pool = _pool(p1=[Bucket(1, 5, "pickable", at(1))], p2=[Bucket(2, 1, "pickable", at(1))])
    plan = plan_order([LineNeed(10, "CUP-1", 1, 3), LineNeed(11, "LID-2", 2, 4)], pool, HOLD)
    assert plan.outcome is Outcome.HELD
    assert plan.reserved_units == 0
    assert [h.code for h in plan.holds] == ["short_stock"]
    assert (
        "LID-2" in plan.holds[0].reason and "4 wanted, 1 available, 3 short" in plan.holds[0].reason
    )
    assert pool.available(1) == 5 and pool.available(2) == 1


def test_backorder_policy_reserves_what_is_there() -> None:
    pool = _pool(p1=[Bucket(1, 5, "pickable", at(1))], p2=[Bucket(2, 1, "pickable", at(1))])
    plan = plan_order([LineNeed(10, "CUP-1", 1, 3), LineNeed(11, "LID-2", 2, 4)], pool, BACKORDER)
    assert plan.outcome is Outcome.PARTIAL
    assert plan.reserved_units == 4
    assert plan.short_lines == {11: 3}
    none_left = plan_order([LineNeed(12, "LID-2", 2, 2)], pool, BACKORDER)
    assert none_left.outcome is Outcome.BACKORDERED
    assert none_left.short_lines == {12: 2}


def test_lines_that_need_no_shipping_need_no_stock() -> None:
    plan = plan_order([LineNeed(1, "GIFT-CARD", None, 1, requires_shipping=False)], _pool(), HOLD)
    assert plan.outcome is Outcome.ALLOCATED and plan.reserved_units == 0


def test_unknown_skus_and_bad_quantities_hold_the_order_under_either_policy() -> None:
    for rules in (HOLD, BACKORDER):
        plan = plan_order([LineNeed(1, "NOPE", None, 1), LineNeed(2, "X", 1, 0)], _pool(), rules)
        assert plan.outcome is Outcome.HELD
        assert {h.code for h in plan.holds} == {"unknown_sku", "bad_quantity"}


buckets_st = st.lists(
    st.builds(
        Bucket,
        stock_level_id=st.integers(1, 10_000),
        free=st.integers(0, 20),
        location_kind=st.sampled_from(["pickable", "storage", "staging"]),
        first_received_at=st.integers(0, 100).map(at),
        expiry=st.none() | st.integers(-10, 60).map(lambda d: TODAY + timedelta(days=d)),
    ),
    max_size=8,
    unique_by=lambda b: b.stock_level_id,
)


@given(buckets_st, st.integers(0, 120), st.booleans(), st.integers(0, 40))
def test_a_line_never_gets_more_than_it_wants_or_than_is_usable(
    buckets: list[Bucket], qty: int, fefo: bool, shelf: int
) -> None:
    got = allocate_line(qty, buckets, fefo=fefo, today=TODAY, min_shelf_life_days=shelf)
    usable = {
        b.stock_level_id: b.free
        for b in rank(buckets, fefo=fefo, today=TODAY, min_shelf_life_days=shelf)
    }
    assert got.allocated == min(qty, sum(usable.values()))
    for t in got.takes:
        assert 0 < t.qty <= usable[t.stock_level_id]
    assert len({t.stock_level_id for t in got.takes}) == len(got.takes)
