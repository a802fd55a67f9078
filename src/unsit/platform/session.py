"""Lock / unlock and suspend / resume events from D-Bus (Linux).

Each bus gets one jeepney blocking connection in a daemon thread (platform/dbus.py's
``SignalListener``) that adds its match rules and then blocks in ``receive`` (no polling:
zero CPU while nothing happens).
Events reach the GUI thread only through queued Qt signals. A missing bus or service
is logged and skipped, never raised.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from unsit.platform.dbus import BusUnavailable, SignalListener, method_call

logger = logging.getLogger(__name__)

SCREENSAVERS = (
    # (bus name and interface, object path)
    ("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver"),
    ("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver"),
)
LOGIND_BUS_NAME = "org.freedesktop.login1"
LOGIND_PATH = "/org/freedesktop/login1"
LOGIND_MANAGER_INTERFACE = "org.freedesktop.login1.Manager"

CALL_TIMEOUT_SECONDS = 1.0  # on the listener threads, never the GUI thread


def _unavailable(label: str) -> Callable[[BusUnavailable], None]:
    """A listener's ``on_unavailable``: one warning naming the bus."""
    def log_it(error: BusUnavailable) -> None:
        logger.warning("no %s D-Bus (%s): carrying on without its events", label, error)
    return log_it


def _lost(label: str) -> Callable[[BaseException], None]:
    """A listener's ``on_lost``: a lost connection is a warning, anything else a traceback."""
    def log_it(error: BaseException) -> None:
        if isinstance(error, OSError):
            logger.warning("%s D-Bus connection lost: %s", label, error)
        else:
            logger.error("%s D-Bus listener failed", label, exc_info=error)
    return log_it


def _first_bool(message: Any) -> bool | None:
    body = message.body
    if body and isinstance(body[0], bool):
        return body[0]
    return None


class SessionWatcher(QObject):
    """Tells when the session locks or unlocks, and when the machine sleeps and wakes.

    Lock: ``ActiveChanged(b)`` of org.freedesktop.ScreenSaver and org.gnome.ScreenSaver on
    the session bus (``GetActive`` is read at start). A screen saver that only blanks
    counts as locked too: the user is away either way. Sleep: logind's
    ``PrepareForSleep(b)`` on the system bus.

    Args:
        parent: Qt parent.
        session_bus: "SESSION" or a D-Bus address for the lock events.
        system_bus: "SYSTEM" or a D-Bus address for the sleep events.
    """

    locked_changed = Signal(bool)
    sleep_started = Signal()
    resumed = Signal()

    # Raised from the listener threads; queued into this object's (GUI) thread.
    _lock_seen = Signal(bool)
    _sleep_seen = Signal(bool)

    def __init__(self, parent: QObject | None = None, *, session_bus: str = "SESSION", system_bus: str = "SYSTEM"):
        super().__init__(parent)
        self._session_bus = session_bus
        self._system_bus = system_bus
        self._locked = False
        self._listeners: list[SignalListener] = []
        # Emitted on the listener threads only, so Qt queues them to this object's (GUI) thread.
        self._lock_seen.connect(self._on_lock_seen)
        self._sleep_seen.connect(self._on_sleep_seen)

    @property
    def locked(self) -> bool:
        """Whether the session is locked (or its screen saver active), as last reported."""
        return self._locked

    @property
    def running(self) -> bool:
        """Whether any bus listener thread is alive."""
        return any(listener.is_alive() for listener in self._listeners)

    def start(self) -> None:
        """Connect to the buses in background threads. Never raises for a missing bus."""
        if self._listeners:
            return
        try:
            from jeepney import MatchRule
        except ImportError:
            logger.info("jeepney is not available: no lock or sleep events on this system")
            return
        lock_rules = [
            MatchRule(type="signal", interface=interface, member="ActiveChanged")
            for interface, _path in SCREENSAVERS
        ]
        sleep_rules = [
            MatchRule(type="signal", interface=LOGIND_MANAGER_INTERFACE, member="PrepareForSleep", path=LOGIND_PATH)
        ]
        self._listeners = [
            SignalListener("unsit-session-bus", self._session_bus, lock_rules, self._lock_signals_received,
                           on_connected=self._read_lock_state, on_unavailable=_unavailable("session"),
                           on_lost=_lost("session")),
            SignalListener("unsit-system-bus", self._system_bus, sleep_rules, self._sleep_signals_received,
                           on_unavailable=_unavailable("system"), on_lost=_lost("system")),
        ]
        for listener in self._listeners:
            listener.start()

    def stop(self) -> None:
        """Close the connections and end the threads (waits briefly for them)."""
        listeners, self._listeners = self._listeners, []
        for listener in listeners:
            listener.stop()

    # --- listener threads ---------------------------------------------------------------

    def _lock_signals_received(self, _connection: Any, messages: list[Any]) -> None:
        for message in messages:
            active = _first_bool(message)
            if active is not None:
                self._lock_seen.emit(active)

    def _sleep_signals_received(self, _connection: Any, messages: list[Any]) -> None:
        for message in messages:
            starting = _first_bool(message)
            if starting is not None:
                self._sleep_seen.emit(starting)

    def _read_lock_state(self, connection: Any) -> None:
        from jeepney import MessageType

        answers = []
        for name, path in SCREENSAVERS:
            call = method_call(name, path, name, "GetActive")
            try:
                reply = connection.send_and_get_reply(call, timeout=CALL_TIMEOUT_SECONDS)
            except TimeoutError:
                continue
            if reply.header.message_type is MessageType.method_return:
                answers.append(_first_bool(reply))
        if True in answers:
            self._lock_seen.emit(True)

    # --- GUI thread ---------------------------------------------------------------------

    def _on_lock_seen(self, locked: bool) -> None:
        if locked != self._locked:
            self._locked = locked
            logger.info("session %s", "locked" if locked else "unlocked")
            self.locked_changed.emit(locked)

    def _on_sleep_seen(self, starting: bool) -> None:
        if starting:
            logger.info("system going to sleep")
            self.sleep_started.emit()
        else:
            logger.info("system resumed")
            self.resumed.emit()
