"""Carrier handover (交接) rules, without a database: what may be scanned onto a handover, its
number, what is missing, and the time left before a carrier's cut-off.

**The day** of a handover is the warehouse's local calendar day: the station's clock, as the
pickers and the driver read it (a parcel labelled at 23:50 local time belongs to that day, not
to the UTC day). "Packed today" means labelled between local midnight and the next midnight.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from app.domain.errors import PackdeskError, ValidationError

OPEN = "open"
CLOSED = "closed"
#: under this many seconds before the cut-off the board turns amber
SOON_SECONDS = 30 * 60


class HandoverRefused(PackdeskError):
    """A parcel that may not go onto the handover; the message says why and what to do."""


class UnknownParcelNumber(HandoverRefused):
    template = (
        "No parcel has the number {scan}. Scan the tracking barcode on the parcel's label; if "
        "it still is not found, put the parcel aside for a supervisor."
    )


class OtherCarrier(HandoverRefused):
    template = (
        "Parcel {tracking} (order {order}) goes with {carrier}, not {working}. Put it with the "
        "{carrier} parcels."
    )


class AlreadyHandedOver(HandoverRefused):
    template = (
        "Parcel {tracking} (order {order}) is already on handover {handover}. Do not hand it "
        "over twice: put it with that handover's parcels."
    )


class ParcelVoided(HandoverRefused):
    template = (
        "Parcel {tracking} (order {order}) was voided: its label must not be used. Take the "
        "parcel to a supervisor to be packed again."
    )


class OrderNotPacked(HandoverRefused):
    template = (
        "Order {order} is {status}, not packed: parcel {tracking} cannot be handed over. Take "
        "it to a supervisor."
    )


class PickupParcel(HandoverRefused):
    template = (
        "Order {order} is collected by the customer (no carrier): it is not handed over. Put it "
        "on the pickup shelf."
    )


class HandoverNotOpen(HandoverRefused):
    template = (
        "Handover {handover} is closed: it takes no more parcels. Scan the parcel again to put "
        "it on the carrier's next handover."
    )


class HandoverNotClosed(ValidationError):
    template = "Handover {handover} is not closed: there is nothing to reopen."


class HandoverEmpty(ValidationError):
    template = "Handover {handover} has no parcels. Scan the parcels onto it before closing it."


class ReopenNeedsReason(ValidationError):
    template = "Say why handover {handover} is reopened: the reason is kept in the audit log."


class AnotherHandoverOpen(ValidationError):
    template = (
        "Handover {other} of {carrier} is open for that day. Close it before reopening {handover}."
    )


class BadCutoff(ValidationError):
    template = (
        "The cut-off time {text} is not a time of day. Type it as HH:MM (for example 17:30), or "
        "leave it empty for no cut-off."
    )


@dataclass(frozen=True, slots=True)
class ParcelFacts:
    """What the scan rules need to know about the parcel a number found."""

    tracking: str
    order: str
    order_status: str
    parcel_status: str
    carrier_id: int | None
    carrier_code: str
    #: the handover it is already on, and whether that one is open
    handover: str | None = None
    handover_open: bool = False


def check_scannable(
    facts: ParcelFacts, working_carrier: tuple[int, str] | None = None, into: str | None = None
) -> bool:
    """Raise the refusal for a parcel that may not go on a handover. Returns True when the
    parcel is already on ``into`` (the open handover it would go on): a friendly no-op.

    ``working_carrier``: (id, code) of the carrier the screen works, when the shipper chose
    one; otherwise the parcel's carrier decides."""
    words = {"tracking": facts.tracking, "order": facts.order}
    if facts.parcel_status == "voided":
        raise ParcelVoided(**words)
    if facts.handover is not None:
        if into is not None and facts.handover == into:
            return True
        raise AlreadyHandedOver(handover=facts.handover, **words)
    if facts.carrier_id is None:
        raise PickupParcel(order=facts.order)
    if working_carrier is not None and working_carrier[0] != facts.carrier_id:
        raise OtherCarrier(carrier=facts.carrier_code, working=working_carrier[1], **words)
    if facts.order_status != "packed":
        raise OrderNotPacked(status=facts.order_status, **words)
    if facts.parcel_status != "labelled":
        raise OrderNotPacked(status=facts.parcel_status, **words)
    return False


def handover_number(day: date, carrier_code: str, seq: int) -> str:
    """``HO-20261206-SF-1``: the day, the carrier and the count of its handovers that day."""
    code = re.sub(r"[^A-Za-z0-9]+", "", carrier_code).upper() or "X"
    return f"HO-{day:%Y%m%d}-{code}-{seq}"


def local_now() -> datetime:
    """The station's clock, aware."""
    return datetime.now().astimezone()


def as_local(moment: datetime) -> datetime:
    """``moment`` on the station's clock (a naive time is taken as local already)."""
    return moment.astimezone()


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """Local midnight to the next local midnight, in UTC (how the database stores times)."""
    start = datetime.combine(day, time.min).astimezone()
    end = datetime.combine(day + timedelta(days=1), time.min).astimezone()
    return start.astimezone(UTC), end.astimezone(UTC)


_HHMM = re.compile(r"^\s*(\d{1,2})\s*[:：.]\s*(\d{2})\s*$")


def parse_cutoff(text: str) -> str:
    """A cut-off as typed ("17:30", "9:05", "17：30", "") as ``HH:MM``; "" for none."""
    if not text.strip():
        return ""
    m = _HHMM.match(text)
    if m is None or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise BadCutoff(text=text.strip())
    return f"{int(m.group(1)):02d}:{m.group(2)}"


def seconds_left(cutoff: str, now: datetime) -> int | None:
    """Seconds from ``now`` to today's cut-off (negative once it has passed); None without one."""
    if not cutoff:
        return None
    local = as_local(now)
    hh, mm = (int(x) for x in cutoff.split(":"))
    at = local.replace(hour=hh, minute=mm, second=0, microsecond=0)
    return int((at - local).total_seconds())


def urgency(left: int | None) -> str:
    """``none`` (no cut-off), ``ok``, ``soon`` (under 30 minutes: amber) or ``late`` (red)."""
    if left is None:
        return "none"
    if left < 0:
        return "late"
    return "soon" if left < SOON_SECONDS else "ok"


def time_left_text(left: int | None) -> str:
    """``1:05`` (hours:minutes) left, ``-0:12`` once past; "" without a cut-off."""
    if left is None:
        return ""
    sign = "-" if left < 0 else ""
    minutes = abs(left) // 60
    return f"{sign}{minutes // 60}:{minutes % 60:02d}"


def shipped_orders(parcels_by_order: dict[int, list[str]]) -> list[int]:
    """Orders all of whose parcels (voided ones aside) are shipped: they become ``shipped``."""
    out = []
    for order_id, statuses in sorted(parcels_by_order.items()):
        live = [s for s in statuses if s != "voided"]
        if live and all(s == "shipped" for s in live):
            out.append(order_id)
    return out


class HandoverNotFound(ValidationError):
    template = "There is no handover {key}. Check its number (HO-...) on the manifest."


class NotOnHandover(ValidationError):
    template = "Parcel {tracking} is not on handover {handover}: there is nothing to take off."


class UnknownCarrier(ValidationError):
    template = (
        "There is no carrier {carrier}. Use a carrier's code as the Carriers screen shows it."
    )


class StoppedOnHandover(ValidationError):
    template = (
        "Order {order} is {status} since parcel {tracking} was scanned onto handover {handover}: "
        "take that parcel off the handover (and aside) before closing it."
    )


class OnHandoverNoVoid(ValidationError):
    template = (
        "Parcel {tracking} (order {order}) is on handover {handover}: take it off the handover "
        "on the Ship screen before voiding it."
    )
