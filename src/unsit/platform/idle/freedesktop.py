"""Idle time from org.freedesktop.ScreenSaver GetSessionIdleTime (KDE and others).

Also holds :class:`SessionBusCaller`, the small reusable jeepney connection the D-Bus
idle sources share. jeepney is imported lazily so this module imports on any OS.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from unsit.platform.idle.base import IdleSourceUnavailable

logger = logging.getLogger(__name__)

SCREENSAVER_BUS_NAME = "org.freedesktop.ScreenSaver"
SCREENSAVER_INTERFACE = "org.freedesktop.ScreenSaver"
# KDE serves the interface on both paths; others only on the first.
SCREENSAVER_PATHS = ("/org/freedesktop/ScreenSaver", "/ScreenSaver")

CALL_TIMEOUT_SECONDS = 0.5


class SessionBusCaller:
    """One blocking D-Bus connection, opened once and reused for short method calls.

    After the connection breaks it is reopened (once) on the next call. Calls never
    start a service through D-Bus activation.

    Args:
        address: a D-Bus address ("unix:path=...") or "SESSION" for the environment's.
        timeout_seconds: how long a call may wait for its reply.
    """

    def __init__(self, address: str, timeout_seconds: float = CALL_TIMEOUT_SECONDS):
        self._address = address
        self._timeout_seconds = timeout_seconds
        self._connection: Any = None

    def connect(self) -> None:
        """Open the connection now.

        Raises:
            IdleSourceUnavailable: jeepney is missing or the bus cannot be reached.
        """
        if self._connection is not None:
            return
        try:
            from jeepney.io.blocking import open_dbus_connection
        except ImportError as error:
            raise IdleSourceUnavailable("jeepney is not installed") from error
        try:
            self._connection = open_dbus_connection(self._address, auth_timeout=self._timeout_seconds)
        except (OSError, RuntimeError, ValueError, KeyError, StopIteration) as error:
            raise IdleSourceUnavailable(f"cannot reach D-Bus at {self._address!r}: {error}") from error

    def call(self, bus_name: str, path: str, interface: str, member: str) -> tuple[Any, ...] | None:
        """Call a method without arguments; its reply body, or None on any failure."""
        from jeepney import DBusAddress, MessageFlag, MessageType, new_method_call

        try:
            self.connect()
        except IdleSourceUnavailable as error:
            logger.debug("%s", error)
            return None
        message = new_method_call(DBusAddress(path, bus_name, interface), member)
        message.header.flags |= MessageFlag.no_auto_start
        try:
            reply = self._connection.send_and_get_reply(message, timeout=self._timeout_seconds)
        except TimeoutError:
            logger.debug("%s.%s on %s timed out", interface, member, bus_name)
            return None
        except OSError as error:  # ConnectionError included: the bus went away
            logger.debug("D-Bus connection lost: %s", error)
            self.close()
            return None
        if reply.header.message_type is MessageType.error:
            logger.debug("%s.%s on %s failed: %s", interface, member, bus_name, reply.body)
            return None
        body: tuple[Any, ...] = reply.body
        return body

    def close(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            except OSError:
                pass
            self._connection = None


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

    def __init__(self, caller: SessionBusCaller, milliseconds: bool = False,
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
        caller = SessionBusCaller(address)
        caller.connect()
        return cls(caller, milliseconds=milliseconds)

    def idle_seconds(self) -> float | None:
        paths = (self._working_path,) if self._working_path else self._paths
        for path in paths:
            body = self._caller.call(SCREENSAVER_BUS_NAME, path, SCREENSAVER_INTERFACE, "GetSessionIdleTime")
            if body and isinstance(body[0], int):
                self._working_path = path
                return body[0] / self._divisor
        return None

    def close(self) -> None:
        self._caller.close()
