"""What the parsers hand over: plain order records with their row numbers, and row problems.

No database here. Row numbers are the rows a spreadsheet shows: the header is row 1 and the first
order row is row 2; blank rows count, a quoted value spanning several lines is one row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name Qt's lupdate looks for
    """Marks an English template for Qt's translation tools; returns it unchanged (no Qt here)."""
    return text


class ProblemKind(StrEnum):
    """What became of the rows a problem speaks of."""

    #: the whole order was left out
    REJECTED = "rejected"
    #: left out on purpose (already fulfilled, nothing to ship)
    SKIPPED = "skipped"
    #: imported, but something was read in a way the user should know about
    WARNING = "warning"
    #: the order is already being worked on here; the channel's change was not applied
    NOT_UPDATED = "not_updated"


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A problem found at ``row``, with a plain reason (English ``template`` + ``params`` so the
    screen can translate it)."""

    row: int
    template: str
    params: dict[str, Any] = field(default_factory=dict)
    kind: ProblemKind = ProblemKind.REJECTED
    #: the channel's order id when the row belongs to one
    order: str = ""

    @property
    def reason(self) -> str:
        try:
            return self.template.format(**self.params)
        except (KeyError, IndexError, ValueError):
            return self.template


@dataclass(frozen=True, slots=True)
class AddressRecord:
    """A delivery address as the file gave it (country as ISO 3166-1 alpha-2, "" if unknown)."""

    name: str = ""
    phone: str = ""
    company: str = ""
    country: str = ""
    province: str = ""
    city: str = ""
    district: str = ""
    street: str = ""
    street2: str = ""
    postal_code: str = ""
    #: the country as written when it could not be understood
    country_text: str = ""


@dataclass(frozen=True, slots=True)
class LineRecord:
    row: int
    sku: str
    qty: int
    name: str = ""
    unit_price: Decimal = Decimal("0.00")
    requires_shipping: bool = True
    external_line_id: str = ""
    #: the channel has shipped part of this line already (Shopify's "partial")
    partly_fulfilled: bool = False
    #: the channel's own id of the listing or variant sold (WooCommerce variation/product id,
    #: Taobao 商品ID/SKU ID...), "" when the file has none; product mappings can match on it
    listing_id: str = ""


@dataclass(frozen=True, slots=True)
class OrderRecord:
    """One order of the file, whole. ``row`` is its first row, ``last_row`` its last."""

    external_id: str
    row: int
    lines: tuple[LineRecord, ...]
    address: AddressRecord = AddressRecord()
    last_row: int = 0
    placed_at: datetime | None = None
    currency: str = ""
    total: Decimal | None = None
    #: paid | authorized | pending | partially_paid | refunded | partially_refunded | voided |
    #: unpaid ...
    payment_status: str = "paid"
    #: the channel cancelled the order
    cancelled: bool = False
    #: the channel's own status word, as written (for the reviewer)
    channel_status: str = ""
    customer_name: str = ""
    email: str = ""
    note: str = ""
    #: how the customer pays, as the channel wrote it ("Cash on Delivery (COD)")
    payment_method: str = ""
    #: how the order leaves, as the channel wrote it ("Standard", "Pickup in store")
    shipping_method: str = ""
    #: the file says the platform protects the recipient (an oaid or 加密 column is filled)
    recipient_protected: bool = False


ImportItem = OrderRecord | RowProblem


# The reasons the parsers give, as templates for translation.
T = QT_TRANSLATE_NOOP
NO_ORDER_ID = T("ImportProblem", "The order id is empty; this row was left out.")
NO_LINES = T("ImportProblem", "Order {order} has no item lines; it was left out.")
NO_SKU = T("ImportProblem", "The item has no SKU; order {order} was left out.")
BAD_QTY = T(
    "ImportProblem", "The quantity {value!r} is not a whole number; order {order} was left out."
)
NO_QTY = T("ImportProblem", "The quantity is empty; order {order} was left out.")
BAD_DATE = T(
    "ImportProblem",
    "The order date {value!r} was not understood; the time of the import is used instead.",
)
BAD_MONEY = T("ImportProblem", "The amount {value!r} is not a number; 0 is used instead.")
FULFILLED = T(
    "ImportProblem", "Order {order} is already fulfilled in the channel; it was not imported."
)
CANCELLED_SKIP = T(
    "ImportProblem",
    "Order {order} was cancelled in the channel before it was fulfilled; it was not imported.",
)
REFUNDED_SKIP = T(
    "ImportProblem",
    "Order {order} was refunded or voided in the channel before it was fulfilled; it was not "
    "imported.",
)
LINE_CANCELLED = T(
    "ImportProblem",
    "This item of order {order} was cancelled or refunded in the channel; it was left out.",
)
TAOBAO_NO_ITEMS_FILE = T(
    "ImportProblem",
    "The items file of this Taobao order list ({file}) was not found next to it, so order "
    "{order} has its items from the titles, without SKUs: put ExportOrderDetailList beside "
    "the list and import again, or add the SKUs in Review.",
)
LINE_FULFILLED = T(
    "ImportProblem",
    "This item of order {order} is already fulfilled in the channel; it was left out.",
)
NOTHING_TO_SHIP = T(
    "ImportProblem",
    "No item of order {order} needs shipping (gift cards, digital goods); it was not imported.",
)
SCATTERED = T(
    "ImportProblem",
    "Order {order} appeared already at row {first}; an order's rows must be together. "
    "These rows were left out: sort the file by order and import it again.",
)
BAD_ITEMS = T(
    "ImportProblem",
    "The items text {value!r} was not understood (write it like SKU-1*2; SKU-2*1); "
    "order {order} was left out.",
)
TOO_LONG = T(
    "ImportProblem",
    "The {what} is longer than {limit} characters; order {order} was left out.",
)
DUPLICATE_IN_FILE = T(
    "ImportProblem", "Order {order} is in the file twice (first at row {first}); left out."
)
BAD_CSV_ROW = T(
    "ImportProblem", "This row is not valid CSV ({reason}); the rows from here on were not read."
)
NOT_UPDATED = T(
    "ImportProblem",
    "Order {order} changed in the channel, but here it is already {status} (our number "
    "{number}); it was not updated. Check it by hand.",
)
CANCELLED_HERE = T(
    "ImportProblem",
    "Order {order} was cancelled in the channel; it is cancelled here too (our number "
    "{number}) and its reserved stock is given back.",
)
CANCELLED_STOP = T(
    "ImportProblem",
    "Order {order} was cancelled in the channel while it is {status} here (our number "
    "{number}): it is on hold now. Stop and put the items back, then cancel it.",
)
NOT_SAVED = T(
    "ImportProblem",
    "Order {order} could not be saved ({reason}); it was left out. Import the file again.",
)
NOT_AN_ORDER = T(
    "ImportProblem",
    "Entry {position} of the file is not an order (it is {found}); it was left out.",
)
NO_ORDER_NUMBER = T(
    "ImportProblem", "Order {position} of the file has no number and no id; it was left out."
)
LINE_REFUNDED = T(
    "ImportProblem",
    "This item of order {order} was refunded in the channel (nothing left to ship); it was "
    "left out.",
)
AGAIN_IN_FILE = T(
    "ImportProblem",
    "Order {order} is in the file again (first as order {first}: pages downloaded while orders "
    "came in overlap); the first copy was read.",
)
