"""Talk to the running Unsit over its per-user local socket (the CLI side).

One request, one reply: a JSON object on one line each way. On Linux and macOS
this is a plain Unix domain socket in the user's private runtime folder, so a
command like ``unsit status`` answers without loading Qt. On Windows the server
is a named pipe, reached through QLocalSocket.
"""

from __future__ import annotations

import json
import os
import socket
import sys
from pathlib import Path
from typing import Any

TIMEOUT_SECONDS = 5.0


class NotRunning(Exception):
    """No Unsit instance answers on the socket."""


def server_name(socket_path: Path) -> str:
    """The name the server listens on: a file path on POSIX, a pipe name on Windows."""
    if sys.platform == "win32":
        return f"unsit-{os.environ.get('USERNAME', 'user')}"
    return str(socket_path)


def send_request(socket_path: Path, request: dict[str, Any], timeout: float = TIMEOUT_SECONDS) -> dict[str, Any]:
    """Send one request to the running app and return its reply.

    Raises:
        NotRunning: when nothing listens, or the listener does not answer in time.
    """
    payload = (json.dumps(request) + "\n").encode()
    if sys.platform == "win32":
        return _send_qt(server_name(socket_path), payload, timeout)
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            sock.connect(str(socket_path))
            sock.sendall(payload)
            data = b""
            while not data.endswith(b"\n"):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
    except (TimeoutError, FileNotFoundError, ConnectionRefusedError, OSError) as exc:
        raise NotRunning(str(exc)) from exc
    return _decode(data)


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


def _decode(data: bytes) -> dict[str, Any]:
    if not data.strip():
        raise NotRunning("the running instance closed the connection without answering")
    reply = json.loads(data.decode())
    if not isinstance(reply, dict):
        raise NotRunning("unexpected reply")
    return reply
