"""The carton fit without a database: shape, not volume; rotations; units of unknown size; the
weight limit with the tare; polybags; the choice rule; and a property test that every reported
placement stays inside the carton without two units overlapping."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.cartons import Carton, ItemBox, Placed, fits, placement, suggest, suggest_carton

SMALL = Carton("S", "box", 200, 150, 100, tare_g=100, max_weight_g=5000, package_type_id=1)
MEDIUM = Carton("M", "box", 300, 250, 200, tare_g=200, max_weight_g=10000, package_type_id=2)
LARGE = Carton("L", "box", 600, 400, 400, tare_g=400, max_weight_g=20000, package_type_id=3)
BAG = Carton("BAG", "polybag", 0, 0, 0, tare_g=10, max_weight_g=2000, package_type_id=4)


def test_two_long_rods_that_fit_by_volume_and_length_but_not_side_by_side_are_refused() -> None:
    rods = ItemBox(250, 20, 20, weight_g=100, qty=2)  # 200 cm³ into 234 cm³, 250 mm into 260
    tube = Carton("TUBE", "box", 260, 30, 30)
    assert not fits([rods], tube)
    assert fits([ItemBox(250, 20, 20)], tube)
    assert suggest_carton([rods], [tube, MEDIUM]) == MEDIUM


def test_a_thick_item_that_fits_by_volume_and_length_is_refused() -> None:
    plank = ItemBox(190, 140, 110, weight_g=100)  # every side but one fits
    assert plank.length_mm * plank.width_mm * plank.height_mm < SMALL.volume_mm3
    assert not fits([plank], SMALL)


def test_three_cubes_in_a_flat_box_are_refused_though_their_volume_fits() -> None:
    flat = Carton("FLAT", "box", 300, 300, 60, tare_g=50)
    cube = ItemBox(100, 100, 100, weight_g=200, qty=3)  # 3,000 cm³ of 5,400
    assert flat.volume_mm3 > 3 * 100**3
    assert not fits([cube], flat)


def test_two_flat_books_need_a_rotation_and_the_packing_finds_it() -> None:
    # 180 x 40 x 140 each: standing as given they are 140 mm high, the box is 100 mm high;
    # laid flat (40 mm) two stack to 80 mm
    book = ItemBox(180, 40, 140, weight_g=300, qty=2)
    box = Carton("B", "box", 200, 150, 100)
    placed = placement([book], box)
    assert placed is not None and len(placed) == 2
    assert all(p.h <= 100 and (p.l, p.w, p.h) != (180, 40, 140) for p in placed)


def test_units_fill_a_box_exactly_in_two_layers() -> None:
    placed = placement([ItemBox(50, 50, 50, qty=24)], Carton("X", "box", 200, 150, 100))
    assert placed is not None  # 4 x 3 x 2, no gap
    assert {p.z for p in placed} == {0, 50}
    assert len({(p.x, p.y, p.z) for p in placed}) == 24
    assert not fits([ItemBox(50, 50, 50, qty=25)], Carton("X", "box", 200, 150, 100))


def test_mixed_sizes_fill_one_box_largest_first() -> None:
    items = [ItemBox(100, 75, 100, qty=2), ItemBox(100, 150, 100)]
    placed = placement(items, Carton("X", "box", 200, 150, 100))
    assert placed is not None and len(placed) == 3
    assert placed[0].item == 1 and (placed[0].x, placed[0].y, placed[0].z) == (0, 0, 0)


def test_units_of_unknown_size_count_by_weight_only_and_are_counted() -> None:
    unknown = ItemBox(0, 80, 0, weight_g=400, qty=3)
    cube = ItemBox(100, 100, 90, weight_g=100)
    found = suggest([unknown, cube], [MEDIUM, SMALL])
    assert found.carton == SMALL
    assert found.unknown_size_units == 3 and found.items_g == 1300
    # their weight still counts: 3 x 2 kg does not go into the 5 kg box
    heavy = ItemBox(0, 0, 0, weight_g=2000, qty=3)
    assert suggest([heavy, cube], [SMALL, MEDIUM]).carton == MEDIUM


def test_the_choice_is_the_smallest_box_then_the_lightest_bag_then_nothing() -> None:
    # the smallest box that fits, whatever order the cartons come in
    assert suggest_carton([ItemBox(250, 200, 150, weight_g=800)], [LARGE, BAG, MEDIUM]) == MEDIUM
    # the maximum weight includes the tare: 2 kg with a 300 g box holds 1.7 kg of items
    box = Carton("W", "box", 300, 300, 300, tare_g=300, max_weight_g=2000)
    assert fits([ItemBox(10, 10, 10, weight_g=1700)], box)
    assert not fits([ItemBox(10, 10, 10, weight_g=1701)], box)
    # no box fits: the bag; only bags: the one with the lower limit that holds the weight
    huge = ItemBox(900, 100, 100, weight_g=500)
    assert suggest_carton([huge], [SMALL, MEDIUM, LARGE, BAG]) == BAG
    shirt = ItemBox(300, 200, 20, weight_g=250)
    bigger_bag = Carton("BAG-L", "polybag", 0, 0, 0, tare_g=20, max_weight_g=0)
    assert suggest_carton([shirt], [bigger_bag, BAG]) == BAG
    assert suggest_carton([ItemBox(10, 10, 10, weight_g=1995)], [BAG, bigger_bag]) == bigger_bag
    # nothing holds them
    assert suggest([ItemBox(900, 900, 900, weight_g=30000)], [SMALL, BAG]).carton is None
    assert suggest([ItemBox(10, 10, 10)], []).carton is None


def _inside(p: Placed, c: Carton) -> bool:
    return (
        min(p.x, p.y, p.z) >= 0
        and p.x + p.l <= c.length_mm
        and p.y + p.w <= c.width_mm
        and p.z + p.h <= c.height_mm
    )


def _overlap(a: Placed, b: Placed) -> bool:
    return (
        a.x < b.x + b.l
        and b.x < a.x + a.l
        and a.y < b.y + b.w
        and b.y < a.y + a.w
        and a.z < b.z + b.h
        and b.z < a.z + a.h
    )


dims = st.integers(min_value=5, max_value=200)
item_boxes = st.lists(
    st.builds(ItemBox, dims, dims, dims, st.just(10), st.integers(min_value=1, max_value=4)),
    min_size=1,
    max_size=8,
)
cartons = st.builds(
    Carton, st.just("C"), st.just("box"), dims.map(lambda d: d * 2), dims, dims.map(lambda d: d + 5)
)


@settings(max_examples=400, deadline=None)
@given(item_boxes, cartons)
def test_a_reported_placement_keeps_every_unit_inside_and_apart_in_one_of_its_rotations(
    items: list[ItemBox], carton: Carton
) -> None:
    placed = placement(items, carton)
    if placed is None:
        return
    assert sorted(p.item for p in placed) == sorted(
        i for i, item in enumerate(items) for _ in range(item.qty)
    )
    for n, p in enumerate(placed):
        item = items[p.item]
        assert sorted((p.l, p.w, p.h)) == sorted((item.length_mm, item.width_mm, item.height_mm))
        assert _inside(p, carton)
        assert not any(_overlap(p, q) for q in placed[n + 1 :])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.builds(ItemBox, dims, dims, dims), min_size=1, max_size=6))
def test_units_that_fit_side_by_side_along_the_length_are_always_found(
    items: list[ItemBox],
) -> None:
    # a carton exactly as long as the units laid end to end, as wide and high as the widest
    length = sum(i.length_mm for i in items)
    carton = Carton(
        "C",
        "box",
        length,
        max(i.width_mm for i in items),
        max(i.height_mm for i in items),
    )
    placed = placement(items, carton)
    assert placed is not None and all(_inside(p, carton) for p in placed)


def test_an_envelope_with_a_size_is_a_flat_box_and_takes_a_document() -> None:
    envelope = Carton("ENV", "envelope", 320, 230, 20, tare_g=25, max_weight_g=500)
    document = ItemBox(297, 210, 5, weight_g=120)
    assert not envelope.flexible
    found = suggest([document], [SMALL, envelope, BAG])
    assert found.carton == envelope
    assert suggest([ItemBox(100, 100, 30, weight_g=120)], [SMALL, envelope, BAG]).carton == SMALL
