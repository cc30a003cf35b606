"""The study day: a calendar date that starts at a chosen local hour (04:00 unless told otherwise).

Reviewing after midnight still counts for the evening's day until the start hour, as in Anki.
Everything here takes the time as an argument, so callers and tests decide what "now" is.
Wall-clock arithmetic in the learner's zone keeps the start hour fixed across DST changes,
which makes those days 23 or 25 hours long.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo

DEFAULT_DAY_START_HOUR = 4


def _check_hour(day_start_hour: int) -> None:
    if isinstance(day_start_hour, bool) or not isinstance(day_start_hour, int):
        raise ValueError(f"day_start_hour must be an int from 0 to 23, not {day_start_hour!r}")
    if not 0 <= day_start_hour <= 23:
        raise ValueError(f"day_start_hour must be from 0 to 23, not {day_start_hour}")


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"a timezone-aware datetime is needed, not the naive {moment!r}")


def study_day(
    now: datetime, *, day_start_hour: int = DEFAULT_DAY_START_HOUR, tz: tzinfo | None = None
) -> date:
    """The study day `now` falls in: the local date of `now` minus `day_start_hour` hours.

    `now` must be timezone-aware (ValueError otherwise); `tz` is the learner's zone and defaults
    to the machine's local zone.
    """
    _require_aware(now)
    _check_hour(day_start_hour)
    local = now.astimezone(tz)
    day = local.date()
    return day - timedelta(days=1) if local.hour < day_start_hour else day


def _day_start(day: date, day_start_hour: int, tz: tzinfo | None) -> datetime:
    # fold=0 takes the first of a repeated wall time and, for a wall time skipped by a DST gap,
    # the offset from before the gap: both give the first instant of the study day when the
    # clocks change on the hour. A naive datetime's astimezone() reads it as machine-local time.
    wall = datetime.combine(day, time(day_start_hour), tzinfo=tz)
    return wall.astimezone(UTC)


def day_bounds(
    day: date, *, day_start_hour: int = DEFAULT_DAY_START_HOUR, tz: tzinfo | None = None
) -> tuple[datetime, datetime]:
    """The first instant of study day `day` and the first of the next, as aware UTC datetimes.

    The range is half-open: `start <= t < end` exactly when `study_day(t, ...) == day`.
    """
    _check_hour(day_start_hour)
    return (
        _day_start(day, day_start_hour, tz),
        _day_start(day + timedelta(days=1), day_start_hour, tz),
    )


def due_date(day: date, interval: int) -> date:
    """The study day a unit reviewed on `day` comes due again, `interval` days later."""
    if isinstance(interval, bool) or not isinstance(interval, int) or interval < 0:
        raise ValueError(f"interval must be a non-negative int, not {interval!r}")
    return day + timedelta(days=interval)
