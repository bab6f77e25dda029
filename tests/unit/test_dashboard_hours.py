"""The dashboard's local day and hours: every time zone, half-hour offsets and daylight saving
included (app.domain.dashboard)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from app.domain.dashboard import bucket_of, hour_span, local_day, local_hour, saving_pct


def test_the_day_in_shanghai_starts_at_16_utc_the_day_before() -> None:
    day = local_day(datetime(2026, 12, 1, 3, 30, tzinfo=UTC), ZoneInfo("Asia/Shanghai"))
    assert (day.day.isoformat(), day.start, day.shift_s) == (
        "2026-12-01",
        datetime(2026, 11, 30, 16, 0, tzinfo=UTC),
        0,
    )
    assert local_hour(bucket_of(datetime(2026, 12, 1, 1, 59, tzinfo=UTC), day), day) == 9


def test_half_hour_offsets_get_whole_local_hours() -> None:
    kolkata = ZoneInfo("Asia/Kolkata")  # UTC+05:30
    day = local_day(datetime(2026, 12, 1, 6, 0, tzinfo=UTC), kolkata)
    assert day.shift_s == 1800
    # 09:29, 10:00 and 10:59 local: the hour changes at 10:00 local (04:30 UTC), not at 04:00
    at_0929 = datetime(2026, 12, 1, 3, 59, tzinfo=UTC)
    at_1000 = datetime(2026, 12, 1, 4, 30, tzinfo=UTC)
    at_1059 = datetime(2026, 12, 1, 5, 29, tzinfo=UTC)
    hours = [local_hour(bucket_of(t, day), day) for t in (at_0929, at_1000, at_1059)]
    assert hours == [9, 10, 10]


def test_on_the_day_the_clocks_go_forward_the_hours_follow_the_wall_clock() -> None:
    berlin = ZoneInfo("Europe/Berlin")  # 2026-03-29 02:00 -> 03:00
    day = local_day(datetime(2026, 3, 29, 12, 0, tzinfo=UTC), berlin)
    before = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # 01:30 CET
    after = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 03:30 CEST
    assert [local_hour(bucket_of(t, day), day) for t in (before, after)] == [1, 3]


def test_the_hours_shown_run_from_the_first_figure_to_now_without_gaps() -> None:
    assert hour_span([9, 12], 11) == (9, 10, 11, 12)
    assert hour_span([], 7) == (7,)


def test_the_saving_is_against_the_s_shape_and_none_without_one() -> None:
    assert saving_pct(80.0, 100.0) == 20.0
    assert saving_pct(62.0, 52.0) == -19.2
    assert saving_pct(10.0, 0.0) is None
