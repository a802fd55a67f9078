"""The single-instance socket: real Unix socket between a client thread and the Qt server."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import threading

import pytest

from unsit.app.ipc_server import InstanceServer
from unsit.platform.ipc_client import NotRunning, send_request


def _ask(path, request, results):
    try:
        results.append(send_request(path, request, timeout=5))
    except Exception as exc:  # noqa: BLE001 - recorded for the assertion
        results.append(exc)


def _round_trip(qtbot, path, request):
    results: list = []
    thread = threading.Thread(target=_ask, args=(path, request, results))
    thread.start()
    qtbot.waitUntil(lambda: not thread.is_alive(), timeout=5000)
    return results[0]


def test_requests_reach_the_handler_and_replies_come_back(qtbot, tmp_path):
    seen = []
    server = InstanceServer(tmp_path / "s.sock", lambda r: (seen.append(r), {"ok": True, "echo": r["command"]})[1])
    assert server.listen()
    assert _round_trip(qtbot, tmp_path / "s.sock", {"command": "status"}) == {"ok": True, "echo": "status"}
    assert seen == [{"command": "status"}]
    server.close()


def test_socket_is_private_to_the_user(qtbot, tmp_path):
    server = InstanceServer(tmp_path / "s.sock", lambda r: {"ok": True})
    assert server.listen()
    mode = stat.S_IMODE(os.stat(tmp_path / "s.sock").st_mode)
    assert mode & 0o077 == 0, oct(mode)
    server.close()


def test_a_handler_error_is_answered_not_fatal(qtbot, tmp_path):
    def boom(request):
        raise RuntimeError("kaput")

    server = InstanceServer(tmp_path / "s.sock", boom)
    assert server.listen()
    reply = _round_trip(qtbot, tmp_path / "s.sock", {"command": "x"})
    assert reply == {"ok": False, "error": "kaput"}
    # and the server still answers afterwards
    assert _round_trip(qtbot, tmp_path / "s.sock", {"command": "y"})["ok"] is False
    server.close()


CHILD = """
import sys
from PySide6.QtCore import QCoreApplication
from unsit.app.ipc_server import InstanceServer
app = QCoreApplication([])
server = InstanceServer(__import__("pathlib").Path(sys.argv[1]), lambda r: {"ok": True, "child": True})
print("listening" if server.listen() else "refused", flush=True)
app.exec()
"""


def test_a_live_instance_keeps_its_socket_and_a_dead_ones_socket_is_taken_over(qtbot, tmp_path):
    path = tmp_path / "s.sock"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "listening"
        second = InstanceServer(path, lambda r: {"ok": True})
        assert second.listen() is False  # the child answers the ping: we must not steal its socket
        assert send_request(path, {"command": "ping"})["child"] is True
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert path.exists()  # SIGKILL left the socket file behind
    third = InstanceServer(path, lambda r: {"ok": True, "third": True})
    assert third.listen() is True
    assert _round_trip(qtbot, path, {"command": "ping"})["third"] is True
    third.close()


def test_nobody_listening_is_not_running(tmp_path):
    with pytest.raises(NotRunning):
        send_request(tmp_path / "none.sock", {"command": "status"}, timeout=1)


def test_a_socket_that_cannot_be_created_is_an_error_not_another_instance(tmp_path):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")  # the runtime "folder" is a file: bind fails, even for root
    server = InstanceServer(not_a_folder / "s.sock", lambda r: {"ok": True})
    with pytest.raises(OSError):
        server.listen()
