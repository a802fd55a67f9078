"""Idle time from org.freedesktop.ScreenSaver GetSessionIdleTime (KDE and others).

Also holds :func:`open_caller`, the connection the D-Bus idle sources share (a
:class:`~unsit.platform.dbus.BusCaller`). jeepney is imported lazily so this module imports on any OS.
"""

from __future__ import annotations

from collections.abc import Sequence

from unsit.platform.dbus import BusCaller, BusUnavailable
from unsit.platform.idle.base import IdleSourceUnavailable

SCREENSAVER_BUS_NAME = "org.freedesktop.ScreenSaver"
SCREENSAVER_INTERFACE = "org.freedesktop.ScreenSaver"
# KDE serves the interface on both paths; others only on the first.
SCREENSAVER_PATHS = ("/org/freedesktop/ScreenSaver", "/ScreenSaver")

# Asked on the GUI thread at each 5 s tick: a hung service may cost this much, never more.
CALL_TIMEOUT_SECONDS = 0.25


def open_caller(address: str) -> BusCaller:
    """A connected caller for the idle sources; their calls run on each tick, on the GUI thread.

    Raises:
        IdleSourceUnavailable: jeepney is missing or the bus cannot be reached.
    """
    caller = BusCaller(address, timeout_seconds=CALL_TIMEOUT_SECONDS)
    try:
        caller.connect()
    except BusUnavailable as error:
        raise IdleSourceUnavailable(str(error)) from error
    return caller


class FreedesktopIdleSource:
    """Idle seconds from org.freedesktop.ScreenSaver.

    The method is documented in seconds, but KDE's screen locker answers in
    milliseconds (it returns KIdleTime's value as is): pass ``milliseconds=True`` there.
    Newer KDE answers NotSupported on Wayland, which makes the probe fail.

    Args:
        caller: the session bus connection.
        milliseconds: whether the service answers in milliseconds.
        paths: object paths to try; the first that answers is kept.
    """

    name = "freedesktop"

    def __init__(self, caller: BusCaller, milliseconds: bool = False,
                 paths: Sequence[str] = SCREENSAVER_PATHS):
        self._caller = caller
        self._divisor = 1000.0 if milliseconds else 1.0
        self._paths = tuple(paths)
        self._working_path: str | None = None

    @classmethod
    def open(cls, address: str, milliseconds: bool = False) -> FreedesktopIdleSource:
        """Connect to the session bus at ``address``.

        Raises:
            IdleSourceUnavailable: the bus cannot be reached.
        """
        return cls(open_caller(address), milliseconds=milliseconds)

    def idle_seconds(self) -> float | None:
        paths = (self._working_path,) if self._working_path else self._paths
        for path in paths:
            body = self._caller.call(SCREENSAVER_BUS_NAME, path, SCREENSAVER_INTERFACE, "GetSessionIdleTime")
            if body and isinstance(body[0], int) and not isinstance(body[0], bool):
                self._working_path = path
                return body[0] / self._divisor
        return None

    def close(self) -> None:
        self._caller.close()
