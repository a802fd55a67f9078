"""Work hours: is a moment inside them, and when do they next open or close.

Times are read as local wall-clock time: the date and time fields of ``now`` (its
timezone, if any, is kept on the returned boundary but not converted).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from unsit.core.settings import WEEKDAYS, Settings, parse_time_range

_SEARCH_DAYS = 8  # one week plus the day we start in


def _ranges_seconds(settings: Settings) -> list[tuple[int, int]]:
    """The work-hour ranges as (start, end) seconds after midnight."""
    out = []
    for text in settings.work_hours:
        start_minutes, end_minutes = parse_time_range(text)
        out.append((start_minutes * 60, end_minutes * 60))
    return out


def _open_at(local: datetime, days: frozenset[str], ranges: list[tuple[int, int]]) -> bool:
    if WEEKDAYS[local.weekday()] not in days:
        return False
    second_of_day = local.hour * 3600 + local.minute * 60 + local.second + local.microsecond / 1e6
    return any(start <= second_of_day < end for start, end in ranges)


def is_open(now: datetime, settings: Settings) -> bool:
    """True when ``now`` is inside the work hours (always True when they are disabled).

    Args:
        now: the current local time (naive or timezone aware).
        settings: uses work_hours_enabled, work_days and work_hours.
    """
    if not settings.work_hours_enabled:
        return True
    local = now.replace(tzinfo=None)
    return _open_at(local, frozenset(settings.work_days), _ranges_seconds(settings))


def next_change(now: datetime, settings: Settings) -> datetime | None:
    """The next moment after ``now`` when ``is_open`` flips.

    Adjacent ranges (e.g. 22:00-24:00 on Monday and 00:00-06:00 on Tuesday) merge, so
    midnight is no boundary there.

    Returns:
        The boundary, with ``now``'s tzinfo, or None when work hours are disabled or
        never change (no work days, or open around the clock).
    """
    if not settings.work_hours_enabled:
        return None
    local = now.replace(tzinfo=None)
    days = frozenset(settings.work_days)
    ranges = _ranges_seconds(settings)
    state = _open_at(local, days, ranges)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    boundaries = sorted(
        {
            midnight + timedelta(days=offset, seconds=edge)
            for offset in range(_SEARCH_DAYS + 1)
            for start, end in ranges
            for edge in (start, end)
        }
    )
    for boundary in boundaries:
        if boundary > local and _open_at(boundary, days, ranges) != state:
            return boundary.replace(tzinfo=now.tzinfo)
    return None
