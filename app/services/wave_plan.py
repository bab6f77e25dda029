"""Making waves: allocated orders (by hand or by a saved rule) grouped into waves, each split
into batches that fit a cart, each batch's walk planned.

- Orders qualify when they are ``allocated`` and in no live wave (planned, released, picking).
- Priorities are never mixed: one wave per warehouse and priority (``app.domain.wave_rules``),
  cut at ``max_orders``.
- Single-unit orders (exactly one unit reserved) are the ones picked with ``single_unit``.
- Batches: ``app.domain.batching.plan_batches`` groups the orders so that one walk serves them
  well, within the cart's limits. Pick to tote (cluster): at most ``tote_slots`` orders. Picked
  in bulk: at most the cart's ``max_orders`` (``BULK_ORDERS`` when it has none) and, for pick
  then sort, at most the sort wall's slots (setting ``sort_wall.slots``, default 24).
- Each batch's planned walk (``plan_route`` over its locations, depot to depot) is recorded in
  ``pick_batches.planned_m``, their sum in ``waves.planned_m``. Where there is no layout yet the
  walk is measured on a made-up block (``app.services.wave_walk``).
- Wave numbers are ``W000001``, ``W000002``...
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.db.models import (
    CarrierService,
    Cart,
    Location,
    Order,
    OrderLine,
    PickBatch,
    PickTask,
    Reservation,
    SettingRow,
    StockLevel,
    Wave,
    WaveOrder,
    WaveRule,
)
from app.db.uow import UnitOfWork
from app.domain.batching import CartLimits, OrderToBatch, plan_batches
from app.domain.errors import ValidationError
from app.domain.users import Actor, Permission
from app.domain.wave_rules import Criteria, OrderFacts, select_orders
from app.domain.waves import BatchStatus, PickMethod, UnitKind, WaveStatus
from app.services.access import step, writes
from app.services.wave_walk import Reserved, Walk, reserved_stock, walk_for

#: waves whose orders are taken: an order is in at most one of these
LIVE = (WaveStatus.PLANNED.value, WaveStatus.RELEASED.value, WaveStatus.PICKING.value)
#: the most orders in a bulk-picked batch when the cart sets no limit
BULK_ORDERS = 50
#: the setting the sort wall's size is read from (the sort wall's own setting)
WALL_SLOTS_KEY = "sort_wall.slots"
WALL_SLOTS_DEFAULT = 24


@dataclass(frozen=True)
class WaveSummary:
    """A wave as lists and the command line show it."""

    id: int
    number: str
    status: str
    pick_method: str
    orders: int
    batches: int
    planned_m: float
    priority: int = 0
    cart: str = ""
    created_at: datetime | None = None
    tasks: int = 0
    tasks_done: int = 0

    def as_dict(self) -> dict[str, object]:
        return {
            "number": self.number,
            "status": self.status,
            "pick_method": self.pick_method,
            "orders": self.orders,
            "batches": self.batches,
            "planned_m": round(self.planned_m, 1),
            "created_at": self.created_at.isoformat() if self.created_at else "",
        }


def in_live_waves(s: Session, order_ids: Sequence[int]) -> set[int]:
    return set(
        s.scalars(
            select(WaveOrder.order_id)
            .join(Wave, Wave.id == WaveOrder.wave_id)
            .where(WaveOrder.order_id.in_(order_ids), Wave.status.in_(LIVE))
        )
    )


def _facts(
    s: Session, order_ids: Sequence[int] | None, criteria: Criteria | None = None
) -> list[OrderFacts]:
    """The allocated orders in no live wave (of ``order_ids``, or all), as selection sees them.

    One statement, counted by the database: a row per order and zone of its reserved stock
    (units and the lowest warehouse summed per zone, added up here). The criteria a rule sets on
    the order itself (carrier, priority, channel) are asked in the statement, so the database
    reads only those candidates; ``select_orders`` still checks every criterion, so the orders
    chosen are the same either way. The candidates come from ``ix_orders_status_priority_placed``
    (status ``allocated``), their reservations by line (``ix_reservations_order_line_id``)."""
    zone = Location.zone
    stmt = (
        select(
            Order.id,
            Order.priority,
            Order.placed_at,
            Order.channel_id,
            CarrierService.carrier_id,
            zone,
            func.sum(Reservation.qty),
            func.min(Location.warehouse_id),
        )
        .join(OrderLine, OrderLine.order_id == Order.id)
        .join(Reservation, Reservation.order_line_id == OrderLine.id)
        .join(StockLevel, StockLevel.id == Reservation.stock_level_id)
        .join(Location, Location.id == StockLevel.location_id)
        .outerjoin(CarrierService, CarrierService.id == Order.carrier_service_id)
        .where(Order.status == "allocated")
        .where(
            ~Order.id.in_(
                select(WaveOrder.order_id)
                .join(Wave, Wave.id == WaveOrder.wave_id)
                .where(Wave.status.in_(LIVE))
            )
        )
        .group_by(Order.id, Order.priority, Order.placed_at, Order.channel_id)
        .group_by(CarrierService.carrier_id, zone)
    )
    if order_ids is not None:
        stmt = stmt.where(Order.id.in_(order_ids))
    if criteria is not None:
        if criteria.priority is not None:
            stmt = stmt.where(Order.priority == criteria.priority)
        if criteria.channel_id is not None:
            stmt = stmt.where(Order.channel_id == criteria.channel_id)
        if criteria.carrier_id is not None:
            stmt = stmt.where(CarrierService.carrier_id == criteria.carrier_id)
    order: dict[int, tuple[int, datetime, int, int | None]] = {}
    units: dict[int, int] = defaultdict(int)
    warehouse: dict[int, int] = {}
    zones: dict[int, set[str]] = defaultdict(set)
    for oid, prio, placed, channel, carrier, z, qty, wh in s.execute(stmt).tuples():
        order[oid] = (prio, placed, channel, carrier)
        units[oid] += int(qty)
        warehouse[oid] = min(wh, warehouse.get(oid, wh))
        zones[oid].add(z)
    return [
        OrderFacts(
            oid, warehouse[oid], prio, placed, units[oid], frozenset(zones[oid]), carrier, channel
        )
        for oid, (prio, placed, channel, carrier) in order.items()
    ]


def wall_slots(s: Session) -> int:
    value = s.scalar(select(SettingRow.value).where(SettingRow.key == WALL_SLOTS_KEY))
    try:
        n = int(value) if value is not None else WALL_SLOTS_DEFAULT
    except (TypeError, ValueError):
        n = WALL_SLOTS_DEFAULT
    return n if n > 0 else WALL_SLOTS_DEFAULT


def cart_limits(s: Session, cart: Cart, method: str) -> CartLimits:
    """What one batch of ``method`` may hold on this cart."""
    if method == PickMethod.CLUSTER:
        slots = cart.tote_slots
    else:
        slots = cart.max_orders or BULK_ORDERS
        if method == PickMethod.PICK_SORT:
            slots = min(slots, wall_slots(s))
    orders = min(slots, cart.max_orders) if cart.max_orders else slots
    return CartLimits(slots, orders, cart.max_lines, cart.max_weight_g, cart.max_volume_cm3)


def _orders_to_batch(
    walk: Walk, order_ids: Sequence[int], res: list[Reserved]
) -> list[OrderToBatch]:
    by_order: dict[int, list[Reserved]] = defaultdict(list)
    for r in res:
        by_order[r.order_id].append(r)
    out = []
    for oid in order_ids:
        rs = by_order[oid]
        out.append(
            OrderToBatch(
                key=oid,
                stops=tuple(walk.stop(loc) for loc in sorted({r.location_id for r in rs})),
                lines=len({r.order_line_id for r in rs}),
                units=sum(r.qty for r in rs),
                weight_g=sum(r.weight_g for r in rs),
                volume_cm3=sum(r.volume_cm3 for r in rs),
            )
        )
    return out


def _checked(batches: list[list[int]], order_ids: Sequence[int]) -> list[list[int]]:
    """The planner's batches, with every order exactly once (a planner bug is not saved)."""
    flat = [o for b in batches for o in b]
    if sorted(flat) != sorted(order_ids):
        raise AssertionError("batching lost or repeated orders")
    return [b for b in batches if b]


@step
def plan_wave(uow: UnitOfWork, wave: Wave, order_ids: Sequence[int], cart: Cart) -> None:
    """Split the wave's orders into batches that fit the cart, write the batches and the wave's
    orders (with their tote slots) and the planned walks. The wave has no batches yet."""
    s = uow.session
    res = reserved_stock(s, order_ids)
    walk = walk_for(uow, wave.warehouse_id, [r.location_id for r in res])
    otb = _orders_to_batch(walk, order_ids, res)
    limits = cart_limits(s, cart, wave.pick_method)
    batches = _checked(plan_batches(walk.layout, otb, limits), order_ids)
    locations: dict[int, set[int]] = defaultdict(set)
    for r in res:
        locations[r.order_id].add(r.location_id)
    rows: list[PickBatch] = []
    for n, members in enumerate(batches, 1):
        route = walk.route(loc for o in members for loc in locations[o])
        rows.append(
            PickBatch(
                wave_id=wave.id,
                number=n,
                status=BatchStatus.PLANNED.value,
                cart_id=cart.id,
                depot_id=walk.depot_id,
                planned_m=route.length_m,
            )
        )
    # the wave's batches in one flush, then its orders: two
    # round trips a wave, not two a batch (a wave of 200 orders has 15 to 20 batches)
    s.add_all(rows)
    s.flush()
    cluster = wave.pick_method == PickMethod.CLUSTER
    s.add_all(
        WaveOrder(
            wave_id=wave.id,
            order_id=oid,
            batch_id=batch.id,
            tote_slot=slot if cluster else None,
        )
        for batch, members in zip(rows, batches, strict=True)
        for slot, oid in enumerate(members, 1)
    )
    total = sum(b.planned_m for b in rows)
    wave.planned_m = total


def clear_plan(s: Session, wave_id: int) -> None:
    """Remove a wave's batches (their tasks go with them) and its orders' places."""
    s.execute(delete(WaveOrder).where(WaveOrder.wave_id == wave_id))
    batch_ids = select(PickBatch.id).where(PickBatch.wave_id == wave_id)
    s.execute(delete(PickTask).where(PickTask.batch_id.in_(batch_ids)))
    s.execute(delete(PickBatch).where(PickBatch.wave_id == wave_id))


#: the PostgreSQL advisory lock key that makes wave planning one at a time
PLANNING_LOCK = 0x5741_5645  # "WAVE"


def planning_lock(s: Session) -> None:
    """Plan waves one station at a time, so that two never put an order into two waves or take
    the same wave number (PostgreSQL: a transaction-level advisory lock; SQLite's write lock
    does it already)."""
    if s.get_bind().dialect.name == "postgresql":
        s.execute(select(func.pg_advisory_xact_lock(PLANNING_LOCK)))


def next_number(s: Session) -> str:
    last = s.scalar(select(func.max(Wave.number)).where(Wave.number.like("W%")))
    n = int(last[1:]) + 1 if last and last[1:].isdigit() else 1
    return f"W{n:06d}"


def choose_cart(s: Session, code: str, rule: WaveRule | None) -> Cart:
    if code:
        cart = s.scalar(select(Cart).where(Cart.code == code.upper()))
        if cart is None or not cart.active:
            raise ValidationError(
                "There is no cart {cart}. Choose one of the carts, or add it first.", cart=code
            )
        return cart
    if rule is not None and rule.cart_id is not None:
        cart = s.get(Cart, rule.cart_id)
        if cart is not None:
            return cart
    cart = s.scalar(select(Cart).where(Cart.active.is_(True)).order_by(Cart.id).limit(1))
    if cart is None:
        raise ValidationError("There is no pick cart yet. Add a cart first, then make waves.")
    return cart


def _rule(s: Session, name: str) -> WaveRule | None:
    if not name:
        return None
    rule = s.scalar(select(WaveRule).where(WaveRule.name == name, WaveRule.active.is_(True)))
    if rule is None:
        raise ValidationError("There is no wave rule {rule}. Choose one from the list.", rule=name)
    return rule


def _method(method: str, rule: WaveRule | None) -> str:
    chosen = method or (rule.pick_method if rule else "") or PickMethod.CLUSTER.value
    if chosen not in {m.value for m in PickMethod}:
        raise ValidationError(
            "{method} is not a pick method: cluster, single_unit or pick_sort.", method=chosen
        )
    return chosen


def _criteria(rule: WaveRule | None, method: str) -> Criteria:
    kind = rule.unit_kind if rule else UnitKind.ANY.value
    if method == PickMethod.SINGLE_UNIT:
        kind = UnitKind.SINGLE.value
    if rule is None:
        return Criteria(unit_kind=kind)
    return Criteria(rule.carrier_id, rule.priority, rule.channel_id, rule.zone, kind)


def _by_hand(s: Session, order_ids: Sequence[int], numbers: Sequence[str]) -> list[int] | None:
    """The orders chosen by hand (None: none chosen); refuses one that cannot go into a wave."""
    if not order_ids and not numbers:
        return None
    ids = set(order_ids)
    if numbers:
        found = dict(
            s.execute(select(Order.number, Order.id).where(Order.number.in_(numbers)))
            .tuples()
            .all()
        )
        for number in numbers:
            if number not in found:
                raise ValidationError("There is no order {number}.", number=number)
        ids |= set(found.values())
    taken = in_live_waves(s, sorted(ids))
    for oid, number, status in s.execute(
        select(Order.id, Order.number, Order.status).where(Order.id.in_(ids))
    ).tuples():
        if status != "allocated" or oid in taken:
            raise ValidationError(
                "Order {number} cannot go into a wave: it is {status}"
                "{in_wave}. Only allocated orders that are in no wave can.",
                number=number,
                status=status,
                in_wave=" and already in a wave" if oid in taken else "",
            )
    return sorted(ids)


def summary(s: Session, wave: Wave) -> WaveSummary:
    orders = s.scalar(select(func.count()).where(WaveOrder.wave_id == wave.id)) or 0
    batches = s.scalar(select(func.count()).where(PickBatch.wave_id == wave.id)) or 0
    cart = s.scalar(select(Cart.code).where(Cart.id == wave.cart_id)) if wave.cart_id else ""
    return WaveSummary(
        wave.id,
        wave.number,
        wave.status,
        wave.pick_method,
        orders,
        batches,
        wave.planned_m,
        wave.priority,
        cart or "",
        wave.created_at,
    )


@writes(Permission.PLAN_WAVES)
def create_waves(
    uow: UnitOfWork,
    actor: Actor,
    order_ids: Sequence[int] = (),
    *,
    numbers: Sequence[str] = (),
    rule: str = "",
    max_orders: int = 0,
    method: str = "",
    cart: str = "",
) -> list[WaveSummary]:
    """Waves of allocated orders: those chosen by hand (ids or numbers), else those a rule
    selects (by name), else all; one wave per priority, at most ``max_orders`` each. Empty when
    no order qualifies."""
    with uow:
        uow.require(actor, Permission.PLAN_WAVES)
        s = uow.session
        planning_lock(s)
        if max_orders < 0:
            raise ValidationError("The most orders in a wave is 0 (no limit) or more.")
        the_rule = _rule(s, rule)
        chosen = _method(method, the_rule)
        the_cart = choose_cart(s, cart, the_rule)
        criteria = _criteria(the_rule, chosen)
        facts = _facts(s, _by_hand(s, order_ids, numbers), criteria)
        limit = max_orders or (the_rule.max_orders if the_rule else 0)
        made = []
        for group in select_orders(facts, criteria, limit):
            wave = Wave(
                number=next_number(s),
                warehouse_id=group[0].warehouse_id,
                status=WaveStatus.PLANNED.value,
                pick_method=chosen,
                rule_id=the_rule.id if the_rule else None,
                cart_id=the_cart.id,
                priority=group[0].priority,
                carrier_id=the_rule.carrier_id if the_rule else None,
                cutoff=the_rule.cutoff if the_rule else "",
                created_by=actor.user_id,
            )
            s.add(wave)
            s.flush()
            plan_wave(uow, wave, [o.order_id for o in group], the_cart)
            s.flush()
            made.append(summary(s, wave))
            uow.audit(
                actor,
                "wave.create",
                "wave",
                wave.number,
                after={"orders": len(group), "pick_method": chosen, "cart": the_cart.code},
                note=rule,
            )
        uow.commit()
        return made
