"""The running app's side of the single-instance socket."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QObject
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from unsit.platform.ipc_client import NotRunning, send_request, server_name

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any]], dict[str, Any]]
MAX_REQUEST_BYTES = 64 * 1024


class InstanceServer(QObject):
    """Listens for CLI requests and answers each with ``handler(request)``."""

    def __init__(self, socket_path: Path, handler: Handler, parent: QObject | None = None):
        super().__init__(parent)
        self._path = socket_path
        self._handler = handler
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._on_new_connection)

    def listen(self) -> bool:
        """Take the socket. False when another live instance already answers on it.

        A socket file left by an instance that died (SIGKILL, power loss) answers nobody;
        it is removed and taken over.
        """
        try:
            send_request(self._path, {"command": "ping"}, timeout=2.0)
            return False
        except NotRunning:
            pass
        name = server_name(self._path)
        QLocalServer.removeServer(name)
        if not self._server.listen(name):
            log.error("cannot listen on %s: %s", name, self._server.errorString())
            return False
        return True

    def close(self) -> None:
        self._server.close()

    def _on_new_connection(self) -> None:
        while self._server.hasPendingConnections():
            conn = self._server.nextPendingConnection()
            conn.setParent(self)
            buffer = bytearray()
            conn.readyRead.connect(lambda c=conn, b=buffer: self._on_ready_read(c, b))
            conn.disconnected.connect(conn.deleteLater)

    def _on_ready_read(self, conn: QLocalSocket, buffer: bytearray) -> None:
        buffer += bytes(conn.readAll())
        if len(buffer) > MAX_REQUEST_BYTES:
            conn.abort()
            return
        if not buffer.endswith(b"\n"):
            return
        try:
            request = json.loads(buffer.decode())
            if not isinstance(request, dict):
                raise ValueError("request is not an object")
            reply = self._handler(request)
        except Exception as exc:  # a bad request must never take the app down
            log.exception("request failed: %r", bytes(buffer[:200]))
            reply = {"ok": False, "error": str(exc)}
        conn.write((json.dumps(reply) + "\n").encode())
        conn.flush()
        conn.disconnectFromServer()
