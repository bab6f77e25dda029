"""The demo warehouse's layout: a front, a middle and a back cross aisle, every location
allocation may pick from on an aisle of the layout, and routes on it."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from app.bootstrap import Services
from app.db.models import Location
from app.domain.allocation import ALLOCATABLE_KINDS
from app.domain.users import SYSTEM
from app.services import demo_data, layouts


def test_the_demo_warehouse_has_a_layout_with_three_cross_aisles_and_every_pick_location_on_it(
    services: Services,
) -> None:
    services.run(demo_data.generate, orders=0, seed=3, now=datetime(2026, 6, 1, tzinfo=UTC))
    admin = SYSTEM
    view = services.run(layouts.layout_view, admin)
    assert view.warehouse == "SZ-01"
    assert [c.name for c in view.cross_aisles] == ["front", "middle", "back"]
    assert [a.code for a in view.aisles] == [f"{a:02d}" for a in range(1, 13)] + [
        "R1",
        "R2",
        "R3",
        "R4",
    ]
    assert view.depot is not None and view.depot.code == "PACK"
    assert view.depot.y == view.cross_aisles[0].y  # the pack benches stand on the front aisle
    with services.uow() as uow:
        pickable = uow.session.scalars(
            select(Location.code).where(Location.kind.in_(ALLOCATABLE_KINDS))
        ).all()
    # every location allocation may pick from is on the map, reserve racks on their own aisles
    assert sorted(loc.code for loc in view.locations) == sorted(pickable)
    by_code = {loc.code: loc for loc in view.locations}
    assert by_code["R01-01-1"].aisle == "R1" and by_code["P01-01-1A"].aisle == "01"
    assert by_code["R01-01-1"].x == 40.0 and by_code["P01-01-1A"].x == 2.0
    # racks stand either side of the aisle
    assert {by_code["P01-01-1A"].rack_x, by_code["P01-02-1A"].rack_x} == {1.0, 3.0}
    d = services.run(layouts.route_locations, admin, ["P12-20-4C", "R04-10-3", "P01-01-1A"])
    assert sorted(s.location for s in d.stops) == ["P01-01-1A", "P12-20-4C", "R04-10-3"]
    assert d.path[0] == d.path[-1] == (view.depot.x, view.depot.y)
