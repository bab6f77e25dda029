"""SHIP PARTIAL at the pack station: ship what was scanned, the rest to the backorder policy.

It needs the SHIP_PARTIAL permission (the packer is refused plainly without it). The units not
scanned are split off the order into a new order (as a short allocation splits a backorder):
with the ``backorder`` shortage policy it waits for stock (``released``, its lines marked
backordered); with ``hold`` it is put on hold naming each SKU short, for a reviewer. Their
reservations are given back: the units that are in the tote stay there as free stock for a
supervisor to put away. The order itself now holds only what was scanned, and is weighed and
labelled as usual.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import Order, OrderHold, OrderLine, OrderStatusChange, Reservation, utcnow
from app.db.uow import UnitOfWork
from app.domain.allocation import ShortagePolicy, shortage_reason
from app.domain.orders import OrderStatus, status_note
from app.domain.users import ACTION_WORDS, Actor, Permission
from app.services import pack_finish, pack_state
from app.services.access import step
from app.services.allocation import read_rules
from app.services.merge_split import split_off_many
from app.services.orders import transition
from app.services.pack_dto import ScanOutcome
from app.services.pack_scan import answer
from app.services.pack_state import State
from app.services.stock import lock_levels, release_locked


@step
def ship_partial(uow: UnitOfWork, actor: Actor, st: State) -> ScanOutcome:
    """The SHIP PARTIAL command scanned at the station (inside the scan's unit of work)."""
    s = uow.session
    current = uow.require(actor)
    if not current.can(Permission.SHIP_PARTIAL):
        return answer(
            s,
            st,
            False,
            "refused",
            "not_permitted",
            {"user": actor.username, "action": ACTION_WORDS[Permission.SHIP_PARTIAL]},
            refusal="not_permitted",
        )
    if st.pending_serial is not None:
        line = st.line(st.pending_serial.line_id)
        return answer(
            s,
            st,
            False,
            "refused",
            "serial_first",
            {"sku": line.sku if line else ""},
            refusal="serial_wanted",
        )
    missing = {ln.id: ln.qty - st.verified(ln.id) for ln in st.lines}
    missing = {k: v for k, v in missing.items() if v > 0}
    scanned = sum(st.verified(ln.id) for ln in st.lines)
    if not scanned:
        return answer(s, st, False, "refused", "partial_nothing", {}, refusal="no_items")
    if not missing:
        return answer(s, st, True, "command", "verified_last", {})
    _give_back(s, st, missing)
    policy = read_rules(s).shortage_policy
    backorder = policy is ShortagePolicy.BACKORDER
    [done] = split_off_many(
        uow,
        actor,
        [(st.order.id, missing)],
        note=status_note("backorder"),
        backorder=backorder,
        packing=True,
    )
    new = s.get_one(Order, done.new_order_id)
    s.refresh(st.order)
    if backorder:
        _to_released(uow, actor, new)
        outcome = "backorder"
    else:
        _hold_short(uow, actor, new)
        outcome = "hold"
    units = sum(missing.values())
    uow.audit(
        actor,
        "pack.ship_partial",
        "order",
        st.order.number,
        {"missing": {str(k): v for k, v in missing.items()}},
        {"new_order": done.new_number, "policy": outcome, "units": units},
    )
    s.flush()
    fresh = pack_state.load(s, st.ps.id)
    cur = fresh.current
    params = {"units": units, "outcome": outcome, "new": done.new_number}
    ready = cur is not None and cur.weight_g is not None and cur.id not in fresh.stopped
    if fresh.all_verified and (
        ready or not (fresh.settings.require_weight and not fresh.order.pickup)
    ):
        result = pack_finish.finish(uow, actor, fresh)
        out = pack_finish.outcome_of(s, fresh, result)
        uow.commit()
        return out
    out = answer(s, fresh, True, "partial", "partial", params)
    uow.commit()
    return out


def _give_back(s: Session, st: State, missing: dict[int, int]) -> None:
    """Release the reservations of the units not scanned (the last ones reserved first)."""
    rows = s.scalars(
        select(Reservation)
        .where(Reservation.order_line_id.in_(list(missing)))
        .order_by(Reservation.id.desc())
    ).all()
    levels = lock_levels(s, [r.stock_level_id for r in rows])
    left = defaultdict(int, missing)
    for res in rows:
        n = min(left[res.order_line_id], res.qty)
        if n <= 0:
            continue
        release_locked(levels[res.stock_level_id], n)
        left[res.order_line_id] -= n
        if n == res.qty:
            s.delete(res)
        else:
            res.qty -= n
    s.flush()


def _to_released(uow: UnitOfWork, actor: Actor, order: Order) -> None:
    """The backorder part waits for stock as a released order (a split made at the pack
    station starts from ``packing``, a state it cannot move back from by the usual path)."""
    before = order.status
    order.status, order.updated_at = OrderStatus.RELEASED.value, utcnow()
    uow.session.add(
        OrderStatusChange(
            order_id=order.id,
            from_status=before,
            to_status=order.status,
            user_id=actor.user_id,
            station_id=actor.station_id,
            note=status_note("backorder"),
        )
    )
    uow.audit(
        actor,
        "order.status",
        "order",
        order.number,
        {"status": before},
        {"status": order.status},
        note=status_note("backorder"),
    )


def _hold_short(uow: UnitOfWork, actor: Actor, order: Order) -> None:
    s = uow.session
    for sku, qty in s.execute(
        select(OrderLine.sku, OrderLine.qty).where(OrderLine.order_id == order.id)
    ):
        why = shortage_reason(sku, qty, 0)
        s.add(
            OrderHold(
                order_id=order.id,
                code=why.code,
                reason=why.reason,
                template=why.template,
                params=dict(why.params),
                created_by=actor.user_id,
            )
        )
    transition(uow, actor, order, OrderStatus.ON_HOLD, note="ship partial at the pack station")
