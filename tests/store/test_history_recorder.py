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


def test_a_restart_on_the_same_day_offers_nothing_and_the_next_day_offers_again(tmp_path, fake_clock):
    from tests.core.test_morning_offer import KIND, OfferDesk
    from unsit.core.events import ReminderDue
    from unsit.store.history import History
    from unsit.store.history_recorder import restore_offer_answers

    def start() -> tuple[History, OfferDesk, HistoryRecorder]:
        history = History(tmp_path / "history.sqlite3")
        desk = OfferDesk(fake_clock)
        restore_offer_answers(desk.engine, history, fake_clock.now())
        return history, desk, HistoryRecorder(history, fake_clock.now)

    history, desk, record = start()
    desk.type_for(60)
    record(desk.call("answer", KIND, "not_today"))
    assert history.reminder_answers(KIND, fake_clock.now()) == ["not_today"]
    history.close()

    fake_clock.advance(3600)  # a restart an hour later, the same Unsit day
    history, desk, record = start()
    desk.type_for(2 * 3600)
    assert [e for e in desk.events if isinstance(e, ReminderDue)] == []
    history.close()

    fake_clock.advance(20 * 3600)  # the next day (past 04:00): a fresh start offers again
    history, desk, record = start()
    assert history.reminder_answers(KIND, fake_clock.now()) == []
    desk.type_for(60)
    assert len([e for e in desk.events if isinstance(e, ReminderDue)]) == 1
    history.close()


def test_an_answered_reminder_is_a_row_with_kind_and_action():
    event = ev.ReminderAnswered(kind="morning_routine", action="later", effect="later")
    assert history_row(event) == ("reminder_answered", {"reason": "morning_routine:later"})


def test_no_history_or_a_failing_one_restores_nothing(fake_clock):
    from tests.core.test_morning_offer import OfferDesk
    from unsit.store.history_recorder import restore_offer_answers

    class Broken:
        def reminder_answers(self, kind, now):
            raise OSError("gone")

    desk = OfferDesk(fake_clock)
    restore_offer_answers(desk.engine, None, fake_clock.now())
    restore_offer_answers(desk.engine, Broken(), fake_clock.now())
    assert desk.engine.status().morning_offer == "waiting"


def test_a_standing_period_is_one_row_when_it_ends_with_why_it_ended():
    assert history_row(ev.PostureChanged(standing=True)) is None
    assert history_row(ev.PostureChanged(standing=False, stood_seconds=90)) == (
        "standing", {"duration_seconds": 90, "reason": None})
    assert history_row(ev.PostureChanged(standing=False, stood_seconds=90, automatic=True))[1]["reason"] == "break"
    assert history_row(ev.PostureChanged(standing=False, stood_seconds=90, stopped=True))[1]["reason"] == "quit"


def test_a_restart_soon_after_stopping_while_standing_goes_on_standing(tmp_path, fake_clock):
    from tests.core.test_engine import Desk
    from unsit.core.settings import Settings
    from unsit.store.history import History
    from unsit.store.history_recorder import restore_posture

    history = History(tmp_path / "history.sqlite3")
    desk = Desk(fake_clock, Settings(away_reset_minutes=5))
    record = HistoryRecorder(history, fake_clock.now)
    record(desk.call("stand"))
    desk.type_for(600)
    record(desk.call("stop"))
    fake_clock.advance(120)  # two minutes later, the app starts again
    again = Desk(fake_clock, Settings(away_reset_minutes=5))
    restored = restore_posture(again.engine, history, fake_clock.now())
    assert ev.PostureChanged(standing=True) in restored
    assert again.engine.status().standing_seconds == 720
    fake_clock.advance(3600)  # an hour later: a break, the user sits
    third = Desk(fake_clock, Settings(away_reset_minutes=5))
    assert restore_posture(third.engine, history, fake_clock.now()) == []
    assert restore_posture(third.engine, None, fake_clock.now()) == []
    history.close()
