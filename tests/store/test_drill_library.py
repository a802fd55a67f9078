"""load_library: built-ins, user drills, overrides, broken and hostile files."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from unsit.store.data_folder import MAX_FILE_BYTES
from unsit.store.drill_library import load_library

ASSETS = Path(__file__).resolve().parents[2] / "assets"
BUILTIN_IDS = {p.stem for p in (ASSETS / "drills").glob("*.toml")}


def user_drill(drill_id: str, family: str = "rotation", extra: str = "", step: str = "seconds = 60") -> str:
    return f"""
schema_version = 2
id = "{drill_id}"
family = "{family}"
name = "My {drill_id}"
purpose = "Mine."
safety = "Stop if it hurts."
{extra}

[[steps]]
cue = "Do it."
poses = ["stand", "knee-up"]
{step}
"""


def test_builtin_library_loads_clean():
    drills, messages = load_library(ASSETS / "drills", None)
    assert messages == []
    assert {d.id for d in drills} == BUILTIN_IDS and len(drills) >= 10


def test_user_drills_come_after_builtins(tmp_path):
    user = tmp_path / "drills"
    user.mkdir()
    (user / "my-circles.toml").write_text(user_drill("my-circles"))
    drills, messages = load_library(ASSETS / "drills", user)
    assert messages == []
    assert drills[-1].id == "my-circles"
    assert drills[-1].source == str(user / "my-circles.toml")


def test_a_broken_file_is_skipped_with_file_field_and_problem_and_others_load(tmp_path):
    user = tmp_path / "drills"
    user.mkdir()
    (user / "a-good.toml").write_text(user_drill("a-good"))
    (user / "b-bad-family.toml").write_text(user_drill("b-bad", family="cardio"))
    (user / "c-syntax.toml").write_text("schema_version = 2\nid = \n")
    (user / "d-v1.toml").write_text('schema_version = 1\nid = "old"\n[frames]\na = "../../etc/passwd.svg"\n')
    (user / "e-binary.toml").write_bytes(b"\xff\xfe\x00bad")
    drills, messages = load_library(ASSETS / "drills", user)
    assert [d.id for d in drills if d.id not in BUILTIN_IDS] == ["a-good"]
    assert len(messages) == 4
    bad_family, syntax, v1, binary = messages
    assert "b-bad-family.toml: family: must be one of extension, rotation, hinge, stability" in bad_family
    assert "c-syntax.toml: (TOML syntax):" in syntax
    assert "d-v1.toml: schema_version: 1 (drills drawn as SVG frames) is no longer read" in v1
    assert "e-binary.toml" in binary and "UTF-8" in binary
    assert all(m.endswith("(drill skipped)") for m in messages)


def test_impossible_timing_is_refused(tmp_path):
    user = tmp_path / "drills"
    user.mkdir()
    (user / "a-zero.toml").write_text(user_drill("a-zero", step="reps = 100\nphase_seconds = [1e-300, 1e-300]"))
    (user / "b-hours.toml").write_text(user_drill("b-hours", step="seconds = 24120"))
    long_steps = "".join(f'\n[[steps]]\ncue = "Hold {i}."\nposes = ["stand"]\nseconds = 300\n' for i in range(3))
    (user / "c-long.toml").write_text(user_drill("c-long") + long_steps)
    drills, messages = load_library(ASSETS / "drills", user)
    assert {d.id for d in drills} == BUILTIN_IDS
    zero, hours, too_long = messages
    assert "a-zero.toml: steps[1].reps: must be a whole number from 1 to 60, got 100" in zero
    assert "b-hours.toml: steps[1].seconds: must be from 2 to 300 seconds" in hours
    assert "c-long.toml: steps: take" in too_long and "at most 600 s" in too_long


def test_hostile_files_are_skipped_with_a_message_and_never_block(tmp_path):
    user = tmp_path / "drills"
    user.mkdir()
    (user / "a-good.toml").write_text(user_drill("a-good"))
    (user / "b-folder.toml").mkdir()
    os.mkfifo(user / "c-fifo.toml")  # reading it would block for ever
    (user / "d-loop.toml").symlink_to(user / "d-loop.toml")
    (user / "e-huge.toml").write_text("# " + "x" * MAX_FILE_BYTES)
    secret = tmp_path / "secret.toml"
    secret.write_text(user_drill("secret"))
    (user / "f-escape.toml").symlink_to(secret)
    (user / "g-zero.toml").symlink_to("/dev/zero")
    (user / "h-inside.toml").symlink_to(user / "a-good.toml")  # a link within the folder is fine
    drills, messages = load_library(ASSETS / "drills", user)
    assert [d.id for d in drills if d.id not in BUILTIN_IDS] == ["a-good"]
    text = "\n".join(messages)
    assert "b-folder.toml: (file): is a folder" in text
    assert "c-fifo.toml: (file): is not a regular file" in text
    assert "d-loop.toml: (file):" in text
    assert "e-huge.toml: (file): is " in text and f"at most {MAX_FILE_BYTES}" in text
    assert "f-escape.toml: (file): is a link to" in text and "outside the drills folder" in text
    assert "g-zero.toml: (file): is a link to /dev/zero" in text
    assert "h-inside.toml: id: 'a-good' is already used by" in text
    assert len(messages) == 7


def test_a_user_drill_with_a_builtin_id_replaces_it_in_place(tmp_path):
    user = tmp_path / "drills"
    user.mkdir()
    (user / "hip-hinge.toml").write_text(user_drill("hip-hinge", family="hinge"))
    builtin, _ = load_library(ASSETS / "drills", None)
    drills, messages = load_library(ASSETS / "drills", user)
    assert [d.id for d in drills] == [d.id for d in builtin]
    hinge = next(d for d in drills if d.id == "hip-hinge")
    assert hinge.name == "My hip-hinge"
    assert len(messages) == 1 and "replaces the built-in drill 'hip-hinge'" in messages[0]


def test_duplicate_ids_in_one_folder_keep_the_first_file(tmp_path):
    user = tmp_path / "drills"
    user.mkdir()
    (user / "one.toml").write_text(user_drill("same"))
    (user / "two.toml").write_text(user_drill("same"))
    drills, messages = load_library(ASSETS / "drills", user)
    assert [d.source for d in drills if d.id == "same"] == [str(user / "one.toml")]
    assert "two.toml: id: 'same' is already used by" in messages[0]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file_says_why(tmp_path):
    user = tmp_path / "drills"
    user.mkdir()
    (user / "locked.toml").write_text(user_drill("locked"))
    (user / "locked.toml").chmod(0)
    _, messages = load_library(ASSETS / "drills", user)
    assert "locked.toml: (file): cannot be read: Permission denied" in messages[0]


def test_missing_user_folder_and_a_damaged_builtin_folder(tmp_path):
    drills, messages = load_library(ASSETS / "drills", tmp_path / "nope")
    assert messages == [] and len(drills) >= 10
    copy = tmp_path / "assets" / "drills"
    shutil.copytree(ASSETS / "drills", copy, ignore=shutil.ignore_patterns("*.md"))
    for path in copy.glob("*.toml"):
        path.write_text(path.read_text().replace("schema_version = 2", "schema_version = 7"))
    drills, messages = load_library(copy, None)
    assert drills == []
    assert len(messages) == len(list(copy.glob("*.toml")))
    assert all("schema_version: must be 2, got 7" in m for m in messages)
