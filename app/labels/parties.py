"""Who a label or slip names (the shop, the recipient, the return address) and how their
details are written: masked after the channel's policy, addresses Chinese or Western style."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from app.domain.privacy import MaskPolicy, mask_recipient

#: currency signs printed before an amount; other currencies print their code
CURRENCY_SIGNS = {"CNY": "¥", "RMB": "¥", "USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}


@dataclass(frozen=True)
class Party:
    """A sender or a recipient as printed on the label."""

    name: str
    phone: str = ""
    country: str = "CN"
    province: str = ""
    city: str = ""
    district: str = ""
    street: str = ""
    street2: str = ""
    postal_code: str = ""
    company: str = ""


def shown_party(party: Party, policy: MaskPolicy | str | None) -> Party:
    """The party as the policy lets a label or slip print it."""
    r = mask_recipient(policy, party.name, party.phone, party.street, party.street2)
    return replace(party, name=r.name, phone=r.phone, street=r.street, street2=r.street2)


def address_text(party: Party) -> str:
    """One address, Chinese style (province first, no spaces) or Western style."""
    if party.country.upper() == "CN":
        return "".join([party.province, party.city, party.district, party.street, party.street2])
    parts = [
        party.street,
        party.street2,
        party.city,
        party.province,
        party.postal_code,
        party.country,
    ]
    return ", ".join(p for p in parts if p)


def person_text(party: Party) -> str:
    company = f" ({party.company})" if party.company else ""
    return f"{party.name}{company}  {party.phone}".strip()


def weight_text(grams: Decimal | None) -> str:
    if grams is None:
        return ""
    kg = (grams / Decimal(1000)).quantize(Decimal("0.01"))
    return f"{kg} kg"


def money_text(amount: Decimal, currency: str = "CNY") -> str:
    """``¥123.45``; a currency without a sign: ``123.45 HKD``."""
    value = f"{amount.quantize(Decimal('0.01')):,}"
    sign = CURRENCY_SIGNS.get(currency.upper())
    return f"{sign}{value}" if sign else f"{value} {currency.upper()}"
