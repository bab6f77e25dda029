"""The carrier, service and package an order ships with: its shipping rules applied to it.

``choose`` is what the pack station calls when it finishes a parcel: two queries (the rules with
their service and package names, then the order with its address, channel and items' SKUs and
tags), then the pure ``app.domain.shipping_rules.decide``. ``test_on_order`` is the rules
screen's "test on an order": the same decision, with the facts it used and the whole trace.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import and_, bindparam, or_, select
from sqlalchemy.orm import Session

from app.db.models import (
    Address,
    Carrier,
    CarrierService,
    Channel,
    Order,
    OrderLine,
    PackageType,
    Product,
    ShippingRule,
)
from app.db.uow import UnitOfWork
from app.domain.errors import NotFound
from app.domain.shipping_rules import Decision, OrderFacts, RuleSpec, decide
from app.domain.users import Actor, Permission
from app.services.access import reads


def service_label(carrier_code: str | None, service_name: str | None) -> str:
    """How screens and traces name a carrier service: "SF / Standard"."""
    if not service_name:
        return ""
    return f"{carrier_code} / {service_name}" if carrier_code else service_name


def split_tags(text: str | None) -> list[str]:
    """A product's tags: separated by commas (also "，", "、" or ";"), trimmed, empty dropped."""
    for sep in ("，", "、", ";", "；"):
        text = (text or "").replace(sep, ",")
    return [t.strip() for t in (text or "").split(",") if t.strip()]


#: the rules in order with their service's and package's names (built once: a select costs
#: more to build than SQLite takes to run it)
_RULES = (
    select(
        ShippingRule.id,
        ShippingRule.name,
        ShippingRule.conditions,
        ShippingRule.action,
        ShippingRule.carrier_service_id,
        ShippingRule.package_type_id,
        ShippingRule.hold_reason,
        ShippingRule.stop,
        ShippingRule.active,
        Carrier.code,
        CarrierService.name,
        PackageType.code,
    )
    .outerjoin(CarrierService, CarrierService.id == ShippingRule.carrier_service_id)
    .outerjoin(Carrier, Carrier.id == CarrierService.carrier_id)
    .outerjoin(PackageType, PackageType.id == ShippingRule.package_type_id)
    .order_by(ShippingRule.position, ShippingRule.id)
)


def rule_specs(session: Session) -> list[RuleSpec]:
    """Every rule in order, with the names of its service and package: one query."""
    return [
        RuleSpec(
            rid,
            name,
            dict(conditions or {}),
            action,
            service_id,
            package_id,
            hold_reason,
            stop,
            active,
            service_label(carrier, service),
            package or "",
        )
        for (
            rid,
            name,
            conditions,
            action,
            service_id,
            package_id,
            hold_reason,
            stop,
            active,
            carrier,
            service,
            package,
        ) in session.connection().execute(_RULES)
    ]


@dataclass(frozen=True)
class _OrderRows:
    facts: OrderFacts
    #: the items' weight from the catalogue (grams)
    catalogue_weight_g: int


#: the order with its address, channel, own service, and a row per line with its product
_ORDER = (
    select(
        Order.number,
        Order.total,
        Order.currency,
        Order.shipping_method,
        Carrier.code,
        CarrierService.name,
        Address.country,
        Address.province,
        Address.city,
        Address.postal_code,
        Channel.code,
        OrderLine.sku,
        OrderLine.qty,
        Product.tags,
        Product.weight_g,
    )
    .select_from(Order)
    .join(Channel, Channel.id == Order.channel_id)
    .outerjoin(Address, Address.id == Order.ship_address_id)
    .outerjoin(CarrierService, CarrierService.id == Order.carrier_service_id)
    .outerjoin(Carrier, Carrier.id == CarrierService.carrier_id)
    .outerjoin(OrderLine, OrderLine.order_id == Order.id)
    .outerjoin(
        Product,
        or_(
            Product.id == OrderLine.product_id,
            and_(OrderLine.product_id.is_(None), Product.sku == OrderLine.sku),
        ),
    )
    .where(Order.id == bindparam("order_id"))
)


def _order_rows(session: Session, order_id: int, weight_g: int | None) -> _OrderRows:
    """The order's facts, from one query (a row per line)."""
    rows = session.connection().execute(_ORDER, {"order_id": order_id}).all()
    if not rows:
        raise NotFound(what="Order", key=order_id)
    first = rows[0]
    lines = [r for r in rows if r[11] is not None]
    skus = frozenset(r[11] for r in lines)
    tags = frozenset(t for r in lines for t in split_tags(r[13]))
    catalogue = sum((r[14] or 0) * (r[12] or 0) for r in lines)
    facts = OrderFacts(
        first[0],
        catalogue if weight_g is None else weight_g,
        first[6] or "",
        first[7] or "",
        first[8] or "",
        first[9] or "",
        Decimal(first[1] or 0),
        first[10],
        skus,
        tags,
        first[3] or "",
        first[2] or "",
        service_label(first[4], first[5]),
    )
    return _OrderRows(facts, catalogue)


def order_facts(session: Session, order_id: int, weight_g: int) -> OrderFacts:
    """What the rules look at for this order at this weight (grams)."""
    return _order_rows(session, order_id, weight_g).facts


def choose(session: Session, order_id: int, weight_g: int) -> Decision:
    """The rules' decision for this order at this weight. When no rule sets a service, the
    order's own carrier service (from intake) stays; a held decision means: do not label, show
    ``hold_reason``."""
    return decide(rule_specs(session), order_facts(session, order_id, weight_g))


@dataclass(frozen=True)
class RuleTestReport:
    """ "Test on an order": the facts the rules saw, their decision and every rule's line."""

    order_id: int
    order_number: str
    facts: OrderFacts
    #: the weight was not given: it is the items' catalogue weight
    weight_from_catalogue: bool
    decision: Decision
    #: the service and package the order would ship with ("" when none)
    service: str
    package: str
    #: the names of the rules that decided, in order
    decided_by: tuple[str, ...]


def _find_order(session: Session, key: str) -> int:
    key = key.strip()
    found = session.scalar(select(Order.id).where(Order.number == key))
    if found is None:
        found = session.scalar(
            select(Order.id).where(Order.external_id == key).order_by(Order.id.desc()).limit(1)
        )
    if found is None:
        raise NotFound(what="Order", key=key)
    return found


@reads
def test_on_order(
    uow: UnitOfWork, actor: Actor, order_number_or_channel_id: str, weight_g: int | None = None
) -> RuleTestReport:
    """Apply the rules to an order (by our number or the channel's order id) at ``weight_g``,
    or at its items' catalogue weight when not given."""
    with uow:
        uow.require(actor, Permission.VIEW_ORDERS)
        s = uow.session
        order_id = _find_order(s, order_number_or_channel_id)
        rows = _order_rows(s, order_id, weight_g)
        specs = rule_specs(s)
        decision = decide(specs, rows.facts)
        by_id = {r.id: r for r in specs}
        service = rows.facts.own_service
        if decision.carrier_service_id is not None:
            service = next(
                by_id[i].service_label
                for i in decision.decided_by
                if by_id[i].carrier_service_id == decision.carrier_service_id
            )
        package = next(
            (
                by_id[i].package_label
                for i in decision.decided_by
                if decision.package_type_id is not None
                and by_id[i].package_type_id == decision.package_type_id
            ),
            "",
        )
        return RuleTestReport(
            order_id,
            rows.facts.order_number,
            rows.facts,
            weight_g is None,
            decision,
            service,
            package,
            tuple(by_id[i].name for i in decision.decided_by),
        )
