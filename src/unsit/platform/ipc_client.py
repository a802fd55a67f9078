"""Talk to the running Unsit over its per-user local socket (the CLI side).

One request, one reply: a JSON object on one line each way. On Linux and macOS
this is a plain Unix domain socket in the user's private runtime folder, so a
command like ``unsit status`` answers without loading Qt. On Windows the server
is a named pipe, reached through QLocalSocket.

A busy instance is still a live one: only "nobody listens here" (no socket file, or
the connection refused) counts as not running. A connection that is accepted (or
queued) but not answered in time raises ``NotAnswering``, so that nobody starts a
second instance or takes the socket over because the first one was slow.
"""

from __future__ import annotations

import errno
import json
import os
import socket
import sys
import time
from pathlib import Path
from typing import Any

TIMEOUT_SECONDS = 5.0
MAX_REPLY_BYTES = 1024 * 1024
CONNECT_RETRY_SECONDS = 0.02
_DEAD_ERRNOS = (errno.ENOENT, errno.ECONNREFUSED, errno.ENOTDIR)


class NotRunning(Exception):
    """No Unsit instance listens on the socket."""


class NotAnswering(Exception):
    """An instance is there (the connection was accepted or queued) but gave no answer in time."""


def server_name(socket_path: Path) -> str:
    """The name the server listens on: a file path on POSIX, a pipe name on Windows."""
    if sys.platform == "win32":
        return f"unsit-{os.environ.get('USERNAME', 'user')}"
    return str(socket_path)


def send_request(socket_path: Path, request: dict[str, Any], timeout: float = TIMEOUT_SECONDS) -> dict[str, Any]:
    """Send one request to the running app and return its reply.

    Args:
        timeout: for the whole exchange (connect, send, reply), in seconds.

    Raises:
        NotRunning: nothing listens (no socket file, or the connection is refused).
        NotAnswering: something listens but did not answer within ``timeout``.
    """
    if sys.platform == "win32":
        return _send_qt(server_name(socket_path), _encode(request), timeout)
    deadline = time.monotonic() + timeout
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        _connect(sock, socket_path, deadline)
        payload = _encode(request)  # after connecting: the tray's start-up check finds nobody, needs no json
        data = bytearray()
        try:
            sock.sendall(payload)
            while not data.endswith(b"\n") and len(data) <= MAX_REPLY_BYTES:
                sock.settimeout(max(0.01, deadline - time.monotonic()))
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
        except (TimeoutError, OSError) as exc:
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


def _send_qt(name: str, payload: bytes, timeout: float) -> dict[str, Any]:
    from PySide6.QtNetwork import QLocalSocket

    sock = QLocalSocket()
    sock.connectToServer(name)
    if not sock.waitForConnected(int(timeout * 1000)):
        raise NotRunning(sock.errorString())
    sock.write(payload)
    sock.waitForBytesWritten(int(timeout * 1000))
    data = b""
    while not data.endswith(b"\n") and sock.waitForReadyRead(int(timeout * 1000)):
        data += sock.readAll().data()
    sock.disconnectFromServer()
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
