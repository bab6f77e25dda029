"""The carrier, service and package an order ships with: its shipping rules applied to it.

FOUNDATION STUB: ``choose`` builds the order's facts roughly and runs
``app.domain.shipping_rules.decide``; the rules helper replaces the body (signature fixed).
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import Address, Channel, Order, OrderLine, ShippingRule
from app.domain.shipping_rules import Decision, OrderFacts, RuleSpec, decide


def rule_specs(session: Session) -> list[RuleSpec]:
    rows = session.scalars(select(ShippingRule).order_by(ShippingRule.position, ShippingRule.id))
    return [
        RuleSpec(
            r.id,
            r.name,
            dict(r.conditions or {}),
            r.action,
            r.carrier_service_id,
            r.package_type_id,
            r.hold_reason,
            r.stop,
            r.active,
        )
        for r in rows
    ]


def order_facts(session: Session, order_id: int, weight_g: int) -> OrderFacts:
    order = session.get(Order, order_id)
    assert order is not None
    addr = session.get(Address, order.ship_address_id) if order.ship_address_id else None
    channel = session.get(Channel, order.channel_id)
    skus = session.scalars(select(OrderLine.sku).where(OrderLine.order_id == order_id))
    return OrderFacts(
        order.number,
        weight_g,
        addr.country if addr else "",
        addr.province if addr else "",
        addr.city if addr else "",
        addr.postal_code if addr else "",
        Decimal(order.total),
        channel.code if channel else "",
        frozenset(skus),
        frozenset(),
        order.shipping_method,
    )


def choose(session: Session, order_id: int, weight_g: int) -> Decision:
    """The rules' decision for this order at this weight. When no rule sets a service, the
    order's own carrier service (from intake) stays."""
    return decide(rule_specs(session), order_facts(session, order_id, weight_g))
