"""Standing at a sit-stand desk, on the fake clock: the streak waits, a long stand is the break.

Short and long stands, standing across the due time, away, locked and asleep while standing,
the standing reminder (Sit, Later, quiet, off), settings changes and restarts.
"""

from __future__ import annotations

import pytest

from tests.core.test_engine import Desk
from unsit.core.engine import Observation
from unsit.core.events import (
    EndReason,
    NudgeWithdrawn,
    Phase,
    PostureChanged,
    QuietReason,
    ReminderAnswered,
    ReminderDue,
    ReminderHeld,
    ReminderWithdrawn,
    StreakEnded,
    WithdrawReason,
)
from unsit.core.posture import StandingWatch
from unsit.core.settings import Settings

MIN = 60.0


def make_desk(fake_clock, **settings) -> Desk:
    return Desk(fake_clock, Settings(**settings))


def standing_reminders(desk: Desk) -> list[ReminderDue]:
    return [e for e in desk.of(ReminderDue) if e.kind == "standing"]


def test_standing_stops_the_streak_and_no_nudge_comes_although_the_interval_passes(fake_clock):
    desk = make_desk(fake_clock, interval_minutes=10, away_reset_minutes=5)
    desk.type_for(3 * MIN)
    stood = desk.call("stand")
    assert PostureChanged(standing=True) in stood
    assert desk.phase is Phase.STANDING
    desk.type_for(4 * MIN)  # shorter than the away reset
    status = desk.engine.status()
    assert status.streak_seconds == pytest.approx(3 * MIN)
    assert status.to_json_dict()["posture"] == "standing"
    assert status.to_json_dict()["standing_seconds"] == 240
    assert status.next_nudge_in_seconds is None
    desk.type_for(20 * MIN)  # well past the interval in wall time
    assert desk.nudges() == []


def test_a_short_stand_resumes_the_streak_where_it_waited(fake_clock):
    desk = make_desk(fake_clock, interval_minutes=10, away_reset_minutes=5)
    desk.type_for(3 * MIN)
    desk.call("stand")
    desk.type_for(2 * MIN)
    events = desk.call("sit")
    assert PostureChanged(standing=False, stood_seconds=pytest.approx(2 * MIN)) in events
    assert desk.phase is Phase.SITTING
    assert desk.streak == pytest.approx(3 * MIN)
    desk.type_for(7 * MIN)
    assert desk.nudges() == [pytest.approx(10 * MIN)]
    assert desk.of(StreakEnded) == []


def test_a_stand_of_the_away_reset_is_the_break_and_sitting_starts_from_zero(fake_clock):
    desk = make_desk(fake_clock, interval_minutes=10, away_reset_minutes=5)
    desk.type_for(8 * MIN)
    desk.call("stand")
    desk.type_for(5 * MIN)
    assert desk.of(StreakEnded) == [StreakEnded(streak_seconds=pytest.approx(8 * MIN), reason=EndReason.STOOD)]
    assert desk.engine.status().to_json_dict()["posture"] == "standing"
    desk.type_for(10 * MIN)  # still standing: nothing grows, nothing is due
    desk.call("sit")
    assert desk.streak == pytest.approx(0)
    desk.type_for(9 * MIN)
    assert desk.nudges() == []
    desk.type_for(1 * MIN)
    assert desk.nudges() == [pytest.approx(10 * MIN)]


def test_standing_up_takes_a_shown_nudge_back_and_sitting_down_brings_it_again_a_snooze_later(fake_clock):
    desk = make_desk(fake_clock, interval_minutes=10, away_reset_minutes=5, snooze_minutes=3)
    desk.type_for(10 * MIN)
    assert desk.nudges() == [pytest.approx(10 * MIN)]
    events = desk.call("stand")
    assert NudgeWithdrawn(reason=WithdrawReason.STOOD) in events
    desk.type_for(1 * MIN)
    desk.call("sit")
    desk.type_for(2 * MIN + 55)
    assert len(desk.nudges()) == 1
    desk.type_for(5)
    assert desk.nudges()[1] == pytest.approx(13 * MIN)


def test_standing_across_the_due_time_brings_no_nudge_until_sitting(fake_clock):
    desk = make_desk(fake_clock, interval_minutes=10, away_reset_minutes=5)
    desk.type_for(9 * MIN)
    desk.call("stand")
    desk.type_for(4 * MIN)
    assert desk.nudges() == []
    desk.call("sit")
    desk.type_for(55)
    assert desk.nudges() == []
    desk.type_for(5)
    assert desk.nudges() == [pytest.approx(10 * MIN)]


@pytest.mark.parametrize("how", ["away", "locked", "asleep"])
def test_back_from_an_absence_of_the_away_reset_while_standing_counts_as_sitting(fake_clock, how):
    desk = make_desk(fake_clock, interval_minutes=30, away_reset_minutes=5)
    desk.type_for(10 * MIN)
    desk.call("stand")
    desk.type_for(2 * MIN)
    if how == "away":
        desk.rest_for(6 * MIN)
    elif how == "locked":
        desk.locked = True
        desk.rest_for(6 * MIN)
        desk.locked = False
    else:
        desk.clock.suspend(6 * MIN)
    if how != "asleep":  # no tick runs while the machine sleeps
        assert desk.phase is Phase.AWAY
    desk.type_for(5)
    sat = [e for e in desk.events if isinstance(e, PostureChanged) and not e.standing]
    assert len(sat) == 1 and sat[0].automatic
    # The standing period ended when the user left, not when they came back.
    assert sat[0].stood_seconds == pytest.approx(2 * MIN, abs=35)
    status = desk.engine.status()
    assert status.to_json_dict()["posture"] == "sitting"
    assert status.phase is Phase.SITTING
    assert status.streak_seconds < 10


def test_a_short_absence_while_standing_keeps_the_posture(fake_clock):
    desk = make_desk(fake_clock, interval_minutes=30, away_reset_minutes=5)
    desk.type_for(1 * MIN)
    desk.call("stand")
    desk.rest_for(3 * MIN)
    desk.type_for(10)
    assert desk.engine.status().to_json_dict()["posture"] == "standing"
    assert desk.phase is Phase.STANDING


def test_the_standing_reminder_comes_after_standing_max_minutes_and_sit_answers_it(fake_clock):
    desk = make_desk(fake_clock, interval_minutes=30, away_reset_minutes=5, standing_max_minutes=20)
    desk.call("stand")
    desk.type_for(19 * MIN)
    assert standing_reminders(desk) == []
    desk.type_for(1 * MIN)
    assert standing_reminders(desk) == [ReminderDue(kind="standing", seconds=pytest.approx(20 * MIN))]
    events = desk.call("answer", "standing", "sit")
    assert ReminderWithdrawn(kind="standing", reason=WithdrawReason.STOOD) in events
    assert ReminderAnswered(kind="standing", action="sit", effect="sit") in events
    assert desk.engine.status().to_json_dict()["posture"] == "sitting"
    assert desk.call("answer", "standing", "sit") == []  # a stale answer does nothing


def test_later_brings_the_standing_reminder_again_after_the_snooze_time_of_standing(fake_clock):
    desk = make_desk(fake_clock, away_reset_minutes=5, standing_max_minutes=20, snooze_minutes=10)
    desk.call("stand")
    desk.type_for(20 * MIN)
    events = desk.call("answer", "standing", "later")
    assert ReminderWithdrawn(kind="standing", reason=WithdrawReason.ANSWERED) in events
    desk.type_for(9 * MIN + 55)
    assert len(standing_reminders(desk)) == 1
    desk.type_for(5)
    assert len(standing_reminders(desk)) == 2


def test_the_standing_reminder_waits_while_it_is_quiet(fake_clock):
    desk = make_desk(fake_clock, away_reset_minutes=5, standing_max_minutes=10)
    desk.call("stand")
    desk.type_for(10 * MIN - 5)
    desk.clock.advance(5)
    desk.last_input = desk._now()
    desk._keep(desk.engine.tick(Observation(idle_seconds=0, quiet=frozenset({QuietReason.FULL_SCREEN}))))
    assert desk.of(ReminderHeld) == [ReminderHeld(kind="standing", reasons=frozenset({QuietReason.FULL_SCREEN}))]
    assert standing_reminders(desk) == []
    desk.type_for(2 * MIN)
    [due] = standing_reminders(desk)
    assert due.held_reasons == frozenset({QuietReason.FULL_SCREEN})
    assert due.held_seconds == pytest.approx(5)  # shown at the first tick that was not quiet


def test_standing_max_minutes_zero_turns_the_reminder_off_and_a_change_applies_at_once(fake_clock):
    desk = make_desk(fake_clock, away_reset_minutes=5, standing_max_minutes=0)
    desk.call("stand")
    desk.type_for(120 * MIN)
    assert standing_reminders(desk) == []
    desk.call("apply_settings", Settings(away_reset_minutes=5, standing_max_minutes=60))
    desk.type_for(5)
    assert len(standing_reminders(desk)) == 1


def test_a_pause_or_a_drill_takes_the_standing_reminder_back(fake_clock):
    desk = make_desk(fake_clock, away_reset_minutes=5, standing_max_minutes=10)
    desk.call("stand")
    desk.type_for(10 * MIN)
    assert len(standing_reminders(desk)) == 1
    events = desk.call("pause_for", 600)
    assert ReminderWithdrawn(kind="standing", reason=WithdrawReason.PAUSED) in events


def test_stand_and_sit_twice_change_nothing_the_second_time(fake_clock):
    desk = make_desk(fake_clock)
    assert desk.call("stand")
    assert desk.call("stand") == []
    assert desk.call("sit")
    assert desk.call("sit") == []


def test_a_restart_while_standing_keeps_the_standing_period(fake_clock):
    desk = make_desk(fake_clock, away_reset_minutes=5, standing_max_minutes=20)
    # The last run stopped 1 minute ago after 14 minutes of standing: no break, the user still stands.
    events = desk.call("restore_standing", 14 * MIN, 1 * MIN)
    assert PostureChanged(standing=True) in events
    assert desk.engine.status().to_json_dict()["standing_seconds"] == 900
    desk.type_for(5 * MIN)
    assert len(standing_reminders(desk)) == 1  # the reminder counts the time before the restart
    # Only this run's part of the period is counted when it ends (the rest was counted at the stop).
    sat = desk.call("sit")
    assert PostureChanged(standing=False, stood_seconds=pytest.approx(5 * MIN)) in sat


def test_a_restart_after_the_away_reset_is_a_break_and_the_user_sits(fake_clock):
    desk = make_desk(fake_clock, away_reset_minutes=5)
    assert desk.call("restore_standing", 14 * MIN, 5 * MIN) == []
    assert desk.call("restore_standing", 14 * MIN, -30) == []  # a clock set back: not trusted
    assert desk.engine.status().to_json_dict()["posture"] == "sitting"


def test_stopping_the_app_while_standing_counts_the_period_up_to_now(fake_clock):
    desk = make_desk(fake_clock, away_reset_minutes=5)
    assert desk.call("stop") == []  # sitting: nothing to count
    desk.call("stand")
    desk.type_for(3 * MIN)
    assert desk.call("stop") == [PostureChanged(standing=False, stood_seconds=pytest.approx(3 * MIN), stopped=True)]


def test_the_watch_alone_counts_the_period_and_takes_back_what_it_showed():
    watch = StandingWatch(max_seconds=60, later_seconds=30)
    assert not watch.standing and watch.standing_seconds(0) == 0
    assert watch.stand(100) and not watch.stand(101)
    assert watch.evaluate(159, True) == []
    assert watch.evaluate(160, False) == []  # not present: not yet
    assert watch.evaluate(160, True) == [ReminderDue(kind="standing", seconds=60)]
    assert watch.evaluate(161, True) == []  # shown once
    stood, events = watch.sit(170) or (None, None)
    assert stood == 70
    assert events == [ReminderWithdrawn(kind="standing", reason=WithdrawReason.STOOD)]
    assert watch.sit(171) is None
