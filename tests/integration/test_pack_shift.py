"""A pack station's shift figures and the supervisors' exceptions list, on both backends."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import event, func, insert, select, update
from sqlalchemy.engine import Engine

from app.bootstrap import Services
from app.db.models import AuditEntry, PackException, Parcel, Station, User, utcnow
from app.domain.errors import PermissionDenied
from app.domain.users import Actor, Role
from app.services import pack_exceptions, pack_shift
from tests.conftest import make_actor
from tests.factories import add_orders


def _other_station(services: Services) -> int:
    with services.uow() as uow:
        sid = uow.session.execute(
            insert(Station).returning(Station.id), [{"code": "PACK-02", "devices": {}}]
        ).scalar_one()
        uow.commit()
        return int(sid)


def _set_login(services: Services, user_id: int | None, at: datetime) -> None:
    with services.uow() as uow:
        uow.session.execute(update(User).where(User.id == user_id).values(last_login_at=at))
        uow.commit()


def _floor(services: Services, now: datetime) -> tuple[int, int, list[int]]:
    """Parcels and exceptions at the test station and another one, some before the shift."""
    here, there = services.station_id, _other_station(services)
    a, b, c, d = add_orders(services, 4, status="packed")
    h = timedelta(hours=1)
    parcels = [
        (a, 1, "labelled", here, now - 90 * timedelta(minutes=1)),
        (a, 2, "labelled", here, now - 80 * timedelta(minutes=1)),
        (b, 1, "shipped", here, now - 30 * timedelta(minutes=1)),
        (c, 1, "voided", here, now - 20 * timedelta(minutes=1)),  # voided: no longer counts
        (c, 2, "labelled", there, now - 10 * timedelta(minutes=1)),  # another station
        (d, 1, "labelled", here, now - 5 * h),  # before the packer logged in
    ]
    kinds = [
        ("wrong_item", here, now - h),
        ("over_scan", here, now - h),
        ("other_order", here, now - 0.5 * h),
        ("weight", here, now - 0.2 * h),
        ("wrong_lot", here, now - 6 * h),  # before the log-in
        ("wrong_item", there, now - 0.1 * h),  # another station
    ]
    with services.uow() as uow:
        uow.session.execute(
            insert(Parcel),
            [
                {"order_id": o, "seq": n, "status": st, "station_id": sid, "labelled_at": at}
                for o, n, st, sid, at in parcels
            ],
        )
        uow.session.execute(
            insert(PackException),
            [
                {"kind": k, "station_id": sid, "created_at": at, "order_id": a}
                for k, sid, at in kinds
            ],
        )
        uow.commit()
    return here, there, [a, b, c, d]


def test_the_shift_counts_since_the_packer_logged_in_at_this_station(
    services: Services, admin: Actor
) -> None:
    now = utcnow()
    here, _, _ = _floor(services, now)
    _set_login(services, admin.user_id, now - timedelta(hours=2))

    f = services.run(pack_shift.shift_figures, here, user_id=admin.user_id, now=now)

    assert abs((f.since - (now - timedelta(hours=2))).total_seconds()) < 1
    assert (f.orders_packed, f.parcels_labelled) == (2, 3)
    assert (f.orders_per_hour, f.parcels_per_hour) == (1.0, 1.5)
    assert (f.mis_scans, f.weight_exceptions) == (3, 1)
    assert f.hours == 2.0


def test_without_a_packer_or_with_a_log_in_left_overnight_the_shift_is_the_last_8_hours(
    services: Services, admin: Actor
) -> None:
    now = utcnow()
    here, there, _ = _floor(services, now)
    _set_login(services, admin.user_id, now - timedelta(hours=20))

    overnight = services.run(pack_shift.shift_figures, here, user_id=admin.user_id, now=now)
    nobody = services.run(pack_shift.shift_figures, here, now=now)
    other = services.run(pack_shift.shift_figures, there, now=now)

    for f in (overnight, nobody):
        assert abs((f.since - (now - timedelta(hours=8))).total_seconds()) < 1
        assert (f.orders_packed, f.parcels_labelled, f.mis_scans, f.weight_exceptions) == (
            3,
            4,
            4,
            1,
        )
        assert f.parcels_per_hour == 0.5
    assert (other.orders_packed, other.parcels_labelled, other.mis_scans) == (1, 1, 1)


def test_a_given_start_wins_and_the_first_minutes_do_not_show_absurd_rates(
    services: Services, admin: Actor
) -> None:
    now = utcnow()
    here, _, _ = _floor(services, now)

    f = services.run(
        pack_shift.shift_figures, here, now - timedelta(minutes=40), user_id=admin.user_id, now=now
    )
    assert (f.orders_packed, f.parcels_labelled, f.mis_scans, f.weight_exceptions) == (1, 1, 1, 1)
    assert f.parcels_per_hour == 1.5  # one parcel in 40 minutes

    early = services.run(pack_shift.shift_figures, here, now - timedelta(minutes=1), now=now)
    assert early.parcels_labelled == 0 and early.parcels_per_hour == 0.0
    assert early.hours == 0.02


def test_the_figures_are_one_statement(services: Services, admin: Actor) -> None:
    now = utcnow()
    here, _, _ = _floor(services, now)
    _set_login(services, admin.user_id, now - timedelta(hours=2))
    seen: list[str] = []

    def count(conn: object, cursor: object, sql: str, *args: object) -> None:
        if sql.lstrip().upper().startswith("SELECT"):
            seen.append(sql)

    engine: Engine = services.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        f = services.run(pack_shift.shift_figures, here, user_id=admin.user_id, now=now)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(seen) == 1
    assert (f.orders_packed, f.parcels_labelled, f.mis_scans) == (2, 3, 3)


# --- the exceptions list -------------------------------------------------------------------


def _stopped(services: Services, admin: Actor, now: datetime) -> tuple[int, int, list[int]]:
    """Two parcels stopped at the scale (one older), one already overridden, one mis-scan."""
    packer = make_actor(services, admin, Role.PACKER, "li.packer")
    a, b = add_orders(services, 2, status="packing")
    with services.uow() as uow:
        s = uow.session
        pa, pb = (
            s.execute(
                insert(Parcel).returning(Parcel.id),
                [{"order_id": o, "seq": 1, "status": "closed", "weight_g": w}],
            ).scalar_one()
            for o, w in ((a, 1480), (b, 610))
        )
        rows = [
            {"kind": "weight", "order_id": b, "parcel_id": pb, "expected_g": 500,
             "actual_g": 610, "created_at": now - timedelta(minutes=3)},
            {"kind": "weight", "order_id": a, "parcel_id": pa, "expected_g": 1200,
             "actual_g": 1480, "created_at": now - timedelta(minutes=25)},
            {"kind": "weight", "order_id": a, "parcel_id": pa, "expected_g": 1200,
             "actual_g": 1900, "created_at": now - timedelta(minutes=40),
             "resolved_at": now - timedelta(minutes=30), "resolution": "override"},
            {"kind": "wrong_item", "order_id": a, "created_at": now - timedelta(minutes=50),
             "resolved_at": now - timedelta(minutes=50), "resolution": "logged"},
        ]  # fmt: skip
        for r in rows:
            r.update(station_id=services.station_id, user_id=packer.user_id, message="m")
        ids = list(s.execute(insert(PackException).returning(PackException.id), rows).scalars())
        uow.commit()
    return a, b, ids


def test_the_exceptions_list_shows_waiting_weight_stops_oldest_first_with_both_weights(
    services: Services, admin: Actor
) -> None:
    now = utcnow()
    a, b, _ = _stopped(services, admin, now)

    rows = services.run(pack_exceptions.open_exceptions, admin, now=now)

    assert [(r.order_id, r.expected_g, r.actual_g) for r in rows] == [
        (a, 1200, 1480),
        (b, 500, 610),
    ]
    first = rows[0]
    assert (first.order_number, first.station, first.packer) == (
        "PD00000001",
        "test-station",
        "li.packer",
    )
    assert first.parcel_seq == 1 and first.kind == "weight"
    assert abs(first.age_s - 25 * 60) <= 1


def test_a_supervisor_resolves_one_as_repacked_audited_and_it_leaves_the_list(
    services: Services, admin: Actor
) -> None:
    now = utcnow()
    _, b, ids = _stopped(services, admin, now)
    boss = make_actor(services, admin, Role.SUPERVISOR, "wang.boss")

    services.run(pack_exceptions.resolve_exception, boss, ids[0], "repacked", "heavier carton")

    left = services.run(pack_exceptions.open_exceptions, boss, now=now)
    assert [r.id for r in left] == [ids[1]]
    with services.uow() as uow:
        row = uow.session.get_one(PackException, ids[0])
        assert (row.resolution, row.resolved_by) == ("repacked", boss.user_id)
        audit = uow.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "pack_exception.resolve")
        ).one()
        assert (audit.user_id, audit.entity_id, audit.note) == (
            boss.user_id,
            str(ids[0]),
            "heavier carton",
        )
    with pytest.raises(pack_exceptions.ExceptionResolved) as again:
        services.run(pack_exceptions.resolve_exception, admin, ids[0], "repacked")
    assert (again.value.params["resolution"], again.value.params["user"]) == (
        "repacked",
        "wang.boss",
    )
    with pytest.raises(pack_exceptions.BadResolution):
        services.run(pack_exceptions.resolve_exception, boss, ids[1], "ignored")
    assert b


def test_a_packer_may_neither_see_nor_resolve_the_list(services: Services, admin: Actor) -> None:
    now = utcnow()
    _, _, ids = _stopped(services, admin, now)
    packer = make_actor(services, admin, Role.PACKER, "zhao.packer")

    with pytest.raises(PermissionDenied):
        services.run(pack_exceptions.open_exceptions, packer, now=now)
    with pytest.raises(PermissionDenied):
        services.run(pack_exceptions.resolve_exception, packer, ids[0], "repacked")
    with services.uow() as uow:
        assert (
            uow.session.scalar(
                select(func.count(PackException.id)).where(PackException.resolved_at.is_(None))
            )
            == 2
        )
