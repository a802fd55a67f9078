"""A D-Bus session bus of a test's own, without service activation, and servers on it.

The suite's shared bus can start dunst from its ``.service`` file, so a server stopped
there comes back by itself. Here nothing is activatable: a stopped server stays gone until
the test starts one, and the bus itself can be stopped and started again at the same
address.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from jeepney import DBusAddress, MatchRule, MessageType, new_method_call
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import Proxy, open_dbus_connection

from tests.desktop import DUNSTRC, stop_process
from tests.dunst_control import DunstControl

NOTIFICATIONS = "org.freedesktop.Notifications"
STANDIN = DBusAddress("/org/freedesktop/Notifications", bus_name=NOTIFICATIONS, interface="org.unsit.TestServer")
REPO = Path(__file__).resolve().parents[2]

BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


class PrivateBus:
    """One dbus-daemon at a fixed socket path, and the notification servers started on it."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        self.socket = workdir / "bus"
        self.address = f"unix:path={self.socket}"
        self.config = workdir / "bus.conf"
        self.config.write_text(BUS_CONFIG.format(socket=self.socket))
        self.daemon: subprocess.Popen | None = None
        self.server: subprocess.Popen | None = None

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "DBUS_SESSION_BUS_ADDRESS": self.address}

    def start(self) -> None:
        """Start the bus (again) at the same address; returns once it accepts connections."""
        self.socket.unlink(missing_ok=True)
        self.daemon = subprocess.Popen(["dbus-daemon", f"--config-file={self.config}", "--nofork",
                                        "--print-address=1"], stdout=subprocess.PIPE,
                                       stderr=subprocess.DEVNULL, text=True)
        assert self.daemon.stdout is not None
        if not self.daemon.stdout.readline().strip():  # printed once it listens
            raise RuntimeError("dbus-daemon did not start")

    def stop(self) -> None:
        """Stop the bus (the session bus goes away)."""
        if self.daemon is not None:
            stop_process(self.daemon)
            self.daemon = None

    def start_dunst(self) -> None:
        """Start dunst (the suite's config) on this bus and the suite's X display."""
        rc = self.workdir / "dunstrc"
        rc.write_text(DUNSTRC)
        self._launch(["dunst", "-config", str(rc)])

    def start_server(self, *command: str) -> None:
        """Start a real notification server program on this bus."""
        self._launch(list(command))

    def start_standin(self, *args: str) -> None:
        """Start the stand-in server (notification_standin.py) with ``args``."""
        self._launch([sys.executable, "-m", "tests.platform.notification_standin", *args])

    def stop_server(self) -> None:
        if self.server is not None:
            stop_process(self.server)
            self.server = None

    def close(self) -> None:
        self.stop_server()
        self.stop()

    def dunst_count(self) -> int:
        """Notifications dunst shows now (over D-Bus: dunstctl needs busctl, absent on minimal systems)."""
        control = DunstControl(self.address)
        try:
            return control.count()
        finally:
            control.close()

    def dunst_action(self, position: int = 0) -> None:
        """Run the default action of the notification at ``position`` (what ``dunstctl action`` does)."""
        control = DunstControl(self.address)
        try:
            control.action(position)
        finally:
            control.close()

    def standin(self, member: str, signature: str | None = None, body: tuple[Any, ...] = ()) -> Any:
        """Call the stand-in's test interface; returns the reply body."""
        with open_dbus_connection(self.address) as conn:
            reply = conn.send_and_get_reply(new_method_call(STANDIN, member, signature, body), timeout=5)
        assert reply.header.message_type == MessageType.method_return, reply.body
        return reply.body

    def calls(self) -> list[dict[str, Any]]:
        """What the stand-in was asked so far."""
        return json.loads(self.standin("Calls")[0])

    def _launch(self, command: list[str], timeout_seconds: float = 10.0) -> None:
        """Start a server; return once it owns the notifications name (a NameOwnerChanged)."""
        with open_dbus_connection(self.address) as conn:
            rule = MatchRule(type="signal", sender="org.freedesktop.DBus", interface="org.freedesktop.DBus",
                             member="NameOwnerChanged", path="/org/freedesktop/DBus")
            rule.add_arg_condition(0, NOTIFICATIONS)
            Proxy(message_bus, conn).AddMatch(rule)
            with conn.filter(rule) as owners:
                with open(self.workdir / "server.log", "a") as log:
                    self.server = subprocess.Popen(command, env=self.env, cwd=REPO, stdout=log, stderr=log)
                try:
                    while not conn.recv_until_filtered(owners, timeout=timeout_seconds).body[2]:
                        pass
                except TimeoutError:
                    self.stop_server()
                    raise RuntimeError(f"{command[0]} did not take {NOTIFICATIONS}") from None
