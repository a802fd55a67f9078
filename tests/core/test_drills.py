"""The drill model and parse_drill: valid files, every error names file+field, fuzzing."""

from __future__ import annotations

import copy
import sys
from dataclasses import replace

if sys.version_info >= (3, 11):
    import tomllib
else:  # the backport the app itself depends on there
    import tomli as tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.core.builtin_library import builtin_drills
from unsit.core.drills import (
    MAX_DRILL_SECONDS,
    SWITCH_SIDES_SECONDS,
    Drill,
    DrillError,
    parse_drill,
    scale_for,
)
from unsit.core.families import FAMILIES
from unsit.core.pose import Hands, Prop
from unsit.core.pose_library import LIBRARY

ASSETS = Path(__file__).resolve().parents[2] / "assets"
MIN_PER_FAMILY = {"extension": 3, "rotation": 3, "hinge": 1, "stability": 2}


def valid() -> dict:
    return {
        "schema_version": 2,
        "id": "test-drill",
        "family": "extension",
        "name": "Test drill",
        "purpose": "Checks the parser.",
        "safety": "Stop if it hurts.",
        "poses": {"deep": {"from": "split-stance", "knee": 30}},
        "steps": [
            {"cue": "Left hold.", "seconds": 30, "side": "left", "poses": ["stand", "deep"],
             "hands": "desk", "props": ["desk"]},
            {"cue": "Right reps.", "reps": 6, "phase_seconds": [2, 2], "side": "right", "poses": ["stand", "leg-back"]},
        ],
    }


def test_valid_drill_parses_into_frozen_dataclasses():
    drill = parse_drill(valid(), "test.toml")
    assert isinstance(drill, Drill)
    assert drill.id == "test-drill" and drill.family == "extension" and drill.source == "test.toml"
    hold, reps = drill.steps
    assert (hold.seconds, hold.reps, hold.side, hold.pose_names) == (30.0, None, "left", ("stand", "deep"))
    assert hold.hands is Hands.DESK and hold.props == (Prop.DESK,)
    assert hold.motion.poses[1] == replace(LIBRARY["split-stance"], knee=30.0)
    assert (reps.reps, reps.seconds_per_rep, reps.seconds) == (6, 4.0, None)
    assert reps.motion.phase_seconds == (2.0, 2.0) and reps.hands is Hands.FREE
    assert drill.one_sided
    with pytest.raises(AttributeError):
        drill.name = "other"  # type: ignore[misc]


def test_durations_scale_and_include_the_switch_pause():
    drill = parse_drill(valid(), "t")
    assert drill.steps[0].duration_seconds() == 30
    assert drill.steps[1].duration_seconds() == 24
    assert drill.total_seconds() == 30 + 24 + SWITCH_SIDES_SECONDS
    # short: 15 s hold, 3 reps of 4 s; long: 45 s hold, 9 reps.
    assert drill.total_seconds(scale_for("short")) == 15 + 12 + SWITCH_SIDES_SECONDS
    assert drill.total_seconds(scale_for("long")) == 45 + 36 + SWITCH_SIDES_SECONDS
    assert drill.steps[1].scaled_reps(0.01) == 1  # never zero reps


def test_side_defaults_to_both_and_no_switch_pause_then():
    data = valid()
    for step in data["steps"]:
        del step["side"]
    drill = parse_drill(data, "t")
    assert {s.side for s in drill.steps} == {"both"}
    assert not drill.one_sided
    assert drill.total_seconds() == 54


def test_unknown_length_is_refused():
    with pytest.raises(ValueError, match="medium"):
        scale_for("medium")


def _broken(change) -> DrillError:
    data = valid()
    change(data)
    with pytest.raises(DrillError) as info:
        parse_drill(data, "my-drill.toml")
    return info.value


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (lambda d: d.pop("schema_version"), "schema_version", "missing"),
        (lambda d: d.update(schema_version=1), "schema_version", "no longer read"),
        (lambda d: d.update(schema_version=3), "schema_version", "must be 2"),
        (lambda d: d.update(id="Bad Id"), "id", "lower-case"),
        (lambda d: d.update(family="core"), "family", "extension, rotation, hinge, stability"),
        (lambda d: d.pop("name"), "name", "missing"),
        (lambda d: d.update(purpose="  "), "purpose", "non-empty"),
        (lambda d: d.update(poses=[]), "poses", "table"),
        (lambda d: d["poses"].update(bad={"from": "nowhere"}), "poses.bad.from", "'nowhere' is not a known pose"),
        (lambda d: d["poses"].update(bad={"elbows": 3}), "poses.bad.elbows", "is not a joint"),
        (lambda d: d["poses"].update(bad={"knee": "x"}), "poses.bad.knee", "number of degrees"),
        (lambda d: d["poses"]["deep"].update(knee=170), "poses.deep.knee",
         "drill 'test-drill', pose 'deep': knee = 170 is outside the human range 0 to 145"),
        (lambda d: d["poses"]["deep"].update(hip=-60), "poses.deep.hip", "hip = -60 is outside the human range -30"),
        (lambda d: d.update(frames={"a": "a.svg"}), "frames", "not a known field"),
        (lambda d: d.update(steps=[]), "steps", "non-empty"),
        (lambda d: d.update(stepz=[]), "stepz", "not a known field"),
        (lambda d: d["steps"][0].update(seconds=True), "steps[1].seconds", "number"),
        (lambda d: d["steps"][0].update(seconds=0), "steps[1].seconds", "from 2 to 300"),
        (lambda d: d["steps"][0].update(seconds=9999), "steps[1].seconds", "from 2 to 300"),
        (lambda d: d["steps"][0].update(move_seconds=0.1), "steps[1].move_seconds", "from 1 to 30"),
        (lambda d: d["steps"][0].update(move_seconds=20), "steps[1].move_seconds", "more than half the hold"),
        (lambda d: d["steps"][0].update(reps=3), "steps[1]", "exactly one of seconds"),
        (lambda d: d["steps"][0].update(hands="pockets"), "steps[1].hands", "desk"),
        (lambda d: d["steps"][0].update(props=["sofa"]), "steps[1].props", "desk, chair, wall"),
        (lambda d: d["steps"][0].update(poses=[]), "steps[1].poses", "list of 1 to 8"),
        (lambda d: d["steps"][0].update(poses=["stand", "moonwalk"]), "steps[1].poses", "'moonwalk'"),
        (lambda d: d["steps"][1].pop("phase_seconds"), "steps[2].phase_seconds", "one per move"),
        (lambda d: d["steps"][1].update(phase_seconds=[2]), "steps[2].phase_seconds", "must list 2 times"),
        (lambda d: d["steps"][1].update(phase_seconds=[1e-300, 2]), "steps[2].phase_seconds[1]", "from 1 to 30"),
        (lambda d: d["steps"][1].update(poses=["stand"]), "steps[2].poses", "at least two poses"),
        (lambda d: d["steps"][1].update(reps=2.5), "steps[2].reps", "whole number"),
        (lambda d: d["steps"][1].update(reps=100, phase_seconds=[1, 1]), "steps[2].reps", "from 1 to 60"),
        (lambda d: d["steps"][1].update(reps=60, phase_seconds=[30, 30]), "steps[2]", "over 300 seconds"),
        (lambda d: d["steps"][1].update(seconds_per_rep=1), "steps[2].seconds_per_rep", "not a known field"),
        (lambda d: d["steps"][1].update(side="middle"), "steps[2].side", "left, right, both"),
        (lambda d: d["steps"][1].update(secs=3), "steps[2].secs", "not a known field"),
        (lambda d: d["steps"][0].pop("cue"), "steps[1].cue", "missing"),
        (lambda d: d.update(steps=[dict(d["steps"][0], seconds=300)] * 2), "steps", "at most 600 s"),
        (lambda d: d.update(steps=[dict(d["steps"][0], seconds=10, move_seconds=1)]), "steps", "at least 20 s"),
    ],
)
def test_each_problem_names_the_file_the_field_and_the_problem(change, field, words):
    error = _broken(change)
    assert error.source == "my-drill.toml"
    assert error.field == field
    assert words in error.problem
    assert str(error).startswith(f"my-drill.toml: {field}: ")


def test_not_a_mapping_is_a_drill_error():
    with pytest.raises(DrillError):
        parse_drill(["not", "a", "table"], "x.toml")  # type: ignore[arg-type]


# --- fuzzing: nothing but a Drill or a DrillError ever comes out ----------------------------
_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True),
    st.text(max_size=20), st.sampled_from(["left", "right", "both", "stand", "hinge", "desk", "extension"]),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12,
)
_KEYS = ["schema_version", "id", "family", "name", "purpose", "safety", "poses", "steps"]
_STEP_KEYS = ["cue", "seconds", "reps", "phase_seconds", "move_seconds", "side", "poses", "hands", "props"]


def _parse_ok_or_error(data) -> None:
    try:
        result = parse_drill(data, "fuzz.toml")
    except DrillError as exc:
        assert str(exc).startswith("fuzz.toml: ")
    else:
        assert isinstance(result, Drill)
        assert 0 < result.total_seconds(scale_for("long")) <= MAX_DRILL_SECONDS


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from([*_KEYS, "extra"]), _values, max_size=9))
def test_fuzz_random_tables(data):
    _parse_ok_or_error(data)


@settings(max_examples=400, deadline=None)
@given(
    top=st.lists(st.tuples(st.sampled_from(_KEYS), _values), max_size=3),
    step=st.lists(st.tuples(st.integers(0, 1), st.sampled_from(_STEP_KEYS), _values), max_size=3),
    drop=st.lists(st.sampled_from(_KEYS), max_size=2),
)
def test_fuzz_mutated_valid_drill(top, step, drop):
    data = copy.deepcopy(valid())
    for key, value in top:
        data[key] = value
    for index, key, value in step:
        steps = data.get("steps")
        if isinstance(steps, list) and index < len(steps) and isinstance(steps[index], dict):
            steps[index][key] = value
    for key in drop:
        data.pop(key, None)
    _parse_ok_or_error(data)


# --- the built-in library -----------------------------------------------------------------
def _builtin() -> dict[str, Drill]:
    return builtin_drills()


def test_builtin_library_covers_every_family_for_a_working_year():
    drills = _builtin()
    assert len(drills) >= 10
    for family, minimum in MIN_PER_FAMILY.items():
        assert sum(d.family == family for d in drills.values()) >= minimum, family
    for drill in drills.values():
        assert Path(drill.source).stem == drill.id


@pytest.mark.parametrize("drill_id", sorted(p.stem for p in (ASSETS / "drills").glob("*.toml")))
def test_builtin_drills_last_one_to_three_minutes_and_do_left_then_right(drill_id):
    drill = _builtin()[drill_id]
    assert 60 <= drill.total_seconds() <= 180
    assert drill.total_seconds(scale_for("short")) >= 30 and drill.total_seconds(scale_for("long")) <= 240
    assert set(FAMILIES) >= {drill.family}
    sides = [s.side for s in drill.steps]
    if drill.one_sided:  # the steps for both legs come first, then all the left ones, then the same on the right
        first_left = sides.index("left")
        assert set(sides[:first_left]) <= {"both"}
        sided = drill.steps[first_left:]
        sides = sides[first_left:]
        first_right = sides.index("right")
        assert set(sides[:first_right]) == {"left"} and set(sides[first_right:]) == {"right"}
        assert len(sides[:first_right]) == len(sides[first_right:])
        for left, right in zip(sided[:first_right], sided[first_right:], strict=True):
            assert left.pose_names == right.pose_names and left.hands is right.hands  # the mirror
    for before, step in zip((None, *drill.steps), drill.steps, strict=False):
        assert step.cue.endswith(".")
        if step.hands in (Hands.DESK, Hands.DESK_HIP):
            assert Prop.DESK in step.props
        placed = before is None or before.hands is not step.hands or before.side != step.side
        if placed and step.hands in (Hands.DESK, Hands.DESK_HIP):  # the cue says where the hands go
            assert "on the desk" in step.cue
        if placed and step.hands is Hands.HIPS:
            assert "on the hips" in step.cue


def test_core_modules_stay_free_of_qt_and_io():
    root = Path(__file__).resolve().parents[2] / "src" / "unsit" / "core"
    for name in ("drills.py", "drill_session.py", "drill_picker.py", "pose.py", "pose_library.py", "motion.py"):
        text = (root / name).read_text(encoding="utf-8")
        for banned in ("PySide6", "apscheduler", "plyer", "open(", "import time", "datetime.now", "pathlib"):
            assert banned not in text, f"{name} uses {banned}"


def test_the_schema_document_example_is_a_valid_drill():
    text = (ASSETS / "drills" / "SCHEMA.md").read_text(encoding="utf-8")
    example = text.split("```toml\n", 1)[1].split("```", 1)[0]
    drill = parse_drill(tomllib.loads(example), "SCHEMA.md")
    assert drill.total_seconds() == 30 + 5 + 8 * 4


@pytest.mark.parametrize("drill_id", sorted(p.stem for p in (ASSETS / "drills").glob("*.toml")))
def test_builtin_steps_on_one_side_carry_on_from_the_pose_the_last_one_ended_in(drill_id):
    """No jumps in the figure between steps: each step starts where the one before ended."""
    drill = _builtin()[drill_id]
    for before, after in zip(drill.steps, drill.steps[1:], strict=False):
        if before.side != after.side:
            continue  # a switch-sides pause goes between them
        ended = before.motion.frame_at(before.duration_seconds(), before.duration_seconds()).pose
        assert ended == after.motion.poses[0], f"{drill_id}: {after.cue}"
