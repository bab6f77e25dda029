"""What the Orders list's search box finds, written so that every part uses an index.

A search text matches, each through its own index:

- an order number, exactly or as its beginning (``PD0001`` finds ``PD00012345``): a range on
  the unique index of ``orders.number`` (no ``LIKE '%...%'``, which no B-tree can serve);
- a channel order id, the order's own (``orders.external_id``) or one merged into it
  (``order_external_refs``);
- a parcel's tracking number (``ix_parcels_tracking_number``), as the shipper reads it off a
  label or the customer quotes it;
- for someone who may see personal data: the customer's name, exactly or its beginning, in any
  case (``ix_addresses_name_lower``), or phone digits (``addresses.phone_digits``).

The parts are joined with ``UNION`` into one set of order ids, never with ``OR``: an ``OR``
across subqueries of several tables is a filter that PostgreSQL can only check row by row, by
reading all the orders (1,000,000 rows, a second), where each part of the union is an index
lookup of a few rows.
"""

from __future__ import annotations

from sqlalchemy import CompoundSelect, Select, func, select, union

from app.db.models import Address, Order, OrderExternalRef, Parcel

#: the highest character: ``text + TOP`` is past every string that begins with ``text``
TOP = "\uffff"


def phone_search_keys(text: str) -> list[str]:
    """Digit strings a phone search matches: the digits typed, with and without China's +86."""
    if not text or any(not (ch.isdigit() or ch in " +-().") for ch in text):
        return []
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) < 7:
        return []
    keys = {digits}
    if digits.startswith("86") and len(digits) == 13:
        keys.add(digits[2:])
    if len(digits) == 11 and digits.startswith("1"):
        keys.add("86" + digits)
    return sorted(keys)


def personal_parts(text: str) -> list[Select[tuple[int]]]:
    """The orders whose customer is named ``text`` (exact or prefix, any case) or whose phone
    has these digits: each a select of order ids."""
    name = text.lower()
    parts = [
        select(Order.id)
        .join(Address, Address.id == Order.ship_address_id)
        .where(func.lower(Address.name) >= name, func.lower(Address.name) < name + TOP)
    ]
    phones = phone_search_keys(text)
    if phones:
        parts.append(
            select(Order.id)
            .join(Address, Address.id == Order.ship_address_id)
            .where(Address.phone_digits.in_(phones))
        )
    return parts


def search_parts(text: str, *, personal: bool) -> list[Select[tuple[int]]]:
    """Every way ``text`` names orders (see the module), each a select of order ids."""
    parts = [
        select(Order.id).where(Order.number >= text, Order.number < text + TOP),
        select(Order.id).where(Order.external_id == text),
        select(OrderExternalRef.order_id).where(OrderExternalRef.external_id == text),
        select(Parcel.order_id).where(Parcel.tracking_number == text),
    ]
    if personal:  # customer name or phone (the list still shows them masked)
        parts += personal_parts(text)
    return parts


def matching_ids(text: str, *, personal: bool) -> CompoundSelect[tuple[int]]:
    """The ids of the orders the search text names, as one ``UNION``."""
    return union(*search_parts(text, personal=personal))
