"""Nudge rules: when nudges come, and what snooze, skip, drills, pauses and work hours do."""

from __future__ import annotations

import pytest

from tests.core.test_engine import Desk
from unsit.core.events import (
    DrillFinished,
    DrillSkipped,
    DrillStarted,
    EndReason,
    NudgeDue,
    NudgeWithdrawn,
    Paused,
    Phase,
    PhaseChanged,
    Resumed,
    Skipped,
    Snoozed,
    StreakEnded,
)
from unsit.core.nudges import NudgeMachine
from unsit.core.settings import Settings


@pytest.fixture
def desk(fake_clock):
    # interval 60, reset 5, snooze 10 minutes; the morning offer (another kind, its own tests) off
    return Desk(fake_clock, Settings(morning_routine=False))


def test_first_nudge_when_the_streak_reaches_the_interval(desk):
    desk.type_for(3595)
    assert desk.nudges() == []
    desk.type_for(5)
    assert desk.of(NudgeDue) == [NudgeDue(streak_seconds=3600, repeat=0)]
    assert desk.phase is Phase.NUDGE_DUE
    assert PhaseChanged(Phase.SITTING, Phase.NUDGE_DUE) in desk.events


def test_an_ignored_nudge_repeats_after_the_snooze_time(desk):
    desk.type_for(3600 + 1800)
    assert desk.of(NudgeDue) == [
        NudgeDue(3600, 0), NudgeDue(4200, 1), NudgeDue(4800, 2), NudgeDue(5400, 3),
    ]
    assert desk.engine.status().next_nudge_in_seconds == pytest.approx(600)


def test_snooze_brings_the_next_nudge_after_snooze_minutes(desk):
    desk.type_for(3650)
    events = desk.call("snooze")
    assert events == [
        NudgeWithdrawn("snoozed"), Snoozed(minutes=10), PhaseChanged(Phase.NUDGE_DUE, Phase.SNOOZED)
    ]
    assert desk.engine.status().next_nudge_in_seconds == pytest.approx(600)
    desk.type_for(1200)
    assert desk.of(NudgeDue) == [NudgeDue(3600, 0), NudgeDue(4250, 0), NudgeDue(4850, 1)]


def test_snooze_with_no_nudge_waiting_changes_nothing(desk):
    desk.type_for(3590)
    before = desk.engine.status()
    assert desk.call("snooze") == []
    assert desk.phase is Phase.SITTING
    assert desk.engine.status().next_nudge_in_seconds == before.next_nudge_in_seconds
    desk.type_for(10)
    assert desk.nudges() == [3600]


def test_snooze_never_brings_a_nudge_forward(fake_clock):
    desk = Desk(fake_clock, Settings(interval_minutes=15, snooze_minutes=10, morning_routine=False))
    desk.type_for(900)
    desk.call("snooze")
    desk.type_for(300)
    desk.call("snooze")  # snoozed again 5 minutes in: still 10 minutes from the first snooze, not sooner
    assert desk.phase is Phase.SNOOZED
    desk.type_for(595)
    assert desk.nudges() == [900]
    desk.type_for(10)
    assert desk.nudges() == [900, 1800]


def test_skip_with_a_short_interval_waits_the_snooze_time_as_the_readme_says(fake_clock):
    desk = Desk(fake_clock, Settings(interval_minutes=1, snooze_minutes=10, morning_routine=False))
    desk.type_for(65)
    assert desk.nudges() == [60]
    desk.call("skip")
    desk.type_for(590)
    assert desk.nudges() == [60]
    desk.type_for(10)
    assert desk.nudges() == [60, 660]


def test_skip_waits_a_full_interval_from_now(desk):
    desk.type_for(3700)
    events = desk.call("skip")
    assert events == [
        NudgeWithdrawn("skipped"), Skipped(), PhaseChanged(Phase.NUDGE_DUE, Phase.SKIPPED)
    ]
    assert desk.engine.status().next_nudge_in_seconds == pytest.approx(3600)
    desk.type_for(3600)
    assert desk.nudges() == [3600, 7300]


def test_skip_before_the_first_nudge_postpones_it(desk):
    desk.type_for(600)
    desk.call("skip")
    desk.type_for(3600)
    assert desk.nudges() == [4200]


def test_a_nudge_waits_until_the_user_is_present(desk):
    desk.type_for(3500)
    desk.rest_for(130)  # reading: at 3600 away 100 s -> not present
    assert desk.nudges() == []
    assert desk.streak == pytest.approx(3630)
    assert desk.engine.status().next_nudge_in_seconds == 0
    desk.type_for(5)
    assert desk.of(NudgeDue) == [NudgeDue(3635, 0)]


def test_a_due_nudge_is_never_delivered_when_the_streak_ends_first(desk):
    desk.type_for(3500)
    desk.rest_for(900)
    assert desk.nudges() == []
    assert desk.of(StreakEnded) == [StreakEnded(3500, EndReason.AWAY)]
    desk.type_for(3600)  # the first tick back starts the new streak at 0
    assert desk.streak == pytest.approx(3595)
    assert desk.nudges() == []
    desk.type_for(5)
    assert desk.nudges() == [3600]


def test_streak_end_withdraws_a_showing_nudge(desk):
    desk.type_for(3600)
    desk.rest_for(300)
    assert desk.events[-3:] == [
        NudgeWithdrawn("away"),
        StreakEnded(3600, EndReason.AWAY),
        PhaseChanged(Phase.NUDGE_DUE, Phase.AWAY),
    ]
    desk.type_for(5)
    assert desk.phase is Phase.SITTING
    assert desk.engine.status().next_nudge_in_seconds == pytest.approx(3600)


def test_locking_withdraws_a_showing_nudge(desk):
    desk.type_for(3600)
    desk.locked = True
    desk.rest_for(300)
    assert NudgeWithdrawn("locked") in desk.events
    assert desk.phase is Phase.AWAY


def test_suspend_withdraws_a_showing_nudge(desk):
    desk.type_for(3600)
    desk.clock.suspend(1800)
    desk.tick()
    assert NudgeWithdrawn("asleep") in desk.events
    assert StreakEnded(3600, EndReason.ASLEEP) in desk.events


def test_drill_ends_the_streak(desk):
    desk.type_for(3620)
    events = desk.call("start_drill", "d")
    assert events == [
        NudgeWithdrawn("drill"), DrillStarted("d"), PhaseChanged(Phase.NUDGE_DUE, Phase.IN_DRILL)
    ]
    assert desk.engine.status().next_nudge_in_seconds is None
    desk.rest_for(120)  # doing the drill; no nudge even though one would repeat
    desk.type_for(600)
    assert desk.nudges() == [3600]
    assert desk.phase is Phase.IN_DRILL
    events = desk.call("finish_drill", "hip-flexor-1", 110.0)
    assert events == [
        DrillFinished("hip-flexor-1", 110.0),
        StreakEnded(3620, EndReason.DRILL),
        PhaseChanged(Phase.IN_DRILL, Phase.SITTING),
    ]
    assert desk.streak == 0
    assert desk.engine.status().next_nudge_in_seconds == pytest.approx(3600)
    desk.type_for(3600)
    assert desk.nudges() == [3600, 3600]


def test_starting_a_drill_twice_is_ignored(desk):
    desk.call("start_drill", "d")
    assert desk.call("start_drill", "d") == []


def test_ending_a_drill_early_counts_as_a_skip(desk):
    desk.type_for(3600)
    desk.call("start_drill", "d")
    desk.type_for(60)
    events = desk.call("end_drill_early", "rotation-2", 40.0)
    assert events == [DrillSkipped("rotation-2", 40.0), PhaseChanged(Phase.IN_DRILL, Phase.SKIPPED)]
    assert desk.engine.status().next_nudge_in_seconds == pytest.approx(3600)
    desk.type_for(3600)
    assert desk.nudges() == [3600, 7260]
    assert desk.of(StreakEnded) == []


def test_pause_holds_nudges_and_the_streak_keeps_counting(desk):
    events = desk.call("pause", None)
    assert events == [Paused(None), PhaseChanged(Phase.SITTING, Phase.PAUSED)]
    desk.type_for(7200)
    assert desk.nudges() == []
    assert desk.streak == pytest.approx(7200)
    assert desk.engine.status().next_nudge_in_seconds is None
    events = desk.call("resume")
    assert events == [Resumed(), PhaseChanged(Phase.PAUSED, Phase.SITTING)]
    assert desk.nudges() == []  # comes with the next tick
    desk.type_for(5)
    assert desk.nudges() == [7205]


def test_pause_withdraws_a_showing_nudge(desk):
    desk.type_for(3600)
    assert desk.call("pause", None)[0] == NudgeWithdrawn("paused")


def test_outside_work_hours_no_nudges(desk):
    desk.type_for(3000)
    events = desk.call("set_work_hours_open", False)
    assert events == [PhaseChanged(Phase.SITTING, Phase.OUTSIDE_WORK_HOURS)]
    desk.type_for(1200)
    assert desk.nudges() == []
    desk.call("set_work_hours_open", True)
    desk.type_for(5)
    assert desk.nudges() == [4205]


@pytest.mark.parametrize("setup", ["start_drill", "pause", "away"])
def test_snooze_and_skip_do_nothing_when_no_cycle_runs(desk, setup):
    desk.type_for(600)
    if setup == "start_drill":
        desk.call("start_drill", "d")
    elif setup == "pause":
        desk.call("pause", None)
    else:
        desk.rest_for(300)
    phase = desk.phase
    assert desk.call("snooze") == []
    assert desk.call("skip") == []
    assert desk.phase is phase


def test_never_two_nudges_inside_one_snooze_window(fake_clock):
    desk = Desk(fake_clock, Settings(interval_minutes=5, snooze_minutes=10))
    desk.type_for(310)
    assert desk.nudges() == [300]
    desk.call("skip")  # another interval would be 610: too close to the last nudge
    desk.type_for(600)
    assert desk.nudges() == [300, 900]
    desk.call("skip")
    desk.call("apply_settings", Settings(interval_minutes=1, snooze_minutes=10))
    desk.type_for(585)
    assert desk.nudges() == [300, 900]
    desk.type_for(5)
    assert desk.nudges() == [300, 900, 1500]


def test_repeat_counts_ignored_nudges_only(desk):
    desk.type_for(4200)
    desk.call("snooze")
    desk.type_for(1200)
    assert [e.repeat for e in desk.of(NudgeDue)] == [0, 1, 0, 1]


def test_machine_phase_priority():
    machine = NudgeMachine(3600, 600)
    assert machine.phase(streak_active=False) is Phase.AWAY
    machine.set_outside_work_hours(True)
    assert machine.phase(False) is Phase.OUTSIDE_WORK_HOURS
    machine.pause(None)
    assert machine.phase(True) is Phase.PAUSED
    machine.start_drill()
    assert machine.phase(True) is Phase.IN_DRILL
    assert machine.evaluate(99999, True, True) == []


def test_machine_due_times_follow_its_settings():
    machine = NudgeMachine(3600, 600)
    assert machine.due_at_seconds() == 3600
    assert machine.evaluate(3600, streak_active=True, present=False) == []
    assert machine.evaluate(3600, streak_active=True, present=True) == [NudgeDue(3600, 0)]
    machine.snooze_seconds = 300
    assert machine.due_at_seconds() == 3900
    machine.streak_ended(EndReason.AWAY)
    assert machine.cycle is Phase.SITTING
    assert machine.due_at_seconds() == 3600


@pytest.mark.parametrize("hold, release", [
    (("pause", None), ("resume",)),
    (("set_work_hours_open", False), ("set_work_hours_open", True)),
])
def test_a_withdrawn_nudge_does_not_come_back_inside_the_snooze_window(desk, hold, release):
    desk.type_for(3610)
    assert NudgeWithdrawn in [type(e) for e in desk.call(*hold)]
    desk.type_for(10)
    desk.call(*release)
    assert desk.phase is Phase.SITTING
    assert desk.engine.status().next_nudge_in_seconds == pytest.approx(580)
    desk.type_for(575)
    assert desk.nudges() == [3600]
    desk.type_for(5)
    assert desk.nudges() == [3600, 4200]
