"""Issue 21 items 10-12: the drill window's life cycle through the real app on a real X server.

Each step checks that exactly one visible window titled ``Unsit…`` shows a running drill and that
the command line's answer is true. The idle wait after an early end is real time (40 s without
input): the idle counter is the X server's, which no setting can speed up; it is the one slow test.
"""

from __future__ import annotations

import time

import pytest

from tests.e2e.running_app import RunningApp

pytestmark = [pytest.mark.desktop, pytest.mark.slow]  # the real app on its own desktop


def _one_running_drill(app: RunningApp) -> dict:
    """Wait for exactly one visible ``Unsit…`` window and a running drill in the status; the status."""
    def settled():
        status = app.status()
        drill = status.get("drill")
        windows = app.windows_named("^Unsit")
        if status["phase"] == "in_drill" and drill and drill["state"] not in ("finished", "ended_early") \
                and len(windows) == 1:
            return status
        return None

    return app.wait_until(settled, 20, "one visible drill window with a running drill")


def _key(app: RunningApp, key: str) -> None:
    [window] = app.windows_named("^Unsit")
    app.desktop.run("xdotool", "windowfocus", "--sync", window, check=False)
    app.desktop.run("xdotool", "key", key)  # to the focused window, through XTEST (real input)


def _finish(app: RunningApp) -> None:
    """Do over half of the drill (a drill mostly skipped is not done), skip the rest (Right arrow)
    to its end screen, with the pointer resting on the window to keep that open."""
    [window] = app.windows_named("^Unsit")
    app.desktop.run("xdotool", "mousemove", "--window", window, "200", "200")
    app.wait_until(lambda: (d := app.status()["drill"]) and d["active_seconds"] > d["steps_seconds"] / 2 + 3,
                   200, "over half of the drill done")
    _skip_to_the_end(app)
    status = app.wait_until(lambda: (s := app.status())["phase"] != "in_drill" and s, 10, "the drill to finish")
    assert status["drill"]["state"] == "finished" and len(app.windows_named("^Unsit")) == 1  # the end screen


def _skip_to_the_end(app: RunningApp) -> None:
    for _ in range(60):
        if app.status()["phase"] != "in_drill":
            return
        _key(app, "Right")
        time.sleep(0.2)


def test_drill_end_screen_drill_again_and_drill_during_a_drill(tmp_path):
    app = RunningApp(tmp_path / "a", 'drill_length = "short"\n')
    try:
        # Right after start-up on an idle display (nobody has touched it): a real window.
        out = app.cli("drill", "hinge")  # a short hinge drill: about 75 s of steps
        assert out.returncode == 0 and out.stdout.startswith("Started: "), out
        first = _one_running_drill(app)["drill"]
        assert out.stdout.strip() == f"Started: {first['name']}"

        # Drill during a drill: says which one runs, no false "Started", exit 6, still one window.
        during = app.cli("drill", "rotation")
        assert during.returncode == 6 and "Started" not in during.stdout
        assert "already running" in during.stderr and first["name"] in during.stderr
        assert _one_running_drill(app)["drill"]["id"] == first["id"]

        # Drill on the end screen: a new, running drill in one window (was: phase in_drill, drill null).
        _finish(app)
        again = app.cli("drill", "rotation")
        assert again.returncode == 0 and again.stdout.startswith("Started: "), again
        second = _one_running_drill(app)["drill"]
        assert again.stdout.strip() == f"Started: {second['name']}" and second["state"] != "finished"

        # Skipped through at once: a drill mostly skipped ends early and its window stays open on that.
        _skip_to_the_end(app)
        status = app.wait_until(lambda: (s := app.status())["phase"] == "skipped" and s, 10, "the early end")
        assert status["drill"]["state"] == "ended_early" and len(app.windows_named("^Unsit")) == 1
        third = app.cli("drill", "stability")
        assert third.returncode == 0 and third.stdout.startswith("Started: "), third
        assert third.stdout.strip() == f"Started: {_one_running_drill(app)['drill']['name']}"

        _key(app, "Escape")  # ended early: the engine hears of it, so the new window did report
        app.wait_until(lambda: app.status()["phase"] == "skipped" and not app.windows_named("^Unsit"), 15,
                       "the early end to reach the engine")
    finally:
        app.quit()


def test_a_drill_after_an_early_end_and_40_s_without_input_opens_a_window(tmp_path):
    app = RunningApp(tmp_path / "a", "")
    try:
        assert app.cli("drill", "rotation").returncode == 0
        _one_running_drill(app)
        _key(app, "Escape")
        app.wait_until(lambda: app.status()["phase"] == "skipped" and not app.windows_named("^Unsit"), 15,
                       "the drill to end early")
        app.wait_until(lambda: app.status()["away_seconds"] >= 40, 60, "40 s without keyboard or mouse input")
        out = app.cli("drill", "rotation")
        assert out.returncode == 0 and out.stdout.startswith("Started: "), out
        drill = _one_running_drill(app)["drill"]
        assert out.stdout.strip() == f"Started: {drill['name']}"
    finally:
        app.quit()
