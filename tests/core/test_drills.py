"""The drill model and parse_drill: valid files, every error names file+field, fuzzing."""

from __future__ import annotations

import copy
import sys

if sys.version_info >= (3, 11):
    import tomllib
else:  # the backport the app itself depends on there
    import tomli as tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unsit.core.drills import (
    FAMILIES,
    SWITCH_SIDES_SECONDS,
    Drill,
    DrillError,
    parse_drill,
    scale_for,
)

ASSETS = Path(__file__).resolve().parents[2] / "assets"
EXPECTED_FRAMES = {
    "standing-hip-flexor-stretch": ("extension", {"start", "end"}),
    "standing-hip-extension": ("extension", {"start", "end"}),
    "standing-hip-circles": ("rotation", {"start", "knee-up", "knee-out"}),
    "knee-in-knee-out": ("rotation", {"start", "knee-in", "knee-out"}),
    "hip-hinge": ("hinge", {"start", "end"}),
}


def valid() -> dict:
    return {
        "schema_version": 1,
        "id": "test-drill",
        "family": "extension",
        "name": "Test drill",
        "purpose": "Checks the parser.",
        "safety": "Stop if it hurts.",
        "frames": {"start": "x/start.svg", "end": "x/end.svg"},
        "steps": [
            {"cue": "Left hold.", "seconds": 30, "side": "left", "frames": ["start"]},
            {"cue": "Right reps.", "reps": 6, "seconds_per_rep": 4, "side": "right", "frames": ["start", "end"]},
        ],
    }


def test_valid_drill_parses_into_frozen_dataclasses():
    drill = parse_drill(valid(), "test.toml")
    assert isinstance(drill, Drill)
    assert drill.id == "test-drill" and drill.family == "extension" and drill.source == "test.toml"
    assert drill.frames == {"start": "x/start.svg", "end": "x/end.svg"}
    hold, reps = drill.steps
    assert (hold.seconds, hold.reps, hold.side, hold.frames) == (30.0, None, "left", ("start",))
    assert (reps.reps, reps.seconds_per_rep, reps.seconds) == (6, 4.0, None)
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
        (lambda d: d.update(schema_version=2), "schema_version", "must be 1"),
        (lambda d: d.update(id="Bad Id"), "id", "lower-case"),
        (lambda d: d.update(family="core"), "family", "extension, rotation, hinge"),
        (lambda d: d.pop("name"), "name", "missing"),
        (lambda d: d.update(purpose="  "), "purpose", "non-empty"),
        (lambda d: d.update(frames={}), "frames", "table"),
        (lambda d: d["frames"].update(end="/abs/end.svg"), "frames.end", "relative"),
        (lambda d: d["frames"].update(end="end.png"), "frames.end", ".svg"),
        (lambda d: d.update(steps=[]), "steps", "non-empty"),
        (lambda d: d.update(stepz=[]), "stepz", "not a known field"),
        (lambda d: d["steps"][0].update(seconds=True), "steps[1].seconds", "number"),
        (lambda d: d["steps"][0].update(seconds=0), "steps[1].seconds", "more than 0"),
        (lambda d: d["steps"][0].update(seconds=9999), "steps[1].seconds", "at most 600"),
        (lambda d: d["steps"][0].update(reps=3), "steps[1]", "exactly one of seconds or reps"),
        (lambda d: d["steps"][1].pop("seconds_per_rep"), "steps[2].seconds_per_rep", "missing"),
        (lambda d: d["steps"][1].update(reps=2.5), "steps[2].reps", "whole number"),
        (lambda d: d["steps"][1].update(side="middle"), "steps[2].side", "left, right, both"),
        (lambda d: d["steps"][1].update(frames=["start", "middle"]), "steps[2].frames", "'middle'"),
        (lambda d: d["steps"][1].update(secs=3), "steps[2].secs", "not a known field"),
        (lambda d: d["steps"][0].pop("cue"), "steps[1].cue", "missing"),
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
    st.text(max_size=20), st.sampled_from(["left", "right", "both", "start", "end", "extension"]),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12,
)
_KEYS = ["schema_version", "id", "family", "name", "purpose", "safety", "frames", "steps"]
_STEP_KEYS = ["cue", "seconds", "reps", "seconds_per_rep", "side", "frames"]


def _parse_ok_or_error(data) -> None:
    try:
        result = parse_drill(data, "fuzz.toml")
    except DrillError as exc:
        assert str(exc).startswith("fuzz.toml: ")
    else:
        assert isinstance(result, Drill)
        assert result.total_seconds() > 0


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
    drills = {}
    for path in sorted((ASSETS / "drills").glob("*.toml")):
        drill = parse_drill(tomllib.loads(path.read_text(encoding="utf-8")), str(path))
        drills[drill.id] = drill
    return drills


def test_builtin_library_has_the_five_drills_with_the_agreed_frames():
    drills = _builtin()
    assert set(EXPECTED_FRAMES) <= set(drills)
    for drill_id, (family, frames) in EXPECTED_FRAMES.items():
        drill = drills[drill_id]
        assert drill.family == family
        assert set(drill.frames) == frames
        assert all(path == f"{drill_id}/{name}.svg" for name, path in drill.frames.items())
        assert Path(drill.source).stem == drill_id


@pytest.mark.parametrize("drill_id", sorted(EXPECTED_FRAMES))
def test_builtin_drills_last_one_to_three_minutes_and_do_left_then_right(drill_id):
    drill = _builtin()[drill_id]
    assert 60 <= drill.total_seconds() <= 180
    assert set(FAMILIES) >= {drill.family}
    sides = [s.side for s in drill.steps]
    if drill.one_sided:
        assert "both" not in sides
        first_right = sides.index("right")
        assert set(sides[:first_right]) == {"left"} and set(sides[first_right:]) == {"right"}
        assert len(sides[:first_right]) == len(sides[first_right:])
    for step in drill.steps:
        assert step.cue.endswith(".")


def test_core_modules_stay_free_of_qt_and_io():
    root = Path(__file__).resolve().parents[2] / "src" / "unsit" / "core"
    for name in ("drills.py", "drill_session.py", "drill_picker.py"):
        text = (root / name).read_text(encoding="utf-8")
        for banned in ("PySide6", "apscheduler", "plyer", "open(", "import time", "datetime.now", "pathlib"):
            assert banned not in text, f"{name} uses {banned}"


def test_the_schema_document_example_is_a_valid_drill():
    text = (ASSETS / "drills" / "SCHEMA.md").read_text(encoding="utf-8")
    example = text.split("```toml\n", 1)[1].split("```", 1)[0]
    drill = parse_drill(tomllib.loads(example), "SCHEMA.md")
    assert drill.total_seconds() == 30 + 5 + 32
