"""A real headless desktop for the test session: Xvfb, a D-Bus session bus, dunst and trayer.

``HeadlessDesktop.start()`` brings the parts up on a free display and returns the
environment variables that point at them; ``stop()`` ends them. The suite starts one
desktop for the whole run (see conftest.py), so every Qt test runs on a real X server.
Tests reach dunst through ``HeadlessDesktop.dunst`` (D-Bus, see dunst_control.py), never
through ``dunstctl``, which needs systemd's ``busctl``.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from tests.dunst_control import DunstControl

TOOLS = ("Xvfb", "dbus-daemon", "dunst", "trayer", "xdotool")
NOTIFICATIONS = "org.freedesktop.Notifications"

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
    _dunst: DunstControl | None = None

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
        self._dunst = DunstControl(out[0])

    @property
    def dunst(self) -> DunstControl:
        """dunst's control interface on this desktop's session bus."""
        if self._dunst is None:
            raise RuntimeError("the desktop has no session bus yet: call start() first")
        return self._dunst

    def _env(self) -> dict[str, str]:
        return {**os.environ, **self.env}

    def start_dunst(self) -> None:
        """Start (or restart) the notification server with the session's config."""
        rc = self.workdir / "dunstrc"
        rc.write_text(DUNSTRC)
        self.procs["dunst"] = self.launch_dunst(rc)

    def launch_dunst(self, rc: Path, timeout: float = 10.0) -> subprocess.Popen:
        """Start a dunst with config ``rc``; return once it owns the notifications bus name."""
        return self.launch_notification_server(["dunst", "-config", str(rc)], timeout)

    def launch_notification_server(self, command: list[str], timeout: float = 10.0) -> subprocess.Popen:
        """Start a notification server; return once it owns the notifications bus name.

        Waits for the bus's NameOwnerChanged signal instead of calling the service: a call
        while nobody owns the name would make D-Bus start a second dunst (default config).
        """
        from jeepney import MatchRule, MessageType
        from jeepney.bus_messages import message_bus
        from jeepney.io.blocking import Proxy, open_dbus_connection

        with open_dbus_connection(self.env["DBUS_SESSION_BUS_ADDRESS"]) as conn:
            rule = MatchRule(type="signal", sender="org.freedesktop.DBus", interface="org.freedesktop.DBus",
                             member="NameOwnerChanged", path="/org/freedesktop/DBus")
            rule.add_arg_condition(0, NOTIFICATIONS)
            Proxy(message_bus, conn).AddMatch(rule)
            with conn.filter(rule) as owners:
                proc = subprocess.Popen(command, env=self._env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                try:
                    while not conn.recv_until_filtered(owners, timeout=timeout).body[2]:
                        pass  # the name was released (an old dunst leaving); wait for the new owner
                except TimeoutError:
                    stop_process(proc)
                    raise RuntimeError(f"{command[0]} did not take the notifications bus name") from None
            reply = conn.send_and_get_reply(message_bus.GetConnectionUnixProcessID(NOTIFICATIONS), timeout=5)
        if reply.header.message_type != MessageType.method_return or reply.body[0] != proc.pid:
            stop_process(proc)
            raise RuntimeError("another process owns the notifications bus name")
        return proc

    def stop_dunst(self) -> None:
        """Stop the notification server (to test the fallbacks)."""
        self._kill("dunst")

    def start_tray(self) -> None:
        """Start an XEmbed system tray (trayer) and wait until its window exists."""
        self.procs["trayer"] = subprocess.Popen(
            ["trayer", "--edge", "top", "--align", "right", "--widthtype", "request", "--height", "24",
             "--transparent", "false", "--tint", "0x333333"],
            env=self._env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        # xdotool --sync blocks until the window appears; the subprocess timeout bounds it.
        self.run("xdotool", "search", "--sync", "--class", "trayer")

    def tray_ready(self) -> bool:
        """True when trayer's window is on the X server."""
        r = subprocess.run(["xdotool", "search", "--class", "trayer"], env=self._env(), capture_output=True)
        return r.returncode == 0 and bool(r.stdout.strip())

    def stop_tray(self) -> None:
        self._kill("trayer")

    def _kill(self, name: str) -> None:
        proc = self.procs.pop(name, None)
        if proc:
            stop_process(proc)

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        """Run a command (xdotool, xprop, ...) against this desktop."""
        return subprocess.run(list(args), env=self._env(), capture_output=True, text=True, check=check, timeout=30)

    def stop(self) -> None:
        """End every part this desktop started."""
        if self._dunst is not None:
            self._dunst.close()
        for name in ("trayer", "dunst", "xvfb"):
            self._kill(name)
        pid = getattr(self, "_dbus_pid", None)
        if pid:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
