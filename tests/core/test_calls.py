"""Calls on the fake clock: a call holds the nudge, counts as sitting, and the nudge comes when it ends."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.core.test_engine import Desk
from unsit.core.calls import LONGEST_CALL_SECONDS, NO_INPUT_MARGIN_SECONDS, CallTracker
from unsit.core.engine import Observation
from unsit.core.events import (
    CallEnded,
    CallNoLongerCounted,
    EndReason,
    NudgeDropped,
    NudgeDue,
    NudgeHeld,
    Phase,
    QuietReason,
    StreakEnded,
    WallMoment,
)
from unsit.core.settings import Settings

CALL = frozenset({QuietReason.CALL})


class CallDesk(Desk):
    """A Desk with a microphone: ``start_call``/``end_call`` set what the capture watch would report."""

    def __init__(self, clock, settings: Settings | None = None):
        super().__init__(clock, settings)
        self.call_since: float | None = None

    def observation(self) -> Observation:
        base = super().observation()
        return Observation(idle_seconds=base.idle_seconds, locked=base.locked, call_since=self.call_since)

    def start_call(self) -> None:
        self.call_since = self.clock.monotonic()
        self.tick()

    def end_call(self) -> None:
        self.call_since = None
        self.tick()  # the watch's change signal ticks at once


@pytest.fixture
def desk(fake_clock):
    return CallDesk(fake_clock, Settings(interval_minutes=30, snooze_minutes=10))


def test_a_call_across_the_due_time_holds_the_nudge_and_it_comes_when_the_call_ends(desk):
    desk.type_for(600)
    desk.start_call()
    desk.rest_for(2400)  # 40 min on the call without touching anything: still sitting
    assert desk.nudges() == []
    assert desk.of(NudgeHeld) == [NudgeHeld(streak_seconds=1800, reasons=CALL)]
    status = desk.engine.status()
    assert status.held_because == CALL and status.in_call and status.call_seconds == 2400
    assert status.phase is Phase.SITTING and status.streak_seconds == 3000
    assert not desk.of(StreakEnded)
    desk.end_call()
    assert desk.of(CallEnded) == [CallEnded(call_seconds=2400)]
    [nudge] = desk.of(NudgeDue)
    assert nudge.after_call_seconds == 2400 and nudge.repeat == 0
    assert desk.phase is Phase.NUDGE_DUE and not desk.engine.status().in_call


def test_a_nudge_not_held_by_a_call_says_nothing_about_calls(desk):
    desk.start_call()
    desk.end_call()
    desk.type_for(1800)
    [nudge] = desk.of(NudgeDue)
    assert nudge.after_call_seconds is None


def test_a_short_call_before_the_due_time_changes_nothing(desk):
    desk.type_for(600)
    desk.start_call()
    desk.rest_for(300)
    desk.end_call()
    assert desk.nudges() == [] and not desk.of(NudgeHeld)
    desk.type_for(900)
    assert desk.nudges() == [1800]


def test_after_a_call_idle_counts_from_its_end_and_a_user_who_leaves_is_away(desk):
    desk.type_for(600)
    desk.start_call()
    desk.rest_for(2400)
    desk.call_since = None
    desk.rest_for(310)  # the call ended and the user walked off without touching anything
    assert desk.of(CallEnded) == [CallEnded(call_seconds=2405)]  # noticed at the next tick
    # The first tick after the end delivered the held nudge (the user counts as present then) ...
    assert len(desk.of(NudgeDue)) == 1
    # ... and five minutes after the call the streak ended, measured from the call's end.
    [ended] = desk.of(StreakEnded)
    assert ended.reason is EndReason.AWAY and ended.streak_seconds == pytest.approx(3005, abs=10)


def test_a_call_that_ends_while_the_user_is_away_delivers_nothing(desk):
    desk.type_for(600)
    desk.start_call()
    desk.rest_for(1500)
    assert len(desk.of(NudgeHeld)) == 1
    desk.locked = True  # left the call running and locked the screen
    desk.rest_for(600)
    assert NudgeDropped in [type(e) for e in desk.events]
    desk.end_call()
    desk.rest_for(60)
    assert desk.nudges() == []
    desk.locked = False
    desk.type_for(60)
    assert desk.nudges() == []  # a fresh streak: nothing is due


def test_a_call_never_starts_a_streak_for_a_user_who_is_away(desk):
    desk.type_for(600)
    desk.rest_for(400)  # away: the streak ended
    assert desk.phase is Phase.AWAY
    desk.start_call()  # some program records while nobody is there
    desk.rest_for(1800)
    desk.end_call()
    desk.rest_for(60)
    assert desk.phase is Phase.AWAY and desk.streak == 0 and desk.nudges() == []
    desk.type_for(30)  # back: a fresh streak, from real input
    assert desk.phase is Phase.SITTING and desk.streak <= 30


def test_a_call_during_snooze_keeps_the_snooze(desk):
    desk.type_for(1800)
    assert desk.nudges() == [1800]
    desk.call("snooze")
    desk.type_for(120)
    desk.start_call()
    desk.rest_for(180)
    desk.end_call()  # ended before the snooze ran out: nothing comes early
    assert desk.nudges() == [1800] and desk.phase is Phase.SNOOZED
    desk.type_for(300)
    assert desk.nudges() == [1800, 2400]  # the snooze's own time
    desk.call("snooze")
    desk.start_call()
    desk.rest_for(900)  # across the snooze's end: held
    assert desk.nudges() == [1800, 2400] and desk.engine.status().held_because == CALL
    desk.end_call()
    assert desk.nudges() == [1800, 2400, 3300]
    assert desk.of(NudgeDue)[-1].after_call_seconds == 900


def test_a_call_during_a_pause_does_nothing(desk):
    desk.type_for(600)
    desk.call("pause", None)
    desk.start_call()
    desk.rest_for(1800)
    desk.end_call()
    assert desk.nudges() == [] and not desk.of(NudgeHeld)
    assert desk.of(CallEnded) == [CallEnded(call_seconds=1800)]
    desk.call("resume")
    desk.type_for(5)
    [nudge] = desk.of(NudgeDue)
    assert nudge.after_call_seconds is None  # the pause held it, not the call


def test_a_suspend_during_a_call_ends_the_streak_and_the_call_end_delivers_nothing(desk, fake_clock):
    desk.type_for(600)
    desk.start_call()
    desk.rest_for(1500)
    assert len(desk.of(NudgeHeld)) == 1
    fake_clock.suspend(3600)
    desk.tick()
    assert [e.reason for e in desk.of(StreakEnded)] == [EndReason.ASLEEP]
    desk.end_call()
    assert desk.nudges() == []
    # The call's length is awake time: the hour asleep is not in it.
    assert desk.of(CallEnded) == [CallEnded(call_seconds=1500)]


def test_a_wall_clock_jump_during_a_call_neither_lengthens_it_nor_brings_the_nudge(desk, fake_clock):
    desk.type_for(600)
    desk.start_call()
    desk.rest_for(600)
    fake_clock.jump_wall(7200)
    desk.call("wall_moment", WallMoment.CLOCK_CHANGED)
    desk.rest_for(900)
    assert desk.nudges() == [] and len(desk.of(NudgeHeld)) == 1
    desk.end_call()
    [nudge] = desk.of(NudgeDue)
    assert nudge.after_call_seconds == 1500


def test_with_hold_during_calls_off_a_call_is_ignored(fake_clock):
    desk = CallDesk(fake_clock, Settings(interval_minutes=30, hold_during_calls=False))
    desk.start_call()
    desk.type_for(1800)
    assert desk.nudges() == [1800]
    assert not desk.engine.status().in_call
    desk.end_call()
    assert not desk.of(CallEnded)


def test_a_call_also_holds_alongside_do_not_disturb(fake_clock):
    desk = CallDesk(fake_clock, Settings(interval_minutes=30))
    desk.start_call()
    obs = Observation(idle_seconds=0.0, quiet=frozenset({QuietReason.FULL_SCREEN}),
                      call_since=desk.call_since)
    fake_clock.advance(1800)
    desk._keep(desk.engine.tick(obs))
    [held] = desk.of(NudgeHeld)
    assert held.reasons == {QuietReason.CALL, QuietReason.FULL_SCREEN}


def test_the_tracker_clamps_a_start_reported_in_the_future():
    tracker = CallTracker()
    assert tracker.observe(100.0, 250.0) == []
    assert tracker.call_seconds == 0.0
    assert tracker.observe(160.0, None) == [CallEnded(call_seconds=60.0)]
    assert tracker.last_call_seconds == 60.0 and not tracker.in_call


def test_idle_after_a_call_is_the_os_counter_again_once_input_came(fake_clock):
    tracker = CallTracker()
    tracker.observe(0.0, 0.0)
    assert tracker.idle_seconds(900.0, 10.0) is None  # present while unlocked
    tracker.observe(600.0, None)
    assert tracker.idle_seconds(1200.0, 610.0) == 10.0  # counted from the call's end
    assert tracker.idle_seconds(2.0, 620.0) == 2.0  # input after the call
    assert tracker.idle_seconds(40.0, 660.0) == 40.0  # the OS counter from now on
    assert tracker.idle_seconds(None, 670.0) is None


def test_call_status_in_the_status_snapshot(desk):
    assert desk.engine.status().call_seconds is None
    desk.start_call()
    desk.rest_for(60)
    assert desk.engine.status().call_seconds == 60
    assert isinstance(desk.clock.now(), datetime)


class UnansweredDesk(CallDesk):
    """A CallDesk whose desktop has not answered the do-not-disturb question yet (None)."""

    def observation(self) -> Observation:
        base = super().observation()
        return Observation(idle_seconds=base.idle_seconds, locked=base.locked, call_since=base.call_since,
                           quiet=lambda: None)


def test_a_call_holds_the_nudge_before_the_desktop_answers(fake_clock):
    desk = UnansweredDesk(fake_clock, Settings(interval_minutes=30, snooze_minutes=10))
    desk.type_for(600)
    desk.start_call()
    desk.rest_for(1200)
    assert desk.of(NudgeHeld) == [NudgeHeld(streak_seconds=1800, reasons=CALL)]


def test_without_a_call_an_unanswered_desktop_decides_nothing(fake_clock):
    desk = UnansweredDesk(fake_clock, Settings(interval_minutes=30, snooze_minutes=10))
    desk.type_for(1900)
    assert desk.nudges() == [] and desk.of(NudgeHeld) == []


# -- an always-on microphone (issue 21, item 7) ----------------------------------------------------------------


def test_an_endless_call_with_nobody_at_the_desk_ends_the_streak_after_the_no_input_limit(fake_clock):
    desk = CallDesk(fake_clock, Settings(interval_minutes=30, snooze_minutes=10, away_reset_minutes=1))
    desk.type_for(60)
    desk.start_call()  # a noise filter opens the microphone and never closes it; the user walks off
    limit = desk.engine._calls.no_input_limit_seconds
    assert limit == 60 + NO_INPUT_MARGIN_SECONDS
    desk.rest_for(limit - 30)
    assert not desk.of(StreakEnded) and desk.engine.status().in_call  # believed up to the limit
    desk.rest_for(60)
    [told] = desk.of(CallNoLongerCounted)
    assert told.without_input and told.call_seconds == pytest.approx(limit, abs=10)
    [ended] = desk.of(StreakEnded)
    assert ended.reason is EndReason.AWAY
    status = desk.engine.status()
    assert status.phase is Phase.AWAY and not status.in_call and status.call_seconds is None
    assert desk.of(NudgeHeld) and not desk.nudges()  # the held nudge went with the streak: nobody is there
    desk.rest_for(4 * 3600)  # the microphone stays open all day: said once, and still away
    assert len(desk.of(CallNoLongerCounted)) == 1 and desk.engine.status().phase is Phase.AWAY
    desk.type_for(60)  # back at the desk: a fresh streak, counted by input alone
    assert desk.engine.status().phase is Phase.SITTING and desk.streak == pytest.approx(60, abs=10)


def test_an_endless_call_stops_holding_the_nudge_after_the_longest_call(desk):
    desk.start_call()  # the microphone is always on, and the user works on with the keyboard
    desk.type_for(LONGEST_CALL_SECONDS - 600)
    assert desk.nudges() == [] and desk.of(NudgeHeld)  # held while it looks like a call
    desk.type_for(1200)
    [told] = desk.of(CallNoLongerCounted)
    assert not told.without_input and told.call_seconds == pytest.approx(LONGEST_CALL_SECONDS, abs=10)
    assert desk.nudges()[0] == pytest.approx(LONGEST_CALL_SECONDS, abs=10)  # the held nudge comes now
    assert not desk.engine.status().in_call
    desk.end_call()  # a call that no longer counted ends: nothing more is said about it
    desk.start_call()  # the next call is believed afresh
    assert desk.engine.status().in_call


def test_the_no_input_limit_follows_the_away_reset_setting(desk):
    desk.engine.apply_settings(Settings(interval_minutes=30, snooze_minutes=10, away_reset_minutes=20))
    assert desk.engine._calls.no_input_limit_seconds == 20 * 60 + NO_INPUT_MARGIN_SECONDS


def test_a_long_meeting_with_some_input_keeps_counting(desk):
    desk.start_call()
    for _ in range(4):  # two hours of talking, a touch of the mouse every half hour
        desk.rest_for(1800)
        desk.type_for(5)
    assert not desk.of(CallNoLongerCounted) and not desk.of(StreakEnded) and desk.engine.status().in_call
