"""Start the real `unsit` app as a Wayland client of a headless sway and talk to it like a user.

The Wayland sibling of running_app.py: the same status and command helpers, but the desktop
is :class:`tests.wayland_desktop.WaylandDesktop` (sway with ext-idle-notify-v1, mako) and Qt
runs on its wayland platform, so nothing of the app touches an X server.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.running_app import RunningApp, short_runtime_dir
from tests.wayland_desktop import WaylandDesktop, build_wayland_root, wayland_root_unavailable


def wayland_root_or_skip() -> Path:
    """The compositor root, built when needed; skip (or fail on CI) when it cannot be had."""
    reason = wayland_root_unavailable()
    if reason is None:
        try:
            return build_wayland_root()
        except (RuntimeError, subprocess.TimeoutExpired) as error:
            reason = f"cannot build the Wayland root: {error}"
    if os.environ.get("UNSIT_REQUIRE_WAYLAND_ROOT") or os.environ.get("CI"):
        pytest.fail(f"the Wayland tests must run on CI: {reason}")
    pytest.skip(reason)


class RunningWaylandApp(RunningApp):
    """One WaylandDesktop with one `unsit` process on it (QT_QPA_PLATFORM=wayland)."""

    desktop: WaylandDesktop  # type: ignore[assignment]  # the Wayland desktop takes the X11 one's place

    def __init__(self, root: Path, settings: str = "", *, with_tray: bool = False) -> None:
        # super().__init__ would start X.
        self.root = root
        self.desktop = WaylandDesktop(root / "desktop", with_tray=with_tray)  # type: ignore[assignment]
        self.desktop.workdir.mkdir(parents=True)
        self.env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "DBUS_SESSION_BUS_ADDRESS")}
        for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
            (root / var).mkdir(parents=True, mode=0o700)
            self.env[var] = str(root / var)
        self.env["XDG_RUNTIME_DIR"] = short_runtime_dir(root)
        try:
            self.env.update(self.desktop.start())
        except Exception:
            self.desktop.stop()
            raise
        self.env["QT_QPA_PLATFORM"] = "wayland"
        self.command = [sys.executable, "-m", "unsit"]
        (root / "XDG_CONFIG_HOME" / "unsit").mkdir(mode=0o700)
        # The morning-routine offer (its own notification at the first sit-down) is off unless a
        # test asks for it: these tests count the hourly nudge's notifications.
        if "morning_routine" not in settings:
            settings = "morning_routine = false\n" + settings
        (root / "XDG_CONFIG_HOME" / "unsit" / "settings.toml").write_text(settings)
        self.log = open(root / "app.out", "w")  # noqa: SIM115 - open for the whole run; stop() closes it
        self.proc = subprocess.Popen(self.command, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        self.wait_until(lambda: self.cli("status").returncode == 0, 60, "the app to answer `unsit status`")

    def poke(self, step: int) -> None:
        """A key press (Shift) through a virtual keyboard: the user is at the desk."""
        self.desktop.press_shift()  # type: ignore[attr-defined]
