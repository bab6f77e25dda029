"""Shipping rules: which carrier, service and package an order ships with, and why.

Rules are tried in order (``RuleSpec.active`` false: skipped). Each has conditions: all given
must hold, and a list condition holds when any of its entries does:

- ``weight_min_g``/``weight_max_g``: the parcel's weight in grams (inclusive bounds);
- ``value_min``/``value_max``: the order's total in its own currency (inclusive);
- ``countries``, ``provinces``, ``cities``: compared by ``app.domain.place_names.place_key``
  (case, full-width/half-width, 省/市/自治区... suffixes: "广东" matches "广东省");
- ``postal_prefixes``: the postal code starts with one of them (spaces and dashes ignored);
- ``channels`` (channel codes), ``skus`` (any item's SKU), ``tags`` (any item's product tag);
- ``shipping_methods``: the order's shipping method contains one of them (any case).

Actions, when every condition holds:

- ``set``: the rule's carrier service and/or package become the order's, for each that no earlier
  rule has set yet (the first rule to set a thing wins it). With ``stop`` the search ends there;
  without it later rules are still tried and may set what this one left unset, or hold.
- ``hold``: the order is held with ``hold_reason``; the search ends (the pack station refuses
  to label a held order and shows the reason).
- ``stop``: the search ends; what earlier rules set stays.

When no rule sets a service, the order keeps its own carrier service from intake.

``Decision.trace`` has a line per rule, in order: matched or not and why (the first condition
that failed, with the order's value and the rule's), as an English template from
``TRACE_MESSAGES`` with its values apart, for translation; rules after the search ended are
listed as not tried, and a last line (``rule_id`` 0) says when the intake service stays.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from app.domain.place_names import country_key, fold, place_key, postal_key

SET, HOLD, STOP = "set", "hold", "stop"
ACTIONS = (SET, HOLD, STOP)

#: the condition keys a rule may have, in the order they are checked
CONDITION_KEYS = (
    "weight_min_g",
    "weight_max_g",
    "value_min",
    "value_max",
    "countries",
    "provinces",
    "cities",
    "postal_prefixes",
    "channels",
    "skus",
    "tags",
    "shipping_methods",
)
LIST_KEYS = CONDITION_KEYS[4:]

#: the trace's sentences (English templates, translated by the screens)
TRACE_MESSAGES: dict[str, str] = {
    "off": "Switched off: not tried.",
    "not_tried": "Not tried: rule “{rule}” ended the search.",
    "weight_below": "Weight {value} g is below the rule's {limit} g.",
    "weight_above": "Weight {value} g is above the rule's {limit} g.",
    "value_below": "Order value {value} {currency} is below the rule's {limit}.",
    "value_above": "Order value {value} {currency} is above the rule's {limit}.",
    "country": "Country {value} is not one of {wanted}.",
    "province": "Province {value} is not one of {wanted}.",
    "city": "City {value} is not one of {wanted}.",
    "postal": "Postal code {value} does not start with {wanted}.",
    "channel": "Channel {value} is not one of {wanted}.",
    "sku": "No item's SKU is one of {wanted} (the order has {value}).",
    "tag": "No item is tagged {wanted} (the items' tags: {value}).",
    "method": "Shipping method “{value}” contains none of {wanted}.",
    "set_both": "Matched: ships with {service} in {package}.",
    "set_service": "Matched: ships with {service}.",
    "set_package": "Matched: packs in {package}.",
    "set_taken": "Matched, but earlier rules already chose what this rule sets: no change.",
    "hold": "Matched: the order is held: {reason}",
    "stop": "Matched: the search stops here.",
    "keeps_own": "No rule chose a carrier service: the order keeps its own from intake, {service}.",
    "keeps_none": "No rule chose a carrier service and the order has none from intake: choose "
    "one (a rule or the order) before it is labelled.",
}


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
    currency: str = ""
    #: the carrier service the order came with from intake ("SF / Standard"); empty: none
    own_service: str = ""


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
    #: how the trace names the service and the package ("SF / Standard", "BOX-S")
    service_label: str = ""
    package_label: str = ""


@dataclass(frozen=True, slots=True)
class RuleTrace:
    """One rule tried: did it match, and why (English template and values, for translation)."""

    rule_id: int
    name: str
    matched: bool
    reason: str
    params: dict[str, Any] = field(default_factory=dict)
    #: this rule ended the search (a ``set`` with stop, a hold, a stop)
    stopped: bool = False
    #: false for a rule switched off or after the search ended
    tried: bool = True

    @property
    def text(self) -> str:
        """The English sentence."""
        try:
            return self.reason.format(**self.params)
        except (KeyError, IndexError, ValueError):
            return self.reason


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


def _entries(value: Any) -> list[str]:
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, Iterable):
        return []
    return [str(v).strip() for v in value if str(v).strip()]


def _grams(n: int | Decimal) -> str:
    return f"{int(n):,}"


def _money(d: Decimal) -> str:
    return f"{d:,.2f}"


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _numbers(c: dict[str, Any], f: OrderFacts) -> tuple[str, dict[str, Any]] | None:
    lo, hi = c.get("weight_min_g"), c.get("weight_max_g")
    if lo not in (None, "") and f.weight_g < int(lo):
        return "weight_below", {"value": _grams(f.weight_g), "limit": _grams(int(lo))}
    if hi not in (None, "") and f.weight_g > int(hi):
        return "weight_above", {"value": _grams(f.weight_g), "limit": _grams(int(hi))}
    vlo, vhi = _decimal(c.get("value_min")), _decimal(c.get("value_max"))
    money = {"value": _money(f.value), "currency": f.currency}
    if vlo is not None and f.value < vlo:
        return "value_below", {**money, "limit": _money(vlo)}
    if vhi is not None and f.value > vhi:
        return "value_above", {**money, "limit": _money(vhi)}
    return None


class _Checks:
    """The list conditions' tests for one order, built once per decision."""

    def __init__(self, f: OrderFacts) -> None:
        self.country = country_key(f.country)
        self.province = place_key(f.province)
        self.city = place_key(f.city)
        self.postal = postal_key(f.postal_code)
        self.channel = fold(f.channel)
        self.skus = {fold(s) for s in f.skus}
        self.tags = {fold(t) for t in f.tags}
        self.method = fold(f.shipping_method)
        self.by_key: dict[str, tuple[str, str, Callable[[list[str]], bool]]] = {
            "countries": ("country", f.country, lambda w: self.country in map(country_key, w)),
            "provinces": ("province", f.province, lambda w: self.province in map(place_key, w)),
            "cities": ("city", f.city, lambda w: self.city in map(place_key, w)),
            "postal_prefixes": (
                "postal",
                f.postal_code,
                lambda w: any(self.postal.startswith(postal_key(p)) for p in w),
            ),
            "channels": ("channel", f.channel, lambda w: self.channel in map(fold, w)),
            "skus": (
                "sku",
                ", ".join(sorted(f.skus)),
                lambda w: bool(self.skus & set(map(fold, w))),
            ),
            "tags": (
                "tag",
                ", ".join(sorted(f.tags)),
                lambda w: bool(self.tags & set(map(fold, w))),
            ),
            "shipping_methods": (
                "method",
                f.shipping_method,
                lambda w: any(fold(m) in self.method for m in w),
            ),
        }


def _lists(c: dict[str, Any], checks: _Checks) -> tuple[str, dict[str, Any]] | None:
    for key in LIST_KEYS:
        if key not in c:
            continue
        wanted = _entries(c[key])
        message, value, holds = checks.by_key[key]
        if wanted and not holds(wanted):
            return message, {"value": value or "—", "wanted": ", ".join(wanted)}
    return None


def first_failure(
    conditions: dict[str, Any], facts: OrderFacts, checks: _Checks | None = None
) -> tuple[str, dict[str, Any]]:
    """The first condition that does not hold (its message key and values), or ("", {})."""
    checks = checks or _Checks(facts)
    return _numbers(conditions, facts) or _lists(conditions, checks) or ("", {})


def _line(r: RuleSpec, matched: bool, key: str, params: dict[str, Any], **kw: Any) -> RuleTrace:
    return RuleTrace(r.id, r.name, matched, TRACE_MESSAGES[key], params, **kw)


class _Search:
    """The state of one search through the rules."""

    def __init__(self) -> None:
        self.service: int | None = None
        self.package: int | None = None
        self.hold = ""
        self.decided: list[int] = []
        self.trace: list[RuleTrace] = []
        self.ended_by: RuleSpec | None = None

    def apply(self, r: RuleSpec) -> None:
        if r.action == HOLD:
            self.hold = r.hold_reason.strip() or r.name
            self.decided.append(r.id)
            self._end(r, _line(r, True, "hold", {"reason": self.hold}, stopped=True))
        elif r.action == STOP:
            self._end(r, _line(r, True, "stop", {}, stopped=True))
        else:
            self._set(r)

    def _set(self, r: RuleSpec) -> None:
        took_service = r.carrier_service_id is not None and self.service is None
        took_package = r.package_type_id is not None and self.package is None
        if took_service:
            self.service = r.carrier_service_id
        if took_package:
            self.package = r.package_type_id
        if took_service or took_package:
            self.decided.append(r.id)
        key = {
            (True, True): "set_both",
            (True, False): "set_service",
            (False, True): "set_package",
            (False, False): "set_taken",
        }[(took_service, took_package)]
        params = {"service": r.service_label, "package": r.package_label}
        line = _line(r, True, key, params, stopped=r.stop)
        if r.stop:
            self._end(r, line)
        else:
            self.trace.append(line)

    def _end(self, r: RuleSpec, line: RuleTrace) -> None:
        self.trace.append(line)
        self.ended_by = r


def decide(rules: Sequence[RuleSpec], facts: OrderFacts) -> Decision:
    """The decision of ``rules`` (in order) for ``facts``, with its trace."""
    s = _Search()
    checks = _Checks(facts)
    for r in rules:
        if s.ended_by is not None:
            s.trace.append(_line(r, False, "not_tried", {"rule": s.ended_by.name}, tried=False))
        elif not r.active:
            s.trace.append(_line(r, False, "off", {}, tried=False))
        else:
            failed, params = first_failure(r.conditions or {}, facts, checks)
            if failed:
                s.trace.append(_line(r, False, failed, params))
            else:
                s.apply(r)
    if s.service is None and not s.hold:
        key = "keeps_own" if facts.own_service else "keeps_none"
        s.trace.append(RuleTrace(0, "", False, TRACE_MESSAGES[key], {"service": facts.own_service}))
    return Decision(s.service, s.package, s.hold, tuple(s.decided), tuple(s.trace))
