"""The core decides held / shown / dropped nudges, wall-clock moments and Unsit's 04:00 day."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tests.core.test_engine import Desk
from unsit.core.days import next_day_start, pause_until, unsit_day
from unsit.core.engine import Observation
from unsit.core.events import (
    DayStarted,
    EndReason,
    NudgeDropped,
    NudgeDue,
    NudgeHeld,
    NudgeWithdrawn,
    Phase,
    QuietReason,
    WallMoment,
    WithdrawReason,
)
from unsit.core.settings import Settings

FULL = frozenset({QuietReason.FULL_SCREEN})


class QuietDesk(Desk):
    """A Desk whose observations carry a quiet set, counting how often the desktop is asked."""

    def __init__(self, clock, settings: Settings | None = None):
        super().__init__(clock, settings)
        self.quiet: frozenset[QuietReason] = frozenset()
        self.asked = 0

    def _ask(self) -> frozenset[QuietReason]:
        self.asked += 1
        return self.quiet

    def observation(self) -> Observation:
        base = super().observation()
        return Observation(idle_seconds=base.idle_seconds, locked=base.locked, quiet=self._ask)


@pytest.fixture
def desk(fake_clock):
    # The hourly nudge alone; the morning offer asks about quiet too (tests/core/test_morning_offer.py).
    return QuietDesk(fake_clock, Settings(interval_minutes=30, snooze_minutes=10, morning_routine=False))


def test_the_desktop_is_asked_about_quiet_only_when_a_nudge_is_due(desk):
    desk.type_for(1795)
    assert desk.asked == 0
    desk.type_for(5)
    assert desk.asked == 1 and desk.nudges() == [1800]


def test_a_due_nudge_while_quiet_is_held_once_then_shown_when_quiet_ends(desk):
    desk.quiet = FULL
    desk.type_for(1800)
    assert desk.of(NudgeHeld) == [NudgeHeld(streak_seconds=1800, reasons=FULL)]
    assert desk.nudges() == []
    desk.type_for(600)  # still quiet: no second NudgeHeld, no ignored repeats counted
    assert len(desk.of(NudgeHeld)) == 1 and desk.nudges() == []
    status = desk.engine.status()
    assert status.holding_nudge and status.held_because == FULL and status.nudge_pending
    assert status.phase is Phase.SITTING  # nothing on screen
    desk.quiet = frozenset()
    desk.type_for(5)
    assert [(e.streak_seconds, e.repeat) for e in desk.of(NudgeDue)] == [(2405, 0)]
    assert not desk.engine.status().holding_nudge
    assert desk.phase is Phase.NUDGE_DUE


def test_a_held_nudge_is_dropped_when_the_streak_ends(desk):
    desk.quiet = FULL
    desk.type_for(1800)
    desk.rest_for(300)  # away: the streak ends while quiet
    assert NudgeDropped(WithdrawReason.AWAY) in desk.events
    assert not desk.of(NudgeWithdrawn)  # nothing was on screen
    desk.quiet = frozenset()
    desk.type_for(5)
    assert desk.nudges() == []  # the held nudge is gone with its streak
    assert not desk.engine.status().nudge_pending


def test_a_held_nudge_is_dropped_by_a_pause_and_not_shown_after_it(desk):
    desk.quiet = FULL
    desk.type_for(1800)
    events = desk.call("pause", None)
    assert NudgeDropped(WithdrawReason.PAUSED) in events
    assert not desk.engine.status().holding_nudge


def test_withdraw_reasons_are_an_enum_equal_to_their_old_strings():
    assert WithdrawReason.streak_ended(EndReason.LOCKED) is WithdrawReason.LOCKED
    assert NudgeWithdrawn(WithdrawReason.SNOOZED) == NudgeWithdrawn("snoozed")


def test_nudge_pending_is_one_rule(desk):
    assert not desk.engine.status().nudge_pending
    desk.type_for(1800)
    assert desk.engine.status().nudge_pending  # shown
    desk.call("snooze")
    assert desk.engine.status().nudge_pending  # snoozed: it comes back
    desk.call("skip")
    assert not desk.engine.status().nudge_pending
    desk.call("pause", None)
    assert not desk.engine.status().nudge_pending


def test_drill_started_carries_its_drill_id(desk):
    desk.type_for(60)
    assert next(type(e).__name__ for e in desk.call("start_drill", "rotation-2")) == "DrillStarted"
    assert desk.events[-2].drill_id == "rotation-2"


def test_a_wall_clock_jump_wakes_the_pause_end_through_the_core(desk):
    until = desk.clock.now() + timedelta(hours=1)
    desk.call("pause", until)
    desk.clock.jump_wall(-3600)  # set back: the pause must not end
    assert desk.call("wall_moment", WallMoment.CLOCK_CHANGED) == []
    desk.clock.jump_wall(2 * 3600 + 1)  # set forward past the end
    events = desk.call("wall_moment", WallMoment.CLOCK_CHANGED)
    assert desk.phase is not Phase.PAUSED and events


def test_a_length_pause_ignores_pause_end_moments(desk):
    desk.call("pause_for", 600)
    desk.clock.jump_wall(3600)
    desk.call("wall_moment", WallMoment.PAUSE_END)
    desk.call("wall_moment", WallMoment.CLOCK_CHANGED)
    assert desk.phase is Phase.PAUSED  # only its real-time deadline ends it


def test_day_start_reports_unsit_day(fake_clock):
    desk = Desk(fake_clock)
    fake_clock.advance(20 * 3600)  # Monday 08:00 -> Tuesday 04:00
    assert desk.call("wall_moment", WallMoment.DAY_START) == [DayStarted(day=fake_clock.now().date())]


@pytest.mark.parametrize(("hour", "minute", "day_offset"), [(3, 59, -1), (4, 0, 0), (23, 59, 0), (0, 30, -1)])
def test_unsit_day_turns_at_four(hour, minute, day_offset):
    now = datetime(2026, 11, 24, hour, minute, tzinfo=timezone.utc)
    assert unsit_day(now) == now.date() + timedelta(days=day_offset)


def test_until_tomorrow_is_the_next_day_start():
    evening = datetime(2026, 11, 24, 22, 0, tzinfo=timezone.utc)
    night = datetime(2026, 11, 25, 2, 0, tzinfo=timezone.utc)
    four = datetime(2026, 11, 25, 4, 0, tzinfo=timezone.utc)
    assert next_day_start(evening) == four
    assert pause_until(night, {"until": "tomorrow"}) == four  # 02:00 still belongs to the 24th
    assert pause_until(four, {"until": "tomorrow"}) == four + timedelta(days=1)
    assert pause_until(evening, {"minutes": 30}) == evening + timedelta(minutes=30)
    assert pause_until(evening, {"until": "indefinitely"}) is None
    with pytest.raises(ValueError):
        pause_until(evening, {"until": "never"})


def test_a_held_nudge_is_dropped_when_a_raised_interval_makes_it_not_due(desk):
    desk.quiet = FULL
    desk.type_for(1800)
    assert desk.engine.status().holding_nudge
    events = desk.call("apply_settings", Settings(interval_minutes=45, snooze_minutes=10))
    assert NudgeDropped(WithdrawReason.SETTINGS_CHANGED) in events
    status = desk.engine.status()
    assert not status.holding_nudge and not status.nudge_pending
    desk.quiet = frozenset()
    desk.type_for(600)  # 40 min: quiet ended, but under the new interval nothing is due yet
    assert desk.nudges() == []
    desk.type_for(300)
    assert desk.nudges() == [2700]


def test_a_held_nudge_stays_held_when_the_new_interval_is_still_reached(desk):
    desk.quiet = FULL
    desk.type_for(2400)  # held at 30 min, still quiet at 40
    events = desk.call("apply_settings", Settings(interval_minutes=35, snooze_minutes=10))
    assert not [e for e in events if isinstance(e, NudgeDropped)]
    assert desk.engine.status().holding_nudge
    desk.quiet = frozenset()
    desk.type_for(5)
    assert desk.nudges() == [2405]


def test_a_held_nudge_comes_due_again_under_the_raised_interval_while_still_quiet(desk):
    desk.quiet = FULL
    desk.type_for(1800)
    desk.call("apply_settings", Settings(interval_minutes=45, snooze_minutes=10))
    desk.type_for(900)  # 45 min, still quiet: held again, under the new interval
    assert [e.streak_seconds for e in desk.of(NudgeHeld)] == [1800, 2700]
    assert desk.engine.status().holding_nudge and desk.nudges() == []


def test_a_due_nudge_waits_for_a_quiet_answer_not_yet_known(desk):
    answers: list[frozenset[QuietReason] | None] = [None]
    desk._ask = lambda: answers[-1]  # type: ignore[method-assign]
    desk.type_for(1800)
    assert desk.nudges() == [] and not desk.of(NudgeHeld)  # nothing decided without the answer
    assert not desk.engine.status().holding_nudge
    answers.append(FULL)
    desk.tick()
    assert [e.streak_seconds for e in desk.of(NudgeHeld)] == [1800]
    answers.append(frozenset())
    desk.tick()
    assert desk.nudges() == [1800]
