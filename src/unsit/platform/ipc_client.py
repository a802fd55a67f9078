"""Talk to the running Unsit over its per-user local socket (the CLI side).

One request, one reply: a JSON object on one line each way. On Linux and macOS
this is a plain Unix domain socket in the user's private runtime folder, so a
command like ``unsit status`` answers without loading Qt. On Windows the server
is a named pipe, reached through QLocalSocket.

A busy instance is still a live one: only "nobody listens here" (no socket file, or
the connection refused) counts as not running. A connection that is accepted (or
queued) but not answered in time raises ``NotAnswering``, so that nobody starts a
second instance or takes the socket over because the first one was slow. An instance at its
cap of open connections answers "busy" at once; the client tries again for a moment
(``BUSY_RETRY_SECONDS``) and then raises ``Busy``, a kind of ``NotAnswering``.
"""

from __future__ import annotations

import errno
import json
import os
import socket
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

TIMEOUT_SECONDS = 5.0
MAX_REPLY_BYTES = 1024 * 1024
CONNECT_RETRY_SECONDS = 0.02
BUSY_RETRY_SECONDS = 2.0
"""How long a client keeps trying while the instance answers "busy" (within its own timeout)."""
BUSY_FIRST_WAIT_SECONDS = 0.05
BUSY_LONGEST_WAIT_SECONDS = 0.4
_DEAD_ERRNOS = (errno.ENOENT, errno.ECONNREFUSED, errno.ENOTDIR)


class NotRunning(Exception):
    """No Unsit instance listens on the socket."""


class NotAnswering(Exception):
    """An instance is there (the connection was accepted or queued) but gave no answer in time."""


class Busy(NotAnswering):
    """The instance is there and said it is busy (too many open connections), also after retrying."""


def server_name(socket_path: Path) -> str:
    """The name the server listens on: a file path on POSIX, a pipe name on Windows.

    On Windows the pipe is named by the user's SID and logon session
    (``unsit.platform.windows_instance``); only if those cannot be read, by the user name.
    """
    if sys.platform == "win32":
        from unsit.platform.windows_instance import current_pipe_name

        try:
            return current_pipe_name()
        except OSError:
            return f"unsit-{os.environ.get('USERNAME', 'user')}"
    return str(socket_path)


def send_request(socket_path: Path, request: dict[str, Any], timeout: float = TIMEOUT_SECONDS) -> dict[str, Any]:
    """Send one request to the running app and return its reply.

    Args:
        timeout: for the whole exchange (connect, send, reply), in seconds.

    Raises:
        NotRunning: nothing listens (no socket file, or the connection is refused).
        NotAnswering: something listens but did not answer within ``timeout``.
        Busy: the instance answered "busy" each time for ``BUSY_RETRY_SECONDS``.
    """
    if sys.platform == "win32":
        return _send_qt(server_name(socket_path), _encode(request), timeout)
    deadline = time.monotonic() + timeout
    give_up = min(deadline, time.monotonic() + BUSY_RETRY_SECONDS)
    wait = BUSY_FIRST_WAIT_SECONDS
    while True:
        reply = _exchange(socket_path, request, timeout, deadline)
        if reply.get("busy") is not True:
            return reply
        left = give_up - time.monotonic()
        if left <= 0:
            raise Busy(f"{socket_path}: busy ({str(reply.get('error'))[:200]})")
        time.sleep(min(wait, left))
        wait = min(wait * 2, BUSY_LONGEST_WAIT_SECONDS)


def _exchange(socket_path: Path, request: dict[str, Any], timeout: float, deadline: float) -> dict[str, Any]:
    """One connection: send ``request``, read the reply line (Unix sockets)."""
    if sys.platform == "win32":
        raise NotRunning("Unix sockets are for Linux and macOS; Windows uses a named pipe")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        _connect(sock, socket_path, deadline)
        payload = _encode(request)  # after connecting: the tray's start-up check finds nobody, needs no json
        data = bytearray()
        try:
            try:
                sock.sendall(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # an instance at its cap answers "busy" and closes without reading: read that answer
            while not data.endswith(b"\n") and len(data) <= MAX_REPLY_BYTES:
                sock.settimeout(max(0.01, deadline - time.monotonic()))
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
        except (TimeoutError, OSError) as exc:
            if not data:
                raise NotAnswering(f"{socket_path}: no answer in {timeout:g} s ({exc})") from exc
    return _decode(bytes(data))


def _connect(sock: socket.socket, socket_path: Path, deadline: float) -> None:
    """Connect, waiting while the server's listen queue is full (a busy, live instance)."""
    while True:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            sock.connect(str(socket_path))
            return
        except TimeoutError as exc:
            raise NotAnswering(f"{socket_path}: the connection was not accepted in time") from exc
        except OSError as exc:
            if exc.errno in _DEAD_ERRNOS:
                raise NotRunning(str(exc)) from exc
            if exc.errno != errno.EAGAIN:
                raise NotRunning(f"{socket_path}: {exc.strerror or exc}") from exc
            # A full listen queue (Linux answers EAGAIN at once): someone is there; retry.
            if time.monotonic() >= deadline:
                raise NotAnswering(f"{socket_path}: busy ({exc.strerror})") from exc
            time.sleep(min(CONNECT_RETRY_SECONDS, max(0.0, deadline - time.monotonic())))


def _send_qt(name: str, payload: bytes, timeout: float,
             server_is_ours: Callable[[int], bool] | None = None) -> dict[str, Any]:
    """Windows: one exchange over the named pipe, with Qt's local socket.

    A QCoreApplication is made first when there is none (the CLI): without one, Qt's socket
    reports every failure as "not found", so a busy or refusing instance read as "not running".
    Before sending, the pipe's server must run as this user (``server_is_ours``).
    """
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtNetwork import QLocalSocket

    # Kept in this frame for the whole exchange; the CLI exits right after.
    app = QCoreApplication([]) if QCoreApplication.instance() is None else None
    sock = QLocalSocket()
    sock.connectToServer(name)
    if not sock.waitForConnected(int(timeout * 1000)):
        error = sock.error()
        if error in (QLocalSocket.LocalSocketError.ServerNotFoundError,
                     QLocalSocket.LocalSocketError.ConnectionRefusedError):
            raise NotRunning(sock.errorString())
        raise NotAnswering(f"{name}: {sock.errorString()}")
    if server_is_ours is None:
        from unsit.platform.windows_instance import pipe_server_is_ours

        server_is_ours = pipe_server_is_ours
    if not server_is_ours(int(sock.socketDescriptor())):
        sock.abort()
        raise NotRunning(f"{name} is served by a process of another user: not talking to it")
    sock.write(payload)
    sock.waitForBytesWritten(int(timeout * 1000))
    data = b""
    while not data.endswith(b"\n") and sock.waitForReadyRead(int(timeout * 1000)):
        data += sock.readAll().data()
    sock.disconnectFromServer()
    del app
    return _decode(data)


def _encode(request: dict[str, Any]) -> bytes:
    return (json.dumps(request) + "\n").encode()


def _decode(data: bytes) -> dict[str, Any]:

    if not data.strip():
        raise NotAnswering("the running instance closed the connection without answering")
    try:
        reply = json.loads(data.decode())
    except ValueError as exc:
        raise NotAnswering(f"the running instance sent an unreadable reply ({exc})") from exc
    if not isinstance(reply, dict):
        raise NotAnswering("the running instance sent an unexpected reply")
    return reply
