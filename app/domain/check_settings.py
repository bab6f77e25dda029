"""The checks there are (``RULES``) and their thresholds (``CheckSettings``): what supervisors
change in the settings, shared by all stations. Pure: stored by ``app.services.order_checks``
(``load_settings``, ``save_settings``), applied by ``app.domain.order_rules``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from app.domain.errors import ValidationError
from app.domain.payments import COD_METHODS, PICKUP_PATTERNS

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
    "too_long": "Address part too long",
}


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

    def normalised(self) -> CheckSettings:
        """The settings as a supervisor's entry is saved: blanks dropped, statuses in lower
        case, countries in upper case."""
        return replace(
            self,
            accepted_payment_statuses=tuple(
                s.strip().lower() for s in self.accepted_payment_statuses if s.strip()
            ),
            refused_address_words=tuple(w.strip() for w in self.refused_address_words if w.strip()),
            phone_required_countries=tuple(
                c.strip().upper() for c in self.phone_required_countries if c.strip()
            ),
            refused_address_allowed=tuple(
                _allowance(x) for x in self.refused_address_allowed if x and str(x[0]).strip()
            ),
        )


def _allowance(entry: list[Any] | tuple[Any, ...]) -> tuple[str, str, str]:
    word, country, carrier = ([*(str(x).strip() for x in entry), "", "", ""])[:3]
    return (word, country.upper(), carrier)
