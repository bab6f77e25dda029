"""The update path of an import: orders the channel changed are updated through the ORM while
not yet allocated (their version counter guards against a reviewer editing at the same moment)
and checked again with ``order_checks.check_loaded``; an order the channel cancelled is
cancelled here while nothing is picked, or held for someone to stop and put the items back.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table, delete, exists, insert, or_, select, update
from sqlalchemy.orm import aliased

from app.db.models import Address, Order, OrderExternalRef, OrderHold, OrderLine, utcnow
from app.db.uow import UnitOfWork
from app.domain.check_settings import CheckSettings
from app.domain.orders import EDITABLE, STOP_HOLDABLE, OrderStatus, status_note
from app.importers.records import (
    CANCELLED_HERE,
    CANCELLED_STOP,
    NOT_UPDATED,
    OrderRecord,
    ProblemKind,
)
from app.services.allocation import release_reservations
from app.services.channel_cancel import hold_to_stop, stopped
from app.services.intake_batch import Existing, ImportContext, Written, problem
from app.services.intake_rows import (
    address_row,
    order_sum,
    payment_columns,
    protected,
    refresh_source,
    source_row,
)
from app.services.listing_match import PlannedLine
from app.services.order_checks import check_loaded
from app.services.orders import transition

S = OrderStatus
#: an order the channel cancels in these states is cancelled here too
_NOT_PICKED = frozenset({S.NEW, S.ON_HOLD, S.RELEASED, S.ALLOCATED})
#: nothing more to do here when the channel cancels (reported as not updated, as any change)
_FINISHED = frozenset({S.SHIPPED, S.DELIVERED, S.CANCELLED, S.RETURNED})
_lines = cast(Table, OrderLine.__table__)


def updatable(
    ctx: ImportContext,
    uow: UnitOfWork,
    changed: list[tuple[OrderRecord, str, Existing]],
    out: Written,
) -> list[tuple[OrderRecord, str, Existing]]:
    """Changed orders that may still be updated; the others are reported. An order the
    channel cancelled is cancelled here while nothing is picked yet."""
    if not changed:
        return []
    changed = _cancelled_in_channel(ctx, uow, changed, out)
    s = uow.session
    ids = [ex.order_id for _, _, ex in changed]
    other = aliased(Order)
    merged_or_split = set(
        s.scalars(
            select(Order.id).where(
                Order.id.in_(ids),
                or_(
                    Order.merged_into_id.is_not(None),
                    Order.split_from_id.is_not(None),
                    exists().where(OrderExternalRef.order_id == Order.id),
                    exists().where(
                        or_(other.split_from_id == Order.id, other.merged_into_id == Order.id)
                    ),
                ),
            )
        )
    )
    keep = []
    for rec, h, ex in changed:
        if ex.status not in EDITABLE:
            out.problems.append(
                problem(
                    rec,
                    NOT_UPDATED,
                    kind=ProblemKind.NOT_UPDATED,
                    status=ex.status,
                    number=ex.number,
                )
            )
        elif ex.order_id in merged_or_split:
            out.problems.append(
                problem(
                    rec,
                    NOT_UPDATED,
                    kind=ProblemKind.NOT_UPDATED,
                    status="merged or split",
                    number=ex.number,
                )
            )
        else:
            keep.append((rec, h, ex))
    return keep


def _cancelled_in_channel(
    ctx: ImportContext,
    uow: UnitOfWork,
    changed: list[tuple[OrderRecord, str, Existing]],
    out: Written,
) -> list[tuple[OrderRecord, str, Existing]]:
    """Cancel here the orders the channel cancelled that are not picked yet (reserved stock
    given back, audited); hold the ones being picked or packed: someone must stop and put
    the items back (``channel_cancel``). An order already held for that is left alone."""
    keep = []
    stops = stopped(uow.session, [ex.order_id for _, _, ex in changed])
    for rec, h, ex in changed:
        if ex.order_id in stops:
            kind = ProblemKind.NOT_UPDATED
            out.problems.append(
                problem(rec, NOT_UPDATED, kind=kind, status=ex.status, number=ex.number)
            )
        elif rec.cancelled and ex.status in STOP_HOLDABLE:
            order = uow.session.get(Order, ex.order_id)
            assert order is not None
            hold_to_stop(uow, ctx.actor, order)
            refresh_source(uow.session, source_row(order.id, h, rec, ctx.batch_id, utcnow()))
            out.counts.updated += 1
            out.counts.held += 1
            kind = ProblemKind.WARNING
            out.problems.append(
                problem(rec, CANCELLED_STOP, kind=kind, status=ex.status, number=ex.number)
            )
        elif not rec.cancelled or ex.status in _FINISHED:
            keep.append((rec, h, ex))
        elif ex.status in _NOT_PICKED:
            order = uow.session.get(Order, ex.order_id)
            assert order is not None
            release_reservations(uow.session, [order.id])
            transition(uow, ctx.actor, order, S.CANCELLED, status_note("cancelled_in_channel"))
            uow.session.execute(
                update(OrderHold)
                .where(OrderHold.order_id == order.id, OrderHold.resolved_at.is_(None))
                .values(resolved_at=utcnow(), resolved_by=ctx.actor.user_id)
            )
            refresh_source(uow.session, source_row(order.id, h, rec, ctx.batch_id, utcnow()))
            out.counts.updated += 1
            kind = ProblemKind.WARNING
            out.problems.append(problem(rec, CANCELLED_HERE, kind=kind, number=ex.number))
    return keep


def update_changed(
    ctx: ImportContext,
    uow: UnitOfWork,
    changed: list[tuple[OrderRecord, str, Existing]],
    plans: dict[str, list[PlannedLine]],
    customers: dict[str, int],
    settings: CheckSettings,
    out: Written,
) -> None:
    s = uow.session
    now = utcnow()
    ids = []
    for rec, h, ex in changed:
        order = s.get(Order, ex.order_id)
        assert order is not None
        before = {"status": order.status, "total": str(order.total)}
        order.customer_id = customers.get(rec.external_id, order.customer_id)
        order.currency = (rec.currency or order.currency)[:3]
        order.total = rec.total if rec.total is not None else order_sum(rec)
        order.payment_status = rec.payment_status[:24]
        for key, value in payment_columns(rec, settings).items():
            setattr(order, key, value)
        order.recipient_protected = protected(rec)
        if rec.placed_at is not None:
            order.placed_at = rec.placed_at
        order.note = rec.note
        order.updated_at = now
        row = address_row(rec, order.customer_id)
        addr = s.get(Address, order.ship_address_id) if order.ship_address_id else None
        if addr is None:
            addr = Address(**row)
            s.add(addr)
            s.flush()
            order.ship_address_id = addr.id
        else:
            for k, v in row.items():
                setattr(addr, k, v)
        s.execute(delete(OrderLine).where(OrderLine.order_id == order.id))
        s.execute(
            insert(_lines),
            [ln.row(order.id, no) for no, ln in enumerate(plans[rec.external_id], 1)],
        )
        refresh_source(s, source_row(order.id, h, rec, ctx.batch_id, now))
        uow.audit(
            ctx.actor,
            "order.update_from_channel",
            "order",
            order.number,
            before=before,
            after={"total": str(order.total), "lines": len(rec.lines), "batch": ctx.batch_id},
            note=status_note("changed_row", file=ctx.file_name or "the channel", row=rec.row),
        )
        ids.append(order.id)
    s.flush()
    results = check_loaded(uow, ctx.actor, ids, note=status_note("updated"))
    out.counts.updated += len(ids)
    out.counts.held += sum(1 for r in results if r.held)
    out.counts.released += sum(1 for r in results if r.status == S.RELEASED.value)
    out.order_ids += ids
