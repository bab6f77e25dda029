"""Wave rules: saved ways of making waves (which allocated orders go together and how they are
picked). The criteria and how orders are grouped are in ``app.domain.wave_rules``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import Carrier, Cart, Channel, WaveRule
from app.db.uow import UnitOfWork
from app.domain.errors import ValidationError
from app.domain.users import Actor, Permission
from app.domain.waves import PickMethod, UnitKind
from app.services.access import reads, writes

_CUTOFF = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


@dataclass(frozen=True)
class WaveRuleInfo:
    id: int
    name: str
    carrier: str = ""
    cutoff: str = ""
    priority: int | None = None
    channel: str = ""
    zone: str = ""
    unit_kind: str = UnitKind.ANY.value
    pick_method: str = PickMethod.CLUSTER.value
    cart: str = ""
    max_orders: int = 0
    active: bool = True


def _codes(s: Session, model: type[Carrier] | type[Channel] | type[Cart]) -> dict[int, str]:
    return dict(s.execute(select(model.id, model.code)).tuples().all())


@reads
def list_rules(uow: UnitOfWork, actor: Actor, include_inactive: bool = False) -> list[WaveRuleInfo]:
    """The wave rules by name."""
    with uow:
        uow.require(actor)
        s = uow.session
        carriers, channels, carts = _codes(s, Carrier), _codes(s, Channel), _codes(s, Cart)
        stmt = select(WaveRule).order_by(WaveRule.name)
        if not include_inactive:
            stmt = stmt.where(WaveRule.active.is_(True))
        return [
            WaveRuleInfo(
                r.id,
                r.name,
                carriers.get(r.carrier_id, "") if r.carrier_id else "",
                r.cutoff,
                r.priority,
                channels.get(r.channel_id, "") if r.channel_id else "",
                r.zone,
                r.unit_kind,
                r.pick_method,
                carts.get(r.cart_id, "") if r.cart_id else "",
                r.max_orders,
                r.active,
            )
            for r in s.scalars(stmt)
        ]


def _id_of(
    s: Session, model: type[Carrier] | type[Channel] | type[Cart], code: str, what: str
) -> int | None:
    if not code:
        return None
    found = s.scalar(select(model.id).where(model.code == code))
    if found is None:
        raise ValidationError(
            "There is no {what} with the code {code}. Choose one from the list.",
            what=what,
            code=code,
        )
    return found


def _check(name: str, cutoff: str, unit_kind: str, pick_method: str, max_orders: int) -> None:
    if not name.strip() or len(name) > 100:
        raise ValidationError("Give the wave rule a name of 1 to 100 characters.")
    if cutoff and not _CUTOFF.match(cutoff):
        raise ValidationError(
            "The cut-off {cutoff} is not a time: write it as HH:MM.", cutoff=cutoff
        )
    if unit_kind not in {k.value for k in UnitKind}:
        raise ValidationError(
            "{kind} is not a kind of order: any, single or multi.", kind=unit_kind
        )
    if pick_method not in {m.value for m in PickMethod}:
        raise ValidationError(
            "{method} is not a pick method: cluster, single_unit or pick_sort.", method=pick_method
        )
    if max_orders < 0:
        raise ValidationError("The most orders in a wave is 0 (no limit) or more.")


@writes(Permission.PLAN_WAVES)
def save_rule(
    uow: UnitOfWork,
    actor: Actor,
    name: str,
    *,
    carrier: str = "",
    cutoff: str = "",
    priority: int | None = None,
    channel: str = "",
    zone: str = "",
    unit_kind: str = UnitKind.ANY.value,
    pick_method: str = PickMethod.CLUSTER.value,
    cart: str = "",
    max_orders: int = 0,
    active: bool = True,
) -> int:
    """Add a wave rule, or change the one with this name; returns its id. Carrier, channel and
    cart are given by code; empty criteria match every order."""
    name = name.strip()
    with uow:
        uow.require(actor, Permission.PLAN_WAVES)
        _check(name, cutoff, unit_kind, pick_method, max_orders)
        s = uow.session
        rule = s.scalar(select(WaveRule).where(WaveRule.name == name))
        if rule is None:
            rule = WaveRule(name=name)
            s.add(rule)
        rule.carrier_id = _id_of(s, Carrier, carrier, "carrier")
        rule.channel_id = _id_of(s, Channel, channel, "channel")
        rule.cart_id = _id_of(s, Cart, cart.upper(), "cart")
        rule.cutoff = cutoff
        rule.priority = priority
        rule.zone = zone.strip()
        rule.unit_kind = unit_kind
        rule.pick_method = pick_method
        rule.max_orders = max_orders
        rule.active = active
        s.flush()
        uow.audit(
            actor,
            "wave_rule.save",
            "wave_rule",
            name,
            after={
                "carrier": carrier,
                "cutoff": cutoff,
                "priority": priority,
                "zone": zone,
                "channel": channel,
                "unit_kind": unit_kind,
                "pick_method": pick_method,
                "cart": cart,
                "max_orders": max_orders,
                "active": active,
            },
        )
        uow.commit()
        return rule.id
