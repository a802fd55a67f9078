"""Live settings: update saves and announces; hand edits of settings.toml are picked up."""

from __future__ import annotations

import os
import shutil

import pytest

from unsit.core.settings import Settings, SettingsError
from unsit.store.settings_file import SettingsFile, render_toml
from unsit.store.settings_store import SettingsStore


@pytest.fixture
def store(tmp_path, qtbot):
    s = SettingsStore(SettingsFile(tmp_path / "cfg" / "settings.toml"))
    assert s.load_initial() == []
    return s


def edit_externally(path, text: str) -> None:
    """What an editor does: write a new file and rename it over the old one."""
    tmp = path.with_name("settings.toml~new")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def test_load_initial_creates_the_file(store):
    assert store.path.exists()
    assert store.settings == Settings()


def test_load_initial_reports_problems(tmp_path, qtbot):
    path = tmp_path / "settings.toml"
    path.write_text("interval_minutes = 0\n")
    store = SettingsStore(SettingsFile(path))
    problems = store.load_initial()
    assert any("interval_minutes = 0" in p for p in problems)
    assert store.settings.interval_minutes == 60


def test_update_saves_and_emits(store, qtbot):
    new = Settings(interval_minutes=25, sounds_enabled=False)
    with qtbot.waitSignal(store.settings_changed, timeout=1000) as blocker:
        store.update(new)
    assert blocker.args == [new]
    assert store.settings == new
    assert SettingsFile(store.path).load().settings == new


def test_update_rejects_bad_settings(store):
    with pytest.raises(SettingsError, match="interval_minutes"):
        store.update(Settings(interval_minutes=0))
    assert store.settings == Settings()
    assert "interval_minutes = 60" in store.path.read_text()


def test_own_save_does_not_trigger_a_reload(store, qtbot):
    store.update(Settings(snooze_minutes=4))
    with qtbot.assertNotEmitted(store.settings_changed), qtbot.assertNotEmitted(store.settings_problem):
        qtbot.waitUntil(lambda: store._reload_timer.isActive(), timeout=2000)
        qtbot.waitUntil(lambda: not store._reload_timer.isActive(), timeout=2000)


def test_external_edit_is_applied(store, qtbot):
    text = render_toml(Settings(interval_minutes=33, drill_family="rotation"))
    with qtbot.waitSignal(store.settings_changed, timeout=3000) as blocker:
        edit_externally(store.path, text)
    assert blocker.args[0].interval_minutes == 33
    assert store.settings.drill_family == "rotation"
    # The watch survives the rename: a second edit is seen too.
    with qtbot.waitSignal(store.settings_changed, timeout=3000):
        edit_externally(store.path, text.replace("interval_minutes = 33", "interval_minutes = 34"))
    assert store.settings.interval_minutes == 34


def test_in_place_write_is_applied(store, qtbot):
    with qtbot.waitSignal(store.settings_changed, timeout=3000):
        store.path.write_text(render_toml(Settings(snooze_minutes=12)))
    assert store.settings.snooze_minutes == 12


def test_in_place_write_after_an_atomic_replace_is_applied(store, qtbot):
    """Even while the replaced file is still open somewhere (its watch then stays on it)."""
    with store.path.open("rb"):
        with qtbot.waitSignal(store.settings_changed, timeout=3000):
            edit_externally(store.path, render_toml(Settings(snooze_minutes=7)))
        with qtbot.waitSignal(store.settings_changed, timeout=3000):  # the file's watch moved to the new file
            store.path.write_text(render_toml(Settings(snooze_minutes=8)))
    assert store.settings.snooze_minutes == 8


def test_other_files_in_the_folder_change_nothing(store, qtbot):
    with qtbot.assertNotEmitted(store.settings_changed), qtbot.assertNotEmitted(store.settings_problem):
        (store.path.parent / "notes.txt").write_text("not the settings\n")
        qtbot.waitUntil(lambda: store._reload_timer.isActive(), timeout=2000)
        qtbot.waitUntil(lambda: not store._reload_timer.isActive(), timeout=2000)


def test_a_symlinked_file_is_followed_to_its_target(tmp_path, qtbot):
    """A dotfile manager's link: edits of the target, in place or by an atomic save, are applied."""
    real = tmp_path / "dotfiles" / "settings.toml"
    real.parent.mkdir()
    real.write_text(render_toml(Settings()))
    link = tmp_path / "cfg" / "settings.toml"
    link.parent.mkdir()
    link.symlink_to(real)
    store = SettingsStore(SettingsFile(link))
    assert store.load_initial() == []
    with qtbot.waitSignal(store.settings_changed, timeout=3000):
        real.write_text(render_toml(Settings(interval_minutes=41)))
    assert store.settings.interval_minutes == 41
    with qtbot.waitSignal(store.settings_changed, timeout=3000):
        edit_externally(real, render_toml(Settings(interval_minutes=42)))
    assert store.settings.interval_minutes == 42
    with qtbot.waitSignal(store.settings_changed, timeout=3000):  # and in place again, on the new file
        real.write_text(render_toml(Settings(interval_minutes=43)))
    assert store.settings.interval_minutes == 43
    assert link.is_symlink()


def test_a_removed_folder_is_written_again_and_watched(store, qtbot):
    store.update(Settings(interval_minutes=35))
    shutil.rmtree(store.path.parent)
    qtbot.waitUntil(store.path.exists, timeout=3000)  # the reload writes the settings in force again
    assert "interval_minutes = 35" in store.path.read_text()
    with qtbot.waitSignal(store.settings_changed, timeout=3000):  # and the new folder is watched
        edit_externally(store.path, render_toml(Settings(interval_minutes=36)))
    assert store.settings.interval_minutes == 36


def test_bad_external_edit_keeps_previous_good_value(store, qtbot):
    store.update(Settings(interval_minutes=45))
    text = render_toml(Settings(interval_minutes=45)).replace("interval_minutes = 45", "interval_minutes = 999")
    text = text.replace("snooze_minutes = 10", "snooze_minutes = 15")
    with (qtbot.waitSignal(store.settings_problem, timeout=3000) as problem,
          qtbot.waitSignal(store.settings_changed, timeout=3000)):
        edit_externally(store.path, text)
    assert "interval_minutes = 999" in problem.args[0] and "1 to 240" in problem.args[0]
    assert store.settings.interval_minutes == 45  # previous good value
    assert store.settings.snooze_minutes == 15  # the valid part of the edit applies
    assert list(store.path.parent.glob("settings.toml.bad-*"))
    assert "interval_minutes = 45" in store.path.read_text()  # repaired on disk


def test_unparsable_external_edit_changes_nothing(store, qtbot):
    store.update(Settings(interval_minutes=50))
    with (qtbot.assertNotEmitted(store.settings_changed),
          qtbot.waitSignal(store.settings_problem, timeout=3000) as problem):
        edit_externally(store.path, "interval_minutes = [\n")
    assert "not valid TOML" in problem.args[0]
    assert store.settings.interval_minutes == 50


def test_a_file_refused_again_and_again_is_reported_once(store, qtbot):
    store.path.unlink()
    os.mkfifo(store.path)
    problems: list[str] = []
    store.settings_problem.connect(problems.append)
    for _ in range(3):  # e.g. the watcher fires on every touch of the FIFO
        store.reload()
    assert len(problems) == 1 and "FIFO" in problems[0]
    assert store.settings == Settings()
    store.path.unlink()
    edit_externally(store.path, "interval_minutes = 0\n")  # a different problem is said again
    store.reload()
    assert len(problems) == 2 and "interval_minutes" in problems[1]
