"""The running app's side of the single-instance socket.

On Linux and macOS it is a plain Unix domain socket in the user's private runtime folder
(mode 0600 inside a 0700 folder), watched with QSocketNotifier, so the app does not load
QtNetwork (about 3 MB) just for this. On Windows it is a QLocalServer named pipe limited to
the user.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSocketNotifier

if TYPE_CHECKING:  # QtNetwork loads only on Windows, where the named pipe needs it
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

from unsit.platform.ipc_client import NotRunning, send_request, server_name

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any]], dict[str, Any]]
MAX_REQUEST_BYTES = 64 * 1024
CLIENT_TIMEOUT_SECONDS = 2.0


def answer(handler: Handler, data: bytes) -> bytes:
    """Decode one request line, run the handler, encode its reply (errors become replies)."""
    try:
        request = json.loads(data.decode())
        if not isinstance(request, dict):
            raise ValueError("request is not an object")
        reply = handler(request)
    except Exception as exc:  # a bad request must never take the app down
        log.exception("request failed: %r", data[:200])
        reply = {"ok": False, "error": str(exc)}
    return (json.dumps(reply) + "\n").encode()


class InstanceServer(QObject):
    """Listens for CLI requests and answers each with ``handler(request)``."""

    def __init__(self, socket_path: Path, handler: Handler, parent: QObject | None = None):
        super().__init__(parent)
        self._path = socket_path
        self._handler = handler
        self._sock: socket.socket | None = None
        self._notifier: QSocketNotifier | None = None
        self._qt_server: QLocalServer | None = None

    def listen(self) -> bool:
        """Take the socket. False when another live instance already answers on it.

        A socket file left by an instance that died (SIGKILL, power loss) answers nobody;
        it is removed and taken over.

        Raises:
            OSError: the socket cannot be created (e.g. the runtime folder is not writable).
        """
        try:
            send_request(self._path, {"command": "ping"}, timeout=2.0)
            return False
        except NotRunning:
            pass
        if sys.platform == "win32":
            return self._listen_qt()
        self._path.unlink(missing_ok=True)
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            old_umask = os.umask(0o177)  # the socket file is created 0600
            try:
                sock.bind(str(self._path))
            finally:
                os.umask(old_umask)
            sock.listen(8)
            sock.setblocking(False)
        except OSError:
            sock.close()
            raise
        self._sock = sock
        self._notifier = QSocketNotifier(sock.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_connection)
        return True

    def close(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier = None
        if self._sock is not None:
            self._sock.close()
            self._sock = None
            try:
                self._path.unlink()
            except OSError:
                pass
        if self._qt_server is not None:
            self._qt_server.close()

    def _on_connection(self, *_args: object) -> None:
        while self._sock is not None:
            try:
                conn, _ = self._sock.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:
                log.warning("accepting a command connection failed: %s", exc)
                return
            with conn:
                # The CLI sends its one short line right after connecting; a client that
                # stalls is cut off after a moment rather than blocking the app.
                conn.settimeout(CLIENT_TIMEOUT_SECONDS)
                try:
                    data = b""
                    while not data.endswith(b"\n") and len(data) <= MAX_REQUEST_BYTES:
                        chunk = conn.recv(65536)
                        if not chunk:
                            break
                        data += chunk
                    if data.endswith(b"\n"):
                        conn.sendall(answer(self._handler, data))
                except OSError as exc:
                    log.warning("a command connection failed: %s", exc)

    # -- Windows: a named pipe through QLocalServer --------------------------------------
    def _listen_qt(self) -> bool:
        from PySide6.QtNetwork import QLocalServer

        name = server_name(self._path)
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        QLocalServer.removeServer(name)
        if not server.listen(name):
            raise OSError(f"cannot listen on {name}: {server.errorString()}")
        server.newConnection.connect(self._on_qt_connection)
        self._qt_server = server
        return True

    def _on_qt_connection(self) -> None:
        while self._qt_server is not None and self._qt_server.hasPendingConnections():
            conn = self._qt_server.nextPendingConnection()
            buffer = bytearray()

            def ready(c: QLocalSocket = conn, b: bytearray = buffer) -> None:
                b += c.readAll().data()
                if len(b) > MAX_REQUEST_BYTES:
                    c.abort()
                elif b.endswith(b"\n"):
                    c.write(answer(self._handler, bytes(b)))
                    c.flush()
                    c.disconnectFromServer()

            conn.readyRead.connect(ready)
            conn.disconnected.connect(conn.deleteLater)
