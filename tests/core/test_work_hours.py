"""Work hours: is_open and next_change on local wall-clock time."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from unsit.core.settings import WEEKDAYS, Settings
from unsit.core.work_hours import is_open, next_change

TZ = timezone(timedelta(hours=1))
MON = datetime(2026, 11, 23, tzinfo=TZ)  # a Monday


def at(day_offset: int, hh: int, mm: int = 0, ss: int = 0) -> datetime:
    return MON + timedelta(days=day_offset, hours=hh, minutes=mm, seconds=ss)


def hours(*ranges: str, days=("mon", "tue", "wed", "thu", "fri")) -> Settings:
    return Settings(work_hours_enabled=True, work_hours=ranges, work_days=tuple(days))


def test_disabled_is_always_open_and_never_changes():
    settings = Settings(work_hours_enabled=False, work_days=())
    for moment in (at(0, 3), at(5, 12), at(6, 23, 59)):
        assert is_open(moment, settings)
        assert next_change(moment, settings) is None


@pytest.mark.parametrize(
    "moment, expected",
    [
        (at(0, 8, 59, 59), False),
        (at(0, 9), True),
        (at(0, 16, 59, 59), True),
        (at(0, 17), False),  # the end is not inside
        (at(4, 12), True),  # Friday
        (at(5, 12), False),  # Saturday
        (at(6, 12), False),  # Sunday
    ],
)
def test_is_open_single_range(moment, expected):
    assert is_open(moment, hours("09:00-17:00")) is expected


def test_next_change_same_day_keeps_the_timezone():
    settings = hours("09:00-17:00")
    change = next_change(at(0, 8), settings)
    assert change == at(0, 9)
    assert change.tzinfo is TZ
    assert next_change(at(0, 9), settings) == at(0, 17)
    assert next_change(at(0, 17), settings) == at(1, 9)


def test_next_change_over_the_weekend():
    settings = hours("09:00-17:00")
    assert next_change(at(4, 17), settings) == at(7, 9)
    assert next_change(at(5, 10), settings) == at(7, 9)


def test_several_ranges_a_day():
    settings = hours("09:00-12:30", "13:30-17:30")
    assert is_open(at(0, 12, 29), settings)
    assert not is_open(at(0, 12, 45), settings)
    assert is_open(at(0, 13, 30), settings)
    assert next_change(at(0, 12), settings) == at(0, 12, 30)
    assert next_change(at(0, 12, 45), settings) == at(0, 13, 30)
    assert next_change(at(0, 14), settings) == at(0, 17, 30)


def test_overlapping_ranges_merge():
    settings = hours("09:00-12:00", "11:00-13:00")
    assert next_change(at(0, 10), settings) == at(0, 13)


def test_range_ending_at_midnight():
    settings = hours("20:00-24:00", days=("mon",))
    assert is_open(at(0, 23, 59, 59), settings)
    assert not is_open(at(1, 0), settings)
    assert next_change(at(0, 21), settings) == at(1, 0)


def test_ranges_joining_across_midnight_have_no_boundary_there():
    settings = hours("00:00-06:00", "20:00-24:00", days=("mon", "tue"))
    assert next_change(at(0, 21), settings) == at(1, 6)
    assert next_change(at(1, 21), settings) == at(2, 0)  # Wednesday is not a work day


def test_never_changing_hours_give_none():
    assert next_change(at(0, 12), hours("09:00-17:00", days=())) is None
    assert not is_open(at(0, 12), hours("09:00-17:00", days=()))
    always = hours("00:00-24:00", days=WEEKDAYS)
    assert is_open(at(3, 3), always)
    assert next_change(at(3, 3), always) is None


def test_naive_times_work_too():
    settings = hours("09:00-17:00")
    naive = datetime(2026, 11, 23, 8, 30)
    assert not is_open(naive, settings)
    assert next_change(naive, settings) == datetime(2026, 11, 23, 9, 0)


def test_uses_local_time_fields_not_utc():
    settings = hours("09:00-17:00")
    # 09:30 at UTC+1 is 08:30 UTC: local fields decide.
    assert is_open(at(0, 9, 30), settings)
