"""A real headless desktop for the test session: Xvfb, a D-Bus session bus, dunst and trayer.

``HeadlessDesktop.start()`` brings the parts up on a free display and returns the
environment variables that point at them; ``stop()`` ends them. The suite starts one
desktop for the whole run (see conftest.py), so every Qt test runs on a real X server.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

TOOLS = ("Xvfb", "dbus-daemon", "dunst", "dunstctl", "trayer", "xdotool")

DUNSTRC = """\
[global]
    follow = none
    origin = top-right
    offset = 10x10
    width = 300
    notification_limit = 0
    history_length = 50
    font = Sans 9
    mouse_left_click = do_action, close_current
[urgency_low]
    timeout = 0
[urgency_normal]
    timeout = 0
[urgency_critical]
    timeout = 0
"""


def missing_tools() -> list[str]:
    """Names of the desktop programs that are not installed."""
    return [t for t in TOOLS if shutil.which(t) is None]


def _wait_for(predicate, timeout: float, what: str) -> None:
    # Start-up polling of external processes, not a timed test: bounded and condition-driven.
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        time.sleep(0.05)


def stop_process(proc: subprocess.Popen) -> None:
    """Terminate a child politely, then kill it if it lingers."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@dataclass
class HeadlessDesktop:
    """The running parts and the environment that reaches them."""

    workdir: Path
    env: dict[str, str] = field(default_factory=dict)
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)
    display: str = ""

    def start(self, with_tray: bool = True) -> dict[str, str]:
        """Start Xvfb, a session bus, dunst and (optionally) trayer; return the env."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        self._start_xvfb()
        self._start_dbus()
        self.start_dunst()
        if with_tray:
            self.start_tray()
        return dict(self.env)

    def _start_xvfb(self) -> None:
        # -displayfd lets Xvfb pick a free display and tell us which.
        r, w = os.pipe()
        proc = subprocess.Popen(
            ["Xvfb", "-displayfd", str(w), "-noreset", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
            pass_fds=(w,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        os.close(w)
        with os.fdopen(r) as f:
            number = f.readline().strip()
        if not number:
            raise RuntimeError("Xvfb did not start")
        self.procs["xvfb"] = proc
        self.display = f":{number}"
        self.env["DISPLAY"] = self.display

    def _start_dbus(self) -> None:
        out = subprocess.run(
            ["dbus-daemon", "--session", "--fork", "--nopidfile", "--print-address=1", "--print-pid=1"],
            capture_output=True, text=True, check=True, env={**os.environ, **self.env},
        ).stdout.split()
        self.env["DBUS_SESSION_BUS_ADDRESS"] = out[0]
        self._dbus_pid = int(out[1])

    def _env(self) -> dict[str, str]:
        return {**os.environ, **self.env}

    def start_dunst(self) -> None:
        """Start (or restart) the notification server."""
        rc = self.workdir / "dunstrc"
        rc.write_text(DUNSTRC)
        self.procs["dunst"] = subprocess.Popen(
            ["dunst", "-config", str(rc)], env=self._env(),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        _wait_for(self._dunst_ready, 10, "dunst on the session bus")

    def _dunst_ready(self) -> bool:
        # Ask the bus who owns the name; never call the service itself, or D-Bus activation
        # would start a second dunst (with the default config) before ours takes the name.
        r = subprocess.run(
            ["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus",
             "org.freedesktop.DBus.GetNameOwner", "string:org.freedesktop.Notifications"],
            env=self._env(), capture_output=True,
        )
        return r.returncode == 0

    def stop_dunst(self) -> None:
        """Stop the notification server (to test the fallbacks)."""
        self._kill("dunst")

    def start_tray(self) -> None:
        """Start an XEmbed system tray (trayer) and wait until it owns the tray selection."""
        self.procs["trayer"] = subprocess.Popen(
            ["trayer", "--edge", "top", "--align", "right", "--widthtype", "request", "--height", "24",
             "--transparent", "false", "--tint", "0x333333"],
            env=self._env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        _wait_for(self.tray_ready, 10, "trayer to own _NET_SYSTEM_TRAY_S0")

    def tray_ready(self) -> bool:
        """True when a window owns the system tray selection."""
        if shutil.which("xdotool") is None:
            return True
        r = subprocess.run(["xdotool", "search", "--class", "trayer"], env=self._env(), capture_output=True)
        return r.returncode == 0 and bool(r.stdout.strip())

    def stop_tray(self) -> None:
        self._kill("trayer")

    def _kill(self, name: str) -> None:
        proc = self.procs.pop(name, None)
        if proc:
            stop_process(proc)

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        """Run a command (xdotool, dunstctl, ...) against this desktop."""
        return subprocess.run(list(args), env=self._env(), capture_output=True, text=True, check=check, timeout=30)

    def stop(self) -> None:
        for name in ("trayer", "dunst", "xvfb"):
            self._kill(name)
        pid = getattr(self, "_dbus_pid", None)
        if pid:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
