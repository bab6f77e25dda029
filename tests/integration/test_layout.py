"""Warehouse layouts on SQLite and PostgreSQL: loading a layout file (replaced in one unit of
work, audited, a bad file changes nothing), the layout as screens see it, and routes through
location codes."""

from __future__ import annotations

import math
import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.bootstrap import Services
from app.db.models import AuditEntry, LayoutAisle, LayoutCrossAisle, LayoutDepot, Location
from app.domain.errors import PermissionDenied, ValidationError
from app.domain.layout import Point, walk_distance
from app.domain.routing import Stop, route_length
from app.domain.users import Actor, Role
from app.services import layout_load, layouts
from app.services.layout_store import load_layout
from app.services.layout_views import LayoutView
from tests.conftest import make_actor
from tests.order_action_fixtures import add_location, add_products, receive

LAYOUTS = Path(__file__).parents[1] / "data" / "layouts"


@pytest.fixture
def shop(services: Services, admin: Actor) -> Services:
    """Warehouse WH1 with the locations the single-block layout names, and some stock."""
    add_products(services, "CUP", "TEA")
    for code, kind in [
        ("A-01", "pickable"),
        ("A-02", "pickable"),
        ("B-01", "pickable"),
        ("C-01", "pickable"),
        ("S-01", "storage"),
        ("R-01", "receiving"),
    ]:
        add_location(services, code, kind)
    receive(services, admin, "A-01", "CUP", 5)
    return services


def _load(services: Services, actor: Actor, name: str) -> layout_load.LayoutLoadReport:
    return services.run(layout_load.load_layout_file, actor, LAYOUTS / name)


def _rows(services: Services) -> dict[str, int]:
    with services.uow() as uow:
        s = uow.session
        return {
            t.__tablename__: s.scalar(select(func.count()).select_from(t)) or 0
            for t in (LayoutAisle, LayoutCrossAisle, LayoutDepot)
        }


@pytest.mark.parametrize("name", ["single_block.toml", "single_block.csv"])
def test_a_layout_file_in_either_format_gives_the_same_layout_and_moves_the_locations(
    shop: Services, admin: Actor, name: str
) -> None:
    report = _load(shop, admin, name)
    assert report.problems == ()
    assert (report.aisles, report.cross_aisles, report.depots, report.zones) == (3, 2, 1, 2)
    assert report.locations == 5 and report.warehouse == "WH1"
    view = shop.run(layouts.layout_view, admin)
    assert [(a.code, a.x, a.y_from, a.y_to) for a in view.aisles] == [
        ("A", 0.0, 0.0, 10.0),
        ("B", 4.0, 0.0, 10.0),
        ("C", 8.0, 0.0, 10.0),
    ]
    assert [(c.y, c.name) for c in view.cross_aisles] == [(0.0, "front"), (10.0, "back")]
    assert view.depot is not None and (view.depot.code, view.depot.is_default) == ("DOCK", True)
    assert [(z.code, z.colour) for z in view.zones] == [("A", "#0072B2"), ("S", "")]
    # the pickable and storage locations at their access points; receiving is not pickable
    assert [(loc.code, loc.aisle, loc.x, loc.y) for loc in view.locations] == [
        ("A-01", "A", 0.0, 2.0),
        ("A-02", "A", 0.0, 8.0),
        ("B-01", "B", 4.0, 5.0),
        ("C-01", "C", 8.0, 3.0),
        ("S-01", "C", 8.0, 9.0),
    ]
    a02 = next(loc for loc in view.locations if loc.code == "A-02")
    assert a02.rack_x == 0.9  # its own x, set by the file
    a01 = next(loc for loc in view.locations if loc.code == "A-01")
    assert (a01.on_hand, a01.reserved) == (5, 0)


def test_loading_again_replaces_the_layout_and_is_audited(shop: Services, admin: Actor) -> None:
    _load(shop, admin, "single_block.toml")
    report = _load(shop, admin, "middle.toml")
    assert report.problems == ()
    assert _rows(shop) == {"layout_aisles": 2, "layout_cross_aisles": 3, "layout_depots": 1}
    with shop.uow() as uow:
        entries = uow.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "layout.load").order_by(AuditEntry.id)
        ).all()
        assert len(entries) == 2
        assert entries[1].before is not None and entries[1].before["layout_aisles"] == 3
        assert entries[1].after is not None and entries[1].after["layout_cross_aisles"] == 3
        layout = load_layout(uow, int(entries[1].entity_id))
    assert layout is not None and layout.cross_aisles == (0.0, 10.0, 20.0)


def test_a_bad_file_lists_every_problem_by_row_and_changes_nothing(
    shop: Services, admin: Actor
) -> None:
    _load(shop, admin, "single_block.toml")
    before = _rows(shop)
    report = _load(shop, admin, "bad.csv")
    assert not report.loaded and report.row_word == "row"
    found = [(p.row, p.template) for p in report.problems]
    assert [row for row, _ in found] == [0, 2, 4, 5, 8, 9, 10, 11]
    reasons = [p.reason for p in report.problems]
    assert "1 cross aisles" in reasons[0]
    assert "'zero', not a number" in reasons[1]
    assert "B is given twice (first at 3)" in reasons[2]
    assert "y_from 7 must be less than y_to 3" in reasons[3]
    assert "DOCK at y 1 is not on a cross aisle" in reasons[4]
    assert "aisle Q is not in the layout" in reasons[5]
    assert "y 12 is outside aisle B" in reasons[6]
    assert "NOPE-9 is not a location of warehouse WH1" in reasons[7]
    assert (report.aisles, report.locations) == (0, 0)
    assert _rows(shop) == before
    with shop.uow() as uow:
        b01 = uow.session.scalar(select(Location).where(Location.code == "B-01"))
        assert b01 is not None and (b01.aisle, b01.y) == ("B", 5.0)


def test_an_aisle_short_of_the_back_cross_aisle_is_refused_at_its_line(
    shop: Services, admin: Actor, tmp_path: Path
) -> None:
    text = (LAYOUTS / "single_block.toml").read_text(encoding="utf-8")
    short = tmp_path / "short.toml"
    short.write_text(text.replace("y_to = 10.0", "y_to = 9.0", 1), encoding="utf-8")
    report = shop.run(layout_load.load_layout_file, admin, short)
    assert report.row_word == "line"
    line = text.splitlines().index("[[aisle]]") + 1
    assert [(p.row, p.reason) for p in report.problems] == [
        (
            line,
            "Aisle A runs from y 0 to 9 but must reach the front and back cross aisles "
            "(y 0 and 10). Extend it.",
        )
    ]
    assert _rows(shop) == {"layout_aisles": 0, "layout_cross_aisles": 0, "layout_depots": 0}


def test_loading_a_layout_needs_the_settings_permission(
    shop: Services, admin: Actor, tmp_path: Path
) -> None:
    picker = make_actor(shop, admin, Role.PICKER)
    path = tmp_path / "layout.toml"
    shutil.copy(LAYOUTS / "single_block.toml", path)
    with pytest.raises(PermissionDenied):
        shop.run(layout_load.load_layout_file, picker, path)
    assert _rows(shop)["layout_aisles"] == 0
    # a picker may still see the layout (the pick screen's map)
    assert shop.run(layouts.layout_view, picker).is_empty


def test_a_route_visits_each_location_once_and_its_length_is_that_order_walked(
    shop: Services, admin: Actor
) -> None:
    _load(shop, admin, "single_block.toml")
    codes = ["C-01", "A-02", "B-01", "A-01", "C-01", "LOC-S-01"]  # a repeat; a barcode
    d = shop.run(layouts.route_locations, admin, codes)
    assert sorted(s.location for s in d.stops) == ["A-01", "A-02", "B-01", "C-01", "S-01"]
    assert [s.number for s in d.stops] == [1, 2, 3, 4, 5]
    with shop.uow() as uow:
        wid = uow.session.scalar(select(Location.warehouse_id).limit(1))
        assert wid is not None
        layout = load_layout(uow, wid)
    assert layout is not None
    walked = route_length(layout, [Stop(s.location, Point(s.x, s.y, s.aisle)) for s in d.stops])
    assert d.length_m == pytest.approx(walked)
    # the drawn path starts and ends at the depot and passes every stop in order
    assert d.path[0] == d.path[-1] == (4.0, 0.0)
    assert passes_in_order(d.path, [(s.x, s.y) for s in d.stops])
    # no order of the stops can be shorter than walking straight to the farthest and back
    far = max(
        walk_distance(layout, layout.depot_point(), Point(s.x, s.y, s.aisle)) for s in d.stops
    )
    assert d.length_m >= 2 * far
    assert d.s_shape_m > 0 and d.largest_gap_m > 0


def passes_in_order(path: Sequence[tuple[float, float]], points: list[tuple[float, float]]) -> bool:
    """Whether the polyline ``path`` passes through ``points`` one after the other."""
    segment, along = 0, 0.0
    for px, py in points:
        while segment < len(path) - 1:
            (ax, ay), (bx, by) = path[segment], path[segment + 1]
            length = math.hypot(bx - ax, by - ay)
            cross = (bx - ax) * (py - ay) - (by - ay) * (px - ax)
            t = ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / length if length else 0.0
            if abs(cross) < 1e-6 * max(length, 1.0) and along - 1e-9 <= t <= length + 1e-9:
                along = t
                break
            segment, along = segment + 1, 0.0
        else:
            return False
    return True


def test_routing_an_unknown_location_names_it_and_routes_nothing(
    shop: Services, admin: Actor
) -> None:
    _load(shop, admin, "single_block.toml")
    with pytest.raises(ValidationError) as err:
        shop.run(layouts.route_locations, admin, ["A-01", "ZZ-9", "QQ-1"])
    assert err.value.params["codes"] == "ZZ-9, QQ-1"


def test_routing_without_a_layout_says_how_to_load_one(shop: Services, admin: Actor) -> None:
    with pytest.raises(ValidationError) as err:
        shop.run(layouts.route_locations, admin, ["A-01"])
    assert "has no layout yet" in err.value.message and "WH1" in err.value.message


def test_a_location_whose_aisle_is_not_in_the_layout_cannot_be_routed(
    shop: Services, admin: Actor
) -> None:
    _load(shop, admin, "middle.toml")  # aisles A and B only; no location rows
    with pytest.raises(ValidationError) as err:
        shop.run(layouts.route_locations, admin, ["A-01", "R-01"])
    assert err.value.params["codes"] == "A-01, R-01"  # neither has an aisle set


def test_route_drawing_gives_a_pick_list_the_layout_the_path_and_numbered_stops(
    shop: Services, admin: Actor
) -> None:
    _load(shop, admin, "single_block.toml")
    with shop.uow() as uow:
        ids = dict(uow.session.execute(select(Location.code, Location.id)).tuples().all())
        wid = uow.session.scalar(select(Location.warehouse_id).limit(1))
        assert wid is not None
        d = layouts.route_drawing(uow, wid, [ids["C-01"], ids["A-01"], ids["C-01"]])
    assert [s.location for s in d.stops] in (["A-01", "C-01"], ["C-01", "A-01"])
    assert d.layout.locations == ()  # a drawing carries the layout without its locations
    assert [a.code for a in d.layout.aisles] == ["A", "B", "C"]
    assert d.layout.depot is not None and d.path[0] == (d.layout.depot.x, d.layout.depot.y)


def _walkable(view: LayoutView, a: tuple[float, float], b: tuple[float, float]) -> bool:
    """A straight leg along an aisle's centre line or along a cross aisle."""
    if a[0] == b[0]:
        return a[0] in {x.x for x in view.aisles} or a[1] == b[1]
    return a[1] == b[1] and a[1] in {c.y for c in view.cross_aisles}


@pytest.mark.parametrize("name", ["single_block.toml", "middle.toml"])
def test_the_route_is_no_longer_than_s_shape_and_its_path_walks_only_aisles(
    shop: Services, admin: Actor, name: str
) -> None:
    _load(shop, admin, "single_block.toml")  # puts the locations on aisles A, B and C
    if name == "middle.toml":
        _load(shop, admin, "middle.toml")  # aisles A and B only, with a middle cross aisle
        codes = ["A-01", "A-02", "B-01"]
    else:
        codes = ["C-01", "A-02", "B-01", "A-01", "S-01"]
    d = shop.run(layouts.route_locations, admin, codes)
    assert d.length_m <= d.s_shape_m + 1e-9 and d.length_m <= d.largest_gap_m + 1e-9
    legs = list(zip(d.path, d.path[1:], strict=False))
    assert all(_walkable(d.layout, a, b) for a, b in legs), d.path
    walked = sum(abs(a[0] - b[0]) + abs(a[1] - b[1]) for a, b in legs)
    assert walked == pytest.approx(d.length_m)
