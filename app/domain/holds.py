"""Why an order is on hold: a code to filter by, and a sentence for the reviewer.

The sentence is kept as its English template and its values, not only as text, so every screen
shows it in its own language (``ui.i18n.hold_text``); ``reason`` is the English, for the CLI,
logs and search. The templates are collected for translation by ``tools/i18n.py``
(``*_MESSAGES`` dictionaries).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

#: a value in a hold sentence: text, a number, or a list of words (joined with ", ")
HoldValue = str | int | float | list[str]

#: every sentence the checks and the allocation hold an order with, by key
HOLD_MESSAGES: dict[str, str] = {
    "country_unknown": "The destination country {country} is not known. Write it as a "
    "two-letter code such as CN or US.",
    "address_parts_missing": "The address has no {parts}; addresses in {country} need them.",
    "phone_missing": "There is no phone number; carriers in {country} need one.",
    "phone_not_cn_mobile": "The phone number {phone} is not a mainland Chinese mobile number "
    "(11 digits starting 13 to 19).",
    "phone_unreadable": "The phone number {phone} cannot be read as a phone number.",
    "phone_invalid": "The phone number {phone} is not a valid number.",
    "phone_invalid_for": "The phone number {phone} is not a valid number for {country}.",
    "postal_code_form": "The postal code {postal_code} is not of the form used in {country}.",
    "postal_code_form_example": "The postal code {postal_code} is not of the form used in "
    "{country} (for example {example}). Correct it from the customer's address.",
    "postal_code_street": "The postal code {postal_code} looks like part of a street address. "
    "Move it to the street lines and write the postal code of {country}.",
    "postal_code_too_long": "The postal code is {length} characters long, longer than a postal "
    "code can be: the street may have been typed into the postal code field. Correct it from "
    "the customer's address and write the postal code of {country}.",
    "part_too_long": "The {part} is {length} characters long, longer than a {part} can be: "
    "something else may have been typed into it. Correct it from the customer's address.",
    "duplicate": "This looks like a duplicate of order {number}: same customer, same items, "
    "{hours} h apart.",
    "refused_address": "The address contains '{word}'; carriers refuse it.",
    "line_unknown_sku": "Line {line}: SKU {sku} is not a product. Map the listing to a product "
    "(Review: Map to product…, Ctrl+M) or correct the SKU.",
    "line_no_sku": "Line {line} has no SKU. Map the listing to a product (Review: Map to "
    "product…, Ctrl+M) or write our SKU on the line.",
    "line_partly_fulfilled": "Line {line} ({sku}) is partly fulfilled in the channel already: "
    "check the quantity to ship, correct it, then release the order.",
    "line_bad_quantity": "Line {line} ({sku}) has quantity {qty}.",
    "line_large_quantity": "Line {line} ({sku}) asks for {qty} units, more than the {limit} "
    "allowed per line without a review.",
    "cancelled": "The channel cancelled this order. Cancel it here too.",
    "cancelled_stop": "Cancelled in the channel while its status here was “{stage}”: stop and "
    "put back what was picked or packed, then cancel the order.",
    "refunded": "The channel refunded this order.",
    "partly_refunded": "The channel refunded part of this order; check which items still go.",
    "unpaid": "The order is not paid (payment status: {status}).",
    "short_stock": "Not enough stock of {sku}: {wanted} wanted, {available} available, "
    "{short} short. Receive or move stock, then release the order again.",
    "release_bad_quantity": "Line {sku} has quantity {qty}. Correct the quantity, then release "
    "the order again.",
    "release_no_sku": "An item has no SKU. Write the product's SKU on the line, then release the "
    "order again.",
    "release_unknown_sku": "SKU {sku} is not in the catalogue. Add the product or correct the "
    "line, then release the order again.",
}

#: holds that ask someone to stop work on the order: the Review queue shows them first
STOP_CODES = frozenset({"cancelled_stop"})

#: words that go into hold sentences as values, translated with them
HOLD_WORDS: dict[str, str] = {
    "name": "recipient name",
    "province": "province",
    "city": "city",
    "district": "district",
    "street": "street address",
    "postal_code": "postal code",
    "phone": "phone number",
    "company": "company",
    "street2": "second address line",
    # what a country calls an address part (Google's address data), for "the address has no..."
    "label_area": "area",
    "label_county": "county",
    "label_department": "department",
    "label_district": "district",
    "label_do_si": "province (do/si)",
    "label_emirate": "emirate",
    "label_island": "island",
    "label_oblast": "oblast",
    "label_parish": "parish",
    "label_prefecture": "prefecture",
    "label_province": "province",
    "label_state": "state",
    "label_city": "city",
    "label_post_town": "post town",
    "label_suburb": "suburb",
    "label_neighborhood": "neighbourhood",
    "label_village_township": "village or township",
    "label_townland": "townland",
    "label_postal": "postal code",
    "label_zip": "ZIP code",
    "label_pin": "PIN code",
    "label_eircode": "Eircode",
    "no_country": "(none)",
    "no_sku": "(empty)",
    "no_status": "none",
    #: between the words of a list value, and between an order's reasons
    "list_separator": ", ",
    "reason_separator": "; ",
}


@dataclass(frozen=True)
class HoldReason:
    """One reason to hold an order: ``code`` (missing_address, short_stock...), the English
    ``template`` and its ``params``. ``note`` is the sentence as stored, and all there is of a
    reviewer's own hold (no template) or of a hold made before templates were kept."""

    code: str
    template: str
    params: Mapping[str, HoldValue] = field(default_factory=dict)
    note: str = ""

    @property
    def reason(self) -> str:
        """The sentence in English."""
        if self.note or not self.template:
            return self.note
        return english(self.template, self.params)


def hold(code: str, message: str, **params: HoldValue) -> HoldReason:
    """A hold with the sentence ``HOLD_MESSAGES[message]``."""
    return HoldReason(code, HOLD_MESSAGES[message], params)


def stored_hold(
    code: str, reason: str, template: str | None, params: Mapping[str, HoldValue] | None
) -> HoldReason:
    """A hold as the database keeps it."""
    return HoldReason(code, template or "", dict(params or {}), reason)


def english(template: str, params: Mapping[str, HoldValue]) -> str:
    return template.format(
        **{k: ", ".join(v) if isinstance(v, list) else v for k, v in params.items()}
    )
