"""Drive the test session's dunst over D-Bus, the way ``dunstctl`` would, without ``dunstctl``.

``dunstctl history`` shells out to ``busctl``, which comes with systemd and is missing on
minimal machines and in containers. dunst 1.9 offers everything the tests need on its own
interface ``org.dunstproject.cmd0`` at ``/org/freedesktop/Notifications``; this helper calls
it with jeepney (already an app dependency), so the suite needs no extra program.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from jeepney import DBusAddress, MessageType, new_method_call
from jeepney.io.blocking import DBusConnection, open_dbus_connection

DUNST = DBusAddress("/org/freedesktop/Notifications", bus_name="org.freedesktop.Notifications",
                    interface="org.dunstproject.cmd0")
PROPERTIES = DBusAddress("/org/freedesktop/Notifications", bus_name="org.freedesktop.Notifications",
                         interface="org.freedesktop.DBus.Properties")
CALL_TIMEOUT_SECONDS = 10.0


class Queue(Enum):
    """dunst's three notification lists, named as its ``<name>Length`` properties are."""

    DISPLAYED = "displayed"
    WAITING = "waiting"
    HISTORY = "history"


class DunstError(RuntimeError):
    """dunst answered a call with a D-Bus error."""


class DunstControl:
    """One D-Bus connection to the session bus, opened on first use."""

    def __init__(self, bus_address: str) -> None:
        self._bus_address = bus_address
        self._conn: DBusConnection | None = None

    def _call(self, address: DBusAddress, method: str, signature: str = "", body: tuple = ()) -> tuple:
        if self._conn is None:
            self._conn = open_dbus_connection(self._bus_address)
        reply = self._conn.send_and_get_reply(new_method_call(address, method, signature, body),
                                              timeout=CALL_TIMEOUT_SECONDS)
        if reply.header.message_type == MessageType.error:
            raise DunstError(f"{method}: {reply.header.fields} {reply.body}")
        return reply.body

    def _get(self, name: str) -> Any:
        _signature, value = self._call(PROPERTIES, "Get", "ss", (DUNST.interface, name))[0]
        return value

    def count(self, queue: Queue = Queue.DISPLAYED) -> int:
        """How many notifications are in ``queue`` (``dunstctl count <queue>``)."""
        return int(self._get(f"{queue.value}Length"))

    def history(self) -> list[dict[str, Any]]:
        """Closed notifications, newest first, as plain ``{field: value}`` dicts (``dunstctl history``)."""
        (entries,) = self._call(DUNST, "NotificationListHistory")
        return [{key: value for key, (_signature, value) in entry.items()} for entry in entries]

    def action(self, position: int = 0) -> None:
        """Run the default action of the notification at ``position`` (``dunstctl action N``)."""
        self._call(DUNST, "NotificationAction", "u", (position,))

    def close_last(self) -> None:
        """Close the newest notification as the user would (``dunstctl close``)."""
        self._call(DUNST, "NotificationCloseLast")

    def close_all(self) -> None:
        """Close every displayed notification (``dunstctl close-all``)."""
        self._call(DUNST, "NotificationCloseAll")

    def context_menu(self) -> None:
        """Open dunst's context menu, which runs the configured dmenu (``dunstctl context``)."""
        self._call(DUNST, "ContextMenuCall")

    def is_paused(self) -> bool:
        """True while dunst holds notifications back (``dunstctl is-paused``)."""
        return bool(self._get("paused"))

    def set_paused(self, paused: bool) -> None:
        """Pause or unpause dunst (``dunstctl set-paused true|false``)."""
        self._call(PROPERTIES, "Set", "ssv", (DUNST.interface, "paused", ("b", paused)))

    def close(self) -> None:
        """Close the D-Bus connection (a later call opens a new one)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
