"""The router against an exact oracle (Held-Karp over the aisle graph's shortest-path
distances), its promises for every route, and the walk drawn on the map."""

import random
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.layout import (
    Layout,
    Point,
    demo_like_layout,
    distance_matrix,
    grid_layout,
    single_block_layout,
)
from app.domain.routing import (
    Route,
    Stop,
    largest_gap_route,
    plan_route,
    route_length,
    s_shape_route,
    walk_path,
)
from app.domain.routing.tour_search import held_karp, tour_length

DEMO = demo_like_layout()
BLOCK = single_block_layout()
#: five cross aisles: beyond the aisle programme, so the search path is used
MANY = grid_layout("MANY", 8, 3.0, (0.0, 8.0, 16.0, 24.0, 32.0))


def _stop(layout: Layout, key: str, aisle: int, y: float) -> Stop:
    a = layout.aisles[aisle]
    return Stop(key, Point(a.x, y, a.code))


def random_stops(layout: Layout, rng: random.Random, n: int) -> list[Stop]:
    """``n`` pick lines at access points on half-metre steps (so some share a place)."""
    back = layout.back
    return [
        _stop(
            layout,
            f"L{k}",
            rng.randrange(len(layout.aisles)),
            rng.randint(1, int(2 * back) - 1) / 2,
        )
        for k in range(n)
    ]


def optimal_length(layout: Layout, stops: list[Stop]) -> float:
    """Held-Karp over the distinct places' shortest-path distances: the exact oracle."""
    places = list({(s.point.x, s.point.y): s.point for s in stops}.values())
    d = distance_matrix(layout, [layout.depot_point(), *places])
    return tour_length(d, held_karp(d))


@pytest.mark.parametrize("layout", [BLOCK, DEMO], ids=["single block", "demo-like"])
def test_the_route_is_exactly_as_short_as_the_optimal_tour(layout: Layout) -> None:
    rng = random.Random(10)
    for _ in range(150):
        stops = random_stops(layout, rng, rng.randint(1, 9))
        assert plan_route(layout, stops).length_m == pytest.approx(
            optimal_length(layout, stops), abs=1e-9
        )


@pytest.mark.parametrize("layout", [BLOCK, DEMO], ids=["single block", "demo-like"])
def test_longer_routes_are_optimal_too(layout: Layout) -> None:
    rng = random.Random(11)
    for _ in range(4):
        stops = random_stops(layout, rng, 12)
        assert plan_route(layout, stops).length_m == pytest.approx(
            optimal_length(layout, stops), abs=1e-9
        )


def test_with_more_cross_aisles_the_search_stays_within_five_percent_of_optimal() -> None:
    rng = random.Random(12)
    ratios = []
    for n in (4, 8, 10, 11, 12, 12):
        stops = random_stops(MANY, rng, n)
        ratios.append(plan_route(MANY, stops).length_m / optimal_length(MANY, stops))
    assert max(ratios) <= 1.05
    assert sum(ratios) / len(ratios) <= 1.01


def test_the_depot_can_be_on_the_back_cross_aisle_or_another_depot() -> None:
    rng = random.Random(13)
    back = Point(20.0, DEMO.back)
    for _ in range(40):
        stops = random_stops(DEMO, rng, rng.randint(1, 8))
        places = list({(s.point.x, s.point.y): s.point for s in stops}.values())
        d = distance_matrix(DEMO, [back, *places])
        route = plan_route(DEMO, stops, back)
        assert route.length_m == pytest.approx(tour_length(d, held_karp(d)), abs=1e-9)
        assert route.length_m == pytest.approx(route_length(DEMO, route.stops, back))
    assert plan_route(DEMO, [], back) == Route((), 0.0)
    at_depot = plan_route(DEMO, [_stop(DEMO, "A12-20", 11, 20.0), Stop("bench", back)], back)
    assert [s.key for s in at_depot.stops] == ["bench", "A12-20"]


def test_four_cross_aisles_a_depot_in_the_middle_and_stops_at_crossings_are_still_optimal() -> None:
    grid = grid_layout("K4", 10, 2.5, (0.0, 10.0, 20.0, 30.0))
    depot = Point(13.0, 20.0)
    rng = random.Random(16)
    for _ in range(60):
        stops = [
            _stop(grid, f"L{k}", rng.randrange(10), rng.choice([rng.randint(1, 59) / 2, 10.0]))
            for k in range(rng.randint(1, 8))
        ]
        places = list({(s.point.x, s.point.y): s.point for s in stops}.values())
        d = distance_matrix(grid, [depot, *places])
        assert plan_route(grid, stops, depot).length_m == pytest.approx(
            tour_length(d, held_karp(d)), abs=1e-9
        )


def test_a_stop_beyond_the_back_cross_aisle_is_still_routed_well() -> None:
    stops = [
        _stop(DEMO, "far", 4, 33.0),
        *(_stop(DEMO, f"A{i}", i, 28.0 if i % 2 else 2.0) for i in range(8)),
    ]
    assert plan_route(DEMO, stops).length_m == pytest.approx(optimal_length(DEMO, stops))


def test_each_key_once_and_stops_at_one_access_point_together_on_the_shortest_walk() -> None:
    left, right = _stop(DEMO, "A03-L", 2, 10.0), _stop(DEMO, "A03-R", 2, 10.0)
    twice = _stop(DEMO, "A01-05", 0, 5.0)
    stops = [
        left,
        twice,
        _stop(DEMO, "far", 10, 25.0),
        _stop(DEMO, "A02-28", 1, 28.0),
        right,
        twice,
        _stop(DEMO, "A04-02", 3, 2.0),
    ]
    route = plan_route(DEMO, stops)
    keys = [s.key for s in route.stops]
    assert sorted(keys) == sorted({s.key for s in stops})
    assert abs(keys.index("A03-L") - keys.index("A03-R")) == 1
    assert route.length_m == pytest.approx(optimal_length(DEMO, stops))


def test_s_shape_walks_each_aisle_through_in_turn() -> None:
    stops = [
        _stop(BLOCK, "c-low", 2, 5.0),
        _stop(BLOCK, "a-high", 0, 20.0),
        _stop(BLOCK, "b-low", 1, 4.0),
        _stop(BLOCK, "a-low", 0, 2.0),
        _stop(BLOCK, "b-high", 1, 25.0),
        _stop(BLOCK, "c-high", 2, 28.0),
    ]
    route = s_shape_route(BLOCK, stops)
    assert [s.key for s in route.stops] == ["a-low", "a-high", "b-high", "b-low", "c-low", "c-high"]


def test_largest_gap_enters_an_aisle_from_both_ends_up_to_its_largest_gap() -> None:
    stops = [
        _stop(BLOCK, "mid-front", 3, 2.0),
        _stop(BLOCK, "mid-back", 3, 28.0),
        _stop(BLOCK, "first", 0, 10.0),
        _stop(BLOCK, "last", 6, 12.0),
    ]
    route = largest_gap_route(BLOCK, stops)
    assert [s.key for s in route.stops] == ["first", "mid-back", "last", "mid-front"]


def test_the_route_beats_s_shape_and_largest_gap_on_average() -> None:
    rng = random.Random(14)
    for layout in (BLOCK, DEMO):
        best = s_shape = gap = 0.0
        for _ in range(40):
            stops = random_stops(layout, rng, rng.randint(5, 30))
            best += plan_route(layout, stops).length_m
            s_shape += s_shape_route(layout, stops).length_m
            gap += largest_gap_route(layout, stops).length_m
        assert best < 0.97 * s_shape and best < 0.97 * gap


def test_the_walk_path_goes_along_aisles_through_every_stop_and_is_the_route_length() -> None:
    rng = random.Random(15)
    for _ in range(30):
        stops = random_stops(DEMO, rng, rng.randint(1, 20))
        route = plan_route(DEMO, stops)
        path = walk_path(DEMO, route.stops)
        depot = DEMO.depot_point()
        assert path[0] == path[-1] == (depot.x, depot.y)
        assert all(p[0] == q[0] or p[1] == q[1] for p, q in pairwise(path))
        walked = sum(abs(p[0] - q[0]) + abs(p[1] - q[1]) for p, q in pairwise(path))
        assert walked == pytest.approx(route.length_m)
        where = [path.index((s.point.x, s.point.y)) for s in route.stops]
        assert where == sorted(where)


layouts = st.sampled_from([BLOCK, DEMO, MANY])


@st.composite
def pick_lists(draw: st.DrawFn) -> tuple[Layout, list[Stop]]:
    layout = draw(layouts)
    lines = draw(
        st.lists(
            st.tuples(
                st.integers(0, len(layout.aisles) - 1),
                st.integers(0, int(2 * layout.back)).map(lambda y: y / 2),
                st.sampled_from([f"L{i}" for i in range(1, 10)]),
            ),
            max_size=14,
        )
    )
    return layout, [_stop(layout, key, i, y) for i, y, key in lines]


@settings(max_examples=150, deadline=None)
@given(pick_lists())
def test_every_route_visits_each_key_once_and_its_length_is_that_walk(
    case: tuple[Layout, list[Stop]],
) -> None:
    layout, stops = case
    planned = plan_route(layout, stops)
    for route in (planned, s_shape_route(layout, stops), largest_gap_route(layout, stops)):
        assert sorted(s.key for s in route.stops) == sorted({s.key for s in stops})
        assert route_length(layout, route.stops) == route.length_m
        assert planned.length_m <= route.length_m + 1e-9
    first = list({s.key: s for s in reversed(stops)}.values())[::-1]
    assert planned.length_m <= route_length(layout, first) + 1e-9
