"""The real app under other trays and window managers: SNI-only host, no tray at all, i3 tiling.

Each case runs `unsit` on its own Xvfb and session bus, with no XEmbed tray (trayer) there.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.desktop import HeadlessDesktop, stop_process
from tests.e2e.running_app import RunningApp
from tests.sni_host import StandInSniHost
from unsit.ui.drill_window import WINDOW_SIZE

pytestmark = [pytest.mark.desktop, pytest.mark.slow]

ITEM = "org.kde.StatusNotifierItem"
I3_CONFIG = "# i3 config file (v4)\nfont pango:monospace 8\n"  # no bar, no keys: windows only


def start_sni_host(desktop: HeadlessDesktop) -> StandInSniHost:
    return StandInSniHost(desktop.env["DBUS_SESSION_BUS_ADDRESS"])


def test_an_sni_only_tray_shows_the_icon_and_its_menu_and_clicks_work(tmp_path):
    app = RunningApp(tmp_path / "sni", "", with_tray=False, before_start=start_sni_host)
    host: StandInSniHost = app.extra
    try:
        status = app.wait_until(lambda: (s := app.status())["tray_kind"] == "sni" and s, 30, "the SNI item")
        assert status["tray_available"] is True and status["tray_embedded"] is True
        assert not app.desktop.tray_ready()  # no XEmbed tray on this desktop
        item = host.items[-1]
        assert host.item_property(item, "Status") in ("Active", "NeedsAttention")

        # "Open Unsit" in the menu, as the panel draws it (dbusmenu), opens the main window ...
        host.menu_click(item, "Open Unsit")
        [window] = app.wait_until(lambda: app.windows_named("^Unsit$"), 20, "the main window from the menu")
        press(app, window, "Escape")
        app.wait_until(lambda: not app.windows_named("^Unsit$"), 10, "the main window to close")
        # ... and so does a left click (the host calls Activate) while no nudge is due.
        host.call_item(item, "/StatusNotifierItem", ITEM, "Activate", "ii", (10, 10))
        app.wait_until(lambda: app.windows_named("^Unsit$"), 20, "the main window after a left click")
        # The menu as a panel shows it (dbusmenu): its entries reach the app.
        host.menu_click(item, "For 30 minutes")
        paused = app.wait_until(lambda: (s := app.status())["phase"] == "paused" and s, 10, "the pause")
        assert paused["paused_until"] is not None
        host.menu_click(item, "Resume")
        app.wait_until(lambda: app.status()["phase"] != "paused", 10, "the resume")
        host.menu_click(item, "Start drill now")
        app.wait_until(lambda: app.windows_named("^Unsit — "), 20, "the drill window")
        assert app.status()["phase"] == "in_drill"

        # The panel goes away: the watcher says so, and so does the status.
        host.set_host_registered(False)
        gone = app.wait_until(lambda: (s := app.status())["tray_kind"] == "none" and s, 10, "the host to leave")
        assert gone["tray_embedded"] is False
        host.set_host_registered(True)
        app.wait_until(lambda: app.status()["tray_embedded"], 10, "the host to return")
    finally:
        host.close()
        assert app.quit() == 0


def press(app: RunningApp, window: str, keys: str) -> None:
    """Focus ``window`` and type ``keys`` (xdotool key syntax) into it."""
    app.desktop.run("xdotool", "windowfocus", "--sync", window)
    app.desktop.run("xdotool", "key", "--clearmodifiers", keys)


def test_without_a_tray_launching_again_opens_the_main_window_and_its_buttons_work(tmp_path):
    app = RunningApp(tmp_path / "none", "", with_tray=False)
    try:
        status = app.status()
        assert (status["tray_available"], status["tray_embedded"], status["tray_kind"]) == (False, False, "none")
        assert not app.windows_named("^Unsit$")
        again = app.cli()  # `unsit` with no command, as the applications menu starts it
        assert again.returncode == 0 and "already running" in again.stdout
        [window] = app.wait_until(lambda: app.windows_named("^Unsit$"), 20, "the main window")
        assert app.proc.poll() is None  # still the one instance

        press(app, window, "alt+3")  # Pause: 30 min
        app.wait_until(lambda: app.status()["phase"] == "paused", 10, "the pause")
        press(app, window, "alt+r")  # Resume
        app.wait_until(lambda: app.status()["phase"] != "paused", 10, "the resume")
        press(app, window, "alt+u")  # Pause until tomorrow
        until = app.wait_until(lambda: app.status()["paused_until"], 10, "the pause until tomorrow")
        assert "T04:00:00" in until
        press(app, window, "alt+r")
        app.wait_until(lambda: app.status()["phase"] != "paused", 10, "the resume")
        press(app, window, "alt+t")  # Settings…
        app.wait_until(lambda: app.windows_named("^Unsit — Settings$"), 20, "the settings window")
        press(app, window, "alt+h")  # History…
        app.wait_until(lambda: app.windows_named("^Unsit — History$"), 20, "the history window")
        press(app, window, "alt+s")  # Start drill
        app.wait_until(lambda: app.status()["phase"] == "in_drill", 20, "the drill")
        assert app.status()["drill"] is not None
        press(app, window, "alt+q")  # Quit Unsit
        app.proc.wait(20)
        assert app.proc.returncode == 0
    finally:
        assert app.quit() == 0


def start_i3(desktop: HeadlessDesktop) -> subprocess.Popen:
    """Run i3 on the desktop's display and wait until it manages the screen."""
    config = desktop.workdir / "i3.config"
    config.write_text(I3_CONFIG)
    proc = subprocess.Popen(["i3", "-c", str(config)], env=desktop._env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    desktop.procs["i3"] = proc
    check = ["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"]
    deadline = time.monotonic() + 20
    while "window id" not in desktop.run(*check, check=False).stdout:
        if proc.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"i3 did not start (exit code {proc.poll()})")
        time.sleep(0.1)
    return proc


def window_size(desktop: HeadlessDesktop, window: str) -> tuple[int, int]:
    info = desktop.run("xwininfo", "-id", window).stdout
    fields = dict(line.strip().split(": ", 1) for line in info.splitlines() if ": " in line)
    return int(fields["Width"]), int(fields["Height"])


@pytest.mark.skipif(shutil.which("i3") is None, reason="i3 (i3-wm) is not installed")
def test_on_i3_the_drill_window_popup_and_main_window_float_at_their_designed_size(tmp_path):
    app = RunningApp(tmp_path / "i3", "", with_tray=False, before_start=start_i3)
    helper = None
    try:
        # The proof that i3 tiles here: an ordinary window is stretched to the screen.
        helper = subprocess.Popen([sys.executable, "-m", "tests.e2e.show_on_wm"], env=app.env, text=True,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=Path(__file__).parents[2])
        designed = json.loads(helper.stdout.readline())
        [control] = app.wait_until(lambda: app.windows_named("^control$"), 20, "the ordinary window")
        tiled = app.wait_until(lambda: (s := window_size(app.desktop, control))[0] > 1000 and s, 10, "tiling")
        assert tiled[1] > 600
        [popup] = app.wait_until(lambda: app.windows_named("^Unsit — Time to unsit$"), 20, "the popup")
        assert window_size(app.desktop, popup) == tuple(designed["popup"])

        assert app.cli("drill").returncode == 0
        [drill] = app.wait_until(lambda: [w for w in app.windows_named("^Unsit — ") if w != popup], 20,
                                 "the drill window")
        assert window_size(app.desktop, drill) == WINDOW_SIZE
        assert app.cli("open").returncode == 0
        [main] = app.wait_until(lambda: app.windows_named("^Unsit$"), 20, "the main window")
        width, height = window_size(app.desktop, main)
        assert 250 < width < 700 and 80 < height < 400, (width, height)
    finally:
        if helper is not None:
            helper.stdin.close()
            helper.wait(10)
        i3 = app.desktop.procs.pop("i3", None)
        if i3 is not None:
            stop_process(i3)
        assert app.quit() == 0
