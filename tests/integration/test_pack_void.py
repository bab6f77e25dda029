"""Voiding / unpacking a parcel that has not left the station (stopped at the scale), and the
refusals, on both backends. Labelled parcels are voided in test_pack_after_flow.py."""

from __future__ import annotations

import pytest
from sqlalchemy import func, insert, select

from app.bootstrap import Services
from app.db.models import (
    AuditEntry,
    OrderLine,
    PackException,
    PackItem,
    PackSession,
    Parcel,
    Product,
)
from app.domain.errors import PermissionDenied
from app.domain.users import Actor, Role
from app.services import pack_after, pack_exceptions
from tests.conftest import make_actor
from tests.factories import add_orders
from tests.order_action_fixtures import status_of


def _stopped_parcel(
    services: Services, *, parcel_status: str = "open", stopped: bool = True
) -> tuple[int, int, int]:
    """An order being packed at the test station: its parcel stopped at the scale (still open,
    weighed, a weight exception waiting), two units verified into it, one with a serial."""
    (order_id,) = add_orders(services, 1, status="packing")
    with services.uow() as uow:
        s = uow.session
        pid = s.execute(
            insert(Product).returning(Product.id), [{"sku": "PHONE-1", "name": "手机"}]
        ).scalar_one()
        line = s.scalars(select(OrderLine).where(OrderLine.order_id == order_id)).first()
        assert line is not None
        session_id = s.execute(
            insert(PackSession).returning(PackSession.id),
            [{"order_id": order_id, "station_id": services.station_id, "status": "open",
              "from_status": "picked"}],
        ).scalar_one()  # fmt: skip
        parcel_id = s.execute(
            insert(Parcel).returning(Parcel.id),
            [{"order_id": order_id, "session_id": session_id, "seq": 1, "status": parcel_status,
              "weight_g": 900, "station_id": services.station_id}],
        ).scalar_one()  # fmt: skip
        s.execute(
            insert(PackItem),
            [
                {"session_id": session_id, "parcel_id": parcel_id, "order_line_id": line.id,
                 "product_id": pid, "serial": "IMEI-0001"},
                {"session_id": session_id, "parcel_id": parcel_id, "order_line_id": line.id,
                 "product_id": pid},
            ],
        )  # fmt: skip
        if stopped:
            s.execute(
                insert(PackException),
                [{"kind": "weight", "order_id": order_id, "parcel_id": parcel_id,
                  "station_id": services.station_id, "expected_g": 500, "actual_g": 900}],
            )  # fmt: skip
        uow.commit()
    return order_id, int(session_id), int(parcel_id)


def test_a_parcel_stopped_at_the_scale_is_unpacked_its_serials_free_and_the_packer_goes_on(
    services: Services, admin: Actor
) -> None:
    order_id, session_id, parcel_id = _stopped_parcel(services)

    report = services.run(pack_after.void_parcel, admin, parcel_id, "wrong carton")

    assert (report.units_back, report.tracking_number, report.carrier_void) == (0, "", "none")
    assert report.order_status == "packing"  # the pack session is still open at the station
    assert status_of(services, order_id) == "packing"
    with services.uow() as uow:
        s = uow.session
        parcel = s.get_one(Parcel, parcel_id)
        assert (parcel.status, parcel.void_reason, parcel.voided_by) == (
            "voided",
            "wrong carton",
            admin.user_id,
        )
        assert (
            s.scalar(
                select(func.count(PackItem.id)).where(
                    PackItem.parcel_id == parcel_id, PackItem.voided_at.is_(None)
                )
            )
            == 0
        )
        exc = s.scalars(select(PackException).where(PackException.parcel_id == parcel_id)).one()
        assert (exc.resolution, exc.resolved_by) == ("voided", admin.user_id)
        assert s.get_one(PackSession, session_id).status == "open"
        audit = s.scalars(select(AuditEntry).where(AuditEntry.action == "parcel.void")).one()
        assert (audit.entity_id, audit.note) == (str(parcel_id), "wrong carton")
        assert audit.before == {"status": "open", "tracking": ""}
    # the serial is free again: the same unit may be packed once more
    with services.uow() as uow:
        again = uow.session.scalars(select(PackItem).where(PackItem.serial == "IMEI-0001")).one()
        uow.session.add(
            PackItem(
                session_id=session_id,
                parcel_id=again.parcel_id,
                order_line_id=again.order_line_id,
                product_id=again.product_id,
                serial="IMEI-0001",
            )
        )
        uow.commit()


def test_the_supervisor_voids_it_from_the_exceptions_list(services: Services, admin: Actor) -> None:
    _, _, parcel_id = _stopped_parcel(services)
    (waiting,) = services.run(pack_exceptions.open_exceptions, admin)

    services.run(pack_exceptions.resolve_exception, admin, waiting.id, "voided", "repack")

    assert services.run(pack_exceptions.open_exceptions, admin) == []
    with services.uow() as uow:
        assert uow.session.get_one(Parcel, parcel_id).status == "voided"
        assert uow.session.get_one(PackException, waiting.id).resolution == "voided"


@pytest.mark.parametrize(
    ("status", "refusal"),
    [
        ("shipped", pack_after.ParcelShipped),
        ("voided", pack_after.ParcelAlreadyVoided),
        ("open", pack_after.ParcelStillOpen),
    ],
)
def test_a_shipped_voided_or_open_parcel_is_refused_and_nothing_changes(
    services: Services, admin: Actor, status: str, refusal: type[Exception]
) -> None:
    _, _, parcel_id = _stopped_parcel(services, parcel_status=status, stopped=False)

    with pytest.raises(refusal) as refused:
        services.run(pack_after.void_parcel, admin, parcel_id, "customer changed their mind")

    assert refused.value.params["seq"] == 1  # type: ignore[attr-defined]
    with services.uow() as uow:
        assert uow.session.get_one(Parcel, parcel_id).status == status
        assert (
            uow.session.scalar(
                select(func.count(PackItem.id)).where(PackItem.voided_at.is_not(None))
            )
            == 0
        )


def test_a_void_needs_a_reason_and_the_permission(services: Services, admin: Actor) -> None:
    _, _, parcel_id = _stopped_parcel(services)
    packer = make_actor(services, admin, Role.PACKER)

    with pytest.raises(pack_after.VoidNeedsReason):
        services.run(pack_after.void_parcel, admin, parcel_id, "  ")
    with pytest.raises(PermissionDenied):
        services.run(pack_after.void_parcel, packer, parcel_id, "oops")
    with services.uow() as uow:
        assert uow.session.get_one(Parcel, parcel_id).status == "open"
