"""The running app's side of the single-instance socket.

On Linux and macOS it is a plain Unix domain socket in the user's private runtime folder
(mode 0600 inside a 0700 folder), served on the GUI thread without ever blocking it: Qt's
event loop watches the sockets (``QSocketNotifier``), every socket is non-blocking, each
request has a whole-request deadline and a size limit, and replies are written as the
client takes them. The handler runs from the event loop once a complete, decoded request
is in. So a slow or idle client can never stall the app, many clients at once are served,
and an idle tray has no thread for the socket (an earlier version had one, with
``selectors``).

A lock file held for the lifetime of the server (``fcntl.flock``, released by the kernel
when the process dies) tells a live instance from a dead one's leftover socket file.

On Windows it is a QLocalServer named pipe limited to the user.
"""

from __future__ import annotations

import itertools
import logging
import math
import os
import socket
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSocketNotifier, QTimer

from unsit.core.records import dataclass, field

if TYPE_CHECKING:  # QtNetwork loads only on Windows, where the named pipe needs it
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

from unsit.transient_imports import transient_modules
from unsit.ui.ipc_requests import (  # noqa: F401  (answer, quote: used by tests and Windows)
    QUOTE_CHARS,
    WARNINGS_PER_MINUTE,
    Handler,
    WarningBudget,
    answer,
    decode_request,
    encode_reply,
    quote,
    run_handler,
)

log = logging.getLogger(__name__)

MAX_REQUEST_BYTES = 64 * 1024
REQUEST_DEADLINE_SECONDS = 3.0  # from accept to a complete request line
CONNECTION_DEADLINE_SECONDS = 30.0  # from accept to the reply sent
MAX_CONNECTIONS = 512
LISTEN_BACKLOG = 128


@dataclass
class _Connection:
    conn_id: int
    sock: socket.socket
    opened_at: float
    inbox: bytearray = field(default_factory=bytearray)
    outbox: bytes = b""
    waiting_for_handler: bool = False
    notifier: QSocketNotifier | None = None  # watches the socket for what the connection waits for


def server_name(socket_path: Path) -> str:
    """The name the named pipe listens on (Windows): ``ipc_client.server_name``."""
    from unsit.platform.ipc_client import server_name as name_for

    return name_for(socket_path)


class InstanceServer(QObject):
    """Listens for CLI requests and answers each with ``handler(request)`` on the GUI thread."""

    def __init__(self, socket_path: Path, handler: Handler, parent: QObject | None = None):
        super().__init__(parent)
        self._path = socket_path
        self._handler = handler
        self._sock: socket.socket | None = None
        self._lock_fd: int | None = None
        self._inode: int | None = None
        self._accept_notifier: QSocketNotifier | None = None
        self._deadlines: QTimer | None = None
        self._conns: dict[int, _Connection] = {}
        self._budget = WarningBudget()
        self._qt_server: QLocalServer | None = None
        self._ids = itertools.count(1)

    @property
    def lock_path(self) -> Path:
        """The lock file that a live server holds."""
        return self._path.with_name(self._path.name + ".lock")

    def listen(self) -> bool:
        """Take the socket. False when another live instance holds it.

        A live instance holds the lock file, or accepts connections on the socket even
        when it is too busy to answer; it is never taken over. A socket file left by an
        instance that died (SIGKILL, power loss) is removed and taken over.

        Raises:
            OSError: the socket cannot be created (e.g. the runtime folder is not writable).
        """
        if sys.platform == "win32":
            return False if self._someone_listens() else self._listen_qt()
        if not self._take_lock():
            return False
        if self._someone_listens():  # an older Unsit without the lock file
            self._release_lock()
            return False
        try:
            self._bind()
        except OSError:
            self._release_lock()
            raise
        self._start_serving()
        return True

    def _someone_listens(self) -> bool:
        """Whether an instance listens at the path, answering or busy.

        The client module is needed only for this check at start-up: it is forgotten afterwards.
        """
        with transient_modules("unsit.platform.ipc_client"):
            from unsit.platform.ipc_client import NotAnswering, NotRunning, send_request

            try:
                send_request(self._path, {"command": "ping"}, timeout=2.0)
            except NotAnswering:
                return True
            except NotRunning:
                return False
            return True

    def _take_lock(self) -> bool:
        if sys.platform == "win32":
            raise OSError("lock files are for Unix; Windows uses a named pipe")
        import fcntl

        try:
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        except OSError as exc:
            log.warning("cannot open the lock file %s (%s); relying on the socket alone", self.lock_path,
                        exc.strerror or exc)
            return True
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._lock_fd = fd
        return True

    def _release_lock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing releases the flock
            self._lock_fd = None

    def _bind(self) -> None:
        if sys.platform == "win32":
            raise OSError("Unix sockets are for Unix; Windows uses a named pipe")
        self._path.unlink(missing_ok=True)
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            old_umask = os.umask(0o177)  # the socket file is created 0600
            try:
                sock.bind(str(self._path))
            finally:
                os.umask(old_umask)
            sock.listen(LISTEN_BACKLOG)
            sock.setblocking(False)
            self._inode = os.stat(self._path).st_ino
        except OSError:
            sock.close()
            raise
        self._sock = sock

    def _start_serving(self) -> None:
        assert self._sock is not None
        notifier = QSocketNotifier(self._sock.fileno(), QSocketNotifier.Type.Read, self)
        notifier.activated.connect(self._accept)
        self._accept_notifier = notifier
        self._deadlines = QTimer(self)
        self._deadlines.setSingleShot(True)
        self._deadlines.timeout.connect(self._expire)

    def close(self) -> None:
        """Stop serving, remove the socket file (when it is still ours) and release the lock."""
        if self._accept_notifier is not None:
            self._accept_notifier.setEnabled(False)
            self._accept_notifier.deleteLater()
            self._accept_notifier = None
        if self._deadlines is not None:
            self._deadlines.stop()
        for conn in list(self._conns.values()):
            self._drop(conn)
        if self._sock is not None:
            self._sock.close()
            self._sock = None
            try:
                if os.stat(self._path).st_ino == self._inode:
                    self._path.unlink()
            except OSError:
                pass
        self._release_lock()
        if self._qt_server is not None:
            self._qt_server.close()

    # -- the connections, on the GUI thread; no call here blocks -------------------------
    def _accept(self) -> None:
        if self._sock is None:
            return
        while True:
            try:
                sock, _ = self._sock.accept()
            except (BlockingIOError, InterruptedError):
                break
            except OSError as exc:
                self._budget.warn("accepting a command connection failed: %s", exc)
                break
            if len(self._conns) >= MAX_CONNECTIONS:
                self._budget.warn("too many open command connections (%d); one was closed", len(self._conns))
                sock.close()
                continue
            sock.setblocking(False)
            conn = _Connection(next(self._ids), sock, time.monotonic())
            self._conns[conn.conn_id] = conn
            self._watch(conn, QSocketNotifier.Type.Read)
        self._arm_deadline()

    def _watch(self, conn: _Connection, kind: QSocketNotifier.Type) -> None:
        """Call ``_read`` or ``_write`` when ``conn``'s socket is ready for it (one notifier at a time)."""
        self._unwatch(conn)
        notifier = QSocketNotifier(conn.sock.fileno(), kind, self)
        ready = self._read if kind == QSocketNotifier.Type.Read else self._write
        notifier.activated.connect(lambda *_args, conn_id=conn.conn_id: ready(conn_id))
        conn.notifier = notifier

    @staticmethod
    def _unwatch(conn: _Connection) -> None:
        if conn.notifier is not None:
            conn.notifier.setEnabled(False)
            conn.notifier.deleteLater()
            conn.notifier = None

    @staticmethod
    def _deadline(conn: _Connection) -> float:
        if conn.waiting_for_handler or conn.outbox:
            return conn.opened_at + CONNECTION_DEADLINE_SECONDS
        return conn.opened_at + REQUEST_DEADLINE_SECONDS

    def _arm_deadline(self) -> None:
        """Wake ``_expire`` at the earliest connection deadline (no timer while nobody is connected)."""
        if self._deadlines is None:
            return
        if not self._conns:
            self._deadlines.stop()
            return
        due = min(self._deadline(conn) for conn in self._conns.values())
        self._deadlines.start(max(0, math.ceil((due - time.monotonic()) * 1000)))

    def _read(self, conn_id: int) -> None:
        conn = self._conns.get(conn_id)
        if conn is None or conn.waiting_for_handler or conn.outbox:
            return
        try:
            chunk = conn.sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            chunk = b""
        if not chunk:
            self._drop(conn)
            return
        conn.inbox += chunk
        end = conn.inbox.find(b"\n")
        if end < 0:
            if len(conn.inbox) > MAX_REQUEST_BYTES:
                self._budget.warn("a command request longer than %d bytes was refused: %s", MAX_REQUEST_BYTES,
                                  quote(bytes(conn.inbox)))
                self._send(conn, encode_reply({"ok": False,
                                               "error": f"request longer than {MAX_REQUEST_BYTES} bytes"}))
            return
        line = bytes(conn.inbox[:end])
        request, error = decode_request(line)
        if request is None:
            self._budget.warn("a bad command request was refused (%s): %s", error, quote(line))
            self._send(conn, encode_reply({"ok": False, "error": error}))
            return
        self._unwatch(conn)
        conn.waiting_for_handler = True
        self._arm_deadline()
        # The handler runs from the event loop, as a queued call, not inside the notifier's signal.
        QTimer.singleShot(0, lambda: self._on_request(conn_id, request))

    def _on_request(self, conn_id: int, request: dict[str, Any]) -> None:
        if self._sock is None:
            return  # closed meanwhile: the app is stopping
        reply = encode_reply(run_handler(self._handler, request))
        conn = self._conns.get(conn_id)
        if conn is None or not conn.waiting_for_handler:
            return  # the client was cut off meanwhile
        conn.waiting_for_handler = False
        self._send(conn, reply)

    def _send(self, conn: _Connection, data: bytes) -> None:
        conn.outbox = data
        self._watch(conn, QSocketNotifier.Type.Write)
        self._arm_deadline()

    def _write(self, conn_id: int) -> None:
        conn = self._conns.get(conn_id)
        if conn is None or not conn.outbox:
            return
        try:
            sent = conn.sock.send(conn.outbox)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            self._drop(conn)
            return
        conn.outbox = conn.outbox[sent:]
        if not conn.outbox:
            self._drop(conn)

    def _expire(self) -> None:
        now = time.monotonic()
        for conn in [c for c in self._conns.values() if now >= self._deadline(c)]:
            if not conn.waiting_for_handler and not conn.outbox:
                self._budget.warn("a command client sent no complete request in %g s; cut off after %s",
                                  REQUEST_DEADLINE_SECONDS, quote(bytes(conn.inbox)))
            self._drop(conn)
        self._arm_deadline()

    def _drop(self, conn: _Connection) -> None:
        self._unwatch(conn)
        self._conns.pop(conn.conn_id, None)
        conn.sock.close()
        self._arm_deadline()

    # -- Windows: a named pipe through QLocalServer --------------------------------------
    def _listen_qt(self) -> bool:
        from PySide6.QtNetwork import QLocalServer

        name = server_name(self._path)
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        server.setMaxPendingConnections(LISTEN_BACKLOG)
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
            # Reads here are non-blocking (readyRead); a client that never finishes its line
            # is cut off after the whole-request deadline.
            deadline = QTimer(conn)
            deadline.setSingleShot(True)
            deadline.timeout.connect(conn.abort)
            deadline.start(int(REQUEST_DEADLINE_SECONDS * 1000))

            def ready(c: QLocalSocket = conn, b: bytearray = buffer, d: QTimer = deadline) -> None:
                b += c.readAll().data()
                if len(b) > MAX_REQUEST_BYTES:
                    self._budget.warn("a command request longer than %d bytes was refused", MAX_REQUEST_BYTES)
                    c.abort()
                elif b"\n" in b:
                    d.stop()
                    c.write(answer(self._handler, bytes(b[:b.index(b"\n")])))
                    c.flush()
                    c.disconnectFromServer()

            conn.readyRead.connect(ready)
            conn.disconnected.connect(conn.deleteLater)
