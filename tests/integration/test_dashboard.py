"""The KPI dashboard's figures on SQLite and PostgreSQL, from a morning made by the real pick
and pack services (tests/dashboard_fixtures.py: the times moved to known local hours)."""

from __future__ import annotations

import csv
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from app.bootstrap import Services
from app.db.models import Location, PickTask, utcnow
from app.domain.errors import PermissionDenied
from app.domain.users import Actor, Role
from app.services import dashboard, handover, returns
from app.services.dashboard_export import CSV_COLUMNS, write_csv
from tests.conftest import make_actor
from tests.dashboard_fixtures import NOW, SHANGHAI, at, morning
from tests.returns_fixtures import shipped_orders

#: the pick fixtures' walk: A-01 (aisle A, y 5), A-02 (A, 14), B-01 (B, 8) from the depot at the
#: front left and back: 7 + 9 + 22 (over the back) + 14 m; the S-shape walks all of A and B:
#: 2 + 20 + 4 + 20 + 6 m
WALKED_M = 52.0
S_SHAPE_M = 52.0


def test_the_dashboard_counts_the_morning_by_local_hour_station_and_packer(
    services: Services, admin: Actor
) -> None:
    m = morning(services, admin)
    d = services.run(dashboard.dashboard, m.supervisor, now=NOW, tz=SHANGHAI)
    assert d.day == "2026-12-01" and d.utc_offset == "+08:00"
    assert d.hours == (8, 9, 10, 11)
    assert d.orders_now == {"packed": 2}
    assert d.orders_today["packed"] == 2 and d.orders_today["picked"] == 2
    assert [(p.hour, p.station, p.packer, p.orders, p.parcels) for p in d.packed] == [
        (9, "test-station", "packer-user", 1, 1),
        (10, "PACK-02", "packer-user", 1, 1),
    ]
    assert d.packed_today == 2
    assert d.by("station") == {"PACK-02": {10: 1}, "test-station": {9: 1}}
    assert d.by("packer") == {"packer-user": {9: 1, 10: 1}}
    assert [(e.hour, e.mis_scans, e.weight, e.pick_refused) for e in d.exceptions] == [
        (8, 0, 0, 1),
        (10, 1, 0, 0),
    ]
    (walk,) = d.walk
    assert (walk.hour, walk.batches, walk.walked_m, walk.s_shape_m) == (8, 1, WALKED_M, S_SHAPE_M)
    assert d.saving_pct == 0.0  # this small layout: the best walk is the S-shape


def test_the_walk_is_measured_in_the_order_the_picker_scanned_not_the_planned_one(
    services: Services, admin: Actor
) -> None:
    m = morning(services, admin)
    # A-01, then over to B-01, then back to A-02: 7 + 17 + 22 + 16 m
    order = {"A-01": at(8, 41), "B-01": at(8, 43), "A-02": at(8, 45)}
    with services.uow() as uow:
        for code, when in order.items():
            loc = uow.session.scalar(select(Location.id).where(Location.code == code))
            uow.session.execute(
                update(PickTask).where(PickTask.location_id == loc).values(done_at=when)
            )
        uow.commit()
    d = services.run(dashboard.dashboard, m.supervisor, now=NOW, tz=SHANGHAI)
    assert (d.walked_m, d.s_shape_m, d.saving_pct) == (62.0, S_SHAPE_M, -19.2)


def test_figures_of_another_day_are_not_today(services: Services, admin: Actor) -> None:
    m = morning(services, admin)
    d = services.run(dashboard.dashboard, m.supervisor, now=NOW + timedelta(days=1), tz=SHANGHAI)
    assert (d.packed, d.walk, d.exceptions, d.orders_today) == ((), (), (), {})
    assert d.hours == (11,)
    assert d.orders_now == {"packed": 2}  # what is still to do does not depend on the day


def test_a_packer_may_not_see_the_dashboard(services: Services, admin: Actor) -> None:
    packer = make_actor(services, admin, Role.PACKER)
    with pytest.raises(PermissionDenied, match="may not see the dashboard"):
        services.run(dashboard.dashboard, packer, now=NOW, tz=SHANGHAI)


def test_the_csv_has_every_panel_figure_one_a_row(
    services: Services, admin: Actor, tmp_path: Path
) -> None:
    m = morning(services, admin)
    d = services.run(dashboard.dashboard, m.supervisor, now=NOW, tz=SHANGHAI)
    path = tmp_path / "kpi.csv"
    n = write_csv(d, path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads the Chinese names
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert tuple(rows[0]) == CSV_COLUMNS and len(rows) == n + 1
    body = {tuple(r[:5]): r[5] for r in rows[1:]}
    assert body[("orders_now", "", "packed", "", "orders")] == "2"
    assert body[("packed_by_station", "09:00", "test-station", "", "orders")] == "1"
    assert body[("packed_by_station", "10:00", "PACK-02", "", "parcels")] == "1"
    assert body[("packed_by_packer", "10:00", "packer-user", "", "orders")] == "1"
    assert body[("pick_walk", "08:00", "", "", "walked_m")] == str(WALKED_M)
    assert body[("pick_walk", "08:00", "", "", "s_shape_m")] == str(S_SHAPE_M)
    assert body[("exceptions", "10:00", "mis_scans", "", "count")] == "1"
    assert body[("exceptions", "08:00", "pick_refused", "", "count")] == "1"


def test_the_cutoff_panel_is_the_handovers_board_with_the_parcels_not_handed_over(
    services: Services, admin: Actor
) -> None:
    m = morning(services, admin)
    services.run(handover.set_cutoff, m.supervisor, "SF", "16:30")
    now = utcnow()
    d = services.run(dashboard.dashboard, m.supervisor, now=now)
    board = services.run(handover.cutoff_board, m.supervisor, now)
    assert [(c.carrier, c.cutoff, c.packed_not_handed) for c in d.cutoffs] == [("SF", "16:30", 2)]
    assert d.cutoffs[0].seconds_left == board[0].seconds_left is not None


def test_returns_finished_today_are_counted_by_reason_with_both_names(
    services: Services, admin: Actor
) -> None:
    shipped = shipped_orders(services, admin)
    clerk = shipped.clerk
    view = services.run(returns.open_return, clerk, "PD1")
    cup = next(ln.order_line_id for ln in view.lines if ln.sku == "CUP-1")
    tea_line = next(ln.order_line_id for ln in view.lines if ln.sku == "TEA-1")
    services.run(returns.add_units, clerk, view.return_id, cup, 2, "DAMAGED")
    services.run(returns.add_units, clerk, view.return_id, tea_line, 1, "WRONG_SIZE")
    services.run(returns.inspect, clerk, view.return_id, "quarantine")
    services.run(returns.finish_return, clerk, view.return_id)
    d = services.run(dashboard.dashboard, shipped.pack.supervisor)
    assert [(r.reason, r.name, r.name_zh, r.units, r.returns) for r in d.returns] == [
        ("DAMAGED", "damaged in transit", "运输破损", 2, 1),
        ("WRONG_SIZE", "wrong size", "尺码不合适", 1, 1),
    ]
    tomorrow = services.run(
        dashboard.dashboard, shipped.pack.supervisor, now=utcnow() + timedelta(days=1)
    )
    assert tomorrow.returns == ()
