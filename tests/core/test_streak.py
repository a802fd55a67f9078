"""StreakTracker: continuous sitting from clock readings and idle observations."""

from __future__ import annotations

from typing import Literal

import pytest

from unsit.core.events import EndReason
from unsit.core.streak import PRESENT_IDLE_SECONDS, StreakTracker, StreakUpdate

RESET = 300.0  # 5 minutes


class Desk:
    """A user at a FakeClock-driven computer, seen through an idle counter.

    ``idle_through_sleep`` picks how the OS idle counter behaves across a suspend:
    counting on (like boottime) or standing still (like monotonic).
    """

    def __init__(self, clock, idle_through_sleep: bool = True):
        self.clock = clock
        self.tracker = StreakTracker(RESET, clock.monotonic(), clock.boottime())
        self.idle_through_sleep = idle_through_sleep
        self.last_input = self._now()
        self.locked = False
        self.updates: list[StreakUpdate] = []

    def _now(self) -> float:
        return self.clock.boottime() if self.idle_through_sleep else self.clock.monotonic()

    def idle(self) -> float:
        return self._now() - self.last_input

    def tick(self, idle: float | Literal["auto"] | None = "auto") -> StreakUpdate:
        value = self.idle() if isinstance(idle, str) else idle
        update = self.tracker.observe(
            self.clock.monotonic(), self.clock.boottime(), value, self.locked
        )
        self.updates.append(update)
        return update

    def type_for(self, seconds: float, step: float = 5.0) -> None:
        for _ in range(int(seconds / step)):
            self.clock.advance(step)
            self.last_input = self._now()
            self.tick()

    def rest_for(self, seconds: float, step: float = 5.0) -> None:
        for _ in range(int(seconds / step)):
            self.clock.advance(step)
            self.tick()

    def ended(self):
        return [(u.ended, u.ended_streak_seconds) for u in self.updates if u.ended]


@pytest.fixture
def desk(fake_clock):
    return Desk(fake_clock)


def test_streak_grows_with_awake_time_while_typing(desk):
    desk.type_for(600)
    assert desk.tracker.streak_seconds == pytest.approx(600)
    assert desk.tracker.active and desk.tracker.present
    assert desk.tracker.away_seconds == pytest.approx(0)


def test_short_pause_counts_as_sitting(desk):
    desk.type_for(600)
    desk.rest_for(170)  # reading
    assert desk.tracker.streak_seconds == pytest.approx(770)
    assert not desk.tracker.present  # more than a minute without input
    desk.type_for(30)
    assert desk.tracker.streak_seconds == pytest.approx(800)
    assert desk.tracker.present
    assert desk.ended() == []


def test_away_for_the_reset_ends_the_streak_at_the_last_input(desk):
    desk.type_for(600)
    desk.rest_for(295)
    assert desk.tracker.active
    assert desk.tracker.streak_seconds == pytest.approx(895)
    desk.rest_for(5)  # away run reaches exactly 300 s
    assert not desk.tracker.active
    assert desk.tracker.streak_seconds == 0
    assert desk.ended() == [(EndReason.AWAY, pytest.approx(600))]
    desk.rest_for(600)
    assert desk.tracker.streak_seconds == 0
    assert desk.tracker.away_seconds == pytest.approx(900)
    assert len(desk.ended()) == 1


def test_new_streak_starts_from_the_input_that_brings_the_user_back(desk):
    desk.type_for(600)
    desk.rest_for(900)
    desk.clock.advance(2)
    desk.last_input = desk._now()
    desk.clock.advance(3)
    update = desk.tick()
    assert update.started
    assert desk.tracker.active
    assert desk.tracker.streak_seconds == pytest.approx(3)  # time since the input counts
    desk.type_for(60)
    assert desk.tracker.streak_seconds == pytest.approx(63)


def test_lock_ends_the_streak_and_input_on_the_lock_screen_does_not_count(desk):
    desk.type_for(600)
    desk.locked = True
    for _ in range(60):  # 5 minutes, someone jiggling the mouse on the lock screen
        desk.clock.advance(5)
        desk.last_input = desk._now()
        desk.tick()
    assert desk.ended() == [(EndReason.LOCKED, pytest.approx(600))]
    assert desk.tracker.away_seconds == pytest.approx(300)
    desk.locked = False
    desk.type_for(5)
    assert desk.tracker.active
    assert desk.tracker.streak_seconds == pytest.approx(0)  # input came exactly at the tick
    desk.type_for(10)
    assert desk.tracker.streak_seconds == pytest.approx(10)


def test_short_lock_counts_as_sitting(desk):
    desk.type_for(600)
    desk.locked = True
    desk.rest_for(120)
    desk.locked = False
    desk.type_for(60)
    assert desk.ended() == []
    assert desk.tracker.streak_seconds == pytest.approx(780)


@pytest.mark.parametrize("idle_through_sleep", [True, False])
def test_long_suspend_ends_the_streak_and_never_counts(fake_clock, idle_through_sleep):
    desk = Desk(fake_clock, idle_through_sleep)
    desk.type_for(600)
    desk.clock.suspend(1200)
    desk.clock.advance(5)
    desk.last_input = desk._now()  # the key that woke the laptop
    desk.tick()
    assert desk.ended() == [(EndReason.ASLEEP, pytest.approx(600))]
    assert desk.tracker.streak_seconds == pytest.approx(0)
    desk.type_for(60)
    assert desk.tracker.streak_seconds == pytest.approx(60)


@pytest.mark.parametrize("idle_through_sleep", [True, False])
def test_short_suspend_keeps_the_streak_but_adds_nothing(fake_clock, idle_through_sleep):
    desk = Desk(fake_clock, idle_through_sleep)
    desk.type_for(600)
    desk.clock.suspend(120)
    desk.tick()
    assert desk.tracker.streak_seconds == pytest.approx(600)
    assert desk.tracker.away_seconds == pytest.approx(120)
    desk.type_for(30)
    assert desk.ended() == []
    assert desk.tracker.streak_seconds == pytest.approx(630)


@pytest.mark.parametrize("idle_through_sleep", [True, False])
def test_idle_then_suspend_combine_into_one_away_run(fake_clock, idle_through_sleep):
    desk = Desk(fake_clock, idle_through_sleep)
    desk.type_for(600)
    desk.rest_for(180)
    assert desk.tracker.active
    desk.clock.suspend(180)
    desk.tick()  # resumed; nobody has touched anything yet
    assert desk.ended() == [(EndReason.ASLEEP, pytest.approx(600))]
    assert desk.tracker.away_seconds == pytest.approx(360)
    assert not desk.tracker.active


def test_idle_counter_standing_still_in_sleep_is_not_mistaken_for_input(fake_clock):
    desk = Desk(fake_clock, idle_through_sleep=False)
    desk.type_for(600)
    desk.rest_for(60)
    desk.clock.suspend(3600)
    desk.clock.advance(5)
    update = desk.tick()  # OS says idle 65 s; nobody came back
    assert not update.started
    assert not desk.tracker.active
    desk.rest_for(60)
    assert not desk.tracker.active


def test_a_stalled_tick_judges_the_away_run_before_the_input(desk):
    desk.type_for(600)
    desk.clock.advance(600)  # the event loop stalled for 10 minutes
    desk.last_input = desk._now() - 20  # input came back 20 s ago
    update = desk.tick()
    assert update.ended is EndReason.AWAY
    assert update.ended_streak_seconds == pytest.approx(600)
    assert update.started
    assert desk.tracker.streak_seconds == pytest.approx(20)


def test_a_stalled_tick_with_a_short_gap_keeps_counting(desk):
    desk.type_for(600)
    desk.clock.advance(240)
    desk.last_input = desk._now() - 60  # away 180 s, then back for a minute
    desk.tick()
    assert desk.ended() == []
    assert desk.tracker.streak_seconds == pytest.approx(840)
    assert desk.tracker.away_seconds == pytest.approx(60)


def test_no_idle_detector_counts_unlocked_awake_time(desk):
    for _ in range(120):
        desk.clock.advance(5)
        desk.tick(idle=None)
    assert desk.tracker.streak_seconds == pytest.approx(600)
    assert desk.tracker.present
    desk.locked = True
    for _ in range(60):
        desk.clock.advance(5)
        desk.tick(idle=None)
    assert desk.ended() == [(EndReason.LOCKED, pytest.approx(600))]
    desk.locked = False
    desk.clock.advance(5)
    assert desk.tick(idle=None).started
    desk.clock.advance(5)
    desk.tick(idle=None)
    assert desk.tracker.streak_seconds == pytest.approx(5)


def test_no_idle_detector_still_sees_a_long_suspend(desk):
    desk.clock.advance(600)
    desk.tick(idle=None)
    desk.clock.suspend(600)
    update = desk.tick(idle=None)
    assert update.ended is EndReason.ASLEEP
    assert update.started  # treated as present again at once
    assert desk.tracker.streak_seconds == 0


def test_no_idle_detector_survives_a_stall(desk):
    desk.clock.advance(900)  # stall longer than the reset
    desk.tick(idle=None)
    assert desk.ended() == []
    assert desk.tracker.streak_seconds == pytest.approx(900)


def test_first_observation_of_a_long_idle_user_ends_the_empty_streak(fake_clock):
    tracker = StreakTracker(RESET, fake_clock.monotonic(), fake_clock.boottime())
    fake_clock.advance(5)
    update = tracker.observe(fake_clock.monotonic(), fake_clock.boottime(), 1200.0, False)
    assert update.ended is EndReason.AWAY
    assert update.ended_streak_seconds == 0
    assert not tracker.active
    assert tracker.away_seconds == pytest.approx(1200)


def test_restart_begins_a_fresh_present_streak(desk):
    desk.type_for(600)
    desk.rest_for(100)
    desk.tracker.restart(desk.clock.monotonic(), desk.clock.boottime())
    assert desk.tracker.streak_seconds == 0
    assert desk.tracker.away_seconds == 0
    assert desk.tracker.active and desk.tracker.present
    desk.type_for(30)
    assert desk.tracker.streak_seconds == pytest.approx(30)


def test_changing_the_reset_applies_on_the_next_observation(desk):
    desk.type_for(600)
    desk.rest_for(200)
    desk.tracker.away_reset_seconds = 120
    desk.rest_for(5)
    assert desk.ended() == [(EndReason.AWAY, pytest.approx(600))]


def test_present_means_input_within_a_minute(desk):
    desk.type_for(60)
    desk.rest_for(PRESENT_IDLE_SECONDS - 5)
    assert desk.tracker.present
    desk.rest_for(5)
    assert not desk.tracker.present


def test_idle_jitter_below_the_tolerance_is_not_input(desk):
    desk.type_for(60)
    desk.rest_for(100)
    desk.clock.advance(5)
    desk.tick(idle=desk.idle() - 0.5)  # the OS counter lags a little
    desk.rest_for(195)
    assert desk.ended() == [(EndReason.AWAY, pytest.approx(60))]


def test_backwards_clock_readings_add_nothing(desk):
    desk.type_for(60)
    update = desk.tracker.observe(desk.clock.monotonic() - 10, desk.clock.boottime() - 10, 0.0, False)
    assert update.ended is None
    assert desk.tracker.streak_seconds == pytest.approx(60)


def test_a_stall_with_input_then_a_long_absence_ends_the_streak(desk):
    desk.type_for(600)
    desk.clock.advance(500)
    desk.last_input = desk._now() - 350  # back after 150 s, then gone for 350 s
    update = desk.tick()
    assert update.ended is EndReason.AWAY
    assert update.ended_streak_seconds == pytest.approx(750)  # sitting up to that input
    assert not desk.tracker.active
    assert desk.tracker.streak_seconds == 0


def test_a_stall_ending_twice_reports_the_real_streak(desk):
    desk.type_for(600)
    desk.clock.advance(900)
    desk.last_input = desk._now() - 400  # away 500 s, one input, away 400 s
    update = desk.tick()
    assert (update.ended, update.ended_streak_seconds) == (EndReason.AWAY, pytest.approx(600))
    assert update.started
    assert not desk.tracker.active
