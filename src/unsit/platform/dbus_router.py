"""A small D-Bus router: one connection, read by a daemon thread, replies matched by serial.

Why Unsit has its own: jeepney's ``jeepney.io.threading`` router brings ``concurrent.futures``
into the tray process, which an idle tray keeps for hours (about 0.12 MB of Python heap in the
running app, traced with tracemalloc). It also needed two workarounds: a second reply to one call
(mako 1.10 answers ``GetCapabilities`` with the capabilities, then with an error) set a future
twice and killed its receiver thread, and a connection that ended left a traceback from a
private receiver loop. This router stands on jeepney's pure parts only (the message
serialiser and ``Parser``, authentication through ``dbus_connection.authenticated_socket``) and
plain ``threading``:

- any thread may call: each call takes the next serial and is sent under a lock, then waits on
  an ``Event`` of its own, with a timeout;
- the receiver thread hands a method reply to the call waiting on its serial and drops any
  later reply to the same call; it hands each signal to the handlers whose rule it matches
  (a failing handler is logged, the connection lives on); anything else is ignored;
- when the connection ends without ``close()`` every waiting call fails at once with
  ``CallFailed(broken=True)``, and ``on_lost`` is called: one log line, no traceback.
"""

from __future__ import annotations

import itertools
import logging
import socket
import threading
from collections.abc import Callable
from enum import Enum

from jeepney import HeaderFields, MatchRule, Message, MessageType, Parser
from jeepney.bus_messages import message_bus

from unsit.platform.dbus_connection import authenticated_socket

log = logging.getLogger(__name__)

AUTH_TIMEOUT_SECONDS = 1.0
CALL_TIMEOUT_SECONDS = 3.0
JOIN_TIMEOUT_SECONDS = 2.0
RECEIVE_BYTES = 4096


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


class RouterState(Enum):
    """Whether a router's connection still carries calls."""

    OPEN = "open"
    CLOSED = "closed"  # by close()
    LOST = "lost"  # the bus ended it, or what came in could not be read


SignalHandler = Callable[[Message], None]


class _PendingCall:
    """A call waiting for its reply: set once by the receiver thread (or by the connection's end)."""

    __slots__ = ("answered", "reply")

    def __init__(self) -> None:
        self.answered = threading.Event()
        self.reply: Message | None = None  # None once answered: the connection ended first


class BusRouter:
    """One D-Bus connection, its receiver thread, and the calls waiting on it.

    Usually made with :meth:`open`. Thread safe: calls may come from any thread except the
    receiver's own (a signal handler that calls would wait on itself).

    Args:
        sock: An authenticated socket (``authenticated_socket``) that nothing else reads.
        on_lost: Called on the receiver thread, with this router, when the connection ends
            without ``close()``.
        thread_name: Name of the receiver thread.
    """

    def __init__(self, sock: socket.socket, *, on_lost: Callable[[BusRouter], None] | None = None,
                 thread_name: str = "unsit-dbus-receiver") -> None:
        self.unique_name = ""
        self._sock = sock
        self._on_lost = on_lost
        self._parser = Parser()
        self._serials = itertools.count(1)
        self._lock = threading.Lock()  # guards _state and _pending
        self._send_lock = threading.Lock()  # one message on the socket at a time, in serial order
        self._state = RouterState.OPEN
        self._pending: dict[int, _PendingCall] = {}
        # Replaced whole, never changed in place: the receiver reads it without a lock.
        self._handlers: tuple[tuple[MatchRule, SignalHandler], ...] = ()
        self._thread = threading.Thread(target=self._receive, name=thread_name, daemon=True)
        self._thread.start()

    @classmethod
    def open(cls, address: str = "SESSION", *, on_lost: Callable[[BusRouter], None] | None = None,
             thread_name: str = "unsit-dbus-receiver", auth_timeout_seconds: float = AUTH_TIMEOUT_SECONDS,
             call_timeout_seconds: float = CALL_TIMEOUT_SECONDS) -> BusRouter:
        """Connect to ``address`` ("SESSION", "SYSTEM" or a D-Bus address) and say Hello.

        Raises:
            CallFailed: (``broken``) no bus at the address, a broken address, no Hello in time.
        """
        try:
            sock = authenticated_socket(address, auth_timeout_seconds)
        except Exception as exc:  # noqa: BLE001 - unset variable, no socket, refused, a broken address
            raise CallFailed(f"cannot reach D-Bus at {address!r}: {exc}", broken=True) from None
        router = cls(sock, on_lost=on_lost, thread_name=thread_name)
        try:
            router.unique_name = str(router.call(message_bus.Hello(), call_timeout_seconds).body[0])
        except CallFailed as exc:
            router.close()
            raise CallFailed(str(exc), broken=True) from None
        return router

    @property
    def state(self) -> RouterState:
        """Open, closed by ``close()``, or lost."""
        return self._state

    @property
    def receiver_alive(self) -> bool:
        """Whether the receiver thread still runs."""
        return self._thread.is_alive()

    def watch(self, rule: MatchRule, handler: SignalHandler) -> None:
        """Hand every incoming signal that matches ``rule`` to ``handler`` (on the receiver thread).

        Only filters locally: ask the bus for the signals too (``AddMatch``). ``handler`` must
        return quickly (emit a queued Qt signal, put a request in a queue).
        """
        self._handlers = (*self._handlers, (rule, handler))

    def call(self, msg: Message, timeout_seconds: float = CALL_TIMEOUT_SECONDS) -> Message:
        """Send the method call ``msg`` and return its method return.

        Raises:
            CallFailed: an error reply (``error_name`` set), no reply in ``timeout_seconds``,
                a message that cannot be sent, or a connection that is gone (``broken``).
        """
        member = msg.header.fields.get(HeaderFields.member, "call")
        pending = _PendingCall()
        with self._send_lock:
            with self._lock:
                if self._state is not RouterState.OPEN:
                    raise CallFailed(f"{member}: the D-Bus connection is {self._state.value}", broken=True)
                serial = next(self._serials)
                self._pending[serial] = pending
            try:
                data = msg.serialise(serial=serial)
            except Exception as exc:  # noqa: BLE001 - a body that does not fit the signature
                self._forget(serial)
                raise CallFailed(f"{member}: cannot send it: {exc}") from None
            try:
                self._sock.sendall(data)
            except OSError as exc:
                self._forget(serial)
                raise CallFailed(f"{member}: {exc or type(exc).__name__}", broken=True) from None
        if not pending.answered.wait(timeout_seconds):
            self._forget(serial)
            if not pending.answered.is_set():  # the reply may have come in this very moment
                raise CallFailed(f"{member}: no answer in {timeout_seconds:g} s")
        reply = pending.reply
        if reply is None:
            raise CallFailed(f"{member}: the D-Bus connection ended", broken=True)
        if reply.header.message_type is MessageType.error:
            error_name = str(reply.header.fields.get(HeaderFields.error_name, "error"))
            raise CallFailed(f"{member}: {error_name} {reply.body}", error_name=error_name)
        return reply

    def close(self) -> None:
        """End the connection: waiting calls fail (``broken``), the receiver thread ends."""
        with self._lock:
            if self._state is RouterState.OPEN:
                self._state = RouterState.CLOSED
        try:
            self._sock.shutdown(socket.SHUT_RDWR)  # wakes the receiver's recv()
        except OSError:
            pass  # already shut, or the peer reset it
        if threading.current_thread() is not self._thread:
            self._thread.join(JOIN_TIMEOUT_SECONDS)
        self._sock.close()

    def _forget(self, serial: int) -> None:
        with self._lock:
            self._pending.pop(serial, None)

    # The receiver thread. --------------------------------------------------------------

    def _receive(self) -> None:
        try:
            while True:
                data = self._sock.recv(RECEIVE_BYTES)
                if not data:
                    raise EOFError("the bus closed the connection")
                self._parser.add_data(data)
                while (msg := self._parser.get_next_message()) is not None:
                    self._dispatch(msg)
        except Exception as exc:  # noqa: BLE001 - EOF, a reset or shut-down socket, bytes that do not parse
            self._end(str(exc) or type(exc).__name__)

    def _dispatch(self, msg: Message) -> None:
        kind = msg.header.message_type
        if kind in (MessageType.method_return, MessageType.error):
            serial = msg.header.fields.get(HeaderFields.reply_serial, -1)
            with self._lock:
                pending = self._pending.pop(serial, None)
            if pending is None:  # mako's second answer, or one after the caller gave up
                log.debug("ignored a reply to call %s: nobody waits for it", serial)
                return
            pending.reply = msg
            pending.answered.set()
        elif kind is MessageType.signal:
            for rule, handler in self._handlers:
                if rule.matches(msg):
                    try:
                        handler(msg)
                    except Exception:  # a handler's bug must not end the connection
                        log.exception("a D-Bus signal handler failed")

    def _end(self, reason: str) -> None:
        with self._lock:
            lost = self._state is RouterState.OPEN
            if lost:
                self._state = RouterState.LOST
            pending, self._pending = self._pending, {}
        for waiting in pending.values():
            waiting.answered.set()  # reply stays None: the call fails as broken
        if not lost:
            return  # close() ended it: nothing to report
        log.info("the D-Bus connection ended: %s", reason)
        if self._on_lost is not None:
            try:
                self._on_lost(self)
            except Exception:  # the thread ends either way; keep the reason
                log.exception("the D-Bus connection's on_lost callback failed")

