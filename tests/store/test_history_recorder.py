"""The history recorder turns core events into rows; held nudges are not 'nudge' rows."""

from __future__ import annotations

from datetime import datetime, timezone

from unsit.core import events as ev
from unsit.store.history_recorder import HistoryRecorder, history_row

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc)


class Rows:
    def __init__(self, fail: bool = False):
        self.rows: list[tuple[str, dict]] = []
        self.fail = fail

    def record(self, kind, at, **fields):
        if self.fail:
            raise OSError("disk on fire")
        self.rows.append((kind, fields))
        return True


def test_each_event_becomes_its_row():
    held = ev.NudgeHeld(streak_seconds=3600, reasons=frozenset({ev.QuietReason.FULL_SCREEN,
                                                                ev.QuietReason.NOTIFICATIONS_PAUSED}))
    assert history_row(held) == ("nudge_held", {"streak_seconds": 3600,
                                                "reason": "full screen,notifications paused"})
    assert history_row(ev.NudgeDue(streak_seconds=3900, repeat=0)) == ("nudge", {"streak_seconds": 3900})
    assert history_row(ev.DrillStarted("rotation-2")) == ("drill_started", {"drill_id": "rotation-2"})
    assert history_row(ev.DrillSkipped("x", 12.0)) == ("drill_skipped", {"drill_id": "x", "duration_seconds": 12.0})
    assert history_row(ev.NudgeWithdrawn(ev.WithdrawReason.AWAY)) is None
    assert history_row(ev.NudgeDropped(ev.WithdrawReason.AWAY)) is None


def test_recording_never_raises_and_no_history_is_fine():
    HistoryRecorder(None, lambda: NOW)([ev.Snoozed(minutes=5)])
    broken = Rows(fail=True)
    HistoryRecorder(broken, lambda: NOW)([ev.Snoozed(minutes=5), ev.Skipped()])  # logged, not raised
    rows = Rows()
    HistoryRecorder(rows, lambda: NOW)([ev.Snoozed(minutes=5), ev.Resumed(), ev.Skipped()])
    assert [k for k, _ in rows.rows] == ["snooze", "skip"]


def test_a_call_that_ended_becomes_a_call_row_with_its_length():
    assert history_row(ev.CallEnded(call_seconds=3120.0)) == ("call", {"duration_seconds": 3120.0})
    held = ev.NudgeHeld(streak_seconds=3600, reasons=frozenset({ev.QuietReason.CALL}))
    assert history_row(held) == ("nudge_held", {"streak_seconds": 3600, "reason": "call"})
