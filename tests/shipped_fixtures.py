"""Shipped orders for the tracking write-back tests, before the carrier handover exists.

``ship(services, actor, order_ids)`` marks packed orders shipped the way the shipping step
does: through the order state machine (history and audit), each labelled parcel's
``shipped_at`` set, and the ``orders_shipped`` hook called in the same unit of work.

``shipped_pd2`` packs PD2 (3 pens) at the real pack station (``tests/pack_fixtures``) and ships
it. ``packed_order`` writes a packed order's rows directly (lines, their channel refs, parcels
with their packed items) for the shapes the station fixtures do not make in a few lines: merged
orders, split parts, several parcels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import insert, select, update

from app.bootstrap import Services
from app.db.models import (
    Channel,
    Order,
    OrderExternalRef,
    OrderLine,
    PackItem,
    PackSession,
    Parcel,
    Product,
    utcnow,
)
from app.domain.orders import OrderStatus
from app.domain.users import Actor
from app.services import order_events, packing
from app.services.orders import transition
from tests.pack_fixtures import PackSetup, pack_ready
from tests.pick_fixtures import BARCODES


def ship(
    services: Services, actor: Actor, order_ids: Sequence[int], at: datetime | None = None
) -> None:
    with services.uow() as uow:
        s = uow.session
        when = at or utcnow()
        for oid in order_ids:
            transition(uow, actor, s.get_one(Order, oid), OrderStatus.SHIPPED)
        s.execute(
            update(Parcel)
            .where(Parcel.order_id.in_(order_ids), Parcel.status == "labelled")
            .values(shipped_at=when)
        )
        order_events.orders_shipped(uow, actor, list(order_ids))
        uow.commit()


def set_platform(services: Services, code: str, platform: str) -> None:
    with services.uow() as uow:
        uow.session.execute(update(Channel).where(Channel.code == code).values(platform=platform))
        uow.commit()


def shipped_pd2(services: Services, admin: Actor, platform: str = "shopify") -> PackSetup:
    """PD2 packed at the station (one parcel, the first pool number) and shipped; its channel
    ``shop`` is of ``platform``."""
    setup = pack_ready(services, admin)
    view = services.run(packing.open_for_packing, setup.packer, "TOTE-0002")
    for _ in range(3):
        out = services.run(packing.scan, setup.packer, view.session_id, BARCODES["PEN-1"])
    assert out.view.current_parcel is not None and out.view.current_parcel.expected_g
    done = services.run(
        packing.weigh, setup.packer, view.session_id, out.view.current_parcel.expected_g
    )
    assert done.kind == "packed", (done.message, done.params)
    set_platform(services, "shop", platform)
    with services.uow() as uow:
        pd2 = uow.session.scalar(select(Order.id).where(Order.number == "PD2"))
    assert pd2 is not None
    ship(services, admin, [pd2])
    return setup


@dataclass
class Line:
    sku: str
    qty: int
    external_line_id: str = ""
    #: (channel order id, channel line id, units) when the line came from another order
    refs: list[tuple[str, str, int]] = field(default_factory=list)


def channel_id(services: Services, code: str, platform: str) -> int:
    with services.uow() as uow:
        s = uow.session
        found = s.scalar(select(Channel.id).where(Channel.code == code))
        if found is None:
            found = s.execute(
                insert(Channel).returning(Channel.id),
                [{"code": code, "name": f"{code} shop", "platform": platform}],
            ).scalar_one()
            uow.commit()
        return int(found)


def packed_order(
    services: Services,
    channel: int,
    carrier_id: int,
    number: str,
    external_id: str,
    lines: list[Line],
    parcels: list[tuple[str, list[tuple[int, int]]]],
    *,
    status: str = "packed",
    merged_into: int | None = None,
    split_from: int | None = None,
) -> int:
    """An order with ``lines`` and labelled ``parcels`` ((tracking, [(line index, units)]))."""
    with services.uow() as uow:
        s = uow.session
        oid = s.execute(
            insert(Order).returning(Order.id),
            [
                {
                    "number": number,
                    "channel_id": channel,
                    "external_id": external_id,
                    "status": status,
                    "total": Decimal("10.00"),
                    "merged_into_id": merged_into,
                    "split_from_id": split_from,
                }
            ],
        ).scalar_one()
        line_ids = []
        for i, ln in enumerate(lines, start=1):
            pid = s.scalar(select(Product.id).where(Product.sku == ln.sku))
            lid = s.execute(
                insert(OrderLine).returning(OrderLine.id),
                [
                    {
                        "order_id": oid,
                        "line_no": i,
                        "sku": ln.sku,
                        "name": ln.sku,
                        "qty": ln.qty,
                        "product_id": pid,
                        "external_line_id": ln.external_line_id,
                    }
                ],
            ).scalar_one()
            line_ids.append((lid, pid))
            for ext, ext_line, units in ln.refs:
                s.execute(
                    insert(OrderExternalRef),
                    [
                        {
                            "order_id": oid,
                            "order_line_id": lid,
                            "channel_id": channel,
                            "external_id": ext,
                            "external_line_id": ext_line,
                            "qty": units,
                        }
                    ],
                )
        if parcels:
            session_id = s.execute(
                insert(PackSession).returning(PackSession.id),
                [{"order_id": oid, "status": "closed"}],
            ).scalar_one()
        for seq, (tracking, items) in enumerate(parcels, start=1):
            parcel = s.execute(
                insert(Parcel).returning(Parcel.id),
                [
                    {
                        "order_id": oid,
                        "session_id": session_id,
                        "seq": seq,
                        "status": "labelled",
                        "carrier_id": carrier_id,
                        "tracking_number": tracking,
                        "weight_g": 500 * seq,
                        "labelled_at": datetime(2026, 12, 1, 9, 0, tzinfo=UTC),
                    }
                ],
            ).scalar_one()
            for index, units in items:
                lid, pid = line_ids[index]
                s.execute(
                    insert(PackItem),
                    [
                        {
                            "session_id": session_id,
                            "parcel_id": parcel,
                            "order_line_id": lid,
                            "product_id": pid,
                            "qty": units,
                        }
                    ],
                )
        uow.commit()
        return int(oid)
