"""History's "today" turns at 04:00 like Unsit's day (core.days.unsit_day), not at midnight."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from unsit.store.history import History

TZ = timezone(timedelta(hours=1))


@pytest.fixture
def history(tmp_path):
    h = History(tmp_path / "history.sqlite3")
    yield h
    h.close()


def test_a_drill_after_midnight_counts_for_the_evening_it_belongs_to(history):
    history.record("drill_finished", datetime(2026, 11, 23, 23, 30, tzinfo=TZ), drill_id="a", duration_seconds=60)
    history.record("drill_finished", datetime(2026, 11, 24, 1, 30, tzinfo=TZ), drill_id="b", duration_seconds=60)
    night = datetime(2026, 11, 24, 3, 59, tzinfo=TZ)
    assert history.today(night).date == date(2026, 11, 23)
    assert history.today(night).drills_done == 2
    morning = datetime(2026, 11, 24, 4, 0, tzinfo=TZ)
    assert history.today(morning).date == date(2026, 11, 24)
    assert history.today(morning).drills_done == 0
    assert history.day_streak(night, min_drills=2) == 1


def test_a_held_nudge_is_not_counted_as_a_nudge(history):
    noon = datetime(2026, 11, 24, 12, 0, tzinfo=TZ)
    history.record("nudge_held", noon, streak_seconds=3600, reason="full screen")
    history.record("nudge", noon, streak_seconds=3900)
    assert history.today(noon).nudges == 1
