"""Lock / unlock and suspend / resume events from D-Bus (Linux).

Each bus gets one jeepney blocking connection in a daemon thread that adds its match
rules and then blocks in ``receive`` (no polling: zero CPU while nothing happens).
Events reach the GUI thread only through queued Qt signals. A missing bus or service
is logged and skipped, never raised.
"""

from __future__ import annotations

import logging
import socket
import threading
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

logger = logging.getLogger(__name__)

SCREENSAVERS = (
    # (bus name and interface, object path)
    ("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver"),
    ("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver"),
)
LOGIND_BUS_NAME = "org.freedesktop.login1"
LOGIND_PATH = "/org/freedesktop/login1"
LOGIND_MANAGER_INTERFACE = "org.freedesktop.login1.Manager"

CONNECT_TIMEOUT_SECONDS = 1.0
CALL_TIMEOUT_SECONDS = 1.0
STOP_TIMEOUT_SECONDS = 2.0


class _BusListener(threading.Thread):
    """One bus connection in a daemon thread: add match rules, then hand over matches.

    Args:
        label: "session" or "system" (for thread names and log lines).
        address: "SESSION", "SYSTEM" or a D-Bus address.
        rules: jeepney MatchRules for the signals wanted.
        on_signal: called in this thread with every matching message.
        on_connected: called in this thread with the connection once the rules are in.
    """

    def __init__(self, label: str, address: str, rules: Sequence[Any],
                 on_signal: Callable[[Any], None], on_connected: Callable[[Any], None] | None = None):
        super().__init__(name=f"unsit-{label}-bus", daemon=True)
        self._label = label
        self._address = address
        self._rules = list(rules)
        self._on_signal = on_signal
        self._on_connected = on_connected
        self._stopping = threading.Event()
        self._guard = threading.Lock()
        self._connection: Any = None

    def run(self) -> None:
        from jeepney.io.blocking import open_dbus_connection

        try:
            connection = open_dbus_connection(self._address, auth_timeout=CONNECT_TIMEOUT_SECONDS)
        except Exception as error:  # noqa: BLE001 - unset variable, no socket, refused, bad address...
            logger.warning("no %s D-Bus (%s): carrying on without its events", self._label, error)
            return
        with self._guard:
            if self._stopping.is_set():
                connection.close()
                return
            self._connection = connection
        try:
            self._serve(connection)
        except OSError as error:  # includes the reset caused by stop()
            if not self._stopping.is_set():
                logger.warning("%s D-Bus connection lost: %s", self._label, error)
        except Exception:
            logger.exception("%s D-Bus listener failed", self._label)
        finally:
            with self._guard:
                self._connection = None
            connection.close()

    def _serve(self, connection: Any) -> None:
        from jeepney import message_bus
        from jeepney.io.blocking import Proxy
        from jeepney.wrappers import DBusErrorResponse

        matches: deque[Any] = deque()  # jeepney Messages
        for rule in self._rules:
            connection.filter(rule, queue=matches)
        bus = Proxy(message_bus, connection, timeout=CALL_TIMEOUT_SECONDS)
        for rule in self._rules:
            try:
                bus.AddMatch(rule)
            except DBusErrorResponse as error:
                logger.warning("%s D-Bus refused match %s: %s", self._label, rule.serialise(), error)
        logger.debug("listening on the %s bus", self._label)
        if self._on_connected is not None:
            self._on_connected(connection)
        while not self._stopping.is_set():
            while matches:
                self._on_signal(matches.popleft())
            connection.recv_messages()  # blocks until a message arrives or stop() resets it

    def stop(self) -> None:
        """Wake the blocked receive by shutting the socket down, then wait for the thread."""
        self._stopping.set()
        with self._guard:
            if self._connection is not None:
                try:
                    self._connection.sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        if self.is_alive():
            self.join(STOP_TIMEOUT_SECONDS)


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
        self._listeners: list[_BusListener] = []
        self._lock_seen.connect(self._on_lock_seen, Qt.ConnectionType.QueuedConnection)
        self._sleep_seen.connect(self._on_sleep_seen, Qt.ConnectionType.QueuedConnection)

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
            _BusListener("session", self._session_bus, lock_rules, self._lock_signal_received, self._read_lock_state),
            _BusListener("system", self._system_bus, sleep_rules, self._sleep_signal_received),
        ]
        for listener in self._listeners:
            listener.start()

    def stop(self) -> None:
        """Close the connections and end the threads (waits briefly for them)."""
        listeners, self._listeners = self._listeners, []
        for listener in listeners:
            listener.stop()

    # --- listener threads ---------------------------------------------------------------

    def _lock_signal_received(self, message: Any) -> None:
        active = _first_bool(message)
        if active is not None:
            self._lock_seen.emit(active)

    def _sleep_signal_received(self, message: Any) -> None:
        starting = _first_bool(message)
        if starting is not None:
            self._sleep_seen.emit(starting)

    def _read_lock_state(self, connection: Any) -> None:
        from jeepney import DBusAddress, MessageFlag, MessageType, new_method_call

        answers = []
        for name, path in SCREENSAVERS:
            call = new_method_call(DBusAddress(path, name, name), "GetActive")
            call.header.flags |= MessageFlag.no_auto_start
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
