"""The library shelf: drills and routines read on first use, at start-up only when the user has files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from unsit.runtime.resources import asset_path
from unsit.store.library_shelf import LibraryShelf, holds_user_files, read_routine_index
from unsit.text.drill_text import routine_name
from unsit.text.i18n import install
from unsit.text.languages import LANGUAGES


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    yield
    install("en")


def shelf_with(tmp_path: Path) -> LibraryShelf:
    return LibraryShelf(asset_path("drills"), asset_path("routines"), tmp_path / "drills", tmp_path / "routines")


def test_holds_user_files_looks_for_toml_names_only(tmp_path: Path) -> None:
    assert not holds_user_files(None)
    assert not holds_user_files(tmp_path / "missing")
    (tmp_path / "a-file").write_text("")
    assert not holds_user_files(tmp_path / "a-file")  # not a folder: the loaders skip it silently too
    folder = tmp_path / "drills"
    folder.mkdir()
    assert not holds_user_files(folder)
    (folder / "notes.txt").write_text("")
    (folder / "old.toml.bak").write_text("")
    assert not holds_user_files(folder)
    (folder / "odd.toml").mkdir()  # not a file, but the loader reports it: so it counts
    assert holds_user_files(folder)


def test_without_user_files_nothing_loads_until_first_use(tmp_path: Path) -> None:
    (tmp_path / "drills").mkdir()  # present but empty, as paths.ensure() leaves it
    shelf = shelf_with(tmp_path)
    reported: list[list[str]] = []
    shelf.on_problems = reported.append
    assert shelf.load_at_start() == []
    assert not shelf.loaded
    assert [rid for rid, _name in shelf.routine_titles()] == ["morning", "warm-up"]
    assert not shelf.loaded  # the submenu's names come from the light index
    drills = shelf.drills
    assert shelf.loaded and len(drills) >= 10
    assert [r.id for r in shelf.routines] == ["morning", "warm-up"]
    assert reported == []  # the built-in files are sound


@pytest.mark.parametrize("folder, kind", [("drills", "drill"), ("routines", "routine")])
def test_a_bad_user_file_loads_everything_at_start_and_is_told_then(tmp_path: Path, folder: str, kind: str) -> None:
    (tmp_path / folder).mkdir()
    bad = tmp_path / folder / "mine.toml"
    bad.write_text("id = [unclosed\n")
    shelf = shelf_with(tmp_path)
    reported: list[list[str]] = []
    shelf.on_problems = reported.append
    messages = shelf.load_at_start()
    assert shelf.loaded
    assert len(messages) == 1 and str(bad) in messages[0] and messages[0].endswith(f"({kind} skipped)")
    assert shelf.drills and shelf.routines  # the built-ins still load
    assert reported == []  # told once, by the caller's start-up message
    assert shelf.load_at_start() == []  # not read twice


def test_a_good_user_routine_is_in_the_titles_once_loaded(tmp_path: Path) -> None:
    (tmp_path / "routines").mkdir()
    (tmp_path / "routines" / "lunch.toml").write_text(
        'schema_version = 1\nid = "lunch"\nname = "After lunch"\npurpose = "Undoes the slump."\n'
        '[[steps]]\ndrill = "hip-hinge"\n')
    shelf = shelf_with(tmp_path)
    assert shelf.load_at_start() == []
    assert shelf.loaded
    assert shelf.routine_titles()[-1] == ("lunch", "After lunch")


def test_problems_of_a_load_on_first_use_are_reported_once(tmp_path: Path) -> None:
    shelf = LibraryShelf(tmp_path / "no-drills", asset_path("routines"), None, None)
    reported: list[list[str]] = []
    shelf.on_problems = reported.append
    assert shelf.load_at_start() == []
    assert shelf.drills == []
    assert shelf.routines == []
    assert len(reported) == 1
    assert any("cannot list drill files" in m for m in reported[0])
    assert any("(routine skipped)" in m for m in reported[0])  # the routines name drills that did not load


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_the_index_names_the_routines_as_the_loaded_library_does(language: str) -> None:
    install(language)
    index = LibraryShelf(asset_path("drills"), asset_path("routines")).routine_titles()
    loaded = LibraryShelf(asset_path("drills"), asset_path("routines"))
    assert [(r.id, routine_name(r)) for r in loaded.routines] == index
    assert loaded.routine_titles() == index
    if language == "de":
        assert ("morning", "Hüftroutine am Morgen") in index


def test_the_index_leaves_out_what_the_loader_would_skip(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text('id = "one"\nname = "One"\n')
    (tmp_path / "b.toml").write_text('id = "one"\nname = "Again"\n')  # a repeated id: the first file wins
    (tmp_path / "c.toml").write_text("id = [\n")  # not TOML
    (tmp_path / "d.toml").write_bytes(b'id = "\xff"\n')  # not UTF-8
    (tmp_path / "e.toml").write_text('id = 3\nname = "Three"\n')  # id not text
    (tmp_path / "f.toml").write_text('id = "two"\nname = "Two"\n')
    (tmp_path / "g.txt").write_text('id = "three"\nname = "Three"\n')
    assert [(e.id, e.name) for e in read_routine_index(tmp_path)] == [("one", "One"), ("two", "Two")]
    assert read_routine_index(tmp_path / "missing") == []
