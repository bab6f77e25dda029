"""What a supervisor changes in a wave before it is picked: cancel it, re-plan it, split it.

All three are refused once any of the wave is being picked (a batch claimed or picked, or a
task with units picked or reported short): then the floor has goods in totes and the wave must
be finished (or its batches freed) first.

- **Cancel**: the wave and its batches become ``cancelled``, their pick tasks are removed, and
  the orders go back to ``allocated`` with their reservations kept (ready for another wave).
- **Re-plan**: the batches are made again from the wave's orders as they are now (an order
  cancelled, held or deallocated since is left out), re-routed and, for a released wave, their
  tasks made again from the current reservations.
- **Split**: chosen orders (or the orders of chosen batches) move to a new wave of the same
  method, cart and status; both waves are re-planned.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from app.db.models import Cart, Order, PickBatch, PickTask, Wave, WaveOrder
from app.db.uow import UnitOfWork
from app.domain.errors import ValidationError
from app.domain.orders import OrderStatus
from app.domain.users import Actor, Permission
from app.domain.waves import BatchStatus, TaskStatus, WaveStatus
from app.services.access import writes
from app.services.orders import StatusMove, transition_many
from app.services.wave_plan import (
    WaveSummary,
    clear_plan,
    next_number,
    plan_wave,
    planning_lock,
    summary,
)
from app.services.wave_release import find_wave, make_tasks


def _refuse_if_started(s: Session, wave: Wave) -> None:
    if wave.status not in (WaveStatus.PLANNED, WaveStatus.RELEASED):
        raise ValidationError(
            "Wave {wave} is {status}: it can no longer be changed.",
            wave=wave.number,
            status=wave.status,
        )
    batch_ids = select(PickBatch.id).where(PickBatch.wave_id == wave.id)
    claimed = s.scalar(
        select(func.count())
        .select_from(PickBatch)
        .where(
            PickBatch.wave_id == wave.id,
            PickBatch.status.in_([BatchStatus.PICKING.value, BatchStatus.PICKED.value]),
        )
    )
    worked = s.scalar(
        select(func.count())
        .select_from(PickTask)
        .where(
            PickTask.batch_id.in_(batch_ids),
            or_(
                PickTask.qty_picked > 0,
                PickTask.status.in_([TaskStatus.DONE.value, TaskStatus.SHORT.value]),
            ),
        )
    )
    if claimed or worked:
        raise ValidationError(
            "Wave {wave} is being picked: it can no longer be cancelled, re-planned or split. "
            "Free its batches on this screen first if nothing has been picked yet.",
            wave=wave.number,
        )


def _orders(s: Session, wave: Wave) -> list[tuple[int, str, str, int]]:
    return [
        (oid, number, status, version)
        for oid, number, status, version in s.execute(
            select(Order.id, Order.number, Order.status, Order.version)
            .join(WaveOrder, WaveOrder.order_id == Order.id)
            .where(WaveOrder.wave_id == wave.id)
            .order_by(Order.id)
        ).tuples()
    ]


def _expected(wave: Wave) -> str:
    """The status the wave's orders have while it waits: allocated (planned) or picking."""
    return OrderStatus.ALLOCATED if wave.status == WaveStatus.PLANNED else OrderStatus.PICKING


@writes(Permission.PLAN_WAVES)
def cancel_wave(uow: UnitOfWork, actor: Actor, wave: str) -> WaveSummary:
    """Cancel a wave nobody has started picking: its orders go back to allocated."""
    with uow:
        uow.require(actor, Permission.PLAN_WAVES)
        s = uow.session
        w = find_wave(s, wave, lock=True)
        _refuse_if_started(s, w)
        before = w.status
        moves = [
            StatusMove(oid, number, status, version, note=f"wave {w.number} cancelled")
            for oid, number, status, version in _orders(s, w)
            if status == OrderStatus.PICKING
        ]
        transition_many(uow, actor, moves, OrderStatus.ALLOCATED)
        batch_ids = select(PickBatch.id).where(PickBatch.wave_id == w.id)
        s.execute(delete(PickTask).where(PickTask.batch_id.in_(batch_ids)))
        for batch in s.scalars(select(PickBatch).where(PickBatch.wave_id == w.id)):
            batch.status = BatchStatus.CANCELLED.value
        w.status = WaveStatus.CANCELLED.value
        s.flush()
        result = summary(s, w)
        uow.audit(actor, "wave.cancel", "wave", w.number, before={"status": before})
        uow.commit()
        return result


def _replan(uow: UnitOfWork, wave: Wave, order_ids: Sequence[int]) -> list[int]:
    """Make the wave's batches (and tasks, when released) again from those of ``order_ids``
    still waiting in the status the wave expects; returns the orders left out."""
    s = uow.session
    want = _expected(wave)
    status = dict(
        s.execute(select(Order.id, Order.status).where(Order.id.in_(order_ids))).tuples().all()
    )
    keep = [o for o in order_ids if status.get(o) == want]
    dropped = [o for o in order_ids if status.get(o) != want]
    clear_plan(s, wave.id)
    s.flush()
    cart = s.get(Cart, wave.cart_id) if wave.cart_id else None
    if not keep or cart is None:
        wave.status = WaveStatus.CANCELLED.value
        wave.planned_m = 0.0
        return dropped
    plan_wave(uow, wave, keep, cart)
    s.flush()
    if wave.status == WaveStatus.RELEASED:
        make_tasks(uow, wave)
    return dropped


@writes(Permission.PLAN_WAVES)
def replan_wave(uow: UnitOfWork, actor: Actor, wave: str) -> WaveSummary:
    """Batch and route a planned or released wave again (before anyone picks it); orders no
    longer waiting for it are left out."""
    with uow:
        uow.require(actor, Permission.PLAN_WAVES)
        s = uow.session
        w = find_wave(s, wave, lock=True)
        _refuse_if_started(s, w)
        dropped = _replan(uow, w, [o[0] for o in _orders(s, w)])
        s.flush()
        result = summary(s, w)
        uow.audit(
            actor,
            "wave.replan",
            "wave",
            w.number,
            after={"orders": result.orders, "batches": result.batches, "dropped": dropped},
        )
        uow.commit()
        return result


@writes(Permission.PLAN_WAVES)
def split_wave(
    uow: UnitOfWork,
    actor: Actor,
    wave: str,
    order_ids: Sequence[int] = (),
    batch_ids: Sequence[int] = (),
) -> WaveSummary:
    """Move the chosen orders (or the orders of the chosen batches) to a new wave; both waves
    are re-planned. Returns the new wave."""
    with uow:
        uow.require(actor, Permission.PLAN_WAVES)
        s = uow.session
        planning_lock(s)
        w = find_wave(s, wave, lock=True)
        _refuse_if_started(s, w)
        members = [o[0] for o in _orders(s, w)]
        moving = set(order_ids) | set(
            s.scalars(
                select(WaveOrder.order_id).where(
                    WaveOrder.wave_id == w.id, WaveOrder.batch_id.in_(batch_ids or [-1])
                )
            )
        )
        if not moving or not moving <= set(members) or moving == set(members):
            raise ValidationError(
                "Choose some of the orders or batches of wave {wave} to move to a new wave, "
                "not none and not all.",
                wave=w.number,
            )
        new = Wave(
            number=next_number(s),
            warehouse_id=w.warehouse_id,
            status=w.status,
            pick_method=w.pick_method,
            rule_id=w.rule_id,
            cart_id=w.cart_id,
            priority=w.priority,
            carrier_id=w.carrier_id,
            cutoff=w.cutoff,
            created_by=actor.user_id,
            released_at=w.released_at,
            released_by=w.released_by,
            note=f"split from {w.number}",
        )
        s.add(new)
        s.flush()
        _replan(uow, w, [o for o in members if o not in moving])
        _replan(uow, new, sorted(moving))
        s.flush()
        result = summary(s, new)
        uow.audit(
            actor, "wave.split", "wave", w.number, after={"new": new.number, "orders": len(moving)}
        )
        uow.commit()
        return result
