"""The aisle graph: walking distances between points, the corners of a walk, the matrix."""

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.layout import (
    Aisle,
    Depot,
    Layout,
    Point,
    demo_like_layout,
    distance_matrix,
    single_block_layout,
    walk_distance,
    walk_leg,
)

DEMO = demo_like_layout()
BLOCK = single_block_layout()


def _aisle_point(layout: Layout, i: int, y: float) -> Point:
    a = layout.aisles[i]
    return Point(a.x, y, a.code)


def test_walks_follow_aisles_and_the_cross_aisle_that_makes_them_shortest() -> None:
    a, b = _aisle_point(DEMO, 0, 13.0), _aisle_point(DEMO, 3, 16.0)
    assert walk_distance(DEMO, _aisle_point(DEMO, 2, 4.0), _aisle_point(DEMO, 2, 27.5)) == 23.5
    assert walk_distance(DEMO, a, b) == 9.0 + 2.0 + 1.0
    assert walk_distance(BLOCK, a, b) == 9.0 + 13.0 + 16.0
    assert walk_distance(DEMO, DEMO.depot_point(), _aisle_point(DEMO, 1, 22.0)) == 6.0 + 22.0
    # two points on different cross aisles, with no aisle between them: over to the nearest
    layout = Layout(
        "W",
        (Aisle("A", 10.0, 0.0, 20.0), Aisle("B", 14.0, 0.0, 20.0)),
        (0.0, 20.0),
        (Depot("D", 2.0, 0.0),),
    )
    front, back = Point(2.0, 0.0), Point(4.0, 20.0)
    assert walk_distance(layout, front, back) == 8.0 + 20.0 + 6.0
    assert walk_leg(layout, front, back) == [(2.0, 0.0), (10.0, 0.0), (10.0, 20.0), (4.0, 20.0)]


def test_points_at_the_same_place_are_no_walk_apart() -> None:
    p = _aisle_point(DEMO, 5, 7.5)
    assert walk_distance(DEMO, p, Point(p.x, p.y)) == 0.0
    assert walk_leg(DEMO, p, p) == [(p.x, p.y)]


points = st.builds(
    lambda i, y: _aisle_point(DEMO, i, y),
    st.integers(0, len(DEMO.aisles) - 1),
    st.floats(0.0, 30.0, allow_nan=False).map(lambda y: round(y, 2)),
) | st.builds(
    Point,
    st.floats(-5.0, 45.0, allow_nan=False).map(lambda x: round(x, 2)),
    st.sampled_from(DEMO.cross_aisles),
)


@given(points, points, points)
def test_a_walk_leg_goes_along_aisles_and_cross_aisles_and_is_the_shortest_walk(
    a: Point, b: Point, c: Point
) -> None:
    leg = walk_leg(DEMO, a, b)
    assert leg[0] == (a.x, a.y) and leg[-1] == (b.x, b.y)
    assert all(p[0] == q[0] or p[1] == q[1] for p, q in pairwise(leg))
    walked = sum(abs(p[0] - q[0]) + abs(p[1] - q[1]) for p, q in pairwise(leg))
    assert walked == pytest.approx(walk_distance(DEMO, a, b))
    direct = walk_distance(DEMO, a, b)
    assert direct == pytest.approx(walk_distance(DEMO, b, a))
    assert direct >= abs(a.x - b.x) + abs(a.y - b.y) - 1e-9
    assert direct <= walk_distance(DEMO, a, c) + walk_distance(DEMO, c, b) + 1e-9


def test_the_distance_matrix_holds_the_walking_distance_between_every_two_points() -> None:
    pts = [DEMO.depot_point(), *(_aisle_point(DEMO, i, 1.5 + 2.5 * i) for i in range(12))]
    m = distance_matrix(DEMO, pts)
    for i, a in enumerate(pts):
        for j, b in enumerate(pts):
            assert m[i][j] == walk_distance(DEMO, a, b)
