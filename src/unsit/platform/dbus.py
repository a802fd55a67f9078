"""The small jeepney layer Unsit's D-Bus adapters share.

- :func:`open_connection`: a blocking connection whose authentication is bounded by a timeout.
- :class:`BusCaller`: one connection, opened once and reused for short method calls with a
  timeout; reopened after the bus went away. For calls from the GUI thread, keep its timeout
  well under a tick.
- :class:`SignalListener`: a daemon thread that opens its own connection, adds match rules and
  blocks in ``receive`` (zero CPU while nothing happens); ``stop()`` wakes it by shutting the
  socket down. Its callbacks run on that thread: hand results on through queued Qt signals.

jeepney is imported lazily, so this module imports on any OS.
"""

from __future__ import annotations

import logging
import socket
import threading
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

logger = logging.getLogger(__name__)

CONNECT_TIMEOUT_SECONDS = 1.0
CALL_TIMEOUT_SECONDS = 1.0
STOP_TIMEOUT_SECONDS = 2.0


class BusUnavailable(Exception):
    """jeepney is missing, or no bus answers at the address."""


def open_connection(address: str, timeout_seconds: float = CONNECT_TIMEOUT_SECONDS) -> Any:
    """A blocking jeepney connection to ``address`` ("SESSION", "SYSTEM" or "unix:path=...").

    Raises:
        BusUnavailable: jeepney is missing, or the bus cannot be reached or refuses us.
    """
    try:
        from unsit.platform.dbus_connection import BlockingConnection
    except ImportError as error:
        raise BusUnavailable("jeepney is not installed") from error
    try:
        return BlockingConnection.open(address, timeout_seconds)
    except Exception as error:  # unset variable, no socket, refused, a broken address...
        raise BusUnavailable(f"cannot reach D-Bus at {address!r}: {error}") from error


def method_call(bus_name: str, path: str, interface: str, member: str, signature: str | None = None,
                body: tuple[Any, ...] = (), *, activate: bool = False) -> Any:
    """A method call message; without ``activate`` it never starts a service through D-Bus activation."""
    from jeepney import DBusAddress, MessageFlag, new_method_call

    message = new_method_call(DBusAddress(path, bus_name, interface), member, signature, body)
    if not activate:
        message.header.flags |= MessageFlag.no_auto_start
    return message


def name_owner_rule(bus_name: str) -> Any:
    """A MatchRule for the bus's ``NameOwnerChanged`` about ``bus_name`` (a service comes or goes)."""
    from jeepney import MatchRule

    rule = MatchRule(type="signal", sender="org.freedesktop.DBus", interface="org.freedesktop.DBus",
                     path="/org/freedesktop/DBus", member="NameOwnerChanged")
    rule.add_arg_condition(0, bus_name)
    return rule


class BusCaller:
    """One blocking D-Bus connection, opened once and reused for short method calls.

    After the connection breaks it is reopened (once) on the next call. Calls never
    start a service through D-Bus activation.

    Args:
        address: a D-Bus address ("unix:path=...") or "SESSION" for the environment's.
        timeout_seconds: how long opening the connection, and each call, may wait.
    """

    def __init__(self, address: str, timeout_seconds: float = CALL_TIMEOUT_SECONDS):
        self._address = address
        self._timeout_seconds = timeout_seconds
        self._connection: Any = None

    def connect(self) -> None:
        """Open the connection now (does nothing when it is open).

        Raises:
            BusUnavailable: jeepney is missing or the bus cannot be reached.
        """
        if self._connection is None:
            self._connection = open_connection(self._address, self._timeout_seconds)

    def call(self, bus_name: str, path: str, interface: str, member: str, signature: str | None = None,
             body: tuple[Any, ...] = ()) -> tuple[Any, ...] | None:
        """Call a method; its reply body, or None on any failure (logged at debug level)."""
        from jeepney import MessageType

        try:
            self.connect()
        except BusUnavailable as error:
            logger.debug("%s", error)
            return None
        message = method_call(bus_name, path, interface, member, signature, body)
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
        return tuple(reply.body)

    def close(self) -> None:
        """Close the connection; the next call opens a new one."""
        if self._connection is not None:
            try:
                self._connection.close()
            except OSError:
                pass
            self._connection = None


class SignalListener(threading.Thread):
    """A bus connection in a daemon thread: add match rules, then hand over the signals that match.

    Every callback runs on this thread.

    Args:
        name: the thread's name.
        address: "SESSION", "SYSTEM" or a D-Bus address.
        rules: jeepney MatchRules for the signals wanted.
        on_signals: ``on_signals(connection, messages)`` with each batch of matching signals
            that arrived together (at least one). The connection may be used for calls.
        on_connected: called with the connection once the rules are in.
        on_unavailable: called with the reason when the bus cannot be reached (the thread ends).
        on_lost: called with the error when the connection ends without ``stop()``.
        connect_timeout_seconds: how long connecting may take.
        call_timeout_seconds: how long each AddMatch may take.
    """

    def __init__(self, name: str, address: str, rules: Sequence[Any],
                 on_signals: Callable[[Any, list[Any]], None], *,
                 on_connected: Callable[[Any], None] | None = None,
                 on_unavailable: Callable[[BusUnavailable], None] | None = None,
                 on_lost: Callable[[BaseException], None] | None = None,
                 connect_timeout_seconds: float = CONNECT_TIMEOUT_SECONDS,
                 call_timeout_seconds: float = CALL_TIMEOUT_SECONDS):
        super().__init__(name=name, daemon=True)
        self._address = address
        self._rules = list(rules)
        self._on_signals = on_signals
        self._on_connected = on_connected
        self._on_unavailable = on_unavailable
        self._on_lost = on_lost
        self._connect_timeout_seconds = connect_timeout_seconds
        self._call_timeout_seconds = call_timeout_seconds
        self._stopping = threading.Event()
        self._guard = threading.Lock()
        self._connection: Any = None

    @property
    def stopping(self) -> bool:
        """Whether ``stop()`` was called."""
        return self._stopping.is_set()

    def run(self) -> None:
        try:
            connection = open_connection(self._address, self._connect_timeout_seconds)
        except BusUnavailable as error:
            if self._on_unavailable is not None:
                self._on_unavailable(error)
            return
        with self._guard:
            if self._stopping.is_set():
                connection.close()
                return
            self._connection = connection
        try:
            self._serve(connection)
        except Exception as error:  # noqa: BLE001 - OSError (the reset stop() causes), or a callback failed
            if not self._stopping.is_set():
                if self._on_lost is not None:
                    self._on_lost(error)
                else:
                    logger.warning("%s: D-Bus connection ended: %s", self.name, error)
        finally:
            with self._guard:
                self._connection = None
            connection.close()

    def _serve(self, connection: Any) -> None:
        from jeepney import MessageType, message_bus

        matches: deque[Any] = deque()  # jeepney Messages
        for rule in self._rules:
            connection.filter(rule, queue=matches)
        for rule in self._rules:
            reply = connection.send_and_get_reply(message_bus.AddMatch(rule), timeout=self._call_timeout_seconds)
            if reply.header.message_type is MessageType.error:
                logger.warning("%s: D-Bus refused match %s: %s", self.name, rule.serialise(), reply.body)
        logger.debug("%s: listening", self.name)
        if self._on_connected is not None:
            self._on_connected(connection)
        while not self._stopping.is_set():
            batch = [connection.recv_until_filtered(matches)]  # blocks until stop() resets it
            while matches:
                batch.append(matches.popleft())
            if not self._stopping.is_set():
                self._on_signals(connection, batch)

    def stop(self) -> None:
        """Wake the blocked receive by shutting the socket down, then wait for the thread."""
        self._stopping.set()
        with self._guard:
            if self._connection is not None:
                try:
                    self._connection.sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        if self.is_alive() and threading.current_thread() is not self:
            self.join(STOP_TIMEOUT_SECONDS)
