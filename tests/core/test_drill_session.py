"""DrillSession: the timeline, ticking by the injected clock, pause, skip, early end, stalls."""

from __future__ import annotations

from dataclasses import astuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fakes import FakeClock
from unsit.core.drill_session import (
    GET_READY_SECONDS,
    DrillSession,
    EndedEarly,
    Finished,
    State,
    StepChanged,
    format_mm_ss,
)
from unsit.core.drills import SWITCH_SIDES_SECONDS, parse_drill
from unsit.core.motion import ease_in_out
from unsit.core.pose import lerp_pose
from unsit.core.pose_library import LIBRARY


def sided_drill():
    """Left hold 20 s, left reps 4x5 s, then the same on the right: 20+20+5+20+20 = 85 s."""
    return parse_drill(
        {
            "schema_version": 2, "id": "sided", "family": "extension", "name": "Sided",
            "purpose": "p", "safety": "s",
            "steps": [
                {"cue": "L hold.", "seconds": 20, "side": "left", "poses": ["stand"]},
                {"cue": "L reps.", "reps": 4, "phase_seconds": [2, 3], "side": "left", "poses": ["stand", "leg-back"]},
                {"cue": "R hold.", "seconds": 20, "side": "right", "poses": ["stand", "split-stance"]},
                {"cue": "R reps.", "reps": 4, "phase_seconds": [2, 3], "side": "right", "poses": ["stand", "leg-back"]},
            ],
        },
        "sided.toml",
    )


def close(a, b) -> bool:
    """Two poses equal to within rounding."""
    return astuple(a) == pytest.approx(astuple(b))


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def session(clock):
    return DrillSession(sided_drill(), clock)


def test_timeline_has_get_ready_steps_and_one_switch_pause(session):
    layout = [(p.state, p.step_index, p.duration_seconds) for p in session.timeline]
    assert layout == [
        (State.GET_READY, 0, GET_READY_SECONDS),
        (State.STEP, 0, 20), (State.STEP, 1, 20),
        (State.SWITCH_SIDES, 2, SWITCH_SIDES_SECONDS),
        (State.STEP, 2, 20), (State.STEP, 3, 20),
    ]
    assert session.total_seconds == 3 + 85
    assert session.state is State.READY


def test_full_sequence_with_events_and_readings(session, clock):
    assert session.start() == [StepChanged(State.GET_READY, 0)]
    assert session.side == "left" and session.remaining_seconds == 3
    clock.advance(1.5)
    assert session.tick() == []
    assert session.step_fraction == pytest.approx(0.5)
    clock.advance(1.5)
    assert session.tick() == [StepChanged(State.STEP, 0)]
    assert (session.step_index, session.step_count, session.side) == (0, 4, "left")
    clock.advance(5)
    session.tick()
    assert session.remaining_seconds == pytest.approx(15)
    assert session.step_fraction == pytest.approx(0.25)
    clock.advance(15)
    assert session.tick() == [StepChanged(State.STEP, 1)]
    clock.advance(7)
    session.tick()
    assert session.rep == (2, 4)
    clock.advance(13)
    assert session.tick() == [StepChanged(State.SWITCH_SIDES, 2)]
    assert session.state is State.SWITCH_SIDES and session.side == "right"
    clock.advance(5)
    assert session.tick() == [StepChanged(State.STEP, 2)]
    assert session.side == "right"
    clock.advance(20)
    assert session.tick() == [StepChanged(State.STEP, 3)]
    clock.advance(19.9)
    assert session.tick() == []
    clock.advance(0.1)
    assert session.tick() == [Finished(88.0)]
    assert session.state is State.FINISHED and session.done
    assert session.remaining_seconds == 0 and session.step_fraction == 1
    clock.advance(100)
    assert session.tick() == []


def test_a_long_stall_jumps_across_every_phase_in_order(session, clock):
    session.start()
    clock.advance(26)  # the event loop was frozen for 26 s: into the second step
    assert session.tick() == [StepChanged(State.STEP, 0), StepChanged(State.STEP, 1)]
    assert session.remaining_seconds == pytest.approx(17)
    clock.advance(10_000)
    events = session.tick()
    assert events == [
        StepChanged(State.SWITCH_SIDES, 2), StepChanged(State.STEP, 2), StepChanged(State.STEP, 3), Finished(88.0),
    ]


def test_pause_freezes_the_countdown_and_resume_continues(session, clock):
    session.start()
    clock.advance(8)
    session.tick()
    session.pause()
    assert session.state is State.PAUSED and session.phase_state is State.STEP
    remaining = session.remaining_seconds
    clock.advance(600)
    assert session.tick() == []
    assert session.remaining_seconds == remaining
    session.resume()
    assert session.state is State.STEP
    clock.advance(2)
    session.tick()
    assert session.remaining_seconds == pytest.approx(remaining - 2)
    clock.advance(1000)
    assert session.tick()[-1] == Finished(88.0)  # paused time is not counted


def test_suspended_machine_does_not_move_the_drill(session, clock):
    session.start()
    clock.advance(4)
    session.tick()
    clock.suspend(3600)
    clock.jump_wall(-7200)
    assert session.tick() == []
    assert session.remaining_seconds == pytest.approx(19)


def test_skip_moves_to_the_next_phase_and_skipped_time_is_not_counted(session, clock):
    session.start()
    assert session.skip_step() == [StepChanged(State.STEP, 0)]
    clock.advance(2)
    assert session.skip_step() == [StepChanged(State.STEP, 1)]
    clock.advance(20)
    session.tick()  # the left reps ran out by themselves: 22 s really spent
    assert session.skip_step() == [StepChanged(State.STEP, 2)]
    clock.advance(20)
    session.tick()
    assert session.step_index == 3
    clock.advance(3)
    assert session.skip_step() == [Finished(45.0)]
    assert session.skip_step() == []


def test_skipping_through_without_doing_half_is_not_a_drill_done(session, clock):
    """A drill must take real time to count: 5 s of an 80-s drill ends it early."""
    session.start()
    session.skip_step()
    clock.advance(2)
    session.skip_step()
    session.skip_step()
    session.skip_step()
    clock.advance(3)
    events = []
    while not session.done:
        events += session.skip_step()
    assert events[-1] == EndedEarly(5.0)
    assert session.state is State.ENDED_EARLY and not any(isinstance(e, Finished) for e in events)


def test_skip_while_paused_stays_paused_on_the_next_step(session, clock):
    session.start()
    session.skip_step()
    session.pause()
    assert session.skip_step() == [StepChanged(State.STEP, 1)]
    assert session.state is State.PAUSED and session.step_index == 1


def test_end_early_reports_active_time_once(session, clock):
    assert session.end_early() == []  # not started: nothing to end
    session.start()
    clock.advance(10)
    session.tick()
    session.pause()
    clock.advance(50)
    assert session.end_early() == [EndedEarly(10.0)]
    assert session.state is State.ENDED_EARLY
    assert session.end_early() == [] and session.tick() == [] and session.skip_step() == []
    session.resume()
    assert session.state is State.ENDED_EARLY


def test_end_early_after_the_last_step_ran_out_is_a_finish(session, clock):
    session.start()
    clock.advance(500)
    assert session.end_early() == [Finished(88.0)]


def test_length_scales_the_steps_but_not_the_pauses(clock):
    short = DrillSession(sided_drill(), clock, "short")
    assert [p.duration_seconds for p in short.timeline] == [3, 10, 10, 5, 10, 10]
    long = DrillSession(sided_drill(), clock, "long")
    assert long.total_seconds == 3 + 30 + 30 + 5 + 30 + 30
    with pytest.raises(ValueError):
        DrillSession(sided_drill(), clock, "huge")


def test_figure_stands_still_in_get_ready_and_in_a_one_pose_hold(session, clock):
    assert session.figure_now().pose == LIBRARY["stand"]
    session.start()
    clock.advance(1)
    assert session.figure_now() == session.figure_now() and not session.figure_now().moving
    session.skip_step()
    clock.advance(10)
    assert session.figure_now().pose == LIBRARY["stand"] and not session.figure_now().moving


def test_reps_move_in_step_with_the_count_between_ticks(session, clock):
    session.start()
    clock.advance(3 + 20)
    session.tick()  # rep 1 of the left reps begins: lift for 2 s, lower for 3 s
    assert session.rep == (1, 4)
    assert session.figure_now().pose == LIBRARY["stand"]
    clock.advance(1)  # no tick: the figure still follows the clock
    frame = session.figure_now()
    assert frame.moving and close(frame.pose, lerp_pose(LIBRARY["stand"], LIBRARY["leg-back"], ease_in_out(0.5)))
    clock.advance(1)
    assert session.figure_now().pose == LIBRARY["leg-back"]
    clock.advance(1.5)  # half way down
    assert close(session.figure_now().pose, lerp_pose(LIBRARY["leg-back"], LIBRARY["stand"], 0.5))
    clock.advance(1.5)
    session.tick()
    assert session.rep == (2, 4) and session.figure_now().pose == LIBRARY["stand"]


def test_pause_freezes_the_figure_and_resume_carries_on(session, clock):
    session.start()
    clock.advance(3 + 20 + 1)
    session.pause()
    frozen = session.figure_now()
    assert not frozen.moving
    clock.advance(100)
    assert session.figure_now() == frozen
    session.resume()
    assert session.figure_now().pose == frozen.pose and session.figure_now().moving
    clock.advance(1)
    assert session.figure_now().pose == LIBRARY["leg-back"]


def test_a_hold_moves_through_its_poses_then_holds_the_last(session, clock):
    session.start()
    clock.advance(3 + 20 + 20 + SWITCH_SIDES_SECONDS)
    session.tick()
    assert session.side == "right" and session.figure_now().pose == LIBRARY["stand"]
    clock.advance(1)
    assert session.figure_now().moving
    clock.advance(1)
    assert session.figure_now().pose == LIBRARY["split-stance"]
    clock.advance(15)
    assert session.figure_now() == session.figure_now() and not session.figure_now().moving


def test_the_finished_figure_stands_in_the_last_steps_first_pose(session, clock):
    session.start()
    clock.advance(500)
    session.tick()
    assert session.state is State.FINISHED
    assert session.figure_now().pose == LIBRARY["stand"] and not session.figure_now().moving


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["tick", "pause", "resume", "skip"]), st.floats(0, 40)), max_size=30))
def test_any_sequence_keeps_invariants(actions):
    clock = FakeClock()
    s = DrillSession(sided_drill(), clock)
    s.start()
    finished = 0
    for action, seconds in actions:
        clock.advance(seconds)
        events = {"tick": s.tick, "skip": s.skip_step, "pause": s.pause}.get(action, list)()
        if action == "resume":
            s.resume()
        finished += sum(isinstance(e, Finished) for e in events)
        assert 0 <= s.step_fraction <= 1
        assert 0 <= s.remaining_seconds <= s.phase.duration_seconds
        assert 0 <= s.active_seconds <= s.total_seconds + 1e-9
    assert finished <= 1
    assert (s.state is State.FINISHED) == (finished == 1)


@pytest.mark.parametrize(("seconds", "text"),
                         [(0, "0:00"), (0.2, "0:01"), (59.0, "0:59"), (59.5, "1:00"), (125, "2:05")])
def test_format_mm_ss_rounds_up(seconds, text):
    assert format_mm_ss(seconds) == text
