"""The study day: its start hour, its bounds in UTC, and what DST does to them."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gmed_trainer.scheduling.day import day_bounds, due_date, study_day

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
MICROSECOND = timedelta(microseconds=1)


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, micro: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, micro, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "day"),
    [
        (utc(2024, 5, 10, 0, 0), date(2024, 5, 9)),
        (utc(2024, 5, 10, 3, 59, 59, 999_999), date(2024, 5, 9)),
        (utc(2024, 5, 10, 4, 0), date(2024, 5, 10)),
        (utc(2024, 5, 10, 12, 0), date(2024, 5, 10)),
        (utc(2024, 5, 10, 23, 59, 59), date(2024, 5, 10)),
        (utc(2024, 1, 1, 2, 0), date(2023, 12, 31)),  # across a year end
        (utc(2024, 3, 1, 3, 0), date(2024, 2, 29)),  # back into a leap day
    ],
)
def test_the_day_starts_at_four_by_default(now: datetime, day: date) -> None:
    assert study_day(now, tz=UTC) == day


@pytest.mark.parametrize(
    ("hour", "now", "day"),
    [
        (0, utc(2024, 5, 10, 0, 0), date(2024, 5, 10)),
        (0, utc(2024, 5, 9, 23, 59), date(2024, 5, 9)),
        (6, utc(2024, 5, 10, 5, 59), date(2024, 5, 9)),
        (6, utc(2024, 5, 10, 6, 0), date(2024, 5, 10)),
        (23, utc(2024, 5, 10, 22, 59), date(2024, 5, 9)),
        (23, utc(2024, 5, 10, 23, 0), date(2024, 5, 10)),
    ],
)
def test_the_start_hour_is_configurable(hour: int, now: datetime, day: date) -> None:
    assert study_day(now, day_start_hour=hour, tz=UTC) == day


def test_the_day_is_taken_in_the_learners_zone_not_the_datetimes() -> None:
    # 02:00 UTC is 22:00 the evening before in New York (EDT, UTC-4) and 03:00 in London (BST).
    now = utc(2024, 6, 15, 2, 0)
    assert study_day(now, tz=NEW_YORK) == date(2024, 6, 14)
    assert study_day(now, tz=LONDON) == date(2024, 6, 14)
    assert study_day(now.astimezone(NEW_YORK), tz=UTC) == date(2024, 6, 14)
    assert study_day(utc(2024, 6, 15, 3, 0), tz=LONDON) == date(2024, 6, 15)  # 04:00 BST


# London, 2024: clocks go forward 01:00 GMT -> 02:00 BST on 31 March (at 01:00 UTC)
# and back 02:00 BST -> 01:00 GMT on 27 October (at 01:00 UTC).
@pytest.mark.parametrize(
    ("now", "day"),
    [
        (utc(2024, 3, 31, 2, 59, 59), date(2024, 3, 30)),  # 03:59:59 BST
        (utc(2024, 3, 31, 3, 0), date(2024, 3, 31)),  # 04:00 BST
        (utc(2024, 3, 30, 3, 59, 59), date(2024, 3, 29)),  # 03:59:59 GMT, day before the change
        (utc(2024, 3, 30, 4, 0), date(2024, 3, 30)),  # 04:00 GMT
        (utc(2024, 10, 27, 3, 59, 59), date(2024, 10, 26)),  # 03:59:59 GMT
        (utc(2024, 10, 27, 4, 0), date(2024, 10, 27)),  # 04:00 GMT
        (utc(2024, 10, 27, 1, 30), date(2024, 10, 26)),  # the repeated 01:30, second time
        (utc(2024, 10, 27, 0, 30), date(2024, 10, 26)),  # the repeated 01:30, first time
    ],
)
def test_london_across_the_dst_changes(now: datetime, day: date) -> None:
    assert study_day(now, tz=LONDON) == day


@pytest.mark.parametrize(
    ("day", "start", "end", "hours"),
    [
        # An ordinary winter day: 04:00 GMT to 04:00 GMT.
        (date(2024, 1, 15), utc(2024, 1, 15, 4), utc(2024, 1, 16, 4), 24),
        # The day that holds the spring change is 23 hours: 04:00 GMT to 04:00 BST (03:00 UTC).
        (date(2024, 3, 30), utc(2024, 3, 30, 4), utc(2024, 3, 31, 3), 23),
        (date(2024, 3, 31), utc(2024, 3, 31, 3), utc(2024, 4, 1, 3), 24),
        # The day that holds the autumn change is 25 hours: 04:00 BST to 04:00 GMT.
        (date(2024, 10, 26), utc(2024, 10, 26, 3), utc(2024, 10, 27, 4), 25),
        (date(2024, 10, 27), utc(2024, 10, 27, 4), utc(2024, 10, 28, 4), 24),
    ],
)
def test_london_day_bounds(day: date, start: datetime, end: datetime, hours: int) -> None:
    bounds = day_bounds(day, tz=LONDON)
    assert bounds == (start, end)
    assert end - start == timedelta(hours=hours)
    assert all(b.tzinfo is UTC for b in bounds)


def test_a_start_hour_inside_the_spring_gap_starts_the_day_when_the_clocks_change() -> None:
    # 01:00 does not exist in London on 31 March 2024: the day starts at 01:00 UTC (02:00 BST).
    start, end = day_bounds(date(2024, 3, 31), day_start_hour=1, tz=LONDON)
    assert (start, end) == (utc(2024, 3, 31, 1), utc(2024, 4, 1, 0))
    assert study_day(start, day_start_hour=1, tz=LONDON) == date(2024, 3, 31)
    assert study_day(start - MICROSECOND, day_start_hour=1, tz=LONDON) == date(2024, 3, 30)


def test_a_start_hour_that_happens_twice_starts_the_day_the_first_time() -> None:
    # 01:00 happens twice in London on 27 October 2024: first at 00:00 UTC (BST), then 01:00 UTC.
    start, end = day_bounds(date(2024, 10, 27), day_start_hour=1, tz=LONDON)
    assert (start, end) == (utc(2024, 10, 27, 0), utc(2024, 10, 28, 1))
    assert end - start == timedelta(hours=25)
    assert study_day(utc(2024, 10, 26, 23, 59, 59), day_start_hour=1, tz=LONDON) == date(
        2024, 10, 26
    )
    assert study_day(utc(2024, 10, 27, 1, 30), day_start_hour=1, tz=LONDON) == date(2024, 10, 27)


ZONES = [
    UTC,
    timezone(timedelta(hours=-3, minutes=-30)),
    LONDON,
    NEW_YORK,
    ZoneInfo("Australia/Lord_Howe"),  # half-hour DST shift
    ZoneInfo("America/Santiago"),  # DST changes at midnight
    ZoneInfo("Asia/Kolkata"),
    ZoneInfo("Pacific/Apia"),  # skipped 30 December 2011 entirely
]


@given(
    st.datetimes(
        min_value=datetime(2000, 1, 1),
        max_value=datetime(2040, 1, 1),
        timezones=st.just(UTC),
    ),
    st.sampled_from(ZONES),
    st.integers(min_value=0, max_value=23),
)
def test_bounds_hold_exactly_the_instants_of_their_day(
    now: datetime, tz: timezone | ZoneInfo, hour: int
) -> None:
    day = study_day(now, day_start_hour=hour, tz=tz)
    start, end = day_bounds(day, day_start_hour=hour, tz=tz)
    assert start <= now < end
    assert study_day(start, day_start_hour=hour, tz=tz) == day
    assert study_day(start - MICROSECOND, day_start_hour=hour, tz=tz) < day
    assert study_day(end, day_start_hour=hour, tz=tz) > day
    assert study_day(end - MICROSECOND, day_start_hour=hour, tz=tz) == day


@pytest.fixture
def london_is_local(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Make the machine's local zone Europe/London for one test."""
    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset is not available on this platform")
    monkeypatch.setenv("TZ", "Europe/London")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize(
    "now",
    [utc(2024, 3, 31, 2, 59, 59), utc(2024, 3, 31, 3), utc(2024, 10, 27, 3, 59), utc(2024, 7, 1)],
)
@pytest.mark.usefixtures("london_is_local")
def test_the_zone_defaults_to_the_machines(now: datetime) -> None:
    assert study_day(now) == study_day(now, tz=LONDON)


@pytest.mark.usefixtures("london_is_local")
@pytest.mark.parametrize("day", [date(2024, 3, 30), date(2024, 10, 26), date(2024, 7, 1)])
def test_default_zone_bounds_match_the_named_zone(day: date) -> None:
    assert day_bounds(day) == day_bounds(day, tz=LONDON)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        study_day(datetime(2024, 5, 10, 12, 0))


@pytest.mark.parametrize("hour", [-1, 24, True, 4.0])
def test_bad_start_hours_are_refused(hour: object) -> None:
    with pytest.raises(ValueError, match="day_start_hour"):
        study_day(utc(2024, 5, 10, 12), day_start_hour=hour, tz=UTC)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="day_start_hour"):
        day_bounds(date(2024, 5, 10), day_start_hour=hour, tz=UTC)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("day", "interval", "due"),
    [
        (date(2024, 5, 10), 0, date(2024, 5, 10)),
        (date(2024, 5, 10), 1, date(2024, 5, 11)),
        (date(2024, 2, 28), 1, date(2024, 2, 29)),
        (date(2024, 12, 31), 1, date(2025, 1, 1)),
        (date(2024, 1, 1), 6, date(2024, 1, 7)),
        # 2024-01-01 + 36,524 days (100 years, 24 leap days as 2100 is not leap) = 2124-01-01.
        (date(2024, 1, 1), 36_500, date(2123, 12, 8)),
    ],
)
def test_due_date(day: date, interval: int, due: date) -> None:
    assert due_date(day, interval) == due


@pytest.mark.parametrize("interval", [-1, 1.5, True])
def test_due_date_refuses_bad_intervals(interval: object) -> None:
    with pytest.raises(ValueError):
        due_date(date(2024, 5, 10), interval)  # type: ignore[arg-type]


@pytest.mark.parametrize("tz", ZONES, ids=str)
def test_consecutive_days_tile_time_exactly_through_a_year_of_changes(
    tz: timezone | ZoneInfo,
) -> None:
    # Every day of 2024 and every start hour: each day ends where the next begins, and the
    # instants either side of each start belong to the right days, DST changes included.
    first = date(2024, 1, 1)
    for hour in range(24):
        previous_end = day_bounds(first - timedelta(days=1), day_start_hour=hour, tz=tz)[1]
        for offset in range(366):
            day = first + timedelta(days=offset)
            start, end = day_bounds(day, day_start_hour=hour, tz=tz)
            assert start == previous_end
            assert timedelta(hours=22) <= end - start <= timedelta(hours=26)
            assert study_day(start, day_start_hour=hour, tz=tz) == day
            assert study_day(start - MICROSECOND, day_start_hour=hour, tz=tz) < day
            previous_end = end


def test_a_day_a_zone_skipped_is_empty() -> None:
    # Samoa jumped from 29 to 31 December 2011: study day 30 December has no instants.
    apia = ZoneInfo("Pacific/Apia")
    start, end = day_bounds(date(2011, 12, 30), tz=apia)
    assert start == end
    before, after = day_bounds(date(2011, 12, 29), tz=apia), day_bounds(date(2011, 12, 31), tz=apia)
    assert before[1] == start and end == after[0]
