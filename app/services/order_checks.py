"""Check and hold (审单) for orders in the database: the rules every order passes before it is
released, run again on demand (``recheck``), after a reviewer edits an order (``edit_order``)
or maps a listing, and when an import changes an order. An order that passes every rule is
released by itself; one that fails any goes on hold: each rule it fails becomes an
``order_holds`` row with a code and a reason the reviewer can read.

Supervisors change the rules' thresholds (``app.domain.check_settings``) here too
(``save_settings``, permission MANAGE_SETTINGS). The rules themselves are
``app.domain.order_rules``; new orders are checked in memory as they are imported
(``app.services.intake_insert``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import (
    Address,
    Carrier,
    CarrierService,
    Order,
    OrderHold,
    OrderImport,
    OrderLine,
    SettingRow,
    utcnow,
)
from app.db.uow import UnitOfWork
from app.domain.check_settings import RULES, CheckSettings
from app.domain.order_rules import CheckLine, CheckOrder, Failure, evaluate
from app.domain.orders import EDITABLE, OrderStatus, status_note
from app.domain.users import Actor, Permission
from app.services import pickup_flags
from app.services.access import reads, step, writes
from app.services.order_duplicates import DupCandidate, find_duplicates, item_key, signature
from app.services.orders import transition
from app.services.sku_lookup import resolve_skus

S = OrderStatus


# --- the rules' thresholds ---------------------------------------------------------------

SETTINGS_KEY = "order_checks"


@reads
def load_settings(uow: UnitOfWork) -> CheckSettings:
    """The thresholds in force (the defaults until a supervisor changes them)."""
    with uow:
        return settings_in(uow.session)


def settings_in(session: Session) -> CheckSettings:
    row = session.get(SettingRow, SETTINGS_KEY)
    if row is None or not isinstance(row.value, dict):
        return CheckSettings()
    return CheckSettings.from_json(row.value)


@writes(Permission.MANAGE_SETTINGS)
def save_settings(uow: UnitOfWork, actor: Actor, new: CheckSettings) -> CheckSettings:
    """Change the thresholds (supervisors); audited with before and after. New pickup patterns
    flag again the orders not yet packed, from the shipping method the channel gave."""
    new = new.normalised()
    new.validate()
    with uow:
        uow.require(actor, Permission.MANAGE_SETTINGS)
        row = uow.session.get(SettingRow, SETTINGS_KEY)
        before = settings_in(uow.session)
        if row is None:
            uow.session.add(SettingRow(key=SETTINGS_KEY, value=new.to_json()))
        else:
            row.value = new.to_json()
            row.updated_at = utcnow()
        uow.audit(
            actor,
            "settings.order_checks",
            "settings",
            SETTINGS_KEY,
            before=before.to_json(),
            after=new.to_json(),
        )
        if new.pickup_patterns != before.pickup_patterns:
            flagged, unflagged = pickup_flags.reflag(uow.session, new.pickup_patterns)
            if flagged or unflagged:
                uow.audit(
                    actor,
                    "orders.pickup_reflagged",
                    "settings",
                    SETTINGS_KEY,
                    after={"now_pickup": flagged, "no_longer_pickup": unflagged},
                )
        uow.commit()
    return new


# --- checking orders that are in the database ------------------------------------------------


@dataclass(frozen=True)
class CheckResult:
    """What the checks made of one order."""

    order_id: int
    number: str
    status: str
    failures: tuple[Failure, ...] = ()
    #: set when the order was not checked (already allocated, unknown)
    message: str = ""

    @property
    def held(self) -> bool:
        return self.status == S.ON_HOLD.value


@writes(Permission.RELEASE_ORDERS)
def recheck(uow: UnitOfWork, actor: Actor, order_ids: Sequence[int]) -> list[CheckResult]:
    """Run the rules again (after the catalogue or the settings changed): orders that now pass
    are released, orders that fail are held with the current reasons."""
    with uow:
        uow.require(actor, Permission.RELEASE_ORDERS)
        results = check_loaded(uow, actor, list(order_ids), note=status_note("checked_again"))
        uow.commit()
        return results


@step
def check_loaded(
    uow: UnitOfWork, actor: Actor, order_ids: list[int], *, note: str
) -> list[CheckResult]:
    """Check orders inside the caller's unit of work (the caller commits). Lines without a
    product that a product mapping matches now are mapped first."""
    from app.services.listing_apply import map_known_listings  # it imports this module

    map_known_listings(uow, actor, order_ids)
    s = uow.session
    settings = settings_in(s)
    orders = {o.id: o for o in s.scalars(select(Order).where(Order.id.in_(order_ids)))}
    results: list[CheckResult] = []
    editable = [oid for oid in order_ids if oid in orders and orders[oid].status in EDITABLE]
    inputs = _check_inputs(s, [orders[oid] for oid in editable])
    dups = find_duplicates(
        s,
        [
            DupCandidate(
                key=o.id,
                customer_id=o.customer_id,
                placed_at=o.placed_at,
                items=signature((item_key(ln.sku, ln.name), ln.qty) for ln in inputs[o.id].lines),
                order_id=o.id,
                number=o.number,
            )
            for o in (orders[oid] for oid in editable)
        ],
        settings.duplicate_window_hours,
    )
    for oid in order_ids:
        o = orders.get(oid)
        if o is None:
            results.append(CheckResult(oid, "", "", message=f"Order {oid} was not found."))
            continue
        if oid not in inputs:
            results.append(
                CheckResult(
                    oid,
                    o.number,
                    o.status,
                    message=f"Order {o.number} is {o.status}; it is past checking.",
                )
            )
            continue
        failures = evaluate(inputs[oid], settings, duplicate_of=dups.get(oid))
        apply_failures(uow, actor, o, failures, note=note)
        results.append(CheckResult(oid, o.number, o.status, tuple(failures)))
    return results


def _check_inputs(session: Session, orders: list[Order]) -> dict[int, CheckOrder]:
    if not orders:
        return {}
    ids = [o.id for o in orders]
    addr_ids = [o.ship_address_id for o in orders if o.ship_address_id]
    addresses = {a.id: a for a in session.scalars(select(Address).where(Address.id.in_(addr_ids)))}
    lines: dict[int, list[OrderLine]] = {}
    for ln in session.scalars(
        select(OrderLine).where(OrderLine.order_id.in_(ids)).order_by(OrderLine.line_no)
    ):
        lines.setdefault(ln.order_id, []).append(ln)
    unknown = {ln.sku for lns in lines.values() for ln in lns if ln.product_id is None}
    matched = resolve_skus(session, unknown)
    for lns in lines.values():
        for ln in lns:
            if ln.product_id is None and ln.sku in matched:
                ln.product_id = matched[ln.sku]
    cancelled = set(
        session.scalars(
            select(OrderImport.order_id).where(
                OrderImport.order_id.in_(ids), OrderImport.channel_cancelled
            )
        )
    )
    carriers = _carrier_names(session, {o.carrier_service_id for o in orders})
    out: dict[int, CheckOrder] = {}
    for o in orders:
        a = addresses.get(o.ship_address_id or 0)

        def part(key: str, a: Address | None = a) -> str:
            return (getattr(a, key) or "") if a is not None else ""

        out[o.id] = CheckOrder(
            country=part("country"),
            name=part("name"),
            phone=part("phone"),
            province=part("province"),
            city=part("city"),
            district=part("district"),
            street=part("street"),
            street2=part("street2"),
            postal_code=part("postal_code"),
            payment_status=o.payment_status,
            cancelled=o.id in cancelled,
            carrier=carriers.get(o.carrier_service_id or 0, ()),
            payment_method=o.payment_method,
            recipient_protected=o.recipient_protected,
            company=part("company"),
            lines=tuple(
                CheckLine(
                    ln.line_no,
                    ln.sku,
                    ln.qty,
                    ln.product_id is not None,
                    ln.requires_shipping,
                    ln.name,
                    ln.channel_partly_fulfilled,
                )
                for ln in lines.get(o.id, [])
            ),
        )
    return out


def _carrier_names(session: Session, service_ids: set[int | None]) -> dict[int, tuple[str, ...]]:
    """Service id -> the carrier's and the service's codes and names."""
    ids = sorted(i for i in service_ids if i)
    if not ids:
        return {}
    rows = session.execute(
        select(
            CarrierService.id, CarrierService.code, CarrierService.name, Carrier.code, Carrier.name
        )
        .join(Carrier, Carrier.id == CarrierService.carrier_id)
        .where(CarrierService.id.in_(ids))
    )
    return {r[0]: (r[1], r[2], r[3], r[4]) for r in rows}


@step
def apply_failures(
    uow: UnitOfWork, actor: Actor, order: Order, failures: Sequence[Failure], *, note: str
) -> None:
    """Make the order's open check holds match ``failures`` and move it: held when anything
    fails, released when nothing does (unless a hold no check set, such as a reviewer's own,
    is still open). The caller commits."""
    s = uow.session
    now = utcnow()
    open_holds = list(
        s.scalars(
            select(OrderHold).where(OrderHold.order_id == order.id, OrderHold.resolved_at.is_(None))
        )
    )
    wanted = {(f.code, f.reason) for f in failures}
    have = set()
    for h in open_holds:
        if h.code not in RULES:
            continue
        if (h.code, h.reason) in wanted:
            have.add((h.code, h.reason))
        else:
            h.resolved_at = now
            h.resolved_by = actor.user_id
    for f in failures:
        if (f.code, f.reason) not in have:
            s.add(
                OrderHold(
                    order_id=order.id,
                    code=f.code,
                    reason=f.reason,
                    template=f.template,
                    params=dict(f.params),
                    created_by=actor.user_id,
                )
            )
            have.add((f.code, f.reason))
    other_open = any(h.code not in RULES for h in open_holds)
    before = order.status
    codes = sorted({f.code for f in failures})
    if failures:
        if order.status in (S.NEW.value, S.RELEASED.value):
            transition(
                uow,
                actor,
                order,
                S.ON_HOLD,
                note=status_note("checked_held", why=note, codes=", ".join(codes)),
            )
    elif order.status == S.NEW.value or (order.status == S.ON_HOLD.value and not other_open):
        transition(uow, actor, order, S.RELEASED, note=status_note("checked_pass", why=note))
    uow.audit(
        actor,
        "order.checks",
        "order",
        order.number,
        before={"status": before},
        after={"status": order.status, "holds": codes},
        note=note,
    )
