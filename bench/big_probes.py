"""The main queries of Packdesk, as the screens and stations call them, for ``bench_big.py``.

Each probe is a real service call. Calls that write (opening an order for packing, claiming
work, planning a wave, exporting tracking, opening a return) run in a ``DryRun`` unit of work
whose commits roll back, so the big database stays as it was and every run does the same work.
The values searched for (an order number, a channel order id, a phone, a customer's name, a
tracking number, a tote) are taken from the database itself (``Sample``).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from app.bootstrap import Services
from app.db.models import Address, Carrier, Channel, Order, Parcel
from app.db.uow import UnitOfWork
from app.domain.errors import PackdeskError
from app.domain.users import Actor, Role
from app.services import (
    dashboard,
    delivery_exceptions,
    handover_views,
    orders,
    pack_open,
    pick_claim,
    returns,
    tracking_export,
    wave_plan,
    wave_views,
)
from app.services.orders import OrderQuery

ADMIN = Actor(user_id=None, username="bench", role=Role.ADMIN)


class DryRun(UnitOfWork):
    """A unit of work whose commits roll back: a write service's queries, nothing kept."""

    def commit(self) -> None:
        self.session.rollback()


@dataclass(frozen=True)
class Sample:
    """Values the probes look for, taken from orders in the middle of the database."""

    order_id: int
    number: str
    external_id: str
    phone: str
    name: str
    channel_id: int
    channel_code: str
    tracking: str
    carrier_id: int
    labelled_day: date
    picked_number: str
    shipped_number: str
    since: date
    #: the 200 allocated orders first in line for a wave (highest priority, oldest first)
    waiting: tuple[str, ...] = ()


def sample(services: Services) -> Sample:
    with services.uow() as uow:
        s = uow.session
        last = s.scalar(select(func.max(Order.id))) or 1
        mid = s.execute(
            select(Order.id, Order.number, Order.external_id, Order.channel_id)
            .where(Order.id >= last // 2)
            .order_by(Order.id)
            .limit(1)
        ).one()
        who = s.execute(
            select(Address.phone_digits, Address.name)
            .join(Order, Order.ship_address_id == Address.id)
            .where(Order.id == mid.id)
        ).one()
        parcel = s.execute(
            select(Parcel.tracking_number, Parcel.carrier_id, Parcel.labelled_at)
            .where(Parcel.status == "labelled", Parcel.id >= 0)
            .order_by(Parcel.id.desc())
            .limit(1)
        ).one_or_none()
        picked = s.scalar(select(Order.number).where(Order.status == "picked").limit(1))
        shipped = s.scalar(select(Order.number).where(Order.status == "delivered").limit(1))
        waiting = s.scalars(
            select(Order.number)
            .where(Order.status == "allocated")
            .order_by(Order.priority.desc(), Order.placed_at, Order.id)
            .limit(200)
        ).all()
        code = s.scalar(select(Channel.code).where(Channel.id == mid.channel_id)) or ""
        carrier = parcel.carrier_id if parcel else s.scalar(select(func.min(Carrier.id))) or 1
        labelled = parcel.labelled_at if parcel else datetime.now(UTC)
        return Sample(
            order_id=mid.id,
            number=mid.number,
            external_id=mid.external_id,
            phone=who.phone_digits,
            name=who.name,
            channel_id=mid.channel_id,
            channel_code=code,
            tracking=parcel.tracking_number if parcel else "",
            carrier_id=carrier,
            labelled_day=labelled.date(),
            picked_number=picked or mid.number,
            shipped_number=shipped or mid.number,
            since=date(labelled.year, labelled.month, 1),
            waiting=tuple(waiting),
        )


Probe = Callable[[], Any]


def _dry(services: Services, fn: Callable[..., Any], *args: Any, **kw: Any) -> Probe:
    def call() -> Any:
        try:
            return fn(DryRun(services.session_factory), *args, **kw)
        except PackdeskError as exc:  # refused after its queries ran: the queries count
            return exc

    return call


def _run(services: Services, fn: Callable[..., Any], *args: Any, **kw: Any) -> Probe:
    return lambda: services.run(fn, *args, **kw)


def order_list_probes(services: Services, x: Sample) -> dict[str, Probe]:
    """The Orders screen: first page and count for every filter and search it offers."""
    queries = {
        "all": OrderQuery(),
        "status on_hold": OrderQuery(status="on_hold"),
        "status delivered": OrderQuery(status="delivered"),
        "status packed + channel": OrderQuery(status="packed", channel_id=x.channel_id),
        "channel": OrderQuery(channel_id=x.channel_id),
        "hold reason address": OrderQuery(hold_code="address"),
        "pickup only": OrderQuery(pickup=True),
        "search number": OrderQuery(search=x.number),
        "search number prefix": OrderQuery(search=x.number[:-3]),
        "search channel id": OrderQuery(search=x.external_id),
        "search phone": OrderQuery(search=x.phone),
        "search name": OrderQuery(search=x.name),
        "search tracking": OrderQuery(search=x.tracking),
        "search nothing found": OrderQuery(search="NO-SUCH-ORDER-42"),
    }
    probes: dict[str, Probe] = {}
    for label, q in queries.items():
        probes[f"orders list  {label}"] = _run(services, orders.list_orders, ADMIN, q)
        probes[f"orders count {label}"] = _run(services, orders.count_orders, ADMIN, q)
    probes["orders list  page 50 (keyset)"] = _run(
        services, orders.list_orders, ADMIN, OrderQuery(), after_id=x.order_id
    )
    return probes


def station_probes(services: Services, x: Sample) -> dict[str, Probe]:
    """The other main queries: detail, Review, waves, pick, pack, ship, delivery, returns."""
    out = Path(tempfile.mkdtemp(prefix="packdesk-bench-")) / "tracking.csv"
    review = OrderQuery(status="on_hold", stop_first=True)
    return {
        "order detail": _run(services, orders.order_detail, ADMIN, x.order_id),
        "review queue": _run(services, orders.list_orders, ADMIN, review),
        "review count": _run(services, orders.count_orders, ADMIN, review),
        "waves waiting orders": _run(services, wave_views.waiting_orders, ADMIN),
        # every allocated order in no wave, in waves of at most 200 (60,000 orders: 300 waves)
        "waves plan 200 allocated": _dry(services, wave_plan.create_waves, ADMIN, max_orders=200),
        # one wave: the 200 orders first in line, chosen by hand on the Waves screen
        "waves plan one wave by hand": _dry(
            services, wave_plan.create_waves, ADMIN, numbers=x.waiting
        ),
        "pick get work": _dry(services, pick_claim.get_work, ADMIN),
        "pack open order number": _dry(
            services, pack_open.open_for_packing, ADMIN, x.picked_number
        ),
        "pack open channel id": _dry(services, pack_open.open_for_packing, ADMIN, x.external_id),
        "pack open tote": _dry(services, pack_open.open_for_packing, ADMIN, "TOTE-9999"),
        "handover missing list": _run(
            services, handover_views.reconcile, ADMIN, x.carrier_id, x.labelled_day
        ),
        "tracking export": _dry(
            services,
            tracking_export.export_tracking,
            ADMIN,
            x.channel_code,
            out=out,
            since=x.since,
        ),
        "dashboard": _run(services, dashboard.dashboard, ADMIN),
        "delivery exceptions": _run(services, delivery_exceptions.list_exceptions, ADMIN),
        "returns open by number": _dry(services, returns.open_return, ADMIN, x.shipped_number),
        "returns open by tracking": _dry(services, returns.open_return, ADMIN, x.tracking),
    }


def all_probes(services: Services) -> tuple[Sample, dict[str, Probe]]:
    x = sample(services)
    return x, {**order_list_probes(services, x), **station_probes(services, x)}
