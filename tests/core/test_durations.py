"""format_duration: the one way durations are written, for countdowns and for totals."""

from __future__ import annotations

import pytest

from unsit.core.durations import format_duration


@pytest.mark.parametrize(("seconds", "text"), [
    (None, "—"),
    (-5, "0 s"),
    (0, "0 s"),
    (45, "45 s"),
    (59.4, "59 s"),
    (59.6, "1 min"),
    (12 * 60 + 59, "12 min"),  # cut down: a countdown never promises more than is left
    (3600, "1 h 00 min"),
    (3600 + 5 * 60 + 30, "1 h 05 min"),
])
def test_countdown_style(seconds, text):
    assert format_duration(seconds) == text


@pytest.mark.parametrize(("seconds", "text"), [
    (None, "—"),
    (-5, "0 min"),
    (0, "0 min"),
    (20, "0 min"),
    (45, "1 min"),
    (42 * 60 + 10, "42 min"),
    (42 * 60 + 40, "43 min"),  # rounded, not cut
    (59 * 60 + 40, "1 h 00 min"),
    (3 * 3600 + 5 * 60, "3 h 05 min"),
])
def test_whole_minutes_style(seconds, text):
    assert format_duration(seconds, whole_minutes=True) == text
