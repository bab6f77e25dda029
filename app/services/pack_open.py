"""Opening an order at the pack station, resuming the station's open order, and giving it up.

The packer scans a tote, an order number, a pick-list barcode (a batch, ``W000123-2``: its next
order to pack) or a channel order id. A picked order is packable, and so is an allocated order
that is in no wave (a shop without picking: the packer takes the items from their locations).
One session per order may be open: the partial unique index ``uq_pack_sessions_open_order``
decides a race between two stations, and the loser is told which station has it.
"""

from __future__ import annotations

import re

from sqlalchemy import exc as sa_exc
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.db.models import (
    CarrierService,
    Channel,
    Location,
    Order,
    OrderHold,
    OrderLine,
    PackException,
    PackItem,
    PackSession,
    Parcel,
    PickBatch,
    Reservation,
    Station,
    StockLevel,
    User,
    Wave,
    WaveOrder,
    utcnow,
)
from app.db.uow import UnitOfWork
from app.domain.errors import PackdeskError
from app.domain.orders import OrderStatus
from app.domain.users import Actor, Permission
from app.services import pack_state
from app.services.access import reads, writes
from app.services.orders import transition
from app.services.pack_dto import PackView
from app.services.pack_state import OPEN, P_LABELLED, P_OPEN, P_VOIDED, RELEASED

S = OrderStatus
BATCH_LABEL = re.compile(r"^(W\d+)-(\d+)$", re.IGNORECASE)


class NothingToPack(PackdeskError):
    template = (
        "Nothing to pack is known by {text}. Scan a tote, an order number, a pick list or a "
        "channel order id."
    )


class OpenElsewhere(PackdeskError):
    template = (
        "Order {order} is being packed at station {station} by {user}. Finish or release it "
        "there first."
    )


class OrderOnHold(PackdeskError):
    template = "Order {order} is on hold: {reasons} It cannot be packed until it is released."


class OrderCancelled(PackdeskError):
    template = "Order {order} is cancelled: do not pack it. Put its items aside for a supervisor."


class NotPicked(PackdeskError):
    template = "Order {order} is not picked yet (it is {status}). Pack it once it is picked."


class BeingPicked(PackdeskError):
    template = (
        "Order {order} is being picked in wave {wave}. Pack it once its batch is picked, "
        "from the tote."
    )


class AlreadyPacked(PackdeskError):
    template = (
        "Order {order} is already {status}. To print its label again use reprint; to pack it "
        "again, void its parcels first."
    )


class SeveralOrders(PackdeskError):
    template = (
        "The channel order id {text} belongs to several orders: {orders}. Scan our order "
        "number instead."
    )


class BatchDone(PackdeskError):
    template = (
        "No order of pick list {batch} is waiting to be packed ({statuses}). Scan a tote or "
        "an order number."
    )


class LabelledParcels(PackdeskError):
    template = (
        "Parcel {seq} of order {order} is labelled ({tracking}): void it first, then release "
        "the order."
    )


# --- finding the order ------------------------------------------------------------------------


def find_order(s: Session, text: str) -> Order:
    """The order ``text`` names (order number, tote, pick-list batch, channel order id)."""
    key = text.strip()
    # order numbers are ours and upper case (PD00000001, PD00000010-2): the number as scanned or
    # in upper case, on the unique index (upper(number) = ? read every order)
    order = s.scalar(select(Order).where(Order.number.in_(sorted({key, key.upper()}))).limit(1))
    if order is not None:
        return order
    order = _by_tote(s, key)
    if order is not None:
        return order
    m = BATCH_LABEL.match(key)
    if m:
        return _by_batch(s, key, m.group(1).upper(), int(m.group(2)))
    rows = s.execute(
        select(Order, Channel.name)
        .join(Channel, Channel.id == Order.channel_id)
        .where(Order.external_id == key)
        .order_by(Order.id)
    ).all()
    if len(rows) > 1:
        raise SeveralOrders(text=key, orders=", ".join(f"{o.number} ({ch})" for o, ch in rows))
    if rows:
        found: Order = rows[0][0]
        return found
    raise NothingToPack(text=key)


_LIVE = (S.PICKING.value, S.PICKED.value, S.PACKING.value)


def _by_tote(s: Session, code: str) -> Order | None:
    """The order whose units are reserved in the tote, else the order the tote was given to."""
    oid = s.scalar(
        select(Order.id)
        .join(OrderLine, OrderLine.order_id == Order.id)
        .join(Reservation, Reservation.order_line_id == OrderLine.id)
        .join(StockLevel, StockLevel.id == Reservation.stock_level_id)
        .join(Location, Location.id == StockLevel.location_id)
        .where(
            func.upper(Location.code) == code.upper(),
            Location.kind == "tote",
            Order.status.in_(_LIVE),
        )
        .order_by(Order.id)
        .limit(1)
    )
    if oid is None:
        oid = s.scalar(
            select(WaveOrder.order_id)
            .join(Order, Order.id == WaveOrder.order_id)
            .where(func.upper(WaveOrder.tote_code) == code.upper(), Order.status.in_(_LIVE))
            .order_by(WaveOrder.id.desc())
            .limit(1)
        )
    return s.get(Order, oid) if oid is not None else None


def _by_batch(s: Session, key: str, wave: str, number: int) -> Order:
    rows = s.execute(
        select(Order.id, Order.status)
        .join(WaveOrder, WaveOrder.order_id == Order.id)
        .join(PickBatch, PickBatch.id == WaveOrder.batch_id)
        .join(Wave, Wave.id == PickBatch.wave_id)
        .where(Wave.number == wave, PickBatch.number == number)
        .order_by(WaveOrder.tote_slot, WaveOrder.wall_slot, Order.id)
    ).all()
    if not rows:
        raise NothingToPack(text=key)
    for oid, status in rows:
        if status == S.PICKED.value:
            return s.get_one(Order, oid)
    statuses = ", ".join(sorted({st for _, st in rows}))
    raise BatchDone(batch=key, statuses=statuses)


def _check_packable(s: Session, order: Order) -> None:
    status = order.status
    if status == S.CANCELLED.value:
        raise OrderCancelled(order=order.number)
    if status == S.ON_HOLD.value:
        reasons = s.scalars(
            select(OrderHold.reason).where(
                OrderHold.order_id == order.id, OrderHold.resolved_at.is_(None)
            )
        ).all()
        raise OrderOnHold(order=order.number, reasons=" ".join(reasons) or "-")
    if status in (S.PACKED.value, S.SHIPPED.value, S.DELIVERED.value, S.RETURNED.value):
        raise AlreadyPacked(order=order.number, status=status)
    wave = _wave_of(s, order.id, live=status != S.PICKING.value)
    if status == S.PICKING.value or (status == S.ALLOCATED.value and wave):
        raise BeingPicked(order=order.number, wave=wave or "-")
    if status not in (S.PICKED.value, S.ALLOCATED.value, S.PACKING.value):
        raise NotPicked(order=order.number, status=status)


def _wave_of(s: Session, order_id: int, *, live: bool) -> str:
    """The order's wave ("" none): with ``live``, only a wave still planned or being picked."""
    stmt = (
        select(Wave.number)
        .join(WaveOrder, WaveOrder.wave_id == Wave.id)
        .where(WaveOrder.order_id == order_id)
        .order_by(Wave.id.desc())
        .limit(1)
    )
    if live:
        stmt = stmt.where(Wave.status.in_(("planned", "released", "picking")))
    return s.scalar(stmt) or ""


def _open_session(s: Session, order_id: int) -> PackSession | None:
    return s.scalar(
        select(PackSession).where(PackSession.order_id == order_id, PackSession.status == OPEN)
    )


def _mine(ps: PackSession, actor: Actor) -> bool:
    if actor.station_id is not None:
        return ps.station_id == actor.station_id
    return ps.user_id == actor.user_id


def _refuse_elsewhere(s: Session, order: Order, ps: PackSession) -> OpenElsewhere:
    station = s.get(Station, ps.station_id) if ps.station_id else None
    user = s.get(User, ps.user_id) if ps.user_id else None
    return OpenElsewhere(
        order=order.number,
        station=(station.name or station.code) if station else "-",
        user=user.username if user else "-",
    )


def new_parcel(s: Session, actor: Actor, ps: PackSession) -> Parcel:
    seq = s.scalar(select(func.max(Parcel.seq)).where(Parcel.order_id == ps.order_id)) or 0
    parcel = Parcel(
        order_id=ps.order_id,
        session_id=ps.id,
        seq=seq + 1,
        status=P_OPEN,
        created_by=actor.user_id,
        station_id=actor.station_id,
    )
    s.add(parcel)
    s.flush()
    return parcel


# --- the services -----------------------------------------------------------------------------


@writes(Permission.PACK)
def open_for_packing(uow: UnitOfWork, actor: Actor, text: str) -> PackView:
    """Open the order named by ``text`` (tote code, order number, pick-list barcode or channel
    order id) at the actor's station. Re-opening an order this station already has open resumes
    it. Refused (``PackdeskError``) when the order is open at another station (named), on hold
    (with its reasons), cancelled, not yet picked (its status; "being picked in wave W"), or
    already packed (reprint or void). The order goes to ``packing``; audited."""
    with uow:
        actor = uow.require(actor, Permission.PACK)
        s = uow.session
        order = find_order(s, text)
        ps = _open_session(s, order.id)
        if ps is not None:
            if not _mine(ps, actor):
                raise _refuse_elsewhere(s, order, ps)
            return pack_state.view(s, pack_state.load(s, ps.id))
        _check_packable(s, order)
        ps = _insert_session(uow, actor, order, text)
        new_parcel(s, actor, ps)
        transition(uow, actor, order, S.PACKING, note=f"packing at {actor.station_code or '-'}")
        uow.audit(
            actor,
            "pack.open",
            "order",
            order.number,
            {"status": ps.from_status},
            {"session": ps.id, "scanned": text.strip()[:128]},
        )
        st = pack_state.load(s, ps.id)
        out = pack_state.view(s, st, warnings=pack_state.pool_warnings(s, _carrier_of(s, order)))
        uow.commit()
        return out


def _carrier_of(s: Session, order: Order) -> int | None:
    if order.carrier_service_id is None:
        return None
    svc = s.get(CarrierService, order.carrier_service_id)
    return svc.carrier_id if svc else None


def _insert_session(uow: UnitOfWork, actor: Actor, order: Order, text: str) -> PackSession:
    """The session row; a second station racing for the same order waits on the unique index
    (PostgreSQL) or the write lock (SQLite) and is refused naming the first."""
    s = uow.session
    batch_id = s.scalar(
        select(WaveOrder.batch_id).where(WaveOrder.order_id == order.id).order_by(WaveOrder.id)
    )
    ps = PackSession(
        order_id=order.id,
        station_id=actor.station_id,
        user_id=actor.user_id,
        status=OPEN,
        mode="order",
        batch_id=batch_id,
        from_status=order.status,
        opened_by_scan=text.strip()[:128],
    )
    try:
        with s.begin_nested():
            s.add(ps)
            s.flush()
    except sa_exc.IntegrityError:
        winner = _open_session(s, order.id)
        if winner is None:
            raise
        raise _refuse_elsewhere(s, order, winner) from None
    return ps


@reads
def resume(uow: UnitOfWork, actor: Actor) -> PackView | None:
    """The station's open pack session as it was left (items, parcels, weights), or None."""
    with uow:
        actor = uow.require(actor, Permission.PACK)
        s = uow.session
        where = (
            PackSession.station_id == actor.station_id
            if actor.station_id is not None
            else PackSession.user_id == actor.user_id
        )
        ps = s.scalar(
            select(PackSession)
            .where(where, PackSession.status == OPEN)
            .order_by(PackSession.id.desc())
            .limit(1)
        )
        return pack_state.view(s, pack_state.load(s, ps.id)) if ps else None


@reads
def pack_view(uow: UnitOfWork, actor: Actor, session_id: int) -> PackView:
    """The session's view now."""
    with uow:
        uow.require(actor, Permission.PACK)
        s = uow.session
        return pack_state.view(s, pack_state.load(s, session_id))


@writes(Permission.PACK)
def release(uow: UnitOfWork, actor: Actor, session_id: int) -> PackView:
    """Give the order up: the units verified into parcels not yet labelled are set aside (the
    rows stay, voided: nothing left the tote), the order goes back to where it was (picked or
    allocated), the session is ``released``; audited. Refused while a parcel of it is labelled
    (void that parcel first)."""
    with uow:
        actor = uow.require(actor, Permission.PACK)
        s = uow.session
        st = pack_state.load(s, session_id)
        if st.ps.status != OPEN:
            return pack_state.view(s, st)
        for p in st.parcels:
            if p.status == P_LABELLED:
                raise LabelledParcels(
                    seq=p.seq, order=st.order.number, tracking=p.tracking_number or "-"
                )
        now = utcnow()
        ids = [p.id for p in st.parcels]
        units = sum(i.qty for i in st.items)
        if ids:
            s.execute(
                update(PackItem)
                .where(PackItem.parcel_id.in_(ids), PackItem.voided_at.is_(None))
                .values(voided_at=now)
            )
            s.execute(
                update(Parcel)
                .where(Parcel.id.in_(ids))
                .values(
                    status=P_VOIDED, voided_at=now, voided_by=actor.user_id, void_reason="released"
                )
            )
        s.execute(
            update(PackException)
            .where(PackException.session_id == st.ps.id, PackException.resolved_at.is_(None))
            .values(resolved_at=now, resolved_by=actor.user_id, resolution="voided")
        )
        st.ps.status, st.ps.closed_at = RELEASED, now
        back = S.ALLOCATED if st.ps.from_status == S.ALLOCATED.value else S.PICKED
        if st.order.status == S.PACKING.value:
            transition(uow, actor, st.order, back, note="released at the pack station")
        uow.audit(
            actor,
            "pack.release",
            "order",
            st.order.number,
            {"session": st.ps.id, "units_verified": units},
            {"status": back.value},
        )
        out = pack_state.view(s, pack_state.load(s, session_id))
        uow.commit()
        return out
