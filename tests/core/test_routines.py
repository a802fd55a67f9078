"""Routines: parsing and fitting drills to lengths, and playing one on the fake clock."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fakes import FakeClock
from unsit.core.drill_session import GET_READY_SECONDS, EndedEarly, Finished, State, StepChanged
from unsit.core.drills import Drill, parse_drill
from unsit.core.routine_session import DrillChanged, RoutineSession
from unsit.core.routines import (
    Routine,
    RoutineError,
    fit_range_seconds,
    parse_routine,
    routine_id_of,
    routine_session_id,
)


def drill(drill_id: str, family: str = "hinge", hold_seconds: int = 20, sided: bool = False) -> Drill:
    if sided:
        steps: list[dict[str, Any]] = [
            {"cue": "Left.", "seconds": hold_seconds, "side": "left", "poses": ["stand"]},
            {"cue": "Right.", "seconds": hold_seconds, "side": "right", "poses": ["stand"]},
        ]
    else:
        steps = [{"cue": "Hold.", "seconds": hold_seconds, "poses": ["stand"]},
                 {"cue": "Again.", "seconds": hold_seconds, "poses": ["stand"]}]
    return parse_drill({"schema_version": 2, "id": drill_id, "family": family, "name": drill_id.title(),
                        "purpose": "Testing.", "safety": "Stop if it hurts.", "steps": steps}, f"{drill_id}.toml")


DRILLS = {d.id: d for d in (drill("a", "hinge"), drill("b", "rotation", sided=True), drill("c", "stability"),
                             drill("d", "extension", hold_seconds=100))}


def routine(*steps: dict[str, Any], **top: Any) -> Routine:
    data: dict[str, Any] = {"schema_version": 1, "id": "r", "name": "R", "purpose": "P.",
                            "steps": list(steps) or [{"drill": "a"}]}
    data.update(top)
    return parse_routine(data, "r.toml", DRILLS)


def error(**kwargs: Any) -> RoutineError:
    with pytest.raises(RoutineError) as caught:
        routine(*kwargs.pop("steps", ()), **kwargs)
    return caught.value


def test_a_step_without_seconds_is_the_drill_as_written():
    r = routine({"drill": "a"}, {"drill": "b"})
    assert [s.scale for s in r.steps] == [1.0, 1.0]
    assert r.total_seconds() == 40 + (40 + 5) + 2 * GET_READY_SECONDS
    assert r.session_id == "routine:r" and r.notes == ""


def test_seconds_fit_the_steps_and_leave_the_switch_pause_alone():
    r = routine({"drill": "b", "seconds": 65})  # 40 s of holds + 5 s switch: holds stretched to 60
    assert r.steps[0].scale == pytest.approx(1.5)
    assert r.steps[0].seconds == 65
    assert fit_range_seconds(DRILLS["b"]) == (25.0, 65.0)


@pytest.mark.parametrize(("kwargs", "field", "words"), [
    ({"steps": [{"drill": "zz"}]}, "steps[1].drill", "'zz' is not a known drill; use one of a, b, c, d"),
    ({"steps": [{"drill": "a"}, {"drill": "a", "seconds": 10}]}, "steps[2].seconds",
     "'a' can be fitted to 20 to 60 seconds (its steps shrunk to half or stretched by half), got 10"),
    ({"steps": [{"drill": "a", "seconds": "60"}]}, "steps[1].seconds", "must be a number of seconds, got '60'"),
    ({"steps": [{"drill": "a", "seconds": float("nan")}]}, "steps[1].seconds", "must be a number"),
    ({"steps": [{"drill": "a", "reps": 3}]}, "steps[1].reps", "is not a known field (a typo?); use drill, seconds"),
    ({"steps": [{"seconds": 30}]}, "steps[1].drill", "is missing"),
    ({"steps": ["a"]}, "steps[1]", "must be a table"),
    ({"steps": [{"drill": "a"}] * 13}, "steps", "has 13 drills; a routine has 1 to 12"),
    ({"steps": [{"drill": "d", "seconds": 290}] * 12}, "steps", "a routine takes at most 1800 s"),
    ({"schema_version": 2}, "schema_version", "must be 1, got 2"),
    ({"id": "Morning!"}, "id", "must be lower-case letters"),
    ({"name": ""}, "name", "must be non-empty text"),
    ({"notes": 3}, "notes", "must be non-empty text, got 3"),
    ({"colour": "red"}, "colour", "is not a known field"),
])
def test_bad_data_names_the_field_the_value_and_what_is_allowed(kwargs, field, words):
    exc = error(**kwargs)
    assert exc.source == "r.toml" and exc.field == field
    assert words in exc.problem


def test_routine_ids_inside_session_ids():
    assert routine_session_id("warm-up") == "routine:warm-up"
    assert routine_id_of("routine:warm-up") == "warm-up"
    assert routine_id_of("hip-hinge") is None and routine_id_of(None) is None


# --- playing -------------------------------------------------------------------------

@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def three(clock: FakeClock) -> RoutineSession:
    """a (2 x 20 s), b (20 s left, switch 5 s, 20 s right), c (2 x 20 s): 3 s get-ready each."""
    return RoutineSession(routine({"drill": "a"}, {"drill": "b"}, {"drill": "c"}), clock)


def test_the_drills_play_one_after_the_other_and_the_routine_finishes(clock):
    s = three(clock)
    assert s.start() == [StepChanged(State.GET_READY, 0)]
    assert s.left_seconds == pytest.approx(43 + 48 + 43)
    clock.advance(43)
    events = s.tick()
    assert events == [StepChanged(State.STEP, 0), StepChanged(State.STEP, 1), DrillChanged(1),
                      StepChanged(State.GET_READY, 0)]
    assert s.index == 1 and s.current.drill.id == "b"
    assert s.left_seconds == pytest.approx(48 + 43)
    clock.advance(48)
    assert s.tick()[-2:] == [DrillChanged(2), StepChanged(State.GET_READY, 0)]
    clock.advance(43)
    events = s.tick()
    assert events[-1] == Finished(pytest.approx(134))
    assert s.state is State.FINISHED and s.done and not s.running and s.left_seconds == 0


def test_a_long_stall_moves_on_only_one_drill_per_tick(clock):
    s = three(clock)
    s.start()
    clock.advance(500)
    assert s.tick()[-1] == StepChanged(State.GET_READY, 0)
    assert s.index == 1 and s.running


def test_skip_drill_moves_on_and_the_rest_keeps_the_routine_done(clock):
    s = three(clock)
    s.start()
    clock.advance(20)
    assert s.skip_drill() == [StepChanged(State.STEP, 0), DrillChanged(1), StepChanged(State.GET_READY, 0)]
    clock.advance(48)
    s.tick()
    clock.advance(43)
    assert isinstance(s.tick()[-1], Finished)  # 111 s spent of 120 s of steps: more than half


def test_skipping_through_everything_is_not_a_routine_done(clock):
    s = three(clock)
    s.start()
    events = []
    for _ in range(3):
        clock.advance(1)
        events += s.skip_drill()
    assert events[-1] == EndedEarly(pytest.approx(3))
    assert s.state is State.ENDED_EARLY


def test_skip_step_at_a_drills_last_step_starts_the_next_drill(clock):
    s = three(clock)
    s.start()
    for _ in range(3):  # get-ready, step 1, step 2
        events = s.skip_step()
    assert events[-2:] == [DrillChanged(1), StepChanged(State.GET_READY, 0)]


def test_pause_stops_the_time_and_a_skip_while_paused_stays_paused(clock):
    s = three(clock)
    s.start()
    clock.advance(10)
    s.pause()
    assert s.state is State.PAUSED
    clock.advance(1000)
    assert s.tick() == [] and s.index == 0
    s.skip_drill()
    assert s.index == 1 and s.state is State.PAUSED
    s.resume()
    clock.advance(4)
    assert s.tick() == [StepChanged(State.STEP, 0)]


def test_end_early_reports_the_time_spent_over_all_drills(clock):
    s = three(clock)
    s.start()
    clock.advance(43)
    s.tick()
    clock.advance(12)
    assert s.end_early() == [StepChanged(State.STEP, 0), EndedEarly(pytest.approx(55))]
    assert s.done and s.end_early() == [] and s.tick() == []


def test_end_early_before_start_does_nothing(clock):
    s = three(clock)
    assert s.end_early() == [] and s.skip_drill() == [] and s.state is State.READY
