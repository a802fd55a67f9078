"""Sit-stand desks on the real app, with real input: standing is not sitting.

Each case runs `unsit` on its own Xvfb (with trayer, or with a stand-in SNI host) and waits on
the app's own clock, so they are marked slow.
"""

from __future__ import annotations

import time

import pytest

from tests.e2e.running_app import RunningApp
from tests.e2e.test_app import keep_active_until
from tests.sni_host import StandInSniHost

pytestmark = [pytest.mark.desktop, pytest.mark.slow]


def test_standing_holds_the_streak_and_the_nudge_and_sitting_down_starts_from_zero(tmp_path):
    app = RunningApp(tmp_path / "a", "interval_minutes = 1\naway_reset_minutes = 1\n")
    try:
        app.wait_until(lambda: app.status()["tray_embedded"], 30, "the tray icon")
        keep_active_until([app], lambda: app.status()["streak_seconds"] >= 30, 60, "30 s of sitting")
        stood = app.cli("stand")
        assert stood.returncode == 0, stood.stderr
        assert app.cli("posture").stdout == "standing\n"
        status = app.status()
        assert (status["posture"], status["phase"]) == ("standing", "standing")
        streak_when_standing = status["streak_seconds"]
        assert 30 <= streak_when_standing < 45
        # 70 s of real input while standing: the interval (60 s) passes, yet nothing grows and no nudge comes.
        started = time.monotonic()
        seen = []
        keep_active_until([app], lambda: seen.append(app.status()) or time.monotonic() - started >= 70, 90,
                          "70 s of standing at the keyboard")
        assert all(s["posture"] == "standing" for s in seen)
        assert max(s["streak_seconds"] for s in seen) <= streak_when_standing + 1
        assert seen[-1]["standing_seconds"] >= 65
        assert seen[-1]["next_nudge_in_seconds"] is None
        assert app.displayed_count() == 0 and app.history_json() == []  # no nudge, shown or closed
        # Standing for the away reset (1 min) was the break: sitting down starts from zero.
        sat = app.cli("sit")
        assert sat.returncode == 0, sat.stderr
        after = app.status()
        assert (after["posture"], after["phase"]) == ("sitting", "sitting")
        assert after["streak_seconds"] <= 5
        assert app.cli("posture").stdout == "sitting\n"
        again = app.cli("sit")  # already sitting: says so, changes nothing
        assert again.returncode == 0 and "already" in again.stdout
    finally:
        assert app.quit() == 0


def _tray_icon_centre(app: RunningApp) -> tuple[int, int]:
    """The middle of the tray icon: the app's smallest visible window (embedded in trayer; a menu is bigger)."""
    boxes = []
    for window in app.desktop.run("xdotool", "search", "--onlyvisible", "--class", "unsit").stdout.split():
        out = app.desktop.run("xdotool", "getwindowgeometry", "--shell", window).stdout
        geometry = {key: int(value) for key, value in (line.split("=", 1) for line in out.split())}
        boxes.append((geometry["WIDTH"] * geometry["HEIGHT"], geometry))
    geometry = min(boxes, key=lambda box: box[0])[1]
    return geometry["X"] + geometry["WIDTH"] // 2, geometry["Y"] + geometry["HEIGHT"] // 2


def _choose_standing_in_the_tray_menu(app: RunningApp) -> None:
    """Right-click the XEmbed icon and pick "I'm standing" by its mnemonic, as a keyboard user does.

    The click is sent again when no menu shows within a few seconds (a click that came while the
    tray was still placing the icon is lost on a busy machine)."""
    def menu_open() -> bool:
        shown = app.desktop.run("xdotool", "search", "--onlyvisible", "--class", "unsit", check=False).stdout
        return len(shown.split()) == 2  # the icon and its menu

    for _attempt in range(3):
        x, y = _tray_icon_centre(app)
        app.desktop.run("xdotool", "mousemove", str(x), str(y), "click", "3")
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not menu_open():
            time.sleep(0.2)
        if menu_open():
            break
    else:
        raise AssertionError(f"no tray menu after three right clicks:\n{app.output()[-2000:]}")
    app.desktop.run("xdotool", "key", "s")
    app.wait_until(lambda: not menu_open(), 10, "the tray menu to close")


def test_the_trays_check_item_toggles_standing_through_the_xembed_menu(tmp_path):
    app = RunningApp(tmp_path / "x", "interval_minutes = 60\n")
    try:
        app.wait_until(lambda: app.status()["tray_kind"] == "xembed", 30, "the XEmbed icon")
        _choose_standing_in_the_tray_menu(app)
        app.wait_until(lambda: app.status()["posture"] == "standing", 10, "standing from the tray menu")
        _choose_standing_in_the_tray_menu(app)
        app.wait_until(lambda: app.status()["posture"] == "sitting", 10, "sitting from the tray menu")
    finally:
        assert app.quit() == 0


def test_the_trays_check_item_toggles_standing_through_dbusmenu(tmp_path):
    app = RunningApp(tmp_path / "sni", "interval_minutes = 60\n", with_tray=False,
                     before_start=lambda desktop: StandInSniHost(desktop.env["DBUS_SESSION_BUS_ADDRESS"]))
    host: StandInSniHost = app.extra
    try:
        app.wait_until(lambda: app.status()["tray_kind"] == "sni", 30, "the SNI item")
        item = host.items[-1]
        host.menu_click(item, "I'm standing")
        app.wait_until(lambda: app.status()["posture"] == "standing", 10, "standing from the panel's menu")
        assert host.menu_toggle_state(item, "I'm standing") == 1  # the panel draws it checked
        host.menu_click(item, "I'm standing")
        app.wait_until(lambda: app.status()["posture"] == "sitting", 10, "sitting from the panel's menu")
        app.wait_until(lambda: host.menu_toggle_state(item, "I'm standing") == 0, 10, "the item unchecked")
    finally:
        host.close()
        assert app.quit() == 0
