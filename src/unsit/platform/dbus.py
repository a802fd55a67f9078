"""The one D-Bus layer Unsit's adapters share, on jeepney's own blocking I/O (``jeepney.io.blocking``).

- :func:`open_connection`: a ``jeepney.io.blocking.DBusConnection`` whose authentication is
  bounded by a timeout.
- :class:`BusCaller`: one connection, opened once and reused for short method calls with a
  timeout; reopened after the bus went away. For calls from the GUI thread, keep its timeout
  well under a tick.
- :class:`SignalListener`: a daemon thread that opens its own connection, adds match rules and
  blocks in ``recv_until_filtered`` (zero CPU while nothing happens); ``stop()`` wakes it by
  shutting the socket down. Its callbacks run on that thread: hand results on through queued Qt
  signals.
- :class:`CallingConnection`: one connection that carries method calls from one thread while a
  receiver thread hands its signals over (the notification link: some servers send
  ``ActionInvoked`` only to the connection that called ``Notify``).
- :class:`NameOwners`: the unique names owning well-known names, to believe a signal only from
  the service that owns the name (any client can send a signal that looks like one).

jeepney is imported lazily, so this module imports on any OS.
"""

from __future__ import annotations

import copy
import logging
import queue
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from typing import Any

logger = logging.getLogger(__name__)

CONNECT_TIMEOUT_SECONDS = 1.0
CALL_TIMEOUT_SECONDS = 1.0
STOP_TIMEOUT_SECONDS = 2.0
BUS_DAEMON = "org.freedesktop.DBus"


class BusUnavailable(Exception):
    """jeepney is missing, or no bus answers at the address."""


class CallFailed(Exception):
    """A call got no usable answer; ``broken`` when the connection itself is gone.

    Attributes:
        broken: The connection cannot carry calls any more (closed, lost, never opened).
        error_name: The D-Bus error name of an error reply ("" for other failures).
    """

    def __init__(self, reason: str, *, broken: bool = False, error_name: str = "") -> None:
        super().__init__(reason)
        self.broken = broken
        self.error_name = error_name


def open_connection(address: str, timeout_seconds: float = CONNECT_TIMEOUT_SECONDS) -> Any:
    """A ``jeepney.io.blocking.DBusConnection`` to ``address`` ("SESSION", "SYSTEM" or "unix:path=...").

    ``timeout_seconds`` bounds connecting and authenticating. jeepney then says ``Hello``
    without a timeout; the bus daemon answers that itself, at once, once it accepted us.

    Raises:
        BusUnavailable: jeepney is missing, or the bus cannot be reached or refuses us.
    """
    try:
        from jeepney.io.blocking import open_dbus_connection
    except ImportError as error:
        raise BusUnavailable("jeepney is not installed") from error
    try:
        return open_dbus_connection(address, auth_timeout=timeout_seconds)
    except Exception as error:
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

    rule = MatchRule(type="signal", sender=BUS_DAEMON, interface=BUS_DAEMON,
                     path="/org/freedesktop/DBus", member="NameOwnerChanged")
    rule.add_arg_condition(0, bus_name)
    return rule


def member_of(message: Any) -> str:
    """A message's member name ("" when it has none)."""
    from jeepney import HeaderFields

    return str(message.header.fields.get(HeaderFields.member, ""))


def signature_of(message: Any) -> str:
    """A message's body signature ("" for an empty body)."""
    from jeepney import HeaderFields

    return str(message.header.fields.get(HeaderFields.signature, ""))


def _local_rule(rule: Any) -> Any:
    """``rule`` as this process can check it: without a well-known sender name.

    The bus resolves a well-known ``sender`` to its owner; the messages we get carry the owner's
    unique name, so a local filter on the well-known name would match nothing. Check the sender
    with :class:`NameOwners` instead. The bus's own name and unique names stay in the rule.
    """
    sender = rule.header_fields.get("sender", "")
    if not sender or sender.startswith(":") or sender == BUS_DAEMON:
        return rule
    local = copy.copy(rule)
    local.header_fields = {key: value for key, value in rule.header_fields.items() if key != "sender"}
    return local


class NameOwners:
    """Who owns some well-known names, kept from ``GetNameOwner`` and ``NameOwnerChanged``.

    Used on one thread (the listener's). Add :func:`name_owner_rule` for each name to the
    listener's rules and pass every message to :meth:`update`.
    """

    def __init__(self, names: Iterable[str]) -> None:
        self._owners: dict[str, str] = dict.fromkeys(names, "")

    def read(self, connection: Any, timeout_seconds: float = CALL_TIMEOUT_SECONDS) -> None:
        """Ask the bus who owns each name now (no owner: "")."""
        from jeepney import MessageType
        from jeepney.bus_messages import message_bus

        for name in self._owners:
            try:
                reply = connection.send_and_get_reply(message_bus.GetNameOwner(name), timeout=timeout_seconds)
            except TimeoutError:
                continue
            if reply.header.message_type is MessageType.method_return and signature_of(reply) == "s":
                self._owners[name] = reply.body[0]
            else:
                self._owners[name] = ""  # NameHasNoOwner

    def update(self, message: Any) -> bool:
        """Take a ``NameOwnerChanged`` from the bus into account; True when it was one."""
        from jeepney import HeaderFields

        if member_of(message) != "NameOwnerChanged" or signature_of(message) != "sss" \
                or message.header.fields.get(HeaderFields.sender) != BUS_DAEMON:
            return False
        name, _old, new = message.body
        if name in self._owners:
            self._owners[name] = new
        return True

    def sent_by_owner(self, message: Any, name: str) -> bool:
        """True when ``message`` comes from the connection that owns ``name`` now."""
        from jeepney import HeaderFields

        owner = self._owners.get(name, "")
        return bool(owner) and message.header.fields.get(HeaderFields.sender) == owner


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
        rules: jeepney MatchRules for the signals wanted. A well-known ``sender`` is checked by
            the bus only (see :func:`_local_rule`): check it again with :class:`NameOwners`.
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
        from jeepney import MessageType
        from jeepney.bus_messages import message_bus

        matches: deque[Any] = deque()  # jeepney Messages
        for rule in self._rules:
            connection.filter(_local_rule(rule), queue=matches)
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


class CallingConnection:
    """One bus connection: method calls from one thread, incoming signals handed over by a receiver thread.

    Why not ``jeepney.io.threading``'s router, which does the same: a server that answers one
    call twice (mako 1.10 answers ``GetCapabilities``, then an error for the same call) sets
    its ``concurrent.futures.Future`` twice, which kills its receiver thread; and a bus that goes
    away mid-call leaves a traceback from that thread. Here the receiver thread puts replies in a
    ``queue.Queue`` the calling thread reads: a reply to another serial (a second answer, or
    one after the caller gave up) is skipped there, and a connection that ends puts its error
    in the queue, so a waiting call fails at once (``CallFailed``, ``broken``) instead of running
    out its timeout.

    Args:
        connection: An open ``jeepney.io.blocking.DBusConnection`` that nothing else reads.
        on_signal: Called on the receiver thread with each incoming signal; must return quickly
            (a failure is logged, the connection lives on).
        on_lost: Called on the receiver thread, with this object, when the connection ends
            without ``close()``.
        thread_name: Name of the receiver thread.
    """

    def __init__(self, connection: Any, on_signal: Callable[[Any], None], *,
                 on_lost: Callable[[CallingConnection], None] | None = None,
                 thread_name: str = "unsit-dbus-receiver") -> None:
        self.connection = connection
        self._on_signal = on_signal
        self._on_lost = on_lost
        self._replies: queue.Queue[Any] = queue.Queue()  # jeepney Messages, or the error that ended it
        self._closing = False
        self._thread = threading.Thread(target=self._receive, name=thread_name, daemon=True)
        self._thread.start()

    @classmethod
    def open(cls, address: str, on_signal: Callable[[Any], None], *,
             on_lost: Callable[[CallingConnection], None] | None = None,
             thread_name: str = "unsit-dbus-receiver",
             timeout_seconds: float = CONNECT_TIMEOUT_SECONDS) -> CallingConnection:
        """Connect to ``address`` and start the receiver thread.

        Raises:
            CallFailed: (``broken``) no bus at the address, a broken address, a refusal.
        """
        try:
            connection = open_connection(address, timeout_seconds)
        except BusUnavailable as exc:
            raise CallFailed(str(exc), broken=True) from None
        return cls(connection, on_signal, on_lost=on_lost, thread_name=thread_name)

    @property
    def receiver_alive(self) -> bool:
        """Whether the receiver thread still runs."""
        return self._thread.is_alive()

    def call(self, message: Any, timeout_seconds: float = CALL_TIMEOUT_SECONDS) -> Any:
        """Send the method call ``message`` and return its method return (from one thread only).

        Raises:
            CallFailed: an error reply (``error_name`` set), no reply in ``timeout_seconds``,
                a message that cannot be sent, or a connection that is gone (``broken``).
        """
        from jeepney import HeaderFields, MessageType

        member = member_of(message) or "call"
        serial = next(self.connection.outgoing_serial)
        try:
            self.connection.send(message, serial=serial)
        except OSError as exc:
            raise CallFailed(f"{member}: {exc or type(exc).__name__}", broken=True) from None
        except Exception as exc:  # noqa: BLE001 - a body that does not fit its signature
            raise CallFailed(f"{member}: cannot send it: {exc}") from None
        deadline = time.monotonic() + timeout_seconds
        while True:
            try:
                reply = self._replies.get(timeout=max(deadline - time.monotonic(), 0.0))
            except queue.Empty:
                raise CallFailed(f"{member}: no answer in {timeout_seconds:g} s") from None
            if isinstance(reply, BaseException):
                self._replies.put(reply)  # for every later call too
                raise CallFailed(f"{member}: the D-Bus connection ended", broken=True)
            if reply.header.fields.get(HeaderFields.reply_serial) != serial:
                logger.debug("skipped a reply to call %s: nobody waits for it",
                             reply.header.fields.get(HeaderFields.reply_serial))
                continue
            if reply.header.message_type is MessageType.error:
                error_name = str(reply.header.fields.get(HeaderFields.error_name, "error"))[:200]
                raise CallFailed(f"{member}: {error_name}", error_name=error_name)
            return reply

    def close(self) -> None:
        """End the connection: a waiting call fails (``broken``), the receiver thread ends."""
        self._closing = True
        try:
            self.connection.sock.shutdown(socket.SHUT_RDWR)  # wakes the receiver
        except OSError:
            pass  # already shut, or the peer reset it
        if threading.current_thread() is not self._thread:
            self._thread.join(STOP_TIMEOUT_SECONDS)
        self.connection.close()

    def _receive(self) -> None:
        from jeepney import MessageType

        try:
            while True:
                message = self.connection.receive()
                kind = message.header.message_type
                if kind in (MessageType.method_return, MessageType.error):
                    self._replies.put(message)
                elif kind is MessageType.signal:
                    try:
                        self._on_signal(message)
                    except Exception:  # a handler's bug must not end the connection
                        logger.exception("a D-Bus signal handler failed")
        except Exception as exc:  # noqa: BLE001 - EOF, a reset or shut-down socket, bytes that do not parse
            self._replies.put(ConnectionResetError(str(exc) or type(exc).__name__))
            if self._closing:
                return
            logger.info("the D-Bus connection ended: %s", exc or type(exc).__name__)
            if self._on_lost is not None:
                try:
                    self._on_lost(self)
                except Exception:  # the thread ends either way; keep the reason
                    logger.exception("the D-Bus connection's on_lost callback failed")
