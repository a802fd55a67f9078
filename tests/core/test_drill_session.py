"""DrillSession: the timeline, ticking by the injected clock, pause, skip, early end, stalls."""

from __future__ import annotations

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
    frame_blend,
)
from unsit.core.drills import SWITCH_SIDES_SECONDS, parse_drill


def sided_drill():
    """Left hold 20 s, left reps 4x5 s, then the same on the right: 20+20+5+20+20 = 85 s."""
    return parse_drill(
        {
            "schema_version": 1, "id": "sided", "family": "extension", "name": "Sided",
            "purpose": "p", "safety": "s",
            "frames": {"a": "a.svg", "b": "b.svg"},
            "steps": [
                {"cue": "L hold.", "seconds": 20, "side": "left", "frames": ["a"]},
                {"cue": "L reps.", "reps": 4, "seconds_per_rep": 5, "side": "left", "frames": ["a", "b"]},
                {"cue": "R hold.", "seconds": 20, "side": "right", "frames": ["a"]},
                {"cue": "R reps.", "reps": 4, "seconds_per_rep": 5, "side": "right", "frames": ["a", "b"]},
            ],
        },
        "sided.toml",
    )


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
    assert session.skip_step() == [StepChanged(State.SWITCH_SIDES, 2)]
    assert session.skip_step() == [StepChanged(State.STEP, 2)]
    assert session.skip_step() == [StepChanged(State.STEP, 3)]
    clock.advance(3)
    assert session.skip_step() == [Finished(5.0)]
    assert session.skip_step() == []


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


def test_frames_loop_per_rep_and_hold_still_for_one_frame(session, clock):
    session.start()
    session.skip_step()
    assert session.frames_now() == (0, 0, 0.0)  # one frame: still
    session.skip_step()
    assert session.frames_now() == (0, 1, 0.0)
    clock.advance(2.5)  # half a 5-s rep: frame b starts
    session.tick()
    assert session.frames_now()[0] == 1


def test_frame_blend_holds_then_crossfades():
    assert frame_blend(1, 4, 3) == (0, 0, 0.0)
    assert frame_blend(2, 4, 0.5) == (0, 1, 0.0)  # holding the first 40% of a slot
    index, nxt, blend = frame_blend(2, 4, 1.4)
    assert (index, nxt) == (0, 1) and blend == pytest.approx(0.5)
    assert frame_blend(3, 6, 5.99)[:2] == (2, 0)  # the last frame leads back to the first
    assert frame_blend(2, 4, 8.5) == frame_blend(2, 4, 0.5)  # loops


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
