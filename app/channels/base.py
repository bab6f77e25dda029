"""The channel upload plug-in interface (entry-point group ``packdesk.channels``).

A plug-in is handed one fulfilment (a parcel of one channel order: the tracking number, the
carrier, its tracking page, the channel lines and units in the parcel) and the channel's
settings (shop address, access token, API version: never in code), and answers the shop's id of
the fulfilment it created, or raises ``ChannelError`` with a message that says what to do. It
never touches the database: the service records what it answered, so nothing is sent twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from app.domain.errors import PackdeskError

#: entry-point group plug-ins register under
ENTRY_POINT_GROUP = "packdesk.channels"


class ChannelError(PackdeskError):
    """The shop (or its plug-in) did not take the upload."""

    template = "{channel} did not take the tracking of order {order}: {detail}"


@dataclass(frozen=True)
class FulfilmentLine:
    #: the channel's line id ("" when the channel gave none: matched by SKU)
    external_line_id: str
    sku: str
    qty: int


@dataclass(frozen=True)
class Fulfilment:
    channel_order_id: str
    order_number: str
    tracking: str
    carrier_code: str
    carrier_name: str
    tracking_url: str
    #: the channel lines and units in the parcel (empty: the whole order)
    lines: tuple[FulfilmentLine, ...] = ()
    notify_customer: bool = True


@dataclass(frozen=True)
class ChannelConfig:
    """A channel's upload settings (``packdesk channels set-credentials``)."""

    channel: str
    plugin: str
    #: the shop's address: "myshop.myshopify.com" (https) or a full URL
    shop: str = ""
    token: str = ""
    api_version: str = ""
    notify_customer: bool = True
    extra: dict[str, Any] = field(default_factory=dict)


@runtime_checkable
class ChannelPlugin(Protocol):
    name: str

    def upload(self, fulfilment: Fulfilment, config: ChannelConfig) -> str:
        """Create the fulfilment at the shop; return its id there."""
        ...
