"""The real app in German: the command line, the drill window, and switching the language live."""

from __future__ import annotations

import os

import pytest

from tests.e2e.running_app import RunningApp

pytestmark = [pytest.mark.desktop, pytest.mark.slow]


@pytest.fixture
def german_desktop(monkeypatch):
    """The user's system speaks German (the app and every `unsit` command inherit it)."""
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    return os.environ


def test_status_and_replies_in_german_and_the_drill_follows_a_live_language_change(tmp_path, german_desktop):
    app = RunningApp(tmp_path / "de", "interval_minutes = 60\n")
    try:
        status = app.cli("status")
        assert status.returncode == 0, status.stderr
        assert "Sitzzeit am Stück:" in status.stdout and "Nächste Erinnerung in:" in status.stdout, status.stdout
        assert "Phase:" in status.stdout and "sitzt" in status.stdout
        paused = app.cli("pause", "30m")
        assert paused.returncode == 0 and paused.stdout.startswith("Pausiert bis "), paused.stdout
        assert app.cli("resume").stdout.strip() == "Fortgesetzt"

        started = app.cli("drill", "extension")
        assert started.returncode == 0 and started.stdout.startswith("Gestartet: "), started.stdout
        drill = app.wait_until(lambda: app.status()["drill"], 20, "the drill window")
        assert drill["title"].startswith("Unsit – "), drill
        german_cue = drill["cue"]

        # The user picks English in settings.toml: the open drill window follows at once.
        settings = tmp_path / "de" / "XDG_CONFIG_HOME" / "unsit" / "settings.toml"
        settings.write_text('interval_minutes = 60\nlanguage = "en"\n')
        english = app.wait_until(lambda: (d := app.status()["drill"]) and d["title"].startswith("Unsit — ") and d,
                                 20, "the drill window in English")
        assert english["cue"] != german_cue
        assert app.windows_named("Unsit — ")
        # The command line follows the setting too, whatever LANG says.
        assert "Sitting streak:" in app.cli("status").stdout
    finally:
        app.quit()
