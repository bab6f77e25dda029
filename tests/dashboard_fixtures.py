"""A morning on the floor for the dashboard, made by the real services: the pick fixtures'
batch picked (after one refused scan), its two orders packed at two stations (PD1 after one
wrong item), then every time moved to chosen local times of one day in Shanghai so the hours
are known:

- 08:40 the refused pick scan, 08:50 the batch finished (status changes all at 08:30);
- 09:20 PD2 labelled at the test station; 10:01 the wrong item; 10:05 PD1 labelled at PACK-02.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select, update

from app.bootstrap import Services
from app.db.models import (
    AuditEntry,
    Order,
    OrderStatusChange,
    PackException,
    Parcel,
    PickBatch,
    PickTask,
    Station,
)
from app.domain.pack_settings import PackSettings
from app.domain.users import Actor, Role
from app.services import auth, pack_settings, packing, picking, scanning
from tests.conftest import make_actor
from tests.pack_fixtures import (
    BADGE,
    PackSetup,
    add_carrier,
    catalogue,
    pick_everything,
    tea,
)
from tests.pick_fixtures import BARCODES, picking_batch

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 12, 1)
#: the dashboard is read at 11:30 that day
NOW = datetime.combine(DAY, time(11, 30), SHANGHAI).astimezone(UTC)


def at(hh: int, mm: int, day: date = DAY) -> datetime:
    return datetime.combine(day, time(hh, mm), SHANGHAI).astimezone(UTC)


@dataclass
class Morning:
    setup: PackSetup
    supervisor: Actor
    parcels: dict[str, int]


def _pack(services: Services, packer: Actor, tote: str, scans: list[str]) -> int:
    view = services.run(packing.open_for_packing, packer, tote)
    for text in scans:
        services.run(packing.scan, packer, view.session_id, text)
    current = services.run(packing.pack_view, packer, view.session_id).current_parcel
    assert current is not None and current.expected_g is not None
    done = services.run(packing.weigh, packer, view.session_id, current.expected_g)
    assert done.kind == "packed", (done.message, done.params)
    return done.view.parcels[0].id


def _ready(services: Services, admin: Actor) -> PackSetup:
    """``pack_ready``, with one refused scan at the pick screen first (the wrong location)."""
    picker = make_actor(services, admin, Role.PICKER)
    setup = picking_batch(services, admin, picker)
    refused = services.run(
        picking.pick_scan, picker, setup.batch_id, services.run(scanning.classify, "LOC-B-02")
    )
    assert not refused.accepted
    pick_everything(services, picker, setup)
    cid, sid, nums = add_carrier(services, numbers=5)
    with services.uow() as uow:
        uow.session.execute(
            update(Order).where(Order.id.in_(setup.order_ids)).values(carrier_service_id=sid)
        )
        uow.commit()
    catalogue(services)
    services.run(
        pack_settings.save_pack_settings,
        admin,
        PackSettings(sender_name="茶杯小店", sender_city="杭州", sender_phone="0571"),
    )
    packer = make_actor(services, admin, Role.PACKER)
    services.run(
        auth.create_user, admin, "boss", Role.SUPERVISOR, "secret-pass-1", badge=BADGE, pin="4821"
    )
    supervisor = services.run(auth.login, "boss", "secret-pass-1", services.station_id)
    return PackSetup(setup, packer, supervisor, cid, sid, nums)


def morning(services: Services, admin: Actor, day: date = DAY) -> Morning:
    setup = _ready(services, admin)
    pen, cup = BARCODES["PEN-1"], BARCODES["CUP-1"]
    pd2 = _pack(services, setup.packer, "TOTE-0002", [pen, pen, pen])
    # a pen scanned into PD1: refused (another order's item), then the right items
    pd1 = _pack(services, setup.packer, "TOTE-0001", [pen, cup, cup, tea("L1")])
    _move_times(services, setup, pd1, pd2, day)
    return Morning(setup, setup.supervisor, {"PD1": pd1, "PD2": pd2})


def _move_times(services: Services, setup: PackSetup, pd1: int, pd2: int, day: date) -> None:
    ids = setup.pick.order_ids
    with services.uow() as uow:
        s = uow.session
        other = s.execute(
            insert(Station).returning(Station.id), [{"code": "PACK-02", "devices": {}}]
        ).scalar_one()
        s.execute(update(OrderStatusChange).values(at=at(8, 30, day)))
        s.execute(update(PickTask).values(done_at=at(8, 45, day)))
        s.execute(update(PickBatch).values(finished_at=at(8, 50, day)))
        s.execute(
            update(AuditEntry).where(AuditEntry.action == "pick.refused").values(at=at(8, 40, day))
        )
        s.execute(update(Parcel).where(Parcel.id == pd2).values(labelled_at=at(9, 20, day)))
        s.execute(
            update(Parcel)
            .where(Parcel.id == pd1)
            .values(labelled_at=at(10, 5, day), station_id=other)
        )
        s.execute(update(PackException).values(created_at=at(10, 1, day)))
        assert s.scalar(select(Order.status).where(Order.id == ids[0])) == "packed"
        uow.commit()
