"""Hostile and crowded clients on the command socket: the app keeps answering."""

from __future__ import annotations

import logging
import socket
import subprocess
import sys
import threading
import time

import pytest
from PySide6.QtCore import QTimer

from unsit.app import ipc_server
from unsit.app.ipc_requests import WarningBudget, quote
from unsit.app.ipc_server import InstanceServer
from unsit.platform.ipc_client import Busy, NotAnswering, NotRunning, send_request


def _in_thread(qtbot, fn, timeout_ms=15000):
    """Run ``fn`` in a thread while the Qt loop spins; return its result or exception."""
    result: list = []

    def run():
        try:
            result.append(fn())
        except Exception as exc:  # noqa: BLE001 - recorded for the assertion
            result.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    qtbot.waitUntil(lambda: not thread.is_alive(), timeout=timeout_ms)
    return result[0]


@pytest.fixture
def server(qtbot, tmp_path):
    seen: list = []
    srv = InstanceServer(tmp_path / "s.sock", lambda r: (seen.append(r), {"ok": True, "n": len(seen)})[1])
    assert srv.listen()
    srv.seen = seen
    yield srv
    srv.close()


def _connect(path) -> socket.socket:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(str(path))
    return s


def _closed_by_server(s: socket.socket) -> bool:
    """Whether the other end has closed ``s`` (an empty read or a reset), without waiting."""
    s.settimeout(0.01)
    try:
        return s.recv(1) == b""
    except TimeoutError:
        return False
    except OSError:
        return True


def test_slow_loris_and_idle_clients_do_not_block_status(qtbot, tmp_path, server):
    path = tmp_path / "s.sock"
    idle = [_connect(path) for _ in range(12)]
    loris = _connect(path)
    stop = threading.Event()

    def drip():  # a byte every 1.5 s, never a newline
        while not stop.wait(1.5):
            try:
                loris.send(b"x")
            except OSError:
                return

    dripper = threading.Thread(target=drip)
    dripper.start()
    try:
        started = time.monotonic()
        reply = _in_thread(qtbot, lambda: send_request(path, {"command": "status"}, timeout=2.0))
        assert reply == {"ok": True, "n": 1}
        assert time.monotonic() - started < 2.5  # the old GUI-thread reader took 2 s per stalled client
        # the GUI thread stays free: a Qt timer fires while the clients hang on
        timer = QTimer()
        timer.setSingleShot(True)
        with qtbot.waitSignal(timer.timeout, timeout=1000):
            timer.start(50)
        # and the slow clients are cut off after the whole-request deadline
        deadline_ms = int(ipc_server.REQUEST_DEADLINE_SECONDS * 1000 + 3000)
        qtbot.waitUntil(lambda: all(_closed_by_server(s) for s in idle), timeout=deadline_ms)
    finally:
        stop.set()
        dripper.join()
        for s in [*idle, loris]:
            s.close()


def test_two_hundred_simultaneous_clients_are_all_answered(qtbot, tmp_path, server):
    path = tmp_path / "s.sock"
    results: list = []
    lock = threading.Lock()
    go = threading.Event()

    def client():
        go.wait()
        try:
            r = send_request(path, {"command": "ping"}, timeout=10.0)
        except Exception as exc:  # noqa: BLE001 - recorded for the assertion
            r = exc
        with lock:
            results.append(r)

    threads = [threading.Thread(target=client) for _ in range(200)]
    for t in threads:
        t.start()
    go.set()
    qtbot.waitUntil(lambda: len(results) == 200, timeout=20000)
    failures = [r for r in results if not isinstance(r, dict)]
    assert failures == []
    assert len(server.seen) == 200


def test_oversized_and_bad_requests_get_an_error_and_little_log(qtbot, tmp_path, server, caplog):
    path = tmp_path / "s.sock"

    def send_raw(data: bytes) -> bytes:
        with _connect(path) as s:
            s.settimeout(5)
            try:
                s.sendall(data)
            except OSError:
                pass
            out = b""
            while not out.endswith(b"\n"):
                chunk = s.recv(65536)
                if not chunk:
                    break
                out += chunk
            return out

    caplog.set_level(logging.WARNING)
    big = _in_thread(qtbot, lambda: send_raw(b"{" + b"a" * (ipc_server.MAX_REQUEST_BYTES + 10)))
    assert b"longer than" in big
    for _ in range(30):
        bad = _in_thread(qtbot, lambda: send_raw(b"z" * 5000 + b"\n"))
        assert b'"ok": false' in bad
    assert server.seen == []  # nothing bad reached the handler
    logged = sum(len(r.getMessage()) for r in caplog.records)
    assert len(caplog.records) <= ipc_server.WARNINGS_PER_MINUTE
    assert logged < 2000, logged
    # a good request is still answered
    assert _in_thread(qtbot, lambda: send_request(path, {"command": "status"}))["ok"] is True


def test_warning_budget_counts_what_it_drops(caplog):
    now = [0.0]
    budget = WarningBudget(per_minute=2, clock=lambda: now[0])
    caplog.set_level(logging.WARNING)
    for _ in range(10):
        budget.warn("bad %s", "x")
    assert len(caplog.records) == 2
    now[0] = 61.0
    budget.warn("bad %s", "y")
    messages = [r.getMessage() for r in caplog.records]
    assert "8 more bad command requests" in messages[2] and messages[3] == "bad y"


def test_quote_is_bounded():
    assert len(quote(b"a" * 50_000)) < 260
    assert quote(b"hi") == "'hi'"


BUSY_CHILD = """
import sys, pathlib
from PySide6.QtCore import QCoreApplication
from unsit.app.ipc_server import InstanceServer
app = QCoreApplication([])
def handler(request):
    sys.stdin.readline()  # a GUI thread that is busy until the test lets it go
    return {"ok": True, "child": True}
server = InstanceServer(pathlib.Path(sys.argv[1]), handler)
print("listening" if server.listen() else "refused", flush=True)
app.exec()
"""


def test_a_busy_instance_is_never_taken_for_a_dead_one(qtbot, tmp_path):
    path = tmp_path / "s.sock"
    child = subprocess.Popen([sys.executable, "-c", BUSY_CHILD, str(path)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "listening"
        replies: list = []
        busy = threading.Thread(target=lambda: replies.append(send_request(path, {"command": "status"}, 30.0)))
        busy.start()  # keeps the child's GUI thread busy
        with pytest.raises(NotAnswering):
            send_request(path, {"command": "status"}, timeout=1.0)
        second = InstanceServer(path, lambda r: {"ok": True})
        assert second.listen() is False
        assert child.poll() is None and path.exists()
        child.stdin.write("\n\n")  # the busy spell ends: both waiting requests are answered
        child.stdin.flush()
        busy.join(30)
        assert replies == [{"ok": True, "child": True}]
    finally:
        child.kill()
        child.wait()


def test_a_full_listen_queue_is_busy_not_dead(tmp_path):
    path = tmp_path / "s.sock"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.listen(0)  # never accepts
    queued = []
    try:
        for _ in range(4):
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.setblocking(False)
            try:
                s.connect(str(path))
            except (BlockingIOError, OSError):
                pass
            queued.append(s)
        with pytest.raises(NotAnswering):
            send_request(path, {"command": "status"}, timeout=0.5)
    finally:
        for s in queued:
            s.close()
        listener.close()
    with pytest.raises(NotRunning):  # closed listener, socket file left: refused = dead
        send_request(path, {"command": "status"}, timeout=0.5)


def test_the_named_pipe_server_cuts_off_stalled_clients_too(qtbot, tmp_path, monkeypatch):
    """The Windows path (QLocalServer) runs on Linux too: check its deadline here."""
    path = tmp_path / "pipe.sock"
    srv = InstanceServer(path, lambda r: {"ok": True, "pipe": True})
    monkeypatch.setattr(ipc_server, "server_name", lambda p: str(p))  # a socket path on Linux
    assert srv._listen_qt()
    stalled = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stalled.connect(str(path))
    stalled.send(b'{"command":')
    assert _in_thread(qtbot, lambda: send_request(path, {"command": "status"}, timeout=3.0))["pipe"] is True

    qtbot.waitUntil(lambda: _closed_by_server(stalled), timeout=int(ipc_server.REQUEST_DEADLINE_SECONDS * 1000 + 3000))
    stalled.close()
    srv.close()


def test_a_client_over_the_connection_cap_is_told_busy_and_retries(qtbot, tmp_path, monkeypatch):
    """At the cap the server answers "busy" at once; the client retries briefly, then raises Busy."""
    monkeypatch.setattr(ipc_server, "MAX_CONNECTIONS", 3)
    srv = InstanceServer(tmp_path / "s.sock", lambda r: {"ok": True, "answered": True})
    assert srv.listen()
    path = tmp_path / "s.sock"
    held = [_connect(path) for _ in range(3)]  # idle clients fill the cap
    try:
        qtbot.waitUntil(lambda: all(not _closed_by_server(s) for s in held), timeout=2000)
        started = time.monotonic()
        busy = _in_thread(qtbot, lambda: send_request(path, {"command": "status"}, timeout=2.0))
        assert isinstance(busy, Busy), busy  # not "did not answer in time"
        assert "busy" in str(busy) and time.monotonic() - started < 2.0 + 1.0
        # The client retries: when a slot frees during its retries, it gets its answer.
        QTimer.singleShot(300, lambda: held.pop().close())
        assert _in_thread(qtbot, lambda: send_request(path, {"command": "status"}, timeout=3.0)) == {
            "ok": True, "answered": True}
    finally:
        for s in held:
            s.close()
        srv.close()


def test_a_deleted_socket_folder_is_made_again_and_no_second_server_starts(qtbot, tmp_path, monkeypatch):
    import shutil

    monkeypatch.setattr(ipc_server, "OTHER_INSTANCE_WAIT_SECONDS", 0.5)
    folder = tmp_path / "runtime" / "unsit"
    folder.mkdir(parents=True, mode=0o700)
    path = folder / "s.sock"
    srv = InstanceServer(path, lambda r: {"ok": True, "first": True}, instance_lock=tmp_path / "unsit.lock")
    assert srv.listen()
    try:
        shutil.rmtree(folder)
        qtbot.waitUntil(lambda: path.exists(), timeout=5000)  # noticed through inotify, not by polling
        assert srv.socket_in_place() and (folder.stat().st_mode & 0o777) == 0o700
        assert _in_thread(qtbot, lambda: send_request(path, {"command": "status"}, timeout=3.0))["first"] is True
        shutil.rmtree(folder)  # and once more, while a second server tries to start
        second = InstanceServer(path, lambda r: {"ok": True}, instance_lock=tmp_path / "unsit.lock")
        assert second.listen() is False  # the instance lock outside the folder says one runs
        second.close()
        qtbot.waitUntil(lambda: srv.socket_in_place(), timeout=5000)
    finally:
        srv.close()
