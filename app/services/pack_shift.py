"""A pack station's shift figures, shown on the pack screen and refreshed after every order.

**The shift** starts when the station's packer logged in (``user_id``: the user at the screen;
their ``users.last_login_at``), unless that was more than ``LOGIN_SHIFT_LIMIT`` ago (a station
left logged in overnight) or no user is given: then it is the last ``DEFAULT_SHIFT`` (8 hours).
A caller may also pass ``since`` itself.

**The figures**, for the station since the shift started:

- orders packed: orders with a parcel labelled at the station (not voided since);
- parcels labelled: parcels labelled at the station (not voided since);
- orders and parcels per hour: those counts over the hours since the shift started (at least
  ``MIN_HOURS``, so the first minutes do not show a rate of hundreds an hour);
- mis-scans: the station's refused scans (``pack_exceptions`` of the kinds in ``MIS_SCANS``);
- weight exceptions: parcels stopped at the scale (kind ``weight``), overridden or not.

All of it is ONE statement (scalar subqueries over indexed columns: parcels by station and
labelling time, pack exceptions by station and time, the user by id), cheap enough to run after
every packed order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, case, func, literal, select

from app.db.models import PackException, Parcel, User, utcnow
from app.db.models.base import UTCDateTime
from app.db.uow import UnitOfWork
from app.services.access import reads

#: refused scans: the kinds of pack exception that count as mis-scans
MIS_SCANS = ("wrong_item", "other_order", "over_scan", "wrong_lot", "serial_repeat")
WEIGHT_KIND = "weight"
#: the shift when no packer's log-in says otherwise
DEFAULT_SHIFT = timedelta(hours=8)
#: a log-in longer ago than this does not start the shift (the station was left logged in)
LOGIN_SHIFT_LIMIT = timedelta(hours=12)
#: rates are counted over at least this many hours
MIN_HOURS = 0.25
#: parcels that count as labelled (a voided one no longer does)
LABELLED = ("labelled", "shipped")


@dataclass(frozen=True)
class ShiftFigures:
    station_id: int
    #: when the shift started (the packer's log-in, or 8 hours ago)
    since: datetime
    #: hours since then (the rates are over ``max(hours, MIN_HOURS)``)
    hours: float
    orders_packed: int
    parcels_labelled: int
    orders_per_hour: float
    parcels_per_hour: float
    mis_scans: int
    weight_exceptions: int


def _start(user_id: int | None, since: datetime | None, now: datetime) -> ColumnElement[datetime]:
    fallback = literal(since or now - DEFAULT_SHIFT, UTCDateTime())
    if since is not None or user_id is None:
        return fallback
    login = (
        select(
            case(
                (User.last_login_at >= literal(now - LOGIN_SHIFT_LIMIT, UTCDateTime()),
                 User.last_login_at),
                else_=fallback,
            )
        )
        .where(User.id == user_id)
        .scalar_subquery()
    )  # fmt: skip
    return func.coalesce(login, fallback, type_=UTCDateTime())


@reads
def shift_figures(
    uow: UnitOfWork,
    station_id: int,
    since: datetime | None = None,
    *,
    user_id: int | None = None,
    now: datetime | None = None,
) -> ShiftFigures:
    """The station's figures since the shift started (see the module): one statement."""
    now = now or utcnow()
    start = _start(user_id, since, now)
    labelled = (
        Parcel.station_id == station_id,
        Parcel.labelled_at >= start,
        Parcel.status.in_(LABELLED),
    )
    exceptions = (PackException.station_id == station_id, PackException.created_at >= start)
    stmt = select(
        start,
        select(func.count(func.distinct(Parcel.order_id))).where(*labelled).scalar_subquery(),
        select(func.count(Parcel.id)).where(*labelled).scalar_subquery(),
        select(func.count(PackException.id))
        .where(*exceptions, PackException.kind.in_(MIS_SCANS))
        .scalar_subquery(),
        select(func.count(PackException.id))
        .where(*exceptions, PackException.kind == WEIGHT_KIND)
        .scalar_subquery(),
    )
    with uow:
        began, orders, parcels, mis, weight = uow.session.execute(stmt).one()
        hours = max((now - began).total_seconds() / 3600, 0.0)
        per = max(hours, MIN_HOURS)
        return ShiftFigures(
            station_id=station_id,
            since=began,
            hours=round(hours, 2),
            orders_packed=int(orders),
            parcels_labelled=int(parcels),
            orders_per_hour=round(orders / per, 1),
            parcels_per_hour=round(parcels / per, 1),
            mis_scans=int(mis),
            weight_exceptions=int(weight),
        )
