"""What a reviewer or supervisor does to orders, one or many at once: release, hold, cancel,
allocate and deallocate. Each returns a result per order, so a bulk action reports every order;
every status change goes through ``app.services.orders.transition`` (historied and audited).

Allocation (see ``app.domain.allocation`` for which stock a line gets) takes the released orders
oldest first. When stock is short the warehouse's shortage policy decides:

- ``hold``: the order reserves nothing and goes on hold, one reason per short SKU naming the
  shortfall; releasing it again retries.
- ``backorder``: the order reserves what is there and is allocated; the missing units are split
  off into a backorder order (``<number>-2``..., ``split_from_id`` set, lines marked
  ``qty_backordered``) that stays released and is allocated by a later run once stock arrives.
  An order of which nothing at all can be reserved is not split: it stays released with its
  lines' ``qty_backordered`` set, and the next run tries again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from app.db.models import Order, OrderHold, OrderLine, utcnow
from app.db.uow import UnitOfWork
from app.domain.allocation import LineNeed, OrderPlan, Outcome, plan_order
from app.domain.errors import ValidationError
from app.domain.holds import HoldReason
from app.domain.orders import STOP_HOLDABLE, OrderStatus, can_transition, status_note
from app.domain.users import Actor, Permission
from app.services import allocation, merge_split
from app.services.access import reads, writes
from app.services.channel_cancel import stopped
from app.services.orders import StatusMove, transition, transition_many

S = OrderStatus
_lines = cast(Table, OrderLine.__table__)


#: The per-order results of the actions, as English templates (``number`` is the order number;
#: ``status`` an order status value). Screens translate the template and fill in the same
#: parameters; tools/i18n.py collects these for the translators.
RESULT_WORDS: dict[str, str] = {
    "not_found": "Order {number} was not found.",
    "released": "Order {number} released.",
    "not_releasable": "Order {number} is {status}; only new or held orders can be released.",
    "stopped": "Order {number} was cancelled in the channel while it was being picked or "
    "packed: put the items back, then cancel it. It cannot be released.",
    "held": "Order {number} is on hold.",
    "held_given_back": "Order {number} is on hold; {units} reserved units were given back.",
    "already_held": "Order {number} was already on hold; the reason was added.",
    "not_holdable": "Order {number} is {status}; it can no longer be held.",
    "cancelled": "Order {number} cancelled.",
    "cancelled_given_back": "Order {number} cancelled; {units} reserved units were given back.",
    "not_cancellable": "Order {number} is {status}; it can no longer be cancelled.",
    "deallocated": "Order {number} deallocated; {units} units given back.",
    "not_deallocatable": "Order {number} is {status}; only allocated orders can be deallocated.",
    "allocated": "Order {number} allocated; units reserved: {units}.",
    "allocated_partly": (
        "Order {number} allocated; units reserved: {units}. Units waiting for stock on "
        "backorder {backorder}: {missing}."
    ),
    "held_short": "Order {number} held: {reasons}",
    "waits": "Order {number} waits for stock: none of its {missing} units can be reserved yet.",
    "busy": "Order {number} is being allocated at another station.",
    "not_released": "Order {number} is {status}; only released orders are allocated.",
    "merged": "Orders {merged} were merged into {number}.",
    "split": "Units moved from order {number} to the new order {new_number}: {units}.",
}


@dataclass(frozen=True)
class OrderResult:
    """What happened to one order of a bulk action: ``code`` names its RESULT_WORDS template."""

    order_id: int
    number: str
    ok: bool
    code: str
    params: Mapping[str, object] = field(default_factory=dict)
    #: why the order was held (``params["reasons"]`` is their English), for other languages
    holds: tuple[HoldReason, ...] = field(default=(), kw_only=True)

    @property
    def template(self) -> str:
        return RESULT_WORDS[self.code]

    @property
    def message(self) -> str:
        return self.template.format(number=self.number, **self.params)


@dataclass(frozen=True)
class ActionReport:
    """Results of a bulk action, in the order the orders were given."""

    results: tuple[OrderResult, ...]

    @property
    def done(self) -> int:
        return sum(r.ok for r in self.results)

    @property
    def refused(self) -> int:
        return len(self.results) - self.done


@dataclass(frozen=True)
class AllocationResult(OrderResult):
    """One order of an allocation run."""

    #: app.domain.allocation.Outcome value, or "skipped" when the order was not allocatable
    outcome: str = "skipped"
    reserved_units: int = 0
    backordered_units: int = 0
    #: the backorder order split off (policy "backorder")
    backorder_number: str = ""


@dataclass(frozen=True)
class AllocationReport:
    """An allocation run: every order's result and the totals."""

    results: tuple[AllocationResult, ...] = field(default_factory=tuple)

    def _with(self, outcome: str) -> list[AllocationResult]:
        return [r for r in self.results if r.outcome == outcome]

    @property
    def allocated(self) -> list[AllocationResult]:
        """Fully allocated orders, and the allocated part of orders split for a backorder."""
        return self._with(Outcome.ALLOCATED) + self._with(Outcome.PARTIAL)

    @property
    def backordered(self) -> list[AllocationResult]:
        """Orders with units waiting for stock (split off, or the whole order)."""
        return self._with(Outcome.PARTIAL) + self._with(Outcome.BACKORDERED)

    @property
    def held(self) -> list[AllocationResult]:
        return self._with(Outcome.HELD)

    @property
    def skipped(self) -> list[AllocationResult]:
        return self._with("skipped")

    @property
    def reserved_units(self) -> int:
        return sum(r.reserved_units for r in self.results)

    def as_dict(self) -> dict[str, object]:
        """Plain data for ``packdesk orders allocate --json``."""

        def entry(r: AllocationResult) -> dict[str, object]:
            d: dict[str, object] = {"number": r.number, "message": r.message}
            if r.reserved_units:
                d["reserved_units"] = r.reserved_units
            if r.backordered_units:
                d["backordered_units"] = r.backordered_units
            if r.backorder_number:
                d["backorder_number"] = r.backorder_number
            return d

        return {
            "allocated": [entry(r) for r in self.allocated],
            "backordered": [entry(r) for r in self.backordered],
            "held": [entry(r) for r in self.held],
            "skipped": [entry(r) for r in self.skipped],
            "reserved_units": self.reserved_units,
        }


# --- release, hold, cancel ----------------------------------------------------------------------


@writes(Permission.RELEASE_ORDERS)
def release(
    uow: UnitOfWork, actor: Actor, order_ids: Sequence[int], note: str = ""
) -> ActionReport:
    """Release new or held orders for allocation; their open hold reasons count as resolved by
    this reviewer."""
    with uow:
        uow.require(actor, Permission.RELEASE_ORDERS)
        s = uow.session
        orders, results = _load(s, order_ids)
        stops = stopped(s, list(orders))
        done: list[int] = []
        for oid in order_ids:
            o = orders.get(oid)
            if o is None:
                continue
            if not can_transition(S(o.status), S.RELEASED) or o.status == S.ALLOCATED:
                results[oid] = _refused(o, "not_releasable")
                continue
            if oid in stops:
                results[oid] = _refused(o, "stopped")
                continue
            transition(uow, actor, o, S.RELEASED, note=note or status_note("released_by_reviewer"))
            done.append(oid)
            results[oid] = OrderResult(oid, o.number, True, "released")
        _resolve_holds(s, actor, done)
        uow.commit()
        return ActionReport(tuple(results[oid] for oid in order_ids))


@writes(Permission.RELEASE_ORDERS)
def hold(uow: UnitOfWork, actor: Actor, order_ids: Sequence[int], reason: str) -> ActionReport:
    """Put orders on hold with a reason; an allocated order gives its stock back."""
    reason = reason.strip()
    if not reason:
        raise ValidationError("Say why the orders are held: the reviewer reads the reason.")
    with uow:
        uow.require(actor, Permission.RELEASE_ORDERS)
        s = uow.session
        orders, results = _load(s, order_ids)
        allocated = [
            oid for oid in order_ids if oid in orders and orders[oid].status == S.ALLOCATED
        ]
        given_back = allocation.release_reservations(s, allocated)
        held: list[int] = []
        for oid in order_ids:
            o = orders.get(oid)
            if o is None:
                continue
            if o.status == S.ON_HOLD:
                held.append(oid)
                results[oid] = OrderResult(oid, o.number, True, "already_held")
                continue
            # goods being picked or packed are held only when the channel cancels the order
            if not can_transition(S(o.status), S.ON_HOLD) or S(o.status) in STOP_HOLDABLE:
                results[oid] = _refused(o, "not_holdable")
                continue
            transition(uow, actor, o, S.ON_HOLD, note=reason)
            held.append(oid)
            results[oid] = _given_back(o, "held", given_back.get(oid, 0))
        if held:
            s.execute(
                insert(OrderHold),
                [
                    {
                        "order_id": oid,
                        "code": "manual",
                        "reason": reason,
                        "created_by": actor.user_id,
                    }
                    for oid in held
                ],
            )
        uow.commit()
        return ActionReport(tuple(results[oid] for oid in order_ids))


@writes(Permission.CANCEL_ORDERS)
def cancel(
    uow: UnitOfWork, actor: Actor, order_ids: Sequence[int], reason: str = ""
) -> ActionReport:
    """Cancel orders; whatever stock they had reserved is given back."""
    with uow:
        uow.require(actor, Permission.CANCEL_ORDERS)
        s = uow.session
        orders, results = _load(s, order_ids)
        ok = [
            oid
            for oid in order_ids
            if oid in orders and can_transition(S(orders[oid].status), S.CANCELLED)
        ]
        given_back = allocation.release_reservations(s, ok)
        for oid in order_ids:
            o = orders.get(oid)
            if o is None:
                continue
            if oid not in ok:
                results[oid] = _refused(o, "not_cancellable")
                continue
            transition(uow, actor, o, S.CANCELLED, note=reason or status_note("cancelled"))
            results[oid] = _given_back(o, "cancelled", given_back.get(oid, 0))
        _resolve_holds(s, actor, ok)
        uow.commit()
        return ActionReport(tuple(results[oid] for oid in order_ids))


@writes(Permission.ALLOCATE)
def deallocate(uow: UnitOfWork, actor: Actor, order_ids: Sequence[int]) -> ActionReport:
    """Give back allocated orders' stock; they return to released."""
    with uow:
        uow.require(actor, Permission.ALLOCATE)
        s = uow.session
        orders, results = _load(s, order_ids)
        ok = [oid for oid in order_ids if oid in orders and orders[oid].status == S.ALLOCATED]
        given_back = allocation.release_reservations(s, ok)
        for oid in order_ids:
            o = orders.get(oid)
            if o is None:
                continue
            if oid not in ok:
                results[oid] = _refused(o, "not_deallocatable")
                continue
            n = given_back.get(oid, 0)
            transition(uow, actor, o, S.RELEASED, note=status_note("deallocated", units=n))
            results[oid] = OrderResult(oid, o.number, True, "deallocated", {"units": n})
        uow.commit()
        return ActionReport(tuple(results[oid] for oid in order_ids))


@reads
def find_orders(uow: UnitOfWork, actor: Actor, numbers: Sequence[str]) -> dict[str, int]:
    """Order ids by order number (for the command line); unknown numbers are left out."""
    wanted = sorted({n.strip() for n in numbers if n.strip()})
    out: dict[str, int] = {}
    with uow:
        uow.require(actor, Permission.VIEW_ORDERS)
        for i in range(0, len(wanted), allocation.CHUNK):
            part = wanted[i : i + allocation.CHUNK]
            out.update(
                uow.session.execute(select(Order.number, Order.id).where(Order.number.in_(part)))
                .tuples()
                .all()
            )
    return out


def _load(s: Session, order_ids: Sequence[int]) -> tuple[dict[int, Order], dict[int, OrderResult]]:
    """The orders, locked; results pre-filled for ids that do not exist."""
    orders: dict[int, Order] = {}
    for part in allocation.chunks(sorted(set(order_ids))):
        for o in s.scalars(
            select(Order).where(Order.id.in_(part)).order_by(Order.id).with_for_update()
        ):
            orders[o.id] = o
    results = {
        oid: OrderResult(oid, f"#{oid}", False, "not_found")
        for oid in order_ids
        if oid not in orders
    }
    return orders, results


def _refused(o: Order, code: str) -> OrderResult:
    return OrderResult(o.id, o.number, False, code, {"status": o.status})


def _given_back(o: Order, code: str, units: int) -> OrderResult:
    if units:
        return OrderResult(o.id, o.number, True, f"{code}_given_back", {"units": units})
    return OrderResult(o.id, o.number, True, code)


def _resolve_holds(s: Session, actor: Actor, order_ids: Sequence[int]) -> None:
    for part in allocation.chunks(list(order_ids)):
        s.execute(
            update(OrderHold)
            .where(OrderHold.order_id.in_(part), OrderHold.resolved_at.is_(None))
            .values(resolved_at=utcnow(), resolved_by=actor.user_id)
        )


# --- allocation ---------------------------------------------------------------------------------


@writes(Permission.ALLOCATE)
def allocate(
    uow: UnitOfWork,
    actor: Actor,
    order_ids: Sequence[int] | None = None,
    *,
    today: date | None = None,
) -> AllocationReport:
    """Reserve stock for released orders (all of them when ``order_ids`` is None), oldest first.
    Orders another station is allocating at this moment are left to it."""
    today = today or allocation.local_today()
    with uow:
        uow.require(actor, Permission.ALLOCATE)
        s = uow.session
        rules = allocation.read_rules(s)
        orders, skipped = _released_orders(s, order_ids)
        needs = _line_needs(s, [o.id for o in orders])
        pool = allocation.load_pool(
            s,
            {n.product_id for ns in needs.values() for n in ns if n.product_id is not None},
            today=today,
            rules=rules,
        )
        plans = [(o, plan_order(needs.get(o.id, []), pool, rules)) for o in orders]
        allocation.write_reservations(
            s,
            [(lid, t) for _, p in plans for lid, a in p.lines.items() for t in a.takes],
        )
        results = _apply(uow, actor, plans)
        _write_holds(s, actor, plans)
        _mark_backorders(s, plans)
        report = AllocationReport(tuple(_order_skips(order_ids, skipped, results)))
        uow.audit(
            actor,
            "order.allocate_run",
            "allocation",
            "",
            after={
                "allocated": len(report.allocated),
                "backordered": len(report.backordered),
                "held": len(report.held),
                "skipped": len(report.skipped),
                "reserved_units": report.reserved_units,
                "shortage_policy": rules.shortage_policy.value,
            },
        )
        uow.commit()
        return report


@dataclass(frozen=True, slots=True)
class _Released:
    """A released order as an allocation run reads it (no ORM object: runs cover thousands)."""

    id: int
    number: str
    version: int


def _order_skips(
    order_ids: Sequence[int] | None,
    skipped: dict[int, AllocationResult],
    results: list[AllocationResult],
) -> list[AllocationResult]:
    if order_ids is None:
        return results + list(skipped.values())
    by_id = {r.order_id: r for r in results} | skipped
    return [by_id[oid] for oid in dict.fromkeys(order_ids) if oid in by_id]


def _released_orders(
    s: Session, order_ids: Sequence[int] | None
) -> tuple[list[_Released], dict[int, AllocationResult]]:
    """Released orders, oldest first, locked (skipping those another station has locked)."""
    base = (
        select(Order.id, Order.number, Order.version, Order.placed_at)
        .where(Order.status == S.RELEASED.value, Order.merged_into_id.is_(None))
        .order_by(Order.placed_at, Order.id)
        .with_for_update(skip_locked=True)
    )
    if order_ids is None:
        return [_Released(i, n, v) for i, n, v, _ in s.execute(base)], {}
    wanted = sorted(set(order_ids))
    rows: list[tuple[int, str, int, datetime]] = []
    for part in allocation.chunks(wanted):
        rows.extend(s.execute(base.where(Order.id.in_(part))).tuples())
    rows.sort(key=lambda r: (r[3], r[0]))
    got = {r[0] for r in rows}
    skipped: dict[int, AllocationResult] = {}
    for part in allocation.chunks([i for i in wanted if i not in got]):
        for oid, number, status in s.execute(
            select(Order.id, Order.number, Order.status).where(Order.id.in_(part))
        ):
            code = "busy" if status == S.RELEASED else "not_released"
            skipped[oid] = AllocationResult(oid, number, False, code, {"status": status})
    for oid in wanted:
        if oid not in got and oid not in skipped:
            skipped[oid] = AllocationResult(oid, f"#{oid}", False, "not_found")
    return [_Released(i, n, v) for i, n, v, _ in rows], skipped


def _line_needs(s: Session, order_ids: list[int]) -> dict[int, list[LineNeed]]:
    out: dict[int, list[LineNeed]] = {}
    for part in allocation.chunks(order_ids):
        for oid, lid, sku, pid, qty, ship in s.execute(
            select(
                OrderLine.order_id,
                OrderLine.id,
                OrderLine.sku,
                OrderLine.product_id,
                OrderLine.qty,
                OrderLine.requires_shipping,
            )
            .where(OrderLine.order_id.in_(part))
            .order_by(OrderLine.order_id, OrderLine.line_no)
        ):
            out.setdefault(oid, []).append(LineNeed(lid, sku, pid, qty, ship))
    return out


def _apply(
    uow: UnitOfWork, actor: Actor, plans: list[tuple[_Released, OrderPlan]]
) -> list[AllocationResult]:
    """Carry out the plans (reservations are already written), in bulk: orders short under the
    backorder policy are split first, then allocated and held orders change status together."""
    partial = [(o, p) for o, p in plans if p.outcome is Outcome.PARTIAL]
    splits = {
        d.order_id: d
        for d in merge_split.split_off_many(
            uow,
            actor,
            [(o.id, p.short_lines) for o, p in partial],
            note=status_note("backorder"),
            backorder=True,
        )
    }
    results: list[AllocationResult] = []
    to_allocate: list[StatusMove] = []
    to_hold: list[StatusMove] = []
    for o, plan in plans:
        units = plan.reserved_units
        missing = sum(plan.short_lines.values())
        if plan.outcome is Outcome.ALLOCATED:
            note = f"{units} units reserved"
            to_allocate.append(StatusMove(o.id, o.number, S.RELEASED.value, o.version, note))
            results.append(
                AllocationResult(
                    o.id, o.number, True, "allocated", {"units": units}, plan.outcome, units
                )
            )
        elif plan.outcome is Outcome.PARTIAL:
            d = splits[o.id]
            note = f"{units} units reserved; {missing} on backorder {d.new_number}"
            to_allocate.append(StatusMove(o.id, o.number, S.RELEASED.value, d.version, note))
            params = {"units": units, "missing": missing, "backorder": d.new_number}
            results.append(
                AllocationResult(
                    o.id,
                    o.number,
                    True,
                    "allocated_partly",
                    params,
                    plan.outcome,
                    units,
                    missing,
                    d.new_number,
                )
            )
        elif plan.outcome is Outcome.HELD:
            reasons = " ".join(h.reason for h in plan.holds)
            to_hold.append(StatusMove(o.id, o.number, S.RELEASED.value, o.version, reasons))
            results.append(
                AllocationResult(
                    o.id,
                    o.number,
                    False,
                    "held_short",
                    {"reasons": reasons},
                    plan.outcome,
                    holds=plan.holds,
                )
            )
        else:
            results.append(
                AllocationResult(
                    o.id, o.number, False, "waits", {"missing": missing}, plan.outcome, 0, missing
                )
            )
    transition_many(uow, actor, to_allocate, S.ALLOCATED)
    transition_many(uow, actor, to_hold, S.ON_HOLD)
    return results


def _write_holds(s: Session, actor: Actor, plans: list[tuple[_Released, OrderPlan]]) -> None:
    """The hold reasons of every held order, in one bulk insert."""
    rows = [
        {
            "order_id": o.id,
            "code": h.code,
            "reason": h.reason,
            "template": h.template,
            "params": dict(h.params),
            "created_by": actor.user_id,
        }
        for o, p in plans
        if p.outcome is Outcome.HELD
        for h in p.holds
    ]
    if rows:
        s.execute(insert(cast(Table, OrderHold.__table__)), rows)


def _mark_backorders(s: Session, plans: list[tuple[_Released, OrderPlan]]) -> None:
    """Lines of orders waiting whole say how many units they wait for; lines of allocated
    orders (and of the allocated part of a split) wait for nothing any more."""
    waiting = [
        {"line_id": lid, "n": a.short}
        for _, p in plans
        if p.outcome is Outcome.BACKORDERED
        for lid, a in p.lines.items()
    ]
    if waiting:
        s.execute(
            update(_lines)
            .where(_lines.c.id == bindparam("line_id"))
            .values(qty_backordered=bindparam("n")),
            waiting,
        )
    done = [o.id for o, p in plans if p.outcome in (Outcome.ALLOCATED, Outcome.PARTIAL)]
    for part in allocation.chunks(done):
        s.execute(
            update(_lines)
            .where(_lines.c.order_id.in_(part), _lines.c.qty_backordered != 0)
            .values(qty_backordered=0)
        )


__all__ = [
    "ActionReport",
    "AllocationReport",
    "AllocationResult",
    "OrderResult",
    "allocate",
    "cancel",
    "deallocate",
    "find_orders",
    "hold",
    "release",
]
