"""Start at login across launches (issue 25): an entry that exists before the first launch (the
installer's "Start Unsit when I sign in") is adopted, and after that the entry changes only when
the setting does. On Linux through the XDG autostart entry; the same code drives the Windows Run
value and the macOS LaunchAgent (the CI workflow's Windows job checks the real Run value)."""

from __future__ import annotations

import pytest

from tests.e2e.running_app import RunningApp
from unsit.platform.autostart import XdgAutostart

pytestmark = [pytest.mark.slow, pytest.mark.desktop]


def test_an_entry_written_before_the_first_launch_is_adopted_and_survives_it(tmp_path):
    root = tmp_path / "a"
    entry = XdgAutostart(root / "XDG_CONFIG_HOME", ["unsit"])
    settings_file = root / "XDG_CONFIG_HOME" / "unsit" / "settings.toml"
    # Written as an installer or a package would, before Unsit ever ran.
    app = RunningApp(root, settings=None, before_start=lambda _desktop: entry.set_enabled(True))
    try:
        app.wait_until(lambda: settings_file.is_file() and "start_at_login = true" in settings_file.read_text(),
                       10, "the adopted setting to be saved")
        assert entry.path.is_file()
    finally:
        assert app.quit() == 0
    assert entry.path.is_file()


def test_an_existing_settings_file_leaves_the_entry_alone_until_the_setting_changes(tmp_path):
    root = tmp_path / "a"
    entry = XdgAutostart(root / "XDG_CONFIG_HOME", ["unsit"])
    settings_file = root / "XDG_CONFIG_HOME" / "unsit" / "settings.toml"
    # The entry exists, the setting says off (e.g. the entry was made by hand while Unsit was not running).
    app = RunningApp(root, "interval_minutes = 30\n", before_start=lambda _desktop: entry.set_enabled(True))
    try:
        settings_file.write_text("morning_routine = false\ninterval_minutes = 45\n")  # another setting
        app.wait_until(lambda: app.status()["interval_seconds"] == 45 * 60, 10, "the edit to apply")
        assert entry.path.is_file()  # neither the start nor an unrelated change removed it
        # On (the entry is there already), applied together with an interval we can see ...
        settings_file.write_text("morning_routine = false\ninterval_minutes = 50\nstart_at_login = true\n")
        app.wait_until(lambda: app.status()["interval_seconds"] == 50 * 60, 10, "the edit to apply")
        assert entry.path.is_file()
        # ... then off: now the setting changed, and the entry goes.
        settings_file.write_text("morning_routine = false\ninterval_minutes = 50\nstart_at_login = false\n")
        app.wait_until(lambda: not entry.path.exists(), 10, "the entry to go when the setting is switched off")
    finally:
        assert app.quit() == 0
