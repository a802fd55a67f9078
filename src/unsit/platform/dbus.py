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
        from jeepney.io.blocking import open_dbus_connection
    except ImportError as error:
        raise BusUnavailable("jeepney is not installed") from error
    try:
        return open_dbus_connection(address, auth_timeout=timeout_seconds)
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
        from jeepney import message_bus
        from jeepney.io.blocking import Proxy
        from jeepney.wrappers import DBusErrorResponse

        matches: deque[Any] = deque()  # jeepney Messages
        for rule in self._rules:
            connection.filter(rule, queue=matches)
        bus = Proxy(message_bus, connection, timeout=self._call_timeout_seconds)
        for rule in self._rules:
            try:
                bus.AddMatch(rule)
            except DBusErrorResponse as error:
                logger.warning("%s: D-Bus refused match %s: %s", self.name, rule.serialise(), error)
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


class _Client:
    """One user of a ``SharedListener``: its rules and callbacks (see ``SignalListener``)."""

    __slots__ = ("on_connected", "on_lost", "on_signals", "on_unavailable", "rules", "serving")

    def __init__(self, rules: Sequence[Any], on_signals: Callable[[Any, list[Any]], None],
                 on_connected: Callable[[Any], None] | None, on_unavailable: Callable[[BusUnavailable], None] | None,
                 on_lost: Callable[[BaseException], None] | None) -> None:
        self.rules = list(rules)
        self.on_signals = on_signals
        self.on_connected = on_connected
        self.on_unavailable = on_unavailable
        self.on_lost = on_lost
        self.serving = True  # False once removed, or once one of its callbacks failed


class SharedListener:
    """Several users' match rules on one ``SignalListener``: one connection and one thread for all.

    Each user is added with its own rules and callbacks, as it would give them to a
    ``SignalListener`` of its own, and gets only the signals its rules match. A user whose
    callback raises is told through its ``on_lost`` (as if its own listener had ended) and
    gets nothing more; the others carry on. Users are added before ``start()``.

    Args:
        name: the thread's name.
        address: "SESSION", "SYSTEM" or a D-Bus address.
    """

    def __init__(self, name: str, address: str = "SESSION") -> None:
        self._name = name
        self._address = address
        self._clients: list[_Client] = []
        self._listener: SignalListener | None = None

    @property
    def address(self) -> str:
        """The bus it listens on."""
        return self._address

    @property
    def alive(self) -> bool:
        """Whether the listener thread runs."""
        return self._listener is not None and self._listener.is_alive()

    def add(self, rules: Sequence[Any], on_signals: Callable[[Any, list[Any]], None], *,
            on_connected: Callable[[Any], None] | None = None,
            on_unavailable: Callable[[BusUnavailable], None] | None = None,
            on_lost: Callable[[BaseException], None] | None = None) -> object:
        """Add a user (before ``start()``); returns a key for ``remove``."""
        client = _Client(rules, on_signals, on_connected, on_unavailable, on_lost)
        self._clients.append(client)
        return client

    def remove(self, key: object) -> None:
        """Stop handing anything to that user; the listener stops with its last user."""
        if isinstance(key, _Client):
            key.serving = False
        if not any(client.serving for client in self._clients):
            self.stop()

    def start(self) -> None:
        """Connect and listen in the thread (does nothing once started, or without users)."""
        if self._listener is not None or not self._clients:
            return
        rules = [rule for client in self._clients for rule in client.rules]
        self._listener = SignalListener(self._name, self._address, rules, self._signals,
                                        on_connected=self._connected, on_unavailable=self._unavailable,
                                        on_lost=self._lost)
        self._listener.start()

    def stop(self) -> None:
        """Close the connection and end the thread."""
        if self._listener is not None:
            self._listener.stop()

    def _serving(self) -> list[_Client]:
        return [client for client in self._clients if client.serving]

    def _each(self, call: Callable[[_Client], None]) -> None:
        """Run ``call`` for every user; one that fails is told it is lost and dropped. A lost
        connection (OSError) ends the listener for all."""
        for client in self._serving():
            try:
                call(client)
            except OSError as error:
                if not isinstance(error, TimeoutError):
                    raise  # the connection itself failed
                self._drop(client, error)  # that user's call timed out; the connection lives on
            except Exception as error:  # noqa: BLE001 - one user's failure must not silence the others
                self._drop(client, error)

    def _drop(self, client: _Client, error: BaseException) -> None:
        client.serving = False
        if client.on_lost is not None:
            client.on_lost(error)
        else:
            logger.warning("%s: a D-Bus listener's user failed: %s", self._name, error)

    def _signals(self, connection: Any, messages: list[Any]) -> None:
        def hand_over(client: _Client) -> None:
            mine = [message for message in messages if any(rule.matches(message) for rule in client.rules)]
            if mine:
                client.on_signals(connection, mine)
        self._each(hand_over)

    def _connected(self, connection: Any) -> None:
        self._each(lambda client: client.on_connected(connection) if client.on_connected is not None else None)

    def _unavailable(self, error: BusUnavailable) -> None:
        for client in self._serving():
            if client.on_unavailable is not None:
                client.on_unavailable(error)

    def _lost(self, error: BaseException) -> None:
        for client in self._serving():
            if client.on_lost is not None:
                client.on_lost(error)
            else:
                logger.warning("%s: D-Bus connection ended: %s", self._name, error)
