"""Tracking numbers kept for a station's outages (``offline_numbers``), on both backends: no
other station takes them, a station keeps at most half of what is free, and a station whose
common pool ran dry labels with its own kept numbers."""

from __future__ import annotations

from sqlalchemy import select

from app import __version__
from app.bootstrap import Services
from app.db.models import TrackingNumber
from app.domain.users import Actor
from app.services import auth, offline_numbers, packing
from tests.pack_fixtures import PD1_WEIGHT, PackSetup, pack_ready, tea
from tests.pick_fixtures import BARCODES


def _keep(services: Services, station_id: int, **kw: int) -> int:
    with services.uow() as uow:
        added = offline_numbers.keep_numbers(uow, station_id, **kw)
        uow.commit()
    return added


def _kept_for(services: Services, station_id: int) -> list[str]:
    with services.uow() as uow:
        return list(
            uow.session.scalars(
                select(TrackingNumber.number)
                .where(TrackingNumber.reserved_station_id == station_id)
                .order_by(TrackingNumber.id)
            )
        )


def _pack_pd1(services: Services, setup: PackSetup) -> str:
    p = setup.packer
    sid = services.run(packing.open_for_packing, p, "TOTE-0001").session_id
    for text in (BARCODES["CUP-1"], BARCODES["CUP-1"], tea("L1")):
        services.run(packing.scan, p, sid, text)
    done = services.run(packing.weigh, p, sid, PD1_WEIGHT)
    assert done.kind == "packed", (done.message, done.params)
    return done.tracking_number


def _pack_pd2(services: Services, setup: PackSetup) -> str:
    p = setup.packer
    sid = services.run(packing.open_for_packing, p, "TOTE-0002").session_id
    for _ in range(3):
        out = services.run(packing.scan, p, sid, BARCODES["PEN-1"])
    assert out.view.current_parcel is not None and out.view.current_parcel.expected_g
    done = services.run(packing.weigh, p, sid, out.view.current_parcel.expected_g)
    assert done.kind == "packed", (done.message, done.params)
    return done.tracking_number


def test_numbers_kept_for_another_station_are_never_on_this_stations_labels(
    services: Services, admin: Actor
) -> None:
    setup = pack_ready(services, admin, numbers=10)
    other = auth.ensure_station(services.uow(), "other-station", __version__)
    assert _keep(services, other, block=4, low=2) == 4
    assert _kept_for(services, other) == setup.numbers[:4]
    assert _keep(services, other, block=4, low=2) == 0  # enough left: nothing more
    assert _pack_pd1(services, setup) == setup.numbers[4]
    assert _kept_for(services, other) == setup.numbers[:4]


def test_a_station_keeps_at_most_half_the_free_numbers_and_labels_with_them_when_the_pool_is_dry(
    services: Services, admin: Actor
) -> None:
    setup = pack_ready(services, admin, numbers=2)
    assert _keep(services, services.station_id, block=40, low=20) == 1  # half of 2
    assert _kept_for(services, services.station_id) == setup.numbers[:1]
    other = auth.ensure_station(services.uow(), "other-station", __version__)
    assert _keep(services, other) == 0  # half of the one left nobody keeps: none
    assert _pack_pd1(services, setup) == setup.numbers[1]  # the common pool first
    assert _pack_pd2(services, setup) == setup.numbers[0]  # then its own kept number
    assert _kept_for(services, services.station_id) == []  # used: kept by nobody now
