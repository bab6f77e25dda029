"""Tracking-number pools on both backends: loading files with refused rows, the low-pool
warning, voided numbers never given again and reported, and the unique constraint."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import insert, select

from app.bootstrap import Services
from app.db.models import AuditEntry, TrackingNumber
from app.domain import tracking
from app.domain.users import Actor
from app.services import carrier_list, tracking_pool, tracking_void
from app.services.tracking_pool import TRACKING_POOL_MESSAGES, PoolEmpty, UnknownService
from tests.tracking_fixtures import add_carrier, add_parcels, statuses, take


def _audits(services: Services, action: str) -> list[AuditEntry]:
    with services.uow() as uow:
        rows = list(uow.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))
        uow.session.expunge_all()
        return rows


def test_a_pool_file_loads_its_valid_numbers_and_refuses_the_rest_with_row_and_reason(
    services: Services, admin: Actor, tmp_path: Path
) -> None:
    zto = add_carrier(services)
    path = tmp_path / "zto.csv"
    path.write_text(
        "面单号\n"
        "73100066666698\n"  # row 2
        "73100066666699,73100066666701\n"  # row 3: a range of 3
        "73100066666698\n"  # row 4: twice in the file
        "1Z5R89390357567127\n"  # row 5: a UPS number
        "7310006666\n",  # row 6: too short for ZTO
        encoding="utf-8",
    )
    report = services.run(tracking_pool.load_pool, admin, "ZTO", path, service_code="zto-std")
    assert (report.loaded, report.rejected, report.format, report.service) == (
        4,
        3,
        "ZTO",
        "ZTO-STD",
    )
    assert [(p.row, p.template) for p in report.problems] == [
        (4, TRACKING_POOL_MESSAGES["twice"]),
        (5, tracking.TRACKING_MESSAGES["other_format"]),
        (6, tracking.TRACKING_MESSAGES["shape"]),
    ]
    assert report.problems[0].params == {"number": "73100066666698", "first": 2}
    assert statuses(services, zto.id) == {f"731000666666{n}": "free" for n in ("98", "99")} | {
        f"7310006666670{n}": "free" for n in ("0", "1")
    }
    with services.uow() as uow:
        rows = uow.session.execute(
            select(TrackingNumber.carrier_service_id, TrackingNumber.source)
        ).all()
    assert set(rows) == {(zto.services["ZTO-STD"], "zto.csv")}
    [audit] = _audits(services, "tracking.pool_load")
    assert audit.after == {
        "file": "zto.csv",
        "service": "ZTO-STD",
        "format": "ZTO",
        "loaded": 4,
        "rejected": 3,
    }

    again = services.run(tracking_pool.load_pool, admin, "zto", "73100066666700\n73100066666702")
    assert again.loaded == 1
    assert [(p.row, p.template, p.params) for p in again.problems] == [
        (1, TRACKING_POOL_MESSAGES["in_pool"], {"number": "73100066666700", "carrier": "ZTO"})
    ]


def test_a_carriers_own_format_setting_decides_how_numbers_are_checked(
    services: Services, admin: Actor
) -> None:
    add_carrier(services, "POST", "中国邮政", ("POST-EMS",), tracking_format="EMS")
    report = services.run(
        tracking_pool.load_pool, admin, "POST", "EE473124829CN\nRR473124829CN\nEE473124828CN"
    )
    assert report.loaded == 1
    assert [p.template for p in report.problems] == [
        tracking.TRACKING_MESSAGES["other_format"],  # a valid S10 number, not EMS
        tracking.TRACKING_MESSAGES["check_digit"],
    ]


def test_an_unknown_service_is_refused_naming_the_carriers_services(
    services: Services, admin: Actor
) -> None:
    add_carrier(services)
    with pytest.raises(UnknownService) as caught:
        services.run(tracking_pool.load_pool, admin, "ZTO", "73100066666698", service_code="X")
    assert "ZTO-STD" in caught.value.message
    assert statuses(services, add_carrier(services, "YTO", "圆通", ()).id) == {}


def test_pool_status_counts_free_used_and_void_and_warns_when_a_pool_runs_low(
    services: Services, admin: Actor
) -> None:
    zto = add_carrier(services, low_warning=3)
    add_carrier(services, "SF", "顺丰速运", ("SF-STD",), low_warning=10)
    services.run(tracking_pool.load_pool, admin, "ZTO", "73100066666698,73100066666701")
    services.run(tracking_pool.load_pool, admin, "ZTO", "73100066666710", service_code="ZTO-STD")
    [parcel] = add_parcels(services, 1)
    first = services.run(take, zto.id, zto.services["ZTO-STD"], parcel)
    assert first == "73100066666710"  # the service's own numbers first
    services.run(tracking_void.void_number, admin, "ZTO", "73100066666698", "label torn")

    status = services.run(tracking_pool.pool_status)
    assert [(p.carrier, p.service, p.free, p.used, p.void, p.usable, p.low) for p in status] == [
        ("SF", "", 0, 0, 0, 0, True),  # a pool carrier with nothing loaded is listed, low
        ("ZTO", "", 3, 0, 1, 3, False),
        ("ZTO", "ZTO-STD", 0, 1, 0, 3, False),
    ]
    left = services.run(tracking_pool.pool_left, "ZTO", "ZTO-STD")
    assert (left.free, left.low_warning, left.low) == (3, 3, False)
    services.run(take, zto.id, zto.services["ZTO-STD"], parcel)
    left = services.run(tracking_pool.pool_left, "ZTO", "ZTO-STD")
    assert (left.free, left.low) == (2, True)
    assert [p.low for p in services.run(tracking_pool.pool_status, "zto")] == [True, True]

    listed = {c.code: c for c in services.run(carrier_list.list_carriers)}
    assert (listed["ZTO"].free, listed["ZTO"].used, listed["ZTO"].void) == (2, 2, 1)
    assert listed["ZTO"].low and listed["ZTO"].tracking_format == "ZTO"
    assert [s.code for s in listed["SF"].services] == ["SF-STD"]


def test_a_voided_number_is_never_given_again_and_is_reported_once(
    services: Services, admin: Actor
) -> None:
    zto = add_carrier(services)
    services.run(tracking_pool.load_pool, admin, "ZTO", "73100066666698,73100066666699")
    parcels = add_parcels(services, 2)
    voided = services.run(tracking_void.void_number, admin, "ZTO", "7310 0066 6666 98", "torn")
    assert (voided.number, voided.reason, voided.reported_at) == ("73100066666698", "torn", None)
    assert services.run(take, zto.id, None, parcels[0]) == "73100066666699"
    with pytest.raises(PoolEmpty):
        services.run(take, zto.id, None, parcels[1])

    # a number the pool never held (an API carrier's) is recorded void, and reported too
    services.run(tracking_void.void_number, admin, "ZTO", "73100099999999", "unpacked")
    again = services.run(tracking_void.void_number, admin, "ZTO", "73100066666698", "twice")
    assert again.reason == "torn"  # voiding twice changes nothing
    report = services.run(tracking_void.voided_report, "ZTO")
    assert [v.number for v in report] == ["73100066666698", "73100099999999"]
    assert len(_audits(services, "tracking.void")) == 2

    assert services.run(tracking_void.mark_reported, admin, [report[0].id]) == 1
    assert services.run(tracking_void.mark_reported, admin, [report[0].id]) == 0
    assert [v.number for v in services.run(tracking_void.voided_report)] == ["73100099999999"]
    everything = services.run(tracking_void.voided_report, None, unreported_only=False)
    assert [v.reported_at is not None for v in everything] == [True, False]
    refused = services.run(tracking_pool.load_pool, admin, "ZTO", "73100099999999")
    assert refused.loaded == 0 and refused.problems[0].template == TRACKING_POOL_MESSAGES["in_pool"]


def test_the_database_refuses_the_same_number_twice_for_a_carrier(
    services: Services, admin: Actor
) -> None:
    zto = add_carrier(services)
    yto = add_carrier(services, "YTO", "圆通速递", ("YTO-STD",))
    row = {"carrier_id": zto.id, "number": "73100066666698", "status": "free", "void_reason": ""}
    with services.uow() as uow:
        uow.session.execute(insert(TrackingNumber), [row])
        uow.session.execute(insert(TrackingNumber), [{**row, "carrier_id": yto.id}])
        uow.commit()
    with pytest.raises(sa_exc.IntegrityError), services.engine.begin() as conn:
        conn.execute(insert(TrackingNumber), [{**row, "status": "void"}])


def test_a_hundred_thousand_numbers_load_in_a_few_seconds(
    services: Services, admin: Actor, tmp_path: Path
) -> None:
    add_carrier(services, "POST", "中国邮政", ("POST-STD",), tracking_format="UPU S10")
    path = tmp_path / "post.csv"
    path.write_text(
        "\n".join(tracking.with_check_digit("UPU S10", f"RR{i:08d}CN") for i in range(100_000)),
        encoding="utf-8",
    )
    started = time.perf_counter()
    report = services.run(tracking_pool.load_pool, admin, "POST", path)
    seconds = time.perf_counter() - started
    assert (report.loaded, report.rejected) == (100_000, 0)
    print(f"\n100,000 numbers loaded in {seconds:.2f} s ({services.engine.dialect.name})")
    assert seconds < 30, "far slower than a few seconds, even on a busy machine"
