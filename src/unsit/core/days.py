"""Unsit's day and what "until tomorrow" means: one rule, used by pauses, history and the picker.

Unsit's day runs from 04:00 to 04:00 local time, so a late evening belongs to the day it
started in. All functions read local wall-clock fields of ``now`` (its timezone is kept).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

DAY_STARTS_AT_HOUR = 4
"""The hour (local time) at which Unsit's day turns: the rollover and "until tomorrow"."""


def unsit_day(now: datetime) -> date:
    """The day ``now`` belongs to (a day runs from 04:00 to 04:00)."""
    return (now - timedelta(hours=DAY_STARTS_AT_HOUR)).date()


def day_start(day: date, now: datetime) -> datetime:
    """The moment ``day`` begins, in ``now``'s timezone."""
    return datetime.combine(day, time(DAY_STARTS_AT_HOUR), tzinfo=now.tzinfo)


def next_day_start(now: datetime) -> datetime:
    """The next 04:00 after ``now``: the end of a pause "until tomorrow"."""
    return day_start(unsit_day(now) + timedelta(days=1), now)


def pause_until(now: datetime, request: dict[str, object]) -> datetime | None:
    """When a pause request ends: N minutes from now, the next day start, or never (None).

    Args:
        now: the wall-clock time of the request.
        request: ``{"minutes": N}``, ``{"until": "tomorrow"}`` or ``{"until": "indefinitely"}``.

    Raises:
        ValueError: for anything else.
    """
    if "minutes" in request:
        minutes = request["minutes"]
        if not isinstance(minutes, (int, float, str)):
            raise ValueError(f"not a pause request: {request!r}")
        return now + timedelta(minutes=int(minutes))
    if request.get("until") == "tomorrow":
        return next_day_start(now)
    if request.get("until") == "indefinitely":
        return None
    raise ValueError(f"not a pause request: {request!r}")
