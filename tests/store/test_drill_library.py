"""load_library: built-ins, user drills with their own SVGs, overrides, broken files."""

from __future__ import annotations

import shutil
from pathlib import Path

from unsit.store.drill_library import load_library

ASSETS = Path(__file__).resolve().parents[2] / "assets"
BUILTIN_IDS = {
    "standing-hip-flexor-stretch", "standing-hip-extension", "standing-hip-circles", "knee-in-knee-out", "hip-hinge",
}
SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 240 240">'
       '<circle cx="120" cy="120" r="50" fill="#2B2F36"/></svg>')


def user_drill(drill_id: str, frame: str = "mine/pose.svg", family: str = "rotation", extra: str = "") -> str:
    return f"""
schema_version = 1
id = "{drill_id}"
family = "{family}"
name = "My {drill_id}"
purpose = "Mine."
safety = "Stop if it hurts."
{extra}
[frames]
pose = "{frame}"

[[steps]]
cue = "Do it."
seconds = 30
frames = ["pose"]
"""


def test_builtin_library_loads_clean_with_absolute_existing_frames():
    drills, messages = load_library(ASSETS / "drills", None)
    assert messages == []
    assert {d.id for d in drills} >= BUILTIN_IDS
    for drill in drills:
        for path in drill.frames.values():
            assert Path(path).is_absolute() and Path(path).is_file()


def test_user_drills_come_after_builtins_with_frames_relative_to_their_file(tmp_path):
    user = tmp_path / "drills"
    (user / "mine").mkdir(parents=True)
    (user / "mine" / "pose.svg").write_text(SVG)
    (user / "my-circles.toml").write_text(user_drill("my-circles"))
    drills, messages = load_library(ASSETS / "drills", user)
    assert messages == []
    assert drills[-1].id == "my-circles"
    assert drills[-1].frames["pose"] == str((user / "mine" / "pose.svg").resolve())
    assert drills[-1].source == str(user / "my-circles.toml")


def test_a_broken_file_is_skipped_with_file_field_and_problem_and_others_load(tmp_path):
    user = tmp_path / "drills"
    (user / "mine").mkdir(parents=True)
    (user / "mine" / "pose.svg").write_text(SVG)
    (user / "a-good.toml").write_text(user_drill("a-good"))
    (user / "b-bad-family.toml").write_text(user_drill("b-bad", family="cardio"))
    (user / "c-syntax.toml").write_text("schema_version = 1\nid = \n")
    (user / "d-no-svg.toml").write_text(user_drill("d-no-svg", frame="mine/missing.svg"))
    (user / "e-binary.toml").write_bytes(b"\xff\xfe\x00bad")
    drills, messages = load_library(ASSETS / "drills", user)
    assert [d.id for d in drills if d.id not in BUILTIN_IDS] == ["a-good"]
    assert len(messages) == 4
    bad_family, syntax, no_svg, binary = messages
    assert "b-bad-family.toml: family: must be one of extension, rotation, hinge" in bad_family
    assert "c-syntax.toml: (TOML syntax):" in syntax
    assert "d-no-svg.toml: frames.pose: file not found" in no_svg and "missing.svg" in no_svg
    assert "e-binary.toml" in binary and "UTF-8" in binary
    assert all(m.endswith("(drill skipped)") for m in messages)


def test_a_user_drill_with_a_builtin_id_replaces_it_in_place(tmp_path):
    user = tmp_path / "drills"
    (user / "mine").mkdir(parents=True)
    (user / "mine" / "pose.svg").write_text(SVG)
    (user / "hip-hinge.toml").write_text(user_drill("hip-hinge", family="hinge"))
    builtin, _ = load_library(ASSETS / "drills", None)
    drills, messages = load_library(ASSETS / "drills", user)
    assert [d.id for d in drills] == [d.id for d in builtin]
    hinge = next(d for d in drills if d.id == "hip-hinge")
    assert hinge.name == "My hip-hinge"
    assert len(messages) == 1 and "replaces the built-in drill 'hip-hinge'" in messages[0]


def test_duplicate_ids_in_one_folder_keep_the_first_file(tmp_path):
    user = tmp_path / "drills"
    (user / "mine").mkdir(parents=True)
    (user / "mine" / "pose.svg").write_text(SVG)
    (user / "one.toml").write_text(user_drill("same"))
    (user / "two.toml").write_text(user_drill("same"))
    drills, messages = load_library(ASSETS / "drills", user)
    assert [d.source for d in drills if d.id == "same"] == [str(user / "one.toml")]
    assert "two.toml: id: 'same' is already used by" in messages[0]


def test_missing_user_folder_and_broken_builtin_folder(tmp_path):
    drills, messages = load_library(ASSETS / "drills", tmp_path / "nope")
    assert messages == [] and len(drills) >= 5
    # A copy of the built-ins without their poses: each drill is skipped, none crash.
    copy = tmp_path / "assets" / "drills"
    shutil.copytree(ASSETS / "drills", copy, ignore=shutil.ignore_patterns("*.md"))
    drills, messages = load_library(copy, None)
    assert drills == []
    assert len(messages) == len(list(copy.glob("*.toml")))
    assert all("frames." in m and "file not found" in m for m in messages)
