"""Lock / unlock and suspend / resume events from D-Bus (Linux).

Each bus gets one jeepney blocking connection in a daemon thread (platform/dbus.py's
``SignalListener``) that adds its match rules and then blocks in ``receive`` (no polling:
zero CPU while nothing happens).

Any client on a bus can send a signal that looks like ``ActiveChanged`` or
``PrepareForSleep``. So each is believed only from the connection that owns the service's
well-known name: the match rules name the service as sender (the bus then sends only its
owner's), and the listener follows the owner (``GetNameOwner``, ``NameOwnerChanged``) and
checks every signal against it (a signal sent straight to us bypasses match rules).
A burst of lock signals is folded into its latest state: at most one hand-over waits for the
GUI thread, which reads the state when it gets there; a changed state is logged, at most
``LOG_LINES`` times a minute. A missing bus or service is logged and skipped, never raised.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from unsit.platform.dbus import BusUnavailable, NameOwners, SignalListener, method_call, name_owner_rule, signature_of

logger = logging.getLogger(__name__)

SCREENSAVERS = (
    # (bus name and interface, object path); KDE serves org.freedesktop.ScreenSaver.
    ("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver"),
    ("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver"),
)
LOGIND_BUS_NAME = "org.freedesktop.login1"
LOGIND_PATH = "/org/freedesktop/login1"
LOGIND_MANAGER_INTERFACE = "org.freedesktop.login1.Manager"

CALL_TIMEOUT_SECONDS = 1.0  # on the listener threads, never the GUI thread
LOG_LINES = 10  # lock / unlock lines per LOG_WINDOW_SECONDS at most
LOG_WINDOW_SECONDS = 60.0
SYSTEM_BUS_MISSING_LEVEL = logging.INFO
"""Every desktop has a system bus; only containers and minimal systems lack one: not worth a warning."""


def _unavailable(label: str, level: int = logging.WARNING) -> Callable[[BusUnavailable], None]:
    """A listener's ``on_unavailable``: one message naming the bus, at ``level``."""
    def log_it(error: BusUnavailable) -> None:
        logger.log(level, "no %s D-Bus (%s): carrying on without its events", label, error)
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
    if signature_of(message) == "b":
        return bool(message.body[0])
    return None


def _interface_of(message: Any) -> str:
    from jeepney import HeaderFields

    return str(message.header.fields.get(HeaderFields.interface, ""))


class LogBudget:
    """At most ``lines`` log lines per ``window_seconds``; tells how many were left out.

    Args:
        lines: lines allowed per window.
        window_seconds: the window's length.
        monotonic: the clock (seconds).
    """

    def __init__(self, lines: int = LOG_LINES, window_seconds: float = LOG_WINDOW_SECONDS,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._lines = lines
        self._window_seconds = window_seconds
        self._monotonic = monotonic
        self._window_start = -window_seconds
        self._used = 0
        self._skipped = 0

    def take(self) -> int | None:
        """None when this line must be left out; otherwise how many were left out before it."""
        now = self._monotonic()
        if now - self._window_start >= self._window_seconds:
            self._window_start, self._used = now, 0
        if self._used >= self._lines:
            self._skipped += 1
            return None
        self._used += 1
        skipped, self._skipped = self._skipped, 0
        return skipped


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
    _lock_seen = Signal()  # read the latest state in _lock_pending
    _sleep_seen = Signal(bool)

    def __init__(self, parent: QObject | None = None, *, session_bus: str = "SESSION", system_bus: str = "SYSTEM",
                 monotonic: Callable[[], float] = time.monotonic):
        super().__init__(parent)
        self._session_bus = session_bus
        self._system_bus = system_bus
        self._locked = False
        self._listeners: list[SignalListener] = []
        self._saver_owners = NameOwners(name for name, _path in SCREENSAVERS)
        self._logind_owner = NameOwners([LOGIND_BUS_NAME])
        # The latest lock state a listener saw that the GUI thread has not taken yet (None: none).
        self._lock_pending: bool | None = None
        self._lock_guard = threading.Lock()
        self._log_budget = LogBudget(monotonic=monotonic)
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
        lock_rules = [rule for name, _path in SCREENSAVERS for rule in (
            MatchRule(type="signal", sender=name, interface=name, member="ActiveChanged"), name_owner_rule(name))]
        sleep_rules = [
            MatchRule(type="signal", sender=LOGIND_BUS_NAME, interface=LOGIND_MANAGER_INTERFACE,
                      member="PrepareForSleep", path=LOGIND_PATH),
            name_owner_rule(LOGIND_BUS_NAME),
        ]
        self._listeners = [
            SignalListener("unsit-session-bus", self._session_bus, lock_rules, self._lock_signals_received,
                           on_connected=self._read_lock_state, on_unavailable=_unavailable("session"),
                           on_lost=_lost("session")),
            SignalListener("unsit-system-bus", self._system_bus, sleep_rules, self._sleep_signals_received,
                           on_connected=self._logind_owner.read,
                           on_unavailable=_unavailable("system", SYSTEM_BUS_MISSING_LEVEL), on_lost=_lost("system")),
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
        latest = None
        for message in messages:
            if self._saver_owners.update(message):
                continue
            active = _first_bool(message)
            if active is not None and self._saver_owners.sent_by_owner(message, _interface_of(message)):
                latest = active
        if latest is not None:
            self._hand_over_lock(latest)

    def _hand_over_lock(self, active: bool) -> None:
        with self._lock_guard:
            waiting = self._lock_pending is not None
            self._lock_pending = active
        if not waiting:  # one hand-over at a time: a burst costs the GUI thread one event
            self._lock_seen.emit()

    def _sleep_signals_received(self, _connection: Any, messages: list[Any]) -> None:
        for message in messages:
            if self._logind_owner.update(message):
                continue
            starting = _first_bool(message)
            if starting is not None and self._logind_owner.sent_by_owner(message, LOGIND_BUS_NAME):
                self._sleep_seen.emit(starting)

    def _read_lock_state(self, connection: Any) -> None:
        from jeepney import MessageType

        self._saver_owners.read(connection, CALL_TIMEOUT_SECONDS)
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
            self._hand_over_lock(True)

    # --- GUI thread ---------------------------------------------------------------------

    def _on_lock_seen(self) -> None:
        with self._lock_guard:
            locked, self._lock_pending = self._lock_pending, None
        if locked is None or locked == self._locked:
            return
        self._locked = locked
        skipped = self._log_budget.take()
        if skipped is not None:
            logger.info("session %s%s", "locked" if locked else "unlocked",
                        f" ({skipped} lock changes before this one not logged)" if skipped else "")
        self.locked_changed.emit(locked)

    def _on_sleep_seen(self, starting: bool) -> None:
        if starting:
            logger.info("system going to sleep")
            self.sleep_started.emit()
        else:
            logger.info("system resumed")
            self.resumed.emit()
