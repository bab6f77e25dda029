"""Shipping rules: which carrier, service and package an order ships with, and why.

Rules are tried in order. Each has conditions (all must hold; a list condition holds when any of
its entries does) and an action: ``set`` a carrier service and/or package, ``hold`` the order
with a reason, or ``stop`` the search. ``decide`` returns the outcome and a trace of every rule
tried with the reason it matched or not: the rules screen's "test on an order" shows it.

FOUNDATION STUB: ``decide`` applies the first active ``set``/``hold`` rule whose weight range
holds, until the rules helper's work is merged. Dataclasses and signatures are fixed (fields may
be added at the end with defaults).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

SET, HOLD, STOP = "set", "hold", "stop"


@dataclass(frozen=True, slots=True)
class OrderFacts:
    """What the rules look at."""

    order_number: str
    weight_g: int
    country: str
    province: str
    city: str
    postal_code: str
    value: Decimal
    channel: str
    skus: frozenset[str]
    tags: frozenset[str]
    shipping_method: str


@dataclass(frozen=True, slots=True)
class RuleSpec:
    id: int
    name: str
    conditions: dict[str, Any]
    action: str
    carrier_service_id: int | None = None
    package_type_id: int | None = None
    hold_reason: str = ""
    stop: bool = True
    active: bool = True


@dataclass(frozen=True, slots=True)
class RuleTrace:
    """One rule tried: did it match, and why (English template and values, for translation)."""

    rule_id: int
    name: str
    matched: bool
    reason: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Decision:
    carrier_service_id: int | None
    package_type_id: int | None
    hold_reason: str
    #: the rules that decided (set the service, the package, or held)
    decided_by: tuple[int, ...]
    trace: tuple[RuleTrace, ...]

    @property
    def held(self) -> bool:
        return bool(self.hold_reason)


def decide(rules: Sequence[RuleSpec], facts: OrderFacts) -> Decision:
    trace: list[RuleTrace] = []
    for r in rules:
        if not r.active:
            continue
        lo = int(r.conditions.get("weight_min_g") or 0)
        hi = int(r.conditions.get("weight_max_g") or 0)
        if facts.weight_g < lo or (hi and facts.weight_g > hi):
            trace.append(RuleTrace(r.id, r.name, False, "weight"))
            continue
        trace.append(RuleTrace(r.id, r.name, True, "weight"))
        if r.action == HOLD:
            return Decision(None, None, r.hold_reason, (r.id,), tuple(trace))
        if r.action == SET:
            return Decision(r.carrier_service_id, r.package_type_id, "", (r.id,), tuple(trace))
        return Decision(None, None, "", (), tuple(trace))
    return Decision(None, None, "", (), tuple(trace))
