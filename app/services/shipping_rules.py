"""The shipping rules editor: list, add or change, move up or down, delete; and the carrier
services and package types a rule may set. The rules themselves are applied by
``app.services.shipping_choice`` (see ``app.domain.shipping_rules`` for what they mean)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.models import Carrier, CarrierService, PackageType, ShippingRule
from app.db.uow import UnitOfWork
from app.domain.errors import NotFound, ValidationError
from app.domain.shipping_rules import ACTIONS, CONDITION_KEYS, HOLD, LIST_KEYS, SET
from app.domain.users import Actor, Permission
from app.services.access import reads, writes
from app.services.shipping_choice import rule_specs, service_label

#: words in this module's messages (translated on screen)
RULE_WORDS = {"rule": "Shipping rule"}


@dataclass(frozen=True)
class RuleDraft:
    """A rule as the editor sends it; ``id`` None adds a new rule at the end."""

    name: str
    action: str = SET
    conditions: dict[str, Any] = field(default_factory=dict)
    carrier_service_id: int | None = None
    package_type_id: int | None = None
    hold_reason: str = ""
    stop: bool = True
    active: bool = True
    id: int | None = None


@dataclass(frozen=True)
class RuleInfo:
    id: int
    #: 1, 2, 3... in the order the rules are tried
    position: int
    name: str
    active: bool
    action: str
    conditions: dict[str, Any]
    carrier_service_id: int | None
    service: str
    package_type_id: int | None
    package: str
    hold_reason: str
    stop: bool


@dataclass(frozen=True)
class Choice:
    """A carrier service or package type a rule may set."""

    id: int
    label: str


@dataclass(frozen=True)
class RuleChoices:
    services: list[Choice]
    packages: list[Choice]


@reads
def list_rules(uow: UnitOfWork, actor: Actor | None = None) -> list[RuleInfo]:
    """The rules in the order they are tried."""
    with uow:
        if actor is not None:
            uow.require(actor, Permission.VIEW_ORDERS)
        return [
            RuleInfo(
                r.id,
                n,
                r.name,
                r.active,
                r.action,
                r.conditions,
                r.carrier_service_id,
                r.service_label,
                r.package_type_id,
                r.package_label,
                r.hold_reason,
                r.stop,
            )
            for n, r in enumerate(rule_specs(uow.session), start=1)
        ]


@reads
def rule_choices(uow: UnitOfWork, actor: Actor) -> RuleChoices:
    """The active carrier services and package types, for the editor's pickers."""
    with uow:
        uow.require(actor, Permission.VIEW_ORDERS)
        s = uow.session
        services = s.execute(
            select(CarrierService.id, Carrier.code, CarrierService.name)
            .join(Carrier, Carrier.id == CarrierService.carrier_id)
            .where(Carrier.active.is_(True))
            .order_by(Carrier.code, CarrierService.name)
        ).tuples()
        packages = s.execute(
            select(PackageType.id, PackageType.code, PackageType.name)
            .where(PackageType.active.is_(True))
            .order_by(PackageType.code)
        ).tuples()
        return RuleChoices(
            [Choice(i, service_label(c, n)) for i, c, n in services],
            [Choice(i, f"{c} {n}".strip() if n and n != c else c) for i, c, n in packages],
        )


def _number(key: str, value: Any, kind: type[int] | type[Decimal]) -> int | str | None:
    if value in (None, ""):
        return None
    try:
        n = kind(str(value).strip())
    except (ValueError, InvalidOperation):
        n = None
    if n is None or n < 0:
        raise ValidationError(
            "The condition {condition} must be a number of 0 or more, not {value}.",
            condition=key,
            value=str(value),
        )
    return int(n) if kind is int else str(n)


def clean_conditions(conditions: dict[str, Any]) -> dict[str, Any]:
    """The conditions as stored: known keys only, numbers checked, lists trimmed, empty ones
    left out."""
    unknown = sorted(set(conditions) - set(CONDITION_KEYS))
    if unknown:
        raise ValidationError(
            "{condition} is not a condition of shipping rules.", condition=unknown[0]
        )
    out: dict[str, Any] = {}
    for key in ("weight_min_g", "weight_max_g"):
        if (n := _number(key, conditions.get(key), int)) is not None:
            out[key] = n
    for key in ("value_min", "value_max"):
        if (v := _number(key, conditions.get(key), Decimal)) is not None:
            out[key] = v
    if out.get("weight_max_g") is not None and out.get("weight_min_g", 0) > out["weight_max_g"]:
        raise ValidationError(
            "The weight from {low} g is above the weight up to {high} g. Swap them.",
            low=out["weight_min_g"],
            high=out["weight_max_g"],
        )
    low, high = out.get("value_min"), out.get("value_max")
    if low is not None and high is not None and Decimal(low) > Decimal(high):
        raise ValidationError(
            "The order value from {low} is above the value up to {high}. Swap them.",
            low=low,
            high=high,
        )
    for key in LIST_KEYS:
        value = conditions.get(key) or []
        entries = value.split(",") if isinstance(value, str) else list(value)
        kept = list(dict.fromkeys(str(e).strip() for e in entries if str(e).strip()))
        if kept:
            out[key] = kept
    return out


def _check(s: Session, d: RuleDraft) -> None:
    if not d.name.strip() or len(d.name.strip()) > 200:
        raise ValidationError("Give the shipping rule a name of 1 to 200 characters.")
    if d.action not in ACTIONS:
        raise ValidationError(
            "{action} is not an action of shipping rules: set, hold or stop.", action=d.action
        )
    if d.action == SET and d.carrier_service_id is None and d.package_type_id is None:
        raise ValidationError(
            "The rule {rule} sets nothing: choose a carrier service, a package or both.",
            rule=d.name.strip(),
        )
    if d.action == HOLD and not d.hold_reason.strip():
        raise ValidationError(
            "The rule {rule} holds orders: write the reason the packers will read.",
            rule=d.name.strip(),
        )
    if d.carrier_service_id is not None and s.get(CarrierService, d.carrier_service_id) is None:
        raise ValidationError(
            "There is no carrier service {service}. Choose one from the list.",
            service=d.carrier_service_id,
        )
    if d.package_type_id is not None and s.get(PackageType, d.package_type_id) is None:
        raise ValidationError(
            "There is no package type {package}. Choose one from the list.",
            package=d.package_type_id,
        )


def _snapshot(r: ShippingRule) -> dict[str, Any]:
    return {
        "name": r.name,
        "position": r.position,
        "active": r.active,
        "action": r.action,
        "conditions": dict(r.conditions or {}),
        "carrier_service_id": r.carrier_service_id,
        "package_type_id": r.package_type_id,
        "hold_reason": r.hold_reason,
        "stop": r.stop,
    }


def _rule(s: Session, rule_id: int) -> ShippingRule:
    rule = s.get(ShippingRule, rule_id)
    if rule is None:
        raise NotFound(what=RULE_WORDS["rule"], key=rule_id)
    return rule


@writes(Permission.MANAGE_SHIPPING)
def save_rule(uow: UnitOfWork, actor: Actor, draft: RuleDraft) -> int:
    """Add the rule (at the end) or change it; returns its id."""
    with uow:
        uow.require(actor, Permission.MANAGE_SHIPPING)
        s = uow.session
        _check(s, draft)
        conditions = clean_conditions(draft.conditions)
        if draft.id is None:
            last = s.scalar(select(func.max(ShippingRule.position))) or 0
            rule = ShippingRule(position=last + 1)
            s.add(rule)
            before = None
        else:
            rule = _rule(s, draft.id)
            before = _snapshot(rule)
        rule.name = draft.name.strip()
        rule.action = draft.action
        rule.conditions = conditions
        keep_targets = draft.action == SET
        rule.carrier_service_id = draft.carrier_service_id if keep_targets else None
        rule.package_type_id = draft.package_type_id if keep_targets else None
        rule.hold_reason = draft.hold_reason.strip() if draft.action == HOLD else ""
        rule.stop = draft.stop if draft.action == SET else True
        rule.active = draft.active
        s.flush()
        uow.audit(actor, "shipping_rule.save", "shipping_rule", rule.id, before, _snapshot(rule))
        uow.commit()
        return rule.id


def _ordered(s: Session) -> list[ShippingRule]:
    rules = list(s.scalars(select(ShippingRule).order_by(ShippingRule.position, ShippingRule.id)))
    for n, r in enumerate(rules, start=1):
        r.position = n
    return rules


@writes(Permission.MANAGE_SHIPPING)
def move_rule(uow: UnitOfWork, actor: Actor, rule_id: int, direction: str) -> int:
    """Move a rule one place ``up`` (tried earlier) or ``down``; returns its new position
    (1 is first). At either end it stays where it is."""
    with uow:
        uow.require(actor, Permission.MANAGE_SHIPPING)
        if direction not in ("up", "down"):
            raise ValidationError("Move a rule up or down, not {direction}.", direction=direction)
        s = uow.session
        rule = _rule(s, rule_id)
        rules = _ordered(s)
        i = rules.index(rule)
        j = i - 1 if direction == "up" else i + 1
        if 0 <= j < len(rules):
            rules[i].position, rules[j].position = rules[j].position, rules[i].position
        s.flush()
        uow.audit(
            actor,
            "shipping_rule.move",
            "shipping_rule",
            rule.id,
            {"position": i + 1},
            {"position": rule.position},
        )
        uow.commit()
        return rule.position


@writes(Permission.MANAGE_SHIPPING)
def delete_rule(uow: UnitOfWork, actor: Actor, rule_id: int) -> None:
    """Delete a rule; the rules after it move up one place."""
    with uow:
        uow.require(actor, Permission.MANAGE_SHIPPING)
        s = uow.session
        rule = _rule(s, rule_id)
        before = _snapshot(rule)
        s.delete(rule)
        s.flush()
        _ordered(s)
        uow.audit(actor, "shipping_rule.delete", "shipping_rule", rule_id, before, None)
        uow.commit()


def draft_of(info: RuleInfo) -> RuleDraft:
    """A listed rule as a draft to edit."""
    return RuleDraft(
        name=info.name,
        action=info.action,
        conditions=dict(info.conditions),
        carrier_service_id=info.carrier_service_id,
        package_type_id=info.package_type_id,
        hold_reason=info.hold_reason,
        stop=info.stop,
        active=info.active,
        id=info.id,
    )
