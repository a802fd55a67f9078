"""A blocking D-Bus connection on jeepney's pure parts: authentication, messages, filters.

Why not ``jeepney.io.blocking``: its connection class brings ``jeepney.io.common`` and a
selector per connection into the tray process (77 kB of Python heap for the modules alone,
held for hours), and Unsit uses a small part of it. This module offers that part, with the
same behaviour the adapters rely on:

- :func:`authenticated_socket`: connect to a bus address and authenticate (SASL EXTERNAL,
  the kernel's credentials), all within a timeout; the socket is then ready for ``Hello``.
- :class:`BlockingConnection`: ``send_and_get_reply`` with a timeout (``TimeoutError``),
  ``filter`` rules that collect matching messages in a deque while waiting for anything,
  and ``recv_until_filtered``. A closed connection raises ``ConnectionResetError``.

jeepney is imported here at the top: import this module only where jeepney is wanted.
"""

from __future__ import annotations

import itertools
import socket
import time
from collections import deque
from typing import Any

from jeepney import HeaderFields, MatchRule, Message, MessageType, Parser
from jeepney.auth import BEGIN, Authenticator
from jeepney.bus import get_bus
from jeepney.bus_messages import message_bus

RECEIVE_BYTES = 4096


def authenticated_socket(address: str, timeout_seconds: float) -> socket.socket:
    """A Unix socket to the bus at ``address`` ("SESSION", "SYSTEM" or a D-Bus address), authenticated.

    Raises:
        TimeoutError: no answer within ``timeout_seconds``.
        OSError, ValueError, KeyError, jeepney.AuthenticationError: no such bus, a broken address,
            a refusal.
    """
    sock = socket.socket(family=socket.AF_UNIX)  # type: ignore[attr-defined,unused-ignore]  # not on Windows
    deadline = time.monotonic() + timeout_seconds

    def before_deadline() -> None:
        sock.settimeout(max(deadline - time.monotonic(), 0.0))

    try:
        before_deadline()
        sock.connect(get_bus(address))
        authenticator = Authenticator(enable_fds=False, inc_null_byte=False)
        if hasattr(socket, "SCM_CREDS"):  # BSD: the kernel fills in the credentials
            sock.sendmsg([b"\0"], [(socket.SOL_SOCKET, socket.SCM_CREDS, bytes(512))])  # type: ignore[attr-defined,unused-ignore]
        else:  # Linux: the bus reads them with SO_PEERCRED
            sock.sendall(b"\0")
        for request in authenticator:
            before_deadline()
            sock.sendall(request)
            before_deadline()
            answer = sock.recv(1024)
            if not answer:
                raise ConnectionResetError("the bus closed the connection while authenticating")
            authenticator.feed(answer)
        before_deadline()
        sock.sendall(BEGIN)
    except TimeoutError as error:
        sock.close()
        raise TimeoutError(f"no authentication in {timeout_seconds:g} s") from error
    except BaseException:
        sock.close()
        raise
    sock.settimeout(None)
    return sock


class BlockingConnection:
    """One authenticated bus connection, used from one thread at a time.

    Args:
        sock: a socket from :func:`authenticated_socket` (``open`` makes one and says Hello).
    """

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.unique_name = ""
        self._parser = Parser()
        self._serials = itertools.count(1)
        self._filters: list[tuple[MatchRule, deque[Message]]] = []

    @classmethod
    def open(cls, address: str, timeout_seconds: float) -> BlockingConnection:
        """Connect, authenticate and say Hello, within ``timeout_seconds`` each."""
        connection = cls(authenticated_socket(address, timeout_seconds))
        try:
            reply = connection.send_and_get_reply(message_bus.Hello(), timeout=timeout_seconds)
            connection.unique_name = str(reply.body[0])
        except BaseException:
            connection.close()
            raise
        return connection

    def filter(self, rule: MatchRule, *, queue: deque[Message]) -> None:
        """Collect every incoming message that matches ``rule`` in ``queue`` (from now on)."""
        self._filters.append((rule, queue))

    def send(self, message: Message) -> int:
        """Send ``message``; its serial."""
        serial = next(self._serials)
        self.sock.sendall(message.serialise(serial=serial))
        return serial

    def send_and_get_reply(self, message: Message, *, timeout: float | None = None) -> Message:
        """Send a method call and wait for its reply (a method return or an error message).

        Signals that come meanwhile go to the filters.

        Raises:
            TimeoutError: no reply within ``timeout``.
            ConnectionResetError: the bus closed the connection.
        """
        serial = self.send(message)
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            incoming = self._next_message(deadline)
            kind = incoming.header.message_type
            if kind in (MessageType.method_return, MessageType.error) \
                    and incoming.header.fields.get(HeaderFields.reply_serial) == serial:
                return incoming
            self._dispatch(incoming)

    def recv_until_filtered(self, queue: deque[Message]) -> Message:
        """Receive until a filter puts a message in ``queue``; that message (blocks without a timeout)."""
        while not queue:
            self._dispatch(self._next_message(None))
        return queue.popleft()

    def close(self) -> None:
        """Close the socket."""
        self.sock.close()

    def _dispatch(self, message: Message) -> None:
        for rule, queue in self._filters:
            if rule.matches(message):
                queue.append(message)

    def _next_message(self, deadline: float | None) -> Message:
        while True:
            message: Any = self._parser.get_next_message()
            if message is not None:
                return message
            if deadline is not None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError("no reply in time")
                self.sock.settimeout(remaining)
            else:
                self.sock.settimeout(None)
            data = self.sock.recv(RECEIVE_BYTES)
            if not data:
                raise ConnectionResetError("the bus closed the connection")
            self._parser.add_data(data)
