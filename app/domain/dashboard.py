"""The dashboard's clock: "today" and its hours in the warehouse's local time, and the few sums
the panels show. Pure: no database, no Qt.

Times are stored in UTC. The database groups them by hour as whole numbers,
``floor((epoch_seconds + shift) / 3600)``, where ``shift`` is the part of the local UTC offset
that is not whole hours (0 in China, 1800 in India): each number is then one LOCAL hour, on
any time zone, and :func:`local_hour` turns it back into the hour of the clock on the wall
(daylight saving moves whole hours, so it stays exact on the days the clocks change).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo


@dataclass(frozen=True)
class Day:
    """One local day: its date, where it starts and ends in UTC, and the hour shift."""

    day: date
    start: datetime
    end: datetime
    #: seconds added to an epoch before dividing by 3600 (see the module)
    shift_s: int
    tz: tzinfo


def local_day(now: datetime, tz: tzinfo) -> Day:
    """The local day ``now`` (aware) falls in, in the time zone ``tz``."""
    if now.tzinfo is None:
        raise ValueError("naive datetime given; the dashboard works on aware times")
    here = now.astimezone(tz)
    start = datetime.combine(here.date(), time(0), tz)
    end = datetime.combine(here.date() + timedelta(days=1), time(0), tz)
    offset = here.utcoffset() or timedelta(0)
    shift = int(offset.total_seconds()) % 3600
    return Day(here.date(), start.astimezone(UTC), end.astimezone(UTC), shift, tz)


def bucket_of(at: datetime, day: Day) -> int:
    """The hour number the database gives ``at`` (for tests and for "now")."""
    return (int(at.timestamp()) + day.shift_s) // 3600


def local_hour(bucket: int, day: Day) -> int:
    """The hour of the local clock (0-23) an hour number starts at."""
    start = datetime.fromtimestamp(bucket * 3600 - day.shift_s, UTC)
    return start.astimezone(day.tz).hour


def hour_span(hours: Iterable[int], now_hour: int) -> tuple[int, ...]:
    """The hours a chart shows: from the first hour with figures (or now) to now (or the last
    hour with figures), every hour in between, so an idle hour shows as an empty bar."""
    seen = set(hours)
    first = min(seen | {now_hour})
    last = max(seen | {now_hour})
    return tuple(range(first, last + 1))


def hour_label(hour: int) -> str:
    """``09:00``: an hour as the charts and the files name it."""
    return f"{hour:02d}:00"


def saving_pct(walked_m: float, s_shape_m: float) -> float | None:
    """How much shorter the walk was than the S-shape walk of the same stops, in % (negative
    when it was longer); None without an S-shape walk to compare with."""
    if s_shape_m <= 0:
        return None
    return round((s_shape_m - walked_m) / s_shape_m * 100, 1)
