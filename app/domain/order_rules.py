"""The check rules (审单) every new order passes before it is released, without a database.

``evaluate`` returns every rule an order fails, each as a hold code and a sentence the reviewer
can read: the address by its country's rules, the phone, the lines, a suspected duplicate (found
beforehand by ``app.services.order_duplicates``), the payment and the words carriers refuse.
The services build the ``CheckOrder`` from a file's record (``app.services.intake_rows``) or from
the database (``app.services.order_checks``) and hold or release the order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import phonenumbers

from app.domain.addresses import country_rules, is_blank, looks_like_street
from app.domain.check_settings import CheckSettings
from app.domain.holds import HOLD_WORDS, HoldReason, hold
from app.domain.payments import matches_any
from app.domain.privacy import mask_phone
from app.domain.protected_recipients import phone_is_protected

#: the longest postal code there is, as people write it (ZIP+4 "02108-1234" is 10, Iran's
#: "12345-67890" 11, with a space or a country prefix a little more): anything longer holds
POSTAL_CODE_MAX = 12
#: the longest an address part can really be; the addresses table keeps any length, so a value
#: typed into the wrong field is kept in full and held for a reviewer to correct (the phone
#: number is judged by the phone rules)
PART_MAX: dict[str, int] = {
    "name": 100,
    "company": 200,
    "province": 80,
    "city": 80,
    "district": 80,
    "street": 300,
    "street2": 300,
}


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
    #: the platform masks or encrypts the recipient (ships with the platform's e-waybill)
    recipient_protected: bool = False
    company: str = ""


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
    digits = "".join(filter(str.isdigit, phone))
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
    if not is_valid_number(num):
        if country:
            return hold("bad_phone", "phone_invalid_for", phone=mask_phone(phone), country=country)
        return hold("bad_phone", "phone_invalid", phone=mask_phone(phone))
    return None


def is_valid_number(num: phonenumbers.PhoneNumber) -> bool:
    """``phonenumbers.is_valid_number``, the same verdict with one pattern check less for a
    number valid in the main region of a calling code that several regions share (+1 US, +44
    GB, +39 IT, +61 AU...): the library finds the number's region by checking it against that
    region first (when the region claims no leading digits), then checks it again there."""
    regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(num.country_code or 0, ())
    if (
        len(regions) > 1
        and _checked_first(regions[0])
        and phonenumbers.is_valid_number_for_region(num, regions[0])
    ):
        return True
    return bool(phonenumbers.is_valid_number(num))


@lru_cache(maxsize=64)
def _checked_first(region: str) -> bool:
    """The library gives a number of this region's calling code to this region when the number
    is valid here (the region has no leading digits to tell its numbers by)."""
    meta = phonenumbers.PhoneMetadata.metadata_for_region(region, None)
    return meta is not None and meta.leading_digits is None


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
    _phone_rules(order, settings, fail)
    _line_rules(order, settings, fail)
    if duplicate_of is not None:
        number, hours = duplicate_of
        fail(hold("duplicate", "duplicate", number=number, hours=f"{hours:.0f}"))
    _payment_rules(order, settings, fail)
    word = refused_word(order, settings)
    if word:
        fail(hold("refused_address", "refused_address", word=word))
    return out


def _phone_rules(order: CheckOrder, settings: CheckSettings, fail: Any) -> None:
    """A phone the destination needs, of its form. A phone the platform protects (masked,
    encrypted, a virtual number) is not the buyer's to check: the platform's e-waybill
    carries the real one, and so does a protected order that gives no phone at all."""
    phone = order.phone.strip()
    if is_blank(phone):
        if order.country in settings.phone_required_countries and not order.recipient_protected:
            fail(hold("bad_phone", "phone_missing", country=order.country))
    elif not phone_is_protected(phone):
        problem = phone_problem(phone, order.country)
        if problem:
            fail(problem)


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
    for part, limit in PART_MAX.items():
        length = len(getattr(order, part).strip())
        if length > limit:
            fail(hold("too_long", "part_too_long", part=HOLD_WORDS[part], length=length))
    code = order.postal_code.strip()
    if len(code) > POSTAL_CODE_MAX:  # whether or not the country uses postal codes
        fail(
            hold("bad_postal_code", "postal_code_too_long", length=len(code), country=rules.display)
        )
        return
    if not rules.uses_postal_codes or is_blank(code):
        return
    if looks_like_street(code):
        fail(hold("bad_postal_code", "postal_code_street", postal_code=code, country=rules.display))
    elif not rules.postal_code_fits(code):
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
