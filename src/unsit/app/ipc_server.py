"""The running app's side of the single-instance socket.

On Linux and macOS it is a plain Unix domain socket in the user's private runtime folder
(mode 0600 inside a 0700 folder). A small server thread owns every connection: it
accepts, reads each request with a whole-request deadline and a size limit, and writes
replies, all without blocking. Only a complete, decoded request reaches the GUI thread,
through a queued Qt signal; the handler runs there and its reply goes back to the thread.
So a slow or idle client can never stall the app, and many clients at once are served.

A lock file held for the lifetime of the server (``fcntl.flock``, released by the kernel
when the process dies) tells a live instance from a dead one's leftover socket file.

The runtime folder can be deleted while the app runs. A second lock, outside it
(``platform/instance_lock.py``), keeps a second instance from starting meanwhile, and the
server watches its socket's folder and the folder above it (``QFileSystemWatcher``: inotify on
Linux, no wake-ups while nothing changes) and creates the folder, lock and socket again when they are gone, so ``unsit
status`` and ``unsit quit`` keep reaching the one instance.

On Windows it is a QLocalServer named pipe limited to the user.
"""

from __future__ import annotations

import itertools
import logging
import os
import selectors
import socket
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

if TYPE_CHECKING:  # QtNetwork loads only on Windows, where the named pipe needs it
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

    from unsit.platform.windows_instance import SessionMutex

from unsit.app.ipc_requests import (  # noqa: F401  (answer, quote: used by tests and Windows)
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
from unsit.platform.instance_lock import InstanceLock
from unsit.platform.ipc_client import NotAnswering, NotRunning, send_request, server_name

log = logging.getLogger(__name__)

MAX_REQUEST_BYTES = 64 * 1024
REQUEST_DEADLINE_SECONDS = 3.0  # from accept to a complete request line
CONNECTION_DEADLINE_SECONDS = 30.0  # from accept to the reply sent
MAX_CONNECTIONS = 512
LISTEN_BACKLOG = 128
OTHER_INSTANCE_WAIT_SECONDS = 5.0
"""How long a starting app waits for the socket of an instance that holds the instance lock."""
SOCKET_CHECK_DELAY_MS = 200
"""After a change in the socket's folder, look again this much later (a deletion under way ends first)."""


@dataclass
class _Connection:
    conn_id: int
    sock: socket.socket
    opened_at: float
    inbox: bytearray = field(default_factory=bytearray)
    outbox: bytes = b""
    waiting_for_handler: bool = False


BUSY_REPLY = b'{"ok": false, "busy": true, "error": "too many open command connections"}\n'
"""Sent, without reading the request, to a client over the cap (the CLI retries, then says busy)."""


def _say_busy(sock: socket.socket) -> None:
    """Answer "busy" without waiting (a fresh socket's buffer takes the short line) and close."""
    try:
        sock.setblocking(False)
        sock.send(BUSY_REPLY)
    except OSError:
        pass  # the client is gone or its buffer full: it sees the connection closed
    finally:
        sock.close()


class InstanceServer(QObject):
    """Listens for CLI requests and answers each with ``handler(request)`` on the GUI thread.

    Signals:
        request_received(int, object): internal, from the server thread to the GUI thread.
    """

    request_received = Signal(int, object)

    def __init__(self, socket_path: Path, handler: Handler, parent: QObject | None = None, *,
                 instance_lock: Path | None = None):
        super().__init__(parent)
        self._path = socket_path
        self._instance_lock = InstanceLock(instance_lock) if instance_lock is not None else None
        self._watcher: QFileSystemWatcher | None = None
        self._check_timer: QTimer | None = None
        self._handler = handler
        self._sock: socket.socket | None = None
        self._runtime_lock = InstanceLock(self.lock_path)
        self._inode: int | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._wake_r: socket.socket | None = None
        self._wake_w: socket.socket | None = None
        # Appended on the GUI thread, taken on the server thread (a deque's append and popleft
        # are thread safe).
        self._replies: deque[tuple[int, bytes]] = deque()
        self._budget = WarningBudget()
        self._qt_server: QLocalServer | None = None
        self._windows_mutex: SessionMutex | None = None
        self._ids = itertools.count(1)
        self.request_received.connect(self._on_request)  # emitted on the server thread only: Qt queues it

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
            return self._listen_windows()
        if not self._take_instance_lock():
            return False
        if not self._take_lock():
            self._release_instance_lock()
            return False
        try:
            send_request(self._path, {"command": "ping"}, timeout=2.0)
            alive = True  # an older Unsit without the lock file
        except NotAnswering:
            alive = True
        except NotRunning:
            alive = False
        if alive:
            self._release_lock()
            self._release_instance_lock()
            return False
        try:
            self._bind()
        except OSError:
            self._release_lock()
            raise  # the instance lock stays: this instance runs on without its socket
        self._start_thread()
        self._watch_folder()
        return True

    def _take_instance_lock(self) -> bool:
        """Hold the lock outside the runtime folder; False when another live instance holds it.

        While the other instance creates its socket again (its runtime folder was deleted), this
        waits up to ``OTHER_INSTANCE_WAIT_SECONDS`` for it to answer; either way it does not
        start beside it.
        """
        if self._instance_lock is None:
            return True
        deadline = time.monotonic() + OTHER_INSTANCE_WAIT_SECONDS
        while True:
            taken = self._instance_lock.take()
            if taken is None:
                log.warning("cannot open the instance lock %s; relying on the socket alone", self._instance_lock.path)
                return True
            if taken:
                return True
            try:
                send_request(self._path, {"command": "ping"}, timeout=1.0)
                return False  # it answers: the usual "already running"
            except NotAnswering:
                return False
            except NotRunning:
                pass  # its socket is not back yet (or the holder is only checking): wait a little
            if time.monotonic() >= deadline:
                log.warning("another Unsit holds %s but its command socket %s does not answer; not starting a "
                            "second one", self._instance_lock.path, self._path)
                return False
            time.sleep(0.1)

    def _release_instance_lock(self) -> None:
        if self._instance_lock is not None:
            self._instance_lock.release()

    # -- the socket's folder, watched ---------------------------------------------------------
    def _watch_folder(self) -> None:
        if self._watcher is None:
            self._watcher = QFileSystemWatcher(self)
            self._watcher.setObjectName("command_socket_watcher")
            self._check_timer = QTimer(self)
            self._check_timer.setObjectName("command_socket_check")
            self._check_timer.setSingleShot(True)
            self._check_timer.setInterval(SOCKET_CHECK_DELAY_MS)
            self._check_timer.timeout.connect(self.ensure_socket)
            self._watcher.directoryChanged.connect(self._folder_changed)  # a bound method: no cycle through a lambda
        # The socket's folder tells of the socket going; the folder above, of the folder going. A
        # removed folder drops out of the watch: it is watched again once it is made again.
        watched = set(self._watcher.directories())
        wanted = [str(folder) for folder in (self._path.parent, self._path.parent.parent)
                  if str(folder) not in watched and folder.is_dir()]
        if wanted:
            self._watcher.addPaths(wanted)

    def _folder_changed(self, _folder: str = "") -> None:
        if self._check_timer is not None:
            self._check_timer.start()  # a burst of changes: one check after it

    def socket_in_place(self) -> bool:
        """True when the socket file this server listens on is still there."""
        try:
            return os.stat(self._path).st_ino == self._inode
        except OSError:
            return False

    def ensure_socket(self) -> bool:
        """Create the folder, lock and socket again when they were removed; True when the socket is in place."""
        if self._sock is None:
            return False
        if self.socket_in_place():
            self._watch_folder()  # the folder may have been made again: watch the new one
            return True
        log.warning("the command socket %s was removed; creating it again", self._path)
        self._stop_thread()
        self._sock.close()
        self._sock = None
        self._release_lock()
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not self._take_lock():
                log.error("another process holds %s; the command line cannot reach this Unsit", self.lock_path)
                return False
            self._bind()
        except OSError as exc:
            log.error("cannot create the command socket %s again (%s); the command line cannot reach this Unsit",
                      self._path, exc.strerror or exc)
            return False
        self._start_thread()
        self._watch_folder()
        return True

    def _take_lock(self) -> bool:
        """Hold the lock file beside the socket; False when a live instance holds it."""
        taken = self._runtime_lock.take()
        if taken is None:
            log.warning("cannot open the lock file %s; relying on the socket alone", self.lock_path)
            return True
        return taken

    def _release_lock(self) -> None:
        self._runtime_lock.release()  # closing the file releases the flock

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

    def _start_thread(self) -> None:
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)
        self._stopping.clear()
        self._thread = threading.Thread(target=self._serve, name="unsit-command-socket", daemon=True)
        self._thread.start()

    def _stop_thread(self) -> None:
        if self._thread is not None:
            self._stopping.set()
            self._wake()
            self._thread.join(timeout=5.0)
            self._thread = None
        for s in (self._wake_r, self._wake_w):
            if s is not None:
                s.close()
        self._wake_r = self._wake_w = None

    def close(self) -> None:
        """Stop serving, remove the socket file (when it is still ours) and release the locks."""
        # Deleted here, on the GUI thread: a server object collected later on another thread then
        # takes no file watcher or timer with it.
        from shiboken6 import delete

        for part in (self._check_timer, self._watcher):
            if part is not None:
                delete(part)
        self._check_timer = self._watcher = None
        self._stop_thread()
        if self._sock is not None:
            self._sock.close()
            self._sock = None
            try:
                if os.stat(self._path).st_ino == self._inode:
                    self._path.unlink()
            except OSError:
                pass
        self._release_lock()
        self._release_instance_lock()
        if self._qt_server is not None:
            self._qt_server.close()
        if self._windows_mutex is not None:
            self._windows_mutex.release()
            self._windows_mutex = None

    # -- GUI thread ------------------------------------------------------------------------
    def _on_request(self, conn_id: int, request: dict[str, Any]) -> None:
        self._replies.append((conn_id, encode_reply(run_handler(self._handler, request))))
        self._wake()

    def _wake(self) -> None:
        if self._wake_w is None:
            return
        try:
            self._wake_w.send(b"\0")
        except (BlockingIOError, OSError):
            pass  # a wake-up is already pending (or we are closing)

    # -- server thread ---------------------------------------------------------------------
    def _serve(self) -> None:
        assert self._sock is not None and self._wake_r is not None
        selector = selectors.DefaultSelector()
        selector.register(self._sock, selectors.EVENT_READ, None)
        selector.register(self._wake_r, selectors.EVENT_READ, None)
        conns: dict[int, _Connection] = {}
        try:
            while not self._stopping.is_set():
                now = time.monotonic()
                timeout = None
                if conns:
                    timeout = max(0.0, min(self._deadline(c) for c in conns.values()) - now)
                for key, mask in selector.select(timeout):
                    if key.fileobj is self._sock:
                        self._accept(selector, conns)
                    elif key.fileobj is self._wake_r:
                        self._take_replies(selector, conns)
                    elif mask & selectors.EVENT_READ:
                        self._read(selector, conns, key.data)
                    elif mask & selectors.EVENT_WRITE:
                        self._write(selector, conns, key.data)
                self._expire(selector, conns, time.monotonic())
        except Exception:  # never let the thread die silently
            log.exception("the command socket thread failed")
        finally:
            for conn in conns.values():
                conn.sock.close()
            selector.close()

    @staticmethod
    def _deadline(conn: _Connection) -> float:
        if conn.waiting_for_handler or conn.outbox:
            return conn.opened_at + CONNECTION_DEADLINE_SECONDS
        return conn.opened_at + REQUEST_DEADLINE_SECONDS

    def _accept(self, selector: selectors.BaseSelector, conns: dict[int, _Connection]) -> None:
        assert self._sock is not None
        while True:
            try:
                sock, _ = self._sock.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:
                self._budget.warn("accepting a command connection failed: %s", exc)
                return
            if len(conns) >= MAX_CONNECTIONS:
                self._budget.warn("too many open command connections (%d); one was told busy", len(conns))
                _say_busy(sock)
                continue
            sock.setblocking(False)
            conn = _Connection(next(self._ids), sock, time.monotonic())
            conns[conn.conn_id] = conn
            selector.register(sock, selectors.EVENT_READ, conn)

    def _read(self, selector: selectors.BaseSelector, conns: dict[int, _Connection], conn: _Connection) -> None:
        try:
            chunk = conn.sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            chunk = b""
        if not chunk:
            self._drop(selector, conns, conn)
            return
        conn.inbox += chunk
        end = conn.inbox.find(b"\n")
        if end < 0:
            if len(conn.inbox) > MAX_REQUEST_BYTES:
                self._budget.warn("a command request longer than %d bytes was refused: %s", MAX_REQUEST_BYTES,
                                  quote(bytes(conn.inbox)))
                self._reply(selector, conn, {"ok": False, "error": f"request longer than {MAX_REQUEST_BYTES} bytes"})
            return
        line = bytes(conn.inbox[:end])
        request, error = decode_request(line)
        if request is None:
            self._budget.warn("a bad command request was refused (%s): %s", error, quote(line))
            self._reply(selector, conn, {"ok": False, "error": error})
            return
        selector.unregister(conn.sock)
        conn.waiting_for_handler = True
        self.request_received.emit(conn.conn_id, request)

    def _reply(self, selector: selectors.BaseSelector, conn: _Connection, reply: dict[str, Any]) -> None:
        conn.outbox = encode_reply(reply)
        selector.modify(conn.sock, selectors.EVENT_WRITE, conn)

    def _take_replies(self, selector: selectors.BaseSelector, conns: dict[int, _Connection]) -> None:
        assert self._wake_r is not None
        try:
            while self._wake_r.recv(4096):
                pass
        except (BlockingIOError, InterruptedError):
            pass
        while True:
            try:
                conn_id, data = self._replies.popleft()
            except IndexError:
                return
            conn = conns.get(conn_id)
            if conn is None or not conn.waiting_for_handler:
                continue  # the client was cut off meanwhile
            conn.waiting_for_handler = False
            conn.outbox = data
            selector.register(conn.sock, selectors.EVENT_WRITE, conn)

    def _write(self, selector: selectors.BaseSelector, conns: dict[int, _Connection], conn: _Connection) -> None:
        try:
            sent = conn.sock.send(conn.outbox)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            self._drop(selector, conns, conn)
            return
        conn.outbox = conn.outbox[sent:]
        if not conn.outbox:
            self._drop(selector, conns, conn)

    def _expire(self, selector: selectors.BaseSelector, conns: dict[int, _Connection], now: float) -> None:
        late = [c for c in conns.values() if now >= self._deadline(c)]
        for conn in late:
            if not conn.waiting_for_handler and not conn.outbox:
                self._budget.warn("a command client sent no complete request in %g s; cut off after %s",
                                  REQUEST_DEADLINE_SECONDS, quote(bytes(conn.inbox)))
            self._drop(selector, conns, conn)

    @staticmethod
    def _drop(selector: selectors.BaseSelector, conns: dict[int, _Connection], conn: _Connection) -> None:
        try:
            selector.unregister(conn.sock)
        except (KeyError, ValueError):
            pass  # not registered while it waits for the handler
        conns.pop(conn.conn_id, None)
        conn.sock.close()

    # -- Windows: a named pipe through QLocalServer --------------------------------------
    def _listen_windows(self, mutex: SessionMutex | None = None) -> bool:
        """The session's "Unsit is running" mutex decides (atomically: two quick launches cannot
        both win), then the pipe named by SID and session is opened (issue 25)."""
        if mutex is None:
            from unsit.platform.windows_instance import session_mutex

            mutex = session_mutex()
        if not mutex.acquire():
            return False
        self._windows_mutex = mutex
        try:
            return self._listen_qt()
        except OSError:
            mutex.release()
            self._windows_mutex = None
            raise

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
