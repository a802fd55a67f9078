"""load_routines: the built-in routines, user routines, overrides, bad and hostile files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from unsit.core.drills import Drill
from unsit.store.data_folder import MAX_FILE_BYTES
from unsit.store.drill_library import load_library
from unsit.store.routine_library import load_routines

ASSETS = Path(__file__).resolve().parents[2] / "assets"


@pytest.fixture(scope="module")
def drills() -> list[Drill]:
    loaded, messages = load_library(ASSETS / "drills", None)
    assert messages == []
    return loaded


def routine_text(routine_id: str, *steps: str, extra: str = "") -> str:
    body = "\n".join(f"[[steps]]\n{s}\n" for s in steps or ('drill = "hip-hinge"',))
    return (f'schema_version = 1\nid = "{routine_id}"\nname = "My {routine_id}"\n'
            f'purpose = "Mine."\n{extra}\n{body}')


def user_folder(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    folder = tmp_path / "routines"
    folder.mkdir()
    for name, content in files.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    return folder


def test_the_builtin_routines_load_clean_and_fit_the_brief(drills):
    routines, messages = load_routines(ASSETS / "routines", None, drills)
    assert messages == []
    by_id = {r.id: r for r in routines}
    assert set(by_id) == {"morning", "warm-up"}
    morning, warm_up = by_id["morning"], by_id["warm-up"]
    assert morning.families == {"extension", "rotation", "hinge", "stability"}
    assert 4 * 60 <= morning.total_seconds() <= 6 * 60
    assert 2 * 60 <= warm_up.total_seconds() <= 3 * 60
    assert all(0.5 <= s.scale <= 1.5 for r in routines for s in r.steps)


def test_a_user_routine_loads_and_replaces_a_builtin_of_the_same_id(tmp_path, drills):
    folder = user_folder(tmp_path, {
        "after-lunch.toml": routine_text("after-lunch", 'drill = "hip-hinge"\nseconds = 80'),
        "morning.toml": routine_text("morning", 'drill = "single-leg-stance"'),
    })
    routines, messages = load_routines(ASSETS / "routines", folder, drills)
    by_id = {r.id: r for r in routines}
    assert [r.id for r in routines] == ["morning", "warm-up", "after-lunch"]
    assert by_id["morning"].source == str(folder / "morning.toml")
    assert [s.drill.id for s in by_id["morning"].steps] == ["single-leg-stance"]
    assert messages == [f"{folder / 'morning.toml'}: id: replaces the built-in routine 'morning'"]


def test_a_bad_file_says_file_field_value_and_what_is_allowed_and_the_others_load(tmp_path, drills):
    folder = user_folder(tmp_path, {
        "a-good.toml": routine_text("a-good"),
        "b-unknown-drill.toml": routine_text("b", 'drill = "hip-hinj"'),
        "c-too-long.toml": routine_text("c", 'drill = "hip-hinge"\nseconds = 500'),
        "d-typo.toml": routine_text("d", 'drill = "hip-hinge"\nsecond = 60'),
        "e-syntax.toml": "schema_version = 1\nid = \n",
        "f-binary.toml": b"\xff\xfe\x00bad",
        "g-no-steps.toml": 'schema_version = 1\nid = "g"\nname = "G"\npurpose = "P"\n',
    })
    routines, messages = load_routines(ASSETS / "routines", folder, drills)
    assert [r.id for r in routines] == ["morning", "warm-up", "a-good"]
    assert len(messages) == 6 and all(m.endswith("(routine skipped)") for m in messages)
    unknown, too_long, typo, syntax, binary, no_steps = messages
    assert "b-unknown-drill.toml: steps[1].drill: 'hip-hinj' is not a known drill; use one of" in unknown
    assert "hip-hinge" in unknown
    assert "c-too-long.toml: steps[1].seconds: 'hip-hinge' can be fitted to 77 to 149 seconds" in too_long
    assert "got 500" in too_long
    assert "d-typo.toml: steps[1].second: is not a known field" in typo
    assert "(TOML syntax)" in syntax
    assert "is not UTF-8 text" in binary
    assert "g-no-steps.toml: steps: is missing" in no_steps


def test_a_routine_needs_its_drills_to_have_loaded(tmp_path, drills):
    without_hinge = [d for d in drills if d.id != "sit-to-stand-hinge"]
    routines, messages = load_routines(ASSETS / "routines", None, without_hinge)
    assert [r.id for r in routines] == ["warm-up"]
    assert len(messages) == 1
    assert "morning.toml: steps[4].drill: 'sit-to-stand-hinge' is not a known drill" in messages[0]


def test_oversized_files_folders_pipes_and_links_out_of_the_folder_are_skipped(tmp_path, drills):
    outside = tmp_path / "elsewhere.toml"
    outside.write_text(routine_text("elsewhere"))
    folder = user_folder(tmp_path, {
        "big.toml": routine_text("big", extra="# " + "x" * MAX_FILE_BYTES),
        "inside.toml": routine_text("inside"),
    })
    (folder / "dir.toml").mkdir()
    os.mkfifo(folder / "pipe.toml")
    (folder / "link-out.toml").symlink_to(outside)
    (folder / "link-in.toml").symlink_to(folder / "inside.toml")
    (folder / "loop.toml").symlink_to(folder / "loop.toml")
    routines, messages = load_routines(ASSETS / "routines", folder, drills)
    assert [r.id for r in routines] == ["morning", "warm-up", "inside"]
    text = "\n".join(messages)
    assert f"{folder / 'big.toml'}: (file): is " in text and "routine files are at most 65536" in text
    assert "dir.toml: (file): is a folder, not a routine file" in text
    assert "pipe.toml: (file): is not a regular file" in text
    assert "link-out.toml: (file): is a link to" in text and "outside the routines folder" in text
    assert "loop.toml: (file):" in text
    assert "link-in.toml: id: 'inside' is already used by" in text


def test_no_user_folder_and_a_missing_builtin_folder_load_nothing_quietly(tmp_path, drills):
    assert load_routines(tmp_path / "none", tmp_path / "nothing", drills) == ([], [])
