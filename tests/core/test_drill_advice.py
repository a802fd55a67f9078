"""The built-in drills and routines against the advice they rest on (DRILLS.md, issue 26).

Spoken cues fit their steps at the voice's rate, at every length and in every routine;
every drill extends the hips; the hinge comes in the everyday turns; routines keep their
lengths and carry the red-flag line.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from tests.core.builtin_library import builtin_drills, builtin_routines
from unsit.core.drill_picker import DrillPicker
from unsit.core.drill_session import GET_READY_SECONDS
from unsit.core.drills import LENGTH_SCALES, SWITCH_SIDES_SECONDS, Drill, Step, parse_drill, spoken_line
from unsit.core.pose import View
from unsit.core.routines import RoutineError, fit_range_seconds, parse_routine
from unsit.core.speech_time import WORDS_PER_MINUTE, speech_seconds

DRILL_IDS = sorted(builtin_drills())
SCALES = (LENGTH_SCALES["short"], 0.55, 0.7, 0.85, 1.0, 1.2, LENGTH_SCALES["long"])
EXTENSION_DEGREES = -10.0
"""A thigh this far behind the pelvis (or further) is hip extension."""


def _said_in_time(step: Step, scale: float) -> float:
    """Seconds the step's line has before something else is said (the next cue, or "Last one.")."""
    reps = step.scaled_reps(scale)
    if reps is None or step.seconds_per_rep is None:
        return step.duration_seconds(scale)
    return max(1, reps - 1) * step.seconds_per_rep


def _assert_every_line_fits(drill: Drill, scale: float) -> None:
    for number, step in enumerate(drill.steps, start=1):
        line = spoken_line(step.cue, drill.safety, first=number == 1)
        assert speech_seconds(line) <= _said_in_time(step, scale), (
            f"{drill.id} step {number} at x{scale:g}: {speech_seconds(line):.1f} s of speech "
            f"in {_said_in_time(step, scale):.1f} s: {line!r}")


def test_the_rate_is_a_documented_one():
    # espeak-ng documents 175 words a minute as its default (-s); typical voices speak 150-180
    assert 140 <= WORDS_PER_MINUTE <= 175
    assert speech_seconds("") == 0
    assert speech_seconds("one two three four five") == pytest.approx(0.5 + 2.0)


@pytest.mark.parametrize("drill_id", DRILL_IDS)
def test_each_spoken_cue_fits_its_step_as_written_and_at_every_length(drill_id):
    drill = builtin_drills()[drill_id]
    for number, step in enumerate(drill.steps, start=1):
        assert step.fits_its_words(1.0), f"{drill_id} step {number} is too short for its words as written"
    for scale in SCALES:
        _assert_every_line_fits(drill, scale)


def test_get_ready_and_switch_sides_lines_fit_their_pauses():
    assert speech_seconds("Get ready. Right leg first.") <= GET_READY_SECONDS
    assert speech_seconds("Switch sides. Right leg next.") <= SWITCH_SIDES_SECONDS


def _drill(cue: str, **step: Any) -> Drill:
    raw = {"cue": cue, "poses": ["stand", "leg-back"], **step}
    return parse_drill({"schema_version": 2, "id": "x", "family": "extension", "name": "X", "purpose": "p.",
                        "safety": "Stop if it hurts.", "steps": [{"cue": "Ready.", "seconds": 20,
                                                                  "poses": ["stand"]}, raw]}, "x.toml")


def test_a_cue_longer_than_its_step_is_caught_and_the_step_is_stretched_to_it():
    long_cue = " ".join(["word"] * 30) + "."  # 12.5 s of speech
    hold = _drill(long_cue, seconds=6).steps[1]
    assert not hold.fits_its_words(1.0)
    assert hold.duration_seconds(1.0) >= speech_seconds(long_cue)  # never cut off
    assert hold.duration_seconds(LENGTH_SCALES["short"]) >= speech_seconds(long_cue)
    reps = _drill(long_cue, reps=2, phase_seconds=[2, 2]).steps[1]
    assert not reps.fits_its_words(1.0)
    assert (reps.scaled_reps(1.0) - 1) * 4 >= speech_seconds(long_cue)
    with pytest.raises(AssertionError):
        _assert_every_line_fits(_with_floor_removed(_drill(long_cue, seconds=6)), 1.0)


def _with_floor_removed(drill: Drill) -> Drill:
    return replace(drill, steps=tuple(replace(s, spoken_seconds=0.0) for s in drill.steps))


@pytest.mark.parametrize("routine_id", sorted(builtin_routines()))
def test_routines_scale_drills_only_as_far_as_their_words_allow(routine_id):
    routine = builtin_routines()[routine_id]
    for step in routine.steps:
        shortest, longest = fit_range_seconds(step.drill)
        assert shortest <= step.seconds <= longest + 1
        _assert_every_line_fits(step.drill, step.scale)


def test_a_routine_asking_a_drill_shorter_than_its_words_allow_is_refused():
    drill = builtin_drills()["hip-hinge"]
    shortest, _longest = fit_range_seconds(drill)
    steps_only = drill.total_seconds(1.0) * LENGTH_SCALES["short"]
    assert shortest > steps_only  # the words hold the shortest length up
    data = {"schema_version": 1, "id": "r", "name": "R", "purpose": "p.",
            "steps": [{"drill": "hip-hinge", "seconds": int(shortest) - 1}]}
    with pytest.raises(RoutineError) as caught:
        parse_routine(data, "r.toml", builtin_drills())
    assert caught.value.field == "steps[1].seconds"
    data["steps"] = [{"drill": "hip-hinge", "seconds": int(shortest) + 1}]
    assert parse_routine(data, "r.toml", builtin_drills()).steps[0].scale >= LENGTH_SCALES["short"]


def test_routine_lengths_morning_four_to_six_minutes_warm_up_under_three():
    routines = builtin_routines()
    assert 240 <= routines["morning"].total_seconds() <= 360
    assert routines["warm-up"].total_seconds() < 180
    assert routines["morning"].families == {"extension", "rotation", "hinge", "stability"}
    assert routines["morning"].steps[0].drill.id == "standing-slow-march"  # a light warm-up first


def test_warm_up_doses_are_more_than_six_reps_a_side():
    for step in builtin_routines()["warm-up"].steps:
        for drill_step in step.drill.steps:
            reps = drill_step.scaled_reps(step.scale)
            if reps is not None:  # a march rep lifts each leg once, a one-sided rep is per side
                assert reps >= 8, (step.drill.id, drill_step.cue, reps)


def test_every_routine_note_carries_the_red_flag_line():
    for routine in builtin_routines().values():
        for words in ("into the leg", "numbness", "tingling", "physiotherapist or doctor"):
            assert words in routine.notes, (routine.id, words)


def _extends_the_hip(step: Step) -> bool:
    return any(p.hip <= EXTENSION_DEGREES or p.support_hip <= EXTENSION_DEGREES for p in step.motion.poses)


@pytest.mark.parametrize("drill_id", DRILL_IDS)
def test_every_drill_extends_the_hips(drill_id):
    drill = builtin_drills()[drill_id]
    assert any(_extends_the_hip(step) for step in drill.steps)
    if drill.one_sided:
        for side in ("left", "right"):
            assert any(_extends_the_hip(s) for s in drill.steps if s.side == side), side


def test_the_default_turns_bring_the_hinge_and_extend_every_time():
    picker = DrillPicker(list(builtin_drills().values()))
    picked = [picker.next() for _ in range(12)]
    assert "hinge" in {d.family for d in picked[:4]}
    assert all(any(_extends_the_hip(s) for s in d.steps) for d in picked)


@pytest.mark.parametrize("drill_id", DRILL_IDS)
def test_no_tuck_and_no_knee_to_chest_in_the_words(drill_id):
    drill = builtin_drills()[drill_id]
    words = " ".join([drill.purpose, drill.safety, *(s.cue for s in drill.steps)]).lower()
    for wrong in ("tuck", "roll the pelvis under", "swing", "big circle", "towards the ceiling"):
        assert wrong not in words, (drill_id, wrong)
    assert "knee to the chest" not in words.replace("never pull the knee to the chest", "")


@pytest.mark.parametrize("drill_id", DRILL_IDS)
def test_the_hinge_cues_carry_the_light_brace(drill_id):
    drill = builtin_drills()[drill_id]
    if drill.family == "hinge":
        assert any("brace" in s.cue for s in drill.steps)


def test_the_new_drills_are_there():
    drills = builtin_drills()
    assert drills["sit-to-stand-hinge"].family == "hinge"
    assert any(p.hip >= 90 and p.knee >= 80 for p in drills["sit-to-stand-hinge"].steps[1].motion.poses)  # seated
    assert drills["desk-glute-stretch"].steps[0].hands.value == "desk"
    reach = drills["hip-flexor-stretch-reach"]
    assert any(s.hands.value == "desk-reach" for s in reach.steps)  # one arm up, the other hand on the desk


@pytest.mark.parametrize("drill_id", DRILL_IDS)
def test_a_step_that_turns_the_hip_is_seen_from_the_front(drill_id):
    """A side view cannot show a hip turning in and out (nor a knee going out to the side)."""
    for step in builtin_drills()[drill_id].steps:
        # a set of reps is about what it repeats; a hold is about where it ends (its first
        # moves may only unwind the step before)
        poses = step.motion.poses if step.reps is not None else (step.motion.poses[0], step.motion.poses[-1])
        turns = max(p.hip_rotation for p in poses) - min(p.hip_rotation for p in poses)
        opens = max(p.hip_abduction for p in poses) - min(p.hip_abduction for p in poses)
        ends_turned = abs(poses[-1].hip_rotation) >= 20 or poses[-1].hip_abduction >= 20
        if (turns >= 20 or opens >= 20) and (step.reps is not None or ends_turned):
            assert step.view is View.FRONT, (drill_id, step.cue)
