"""The real app on a real Wayland compositor with ext-idle-notify-v1 (sway 1.10 from Debian 13).

The app runs as a Qt Wayland client of a headless sway, learns idle time from the Wayland
protocol (not X11, not D-Bus), nudges through mako, and opens its drill window when the
notification's default action is invoked. It waits on the app's own clock (minutes).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from tests.e2e.running_wayland_app import RunningWaylandApp, wayland_root_or_skip

pytestmark = [pytest.mark.slow]

T = TypeVar("T")


def keep_typing_until(app: RunningWaylandApp, predicate: Callable[[], T], timeout: float, what: str) -> T:
    """Press Shift every second until ``predicate()`` holds."""
    deadline = time.monotonic() + timeout
    while not (value := predicate()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}:\n{app.output()[-3000:]}")
        app.poke(0)
        time.sleep(1)
    return value


def test_wayland_idle_streak_away_and_a_nudge_that_opens_the_drill(tmp_path: Path) -> None:
    wayland_root_or_skip()
    started = time.monotonic()
    app = RunningWaylandApp(tmp_path / "a", "interval_minutes = 1\naway_reset_minutes = 1\n")
    try:
        assert "ext_idle_notifier_v1" in app.desktop.globals()
        status = app.status()
        assert status["idle_source"] == "wayland-ext-idle", status
        log = (tmp_path / "a" / "XDG_STATE_HOME" / "unsit" / "log" / "unsit.log").read_text()
        assert "idle source: wayland-ext-idle" in log
        # Without a tray (sway has none here) the user is told once; clear it for the count below.
        app.wait_until(lambda: app.desktop.notifications(), 20, "the no-tray message")
        app.desktop.run("makoctl", "dismiss", "--all")

        # Typing: the streak grows.
        typing_from = time.monotonic()
        keep_typing_until(app, lambda: app.status()["streak_seconds"] >= 20, 40, "the streak to grow")
        typing = app.status()
        # The keys were seen: the away run is within the notification's 5 s timeout, not the
        # time since the app started (a source that missed the input would report that).
        assert typing["phase"] == "sitting" and typing["away_seconds"] <= 6, typing
        assert time.monotonic() - typing_from >= 12
        # Hands off: half a minute still counts as sitting (and present: no nudge yet) ...
        idle_from = time.monotonic()
        app.wait_until(lambda: time.monotonic() - idle_from > 25, 40, "25 s without input")
        mid = app.status()
        assert mid["phase"] == "sitting" and mid["streak_seconds"] >= 30, mid
        # ... a minute without input (away_reset_minutes = 1) ends it.
        away = app.wait_until(lambda: (s := app.status())["streak_seconds"] == 0 and s, 90, "the streak to end")
        assert away["phase"] == "away", away
        assert time.monotonic() - idle_from >= 55
        assert app.desktop.notifications() == []  # nobody was nudged while away

        # Back at the desk: a new streak, and after a minute of it exactly one nudge.
        keep_typing_until(app, lambda: app.desktop.notifications(), 120, "the nudge")
        back_to_nudge = time.monotonic()
        keep_typing_until(app, lambda: time.monotonic() - back_to_nudge > 6, 20, "a few more seconds")
        assert len(app.desktop.notifications()) == 1, app.desktop.notifications()
        assert app.status()["phase"] == "nudge_due"

        # Clicking it (mako's default action, as a left click does) opens the drill window.
        before = set(app.desktop.window_titles())
        app.desktop.run("makoctl", "invoke")
        new = app.wait_until(
            lambda: [t for t in app.desktop.window_titles() if t.startswith("Unsit") and t not in before],
            20, "a window titled Unsit")
        assert new[0].startswith("Unsit — "), new
        # sway tiles ordinary windows to the whole output; the drill window floats at its size.
        assert app.desktop.floating_windows().get(new[0]) == (420, 520), app.desktop.floating_windows()
        shot = app.desktop.screenshot("drill.png")
        assert shot.stat().st_size > 1000  # kept with the test's files, to look at
        app.wait_until(lambda: app.status()["phase"] == "in_drill", 10, "in_drill")
        print(f"wayland e2e took {time.monotonic() - started:.0f} s")
    finally:
        assert app.quit() == 0
