"""Idle time from GNOME's compositor: org.gnome.Mutter.IdleMonitor GetIdletime (ms).

Works on GNOME Wayland, where X11 idle time only sees XWayland clients.
"""

from __future__ import annotations

from unsit.platform.dbus import BusCaller
from unsit.platform.idle.freedesktop import open_caller

IDLE_MONITOR_BUS_NAME = "org.gnome.Mutter.IdleMonitor"
IDLE_MONITOR_PATH = "/org/gnome/Mutter/IdleMonitor/Core"
IDLE_MONITOR_INTERFACE = "org.gnome.Mutter.IdleMonitor"


class GnomeIdleSource:
    """Idle seconds from Mutter's core idle monitor."""

    name = "gnome"

    def __init__(self, caller: BusCaller):
        self._caller = caller

    @classmethod
    def open(cls, address: str) -> GnomeIdleSource:
        """Connect to the session bus at ``address``.

        Raises:
            IdleSourceUnavailable: the bus cannot be reached.
        """
        return cls(open_caller(address))

    def idle_seconds(self) -> float | None:
        body = self._caller.call(IDLE_MONITOR_BUS_NAME, IDLE_MONITOR_PATH, IDLE_MONITOR_INTERFACE, "GetIdletime")
        if not body or not isinstance(body[0], int) or isinstance(body[0], bool):
            return None
        return body[0] / 1000.0

    def close(self) -> None:
        self._caller.close()
