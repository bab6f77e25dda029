"""How an order is paid and how it leaves: cash on delivery, pickup. Pure rules, no database.

Channels write payment and shipping methods in their own words and languages, so both are
matched against editable lists of names (order-check settings): a name matches where it stands as
a word of its own in the method, in any letter case ("COD" matches "Cash on Delivery (COD)" but
not "Barcode").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache

#: payment methods that are paid on delivery (the carrier collects the amount)
COD_METHODS: tuple[str, ...] = (
    "Cash on Delivery",
    "COD",
    "Kapıda Ödeme",
    "Contra reembolso",
    "Paiement à la livraison",
    "Nachnahme",
    "货到付款",
    "代收货款",
)

#: shipping methods that mean the customer collects the order here
PICKUP_PATTERNS: tuple[str, ...] = (
    "Pickup",
    "Pick up",
    "Pick-up",
    "Collect in store",
    "Click & Collect",
    "Click and Collect",
    "Store pickup",
    "自提",
    "到店自取",
)


def matches_any(text: str, names: Iterable[str]) -> bool:
    """Whether one of ``names`` stands in ``text`` as a word of its own (any letter case)."""
    if not text:
        return False
    pattern = _pattern(tuple(names))
    return pattern is not None and pattern.search(text.casefold()) is not None


@lru_cache(maxsize=64)
def _pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    alts = [re.escape(n.strip().casefold()) for n in names if n.strip()]
    if not alts:
        return None
    return re.compile(rf"(?<![0-9a-z])(?:{'|'.join(alts)})(?![0-9a-z])")


def cod_amount(
    method: str, cod_methods: Iterable[str], total: Decimal, paid: bool
) -> Decimal | None:
    """The amount to collect on delivery: the order's total when it is not paid yet and its
    payment method is cash on delivery; None otherwise."""
    if paid or not matches_any(method, cod_methods):
        return None
    return total
