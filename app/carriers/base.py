"""The carrier plug-in interface (entry-point group ``packdesk.carriers``).

A plug-in is asked for a parcel's tracking number (and, when the carrier makes them, its label
bytes), to void numbers, and may hook the end-of-day manifest. A plug-in that can ask the
carrier's tracking API where parcels are also offers ``track`` (``TrackingPlugin``): the events
it returns go through the same path as an imported status file (``app.services.delivery``).
It never touches the database: what it needs is in the request; what it answers is stored by
the services. Errors a packer must
see are ``CarrierError`` with a message that says what to do.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol, runtime_checkable

from app.domain.errors import PackdeskError

#: entry-point group plug-ins register under
ENTRY_POINT_GROUP = "packdesk.carriers"


class CarrierError(PackdeskError):
    """The carrier (or its plug-in) could not do what was asked."""

    template = "The carrier {carrier} refused: {detail} Try again, or tell a supervisor."


@dataclass(frozen=True)
class Address:
    name: str
    phone: str
    country: str
    province: str
    city: str
    district: str
    street: str
    street2: str
    postal_code: str
    company: str = ""


@dataclass(frozen=True)
class ParcelRequest:
    """One parcel to ship. ``take_pool_number`` hands out the next free number from the
    carrier's pool (the built-in ``pool`` plug-in uses it; API plug-ins ignore it)."""

    carrier_code: str
    service_code: str
    order_number: str
    parcel_seq: int
    parcel_count: int
    weight_g: int
    length_mm: int
    width_mm: int
    height_mm: int
    recipient: Address
    sender: Address
    cod_amount: Decimal | None
    currency: str
    #: the master number when this is a child parcel of a master/child carrier
    master_tracking: str = ""
    config: dict[str, Any] = field(default_factory=dict)
    take_pool_number: Callable[[], str] | None = None


@dataclass(frozen=True)
class CarrierLabel:
    """The answer: the number, and the carrier's own label when it makes one (format ``pdf``
    or ``zpl``; None: Packdesk prints its own label)."""

    tracking_number: str
    master_tracking: str = ""
    label: bytes | None = None
    label_format: str = ""
    sorting_code: str = ""


@dataclass(frozen=True)
class ManifestParcel:
    tracking_number: str
    order_number: str
    weight_g: int
    service_code: str
    cod_amount: Decimal | None = None


@runtime_checkable
class CarrierPlugin(Protocol):
    """What a carrier plug-in offers. ``name`` is its entry-point name."""

    name: str
    #: optional, default True: False for a plug-in that reads none of the request's recipient,
    #: sender and parcel count (they are then left empty, and not read from the database)

    def ship(self, request: ParcelRequest) -> CarrierLabel: ...

    def void(self, tracking_numbers: Sequence[str], config: dict[str, Any]) -> None: ...

    def manifest(self, parcels: Sequence[ManifestParcel], config: dict[str, Any]) -> bytes | None:
        """Hook for the end-of-day handover: the carrier's manifest file, or None."""
        ...


@dataclass(frozen=True)
class TrackingUpdate:
    """One event the carrier's tracking API reported: the number, the carrier's status words
    (or one of ``app.domain.delivery.DeliveryStatus``'s values), when (timezone-aware), where."""

    tracking_number: str
    status: str
    at: datetime
    place: str = ""


@runtime_checkable
class TrackingPlugin(Protocol):
    """The optional part of a carrier plug-in: fetch tracking events for numbers."""

    def track(self, numbers: Sequence[str], config: dict[str, Any]) -> Sequence[TrackingUpdate]:
        """Events of the parcels ``numbers`` (any order; old events again are fine)."""
        ...


class TrackingNotSupported(PackdeskError):
    template = (
        "The carrier {carrier} uses the plug-in {plugin}, which cannot fetch tracking events. "
        "Import the carrier's status file instead (packdesk tracking import)."
    )


def supports_tracking(plugin: object) -> bool:
    """Whether a plug-in offers ``track`` (the default: it does not)."""
    return isinstance(plugin, TrackingPlugin)
