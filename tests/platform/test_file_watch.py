"""The settings file's watch: its own writes, renames and removals count; other files do not."""

from __future__ import annotations

import gc
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from unsit.platform.file_watch import FileWatch


@pytest.fixture
def watched(qtbot, tmp_path: Path) -> Iterator[FileWatch]:
    folder = tmp_path / "cfg"
    folder.mkdir()
    (folder / "settings.toml").write_text("a = 1\n")
    watch = FileWatch(folder / "settings.toml")
    assert watch.kind == "inotify"
    yield watch
    watch.close()


def test_a_write_a_rename_over_it_and_a_removal_are_told(qtbot, watched: FileWatch) -> None:
    with qtbot.waitSignal(watched.changed, timeout=3000):
        watched.path.write_text("a = 2\n")
    new = watched.path.with_name("settings.toml.new")
    new.write_text("a = 3\n")
    with qtbot.waitSignal(watched.changed, timeout=3000):
        os.replace(new, watched.path)
    with qtbot.waitSignal(watched.changed, timeout=3000):
        watched.path.unlink()


def test_other_files_in_the_folder_are_not_told(qtbot, watched: FileWatch) -> None:
    with qtbot.assertNotEmitted(watched.changed, wait=300):
        (watched.path.parent / "notes.txt").write_text("not the settings\n")
    with qtbot.waitSignal(watched.changed, timeout=3000):  # still watching
        watched.path.write_text("a = 4\n")


def test_a_folder_removed_and_made_again_is_watched_after_rewatch(qtbot, watched: FileWatch) -> None:
    shutil.rmtree(watched.path.parent)
    qtbot.waitUntil(lambda: watched._wd is None, timeout=3000)
    watched.path.parent.mkdir()
    watched.rewatch()
    with qtbot.waitSignal(watched.changed, timeout=3000):
        watched.path.write_text("a = 5\n")


def test_a_closed_watch_tells_nothing_and_holds_no_descriptor(qtbot, tmp_path: Path) -> None:
    gc.collect()  # an earlier test's unclosed file would otherwise close in the middle
    before = set(os.listdir("/proc/self/fd"))
    watch = FileWatch(tmp_path / "settings.toml")
    watch.close()
    assert set(os.listdir("/proc/self/fd")) - before == set()
    with qtbot.assertNotEmitted(watch.changed, wait=300):
        (tmp_path / "settings.toml").write_text("a = 6\n")
