"""History rows as lines: what the tray sends the history job reads back exactly, and nothing else."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from unsit.store.history_rows import MAX_LINE_CHARS, decode_row, encode_row, escape, make_row, unescape

LATE_EVENING = datetime(2026, 11, 23, 2, 30, tzinfo=timezone(timedelta(hours=1)))


def test_a_row_keeps_utc_time_and_unsits_day() -> None:
    row = make_row("streak_ended", LATE_EVENING, streak_seconds=1800, reason="away")
    assert row == ("streak_ended", "2026-11-23T01:30:00.000000+00:00", "2026-11-22", None, None, 1800.0, "away")


@pytest.mark.parametrize("row", [
    make_row("drill_finished", LATE_EVENING, drill_id="hip-90-90", duration_seconds=121.25),
    make_row("reminder_answered", LATE_EVENING, reason="morning_routine:later"),
    make_row("nudge", LATE_EVENING, streak_seconds=float("inf")),
    make_row("call", LATE_EVENING, duration_seconds=0.1 + 0.2),
    make_row("drill_started", LATE_EVENING, drill_id="odd\tid\nwith\\slashes\r-"),
])
def test_a_row_reads_back_exactly(row) -> None:
    line = encode_row(row)
    assert "\n" not in line and line.count("\t") == 6
    assert decode_row(line + "\n") == row


@pytest.mark.parametrize(("line", "why"), [
    ("snudge\ts2026\ts2026\t-\t-\t-", "7 fields"),
    ("sdance\ts2026\ts2026\t-\t-\t-\t-", "unknown history event kind"),
    ("snudge\tf1.0\ts2026\t-\t-\t-\t-", "at_utc must be text"),
    ("snudge\ts2026\ts2026\t-\tsten\t-\t-", "duration_seconds must be a number"),
    ("snudge\ts2026\ts2026\t-\tften\t-\t-", "could not convert"),
    ("snudge\ts2026\ts2026\tx\t-\t-\t-", "starts with"),
    ("snudge\ts2026\ts2026\ts\\q\t-\t-\t-", "unknown escape"),
    ("snudge\ts" + "9" * MAX_LINE_CHARS + "\ts2026\t-\t-\t-\t-", "characters long"),
])
def test_a_line_that_is_not_a_row_is_refused_with_the_reason(line: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        decode_row(line)


def test_rows_are_checked_like_the_store_checks_them() -> None:
    with pytest.raises(ValueError, match="unknown history event kind"):
        make_row("dance", LATE_EVENING)
    with pytest.raises(ValueError, match="timezone aware"):
        make_row("nudge", datetime(2026, 11, 23, 10, 0))


def test_escaped_text_has_no_separators_and_comes_back() -> None:
    text = "a\tb\nc\\d\re"
    assert "\t" not in escape(text) and "\n" not in escape(text)
    assert unescape(escape(text)) == text
