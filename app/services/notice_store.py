"""What the notices read inside a unit of work: the mail server settings, the templates (the
shop's own or the defaults), the carriers' tracking links, and each order's notice facts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import (
    Address,
    Carrier,
    Channel,
    Customer,
    NoticeTemplate,
    Order,
    Parcel,
    SettingRow,
)
from app.domain.notices import (
    DEFAULT_TEMPLATES,
    DEFAULT_TRACKING_URLS,
    OPTED_OUT_CHANNEL,
    OPTED_OUT_CUSTOMER,
    NoticeValues,
    SmtpSettings,
    Template,
    language_for,
    tracking_link,
)

SMTP_KEY = "notices.smtp"
#: {carrier code: tracking page with {tracking}}: the shop's own links, over the defaults
TRACKING_URLS_KEY = "notices.tracking_urls"


def smtp_settings_in(session: Session) -> SmtpSettings:
    row = session.get(SettingRow, SMTP_KEY)
    return SmtpSettings.from_json(row.value if row else None)


def tracking_urls_in(session: Session) -> dict[str, str]:
    row = session.get(SettingRow, TRACKING_URLS_KEY)
    return {**DEFAULT_TRACKING_URLS, **(row.value if row and row.value else {})}


def put_setting(session: Session, key: str, value: Any) -> Any:
    """Write a setting; returns its value before."""
    row = session.get(SettingRow, key)
    if row is None:
        session.add(SettingRow(key=key, value=value))
        return None
    before, row.value = row.value, value
    return before


def templates_in(session: Session) -> dict[tuple[str, str], Template]:
    """Every (kind, language) template: the shop's saved one, else the default."""
    out = dict(DEFAULT_TEMPLATES)
    for row in session.scalars(select(NoticeTemplate)):
        out[(row.kind, row.language)] = Template(row.kind, row.language, row.subject, row.body)
    return out


@dataclass(frozen=True, slots=True)
class OrderFacts:
    """What a notice of one order needs, and why it must not be sent ("" : it may)."""

    order_id: int
    to: str
    language: str
    values: NoticeValues
    opted_out: str


def order_facts(session: Session, order_ids: Sequence[int]) -> list[OrderFacts]:
    """The facts of each order with a customer e-mail address (the others get no notice)."""
    rows = session.execute(
        select(
            Order.id,
            Order.number,
            Order.external_id,
            Customer.name,
            Customer.email,
            Customer.notices_opt_out,
            Channel.name,
            Channel.platform,
            Channel.notices_opt_out,
            Address.country,
            Address.name,
        )
        .join(Channel, Channel.id == Order.channel_id)
        .join(Customer, Customer.id == Order.customer_id)
        .outerjoin(Address, Address.id == Order.ship_address_id)
        .where(Order.id.in_(list(order_ids)), Customer.email != "")
        .order_by(Order.id)
    ).all()
    if not rows:
        return []
    parcels = _parcels(session, [r[0] for r in rows])
    urls = tracking_urls_in(session)
    out = []
    for oid, number, ext, cname, email, c_out, shop, platform, ch_out, country, aname in rows:
        carrier, numbers, own_url, code = parcels.get(oid, ("", [], "", ""))
        link_template = own_url or urls.get(code.upper(), "")
        values = NoticeValues(
            customer_name=(cname or aname or "").strip(),
            order_number=number,
            channel_order=ext or number,
            carrier=carrier,
            tracking=", ".join(numbers),
            tracking_url="\n".join(tracking_link(link_template, n) for n in numbers),
            shop_name=shop,
        )
        reason = OPTED_OUT_CUSTOMER if c_out else OPTED_OUT_CHANNEL if ch_out else ""
        out.append(OrderFacts(oid, email.strip(), language_for(country, platform), values, reason))
    return out


def _parcels(session: Session, order_ids: list[int]) -> dict[int, tuple[str, list[str], str, str]]:
    """order id -> (carrier name, tracking numbers, the carrier's own tracking URL template,
    carrier code) of its parcels that were not voided."""
    got: dict[int, tuple[str, list[str], str, str]] = {}
    for parcel, carrier in session.execute(
        select(Parcel, Carrier)
        .join(Carrier, Carrier.id == Parcel.carrier_id)
        .where(
            Parcel.order_id.in_(order_ids),
            Parcel.tracking_number.is_not(None),
            Parcel.status != "voided",
        )
        .order_by(Parcel.order_id, Parcel.seq)
    ).tuples():
        own = str(getattr(carrier, "tracking_url", "") or "")
        entry = got.setdefault(parcel.order_id, (carrier.name, [], own, carrier.code))
        if parcel.tracking_number and parcel.tracking_number not in entry[1]:
            entry[1].append(parcel.tracking_number)
    return got
