"""Check and hold (审单): the rules every new order passes before it is released.

Each rule that fails becomes an ``order_holds`` row with a code and a reason the reviewer can
read. The rules run when orders are imported (``app.services.order_intake``), on demand
(``recheck``) and after a reviewer edits an order (``edit_order``). An order that passes every
rule is released by itself; one that fails any goes on hold. Supervisors change the rules'
thresholds in the settings (``save_settings``, permission MANAGE_SETTINGS).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

import phonenumbers
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.models import (
    Address,
    Carrier,
    CarrierService,
    Order,
    OrderHold,
    OrderImport,
    OrderLine,
    Product,
    ProductBarcode,
    SettingRow,
    utcnow,
)
from app.db.uow import UnitOfWork
from app.domain.addresses import country_rules, is_blank, looks_like_street
from app.domain.errors import ValidationError
from app.domain.holds import HOLD_WORDS, HoldReason, hold
from app.domain.orders import EDITABLE, OrderStatus, status_note
from app.domain.payments import COD_METHODS, PICKUP_PATTERNS, matches_any
from app.domain.privacy import mask_phone
from app.domain.users import Actor, Permission
from app.services.access import reads, step, writes
from app.services.orders import transition

S = OrderStatus
#: the longest postal code the addresses table keeps
POSTAL_CODE_MAX = 20
SETTINGS_KEY = "order_checks"

#: code -> what the rule is about (the review screen's filter and column)
RULES: dict[str, str] = {
    "missing_address": "Address incomplete",
    "bad_phone": "Phone number not valid",
    "bad_postal_code": "Postal code of the wrong form",
    "unknown_sku": "Unknown SKU",
    "no_sku": "No SKU",
    "bad_quantity": "Zero or negative quantity",
    "partly_fulfilled": "Partly fulfilled in the channel",
    "large_quantity": "Unusually large quantity",
    "duplicate": "Suspected duplicate",
    "cancelled": "Cancelled in the channel",
    "unpaid": "Not paid",
    "refunded": "Refunded in the channel",
    "refused_address": "Address a carrier refuses",
}


# --- settings -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckSettings:
    """The rules' thresholds, shared by all stations (settings table, key ``order_checks``)."""

    #: same customer, same items, placed within this many hours: a suspected duplicate
    duplicate_window_hours: int = 24
    #: payment statuses that count as paid
    accepted_payment_statuses: tuple[str, ...] = ("paid", "authorized")
    #: hold orders the channel partly refunded (a reviewer checks which items still go)
    hold_partially_refunded: bool = True
    #: words in the street lines that carriers refuse (PO boxes); case and dots are ignored
    refused_address_words: tuple[str, ...] = (
        "PO Box",
        "Post Office Box",
        "邮政信箱",
        "Packstation",
    )
    #: where a refused word is allowed after all: (word, country, carrier). The carrier is
    #: matched against the order's carrier and service (code or name, any case); "" means any
    #: carrier. An order whose carrier is not chosen yet passes where the country has an entry
    #: for the word. Default: PO boxes go by Canada Post and USPS, Packstations by DHL in DE.
    refused_address_allowed: tuple[tuple[str, str, str], ...] = (
        ("PO Box", "CA", "Canada Post"),
        ("PO Box", "US", "USPS"),
        ("Post Office Box", "CA", "Canada Post"),
        ("Post Office Box", "US", "USPS"),
        ("Packstation", "DE", "DHL"),
    )
    #: destination countries where a phone number is required (carriers call or text)
    phone_required_countries: tuple[str, ...] = ("CN",)
    #: a line with more units than this is held for review; 0 switches the rule off
    max_line_qty: int = 0
    #: payment methods paid on delivery: such orders are not held as unpaid (matched as words)
    cod_payment_methods: tuple[str, ...] = COD_METHODS
    #: other payment methods whose unpaid orders go out all the same (invoice customers)
    unpaid_allowed_methods: tuple[str, ...] = ()
    #: shipping methods that mean the customer collects the order (no carrier, no label)
    pickup_patterns: tuple[str, ...] = PICKUP_PATTERNS
    #: rule codes that are switched off
    disabled_rules: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        out = {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}
        out["refused_address_allowed"] = [list(x) for x in self.refused_address_allowed]
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CheckSettings:
        known = {f.name: f for f in fields(cls)}
        kw: dict[str, Any] = {}
        for k, v in data.items():
            if k not in known:
                continue
            default = getattr(cls(), k)
            if k == "refused_address_allowed":
                kw[k] = tuple(_allowance(x) for x in v if isinstance(x, list | tuple))
                continue
            kw[k] = tuple(str(x) for x in v) if isinstance(default, tuple) else type(default)(v)
        return cls(**kw)

    def validate(self) -> None:
        if not 0 <= self.duplicate_window_hours <= 24 * 90:
            raise ValidationError("The duplicate window is 0 to 2160 hours (90 days).")
        if self.max_line_qty < 0:
            raise ValidationError("The largest quantity per line is 0 (off) or more.")
        unknown = [c for c in self.disabled_rules if c not in RULES]
        if unknown:
            raise ValidationError("There is no check called {unknown}.", unknown=unknown[0])
        if not self.accepted_payment_statuses:
            raise ValidationError("At least one payment status must count as paid.")


def _allowance(entry: list[Any] | tuple[Any, ...]) -> tuple[str, str, str]:
    word, country, carrier = ([*(str(x).strip() for x in entry), "", "", ""])[:3]
    return (word, country.upper(), carrier)


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
    """Change the thresholds (supervisors); audited with before and after."""
    new = replace(
        new,
        accepted_payment_statuses=tuple(
            s.strip().lower() for s in new.accepted_payment_statuses if s.strip()
        ),
        refused_address_words=tuple(w.strip() for w in new.refused_address_words if w.strip()),
        phone_required_countries=tuple(
            c.strip().upper() for c in new.phone_required_countries if c.strip()
        ),
        refused_address_allowed=tuple(
            _allowance(x) for x in new.refused_address_allowed if x and str(x[0]).strip()
        ),
    )
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
        uow.commit()
    return new


# --- the rules, without a database --------------------------------------------------------


@dataclass(frozen=True)
class CheckLine:
    line_no: int
    sku: str
    qty: int
    known: bool
    requires_shipping: bool = True
    #: the item's name, which tells items without a SKU apart
    name: str = ""
    #: the channel has shipped part of the line already
    partly_fulfilled: bool = False


@dataclass(frozen=True)
class CheckOrder:
    """What the rules look at."""

    country: str
    name: str
    phone: str
    province: str
    city: str
    district: str
    street: str
    street2: str
    postal_code: str
    payment_status: str
    cancelled: bool
    lines: tuple[CheckLine, ...]
    #: the country as written when it was not understood
    country_text: str = ""
    #: the chosen carrier and service, codes and names (empty while none is chosen)
    carrier: tuple[str, ...] = ()
    #: the channel's payment method as written
    payment_method: str = ""


#: a rule the order fails: its hold code and sentence
Failure = HoldReason
_CN_MOBILE = re.compile(r"1[3-9]\d{9}")
_CN_DISTRICT = re.compile(r"[\u4e00-\u9fff]{1,8}?(区|县|旗)")


def required_parts(country: str) -> tuple[str, ...]:
    """The address parts a destination country needs (Google's address data; China's own)."""
    return country_rules(country).required


@lru_cache(maxsize=50_000)
def phone_problem(phone: str, country: str) -> HoldReason | None:
    """Why ``phone`` is not a valid number for ``country`` (None when it is). The reason is
    shown in lists to every role, so it quotes the number masked."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if country == "CN" or (not country and len(digits) == 11):
        national = digits
        for prefix in ("0086", "86"):
            if national.startswith(prefix) and len(national) == len(prefix) + 11:
                national = national[len(prefix) :]
        if national.startswith("1"):
            if _CN_MOBILE.fullmatch(national):
                return None
            return hold("bad_phone", "phone_not_cn_mobile", phone=mask_phone(phone))
    try:
        num = phonenumbers.parse(phone, country or None)
    except phonenumbers.NumberParseException:
        return hold("bad_phone", "phone_unreadable", phone=mask_phone(phone))
    if not phonenumbers.is_valid_number(num):
        if country:
            return hold("bad_phone", "phone_invalid_for", phone=mask_phone(phone), country=country)
        return hold("bad_phone", "phone_invalid", phone=mask_phone(phone))
    return None


@lru_cache(maxsize=256)
def _refused_pattern(word: str) -> re.Pattern[str] | None:
    """The pattern for one refused word: for a Latin word, spaces and dots between letters do
    not matter ("PO Box" finds "P.O. Box" and "p o box"), and the word must stand alone."""
    letters = [ch for ch in word if not ch.isspace() and ch != "."]
    if not letters:
        return None
    if word.isascii():
        body = r"[\s.]*".join(re.escape(ch) for ch in letters)
        return re.compile(rf"(?<![A-Za-z0-9]){body}(?![A-Za-z])", re.IGNORECASE)
    return re.compile(re.escape(word.strip()), re.IGNORECASE)


def refused_word(order: CheckOrder, settings: CheckSettings) -> str | None:
    """The refused word the street lines contain, as written there, unless the destination
    country and carrier take it (``CheckSettings.refused_address_allowed``)."""
    street = f"{order.street} {order.street2}"
    carrier = {c.strip().casefold() for c in order.carrier if c.strip()}
    for word in settings.refused_address_words:
        pattern = _refused_pattern(word)
        m = pattern.search(street) if pattern else None
        if m is None:
            continue
        allowed = [
            c.casefold()
            for w, country, c in settings.refused_address_allowed
            if w.casefold() == word.casefold() and country == order.country
        ]
        if allowed and (not carrier or "" in allowed or carrier & set(allowed)):
            continue
        return m.group(0)
    return None


def evaluate(
    order: CheckOrder,
    settings: CheckSettings,
    *,
    duplicate_of: tuple[str, float] | None = None,
) -> list[Failure]:
    """Every rule the order fails. ``duplicate_of`` is (the other order's number, hours
    between), found beforehand by ``find_duplicates``."""
    out: list[Failure] = []
    off = set(settings.disabled_rules)

    def fail(reason: HoldReason) -> None:
        if reason.code not in off:
            out.append(reason)

    _address_rules(order, fail)
    country = order.country
    phone = order.phone.strip()
    if is_blank(phone):
        if country in settings.phone_required_countries:
            fail(hold("bad_phone", "phone_missing", country=country))
    else:
        problem = phone_problem(phone, country)
        if problem:
            fail(problem)
    _line_rules(order, settings, fail)
    if duplicate_of is not None:
        number, hours = duplicate_of
        fail(hold("duplicate", "duplicate", number=number, hours=f"{hours:.0f}"))
    _payment_rules(order, settings, fail)
    word = refused_word(order, settings)
    if word:
        fail(hold("refused_address", "refused_address", word=word))
    return out


def _address_rules(order: CheckOrder, fail: Any) -> None:
    """The parts the destination country needs, and the form of its postal code."""
    country = order.country
    if not country:
        written = order.country_text or HOLD_WORDS["no_country"]
        fail(hold("missing_address", "country_unknown", country=written))
        return
    rules = country_rules(country)
    missing = [
        HOLD_WORDS.get(f"label_{rules.label(p)}", HOLD_WORDS[p])
        for p in rules.required
        if is_blank(getattr(order, p))
        # channels without a district field (Shopify) write it at the start of the street
        and not (p == "district" and _CN_DISTRICT.search(f"{order.city}{order.street}"))
    ]
    if missing:
        fail(hold("missing_address", "address_parts_missing", parts=missing, country=rules.display))
    code = order.postal_code.strip()
    if not rules.uses_postal_codes or is_blank(code):
        return
    if looks_like_street(code):
        fail(hold("bad_postal_code", "postal_code_street", postal_code=code, country=rules.display))
    elif len(code) > POSTAL_CODE_MAX or not rules.postal_code_fits(code):
        fail(
            hold(
                "bad_postal_code",
                "postal_code_form_example" if rules.postal_example else "postal_code_form",
                postal_code=code,
                country=rules.display,
                example=rules.postal_example,
            )
        )


def _line_rules(order: CheckOrder, settings: CheckSettings, fail: Any) -> None:
    for ln in order.lines:
        if ln.requires_shipping and not ln.sku.strip():
            fail(hold("no_sku", "line_no_sku", line=ln.line_no))
        elif ln.requires_shipping and not ln.known:
            fail(hold("unknown_sku", "line_unknown_sku", line=ln.line_no, sku=ln.sku))
        if ln.partly_fulfilled:
            sku = ln.sku or HOLD_WORDS["no_sku"]
            fail(hold("partly_fulfilled", "line_partly_fulfilled", line=ln.line_no, sku=sku))
        if ln.qty <= 0:
            fail(hold("bad_quantity", "line_bad_quantity", line=ln.line_no, sku=ln.sku, qty=ln.qty))
        elif settings.max_line_qty and ln.qty > settings.max_line_qty:
            fail(
                hold(
                    "large_quantity",
                    "line_large_quantity",
                    line=ln.line_no,
                    sku=ln.sku,
                    qty=ln.qty,
                    limit=settings.max_line_qty,
                )
            )


def _payment_rules(order: CheckOrder, settings: CheckSettings, fail: Any) -> None:
    status = order.payment_status.strip().lower()
    if order.cancelled:
        fail(hold("cancelled", "cancelled"))
    if status == "refunded":
        fail(hold("refunded", "refunded"))
    elif status == "partially_refunded":
        if settings.hold_partially_refunded:
            fail(hold("refunded", "partly_refunded"))
    elif status in settings.accepted_payment_statuses:
        pass
    elif matches_any(order.payment_method, settings.cod_payment_methods):
        pass  # paid on delivery: the carrier collects the amount
    elif not matches_any(order.payment_method, settings.unpaid_allowed_methods):
        fail(hold("unpaid", "unpaid", status=status or HOLD_WORDS["no_status"]))


# --- suspected duplicates -------------------------------------------------------------------


def item_key(sku: str, name: str) -> str:
    """What tells an item apart: its SKU, or its name when it has none."""
    return sku if sku.strip() else f"\x00{name.strip().casefold()}"


def signature(lines: Iterable[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
    """The items of an order (``item_key`` and quantity), in a form two orders can be compared
    by."""
    total: dict[str, int] = {}
    for sku, qty in lines:
        total[sku] = total.get(sku, 0) + qty
    return tuple(sorted(total.items()))


@dataclass(frozen=True)
class DupCandidate:
    """An order to look for an earlier twin of. ``order_id`` is None for one not inserted yet
    (then ``seq`` orders it among the others of the same import)."""

    key: int
    customer_id: int | None
    placed_at: datetime
    items: tuple[tuple[str, int], ...]
    order_id: int | None = None
    number: str = ""
    seq: int = 0


def find_duplicates(
    session: Session,
    candidates: Sequence[DupCandidate],
    window_hours: int,
    *,
    new_customers: set[int] | frozenset[int] = frozenset(),
) -> dict[int, tuple[str, float]]:
    """For each candidate with an earlier order of the same customer with the same items
    within the window (in the database or earlier among the candidates): key -> (that
    order's number, hours between). Cancelled orders do not count. ``new_customers`` were
    created just now: they have no orders in the database to look up."""
    cands = [c for c in candidates if c.customer_id is not None]
    if not cands or window_hours <= 0:
        return {}
    window = timedelta(hours=window_hours)
    lo = min(c.placed_at for c in cands) - window
    hi = max(c.placed_at for c in cands)
    customers = sorted(
        {c.customer_id for c in cands if c.customer_id is not None} - set(new_customers)
    )
    known: list[tuple[int, int, str, datetime]] = []
    for chunk in _chunks(customers, 500):
        known += [
            (r[0], r[1], r[2], r[3])
            for r in session.execute(
                select(Order.id, Order.customer_id, Order.number, Order.placed_at).where(
                    Order.customer_id.in_(chunk),
                    Order.placed_at >= lo,
                    Order.placed_at <= hi,
                    Order.status != S.CANCELLED.value,
                    Order.merged_into_id.is_(None),
                )
            )
        ]
    items: dict[int, list[tuple[str, int]]] = {}
    for chunk in _chunks([k[0] for k in known], 500):
        for oid, sku, name, qty in session.execute(
            select(OrderLine.order_id, OrderLine.sku, OrderLine.name, OrderLine.qty).where(
                OrderLine.order_id.in_(chunk)
            )
        ):
            items.setdefault(oid, []).append((item_key(sku, name), qty))
    # Orders compare by time; at the same time an order already in the database comes first,
    # then the new ones in file order.
    Rank = tuple[datetime, int, int]
    index: dict[tuple[int, tuple[tuple[str, int], ...]], list[tuple[Rank, str]]] = {}
    for oid, cid, number, placed in known:
        key = (cid, signature(items.get(oid, [])))
        index.setdefault(key, []).append(((placed, 0, oid), number))
    for c in cands:
        if c.order_id is None:
            index.setdefault((c.customer_id or 0, c.items), []).append((_rank(c), c.number))
    found: dict[int, tuple[str, float]] = {}
    for c in cands:
        me = _rank(c)
        earlier = [
            (rank, number)
            for rank, number in index.get((c.customer_id or 0, c.items), [])
            if rank < me and c.placed_at - rank[0] <= window
        ]
        if earlier:
            rank, number = max(earlier)
            found[c.key] = (number, (c.placed_at - rank[0]).total_seconds() / 3600)
    return found


def _rank(c: DupCandidate) -> tuple[datetime, int, int]:
    if c.order_id is not None:
        return (c.placed_at, 0, c.order_id)
    return (c.placed_at, 1, c.seq)


def _chunks(items: list[int], n: int) -> list[list[int]]:
    return [items[i : i + n] for i in range(0, len(items), n)]


# --- SKUs -----------------------------------------------------------------------------------


def resolve_skus(session: Session, skus: Iterable[str]) -> dict[str, int]:
    """Active products for the SKUs as the channel wrote them: by SKU code, then by any of the
    product's barcodes, then by SKU code ignoring case and surrounding spaces."""
    wanted = sorted({s for s in skus if s})
    found: dict[str, int] = {}
    for chunk in _chunks_str(wanted, 500):
        for sku, pid in session.execute(
            select(Product.sku, Product.id).where(Product.sku.in_(chunk), Product.active)
        ):
            found[sku] = pid
    rest = [s for s in wanted if s not in found]
    for chunk in _chunks_str(rest, 500):
        for code, pid in session.execute(
            select(ProductBarcode.barcode, ProductBarcode.product_id)
            .join(Product, Product.id == ProductBarcode.product_id)
            .where(ProductBarcode.barcode.in_(chunk), Product.active)
        ):
            found[code] = pid
    rest = [s for s in wanted if s not in found]
    if rest:
        folded = {s.strip().upper(): s for s in rest}
        for chunk in _chunks_str(sorted(folded), 500):
            for sku, pid in session.execute(
                select(func.upper(Product.sku), Product.id).where(
                    func.upper(Product.sku).in_(chunk), Product.active
                )
            ):
                found[folded[sku]] = pid
    return found


def _chunks_str(items: list[str], n: int) -> list[list[str]]:
    return [items[i : i + n] for i in range(0, len(items), n)]


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
            lines=tuple(
                CheckLine(
                    ln.line_no,
                    ln.sku,
                    ln.qty,
                    ln.product_id is not None,
                    ln.requires_shipping,
                    ln.name,
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
