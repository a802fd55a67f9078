"""The real app on real desktops: tray, live streak from real input, nudges through dunst.

Each app runs on its own Xvfb so one can be kept busy with xdotool while another is left
idle. These tests wait on the app's own clock (minutes), so they are marked slow.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.e2e.running_app import RunningApp

pytestmark = [pytest.mark.desktop, pytest.mark.slow]


def keep_active_until(apps, predicate, timeout, what):
    """Move the mouse on every app's desktop every second until ``predicate()`` holds."""
    deadline = time.monotonic() + timeout
    step = 0
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        for app in apps:
            app.poke(step)
        step += 1
        time.sleep(1)


def test_tray_icon_and_live_streak_from_real_input(tmp_path):
    app = RunningApp(tmp_path / "a", "interval_minutes = 60\naway_reset_minutes = 1\n")
    try:
        status = app.wait_until(lambda: (s := app.status()) and s["tray_embedded"] and s, 30, "the tray icon")
        assert status["tray_available"] is True
        assert status["tray_kind"] == "xembed"
        assert status["idle_source"] == "x11"
        assert status["next_nudge_in_seconds"] is not None
        # Nudges go to dunst, which has actions; the tray would take them if it failed.
        assert status["notifier"] == "freedesktop" and status["notifier_fallback"] is False
        assert status["notify_server"].startswith("dunst") and "actions" in status["notify_capabilities"]
        assert status["nudge_channels"] == ["freedesktop"]
        # The tray icon window is embedded in trayer's window on the X server.
        assert app.desktop.tray_ready()
        keep_active_until([app], lambda: app.status()["streak_seconds"] >= 15, 60, "the streak to grow")
        status = app.status()
        assert status["phase"] == "sitting"
        assert 3000 < status["next_nudge_in_seconds"] <= 3600 - 15
        # Hands off: a short pause still counts as sitting ...
        idle_from = time.monotonic()
        app.wait_until(lambda: time.monotonic() - idle_from > 25, 40, "25 s of idling")
        mid = app.status()
        assert mid["streak_seconds"] >= 35 and mid["phase"] == "sitting", mid
        # ... but a minute away (away_reset_minutes = 1) ends the streak.
        away = app.wait_until(lambda: (s := app.status())["streak_seconds"] == 0 and s, 90, "the streak to reset")
        assert away["phase"] == "away"
        assert time.monotonic() - idle_from >= 55
        # Input again: a new streak starts.
        keep_active_until([app], lambda: app.status()["phase"] == "sitting", 30, "a new streak")
    finally:
        assert app.quit() == 0


def test_nudge_arrives_once_opens_a_drill_and_idle_sessions_get_none(tmp_path):
    active = RunningApp(tmp_path / "active", "interval_minutes = 1\naway_reset_minutes = 5\n")
    idle = RunningApp(tmp_path / "idle", "interval_minutes = 1\naway_reset_minutes = 1\n")
    no_tray = RunningApp(tmp_path / "no_tray", "interval_minutes = 1\n", with_tray=False)
    try:
        assert no_tray.status()["tray_available"] is False
        # Without a tray the user is told once (through the notification server) ...
        no_tray.wait_until(lambda: no_tray.displayed_count() == 1, 10, "the no-tray message")
        started = time.monotonic()
        keep_active_until([active, no_tray], lambda: active.displayed_count() >= 1 and no_tray.displayed_count() >= 2,
                          120, "the nudges")
        waited = time.monotonic() - started
        assert 45 <= waited <= 100, waited
        assert active.status()["phase"] == "nudge_due"
        # Exactly one: a few more seconds of sitting bring no second nudge (the repeat comes after snooze).
        keep_active_until([active], lambda: time.monotonic() - started > waited + 8, 20, "a few seconds")
        assert active.displayed_count() == 1
        assert idle.displayed_count() == 0

        # Clicking the notification (its default action) opens a drill window titled "Unsit ...".
        active.desktop.dunst.action(0)
        windows = active.wait_until(lambda: active.windows_named("^Unsit"), 20, "a window titled Unsit")
        assert active.window_name(windows[0]).startswith("Unsit — ")
        status = active.wait_until(lambda: (s := active.status())["phase"] == "in_drill" and s, 10, "in_drill")
        assert status["drill"] is not None
        # ... and its countdown moves.
        first = status["drill"]["remaining_seconds"]
        active.wait_until(lambda: active.status()["drill"]["remaining_seconds"] < first - 1, 15, "the countdown")
        # The notification came from Unsit.
        active.desktop.dunst.close_all()
        apps = {n["appname"] for n in active.history_json()}
        assert apps == {"Unsit"}
        # Nothing was ever shown on the idle desktop, whose streak has ended by now.
        assert idle.displayed_count() == 0 and idle.history_json() == []
        idle.wait_until(lambda: idle.status()["phase"] == "away", 30, "the idle desktop to count as away")
        # No tray: still nudged, status and drill still work.
        assert no_tray.status()["phase"] == "nudge_due"
        assert no_tray.cli("drill", "rotation").returncode == 0
        no_tray.wait_until(lambda: no_tray.windows_named("^Unsit"), 20, "a drill window without a tray")
    finally:
        codes = [app.quit() for app in (active, idle, no_tray)]
    assert codes == [0, 0, 0]


def test_second_start_hands_over_and_commands_reach_the_instance(tmp_path):
    app = RunningApp(tmp_path / "a", "interval_minutes = 30\n")
    try:
        second = app.cli()  # `unsit` again
        assert second.returncode == 0 and "already running" in second.stdout
        assert app.proc.poll() is None
        out = app.cli("pause", "1h")
        assert out.returncode == 0 and out.stdout.startswith("Paused until")
        status = app.status()
        assert status["phase"] == "paused" and status["paused_until"] is not None
        assert status["next_nudge_in_seconds"] is None
        assert app.cli("resume").returncode == 0
        assert app.status()["phase"] != "paused"
        # Privacy: the app holds no network socket at all (only its local Unix sockets).
        assert app.network_sockets() == []
        human = app.cli("status")
        assert "Sitting streak:" in human.stdout and "Idle detection: x11" in human.stdout
    finally:
        assert app.quit() == 0
    assert app.cli("status").returncode == 3


def test_hand_edits_to_settings_apply_live_and_bad_ones_are_refused(tmp_path):
    app = RunningApp(tmp_path / "a", "interval_minutes = 30\n")
    settings_file = tmp_path / "a" / "XDG_CONFIG_HOME" / "unsit" / "settings.toml"
    autostart = tmp_path / "a" / "XDG_CONFIG_HOME" / "autostart" / "unsit.desktop"
    try:
        assert app.status()["interval_seconds"] == 30 * 60
        settings_file.write_text("interval_minutes = 45\nstart_at_login = true\nmorning_routine = false\n")
        app.wait_until(lambda: app.status()["interval_seconds"] == 45 * 60, 10, "the edit to apply")
        app.wait_until(autostart.exists, 10, "the autostart entry")
        assert "Exec=" in autostart.read_text()
        before = app.displayed_count()
        settings_file.write_text("interval_minutes = 999\nstart_at_login = true\n")
        app.wait_until(lambda: app.displayed_count() > before, 10, "a message about the bad value")
        assert app.status()["interval_seconds"] == 45 * 60  # the previous good value is kept
        app.desktop.dunst.close_all()
        bodies = " ".join(n["body"] for n in app.history_json())
        assert "interval_minutes" in bodies and "999" in bodies and "240" in bodies
        assert list(settings_file.parent.glob("settings.toml.bad-*"))  # the bad file is kept aside
        settings_file.write_text("start_at_login = false\n")
        app.wait_until(lambda: not autostart.exists(), 10, "the autostart entry to go")
        assert app.proc.poll() is None
    finally:
        assert app.quit() == 0


def test_sigterm_ends_the_app_cleanly_at_once(tmp_path):
    import signal

    app = RunningApp(tmp_path / "a", "")
    socket_file = Path(app.env["XDG_RUNTIME_DIR"]) / "unsit" / "unsit.sock"  # short: it must fit a socket path
    try:
        assert socket_file.exists()
        started = time.monotonic()
        app.proc.send_signal(signal.SIGTERM)
        assert app.proc.wait(10) == 0
        assert time.monotonic() - started < 3  # no polling timer to wait for
        assert not socket_file.exists()
        assert "stopped" in (tmp_path / "a" / "XDG_STATE_HOME" / "unsit" / "log" / "unsit.log").read_text()
        # What a start from a terminal (scripts/run) shows: one line, no warning (no system bus here).
        lines = app.output().splitlines()
        said = [line for line in lines if "runs" in line]
        assert len(said) == 1, lines
        assert said[0].startswith("Unsit runs: its icon is in the system tray. Stop it with `")
        assert said[0].endswith("/.venv/bin/unsit quit` or Ctrl+C.") or said[0].endswith(" `unsit quit` or Ctrl+C.")
        assert not any("WARNING" in line or "system D-Bus" in line for line in lines), lines
    finally:
        app.quit()
