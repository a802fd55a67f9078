"""The library shelf: the built-in and the user's drills and routines, read at start-up."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from unsit.runtime.resources import asset_path
from unsit.store.library_shelf import LibraryShelf
from unsit.text.i18n import install


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    yield
    install("en")


def shelf_with(tmp_path: Path) -> LibraryShelf:
    return LibraryShelf(asset_path("drills"), asset_path("routines"), tmp_path / "drills", tmp_path / "routines")


def test_the_built_in_files_load_without_problems(tmp_path: Path) -> None:
    (tmp_path / "drills").mkdir()  # present but empty, as paths.ensure() leaves it
    shelf = shelf_with(tmp_path)
    assert shelf.load() == []
    assert shelf.loaded and len(shelf.drills) >= 10
    assert [r.id for r in shelf.routines] == ["morning", "warm-up"]
    assert [rid for rid, _name in shelf.routine_titles()] == ["morning", "warm-up"]


@pytest.mark.parametrize("folder, kind", [("drills", "drill"), ("routines", "routine")])
def test_a_bad_user_file_is_told_by_the_load(tmp_path: Path, folder: str, kind: str) -> None:
    (tmp_path / folder).mkdir()
    bad = tmp_path / folder / "mine.toml"
    bad.write_text("id = [unclosed\n")
    shelf = shelf_with(tmp_path)
    messages = shelf.load()
    assert len(messages) == 1 and str(bad) in messages[0] and messages[0].endswith(f"({kind} skipped)")
    assert shelf.drills and shelf.routines  # the built-ins still load
    assert shelf.load() == []  # not read twice


def test_a_good_user_routine_is_in_the_titles(tmp_path: Path) -> None:
    (tmp_path / "routines").mkdir()
    (tmp_path / "routines" / "lunch.toml").write_text(
        'schema_version = 1\nid = "lunch"\nname = "After lunch"\npurpose = "Undoes the slump."\n'
        '[[steps]]\ndrill = "hip-hinge"\n')
    shelf = shelf_with(tmp_path)
    assert shelf.load() == []
    assert shelf.routine_titles()[-1] == ("lunch", "After lunch")


def test_the_titles_follow_the_language() -> None:
    shelf = LibraryShelf(asset_path("drills"), asset_path("routines"))
    install("de")
    assert ("morning", "Hüftroutine am Morgen") in shelf.routine_titles()


def test_a_shelf_used_without_load_reads_and_logs_its_problems(tmp_path: Path, caplog) -> None:
    shelf = LibraryShelf(tmp_path / "no-drills", asset_path("routines"), None, None)
    with caplog.at_level(logging.WARNING, logger="unsit.store.library_shelf"):
        assert shelf.drills == []
    assert shelf.routines == []
    assert any("cannot list drill files" in r.getMessage() for r in caplog.records)
    assert any("(routine skipped)" in r.getMessage() for r in caplog.records)  # the routines name missing drills
